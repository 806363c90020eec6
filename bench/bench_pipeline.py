"""Benchmark: the whole pipeline against bare Python jieba segmentation of the same text.

Run by hand (``make bench`` or ``.venv/bin/python bench/bench_pipeline.py [INPUT...]``); figures are
ratios to a baseline measured in the same process, so they compare across machines:

* baseline: Python jieba (``jieba.Tokenizer().lcut``) over the clean text of every article;
* rjieba: the project's Segmenter (rjieba engine) over the same texts;
* pipeline: ``pipeline.run.run`` on the same inputs (all stages, Parquet written), with one worker and with
  all cores (``--workers``);
* cold start: ``govmine run`` on the seed page in a fresh process (wall time, seconds);
* peak memory: maximum resident set of a fresh ``govmine run`` process on the inputs, and with ``--big-mb N``
  on an input of N MB made by repeating the bundled records under new ids (slow: minutes per 10 MB).

Results are printed and written to ``bench/results/pipeline.json`` (git-ignored).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.run import Pipeline, RunConfig, iter_articles, run  # noqa: E402
from pipeline.segment import Segmenter  # noqa: E402


def _govmine() -> str:
    exe = Path(sys.executable).with_name("govmine")
    return str(exe) if exe.exists() else "govmine"


def _big_input(inputs: list[str], mb: int, folder: Path) -> Path:
    """A JSONL file of about ``mb`` MB: the bundled records repeated under new ids (the texts stay real)."""
    recs = []
    for p in sorted(q for d in inputs for q in (Path(d).rglob("*.jsonl") if Path(d).is_dir() else [Path(d)])):
        if p.suffix == ".jsonl":
            recs += [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = folder / "big.jsonl"
    size, k = 0, 0
    with out.open("w", encoding="utf-8") as fh:
        while size < mb * 1_000_000:
            for r in recs:
                line = json.dumps(dict(r, id=f"{r.get('id')}~{k}"), ensure_ascii=False) + "\n"
                fh.write(line)
                size += len(line.encode("utf-8"))
                if size >= mb * 1_000_000:
                    break
            k += 1
    return out


# Started from a fresh interpreter: a child forked from this (large) process would inherit its resident set into
# ru_maxrss, which Linux keeps across exec, so the launcher starts the command and reports wait4's figure.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def _peak_mib(cmd: list[str]) -> tuple[float, float]:
    """Peak resident set (MiB, of the process or its largest child) and wall time of a command, measured by a
    small launcher process (see ``_LAUNCHER``)."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], check=True, capture_output=True, text=True)
    kib, code = (int(x) for x in out.stdout.split()[-2:])
    if code:
        raise subprocess.CalledProcessError(code, cmd)
    return round(kib / 1024, 1), round(time.perf_counter() - t0, 1)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="bench_pipeline.py", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="input files or folders (default: the bundled corpus)"
    )
    parser.add_argument("--big-mb", type=int, default=0, metavar="N", help="also measure peak memory on an N MB input")
    args = parser.parse_args(argv)
    big_mb = args.big_mb
    inputs = args.inputs or [str(ROOT / "corpus" / d) for d in ("seed", "news", "reports")]
    logging.basicConfig(level=logging.ERROR)
    pipe = Pipeline()
    texts = [a.text for a in iter_articles(inputs, pipe)]
    n_chars = sum(len(t) for t in texts)
    n_bytes = sum(len(t.encode("utf-8")) for t in texts)

    import jieba

    t0 = time.perf_counter()
    tok = jieba.Tokenizer()
    logging.getLogger("jieba").setLevel(logging.ERROR)
    tok.initialize()
    jieba_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_jieba = sum(len(tok.lcut(t)) for t in texts)
    base = time.perf_counter() - t0

    t0 = time.perf_counter()
    seg = Segmenter()
    rjieba_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_rjieba = sum(len(seg.cut(t)) for t in texts)
    fast = time.perf_counter() - t0

    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        summary = run(RunConfig(inputs=inputs, out=f"{tmp}/out", workers=1))
        whole = time.perf_counter() - t0
        manifest = json.loads(Path(f"{tmp}/out/manifest.json").read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        run(RunConfig(inputs=inputs, out=f"{tmp}/par", workers=cores))
        parallel = time.perf_counter() - t0

        seed = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"
        t0 = time.perf_counter()
        subprocess.run([_govmine(), "run", str(seed), "--out", f"{tmp}/cold", "-q"], check=True)
        cold = time.perf_counter() - t0

        peak_mib, _ = _peak_mib([_govmine(), "run", *inputs, "--out", f"{tmp}/mem", "-q", "--workers", "1"])
        big = None
        if big_mb:
            path = _big_input(inputs, big_mb, Path(tmp))
            mib, secs = _peak_mib([_govmine(), "run", str(path), "--out", f"{tmp}/big", "-q", "--workers", "1"])
            big = {"mbytes": big_mb, "peak_rss_mib": mib, "seconds": secs}

    timings = manifest["timings_seconds"]
    stages = {k: v for k, v in timings.items() if k not in ("total", "load")}
    result = {
        "inputs": inputs,
        "articles": summary.articles,
        "chars": n_chars,
        "mbytes": round(n_bytes / 1e6, 2),
        "jieba": {
            "load_s": round(jieba_load, 3),
            "seconds": round(base, 3),
            "mb_per_s": round(n_bytes / 1e6 / base, 2),
            "tokens": n_jieba,
        },
        "rjieba": {
            "load_s": round(rjieba_load, 3),
            "seconds": round(fast, 3),
            "speedup_vs_jieba": round(base / fast, 1),
            "tokens": n_rjieba,
        },
        "pipeline": {
            "seconds": round(whole, 3),
            "ratio_to_jieba": round(whole / base, 3),
            "stage_share": {k: round(v / timings["total"], 3) for k, v in stages.items()},
        },
        "pipeline_all_cores": {
            "workers": cores,
            "seconds": round(parallel, 3),
            "ratio_to_jieba": round(parallel / base, 3),
        },
        "cold_start_seed_s": round(cold, 3),
        "peak_rss_mib": peak_mib,
        "big_input": big,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pipeline.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
