"""find_initiatives' fast paths: clause cuts read only the marks that matter, sentences without an action word
are skipped, and the words given for a sentence are read at their offsets in the text."""

from __future__ import annotations

import random

import pytest

from pipeline.extract.initiatives import _BREAK, _OPEN, _clauses, find_initiatives
from pipeline.segment import Segmenter, split_sentences


def _clauses_by_scan(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause cuts by reading every character (the definition _clauses implements)."""
    out = []
    begin = start
    closing: list[str] = []
    for i in range(start, end):
        ch = text[i]
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _OPEN and len(closing) < 4:
            closing.append(_OPEN[ch])
        elif ch in _BREAK and not closing:
            if i + 1 > begin:
                out.append((begin, i + 1))
            begin = i + 1
    if begin < end:
        out.append((begin, end))
    return out


def test_clause_cuts_equal_a_scan_of_every_character() -> None:
    rng = random.Random(20261127)
    alphabet = "".join(sorted(_BREAK | set(_OPEN) | set(_OPEN.values()))) + "设立驿站服务ab1 "
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts.append("在全区设立“红蜂驿站”31个，服务骑手3000余人次；推行“未访（诉）先办”。")
    for text in texts:
        for start, end in ((0, len(text)), (min(3, len(text)), max(min(3, len(text)), len(text) - 2))):
            assert _clauses(text, start, end) == _clauses_by_scan(text, start, end)
    text = texts[-1]
    assert [text[a:b] for a, b in _clauses(text, 0, len(text))] == [
        "在全区设立“红蜂驿站”31个，",
        "服务骑手3000余人次；",
        "推行“未访（诉）先办”。",
    ]


@pytest.fixture(scope="module")
def seg() -> Segmenter:
    return Segmenter()


TEXT = (
    "在全区设立“红蜂驿站”31个，服务骑手3000余人次。今年以来，社区开展义诊活动12场。\n"
    "天气晴朗。推行“未访（诉）先办”工作法，化解矛盾纠纷210件；组建志愿服务队，招募志愿者“银发先锋”86名。"
)


def test_given_words_or_own_segmentation_give_the_same_initiatives(seg: Segmenter) -> None:
    own = find_initiatives(TEXT, seg)
    sentences = [(s, e, seg.cut(TEXT[s:e])) for s, e, _ in split_sentences(TEXT)]
    given = find_initiatives(TEXT, sentences=sentences)
    assert given == own
    assert [(i.action, i.name) for i in own] == [
        ("设立", "红蜂驿站"),
        ("开展", None),
        ("推行", "未访（诉）先办"),
        ("组建", None),
        ("招募", "银发先锋"),
    ]
    assert own[1].text == "社区开展义诊活动12场" and own[3].text == "组建志愿服务队"
    first = own[0]
    assert TEXT[first.start : first.end] == first.text == "在全区设立“红蜂驿站”31个，服务骑手3000余人次"
    assert first.words == tuple(seg.cut("在全区设立“红蜂驿站”31个，服务骑手3000余人次"))
    # words that are not the text at their offsets are read from the text (only their lengths count)
    masked = [(s, e, ["某" * len(w) for w in ws]) for s, e, ws in sentences]
    assert find_initiatives(TEXT, sentences=masked) == own
    # a sentence with no action word gives nothing, whatever its clauses
    assert find_initiatives("天气晴朗，气温适宜。", seg) == []
