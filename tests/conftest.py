"""Shared fixtures: the bundled corpus run through the pipeline once per test session."""

from __future__ import annotations

import gc
import os
import pickle
import shutil
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pytest

from pipeline.ingest import iter_input_files, read_documents
from pipeline.records import Article, RawDocument, Reject, Sentence
from pipeline.run import Pipeline

ROOT = Path(__file__).resolve().parents[1]
# the bundled input documents (corpus/annotations and corpus/gold hold labels, not input)
CORPUS = [ROOT / "corpus" / d for d in ("seed", "news", "reports")]

T = TypeVar("T")


class SessionShared:
    """Work done once per test session however many pytest-xdist workers run it (pytest-xdist's "Making
    session-scoped fixtures execute only once"): the first worker to ask does it under a file lock in the
    session's temporary folder, which every worker sees; the others wait for the lock and reuse the result.
    Without xdist (``-n 0``) the work is simply done. A worker that fails leaves no result: the next one to ask
    does the work again (and fails the same way), as each worker did before on its own."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        self.factory = factory
        # a worker's temporary folder is <the session's>/popen-gwN
        self.root = factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else None

    @contextmanager
    def _lock(self, name: str) -> Iterator[None]:
        import fcntl  # POSIX; the lock goes with the process if it dies

        assert self.root is not None
        with open(self.root / f"{name}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def value(self, name: str, make: Callable[[], T]) -> T:
        """``make()``, handed to the other workers as a pickle (an equal copy of it)."""
        if self.root is None:
            return make()
        path = self.root / f"{name}.pickle"
        with self._lock(name):
            if path.exists():
                enabled = gc.isenabled()
                gc.disable()  # unpickling millions of small objects is twice as fast without collections
                try:
                    return pickle.loads(path.read_bytes())
                finally:
                    if enabled:
                        gc.enable()
            value = make()
            if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "2")) > 1:  # another worker may ask for it
                try:
                    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception as exc:  # noqa: BLE001 - then each worker makes its own, as before
                    warnings.warn(f"{name} is made by each worker: it cannot be pickled ({exc})", stacklevel=2)
                    return value
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                tmp.replace(path)
            return value

    def folder(self, name: str, make: Callable[[Path], None]) -> Path:
        """A new folder that ``make(folder)`` fills (the other workers only read it)."""
        if self.root is None:
            folder = self.factory.mktemp(name)
            make(folder)
            return folder
        folder, done = self.root / name, self.root / f"{name}.done"
        with self._lock(name):
            if not done.exists():
                if folder.exists():  # left half-made by a worker that failed
                    shutil.rmtree(folder)
                folder.mkdir()
                make(folder)
                done.touch()
        return folder


@pytest.fixture(scope="session")
def session_shared(tmp_path_factory: pytest.TempPathFactory) -> SessionShared:
    return SessionShared(tmp_path_factory)


@dataclass
class Bundled:
    """Every document of corpus/ with the articles and sentences the pipeline made of it."""

    docs: dict[str, RawDocument] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


@pytest.fixture(scope="session")
def pipeline_instance() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="session")
def bundled(request: pytest.FixtureRequest, session_shared: SessionShared) -> Bundled:
    # made once per session (about a minute), whichever pytest-xdist worker asks first; the others load its pickle
    # (a few seconds), an equal copy: the same documents, articles, sentences and rejects in the same order
    def make() -> Bundled:
        pipeline_instance: Pipeline = request.getfixturevalue("pipeline_instance")
        out = Bundled()
        for path in iter_input_files(CORPUS):
            for item in read_documents(path):
                if isinstance(item, Reject):
                    out.rejects.append(item)
                    continue
                out.docs[item.doc_id] = item
                res = pipeline_instance.process(item)
                out.articles += res.articles
                out.sentences += res.sentences
                out.rejects += res.rejects
        return out

    return session_shared.value("bundled", make)


# the tests that take longest (seconds on this project's 2-core machine), run first: with `pytest -n 2` (make test)
# one worker retrains the theme model while the other runs the rest, instead of the retraining coming last, alone
# (with --dist worksteal, which make test passes, the other worker also takes the tests queued behind the retraining)
LONGEST_FIRST = ("test_training_is_reproducible_and_passes_the_gate",)  # about 250 s alone, 400 s beside the rest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.originalname not in LONGEST_FIRST)  # stable: the rest keep their order
