"""Provenance on the whole bundled corpus: every span's text is its surface, and its raw slice, with
whitespace and markup removed, is the same text."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.textmap import MappedText

_MARKUP = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
_INVISIBLE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff\x00-\x1f\x7f]+")


def norm_raw(raw: str) -> str:
    """Raw input with markup removed, entities decoded and whitespace dropped."""
    return _INVISIBLE.sub("", html.unescape(_MARKUP.sub("", raw)))


def norm_clean(text: str) -> str:
    return _INVISIBLE.sub("", text)


def test_offsets_bundled_corpus_has_no_rejects(bundled) -> None:
    assert bundled.rejects == []
    assert len(bundled.docs) == 2046
    assert len(bundled.articles) == 2051  # 2045 records, one article each, and the six of the seed page


def test_offsets_every_sentence_is_its_surface(bundled) -> None:
    texts = {a.article_id: a.text for a in bundled.articles}
    docs = {a.article_id: bundled.docs[a.doc_id].text for a in bundled.articles}
    assert len(bundled.sentences) > 90_000
    for s in bundled.sentences:
        assert texts[s.article_id][s.start : s.end] == s.text
        assert "".join(s.tokens) == s.text
        assert norm_raw(docs[s.article_id][s.raw_start : s.raw_end]) == norm_clean(s.text), s


def test_offsets_article_parts_are_their_surface(bundled) -> None:
    for a in bundled.articles:
        raw = bundled.docs[a.doc_id].text
        spans = list(a.subheadings) + ([a.dateline] if a.dateline else [])
        for sp in spans:
            assert a.text[sp.start : sp.end] == sp.text
            assert norm_raw(raw[sp.raw_start : sp.raw_end]) == norm_clean(sp.text)
        for b in a.byline:
            assert a.text[b.start : b.end] == b.name
            assert norm_raw(raw[b.raw_start : b.raw_end]) == b.name
        for seg in a.mapped.segments:  # linear pieces are exact copies of the raw input
            if seg.linear:
                assert raw[seg.raw_start : seg.raw_end] == a.text[seg.start : seg.end]


def test_offsets_map_survives_parquet_round_trip(bundled) -> None:
    from pipeline.schema import to_table

    arts = bundled.articles[:40]
    rows = to_table("articles", arts).to_pylist()
    for a, row in zip(arts, rows, strict=True):
        back = MappedText.from_rows(row["text"], row["offset_map"])
        n = len(a.text)
        for i in range(0, n, max(1, n // 50)):
            assert back.raw_span(i, min(n, i + 7)) == a.mapped.raw_span(i, min(n, i + 7))


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_offsets_property_random_spans_within_a_paragraph(bundled, data) -> None:
    a = data.draw(st.sampled_from(bundled.articles))
    raw = bundled.docs[a.doc_id].text
    lines = a.text.split("\n")
    k = data.draw(st.integers(0, len(lines) - 1))
    line_start = sum(len(x) + 1 for x in lines[:k])
    n = len(lines[k])
    i = data.draw(st.integers(0, n))
    j = data.draw(st.integers(i, n))
    start, end = line_start + i, line_start + j
    rs, re_ = a.mapped.raw_span(start, end)
    assert 0 <= rs <= re_ <= len(raw)
    assert norm_raw(raw[rs:re_]) == norm_clean(a.text[start:end])
