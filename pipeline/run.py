"""The stage driver: documents in, tables out. The one place where the stages are wired together.

    ingest -> clean -> layout -> split -> segment -> (later: facts, entities, themes) -> write

:class:`Pipeline` holds the heavy objects (segmenter, rules), built once; :meth:`Pipeline.process`
turns one raw document into its rows; :func:`run` streams every input through it in bounded batches
and publishes the tables atomically with a manifest. A document that fails a stage becomes a row in
``rejects`` and the run goes on.
"""

from __future__ import annotations

import gc
import logging
import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from . import __version__
from .clean import clean_page, clean_record
from .files import file_sha256
from .ingest import iter_input_files, read_documents
from .layout import LayoutRules, load_rules, looks_like_page, paragraph_blocks, repair_page
from .records import Article, RawDocument, Reject, Sentence
from .segment import Segmenter, split_sentences
from .split import articles_from_page, articles_from_record
from .writer import OutputWriter

__all__ = ["Pipeline", "ArticleStage", "DocResult", "RunConfig", "RunSummary", "run", "iter_articles"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class DocResult:
    """What one document produced: records per output table (``articles``, ``sentences``, ...), or, from a
    worker process, the same rows already as Arrow tables (``packed``: cheaper to send back than records)."""

    rows: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    packed: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))

    @property
    def articles(self) -> list[Article]:
        return self.rows["articles"]

    @property
    def sentences(self) -> list[Sentence]:
        return self.rows["sentences"]

    @property
    def rejects(self) -> list[Reject]:
        return self.rows["rejects"]

    def count(self, table: str) -> int:
        """Rows of ``table``, as records or packed."""
        return len(self.rows.get(table, ())) + sum(t.num_rows for t in self.packed.get(table, ()))

    def extend(self, other: DocResult) -> None:
        for table, recs in other.rows.items():
            self.rows[table].extend(recs)
        for table, tabs in other.packed.items():
            self.packed[table].extend(tabs)

    def pack(self) -> DocResult:
        """The rows as Arrow tables of the declared schemas, after the tables already packed (rejects stay
        records: they are logged). One table per output table: packing many documents at once is several
        times cheaper than packing each (pyarrow's cost per array)."""
        from .schema import to_table

        out = DocResult()
        out.rows["rejects"] = list(self.rejects)
        for table, tabs in self.packed.items():
            out.packed[table].extend(tabs)
        for table, recs in self.rows.items():
            if recs and table != "rejects":
                out.packed[table].append(to_table(table, recs))
        return out


class ArticleStage(Protocol):
    """A per-article stage: reads the article and the rows earlier stages made for it, returns its
    own rows for table ``table``. A later issue adds a stage (facts, entities, themes) by writing one
    of these and registering its schema in :mod:`pipeline.schema`; nothing else changes."""

    name: str
    table: str

    def __call__(self, article: Article, done: Mapping[str, Sequence[Any]]) -> list[Any]: ...


