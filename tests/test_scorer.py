"""The fast theme scorer gives the scikit-learn pipeline's probabilities, and refuses what it can't."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tiny_models import TEXTS, fit_tiny

from pipeline.scorer import UnsupportedModel, read_skops_linear
from pipeline.themes import MODEL_DIR, load_model, prepare

ROOT = Path(__file__).resolve().parents[1]


def test_shipped_model_scores_equal_sklearn_on_every_annotated_clause() -> None:
    rows = [json.loads(x) for x in (ROOT / "corpus/annotations/clauses.jsonl").read_text("utf-8").splitlines()]
    docs = prepare([r["text"] for r in rows], None, [r.get("context", "") for r in rows])
    fast, slow = load_model(), load_model(fast=False)
    assert fast.scorer is not None and slow.scorer is None
    a = slow.pipeline.predict_proba(docs)
    b = fast.scorer.proba(docs)
    assert a.shape == b.shape == (len(rows), 10)
    assert np.abs(a - b).max() < 1e-9
    # the same model behind both: the fast one still offers the scikit-learn pipeline
    assert type(fast.pipeline).__name__ == "Pipeline"


def _tiny(tmp_path: Path, **chars: object) -> tuple[object, Path, dict[str, list[str]]]:
    y = np.array([[0, 1], [1, 0], [0, 0], [0, 0], [1, 1], [0, 1]])
    return fit_tiny(tmp_path, TEXTS, y, **chars)


def test_tokenisation_edge_cases_match_sklearn(tmp_path: Path) -> None:
    pipe, path, vocab = _tiny(tmp_path)
    scorer = read_skops_linear(path, vocab)
    docs = [
        "",  # nothing known: the intercepts alone
        "   ",
        "设立 红蜂 驿站",
        "APP 便民 服务",  # lowercased as the vectorizer does
        "网格\t党支部\u3000226 个",  # other whitespace: a word token for one analyzer, a split for the other
        "一 个",  # one-character words: padded n-grams counted once
        "未知 词语 只有 ctx_未知",
        "建立 网格 党支部 226 个 建立 网格 党支部",  # repeated terms: sublinear counts
    ]
    assert np.abs(pipe.predict_proba(docs) - scorer.proba(docs)).max() < 1e-12


@pytest.mark.parametrize(
    "chars",
    [
        {"norm": "l1"},
        {"analyzer": "char"},
        {"lowercase": False},
        {"binary": True},
        {"dtype": np.float32},  # rounds the weights: no longer the same probabilities
    ],
)
def test_other_vectorizers_are_refused(tmp_path: Path, chars: dict[str, object]) -> None:
    _, path, vocab = _tiny(tmp_path, **chars)
    with pytest.raises(UnsupportedModel):
        read_skops_linear(path, vocab)


def test_a_model_the_scorer_refuses_falls_back_to_sklearn(tmp_path: Path) -> None:
    pipe, path, vocab = _tiny(tmp_path, norm="l1")
    d = tmp_path / "model"
    d.mkdir()
    path.rename(d / "model.skops")
    meta = json.loads((MODEL_DIR / "meta.json").read_text("utf-8"))
    meta["article"]["article_weight"] = 0.0  # the directory has no article-level models
    del meta["files"]
    import skops.io as sio

    meta["trusted_types"] = sio.get_untrusted_types(file=d / "model.skops")
    (d / "meta.json").write_text(json.dumps(meta), "utf-8")
    (d / "vocabulary.json").write_text(json.dumps(vocab, ensure_ascii=False), "utf-8")
    m = load_model(d)
    assert m.scorer is None
    assert m.proba_words([["建立", "网格", "党支部"]]) == pipe.predict_proba(["建立 网格 党支部"]).tolist()


def test_contexts_read_once_give_the_joined_documents_scores(tmp_path: Path) -> None:
    pipe, path, vocab = _tiny(tmp_path)
    scorer = read_skops_linear(path, vocab)
    texts = ["设立 红蜂 驿站 31 个", "建立 网格", "", "网格 党支部", "APP 服务", "一"]
    ctxs = ["ctx_服务 ctx_外卖", "ctx_服务 ctx_外卖", "ctx_志愿者", "", "ctx_12345 ctx_APP", "ctx_服务 ctx_外卖"]
    joined = [f"{t} {c}" if c else t for t, c in zip(texts, ctxs, strict=True)]
    assert np.abs(pipe.predict_proba(joined) - scorer.proba(texts, ctxs)).max() < 1e-12
    # the bigram across the join counts: 个 ctx_服务 is a feature of the first document
    assert "个 ctx_服务" in vocab["words"]


def test_pipeline_words_path_equals_sklearn_on_annotated_clauses() -> None:
    from pipeline.themes import _segmenter

    rows = [json.loads(x) for x in (ROOT / "corpus/annotations/clauses.jsonl").read_text("utf-8").splitlines()]
    seg = _segmenter()
    words = [seg.cut(r["text"]) for r in rows]
    ctx = [seg.cut(r["context"]) if r.get("context") else () for r in rows]
    fast, slow = load_model(), load_model(fast=False)
    a = np.array(fast.proba_words(words, ctx))
    b = np.array(slow.proba_words(words, ctx))
    assert np.abs(a - b).max() < 1e-9


def test_an_archive_of_another_shape_is_refused_not_a_crash(tmp_path: Path) -> None:
    import zipfile

    _, path, vocab = _tiny(tmp_path)
    bad = tmp_path / "renamed.skops"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "schema.json":
                data = data.replace(b'"_tfidf"', b'"_tfidf_renamed"')
            dst.writestr(item, data)
    with pytest.raises(UnsupportedModel):
        read_skops_linear(bad, vocab)
    with pytest.raises(UnsupportedModel):
        read_skops_linear(path, {"chars": vocab["chars"]})  # a vectorizer missing from vocabulary.json
