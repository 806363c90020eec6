"""MappedText keeps every clean span traceable to the raw input, however many edits compose."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.textmap import AlignmentError, MappedText

RAW = "<p>回民区&ldquo;红蜂驿站&rdquo;31个</p>\r\n<p>设立\r\n完成</p>"


def _clean(raw: str) -> MappedText:
    m = MappedText.identity(raw)
    m = m.sub(r"\r\n", "\n")
    m = m.sub(r"<[^>]*>", "")
    m = m.sub(r"&ldquo;", "“").sub(r"&rdquo;", "”")
    return m


def test_textmap_linear_segments_copy_raw() -> None:
    m = _clean(RAW)
    assert m.text == "回民区“红蜂驿站”31个\n设立\n完成"
    for seg in m.segments:
        if seg.linear:
            assert RAW[seg.raw_start : seg.raw_end] == m.text[seg.start : seg.end]


def test_textmap_entity_maps_to_whole_entity() -> None:
    m = _clean(RAW)
    i = m.text.index("“")
    rs, re_ = m.raw_span(i, i + 1)
    assert RAW[rs:re_] == "&ldquo;"
    j = m.text.index("红蜂驿站")
    rs, re_ = m.raw_span(j - 1, j + 5)
    assert RAW[rs:re_] == "&ldquo;红蜂驿站&rdquo;"


def test_textmap_slice_and_concat_keep_raw_offsets() -> None:
    m = _clean(RAW)
    a = m.slice(0, 3)
    b = m.slice(m.text.index("设立"), m.text.index("设立") + 2)
    c = MappedText.concat([a, b], sep="")
    assert c.text == "回民区设立"
    rs, re_ = c.raw_span(3, 5)
    assert RAW[rs:re_] == "设立"
    rs, re_ = c.raw_span(0, 5)
    assert RAW[rs:re_].startswith("回民区") and RAW[rs:re_].endswith("设立")


def test_textmap_rejects_overlapping_edits() -> None:
    m = MappedText.identity("abcdef")
    with pytest.raises(AlignmentError):
        m.edit([(0, 3, "x"), (2, 4, "y")])
    with pytest.raises(AlignmentError):
        m.raw_span(3, 99)


def test_textmap_rows_round_trip() -> None:
    m = _clean(RAW)
    back = MappedText.from_rows(m.text, m.to_rows())
    assert [back.raw_span(i, j) for i in range(len(m)) for j in range(i, len(m) + 1, 3)] == [
        m.raw_span(i, j) for i in range(len(m)) for j in range(i, len(m) + 1, 3)
    ]


_TAG = re.compile(r"<[^>]*>")
_chunks = st.lists(
    st.one_of(
        st.text(alphabet="网格员楼栋长2399人，。“”abc \n", min_size=1, max_size=8),
        st.sampled_from(["<p>", "</p>", "<br>", "&ldquo;", "&rdquo;", "&nbsp;", "\r\n", "  "]),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None)
@given(_chunks, st.data())
def test_textmap_property_raw_slice_equals_surface(chunks: list[str], data: st.DataObject) -> None:
    """For any span of the cleaned text, the raw slice with markup and whitespace removed, and
    entities decoded, equals the span with whitespace removed."""
    raw = "".join(chunks)
    m = MappedText.identity(raw).sub(r"\r\n", "\n").sub(_TAG, "").sub("&ldquo;", "“").sub("&rdquo;", "”")
    m = m.sub("&nbsp;", " ").sub(r"[ \t]+", " ")
    n = len(m.text)
    start = data.draw(st.integers(0, n))
    end = data.draw(st.integers(start, n))
    rs, re_ = m.raw_span(start, end)
    assert 0 <= rs <= re_ <= len(raw)

    def norm(s: str) -> str:
        s = _TAG.sub("", s).replace("&ldquo;", "“").replace("&rdquo;", "”").replace("&nbsp;", " ")
        return re.sub(r"\s+", "", s)

    assert norm(raw[rs:re_]) == norm(m.text[start:end])