class Pipeline:
    """The per-document stages with their heavy objects built once.

    Args:
        engine: segmentation engine, ``"rjieba"`` (default) or ``"jieba"`` (the reference).
        rules: layout rules (the packaged ``data/layout.toml`` by default).
        stages: per-article stages run after segmentation, in order; by default
            :meth:`default_stages` (facts; later entities and themes).
    """

    def __init__(
        self,
        *,
        engine: str = "rjieba",
        rules: LayoutRules | None = None,
        stages: Sequence[ArticleStage] | None = None,
    ) -> None:
        self.engine = engine
        self.segmenter = Segmenter(engine=engine)
        self.rules = rules or load_rules()
        self.extra: list[ArticleStage] = list(stages) if stages is not None else self.default_stages()
        self.timings: dict[str, float] = defaultdict(float)

    def default_stages(self) -> list[ArticleStage]:
        """The stages a run uses unless told otherwise, sharing this pipeline's segmenter."""
        from .extract.entities import EntityRecognizer, EntityStage
        from .extract.facts import FactExtractor, FactStage
        from .extract.initiatives import InitiativeStage
        from .themes import load_model

        # entities first: the facts stage reads them to fill facts.place and facts.org; initiatives last,
        # with their facts and themes (the shipped model, loaded once)
        return [
            EntityStage(EntityRecognizer(self.segmenter)),
            FactStage(FactExtractor(self.segmenter)),
            InitiativeStage(load_model(), self.segmenter),
        ]

    def word_join(self, left: str, right: str) -> bool:
        """True when segmenting ``left + right`` puts one word across the join."""
        left = left[-6:]
        cut = len(left)
        return any(t.start < cut < t.end for t in self.segmenter.tokenize(left + right[:6]))

    def _timed(self, stage: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        try:
            return fn()
        finally:
            self.timings[stage] += time.perf_counter() - t0

    def articles(self, doc: RawDocument) -> list[Article]:
        """Clean, repair and split one document into articles (raises on failure)."""
        rules = self.rules
        if doc.kind == "file" and "<" not in doc.text and looks_like_page(doc.text, rules):
            mapped = self._timed("clean", lambda: clean_page(doc))
            page = True
        else:
            mapped = self._timed("clean", lambda: clean_record(doc))
            page = looks_like_page(mapped.text, rules)
        if page:
            layout = self._timed("layout", lambda: repair_page(mapped, self.word_join, rules))
            return self._timed("split", lambda: articles_from_page(doc, layout, self.segmenter.cut, rules))
        blocks = self._timed("layout", lambda: paragraph_blocks(mapped, rules))
        return self._timed("split", lambda: articles_from_record(doc, blocks, rules, self.segmenter.cut))

    def sentences(self, article: Article) -> list[Sentence]:
        """Sentences of an article with their words and offsets."""
        return self._sentences(article, tag=False)[0]

    def _sentences(self, article: Article, tag: bool) -> tuple[list[Sentence], list[tuple[str, str]] | None]:
        """:meth:`sentences`, and with ``tag`` the article's words with their part-of-speech flags, as
        ``segmenter.tag(article.text)`` gives them, made from its sentences' (None where they may differ).

        rjieba tags a text block by block, at characters that are neither ideographs nor letters nor
        digits, and a sentence ends at such a character; so tagging an article equals tagging its sentences
        and the text between them one after the other (checked on every bundled article), and the tags of a
        sentence come with its words (:meth:`Segmenter.cut_and_tag`). Python jieba's tagger is a model of its
        own: there the entity stage tags the article itself."""
        text = article.text
        subs = [(s.start, s.end) for s in article.subheadings]
        seg = self.segmenter
        tagged: list[tuple[str, str]] | None = [] if tag and seg.engine == "rjieba" else None
        pos = 0
        out = []
        for i, (s, e, para) in enumerate(split_sentences(text)):
            kind = "subheading" if any(a <= s and e <= b for a, b in subs) else "body"
            rs, re_ = article.mapped.raw_span(s, e)
            if tagged is not None and s >= pos:
                if s > pos:
                    tagged += seg.tag(text[pos:s])
                words, tags = seg.cut_and_tag(text[s:e])
                tagged += tags
                pos = e
            else:
                words, tagged = seg.cut(text[s:e]), None
            out.append(
                Sentence(
                    article_id=article.article_id,
                    sentence_id=i,
                    paragraph=para,
                    kind=kind,
                    start=s,
                    end=e,
                    raw_start=rs,
                    raw_end=re_,
                    text=text[s:e],
                    tokens=tuple(words),
                )
            )
        if tagged is not None and pos < len(text):
            tagged += seg.tag(text[pos:])
        return out, tagged

    def _sentence_stage(self, article: Article, done: dict[str, Any]) -> list[Sentence]:
        """The sentences; ``done["tagged"]`` is ``(segmenter, tagged words)`` for a later stage that tags the
        article with this same segmenter (the entity stage), or None."""
        sentences, tagged = self._sentences(article, tag=True)
        done["tagged"] = None if tagged is None else (self.segmenter, tagged)
        return sentences

    @property
    def stages(self) -> list[tuple[str, str, Callable[[Article, Mapping[str, Sequence[Any]]], list[Any]]]]:
        """(stage name, table, function) of every per-article stage, in order."""
        return [("segment", "sentences", self._sentence_stage)] + [(st.name, st.table, st) for st in self.extra]

    def process(self, doc: RawDocument) -> DocResult:
        """All per-document stages; a failure becomes a reject, never an exception."""
        res = DocResult()
        stage = "split"
        try:
            arts = self.articles(doc)
            if not arts:
                res.rejects.append(
                    Reject(doc.input_path, doc.line, "split", "no_content", "no text left after cleaning", doc.doc_id)
                )
                return res
            out = DocResult()
            out.rows["articles"].extend(arts)
            for k, art in enumerate(arts):
                done: dict[str, Any] = {"articles": [art], "page": arts}
                for stage, table, fn in self.stages:
                    t0 = time.perf_counter()
                    done[table] = fn(art, done)
                    self.timings[stage] += time.perf_counter() - t0
                    out.rows[table].extend(done[table])
                    if "article_place_path" in done:  # the entities stage found where the article's place is
                        # (and, for an article without one, the place it is about)
                        art = replace(
                            art, place=done.pop("article_place", art.place), place_path=done.pop("article_place_path")
                        )
                        out.rows["articles"][k] = art
                if "article_themes" in done:  # the themes stage's verdict on the whole article
                    themes, scores = done["article_themes"]
                    out.rows["articles"][k] = replace(art, themes=themes, theme_scores=scores)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
            log.debug("document %s failed in %s", doc.doc_id, stage, exc_info=True)
            res.rejects.append(
                Reject(doc.input_path, doc.line, stage, "internal_error", f"{type(exc).__name__}: {exc}", doc.doc_id)
            )
            return res
        return out


def iter_articles(paths: Sequence[str | Path], pipeline: Pipeline | None = None) -> Iterator[Article]:
    """Articles of every document under ``paths`` (library use; rejects are logged and skipped)."""
    pipe = pipeline or Pipeline()
    for path in iter_input_files(paths):
        for item in read_documents(path):
            if isinstance(item, Reject):
                continue
            yield from pipe.articles(item)


@dataclass(slots=True)
class RunConfig:
    inputs: list[str]
    out: str
    force: bool = False
    engine: str = "rjieba"
    batch_size: int = 200
    batch_chars: int = 100_000  # a batch is also written once its documents hold this many characters (memory)
    append: bool = False  # add to an existing output; documents whose doc_id it already holds are skipped
    executor: str = "local"  # "local" (this process and --workers) or "dask" (tasks on a Dask cluster)
    scheduler: str | None = None  # a Dask scheduler's address; None starts a LocalCluster of `workers` processes
    partition_size: int = 50  # documents per Dask task (and per part file)
    workers: int = 1  # processes (0: the machine's cores for inputs of 4 MB or more, else 1); documents are
    # handed out in bounded windows and come back in input order, so the tables are the same whatever the number


@dataclass(slots=True)
class RunSummary:
    documents: int = 0
    articles: int = 0
    sentences: int = 0
    rejects: int = 0
    inputs: int = 0
    seconds: float = 0.0
    rejected_documents: int = 0
    skipped: int = 0  # documents an --append run found already in the output
    skipped_rejects: int = 0  # bad input lines an --append run found already recorded
    rows: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        def n(count: int, one: str, many: str | None = None) -> str:  # 1 entity, 2 entities
            return f"{count} {one if count == 1 else many or one + 's'}"

        extra = "".join(
            f", {n(k, t[:-3] + 'y' if t.endswith('ies') else t[:-1], t)}"
            for t, k in self.rows.items()
            if t not in ("articles", "sentences", "rejects")
        )
        skipped = f" ({self.skipped} already in the output, skipped)" if self.skipped else ""
        if self.skipped_rejects:
            again = f"{n(self.skipped_rejects, 'bad line')} already recorded"
            skipped = f" ({self.skipped} already in the output, skipped; {again})"
        return (
            f"{n(self.inputs, 'input file')}, {n(self.documents, 'document')}{skipped} -> "
            f"{n(self.articles, 'article')}, {n(self.sentences, 'sentence')}{extra}; {self.rejects} rejected; "
            f"{self.seconds:.1f} s"
        )


def _run_dask(
    config: RunConfig,
    pipe: Pipeline,
    items: Iterator[RawDocument | Reject],
    writer: OutputWriter,
    summary: RunSummary,
    workers: int,
    progress: Progress | None,
) -> None:
    """The documents of ``items`` as Dask tasks (see :mod:`pipeline.dask_run`); each partition's tables are
    written as part files of their own, in input order."""
    import pyarrow as pa

    from .dask_run import run_partitions
    from .schema import to_table

    parts = run_partitions(
        items, engine=config.engine, workers=workers, scheduler=config.scheduler, partition_size=config.partition_size
    )
    for index, (docs, rejects, tables, timings, stats) in enumerate(parts):
        if rejects:
            summary.rejects += len(rejects)
            summary.rejected_documents += len(rejects)
            ingest = to_table("rejects", rejects)
            tables = dict(tables)
            tables["rejects"] = pa.concat_tables([ingest, tables["rejects"]]) if "rejects" in tables else ingest
        t1 = time.perf_counter()
        for table, data in tables.items():
            if data.num_rows:
                writer.write_part(table, data, index)
        pipe.timings["write"] += time.perf_counter() - t1
        for k, v in timings.items():
            pipe.timings[k] += v
        for doc, (n_art, n_sent, n_rej, rejected) in zip(docs, stats, strict=True):
            summary.documents += 1
            summary.articles += n_art
            summary.sentences += n_sent
            summary.rejects += n_rej
            summary.rejected_documents += rejected
            if progress is not None:
                progress.update(len(doc.text.encode("utf-8")))


def _known_documents(out: Path) -> set[str]:
    """doc_ids an output already holds (its articles, and the rejects that name one)."""
    import pyarrow.parquet as pq

    ids: set[str] = set()
    for table in ("articles", "rejects"):
        for f in sorted((out / table).glob("*.parquet")) if (out / table).is_dir() else []:
            ids.update(x for x in pq.read_table(f, columns=["doc_id"]).column("doc_id").to_pylist() if x)
    return ids


def _reject_key(r: Reject) -> tuple[str, int | None, str, str | None]:
    return (os.path.realpath(r.input_path), r.line, r.reason, r.doc_id)  # in/a.jsonl and /tmp/in/a.jsonl are one


def _known_rejects(out: Path) -> set[tuple[str, int | None, str, str | None]]:
    """The rejects an output already holds, as :func:`_reject_key` gives them (an input's bad lines are recorded
    once however often it is appended)."""
    import pyarrow.parquet as pq

    keys: set[tuple[str, int | None, str, str | None]] = set()
    for f in sorted((out / "rejects").glob("*.parquet")) if (out / "rejects").is_dir() else []:
        t = pq.read_table(f, columns=["input", "line", "reason", "doc_id"]).to_pydict()
        keys.update(
            (os.path.realpath(p), line, reason, doc)
            for p, line, reason, doc in zip(t["input"], t["line"], t["reason"], t["doc_id"], strict=True)
        )
    return keys


AUTO_WORKERS_BYTES = 4 << 20  # below this, starting worker processes costs more than it saves
_WORKER_PIPE: Pipeline | None = None


# a worker's task: consecutive documents, up to this many or this many characters (packing the rows of several
# documents into Arrow tables at once costs a fraction of packing each, and each task has its own cost)
CHUNK_DOCS = 16
CHUNK_CHARS = 50_000


def _work(docs: list[RawDocument]) -> tuple[list[tuple[list[Reject], dict[str, int]]], DocResult, dict[str, float]]:
    """In a worker process: consecutive documents through the pipeline inherited from the parent (fork) or
    built once by :func:`_init_worker`. Returns each document's rejects and number of rows per table, the
    rows of all of them as Arrow tables (one per table, in document order), and the stage seconds they took
    (making the tables counts as writing)."""
    pipe = _WORKER_PIPE
    assert pipe is not None
    pipe.timings.clear()
    chunk = DocResult()
    per_doc = []
    for doc in docs:
        res = pipe.process(doc)
        per_doc.append((res.rejects, {t: len(r) for t, r in res.rows.items() if t != "rejects" and r}))
        for table, recs in res.rows.items():
            if table != "rejects":
                chunk.rows[table].extend(recs)
    t0 = time.perf_counter()
    packed = chunk.pack()
    pipe.timings["write"] += time.perf_counter() - t0
    return per_doc, packed, dict(pipe.timings)


def _unchunk(
    docs: list[RawDocument], done: tuple[list[tuple[list[Reject], dict[str, int]]], DocResult, dict[str, float]]
) -> Iterator[tuple[RawDocument, DocResult]]:
    """Each document of a worker's task with its own rows: slices (no copy) of the task's tables."""
    per_doc, packed, _ = done
    at: dict[str, int] = defaultdict(int)
    for doc, (rejects, counts) in zip(docs, per_doc, strict=True):
        res = DocResult()
        res.rows["rejects"] = rejects
        for table, n in counts.items():
            res.packed[table].append(packed.packed[table][0].slice(at[table], n))
            at[table] += n
        yield doc, res


def _die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to end this worker when the process that started it (``parent``, by default the current parent)
    ends, however it ends (SIGKILL, the OOM killer): a worker left behind would hold the output folder's lock,
    inherited with its open descriptor, and keep every later run out. Elsewhere nothing is done."""
    if not platform.system() == "Linux":
        return
    parent = os.getppid() if parent is None else parent
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no libc to call: nothing else to do
        return
    if os.getppid() != parent:  # the parent ended before the call took effect (adopted by init or a subreaper)
        os._exit(1)


def _init_worker(engine: str, parent: int | None = None) -> None:
    import signal

    # a forked worker inherits the command's SIGTERM handler, which raises inside the task (and the executor
    # hands that back as a result); a worker ends at once on SIGTERM instead
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    global _WORKER_PIPE
    if _WORKER_PIPE is None:
        _WORKER_PIPE = Pipeline(engine=engine)
        _collect_less()


# generation thresholds of Python's cyclic garbage collector during a run (the default is (700, 10, 10))
GC_THRESHOLDS = (100_000, 50, 1000)


def _collect_less() -> None:
    """Make the cyclic garbage collector run rarely, once the pipeline is loaded. A run allocates millions
    of short-lived objects (tokens, spans, rows) that reference counting frees, and with the default
    thresholds the collector kept walking them and the loaded dictionaries and models: about 2 s of a
    25 s run on the bundled corpus. The price is some memory (peak on a 100 MB input: about 340 -> 364 MiB).
    The loaded objects are frozen (never collected; after a fork the workers share them without copying on a
    collection)."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _processed(
    pipe: Pipeline, items: Iterator[RawDocument | Reject], workers: int
) -> Iterator[tuple[RawDocument | Reject, DocResult | None]]:
    """Each input item with its results, in input order. With ``workers`` > 1 the documents go to a process
    pool in windows of a few per worker, so memory stays bounded however long the input is."""
    if workers <= 1:  # records: run() packs a whole batch into Arrow tables when it writes it
        for item in items:
            yield item, None if isinstance(item, Reject) else pipe.process(item)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_PIPE
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        _WORKER_PIPE = pipe  # the children inherit the loaded pipeline: no second start-up
    window = workers * 4
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_worker, initargs=(pipe.engine, os.getpid())
    ) as ex:
        # tasks (a chunk of documents and its future) and rejects of the input, in input order
        pending: list[tuple[Reject | list[RawDocument], Any]] = []
        chunk: list[RawDocument] = []
        chunk_chars = 0

        def submit() -> None:
            nonlocal chunk, chunk_chars
            if chunk:
                pending.append((chunk, ex.submit(_work, chunk)))
                chunk, chunk_chars = [], 0

        def drain(keep: int) -> Iterator[tuple[RawDocument | Reject, DocResult | None]]:
            while len(pending) > keep:
                task, fut = pending.pop(0)
                if isinstance(task, Reject):
                    yield task, None
                    continue
                done = fut.result()
                for k, v in done[2].items():
                    pipe.timings[k] += v
                yield from _unchunk(task, done)

        try:
            for item in items:
                if isinstance(item, Reject):
                    submit()  # the documents before it first
                    pending.append((item, None))
                else:
                    chunk.append(item)
                    chunk_chars += len(item.text)
                    if len(chunk) >= CHUNK_DOCS or chunk_chars >= CHUNK_CHARS:
                        submit()
                yield from drain(window)
            submit()
            yield from drain(0)
        except BaseException:
            # interrupted (Ctrl-C, SIGTERM), failed, or closed by the caller: end the workers now rather than let
            # them finish the window first. They are killed, not asked (a busy worker may not answer SIGTERM), and
            # the futures are left to the pool, which fails them as broken (cancelling them first made its manager
            # thread die on Python 3.11 and the shutdown wait for ever).
            for proc in list((getattr(ex, "_processes", None) or {}).values()):
                proc.kill()
            raise
    _WORKER_PIPE = None


