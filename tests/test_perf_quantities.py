"""The quantity scan's shortcuts (jump to a number's first character, unit look-up by first character, quotes
found only when needed) give exactly what the plain scan gives."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.extract.quantities import QuantityGrammar, _numbers, extract_quantities, load_grammar
from pipeline.ingest import read_documents
from pipeline.records import RawDocument

ROOT = Path(__file__).resolve().parents[1]

TEXTS = [
    "",
    "收益3万余元，党的建设考核指标精减近 7 成",
    "７５．９４％的居民，1,234户，1.23万亩，5.6亿元，8万多件，3个多小时，两个多月",
    "百分之五，三分之一，百分之７．５，一百零五名，十余名，上万名，千条线，万人空巷",
    "2024年10月23日，第一，16号线，“六个一”，1+3+N，5G，G20，PM2.5，数十个，招募一名网格员",
    "一格一员，两企三新，四议两公开，三必访三服务，五部门，100万千瓦以上",
    "“红蜂驿站”31个，共吸引辖区 113位女性加入；‘3个’「5家」",
    "9" * 400 + "元，" + "一" * 50 + "个",
    "数字末尾12",
    "亿",
]


def _plain(g: QuantityGrammar) -> QuantityGrammar:
    return replace(g, number_start=None, unit_first=None)


def _corpus_texts() -> list[str]:
    out = [(ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt").read_text("utf-8")]
    for n, doc in enumerate(read_documents(ROOT / "corpus" / "news" / "xwlb_governance.jsonl")):
        if n == 30:
            break
        if isinstance(doc, RawDocument):
            out.append(doc.text)
    return out


def test_the_grammar_has_its_shortcuts() -> None:
    g = load_grammar()
    assert g.number_start is not None and g.unit_first is not None
    assert g == _plain(g)  # the shortcuts take no part in comparing grammars


@pytest.mark.parametrize("text", TEXTS)
def test_numbers_are_the_matches_of_finditer(text: str) -> None:
    g = load_grammar()
    got = [(m.span(), m.groupdict()) for m in _numbers(text, g)]
    assert got == [(m.span(), m.groupdict()) for m in g.number.finditer(text)]
    assert [m.span() for m in _numbers(text, _plain(g))] == [s for s, _ in got]


def test_every_first_character_begins_a_number() -> None:
    g = load_grammar()
    chars = "0123456789０１２３４５６７８９" + "".join(g.digits) + "".join(g.cn_units) + "".join(g.magnitudes)
    for c in chars:
        assert g.number_start.fullmatch(c) and g.number.match(c), c


@pytest.mark.parametrize("text", TEXTS)
def test_quantities_equal_the_plain_scan(text: str) -> None:
    g = load_grammar()
    assert extract_quantities(text, g) == extract_quantities(text, _plain(g))


def test_quantities_of_corpus_articles_equal_the_plain_scan() -> None:
    g = load_grammar()
    plain = _plain(g)
    n = 0
    for text in _corpus_texts():
        for line in text.splitlines():
            got = extract_quantities(line, g)
            assert got == extract_quantities(line, plain)
            n += len(got)
    assert n > 100
