"""The Arrow schemas of every output table, declared in one place, and the record -> row converters.

Each table is a Parquet dataset folder ``DIR/<table>/`` of part files. A later stage adds a table by
adding a schema and a converter here and registering it in :data:`TABLES`; nothing else changes.
All offsets are character offsets (Python ``str`` indices): ``start``/``end`` into ``articles.text``,
``raw_start``/``raw_end`` into the raw input document (the decoded ``.txt`` file, or the ``text``
field of the JSONL record), half-open.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

import pyarrow as pa

from .records import Article, EntityRecord, FactRecord, Reject, Sentence

__all__ = [
    "ARTICLES",
    "SENTENCES",
    "REJECTS",
    "TABLES",
    "INITIATIVES",
    "article_row",
    "sentence_row",
    "reject_row",
    "to_table",
]

SCHEMA_VERSION = 4  # 3: place_path, province, city, county; 4: initiatives.status

_SPAN = pa.struct(
    [
        ("text", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("raw_start", pa.int64()),
        ("raw_end", pa.int64()),
    ]
)
_BYLINE = pa.struct(
    [
        ("name", pa.string()),
        ("role", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("raw_start", pa.int64()),
        ("raw_end", pa.int64()),
    ]
)
_SEGMENT = pa.struct(
    [
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("raw_start", pa.int64()),
        ("raw_end", pa.int64()),
        ("linear", pa.bool_()),
    ]
)


def _meta(desc: str) -> dict[bytes, bytes]:
    return {b"description": desc.encode("utf-8")}


_THEME_SCORE = pa.struct([pa.field("theme", pa.string()), pa.field("score", pa.float32())])

ARTICLES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False, metadata=_meta("doc_id#ordinal, stable across runs")),
        pa.field("doc_id", pa.string(), nullable=False, metadata=_meta("input id, else sha256 of the raw text")),
        pa.field(
            "ordinal",
            pa.int32(),
            nullable=False,
            metadata=_meta("1-based position of the article in its document"),
        ),
        pa.field("input", pa.string(), metadata=_meta("path of the input file")),
        pa.field("line", pa.int32(), metadata=_meta("1-based JSONL line; null for a .txt file")),
        pa.field("source", pa.string()),
        pa.field("title", pa.string(), metadata=_meta("the record's title field, as given")),
        pa.field("url", pa.string()),
        pa.field("section", pa.string(), metadata=_meta("page and column labels, ' / '-joined")),
        pa.field("headline", pa.string()),
        pa.field("headline_raw_start", pa.int64(), metadata=_meta("raw span of a headline printed on the page")),
        pa.field("headline_raw_end", pa.int64()),
        pa.field("kicker", pa.string(), metadata=_meta("place printed beside the headline (金润社区)")),
        pa.field("subheadings", pa.list_(pa.string())),
        pa.field("subheading_spans", pa.list_(_SPAN)),
        pa.field("byline", pa.list_(pa.string()), metadata=_meta("names of reporters, correspondents, interns")),
        pa.field("byline_detail", pa.list_(_BYLINE)),
        pa.field("dateline", _SPAN, metadata=_meta("本报讯（记者 …） at the start of the text")),
        pa.field("place", pa.string(), metadata=_meta("main locality")),
        pa.field("place_path", pa.string(), metadata=_meta("the place's full path: 内蒙古自治区/呼和浩特市/回民区")),
        pa.field("province", pa.string(), metadata=_meta("province of place_path (北京市 for 北京市/通州区)")),
        pa.field("city", pa.string(), metadata=_meta("city of place_path (a municipality is its own city)")),
        pa.field("county", pa.string(), metadata=_meta("county-level unit of place_path (区, 县, 县级市, 旗)")),
        pa.field("date", pa.string(), metadata=_meta("ISO date or year, from the record or the text")),
        pa.field("text", pa.string(), nullable=False, metadata=_meta("clean text: paragraphs joined by \\n")),
        pa.field("n_chars", pa.int32(), nullable=False),
        pa.field("raw_start", pa.int64(), metadata=_meta("raw span the article text came from")),
        pa.field("raw_end", pa.int64()),
        pa.field("offset_map", pa.list_(_SEGMENT), metadata=_meta("segments mapping text back to raw offsets")),
        pa.field("encoding", pa.string()),
        pa.field("metadata", pa.string(), metadata=_meta("other record fields, as JSON")),
        pa.field("themes", pa.list_(pa.string()), metadata=_meta("the article's main governance themes")),
        pa.field("theme_scores", pa.list_(_THEME_SCORE), metadata=_meta("score of every theme (0-1)")),
    ],
    metadata={b"govmine.table": b"articles", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)

SENTENCES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("sentence_id", pa.int32(), nullable=False, metadata=_meta("0-based, in reading order")),
        pa.field("paragraph", pa.int32(), nullable=False),
        pa.field("kind", pa.string(), nullable=False, metadata=_meta("body | subheading")),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("raw_start", pa.int64(), nullable=False),
        pa.field("raw_end", pa.int64(), nullable=False),
        pa.field("text", pa.string(), nullable=False),
        pa.field("tokens", pa.list_(pa.string()), metadata=_meta("jieba words; joined they give text")),
    ],
    metadata={b"govmine.table": b"sentences", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)

FACTS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field(
            "fact_id", pa.string(), nullable=False, metadata=_meta("article_id/n, n counting facts in text order")
        ),
        pa.field(
            "sentence_id", pa.int32(), nullable=False, metadata=_meta("the sentence (sentences table) holding it")
        ),
        pa.field("value", pa.float64(), nullable=False, metadata=_meta("normalised: 万 x1e4, 亿 x1e8, 成 -> %")),
        pa.field("unit", pa.string(), nullable=False, metadata=_meta("normalised unit: 元, 亩, %, 个, 人 …")),
        pa.field(
            "value_max", pa.float64(), metadata=_meta("a range's upper end (2—3个: value 2, value_max 3); else null")
        ),
        pa.field(
            "qualifier", pa.string(), nullable=False, metadata=_meta("exact|approx|over|under|at_least|at_most|range")
        ),
        pa.field("kind", pa.string(), nullable=False, metadata=_meta("count|money|area|weight|length|…|percent")),
        pa.field("entity", pa.string(), nullable=False, metadata=_meta("what is counted; empty when not found")),
        pa.field("entity_start", pa.int64()),
        pa.field("entity_end", pa.int64()),
        pa.field("surface", pa.string(), nullable=False, metadata=_meta("number and unit as printed")),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("raw_start", pa.int64(), nullable=False),
        pa.field("raw_end", pa.int64(), nullable=False),
        pa.field("number", pa.string(), metadata=_meta("the number as printed (1.23万)")),
        pa.field("unit_text", pa.string(), metadata=_meta("the unit as printed")),
        pa.field("qualifier_text", pa.string(), metadata=_meta("the word that set the qualifier (近, 余, 超过)")),
        pa.field(
            "place", pa.string(), metadata=_meta("nearest place named before it in its sentence, else the article's")
        ),
        pa.field("place_path", pa.string(), metadata=_meta("the place's full path: 内蒙古自治区/呼和浩特市/回民区")),
        pa.field("province", pa.string(), metadata=_meta("province of place_path (北京市 for 北京市/通州区)")),
        pa.field("city", pa.string(), metadata=_meta("city of place_path (a municipality is its own city)")),
        pa.field("county", pa.string(), metadata=_meta("county-level unit of place_path (区, 县, 县级市, 旗)")),
        pa.field("org", pa.string(), metadata=_meta("nearest organisation named before it in its sentence")),
        pa.field("sentence", pa.string(), nullable=False),
        pa.field("link_id", pa.string(), metadata=_meta("facts linked together share it")),
        pa.field("link_role", pa.string(), metadata=_meta("from|to (由…至…), total|part|rate (a rate and its parts)")),
        pa.field("check_status", pa.string(), metadata=_meta("ok|mismatch: does part/total give the printed rate")),
        pa.field("check_detail", pa.string(), metadata=_meta("the arithmetic: 400/415 = 96.39% vs 96.4%")),
    ],
    metadata={b"govmine.table": b"facts", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)

ENTITIES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("entity_id", pa.string(), nullable=False, metadata=_meta("article_id/eN, in text order")),
        pa.field("text", pa.string(), nullable=False),
        pa.field("label", pa.string(), nullable=False, metadata=_meta("PERSON | PLACE | ORG | PROGRAMME")),
        pa.field("subtype", pa.string(), metadata=_meta("PLACE: admin|road|landmark|compound|region; ORG: suffix")),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("raw_start", pa.int64(), nullable=False),
        pa.field("raw_end", pa.int64(), nullable=False),
        pa.field("normalized", pa.string(), metadata=_meta("full path of a place: 内蒙古自治区/呼和浩特市/回民区")),
        pa.field("rule", pa.string(), nullable=False, metadata=_meta("the rule or lexicon that fired")),
    ],
    metadata={b"govmine.table": b"entities", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)

INITIATIVES = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("initiative_id", pa.string(), nullable=False, metadata=_meta("article_id/iN, in text order")),
        pa.field("name", pa.string(), metadata=_meta("the quoted programme name in it (红蜂驿站), if any")),
        pa.field("name_start", pa.int64()),
        pa.field("name_end", pa.int64()),
        pa.field("action", pa.string(), nullable=False, metadata=_meta("the action word: 建立 设立 开展 …")),
        pa.field(
            "status",
            pa.string(),
            nullable=False,
            metadata=_meta(
                "reported (done or under way) | planned (a plan or decided task) | urged (a call on others)"
            ),
        ),
        pa.field("object", pa.string(), metadata=_meta("what the action is done to, up to the clause's end")),
        pa.field("text", pa.string(), nullable=False, metadata=_meta("the clauses of the initiative")),
        pa.field("start", pa.int64(), nullable=False),
        pa.field("end", pa.int64(), nullable=False),
        pa.field("raw_start", pa.int64(), nullable=False),
        pa.field("raw_end", pa.int64(), nullable=False),
        pa.field("sentence_start", pa.int64(), nullable=False),
        pa.field("sentence_end", pa.int64(), nullable=False),
        pa.field("place", pa.string(), metadata=_meta("nearest place before it in its sentence, else the article's")),
        pa.field("place_path", pa.string(), metadata=_meta("the place's full path: 内蒙古自治区/呼和浩特市/回民区")),
        pa.field("province", pa.string(), metadata=_meta("province of place_path (北京市 for 北京市/通州区)")),
        pa.field("city", pa.string(), metadata=_meta("city of place_path (a municipality is its own city)")),
        pa.field("county", pa.string(), metadata=_meta("county-level unit of place_path (区, 县, 县级市, 旗)")),
        pa.field("fact_ids", pa.list_(pa.string()), metadata=_meta("facts inside its span")),
        pa.field("themes", pa.list_(pa.string()), metadata=_meta("themes whose score reaches their threshold")),
        pa.field("theme_scores", pa.list_(_THEME_SCORE)),
    ],
    metadata={b"govmine.table": b"initiatives", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)

REJECTS = pa.schema(
    [
        pa.field("input", pa.string(), nullable=False),
        pa.field("line", pa.int32()),
        pa.field("doc_id", pa.string()),
        pa.field("stage", pa.string(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
    ],
    metadata={b"govmine.table": b"rejects", b"govmine.schema_version": str(SCHEMA_VERSION).encode()},
)


def _span_row(s: Any) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"text": s.text, "start": s.start, "end": s.end, "raw_start": s.raw_start, "raw_end": s.raw_end}


def article_row(a: Article) -> dict[str, Any]:
    n = len(a.text)
    raw_start, raw_end = a.mapped.raw_span(0, n) if n else (None, None)
    return {
        "article_id": a.article_id,
        "doc_id": a.doc_id,
        "ordinal": a.ordinal,
        "input": a.input_path,
        "line": a.line,
        "source": a.source,
        "title": a.title,
        "url": a.url,
        "section": a.section,
        "headline": a.headline,
        "headline_raw_start": a.headline_raw[0] if a.headline_raw else None,
        "headline_raw_end": a.headline_raw[1] if a.headline_raw else None,
        "kicker": a.kicker,
        "subheadings": [s.text for s in a.subheadings],
        "subheading_spans": [_span_row(s) for s in a.subheadings],
        "byline": [b.name for b in a.byline],
        "byline_detail": [
            {
                "name": b.name,
                "role": b.role,
                "start": b.start,
                "end": b.end,
                "raw_start": b.raw_start,
                "raw_end": b.raw_end,
            }
            for b in a.byline
        ],
        "dateline": _span_row(a.dateline),
        "place": a.place,
        "place_path": a.place_path,
        "province": a.province,
        "city": a.city,
        "county": a.county,
        "date": a.date,
        "text": a.text,
        "n_chars": n,
        "raw_start": raw_start,
        "raw_end": raw_end,
        "offset_map": a.mapped.to_rows(),
        "encoding": a.encoding,
        "metadata": json.dumps(a.metadata, ensure_ascii=False, sort_keys=True, default=str),
        "themes": list(a.themes),
        "theme_scores": [{"theme": c, "score": v} for c, v in a.theme_scores],
    }


def initiative_row(r: Any) -> dict[str, Any]:
    i = r.initiative
    return {
        "article_id": r.article_id,
        "initiative_id": r.initiative_id,
        "name": i.name,
        "name_start": i.name_start,
        "name_end": i.name_end,
        "action": i.action,
        "status": i.status,
        "object": i.object,
        "text": i.text,
        "start": i.start,
        "end": i.end,
        "raw_start": r.raw_start,
        "raw_end": r.raw_end,
        "sentence_start": i.sentence_start,
        "sentence_end": i.sentence_end,
        "place": r.place,
        "place_path": r.place_path,
        "province": r.province,
        "city": r.city,
        "county": r.county,
        "fact_ids": list(r.fact_ids),
        "themes": list(r.themes),
        "theme_scores": [{"theme": c, "score": v} for c, v in r.theme_scores],
    }


def sentence_row(s: Sentence) -> dict[str, Any]:
    return {
        "article_id": s.article_id,
        "sentence_id": s.sentence_id,
        "paragraph": s.paragraph,
        "kind": s.kind,
        "start": s.start,
        "end": s.end,
        "raw_start": s.raw_start,
        "raw_end": s.raw_end,
        "text": s.text,
        "tokens": list(s.tokens),
    }


def fact_row(r: FactRecord) -> dict[str, Any]:
    f = r.fact
    return {
        "article_id": r.article_id,
        "fact_id": r.fact_id,
        "sentence_id": f.sentence_id,
        "value": f.value,
        "value_max": f.value_max,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "kind": f.kind,
        "entity": f.entity,
        "entity_start": f.entity_start,
        "entity_end": f.entity_end,
        "surface": f.surface,
        "start": f.start,
        "end": f.end,
        "raw_start": r.raw_start,
        "raw_end": r.raw_end,
        "number": f.number,
        "unit_text": f.unit_text,
        "qualifier_text": f.qualifier_text,
        "place": r.place,
        "place_path": r.place_path,
        "province": r.province,
        "city": r.city,
        "county": r.county,
        "org": r.org,
        "sentence": r.sentence,
        "link_id": f.link_id,
        "link_role": f.link_role,
        "check_status": f.check_status,
        "check_detail": f.check_detail,
    }


def entity_row(r: EntityRecord) -> dict[str, Any]:
    m = r.mention
    return {
        "article_id": r.article_id,
        "entity_id": r.entity_id,
        "text": m.text,
        "label": m.label,
        "subtype": m.subtype,
        "start": m.start,
        "end": m.end,
        "raw_start": r.raw_start,
        "raw_end": r.raw_end,
        "normalized": m.normalized,
        "rule": m.rule,
    }


def reject_row(r: Reject) -> dict[str, Any]:
    return {
        "input": r.input_path,
        "line": r.line,
        "doc_id": r.doc_id,
        "stage": r.stage,
        "reason": r.reason,
        "detail": r.detail,
    }


# table name -> (schema, row converter); the writer and the driver iterate over this.
TABLES: dict[str, tuple[pa.Schema, Callable[[Any], dict[str, Any]]]] = {
    "articles": (ARTICLES, article_row),
    "sentences": (SENTENCES, sentence_row),
    "facts": (FACTS, fact_row),
    "entities": (ENTITIES, entity_row),
    "initiatives": (INITIATIVES, initiative_row),
    "rejects": (REJECTS, reject_row),
}


# The tables whose every column is one attribute of the record (a path, as operator.attrgetter reads it): the
# same values as the table's row converter gives (tuples are read as lists, a (theme, score) pair as the
# struct), so :func:`to_table` builds these tables column by column, without a dict per row (several times
# faster on the big tables). tests/test_perf_pack.py checks both ways give equal tables.
COLUMNS: dict[str, dict[str, str]] = {
    "sentences": {
        "article_id": "article_id",
        "sentence_id": "sentence_id",
        "paragraph": "paragraph",
        "kind": "kind",
        "start": "start",
        "end": "end",
        "raw_start": "raw_start",
        "raw_end": "raw_end",
        "text": "text",
        "tokens": "tokens",
    },
    "facts": {
        "article_id": "article_id",
        "fact_id": "fact_id",
        "raw_start": "raw_start",
        "raw_end": "raw_end",
        "place": "place",
        "place_path": "place_path",
        "province": "province",
        "city": "city",
        "county": "county",
        "org": "org",
        "sentence": "sentence",
    }
    | {
        c: f"fact.{c}"
        for c in (
            "sentence_id",
            "value",
            "value_max",
            "unit",
            "qualifier",
            "kind",
            "entity",
            "entity_start",
            "entity_end",
            "surface",
            "start",
            "end",
            "number",
            "unit_text",
            "qualifier_text",
            "link_id",
            "link_role",
            "check_status",
            "check_detail",
        )
    },
    "entities": {"article_id": "article_id", "entity_id": "entity_id", "raw_start": "raw_start", "raw_end": "raw_end"}
    | {c: f"mention.{c}" for c in ("text", "label", "subtype", "start", "end", "normalized", "rule")},
    "initiatives": {
        "article_id": "article_id",
        "initiative_id": "initiative_id",
        "raw_start": "raw_start",
        "raw_end": "raw_end",
        "place": "place",
        "place_path": "place_path",
        "province": "province",
        "city": "city",
        "county": "county",
        "fact_ids": "fact_ids",
        "themes": "themes",
        "theme_scores": "theme_scores",
    }
    | {
        c: f"initiative.{c}"
        for c in (
            "name",
            "name_start",
            "name_end",
            "action",
            "status",
            "object",
            "text",
            "start",
            "end",
            "sentence_start",
            "sentence_end",
        )
    },
    "rejects": {
        "input": "input_path",
        "line": "line",
        "doc_id": "doc_id",
        "stage": "stage",
        "reason": "reason",
        "detail": "detail",
    },
}


def to_table(name: str, records: Iterable[Any]) -> pa.Table:
    """Records of one table as an Arrow table with the declared schema (column by column where the table is
    in :data:`COLUMNS`, else through its row converter)."""
    schema, conv = TABLES[name]
    attrs = COLUMNS.get(name)
    if attrs is None:
        return pa.Table.from_pylist([conv(r) for r in records], schema=schema)
    paths = [attrs[n] for n in schema.names]
    # one pass over the records reads every column (a tuple per record), then zip turns rows into columns
    get = attrgetter(*paths)
    rows = list(map(get, records)) if len(paths) > 1 else [(v,) for v in map(get, records)]
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in paths]
    return pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(cols, schema, strict=True)], schema=schema)
