"""``govmine run --engine dask``: the same per-article stages as Dask tasks, beyond one machine.

Documents are read on the client and cut into partitions of ``partition_size`` documents; each partition is
one task that runs :meth:`pipeline.run.Pipeline.process` on its documents (the pipeline is built once per
worker process and kept) and returns its rows as Arrow tables. The client writes each partition's tables as
one part file per table (``DIR/facts/part-00003.parquet`` …), in input order, through the same staging and
atomic publication as a local run, so the output is the same dataset a local run writes, split into more
files. By default a ``LocalCluster`` of ``workers`` single-threaded processes runs the tasks; with
``scheduler`` an existing cluster does (every worker needs govmine and its dependencies installed, at the
same version, and the shipped theme model: ``pip install govmine`` in the workers' environment, or the
checkout with ``GOVMINE_THEME_MODEL`` pointing at ``models/themes``).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from .records import RawDocument, Reject

__all__ = ["process_partition", "run_partitions"]

log = logging.getLogger(__name__)


@lru_cache(maxsize=2)
def _worker_pipeline(engine: str) -> Any:
    from .run import Pipeline

    return Pipeline(engine=engine)


def process_partition(
    docs: Sequence[RawDocument], engine: str
) -> tuple[dict[str, Any], dict[str, float], list[tuple[int, int, int, int]]]:
    """On a worker: the documents of one partition through the pipeline.

    Returns:
        Arrow tables per output table, the stage seconds, and per document (articles, sentences, rejects,
        rejected-document flag) for the run's summary.
    """
    from .schema import to_table

    pipe = _worker_pipeline(engine)
    pipe.timings.clear()
    rows: dict[str, list[Any]] = {}
    stats = []
    for doc in docs:
        res = pipe.process(doc)
        for table, recs in res.rows.items():
            rows.setdefault(table, []).extend(recs)
        stats.append(
            (len(res.articles), len(res.sentences), len(res.rejects), int(bool(res.rejects and not res.articles)))
        )
    return {t: to_table(t, recs) for t, recs in rows.items()}, dict(pipe.timings), stats


def _partitions(items: Iterator[RawDocument | Reject], size: int) -> Iterator[tuple[list[RawDocument], list[Reject]]]:
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        docs.append(item)
        if len(docs) >= size:
            yield docs, rejects
            docs, rejects = [], []
    if docs or rejects:
        yield docs, rejects


def run_partitions(
    items: Iterator[RawDocument | Reject],
    *,
    engine: str,
    workers: int,
    scheduler: str | None,
    partition_size: int,
) -> Iterator[
    tuple[list[RawDocument], list[Reject], dict[str, Any], dict[str, float], list[tuple[int, int, int, int]]]
]:
    """Each partition's documents, ingest rejects and results, in input order, computed on a Dask cluster.

    At most ``2 * workers`` partitions are in flight, so the client's memory stays bounded."""
    from distributed import Client, LocalCluster

    # distributed's nannies set OMP_NUM_THREADS=1, PYTHONHASHSEED and others in this process's environment for the
    # workers they start; the caller's environment is put back when the run ends
    environ = dict(os.environ)
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        n = workers or os.cpu_count() or 1
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers or 1)
        window = 2 * n_workers
        pending: list[tuple[list[RawDocument], list[Reject], Any]] = []
        for docs, rejects in _partitions(items, partition_size):
            fut = client.submit(process_partition, docs, engine, pure=False) if docs else None
            pending.append((docs, rejects, fut))
            while len(pending) > window:
                yield _result(pending.pop(0))
        while pending:
            yield _result(pending.pop(0))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        _restore_environ(environ)


def _restore_environ(saved: dict[str, str]) -> None:
    for key in set(os.environ) - set(saved):
        del os.environ[key]
    for key, value in saved.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


def _result(entry: tuple[list[RawDocument], list[Reject], Any]) -> tuple[Any, ...]:
    docs, rejects, fut = entry
    if fut is None:
        return docs, rejects, {}, {}, []
    tables, timings, stats = fut.result()
    return docs, rejects, tables, timings, stats