class Progress(Protocol):
    """What :func:`run` reports progress to (a ``tqdm`` bar fits)."""

    def reset(self, total: float | None = None) -> None: ...
    def update(self, n: float = 1) -> bool | None: ...


def run(config: RunConfig, *, progress: Progress | None = None) -> RunSummary:
    """Run the pipeline over every input and write the tables to ``config.out``.

    Args:
        config: inputs, output folder and options.
        progress: told the total input bytes, then the bytes of each document handled.

    Raises:
        pipeline.ingest.UsageError: an input path does not exist.
        pipeline.writer.OutputExistsError: the output folder is not empty and ``force`` is off.
    """
    t_start = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    files = list(iter_input_files(config.inputs))
    writer = OutputWriter(config.out, force=config.force, append=config.append)
    try:
        seen = _known_documents(Path(config.out)) if config.append else set()
        seen_rejects = _known_rejects(Path(config.out)) if config.append else set()
        total_bytes = sum(p.stat().st_size for p in files)
    except BaseException:
        writer.abort()  # its staging folder and its lock on the output folder
        raise
    summary = RunSummary(inputs=len(files))
    workers = config.workers or ((os.cpu_count() or 1) if total_bytes >= AUTO_WORKERS_BYTES else 1)
    if progress is not None:
        progress.reset(total=total_bytes)
    gc_thresholds = gc.get_threshold()
    try:
        t0 = time.perf_counter()
        pipe = Pipeline(engine=config.engine)
        load_seconds = time.perf_counter() - t0
        _collect_less()
        batch = DocResult()
        n_batch = n_chars = 0

        def flush() -> None:
            nonlocal batch, n_batch, n_chars
            t1 = time.perf_counter()
            batch = batch.pack()  # the records of documents run in this process, all at once
            for table, recs in batch.rows.items():
                writer.write(table, recs)
            for table, tabs in batch.packed.items():
                writer.write_arrow(table, tabs)
            pipe.timings["write"] += time.perf_counter() - t1
            batch, n_batch, n_chars = DocResult(), 0, 0

        input_info = []

        def items() -> Iterator[RawDocument | Reject]:
            for path in files:
                input_info.append({"path": str(path), "bytes": path.stat().st_size, "sha256": file_sha256(path)})
                docs = read_documents(path)
                while True:
                    t1 = time.perf_counter()
                    item = next(docs, None)
                    pipe.timings["ingest"] += time.perf_counter() - t1
                    if item is None:
                        break
                    if isinstance(item, RawDocument) and item.doc_id in seen:
                        summary.skipped += 1  # already in the output (stable ids): not processed again
                        continue
                    if isinstance(item, Reject) and _reject_key(item) in seen_rejects:
                        summary.skipped_rejects += 1  # the same bad line of the same file, recorded before
                        continue
                    if isinstance(item, RawDocument):
                        seen.add(item.doc_id)
                    yield item

        if config.executor == "dask":
            _run_dask(config, pipe, items(), writer, summary, workers, progress)
        for item, res in _processed(pipe, items(), workers) if config.executor != "dask" else ():
            if isinstance(item, Reject):
                batch.rejects.append(item)
                summary.rejects += 1
                summary.rejected_documents += 1
                continue
            # one document's results, in input order whatever the number of workers
            summary.documents += 1
            for r in res.rejects:
                log.warning(
                    "%s%s: %s: %s",
                    item.input_path,
                    f":{item.line}" if item.line else "",
                    r.reason,
                    r.detail,
                )
            summary.articles += res.count("articles")
            summary.sentences += res.count("sentences")
            summary.rejects += len(res.rejects)
            summary.rejected_documents += 1 if res.rejects and not res.count("articles") else 0
            batch.extend(res)
            n_batch += 1
            n_chars += len(item.text)
            if progress is not None:
                progress.update(len(item.text.encode("utf-8")))
            if n_batch >= config.batch_size or n_chars >= config.batch_chars:
                flush()
        flush()
        summary.seconds = time.perf_counter() - t_start
        summary.rows = dict(writer.counts)
        manifest = {
            "govmine_version": __version__,
            "run_id": writer.run_id,
            "started": started,
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": asdict(config) | {"inputs": [str(Path(p)) for p in config.inputs], "workers": workers},
            "inputs": input_info,
            "counts": {
                "input_files": summary.inputs,
                "documents": summary.documents,
                "skipped_documents": summary.skipped,
                "skipped_rejects": summary.skipped_rejects,
                "articles": summary.articles,
                "sentences": summary.sentences,
                "rejects": summary.rejects,
            },
            "rows": dict(writer.counts),
            "timings_seconds": {"load": round(load_seconds, 4)}
            | {k: round(v, 4) for k, v in sorted(pipe.timings.items())}
            | {"total": round(summary.seconds, 4)},
            "environment": {"python": platform.python_version(), "platform": platform.platform()},
        }
        writer.commit(manifest)
    except BaseException:
        writer.abort()
        raise
    finally:
        gc.set_threshold(*gc_thresholds)
        gc.unfreeze()
    return summary
