"""Properties of the extractors on any string: they never raise, and every offset points at its text."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.extract import FactExtractor, extract_quantities  # noqa: E402

# Pieces the grammar reacts to: digits and their separators, Chinese numerals, magnitudes, units,
# qualifiers, exclusion contexts, quotes, brackets, list and clause punctuation, whitespace.
PIECES = [
    *"0123456789",
    "１２",
    "．",
    ",",
    ".",
    "1,234",
    "3.5",
    "75.94％",
    *"零一二两三四五六七八九十百千万亿",
    "个",
    "人",
    "名",
    "元",
    "万元",
    "亿元",
    "亩",
    "%",
    "％",
    "成",
    "项",
    "户",
    "个多小时",
    "余",
    "多",
    "来",
    "约",
    "近",
    "超过",
    "不超过",
    "以上",
    "左右",
    "上",
    "第",
    "数",
    "百分之",
    "分之",
    "年",
    "月",
    "日",
    "号",
    "由",
    "至",
    "从",
    "到",
    "完成",
    "完成率达",
    "同比增长",
    "的",
    "等",
    "和",
    "网格员",
    "党小组",
    "社区",
    "“",
    "”",
    "‘",
    "’",
    "「",
    "」",
    "《",
    "》",
    "（",
    "）",
    "(",
    ")",
    "+",
    "、",
    "，",
    "。",
    "；",
    "：",
    "！",
    " ",
    "\u3000",
    "\xa0",
    "\n",
    "\t",
    "G",
    "a",
]

# st.text() leaves out lone surrogates (category Cs); they have their own test below.
mixed = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)
anything = st.text(max_size=80)
texts = st.one_of(mixed, anything, st.text(alphabet="".join(p for p in PIECES if len(p) == 1), max_size=80))

PROFILE = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def extractor() -> FactExtractor:
    return FactExtractor()


@PROFILE
@given(text=texts)
def test_extract_quantities_never_raises_and_offsets_hold(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.surface
        assert q.surface
        assert q.surface.startswith(q.number) or q.unit_text == "百分之" or q.unit_text == "分之"
        if q.qualifier_start is not None:
            assert text[q.qualifier_start : q.qualifier_end] == q.qualifier_text


@PROFILE
@given(text=texts)
def test_extract_facts_never_raises_and_offsets_hold(extractor: FactExtractor, text: str) -> None:
    facts = extractor.extract(text)
    for f in facts:
        assert text[f.start : f.end] == f.surface
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
        if f.entity_start is not None:
            assert text[f.entity_start : f.entity_end] == f.entity
        else:
            assert f.entity == ""
    assert [f.start for f in facts] == sorted(f.start for f in facts)


# A str may hold lone surrogates (json.loads of "\\ud800", errors="surrogateescape"); the quantity scan reads
# them, and the segmenter hands them to rjieba as U+FFFD, offsets unchanged.
LONE_SURROGATES = ["党员\ud80032人", "网格员\udcff5名", "\ud800"]


@pytest.mark.parametrize("text", LONE_SURROGATES)
def test_extract_quantities_lone_surrogates(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.surface


@pytest.mark.parametrize("text", LONE_SURROGATES)
def test_extract_facts_lone_surrogates(extractor: FactExtractor, text: str) -> None:
    for f in extractor.extract(text):
        assert text[f.start : f.end] == f.surface


# A run of digits too long for a float (float("1" * 400) == inf) is not a quantity.
@pytest.mark.parametrize("text", ["1" * 400 + "个", "9" * 309 + "万元"])
def test_extract_quantities_value_is_finite(text: str) -> None:
    for q in extract_quantities(text):
        assert math.isfinite(q.value)


# An entity names what a number counts; it is never a number of the text itself. Found by hypothesis:
# after skipping the next quantity (63支622人的“青城义警”队伍) the look-ahead ran into a third one.
@pytest.mark.parametrize("text", ["1元2元三户", "5名32人三户"])
def test_extract_facts_entity_is_never_a_quantity(extractor: FactExtractor, text: str) -> None:
    facts = extractor.extract(text)
    assert facts
    for f in facts:
        if f.entity_start is not None and f.entity_end is not None:
            assert all(f.entity_end <= g.start or g.end <= f.entity_start for g in facts), f
