"""Shared fixtures: the bundled corpus run through the pipeline once per test session."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipeline.ingest import iter_input_files, read_documents
from pipeline.records import Article, RawDocument, Reject, Sentence
from pipeline.run import Pipeline

ROOT = Path(__file__).resolve().parents[1]
# the bundled input documents (corpus/annotations and corpus/gold hold labels, not input)
CORPUS = [ROOT / "corpus" / d for d in ("seed", "news", "reports")]


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
def bundled(pipeline_instance: Pipeline) -> Bundled:
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


# the tests that take longest (seconds on this project's 2-core machine), run first: with `pytest -n 2` (make test)
# one worker retrains the theme model while the other runs the rest, instead of the retraining coming last, alone
LONGEST_FIRST = ("test_training_is_reproducible_and_passes_the_gate",)  # about 250 s alone, 400 s beside the rest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.originalname not in LONGEST_FIRST)  # stable: the rest keep their order
