"""The records that flow between stages: frozen, slotted dataclasses.

A stage reads some of these and produces others; nothing else is passed around. The Arrow schemas that
store them live in :mod:`pipeline.schema`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .textmap import MappedText

__all__ = [
    "RawDocument",
    "Span",
    "BylineName",
    "Article",
    "Sentence",
    "Token",
    "Reject",
    "FactRecord",
    "EntityRecord",
    "InitiativeRecord",
    "place_levels",
]


_NO_LEVELS: tuple[None, None, None] = (None, None, None)
_LEVELS: dict[str, tuple[str | None, str | None, str | None]] = {}


def place_levels(path: str | None) -> tuple[str | None, str | None, str | None]:
    """(province, city, county) of a place's full path (:meth:`pipeline.gazetteer.Gazetteer.levels`, with the
    packaged gazetteer); all None without a path or without the gazetteer."""
    if not path:
        return _NO_LEVELS
    hit = _LEVELS.get(path)
    if hit is None:
        from .gazetteer import GazetteerError, load_gazetteer

        try:
            hit = _LEVELS[path] = load_gazetteer().levels(path)
        except GazetteerError:  # no packaged gazetteer: the path alone, no levels
            return _NO_LEVELS
    return hit


class _Levels:
    """``province``, ``city`` and ``county`` of a record's ``place_path``, for grouping at one level."""

    __slots__ = ()
    place_path: str | None

    @property
    def province(self) -> str | None:
        return place_levels(self.place_path)[0]

    @property
    def city(self) -> str | None:
        return place_levels(self.place_path)[1]

    @property
    def county(self) -> str | None:
        return place_levels(self.place_path)[2]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document as read, before any cleaning.

    ``text`` is the raw input that every ``raw_start``/``raw_end`` offset refers to: the whole decoded
    file for a ``.txt`` input, the ``text`` field of the record for a ``.jsonl`` line.
    """

    doc_id: str
    input_path: str
    line: int | None  # 1-based line of a JSONL record; None for a whole file
    text: str
    kind: str  # "file" (one .txt) or "record" (one JSONL line)
    encoding: str = "utf-8"
    source: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of an article's text: ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class BylineName:
    """A person named in a byline, with the role printed before the name."""

    name: str
    role: str  # 记者 | 通讯员 | 实习记者 | 见习记者 | 特约记者 | 摄影 | 编辑 | ...
    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class Article(_Levels):
    """One article: clean text plus where it came from.

    ``mapped`` maps ``text`` back to the raw input of document ``doc_id``; ``headline_raw`` is the raw
    span of a headline printed away from the body (None when the headline came from the record).
    """

    article_id: str
    doc_id: str
    ordinal: int
    input_path: str
    line: int | None
    source: str | None
    section: str | None
    headline: str | None
    headline_raw: tuple[int, int] | None
    kicker: str | None
    subheadings: tuple[Span, ...]
    byline: tuple[BylineName, ...]
    dateline: Span | None
    place: str | None
    date: str | None
    url: str | None
    title: str | None  # the record's own title field, as given
    encoding: str | None
    mapped: MappedText
    metadata: dict[str, Any] = field(default_factory=dict)
    themes: tuple[str, ...] = ()  # the article's main themes (set by the themes stage)
    theme_scores: tuple[tuple[str, float], ...] = ()  # (theme code, score) for every theme
    place_path: str | None = None  # the place's full path (set by the entities stage): 北京市/通州区

    @property
    def text(self) -> str:
        return self.mapped.text


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a sentence, offsets into the article text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or a subheading, or a dateline) of an article with its words."""

    article_id: str
    sentence_id: int
    paragraph: int
    kind: str  # "body" | "subheading"
    start: int
    end: int
    raw_start: int
    raw_end: int
    text: str
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reject:
    """A document (or part of one) the run could not use, and why."""

    input_path: str
    line: int | None
    stage: str  # "ingest" | "decode" | "parse" | "clean" | "layout" | "split" | "segment" | ...
    reason: str  # short machine-friendly code: empty_file, binary_file, undecodable, bad_json, no_text, ...
    detail: str
    doc_id: str | None = None


@dataclass(frozen=True, slots=True)
class FactRecord(_Levels):
    """A fact placed in its article: the row of the ``facts`` table.

    ``fact`` offsets are into the article text; ``raw_start``/``raw_end`` locate its surface in the raw input.
    """

    article_id: str
    fact_id: str
    fact: Any  # pipeline.extract.facts.Fact (kept untyped here to avoid an import cycle)
    raw_start: int
    raw_end: int
    place: str | None
    sentence: str
    org: str | None = None
    place_path: str | None = None  # the place's full path: 内蒙古自治区/呼和浩特市/回民区


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A mention placed in its article: the row of the ``entities`` table."""

    article_id: str
    entity_id: str
    mention: Any  # pipeline.extract.entities.Mention
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class InitiativeRecord(_Levels):
    """An initiative placed in its article: the row of the ``initiatives`` table."""

    article_id: str
    initiative_id: str
    initiative: Any  # pipeline.extract.initiatives.Initiative
    raw_start: int
    raw_end: int
    place: str | None
    fact_ids: tuple[str, ...]
    themes: tuple[str, ...]
    theme_scores: tuple[tuple[str, float], ...]
    place_path: str | None = None  # the place's full path: 内蒙古自治区/呼和浩特市/回民区
