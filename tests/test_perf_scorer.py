"""The vectorised theme scorer (token table, one sparse product per batch) gives the same probabilities as
scikit-learn, and the same bits whether documents come in a batch or one by one, with or without contexts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_models import TEXTS as TINY_TEXTS
from tiny_models import fit_tiny

from pipeline import scorer as scorer_module
from pipeline.scorer import read_skops_linear
from pipeline.themes import load_model, prepare

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [*TINY_TEXTS, "网格 服务 网格 服务 ctx_网格"]
LABELS = np.array([[0, 1], [1, 0], [0, 0], [0, 0], [1, 1], [0, 1], [1, 0]])

# documents that exercise the token table: other whitespace inside a word token, capitals, repeats, one
# character words, unknown words, nothing at all
DOCS = [
    "",
    "   ",
    "设立 红蜂 驿站",
    "APP 便民 服务",
    "网格\t党支部\u3000226 个",
    "一 个",
    "未知 词语 只有 ctx_未知",
    "建立 网格 党支部 226 个 建立 网格 党支部",
    "  网格  服务  ",
]
CONTEXTS = [
    "ctx_服务 ctx_外卖",
    "",
    "ctx_服务 ctx_外卖",
    "ctx_12345 ctx_APP",
    "ctx_网格",
    "ctx_服务 ctx_外卖",
    "",
    "",
    " ",
]


def _fit(tmp_path: Path, word_ngrams: tuple[int, int] = (1, 2)) -> tuple[object, Path, dict[str, list[str]]]:
    return fit_tiny(tmp_path, TEXTS, LABELS, word_ngrams=word_ngrams, sublinear_tf=True)


def _joined(docs: list[str], contexts: list[str]) -> list[str]:
    return [f"{d} {c}" if c else d for d, c in zip(docs, contexts, strict=True)]


def test_token_table_scores_equal_sklearn(tmp_path: Path) -> None:
    pipe, path, vocab = _fit(tmp_path)
    scorer = read_skops_linear(path, vocab)
    assert all(v.per_token for v in scorer.vectorizers)
    expected = pipe.predict_proba(DOCS)
    assert np.abs(scorer.proba(DOCS) - expected).max() < 1e-12
    # the bigram across the join of a document and its context counts, as in the joined text
    assert "个 ctx_服务" in vocab["words"]
    joined = _joined(DOCS, CONTEXTS)
    got = scorer.proba(DOCS, CONTEXTS)
    assert np.abs(got - pipe.predict_proba(joined)).max() < 1e-12
    # contexts read apart give the very bits of the joined documents
    assert np.array_equal(got, scorer.proba(joined))


def test_batches_and_single_documents_give_the_same_bits() -> None:
    rows = [json.loads(x) for x in (ROOT / "corpus/annotations/clauses.jsonl").read_text("utf-8").splitlines()][:300]
    docs = prepare([r["text"] for r in rows])
    ctxs = [" ".join("ctx_" + w for w in c.split(" ") if w) for c in prepare([r.get("context", "") for r in rows])]
    scorer = load_model().scorer
    assert scorer is not None
    batch = scorer.proba(docs, ctxs)
    assert batch.shape == (300, 10)
    one_by_one = np.vstack([scorer.proba([d], [c]) for d, c in zip(docs, ctxs, strict=True)])
    assert np.array_equal(batch, one_by_one)
    # a fresh scorer (empty token table) reads them the same
    assert np.array_equal(load_model().scorer.proba(docs, ctxs), batch)


def test_a_full_token_table_starts_again_with_the_same_scores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pipe, path, vocab = _fit(tmp_path)
    scorer = read_skops_linear(path, vocab)
    first = scorer.proba(DOCS, CONTEXTS)
    monkeypatch.setattr(scorer_module, "TOKEN_CACHE", 3)
    tables = []
    for _ in range(3):
        assert np.array_equal(scorer.proba(DOCS, CONTEXTS), first)
        assert scorer._table is not None and len(scorer._table.index) > 3  # it filled up: the next call starts again
        tables.append(scorer._table)
    assert tables[0] is not tables[1] and tables[1] is not tables[2]


def test_word_trigrams_are_counted_document_by_document(tmp_path: Path) -> None:
    pipe, path, vocab = _fit(tmp_path, word_ngrams=(1, 3))
    scorer = read_skops_linear(path, vocab)
    words, chars = scorer.vectorizers
    assert not words.per_token and chars.per_token and not scorer.joins_contexts
    assert np.abs(scorer.proba(DOCS) - pipe.predict_proba(DOCS)).max() < 1e-12
    joined = _joined(DOCS, CONTEXTS)
    assert np.abs(scorer.proba(DOCS, CONTEXTS) - pipe.predict_proba(joined)).max() < 1e-12
