"""How large and how fast the HTML report is, on the bundled output and on a synthetic 10,000-article output.

Run by hand after ``make run`` (needs chromium and chromium-driver for the load times)::

    .venv/bin/python bench/bench_report.py [--src outputs/bundled] [--articles 10000] [--json bench/results/report.json]

The synthetic output repeats the rows of ``--src`` under new ids (``<article_id>~<k>``, every table rewritten
consistently with DuckDB) until it holds ``--articles`` articles. For each output it measures the report's
generation time (``write_report``), its size, and in headless Chromium: the time from navigation until the page is
ready (data decoded, overview drawn), until the article texts are decoded, until the facts table is built, and
until a fact opens in its article view.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.query import connect  # noqa: E402
from pipeline.report import ReportLimits, write_report  # noqa: E402
from pipeline.schema import TABLES  # noqa: E402

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# per table: the id columns that start with the article id and must follow it
_IDS = {
    "articles": [],
    "sentences": [],
    "facts": ["fact_id"],
    "entities": ["entity_id"],
    "initiatives": ["initiative_id"],
}


def replicate(src: Path, dst: Path, articles: int) -> dict[str, int]:
    """Write to ``dst`` an output of exactly ``articles`` articles: the rows of ``src`` repeated under new ids.

    Copy 0 keeps the original ids; copy k appends ``~k`` to article and document ids. Returns the rows per table.
    """
    con = connect(src)
    n = con.sql("SELECT count(*) FROM articles").fetchall()[0][0]
    copies = -(-articles // n)
    con.execute(
        f"""
        CREATE TEMP TABLE keep AS
        SELECT article_id, k, CASE WHEN k = 0 THEN article_id ELSE article_id || '~' || k END AS new_id
        FROM (SELECT article_id, row_number() OVER () - 1 AS rn FROM articles), range({copies}) r(k)
        WHERE k * {n} + rn < {articles}
        """
    )
    if dst.exists():
        shutil.rmtree(dst)
    dst.mkdir(parents=True)
    rows: dict[str, int] = {}
    parts: dict[str, list[str]] = {}
    for table in TABLES:
        if table == "rejects":
            continue
        repl = ["keep.new_id AS article_id"]
        for col in _IDS[table]:
            repl.append(f"keep.new_id || substr(t.{col}, length(t.article_id) + 1) AS {col}")
        if table == "articles":
            repl.append("CASE WHEN keep.k = 0 THEN t.doc_id ELSE t.doc_id || '~' || keep.k END AS doc_id")
        if table == "initiatives":
            repl.append("[keep.new_id || substr(x, length(t.article_id) + 1) FOR x IN t.fact_ids] AS fact_ids")
        (dst / table).mkdir()
        target = dst / table / "part-00000.parquet"
        con.execute(
            f"COPY (SELECT t.* REPLACE ({', '.join(repl)}) FROM {table} t JOIN keep USING (article_id)"
            f" ORDER BY keep.k, keep.article_id) TO '{target}' (FORMAT parquet)"
        )
        rows[table] = con.sql(f"SELECT count(*) FROM read_parquet('{target}')").fetchall()[0][0]
        parts[table] = [target.name]
    rows["rejects"] = 0
    manifest = json.loads((src / "manifest.json").read_text(encoding="utf-8"))
    docs = con.sql("SELECT count(DISTINCT doc_id || '~' || k) FROM articles JOIN keep USING (article_id)").fetchall()
    run = {k: v for k, v in manifest.items() if k not in ("runs", "parts", "rows_total")}
    run["counts"] = dict(run.get("counts", {}), articles=rows["articles"], documents=docs[0][0], rejects=0)
    run["rows"] = rows
    run["synthetic"] = f"{src} repeated to {articles} articles by bench/bench_report.py"
    manifest = run | {"rows_total": rows, "runs": [run], "parts": parts}
    (dst / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return rows


def _driver(profile: str) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
        "--enable-precise-memory-info",
    ):
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(300)
    driver.set_script_timeout(300)
    return driver


def _until(driver: Any, js: str, t0: float, timeout: float = 300) -> float:
    while time.perf_counter() - t0 < timeout:
        if driver.execute_script(js):
            return time.perf_counter() - t0
        time.sleep(0.02)
    raise TimeoutError(js)


def load_times(driver: Any, path: Path) -> dict[str, Any]:
    """Seconds from navigation until the report is ready, its texts decoded, the facts table built, a fact shown."""
    driver.get("about:blank")
    driver.get_log("browser")
    t0 = time.perf_counter()
    driver.get(path.resolve().as_uri())
    ready = _until(driver, "return document.body.dataset.ready === '1'", t0)
    texts = _until(driver, "return document.body.dataset.texts === '1'", t0)
    t1 = time.perf_counter()
    driver.execute_script("location.hash = '#facts'")
    facts = _until(driver, "return document.body.dataset.factsTable === '1'", t1)
    t2 = time.perf_counter()
    driver.execute_script(
        "document.querySelector('#facts-table .tabulator-row').dispatchEvent(new MouseEvent('click', {bubbles: true}))"
    )
    article = _until(driver, "return !!document.querySelector('mark.fact.selected')", t2)
    heap = driver.execute_script("return performance.memory ? performance.memory.usedJSHeapSize : null")
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    return {
        "ready_s": round(ready, 2),
        "texts_decoded_s": round(texts, 2),
        "facts_table_s": round(facts, 2),
        "fact_to_article_s": round(article, 2),
        "js_heap_mb": round(heap / 2**20) if heap else None,
        "console_errors": severe,
    }


def measure(out: Path, html: Path, driver: Any | None, limits: ReportLimits) -> dict[str, Any]:
    s = write_report(out, html, limits)
    r: dict[str, Any] = {
        "articles": s.articles,
        "facts": s.facts,
        "facts_in_table": s.facts_in_table,
        "full_texts": s.full_texts,
        "sentence_only": s.sentence_only,
        "generate_s": round(s.seconds, 2),
        "size_mb": round(s.bytes / 2**20, 1),
    }
    if driver is not None:
        r |= load_times(driver, html)
    print(json.dumps(r, ensure_ascii=False), flush=True)
    return r


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", default=str(ROOT / "outputs" / "bundled"), help="a run's output (default: make run's)")
    ap.add_argument("--articles", type=int, nargs="+", default=[10_000], help="sizes of the synthetic outputs")
    ap.add_argument("--json", default=str(ROOT / "bench" / "results" / "report.json"), help="results file")
    ap.add_argument("--no-browser", action="store_true", help="generation and size only")
    ap.add_argument("--max-facts", type=int, default=None, help="the report's facts table limit (default 100000)")
    ap.add_argument("--text-mb", type=int, default=None, help="the report's text budget in MB (default 16)")
    args = ap.parse_args()
    src = Path(args.src)
    if not (src / "manifest.json").is_file():
        print(f"bench_report: {src} is no run's output; run `make run` first", file=sys.stderr)
        return 2
    have_browser = Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and not args.no_browser
    d = ReportLimits()
    limits = ReportLimits(
        max_facts=args.max_facts or d.max_facts,
        text_budget=args.text_mb * 2**20 if args.text_mb else d.text_budget,
    )
    results: dict[str, Any] = {"limits": repr(limits), "runs": {}}
    with tempfile.TemporaryDirectory(prefix="bench_report.") as tmp:
        driver = _driver(str(Path(tmp) / "profile")) if have_browser else None
        try:
            results["runs"][f"{src.name} (as run)"] = measure(src, Path(tmp) / "src.html", driver, limits)
            for n in args.articles:
                out = Path(tmp) / f"out{n}"
                t0 = time.perf_counter()
                rows = replicate(src, out, n)
                print(f"synthetic output of {rows['articles']} articles in {time.perf_counter() - t0:.1f} s: {rows}")
                results["runs"][f"synthetic {n}"] = measure(out, Path(tmp) / f"r{n}.html", driver, limits) | {
                    "rows": rows
                }
                shutil.rmtree(out)
        finally:
            if driver is not None:
                driver.quit()
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"bench_report: results in {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
