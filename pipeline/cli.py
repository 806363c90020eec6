"""The ``govmine`` command: a thin shell over :mod:`pipeline.run`.

Exit status: 0 when every input document was processed, 1 when some were rejected, 2 on a usage
error (missing path, bad option, non-empty output folder), always with one clear line on stderr.
"""

from __future__ import annotations

import argparse
import logging
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
    r.add_argument("--force", action="store_true", help="replace the tables of a non-empty output folder")
    r.add_argument("--engine", choices=["rjieba", "jieba"], default="rjieba", help="segmentation engine")
    r.add_argument("--batch-size", type=_positive, default=200, metavar="N", help="documents per write batch")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar, warnings and summary only")
    r.add_argument("-v", "--verbose", action="store_true", help="debug logs on stderr")
    e = sub.add_parser("evaluate", help="score a run's facts against gold files")
    e.add_argument("out", metavar="OUT", help="output folder of a run")
    e.add_argument("gold", nargs="+", metavar="GOLD", help="gold JSON files (corpus/gold/facts/*.json)")
    e.add_argument("--json", metavar="FILE", help="also write the scores and every error as JSON")
    e.add_argument("--errors", type=int, default=0, metavar="N", help="print the first N errors")
    return p


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json

    from .evaluate import GoldError, evaluate, evaluate_entities, format_entity_report, format_report, load_gold

    try:
        records = load_gold(args.gold)
        scores = evaluate(args.out, args.gold) if any("facts" in r for r in records) else None
        ent = evaluate_entities(args.out, args.gold) if any("mentions" in r for r in records) else None
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
    for err in d["errors"][: args.errors]:
        print(json.dumps(err, ensure_ascii=False))
    if args.json:
        from .writer import write_json_atomic

        write_json_atomic(Path(args.json), d)
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


def _cmd_run(args: argparse.Namespace) -> int:
    from .ingest import UsageError
    from .run import RunConfig, run
    from .writer import OutputExistsError

    config = RunConfig(
        inputs=list(args.inputs),
        out=args.out,
        force=args.force,
        engine=args.engine,
        batch_size=args.batch_size,
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``govmine`` console script."""
    args = build_parser().parse_args(argv)
    _setup_logging(getattr(args, "verbose", False))
    try:
        if args.command == "run":
            return _cmd_run(args)
        if args.command == "evaluate":
            return _cmd_evaluate(args)
    except KeyboardInterrupt:
        print("govmine: interrupted; the output folder is unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
