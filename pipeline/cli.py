"""The ``govmine`` command: a thin shell over :mod:`pipeline.run`.

Exit status: 0 when every input document was processed, 1 when some were rejected, 2 on a usage
error (missing path, bad option, an output folder holding an earlier run), always with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_REJECTS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        self.exit(EXIT_USAGE, f"govmine: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="govmine", description="Text mining for Chinese grassroots-governance news.")
    p.add_argument("--version", action="version", version=f"govmine {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("run", help="run the pipeline on files and folders of .txt and .jsonl")
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="a .txt or .jsonl file, or a folder (recursive)")
    r.add_argument("--out", required=True, metavar="DIR", help="output folder for the Parquet tables")
    mode = r.add_mutually_exclusive_group()
    mode.add_argument(
        "--force", action="store_true", help="replace the tables of an output folder that holds an earlier run"
    )
    mode.add_argument(
        "--append", action="store_true", help="add to an existing output; documents it already holds are skipped"
    )
    r.add_argument(
        "--engine",
        choices=["local", "dask", "rjieba", "jieba"],
        default="local",
        help="where the stages run: local (this machine, --workers processes) or dask (a Dask cluster); "
        "rjieba and jieba are the older spelling of --segmenter",
    )
    r.add_argument("--segmenter", choices=["rjieba", "jieba"], default=None, help="segmentation engine (rjieba)")
    r.add_argument(
        "--scheduler", metavar="ADDRESS", help="with --engine dask: an existing scheduler (default: a LocalCluster)"
    )
    r.add_argument(
        "--partition-size", type=_positive, default=50, metavar="N", help="with --engine dask: documents per task"
    )
    r.add_argument("--batch-size", type=_positive, default=200, metavar="N", help="documents per write batch")
    r.add_argument(
        "--workers",
        type=_positive,
        default=0,
        metavar="N",
        help="worker processes (default: the machine's cores for inputs of 4 MB or more, else 1)",
    )
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings and summary only")
    r.add_argument("-v", "--verbose", action="store_true", help="debug logs on stderr")
    e = sub.add_parser(
        "evaluate",
        help="score a run against gold files (facts, entities, initiatives and their status, article themes)",
    )
    e.add_argument("out", metavar="OUT", help="output folder of a run")
    e.add_argument(
        "gold",
        nargs="+",
        metavar="GOLD",
        help="gold JSON files (corpus/gold/facts, entities or initiatives, or article themes in corpus/annotations)",
    )
    e.add_argument("--json", metavar="FILE", help="also write the scores and every error as JSON")
    e.add_argument("--errors", type=int, default=0, metavar="N", help="print the first N errors")
    q = sub.add_parser("query", help="run DuckDB SQL over a run's tables (articles, facts, entities, …)")
    q.add_argument("out", nargs="?", metavar="OUT", help="output folder of a run")
    q.add_argument("sql", nargs="?", metavar="SQL", help="one SQL statement; the tables are views of the same name")
    q.add_argument("--preset", metavar="NAME", help="run a named query (see --list)")
    q.add_argument("--list", action="store_true", help="list the named queries")
    q.add_argument(
        "--format",
        choices=["table", "csv", "json", "parquet"],
        help="output format: an aligned table (the default), csv, json (one JSON object per line) or "
        "parquet; with -o FILE, taken from FILE's extension when not given (.csv, .json, .jsonl, .parquet)",
    )
    q.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout (needed for parquet)")
    q.add_argument("--max-width", type=_positive, default=40, metavar="N", help="widest table cell (default 40)")
    t = sub.add_parser("train", help="rebuild the theme model from corpus/ into models/themes/")
    t.add_argument("--root", default=".", metavar="DIR", help="project folder holding corpus/ (default: .)")
    t.add_argument("--out", default=None, metavar="DIR", help="model folder (default: ROOT/models/themes)")
    t.add_argument("--seed", type=int, default=None, help="random seed (default: the fixed one)")
    rp = sub.add_parser("report", help="write a self-contained HTML report of a run (charts, facts, articles)")
    rp.add_argument("out", metavar="OUT", help="output folder of a run")
    rp.add_argument("--html", metavar="FILE", help="the HTML file to write (default: OUT/report.html)")
    rp.add_argument(
        "--max-facts", type=_positive, default=None, metavar="N", help="facts in the facts table (default 100000)"
    )
    rp.add_argument(
        "--text-mb",
        type=_positive,
        default=None,
        metavar="MB",
        help="article text embedded, in MB of UTF-8 (default 16); over it an article shows its fact sentences only",
    )
    rp.add_argument("-v", "--verbose", action="store_true", help="debug logs on stderr")
    return p


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import ReportError, ReportLimits, write_report

    defaults = ReportLimits()
    limits = ReportLimits(
        max_facts=args.max_facts or defaults.max_facts,
        text_budget=args.text_mb * 2**20 if args.text_mb else defaults.text_budget,
    )
    try:
        summary = write_report(args.out, args.html, limits)
    except ReportError as exc:
        print(f"govmine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"govmine: {summary.line()} -> {summary.path}", file=sys.stderr)
    return EXIT_OK


def _cmd_query(args: argparse.Namespace) -> int:
    from .query import PRESETS, QueryError, format_rows, format_table, run_query, write_parquet

    if args.list:
        for name, p in PRESETS.items():
            print(f"{name:20} {p.description}")
        return EXIT_OK
    if not args.out:
        print("govmine: error: query needs OUT (an output folder) and SQL or --preset", file=sys.stderr)
        return EXIT_USAGE
    if args.preset:
        if args.preset not in PRESETS:
            print(f"govmine: error: no preset {args.preset!r}; --list shows them", file=sys.stderr)
            return EXIT_USAGE
        sql = PRESETS[args.preset].sql
    elif args.sql:
        sql = args.sql
    else:
        print("govmine: error: give a SQL statement or --preset NAME", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or (_FORMAT_OF_SUFFIX.get(Path(args.output).suffix.lower(), "table") if args.output else "table")
    if args.output and (problem := _unwritable(Path(args.output))):
        print(f"govmine: error: {args.output}: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        if fmt == "parquet":
            if not args.output:
                print("govmine: error: --format parquet needs -o FILE", file=sys.stderr)
                return EXIT_USAGE
            n = write_parquet(args.out, sql, args.output)
            print(f"govmine: {n} row{'' if n == 1 else 's'} -> {args.output}", file=sys.stderr)
            return EXIT_OK
        cols, rows = run_query(args.out, sql)
    except QueryError as exc:
        print(f"govmine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        where = f"{args.output}: cannot write it" if args.output else f"{args.out}: cannot read it"
        print(f"govmine: error: {where} ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_USAGE
    text = format_table(cols, rows, max_width=args.max_width) + "\n" if fmt == "table" else format_rows(cols, rows, fmt)
    if args.output:
        from .writer import write_text_atomic

        try:
            write_text_atomic(Path(args.output), text)
        except OSError as exc:
            print(f"govmine: error: {args.output}: cannot write it ({exc.strerror or exc})", file=sys.stderr)
            return EXIT_USAGE
        print(f"govmine: {len(rows)} row{'' if len(rows) == 1 else 's'} -> {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


# the format -o FILE gives when --format is not given
_FORMAT_OF_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "json", ".parquet": "parquet", ".txt": "table"}


def _unwritable(path: Path) -> str | None:
    """Why a result cannot be written to ``path`` (one line), or None."""
    if path.is_dir():
        return "is a folder; give a file name"
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"the folder {parent} does not exist"
    if not os.access(parent, os.W_OK):
        return f"the folder {parent} is not writable"
    return None


def _cmd_train(args: argparse.Namespace) -> int:
    from .train import SEED, train

    root = Path(args.root)
    if not (root / "corpus" / "annotations" / "clauses.jsonl").is_file():
        print(f"govmine: error: {root / 'corpus/annotations/clauses.jsonl'}: not found (use --root)", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.out) if args.out else root / "models" / "themes"
    try:
        train(
            root,
            out,
            seed=SEED if args.seed is None else args.seed,
            log=lambda m: print(f"govmine: {m}", file=sys.stderr),
        )
    except ValueError as exc:
        print(f"govmine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"govmine: model written to {out}", file=sys.stderr)
    return EXIT_OK


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .evaluate import (
        GoldError,
        evaluate,
        evaluate_entities,
        evaluate_initiatives,
        evaluate_statuses,
        format_entity_report,
        format_initiative_report,
        format_report,
        format_status_report,
        load_gold,
    )

    theme_gold = _theme_gold(args.gold)
    if theme_gold is not None:
        return _evaluate_themes(args, theme_gold)
    try:
        records = load_gold(args.gold)
        scores = evaluate(args.out, args.gold) if any("facts" in r for r in records) else None
        ent = evaluate_entities(args.out, args.gold) if any("mentions" in r for r in records) else None
        ini = evaluate_initiatives(args.out, args.gold) if any("initiatives" in r for r in records) else None
        sta = evaluate_statuses(args.out, args.gold) if any("statuses" in r for r in records) else None
    except GoldError as exc:
        print(f"govmine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    d: dict = {}
    if scores is not None:
        print(format_report(scores))
        d = scores.as_dict()
    if ent is not None:
        print(format_entity_report(ent))
        d["entities"] = ent
        d.setdefault("errors", []).extend(ent["errors"])
    if ini is not None:
        print(format_initiative_report(ini))
        d["initiatives"] = ini
        d.setdefault("errors", []).extend(ini["errors"])
    if sta is not None:
        print(format_status_report(sta))
        d["statuses"] = sta
        d.setdefault("errors", []).extend(sta["errors"])
    for err in d.get("errors", [])[: args.errors]:
        print(json.dumps(err, ensure_ascii=False))
    if args.json:
        from .writer import write_json_atomic

        write_json_atomic(Path(args.json), d)
    return EXIT_OK


def _theme_gold(paths: Sequence[str]) -> list | None:
    """Article theme gold (records with themes_core and no facts), when every file given is such gold."""
    import json

    from .train import read_article_gold

    out = []
    for p in paths:
        try:
            data = json.loads(Path(p).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        arts = [a for d in data.get("documents", []) for a in d.get("articles", [d])]
        if not arts or any("facts" in a or "mentions" in a or "themes_core" not in a for a in arts):
            return None
        out.extend(read_article_gold(p))
    return out


def _evaluate_themes(args: argparse.Namespace, gold: list) -> int:
    """Score a run's article themes (articles.themes) against article theme gold."""
    import json

    import pyarrow.dataset as ds

    from .train import article_f1, article_f1_interval

    try:
        t = ds.dataset(Path(args.out) / "articles", format="parquet").to_table(columns=["article_id", "themes"])
    except (OSError, ValueError) as exc:
        print(f"govmine: error: {args.out}: no articles table ({exc})", file=sys.stderr)
        return EXIT_USAGE
    pred = {a: set(th or []) for a, th in zip(t["article_id"].to_pylist(), t["themes"].to_pylist(), strict=True)}
    missing = [g.article_id for g in gold if g.article_id not in pred]
    score = article_f1(pred, gold)
    p, r, f = score["precision"], score["recall"], score["f1"]
    interval = article_f1_interval(pred, gold) if gold else None
    ci = f"  (95% bootstrap interval {interval['f1_low']:.3f}-{interval['f1_high']:.3f})" if interval else ""
    print(f"article themes: {score['articles']} articles   P {p:.3f}  R {r:.3f}  F1 {f:.3f}{ci}")
    if missing:
        print(
            f"govmine: warning: {len(missing)} gold articles are not in {args.out} (e.g. {missing[0]})", file=sys.stderr
        )
    errors = [
        {
            "article": g.article_id,
            "predicted": sorted(pred.get(g.article_id, set())),
            "core": sorted(g.core),
            "ok": sorted(g.ok),
        }
        for g in gold
        if pred.get(g.article_id, set()) != set(g.core)
    ]
    for err in errors[: args.errors]:
        print(json.dumps(err, ensure_ascii=False))
    if args.json:
        from .writer import write_json_atomic

        write_json_atomic(Path(args.json), {"themes": score, "interval": interval, "errors": errors})
    return EXIT_OK


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value!r}")
    return n


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("govmine: %(levelname)s: %(message)s"))
    root = logging.getLogger("pipeline")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.propagate = False


