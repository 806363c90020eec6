"""Benchmark: the extractors' time against text length, on real text and on pathological text.

Run by hand (``.venv/bin/python bench/bench_extract.py [--sizes 125,250,500,1000] [--budget 60]``).
For every family of texts and every size (KB of UTF-8, 1 KB = 1000 bytes) it times
``extract_quantities(text)`` and ``FactExtractor.extract(text)`` (the extractor is built once, outside
the timing) and reports:

* ``s/MB``: seconds per MB at the largest size;
* ``ratio``: time(1 MB) / time(125 KB): 8 when the time grows linearly with the length, 64 when it
  grows with its square;
* ``exp``: the exponent fitted to all sizes (time ~ size^exp; 1 linear, 2 quadratic).

Families (each text is a unit repeated and cut to the size at a character boundary):

* ``news``: the clean text of every article of ``corpus/news/*.jsonl``, paragraphs kept;
* ``digits`` ``1111…``; ``digit_commas`` ``1,1,1,…``; ``list_items`` ``网格员5名、…``;
  ``no_punct`` words and numbers with no punctuation or space at all (one sentence of 1 MB);
  ``open_quotes`` ``““““…``; ``cn_numerals`` ``一二三四五六七八九十…``;
* extra pathological ones: ``spaced_digits`` ``1 1 1 …``, ``quote_numbers`` ``“网格员5名…`` (quotes
  opened, never closed, numbers inside), ``from_to`` ``由5项缩减至3项，…`` (link rule L1).

A family stops for an extractor when its next size could take longer than ``--budget`` seconds if time
grew with the square of the length (the larger sizes are reported as skipped; ``exp`` still shows the
growth). Results are printed and written to ``bench/results/extract.json``
(git-ignored).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.extract import FactExtractor, extract_quantities  # noqa: E402
from pipeline.run import iter_articles  # noqa: E402

KB = 1000
DEFAULT_SIZES = (125, 250, 500, 1000)


def _units() -> dict[str, str]:
    news = "\n".join(a.text for a in iter_articles(sorted((ROOT / "corpus" / "news").glob("*.jsonl"))))
    return {
        "news": news + "\n",
        "digits": "1",
        "digit_commas": "1,",
        "list_items": "网格员5名、",
        "no_punct": "社区网格员5名党员32人帮扶资金3万元楼栋长2399人完成400项完成率达96",
        "open_quotes": "“",
        "cn_numerals": "一二三四五六七八九十",
        "spaced_digits": "1 ",
        "quote_numbers": "“网格员5名",
        "from_to": "由5项缩减至3项，",
    }


def make_text(unit: str, size: int) -> str:
    """``unit`` repeated to ``size`` bytes of UTF-8, cut at a character boundary."""
    n = size // len(unit.encode("utf-8")) + 1
    return (unit * n).encode("utf-8")[:size].decode("utf-8", "ignore")


def _time(fn: Callable[[str], object], text: str) -> tuple[float, int]:
    """Best of three runs when a run is short, else one; and the number of results."""
    best, found = math.inf, 0
    for _ in range(3):
        began = time.perf_counter()
        found = len(fn(text))  # type: ignore[arg-type]
        took = time.perf_counter() - began
        best = min(best, took)
        if took > 0.5:
            break
    return best, found


def _exponent(sizes: list[int], times: list[float]) -> float | None:
    pts = [(math.log(s), math.log(t)) for s, t in zip(sizes, times, strict=True) if t > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def _git() -> dict[str, object]:
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout)
    except OSError:
        return {}
    return {"commit": head, "dirty": dirty}


def run(sizes: list[int], budget: float, families: list[str] | None = None) -> dict[str, object]:
    """Time both extractors on every family and size; returns the results as plain data."""
    units = _units()
    extractor = FactExtractor()
    extractor.extract("预热：网格员5名。")  # load the tagger before timing
    fns: dict[str, Callable[[str], list[object]]] = {
        "quantities": extract_quantities,  # type: ignore[dict-item]
        "facts": extractor.extract,  # type: ignore[dict-item]
    }
    rows = []
    for family, unit in units.items():
        if families and family not in families:
            continue
        for fname, fn in fns.items():
            row: dict[str, object] = {"family": family, "extractor": fname, "sizes_kb": [], "seconds": [], "found": []}
            for k, size in enumerate(sizes):
                text = make_text(unit, size * KB)
                took, found = _time(fn, text)
                row["sizes_kb"].append(size)  # type: ignore[attr-defined]
                row["seconds"].append(took)  # type: ignore[attr-defined]
                row["found"].append(found)  # type: ignore[attr-defined]
                print(f"  {family:14s} {fname:10s} {size:5d} KB {took:9.3f} s {found:7d} found", file=sys.stderr)
                # Stop before a measurement that would pass the budget if time grew with the square.
                if k + 1 < len(sizes) and took * (sizes[k + 1] / size) ** 2 > budget:
                    row["stopped_after_kb"] = size
                    break
            s, t = row["sizes_kb"], row["seconds"]
            assert isinstance(s, list) and isinstance(t, list)
            row["s_per_mb"] = t[-1] / (s[-1] * KB / 1e6)
            row["ratio"] = t[-1] / t[0] if len(t) == len(sizes) and t[0] > 0 else None
            row["exponent"] = _exponent(s, t)
            rows.append(row)
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git": _git(),
        "sizes_kb": sizes,
        "budget_s": budget,
        "rows": rows,
    }


def table(results: dict[str, object]) -> str:
    """The results as a Markdown table."""
    sizes = results["sizes_kb"]
    assert isinstance(sizes, list)
    head = ["family", "extractor", *(f"{s} KB (s)" for s in sizes), "s/MB", f"ratio {sizes[-1]}/{sizes[0]}", "exp"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    rows = results["rows"]
    assert isinstance(rows, list)
    for r in rows:
        secs = [f"{t:.3f}" for t in r["seconds"]] + ["skipped"] * (len(sizes) - len(r["seconds"]))
        ratio = "n/a" if r["ratio"] is None else f"{r['ratio']:.1f}"
        exp = "n/a" if r["exponent"] is None else f"{r['exponent']:.2f}"
        lines.append("| " + " | ".join([r["family"], r["extractor"], *secs, f"{r['s_per_mb']:.3f}", ratio, exp]) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="sizes in KB, comma-separated")
    ap.add_argument(
        "--budget", type=float, default=60.0, help="seconds a measurement may take (if time grew quadratically)"
    )
    ap.add_argument("--family", action="append", help="only these families (repeatable)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "extract.json"))
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = run(sizes, args.budget, args.family)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
