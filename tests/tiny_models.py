"""A tiny theme pipeline of the shipped model's shape, fitted on a few texts and saved with skops, for the
scorer tests (tests/test_scorer.py, tests/test_perf_scorer.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

# clause texts as pipeline.themes.prepare writes them (words, then the sentence's words marked ctx_)
TEXTS = [
    "设立 “ 红蜂 驿站 ” 31 个 ctx_服务 ctx_外卖 ctx_骑手",
    "建立 网格 党支部 226 个",
    "开展 义诊 活动 ctx_志愿者",
    "推行 “ 未访 （ 诉 ） 先办 ” ctx_矛盾 ctx_调解",
    "精简 社区 工作 事项 超 50%",
    "APP 上线 便民 服务 ctx_12345",
]


def fit_tiny(
    tmp_path: Path,
    texts: Sequence[str],
    labels: np.ndarray,
    word_ngrams: tuple[int, int] = (1, 2),
    **chars: object,
) -> tuple[Any, Path, dict[str, list[str]]]:
    """Fit TF-IDF words + ``char_wb`` n-grams (``chars`` overrides their parameters) into one-vs-rest logistic
    regressions; returns the pipeline, its skops file and its vocabularies (terms in index order)."""
    import skops.io as sio
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    params = dict(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True) | chars
    words = TfidfVectorizer(token_pattern=r"[^ ]+", ngram_range=word_ngrams, sublinear_tf=True)
    pipe = Pipeline(
        [
            ("features", FeatureUnion([("words", words), ("chars", TfidfVectorizer(**params))])),
            ("clf", OneVsRestClassifier(LogisticRegression(C=10.0, solver="liblinear"))),
        ]
    ).fit(list(texts), labels)
    path = tmp_path / "tiny.skops"
    sio.dump(pipe, path)
    vocab = {
        name: sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        for name, vec in pipe.named_steps["features"].transformer_list
    }
    return pipe, path, vocab