class _NoPandas:
    """A finder that refuses to import pandas (see :func:`_pyarrow_without_pandas`)."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas":
            raise ImportError("pandas is not imported by a run")


def _pyarrow_without_pandas() -> None:
    """Spare this process pandas' import (about a quarter of a second of every start).

    pyarrow asks once per process whether pandas can be imported, on the first array it builds from Python
    objects, and imports it if so (pandas is always installed: cnloc needs it). A run hands pyarrow only lists
    of plain values, so that question is answered here with pandas refused for one tiny array: pyarrow then
    converts lists as it does where pandas is not installed. ``import pandas`` works afterwards as before,
    and so do pyarrow's pandas conversions (``to_pandas`` imports pandas when it is called)."""
    if "pandas" in sys.modules:  # imported already: nothing to spare
        return
    import pyarrow as pa

    finder = _NoPandas()
    sys.meta_path.insert(0, finder)  # type: ignore[arg-type]
    try:
        pa.array([0])
    finally:
        sys.meta_path.remove(finder)  # type: ignore[arg-type]


def _cmd_run(args: argparse.Namespace) -> int:
    from .ingest import UsageError
    from .run import RunConfig, run
    from .writer import OutputExistsError

    config = RunConfig(
        inputs=list(args.inputs),
        out=args.out,
        force=args.force,
        append=args.append,
        engine=args.segmenter or (args.engine if args.engine in ("rjieba", "jieba") else "rjieba"),
        executor="dask" if args.engine == "dask" else "local",
        scheduler=args.scheduler,
        partition_size=args.partition_size,
        batch_size=args.batch_size,
        workers=args.workers,
    )
    if config.executor == "local":
        _pyarrow_without_pandas()
    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="B", unit_scale=True, desc="govmine", file=sys.stderr, leave=False)
    try:
        summary = run(config, progress=bar)
    except (UsageError, OutputExistsError) as exc:
        print(f"govmine: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        if bar is not None:
            bar.close()
    print(f"govmine: {summary.line()} -> {args.out}", file=sys.stderr)
    return EXIT_REJECTS if summary.rejects else EXIT_OK


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, ``timeout``, a batch scheduler) stops a command as Ctrl-C does: what it was writing is
    rolled back and its worker processes end."""


def _stop_on_sigterm() -> tuple[bool, object]:
    """Make SIGTERM raise :class:`_Terminated` in the main thread; returns whether it did and the handler it
    replaced (None when that one was not set from Python)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return False, None

    def handler(signum: int, frame: object) -> None:
        raise _Terminated

    return True, signal.signal(signal.SIGTERM, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govmine`` console script."""
    args = build_parser().parse_args(argv)
    _setup_logging(getattr(args, "verbose", False))
    installed, previous = _stop_on_sigterm()
    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "evaluate":
            return _cmd_evaluate(args)
        if args.command == "train":
            return _cmd_train(args)
        if args.command == "query":
            return _cmd_query(args)
        if args.command == "report":
            return _cmd_report(args)
    except _Terminated:
        print("govmine: terminated; the output folder is unchanged", file=sys.stderr)
        return 128 + 15
    except KeyboardInterrupt:
        print("govmine: interrupted; the output folder is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    finally:
        if installed:
            import signal

            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)  # type: ignore[arg-type]
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
