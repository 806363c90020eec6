"""Atomic Parquet output: every table is staged, then moved into place only when the run succeeds.

Layout of an output folder::

    DIR/articles/part-00000.parquet   (one dataset folder per table in pipeline.schema.TABLES)
    DIR/sentences/part-00000.parquet
    DIR/rejects/part-00000.parquet
    DIR/manifest.json

Rows are streamed to a staging folder ``DIR/.staging-<run id>/`` in row groups as batches arrive, so
memory stays bounded. :meth:`OutputWriter.commit` renames each staged table over the old one and
writes the manifest last (temp file then rename); a run that dies before that leaves ``DIR`` as it was,
apart from the staging folder, which the next run removes. A writer holds an exclusive lock on ``DIR``
(``flock`` on the folder itself, so no lock file is left behind) from before it changes anything until it
commits or aborts: a second run into the same folder is refused with :class:`OutputExistsError` instead of
removing the first one's staging folder.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .files import write_atomic
from .schema import SCHEMA_VERSION, TABLES

try:
    import fcntl
except ImportError:  # Windows has no fcntl: runs into one folder are then not guarded against each other
    fcntl = None  # type: ignore[assignment]

__all__ = ["OutputWriter", "OutputExistsError", "write_json_atomic"]

log = logging.getLogger(__name__)

_OWN = set(TABLES) | {"manifest.json"}


class OutputExistsError(Exception):
    """The output folder holds files and ``force`` was not given."""


def write_json_atomic(path: Path, obj: Any) -> None:
    """Write JSON to ``path`` through a temporary file and a rename."""
    write_text_atomic(path, json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def write_text_atomic(path: Path, text: str) -> None:
    """Write text to ``path`` through a temporary file and a rename (:func:`pipeline.files.write_atomic`)."""
    write_atomic(path, text)


class OutputWriter:
    """Streams rows of every table into a staging folder and publishes them atomically.

    Args:
        out_dir: the output folder (created if missing).
        force: replace the tables of a folder that holds an earlier output; without it such a folder is refused
            (a folder holding only other files is written into, and those files are left alone).
        tables: table names to write (default: all of :data:`pipeline.schema.TABLES`).
    """

    def __init__(
        self,
        out_dir: str | Path,
        *,
        force: bool = False,
        append: bool = False,
        tables: Iterable[str] | None = None,
    ) -> None:
        self.out = Path(out_dir)
        self.tables = list(tables) if tables is not None else list(TABLES)
        self.append = append
        self.previous: dict[str, Any] | None = None
        self._lock_fd: int | None = None  # the open folder whose flock this writer holds
        if self.out.exists() and not self.out.is_dir():
            raise OutputExistsError(f"{self.out} exists and is not a folder")
        if append and not (self.out / "manifest.json").is_file():
            if any((self.out / n).exists() for n in TABLES):
                raise OutputExistsError(f"{self.out} holds no govmine output to append to (no manifest.json)")
            # a new or empty folder: the first run of an ingestion loop starts the output
            self.append = append = False
        if not append:
            # other files may be there (a log the shell opened there, notes): only an earlier output is in the way
            ours = [n for n in (*TABLES, "manifest.json") if (self.out / n).exists()]
            if ours and not force:
                raise OutputExistsError(
                    f"{self.out} already holds govmine output ({', '.join(ours[:3])}; "
                    "use --force to replace its tables, --append to add)"
                )
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock()  # before anything in the folder is read for an append or changed
        try:
            if append:
                self.previous = json.loads((self.out / "manifest.json").read_text(encoding="utf-8"))
                self._check_schema()  # before anything is changed: a refused append leaves the output as it was
                self._drop_orphans()
            for stale in self.out.glob(".staging-*"):
                shutil.rmtree(stale, ignore_errors=True)
            self.run_id = uuid.uuid4().hex[:12]
            self.staging = self.out / f".staging-{self.run_id}"
            self.staging.mkdir()
        except BaseException:
            self._unlock()
            raise
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._parts: dict[str, list[str]] = {t: [] for t in self.tables}
        self.counts: dict[str, int] = {t: 0 for t in self.tables}

    def _lock(self) -> None:
        """Take the folder's exclusive lock, or refuse: another run is writing it."""
        if fcntl is None:
            return
        fd = os.open(self.out, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputExistsError(
                f"{self.out}: another govmine run is writing this folder; wait for it to finish or choose another --out"
            ) from None
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the flock
            self._lock_fd = None

    def _check_schema(self) -> None:
        """An output written with other columns cannot take new rows: its part files and the new ones would
        not read as one table."""
        parts = (self.previous or {}).get("parts") or {}
        for table in self.tables:
            files = sorted((self.out / table).glob("*.parquet")) if (self.out / table).is_dir() else []
            if table in parts:  # the parts of finished runs (an interrupted run's strays are not the output)
                files = [f for f in files if f.name in set(parts[table])]
            for f in files[:1]:
                try:
                    names = pq.read_schema(f).names
                except (OSError, pa.ArrowException):
                    raise OutputExistsError(
                        f"{f}: not a readable Parquet file; rebuild the output with --force"
                    ) from None
                if names != TABLES[table][0].names:
                    version = (pq.read_schema(f).metadata or {}).get(b"govmine.schema_version", b"?").decode()
                    raise OutputExistsError(
                        f"{self.out} was written by another version of govmine (output schema {version}, now "
                        f"{SCHEMA_VERSION}: the {table} table has other columns): rebuild it with --force first"
                    )

    def write(self, table: str, records: Iterable[Any]) -> None:
        """Append records (dataclasses of the table's kind) as one row group."""
        schema, conv = TABLES[table]
        rows = [conv(r) for r in records]
        if not rows:
            return
        self._writer(table).write_table(pa.Table.from_pylist(rows, schema=schema))
        self.counts[table] += len(rows)

    def write_arrow(self, table: str, tables: Iterable[pa.Table]) -> None:
        """Append rows already made into Arrow tables of the table's schema (from worker processes) as one
        row group."""
        tabs = [t for t in tables if t.num_rows]
        if not tabs:
            return
        data = pa.concat_tables(tabs)
        self._writer(table).write_table(data)
        self.counts[table] += data.num_rows

    def _writer(self, table: str) -> pq.ParquetWriter:
        w = self._writers.get(table)
        if w is None:
            folder = self.staging / table
            folder.mkdir(exist_ok=True)
            w = pq.ParquetWriter(folder / self._part_name(), TABLES[table][0], compression="zstd")
            self._writers[table] = w
            self._parts[table].append(self._part_name())
        return w

    def write_part(self, table: str, data: pa.Table, index: int) -> None:
        """Write one partition's rows of ``table`` as a part file of their own (``part-00003.parquet``), as the
        Dask engine does; parts are named in input order."""
        name = f"part-{self.run_id}-{index:05d}.parquet" if self.append else f"part-{index:05d}.parquet"
        folder = self.staging / table
        folder.mkdir(exist_ok=True)
        pq.write_table(data.cast(TABLES[table][0]), folder / name, compression="zstd")
        self._parts[table].append(name)
        self.counts[table] += data.num_rows

    def _part_name(self) -> str:
        return f"part-{self.run_id}.parquet" if self.append else "part-00000.parquet"

    def _drop_orphans(self) -> None:
        """Remove part files an interrupted append left behind (the manifest, written last, lists the good
        ones), so the folder is as it was before that run."""
        parts = (self.previous or {}).get("parts")
        if not parts:
            return
        for t in self.tables:
            keep = set(parts.get(t, []))
            for f in (self.out / t).glob("*.parquet") if (self.out / t).is_dir() else []:
                if f.name not in keep:
                    log.warning("removing %s, left by an interrupted run", f)
                    f.unlink()

    def commit(self, manifest: dict[str, Any]) -> None:
        """Close the staged files, move every table into place, then write ``manifest.json`` (last: until it
        is written, an appended part is not part of the output)."""
        for t in self.tables:
            if not self._parts[t]:
                self._writer(t)  # an empty table still gets a file with its schema
        for w in self._writers.values():
            w.close()
        self._writers.clear()
        run = {k: v for k, v in manifest.items() if k not in ("runs", "parts")}
        if self.append:
            prev = self.previous or {}
            parts = {t: list(prev.get("parts", {}).get(t) or self._existing(t)) for t in self.tables}
            for t in self.tables:
                (self.out / t).mkdir(exist_ok=True)
                for name in self._parts[t]:
                    os.replace(self.staging / t / name, self.out / t / name)
                    parts[t].append(name)
            runs = list(prev.get("runs") or [{k: v for k, v in prev.items() if k not in ("runs", "parts")}]) + [run]
        else:
            for t in self.tables:
                final = self.out / t
                old = self.out / f".old-{t}-{self.run_id}"
                if final.exists():
                    os.replace(final, old)
                os.replace(self.staging / t, final)
                shutil.rmtree(old, ignore_errors=True)
            parts = {t: list(self._parts[t]) for t in self.tables}
            runs = [run]
        shutil.rmtree(self.staging, ignore_errors=True)
        totals: dict[str, int] = {}
        for r in runs:
            for t, n in r.get("rows", {}).items():
                totals[t] = totals.get(t, 0) + n
        write_json_atomic(self.out / "manifest.json", run | {"rows_total": totals, "runs": runs, "parts": parts})
        self._unlock()

    def _existing(self, table: str) -> list[str]:
        d = self.out / table
        return sorted(f.name for f in d.glob("*.parquet")) if d.is_dir() else []

    def abort(self) -> None:
        """Drop everything staged; the output folder stays as it was."""
        for w in self._writers.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - closing a broken writer must not hide the first error
                log.debug("closing a staged writer failed", exc_info=True)
        self._writers.clear()
        shutil.rmtree(self.staging, ignore_errors=True)
        self._unlock()
