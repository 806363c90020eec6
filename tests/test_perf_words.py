"""Scoring texts as word lists (no join, lowercase and split again) gives the same bits as scoring the
joined texts, and theme scores rounded at C speed equal Python's ``round(p, 4)``."""

from __future__ import annotations

import struct

import numpy as np

from pipeline.extract.initiatives import round_scores
from pipeline.themes import join_words, load_model

WORDS = [
    [],
    ["设立", "“", "红蜂", "驿站", "”", "31", "个"],
    ["APP", "便民", "服务", "App", "app"],
    ["网格\t党支部", "\u3000", "226", "个"],  # other whitespace inside a word, a whitespace-only word
    ["", "建立", "", "网格"],  # empty words
    [" ", "\n", "\t"],
    ["ΣΑΣ", "ΟΔΟΣ", "İstanbul"],  # final sigma and a capital whose lowercase is longer
    ["一", "个", "一", "个"],
]
CONTEXTS = [
    (),
    ("服务", "外卖", "骑手"),
    ("", "12345", "ΟΔΟΣ"),
    ("矛盾", " ", "调解"),
    ("网格",),
    (),
    ("ΣΑΣ",),
    ("",),
]


def _joined(model, words, contexts):
    docs = [join_words(ws) for ws in words]
    marked = [" ".join("ctx_" + w for w in c if not w.isspace()) for c in contexts]
    return model.scorer.proba(docs, marked)


def test_word_lists_score_as_joined_texts() -> None:
    model = load_model()
    assert model.scorer is not None
    got = model.scorer.proba_words(WORDS, CONTEXTS, prefix="ctx_")
    assert np.array_equal(got, _joined(model, WORDS, CONTEXTS))
    # one by one, and again once every token is in the table
    for ws, c in zip(WORDS, CONTEXTS, strict=True):
        assert np.array_equal(model.scorer.proba_words([ws], [c], prefix="ctx_"), _joined(model, [ws], [c]))
    assert np.array_equal(model.scorer.proba_words(WORDS, CONTEXTS, prefix="ctx_"), got)


def test_shared_context_and_word_with_space() -> None:
    model = load_model()
    shared = ("网格", "服务")
    words = [["建立", "网格"], ["设立", "驿站"], ["a b", "网格"]]  # a word holding a space is two tokens
    contexts = [shared, shared, ("ctx", "c d")]
    got = model.scorer.proba_words(words, contexts, prefix="ctx_")
    assert np.array_equal(got, _joined(model, words, contexts))
    assert model.proba_words(words, contexts) == got.tolist()


def _bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_round_scores_equals_round() -> None:
    rng = np.random.default_rng(7)
    halves = (np.arange(0, 10001) + 0.5) / 1e4
    values = np.concatenate(
        [
            rng.random(200_000),
            rng.random(20_000) * 2e6 - 1e6,
            halves,
            np.nextafter(halves, 2.0),
            np.nextafter(halves, -2.0),
            [0.0, -0.0, 1.0, 0.03125, 0.00005, 0.00015, 1e300, -1e-300, 5e-324, np.inf, -np.inf],
        ]
    )
    rows = values.reshape(-1, 1).tolist()
    got = round_scores(rows)
    assert [_bits(r[0]) for r in got] == [_bits(round(v[0], 4)) for v in rows]
    nan = round_scores([[float("nan"), 0.5]])[0]
    assert nan[0] != nan[0] and nan[1] == 0.5
    assert round_scores([]) == []
