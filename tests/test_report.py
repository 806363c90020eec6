"""govmine report: the HTML report of a run, its embedded data, and the page in headless Chromium (issue 7).

The browser tests drive Debian's ``chromium`` with ``chromium-driver`` through selenium; they are skipped, with the
reason, where those are absent (``.ci/run`` installs them with ``fonts-noto-cjk``).
"""

from __future__ import annotations

import base64
import functools
import gzip
import importlib.util
import json
import re
import shutil
import struct
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.cli import main
from pipeline.query import connect
from pipeline.report import FONT_STACK, ReportLimits, _utf16, build_report, write_report

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
# 𠮷 is outside the BMP: one Python character, two JavaScript (UTF-16) code units
ASTRAL = "𠮷野家在回民区新开门店12家，服务群众3000人。"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed page, a record with a character outside the BMP, and a bad JSONL line (one reject)."""
    d = tmp_path_factory.mktemp("report")
    inp = d / "in"
    inp.mkdir()
    shutil.copy(SEED, inp / "seed.txt")
    (inp / "extra.jsonl").write_text(
        json.dumps({"id": "astral", "title": "𠮷野家开店", "text": ASTRAL}, ensure_ascii=False) + "\n{not json\n",
        encoding="utf-8",
    )
    assert main(["run", str(inp), "--out", str(d / "out"), "-q"]) == 1  # 1: one rejected line
    return d / "out"


@pytest.fixture(scope="module")
def report(out: Path) -> Path:
    path = out / "report.html"
    assert main(["report", str(out), "--html", str(path)]) == 0
    return path


@functools.cache
def _bench() -> Any:
    """bench/bench_report.py as a module: its synthetic outputs and its Chromium driver."""
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "bench" / "bench_report.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def _blob(page: str, name: str) -> Any:
    m = re.search(rf'<script type="application/octet-stream" id="data-{name}">([A-Za-z0-9+/=]*)</script>', page)
    assert m, name
    return json.loads(gzip.decompress(base64.b64decode(m.group(1))))


def _fact(core: dict, surface: str, entity: str) -> int:
    f, s = core["facts"], core["strings"]
    hits = [i for i in range(len(f["a"])) if f["s"][i] == surface and s[f["e"][i]] == entity]
    assert len(hits) == 1, (surface, entity, hits)
    return hits[0]


# -- the file and its data ----------------------------------------------------------------------------------


def test_report_is_one_self_contained_file(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]*\ssrc=", page), "scripts must be inlined"
    assert not re.search(r"<link[^>]*stylesheet", page), "styles must be inlined"
    assert page.count("* plotly.js v") == 1, "plotly.js is inlined once for the whole page"
    assert page.count("/* Tabulator v") == 1
    assert page.count('class="plotly-graph-div"') == 3
    assert "{{" not in re.sub(r"<script.*?</script>", "", page, flags=re.S), "a template marker was left"
    assert "Noto Sans CJK SC" in page and FONT_STACK in page


def test_report_embeds_the_runs_facts_and_texts(out: Path, report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    core, texts = _blob(page, "core"), _blob(page, "texts")
    con = connect(out)
    n_facts = con.sql("SELECT count(*) FROM facts").fetchall()[0][0]
    assert core["info"]["counts"]["articles"] == 7 and core["info"]["counts"]["rejects"] == 1
    assert core["info"]["counts"]["facts"] == n_facts == len(core["facts"]["a"])
    assert core["info"]["full_texts"] == 7 and core["info"]["skipped_spans"] == {
        "facts": 0,
        "entities": 0,
        "initiatives": 0,
    }
    # a known fact of the seed page: 网格党支部 226个 in 回民区's article
    i = _fact(core, "226个", "网格党支部")
    ai = core["facts"]["a"][i]
    assert core["articles"]["id"][ai] == "1ae8b1067945540b#1"
    assert core["articles"]["headline"][ai] == "回民区：以组织力引领城市基层治理现代化"
    assert core["strings"][core["facts"]["p"][i]] == "回民区" and core["facts"]["v"][i] == 226
    t = texts[str(ai)]
    (k, s, e) = next(x[1:] for x in t["f"] if x[0] == i)
    assert t["full"] and t["p"][k][s:e] == "226个"
    # entities by label and initiatives come along: 红蜂驿站 is a programme of that article
    labels = core["labels"]
    assert any(t["p"][x[0]][x[1] : x[2]] == "红蜂驿站" and labels[x[3]] == "PROGRAMME" for x in t["e"])
    assert any(x[3] == "设立" for x in t["i"])
    # the facts stage's rate check (400/415 = 96.39% vs 96.4%) is carried to the article view
    assert [c["status"] for c in core["checks"] if c["ai"] == ai] == ["ok"]
    assert core["rejects"][0]["reason"] == "bad_json" and core["rejects"][0]["line"] == 2
    assert core["manifest"]["counts"]["articles"] == 7


def test_report_offsets_are_utf16_for_the_browser(report: Path) -> None:
    assert _utf16("网格226个") is None
    to16 = _utf16(ASTRAL)
    assert to16 is not None and to16(0) == 0 and to16(1) == 2 and to16(len(ASTRAL)) == len(ASTRAL) + 1
    page = report.read_text(encoding="utf-8")
    core, texts = _blob(page, "core"), _blob(page, "texts")
    i = _fact(core, "12家", "回民区新开门店")
    t = texts[str(core["facts"]["a"][i])]
    k, s, e = next(x[1:] for x in t["f"] if x[0] == i)
    units = t["p"][k].encode("utf-16-le")
    assert units[2 * s : 2 * e].decode("utf-16-le") == "12家"  # JavaScript's String.slice sees these offsets


def test_report_budget_keeps_fact_sentences_only(out: Path) -> None:
    page, info = build_report(out, ReportLimits(max_facts=20, text_budget=1000))
    core, texts = _blob(page, "core"), _blob(page, "texts")
    assert info["facts_in_table"] == len(core["facts"]["a"]) == 20
    assert info["counts"]["facts"] > 20
    assert info["full_texts"] == 0 and info["sentence_only"] >= 1
    con = connect(out)
    sentences = dict(con.sql("SELECT start, text FROM sentences WHERE article_id = '1ae8b1067945540b#1'").fetchall())
    ai = core["articles"]["id"].index("1ae8b1067945540b#1")
    t = texts[str(ai)]
    assert not t["full"] and len(t["p"]) >= 2
    for start, text in zip(t["o"], t["p"], strict=True):
        assert sentences[start] == text  # each piece is a whole sentence at its article offset
    for fi, k, s, e in t["f"]:
        assert t["p"][k][s:e] == core["facts"]["s"][fi]
    assert sum(core["articles"]["mode"][j] == 0 for j in range(7)) >= 1  # articles past the 20 facts: no text


def test_report_cli_errors_are_one_line(tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = [
        ["report", str(tmp_path / "missing")],
        ["report", str(tmp_path)],  # a folder that is no run: no manifest.json
        ["report", str(out), "--html", str(tmp_path / "no" / "such" / "dir" / "r.html")],
    ]
    for argv in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("govmine: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
    assert not (tmp_path / "no").exists()


def test_report_default_path_is_in_out(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    s = write_report(out, None, ReportLimits())
    assert s.path == out / "report.html" and s.bytes == (out / "report.html").stat().st_size > 4_000_000
    assert s.articles == 7 and s.facts_in_table == s.facts and s.skipped_spans == 0


# -- in the browser -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        pytest.skip(f"no {' or '.join(missing)}: apt-get install chromium chromium-driver fonts-noto-cjk")
    pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
    # the same Chromium flags as the benchmark (headless, no sandbox as root, no background networking)
    driver = _bench()._driver(str(tmp_path_factory.mktemp("chromium")))
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _wait(driver: Any, js: str, timeout: float = 30) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = driver.execute_script(js)
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {js}")


def _open(driver: Any, report: Path, hash_: str = "") -> None:
    driver.get("about:blank")
    driver.get_log("browser")  # drop earlier messages
    driver.get(report.resolve().as_uri() + hash_)
    _wait(driver, "return document.body.dataset.ready === '1'")


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_report_opens_in_chromium_without_errors(browser: Any, report: Path, tmp_path: Path) -> None:
    _open(browser, report)
    cards = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#counts .card')]"
        ".map(c => [c.dataset.count, c.querySelector('.n').textContent]))"
    )
    assert cards["articles"] == "7" and cards["rejects"] == "1" and cards["documents"] == "2"
    # the three plotly charts are drawn, with Chinese place names on the axes
    assert browser.execute_script("return document.querySelectorAll('.js-plotly-plot .main-svg').length") >= 3
    ticks = browser.execute_script(
        "return [...document.querySelectorAll('#chart-themes-place .ytick text')].map(t => t.textContent)"
    )
    assert "回民区" in ticks and "赛罕区" in ticks
    # a click on a bar filters the facts on the column the chart groups by (the county here), not on the facts'
    # own place: 土默特左旗's bar holds the facts of its 金润社区, whose place is the community
    con = connect(report.parent)
    county, own = con.sql(
        "SELECT count(*) FILTER (WHERE county = '土默特左旗'), count(*) FILTER (WHERE place = '土默特左旗') FROM facts"
    ).fetchall()[0]
    assert county > own
    assert "土默特左旗" in ticks
    browser.execute_script(
        "document.getElementById('chart-themes-place').emit('plotly_click', {points: [{y: '土默特左旗'}]})"
    )
    _wait(browser, "return document.body.dataset.view === 'facts'")
    assert browser.execute_script("return document.querySelector('#facts-filter .chip').textContent").startswith(
        "区县 土默特左旗"
    )
    rows = "return document.querySelectorAll('#facts-table .tabulator-row').length"
    assert _wait(browser, f"{rows} === {county}") and county < 50  # one page of rows
    _open(browser, report)
    shot = tmp_path / "overview.png"
    assert browser.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert _png_size(png) == (1400, browser.execute_script("return window.innerHeight")) and len(png) > 50_000
    _wait(browser, "return document.body.dataset.texts === '1'")
    for view in ("#articles", "#rejects"):
        browser.execute_script(f"location.hash = '{view}'")
        _wait(browser, f"return document.body.dataset.view === '{view[1:]}'")
    rejects = browser.execute_script(
        "return [...document.querySelectorAll('#rejects-table .tabulator-row')].map(r => r.textContent)"
    )
    assert len(rejects) == 1 and "extra.jsonl" in rejects[0] and "bad_json" in rejects[0]
    assert _severe(browser) == []


def test_report_fact_row_opens_its_article_highlighted(browser: Any, report: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(browser, report, "#facts")
    _wait(browser, "return document.body.dataset.factsTable === '1'")
    browser.find_element(By.ID, "facts-search").send_keys("网格党支部")
    rows = _wait(
        browser,
        "const r = [...document.querySelectorAll('#facts-table .tabulator-row')];"
        "return r.length === 1 && r[0].textContent.includes('226') ? r : null",
    )
    rows[0].click()
    _wait(browser, "return document.body.dataset.view === 'article'")
    assert browser.execute_script("return location.hash").startswith("#fact/1ae8b1067945540b%231%2F")
    mark = _wait(browser, "return document.querySelector('mark.fact.selected')")
    assert mark.text == "226个"
    assert browser.execute_script("return document.body.dataset.article") == "1ae8b1067945540b#1"
    assert (
        browser.find_element(By.CSS_SELECTOR, "#article h2.headline").text == "回民区：以组织力引领城市基层治理现代化"
    )
    top, bottom = browser.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom]", mark
    )
    assert 0 < top < bottom < browser.execute_script("return window.innerHeight")  # scrolled into view
    assert "网格党支部" in browser.find_element(By.ID, "selected-fact").text
    # the article view's rate check, and the other marks: programmes and places in displaCy style
    assert "400/415" in browser.find_element(By.CSS_SELECTOR, "#article .flags").text
    labels = browser.execute_script(
        "return [...document.querySelectorAll('#article .doc mark')].map(m => m.dataset.label + ':' + m.textContent)"
    )
    assert "PROGRAMME:红蜂驿站" in labels and "PLACE:回民区" in labels
    browser.save_screenshot(str(tmp_path / "article.png"))
    assert _severe(browser) == []


def test_report_highlights_after_a_character_outside_the_bmp(browser: Any, report: Path) -> None:
    _open(browser, report, "#facts")
    _wait(browser, "return document.body.dataset.factsTable === '1'")
    browser.execute_script(
        "const i = document.getElementById('facts-search'); i.value = '门店'; i.dispatchEvent(new Event('input'))"
    )
    rows = _wait(
        browser,
        "const r = [...document.querySelectorAll('#facts-table .tabulator-row')]; return r.length === 1 ? r : null",
    )
    rows[0].click()
    mark = _wait(browser, "return document.querySelector('mark.fact.selected')")
    assert mark.text == "12家"
    assert _severe(browser) == []


def test_report_sorts_the_facts_table(browser: Any, report: Path) -> None:
    _open(browser, report, "#facts")
    _wait(browser, "return document.body.dataset.factsTable === '1'")
    browser.execute_script("document.querySelector('#facts-table .tabulator-col[tabulator-field=v]').click()")
    browser.execute_script("document.querySelector('#facts-table .tabulator-col[tabulator-field=v]').click()")
    first = _wait(
        browser,
        "const c = document.querySelector('#facts-table .tabulator-row .tabulator-cell[tabulator-field=v]');"
        "return c && c.textContent",
    )
    con_max = max(_blob(report.read_text(encoding="utf-8"), "core")["facts"]["v"])
    assert first.replace(",", "") == str(con_max)


def test_report_sentence_only_article_marks_its_fact(browser: Any, out: Path, tmp_path: Path) -> None:
    path = tmp_path / "small.html"
    write_report(out, path, ReportLimits(text_budget=1000))
    _open(browser, path, "#fact/" + "1ae8b1067945540b%231%2F1")
    mark = _wait(browser, "return document.querySelector('mark.fact.selected')")
    page = path.read_text(encoding="utf-8")
    core = _blob(page, "core")
    ai = core["articles"]["id"].index("1ae8b1067945540b#1")
    i = next(j for j in range(len(core["facts"]["a"])) if core["facts"]["id"][j] == "1" and core["facts"]["a"][j] == ai)
    assert mark.text == core["facts"]["s"][i]
    text = browser.execute_script("return document.getElementById('article').textContent")
    assert "over the report's text budget" in text
    assert _severe(browser) == []


def test_report_renders_chinese_glyphs_not_boxes(browser: Any, report: Path) -> None:
    """Two different Chinese strings of equal length in the report's font differ from each other and from a blank
    box; missing-glyph boxes (tofu) would make the two strings the same picture."""
    _open(browser, report)
    browser.execute_script(
        """
        const layer = document.createElement('div');
        layer.style.cssText = 'position:fixed;inset:0;background:white;z-index:1000';
        for (const [id, text] of [['cjk-a', '网格党支部'], ['cjk-b', '红蜂驿站们'], ['cjk-blank', '']]) {
          const s = document.createElement('div');
          s.id = id;
          s.textContent = text;
          s.style.cssText = 'font-family:var(--cjk);font-size:32px;line-height:40px;width:200px;height:40px;' +
                            'margin:10px;color:black;background:white;white-space:nowrap;overflow:hidden';
          layer.appendChild(s);
        }
        document.body.appendChild(layer);
        """
    )
    from selenium.webdriver.common.by import By

    a, b, blank = (browser.find_element(By.ID, i).screenshot_as_png for i in ("cjk-a", "cjk-b", "cjk-blank"))
    assert _png_size(a) == _png_size(b) == _png_size(blank)
    assert a != blank and b != blank, "Chinese text renders as nothing"
    assert a != b, "two different Chinese strings render the same: missing-glyph boxes"
    # the glyphs come from a CJK font of the stack, not a fallback box: each character is one em wide
    width = browser.execute_script(
        "const r = document.createRange(); r.selectNodeContents(document.getElementById('cjk-a'));"
        "return r.getBoundingClientRect().width"
    )
    assert abs(width - 5 * 32) < 2
    # the report's own text: an article's headline and the chart labels are set in the CJK stack and drawn as glyphs
    _open(browser, report, "#article/" + "1ae8b1067945540b%231")
    _wait(browser, "return document.querySelector('#article h2.headline') !== null")
    head = browser.find_element(By.CSS_SELECTOR, "#article h2.headline")
    assert head.text == "回民区：以组织力引领城市基层治理现代化"
    assert "Noto Sans CJK SC" in head.value_of_css_property("font-family")
    shot = head.screenshot_as_png
    browser.execute_script("arguments[0].style.color = getComputedStyle(arguments[0]).backgroundColor", head)
    assert shot != head.screenshot_as_png, "the headline renders as nothing"
    _open(browser, report)
    ticks = browser.find_elements(By.CSS_SELECTOR, "#chart-themes-place .ytick text")
    assert ticks and any(re.search("[\u4e00-\u9fff]", t.text) for t in ticks)
    assert all("Noto Sans CJK SC" in t.value_of_css_property("font-family") for t in ticks)
    assert _severe(browser) == []


def test_report_scale_2000_articles_opens_in_seconds(browser: Any, out: Path, tmp_path: Path) -> None:
    """A smaller version of bench/bench_report.py: the test run repeated to 2,000 articles, with limits that bite."""
    bench = _bench()
    big = tmp_path / "big"
    rows = bench.replicate(out, big, 2000)
    con = connect(out)
    per_article = con.sql("SELECT count(*) FROM facts").fetchall()[0][0] / 7
    assert rows["articles"] == 2000 and abs(rows["facts"] - 2000 * per_article) < 2 * per_article
    s = write_report(big, tmp_path / "big.html", ReportLimits(max_facts=5000, text_budget=2**20))
    assert s.articles == 2000 and s.facts == rows["facts"] and s.facts_in_table == 5000
    assert s.full_texts > 100 and s.skipped_spans == 0 and s.seconds < 30
    r = bench.load_times(browser, tmp_path / "big.html")
    assert r["console_errors"] == [] and r["ready_s"] < 15 and r["fact_to_article_s"] < 5, r
    # a copy's fact opens the copy's article, marked like the original
    key = "1ae8b1067945540b#1~5/10"
    browser.execute_script(f"location.hash = '#fact/' + encodeURIComponent('{key}')")
    _wait(browser, "return document.body.dataset.article === '1ae8b1067945540b#1~5'")
    assert _wait(browser, "return document.querySelector('mark.fact.selected')").text == "226个"


def test_damaged_outputs_get_one_line(tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def copy(name: str) -> Path:
        d = tmp_path / name
        shutil.copytree(out, d)
        (d / "report.html").unlink(missing_ok=True)
        return d

    listed = copy("listed")  # a part the manifest lists is gone: the report would silently count less
    (listed / "facts" / "part-00000.parquet").unlink()
    truncated = copy("truncated")  # a damaged part file
    f = truncated / "facts" / "part-00000.parquet"
    f.write_bytes(f.read_bytes()[:100])
    notobj = copy("notobj")  # a manifest that is no object
    (notobj / "manifest.json").write_text("[]", encoding="utf-8")
    old = copy("old")  # facts written by another schema version: a column is missing
    import pyarrow.parquet as pq

    f = old / "facts" / "part-00000.parquet"
    pq.write_table(pq.read_table(f).drop_columns(["check_status"]), f)
    expect = {
        listed: "missing (facts/part-00000.parquet)",
        truncated: "cannot read its part files",
        notobj: "manifest",
        old: "cannot read the run's tables",
    }
    for d, words in expect.items():
        assert main(["report", str(d)]) == 2, d
        err = capsys.readouterr().err
        assert err.startswith("govmine: error: ") and err.count("\n") == 1 and "Traceback" not in err, err
        assert words in err, err
        assert not (d / "report.html").exists()


def test_facts_per_theme_counts_every_theme_of_an_initiative(out: Path) -> None:
    """An initiative with two themes and three facts gives each theme all three facts (not one each)."""
    from pipeline.report import _chart_facts_per_theme, _themes

    con = connect(out)
    want: dict[str, set[str]] = {}
    for themes, facts in con.sql("SELECT themes, fact_ids FROM initiatives").fetchall():
        for t in themes:
            want.setdefault(t, set()).update(facts)
    assert any(len(t) > 1 and len(f) > 1 for t, f in con.sql("SELECT themes, fact_ids FROM initiatives").fetchall())
    labels = _themes()
    fig = _chart_facts_per_theme(con, labels)
    got = dict(zip(fig.data[0].customdata, fig.data[0].y, strict=True))
    assert {c: n for c, n in got.items() if n} == {c: len(f) for c, f in want.items() if f}


def test_a_fact_inside_another_is_shown_through_it() -> None:
    from pipeline.report import _ArticleText, _Piece

    text = "新增新能源装机100万千瓦以上。"
    at = _ArticleText([_Piece(0, text, _utf16(text))], full=True)
    assert at.add_fact(0, at.locate(7, 13, "100万千瓦"))
    assert not at.add_fact(1, at.locate(11, 13, "千瓦"))
    assert at.facts == [[0, 0, 7, 13], [1, 0, 11, 13, 0]]  # the second names the fact whose mark shows it
