"""DuckDB over a run's output: the tables of ``OUT`` as views, named queries, and result formatting.

    >>> from pipeline.query import connect
    >>> con = connect("outputs/bundled")
    >>> con.sql("SELECT label, count(*) FROM entities GROUP BY label").fetchall()

Every table of :data:`pipeline.schema.TABLES` becomes a view of the same name over its Parquet part files
(``OUT/facts/*.parquet`` …); a table with no rows yet (``rejects`` of a clean run) is an empty view with the
declared columns, so queries never fail on a missing file. ``govmine query OUT "SQL"`` runs one statement;
``--preset NAME`` runs one of :data:`PRESETS` (``--list`` shows them).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schema import TABLES

__all__ = ["PRESETS", "Preset", "QueryError", "connect", "format_table", "run_query"]


class QueryError(ValueError):
    """A query that cannot run: a missing output folder, a bad statement. The message is one line."""


@dataclass(frozen=True)
class Preset:
    description: str
    sql: str


def _new_employment_words() -> str:
    """A regular expression of the words that name the new-employment groups: the theme's cue words
    (``data/themes.toml``) and 新就业形态."""
    import re
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("pipeline.data").joinpath("themes.toml").read_text("utf-8"))
    cues = next(t["cues"] for t in data["theme"] if t["code"] == "new_employment")
    return "|".join(re.escape(w) for w in [*cues, "新就业形态"])


PRESETS: dict[str, Preset] = {
    "facts-by-place": Preset(
        "facts per place (facts with no place left out): how many, in how many articles, what they count",
        """
        SELECT place, count(*) AS facts, count(DISTINCT article_id) AS articles,
               string_agg(DISTINCT entity, '、' ORDER BY entity) FILTER (WHERE entity <> '') AS entities
        FROM facts WHERE place IS NOT NULL GROUP BY 1 ORDER BY facts DESC, place LIMIT 50
        """,
    ),
    "themes-by-place": Preset(
        "initiatives per place and theme (initiatives with no place left out)",
        """
        SELECT place, theme, count(*) AS initiatives
        FROM (SELECT place, unnest(themes) AS theme FROM initiatives WHERE place IS NOT NULL)
        GROUP BY 1, 2 ORDER BY initiatives DESC, place, theme LIMIT 100
        """,
    ),
    "themes-by-county": Preset(
        "initiatives per county-level unit (区, 县, 县级市, 旗) and theme, with its city and province",
        """
        SELECT province, city, county, theme, count(*) AS initiatives
        FROM (SELECT province, city, county, unnest(themes) AS theme FROM initiatives WHERE county IS NOT NULL)
        GROUP BY ALL ORDER BY initiatives DESC, province, city, county, theme LIMIT 100
        """,
    ),
    "themes-by-province": Preset(
        "initiatives per province and theme (a city's or county's initiatives count for its province)",
        """
        SELECT province, theme, count(*) AS initiatives, count(DISTINCT article_id) AS articles
        FROM (SELECT province, article_id, unnest(themes) AS theme FROM initiatives WHERE province IS NOT NULL)
        GROUP BY ALL ORDER BY initiatives DESC, province, theme LIMIT 100
        """,
    ),
    "new-employment": Preset(
        "initiatives for riders, couriers and drivers per province: the new_employment theme where the clause names "
        "them (the theme alone also takes general employment in work reports)",
        f"""
        SELECT province, count(*) AS initiatives, count(DISTINCT article_id) AS articles,
               array_to_string(list(text ORDER BY length(text), text)[1:3], '；') AS shortest
        FROM initiatives
        WHERE list_contains(themes, 'new_employment') AND province IS NOT NULL
          AND regexp_matches(text, '{_new_employment_words()}')
        GROUP BY 1 ORDER BY initiatives DESC, province LIMIT 50
        """,
    ),
    "programme-counts": Preset(
        "named programmes: mentions, articles, and what was counted for them (红蜂驿站 71个 …)",
        """
        WITH m AS (
            SELECT text AS programme, count(*) AS mentions, count(DISTINCT article_id) AS articles
            FROM entities WHERE label = 'PROGRAMME' GROUP BY 1
        ), c AS (
            SELECT e.text AS programme, f.unit, sum(f.value) AS total
            FROM (SELECT DISTINCT article_id, text FROM entities WHERE label = 'PROGRAMME') e
            JOIN facts f ON f.article_id = e.article_id AND f.entity LIKE '%' || e.text || '%'
            WHERE f.kind = 'count'
            GROUP BY 1, 2
        ), c2 AS (
            SELECT programme, string_agg(
                format('{}{}', CASE WHEN total = floor(total) THEN CAST(total AS BIGINT)::VARCHAR
                                    ELSE round(total, 2)::VARCHAR END, unit), '、' ORDER BY total DESC) AS counted
            FROM c GROUP BY 1
        )
        SELECT m.programme, m.mentions, m.articles, c2.counted
        FROM m LEFT JOIN c2 USING (programme) ORDER BY m.mentions DESC, m.programme LIMIT 50
        """,
    ),
    "inconsistent-facts": Preset(
        "rates that do not follow from their parts (check_status = 'mismatch')",
        """
        SELECT article_id, surface, entity, check_detail, sentence
        FROM facts WHERE check_status = 'mismatch' ORDER BY article_id, start
        """,
    ),
}


def connect(out: str | Path, con: Any = None) -> Any:
    """A DuckDB connection (in memory, or ``con``) with the tables of ``out`` as views.

    Raises:
        QueryError: ``out`` is not the output folder of a run.
    """
    import duckdb
    import pyarrow as pa

    root = Path(out)
    if not root.is_dir():
        raise QueryError(f"{root}: no such output folder")
    if not any((root / t).is_dir() for t in TABLES) and not (root / "manifest.json").is_file():
        raise QueryError(f"{root}: not the output of a govmine run (no table folders, no manifest.json)")
    con = con or duckdb.connect()
    parts: dict[str, list[str]] = {}
    manifest = root / "manifest.json"
    if manifest.is_file():  # the manifest lists the parts of finished runs; anything else is an orphan
        try:
            m = json.loads(manifest.read_text(encoding="utf-8"))
        except ValueError:
            raise QueryError(f"{manifest}: not valid JSON") from None
        if not isinstance(m, dict) or not isinstance(m.get("parts") or {}, dict):
            raise QueryError(f"{manifest}: not a govmine manifest (a JSON object with a parts object)")
        parts = m.get("parts") or {}
    for name, (schema, _) in TABLES.items():
        files = sorted((root / name).glob("*.parquet")) if (root / name).is_dir() else []
        if name in parts:
            listed = set(parts[name])
            files = [f for f in files if f.name in listed]
            if len(files) < len(listed):  # a part the manifest names is gone: its rows would silently be missing
                missing = sorted(listed - {f.name for f in files})
                raise QueryError(
                    f"{root / name}: {len(missing)} part file(s) the manifest lists are missing ({missing[0]} …); "
                    "rerun into this folder with --force"
                )
        if files:
            paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
            try:
                con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet([{paths}])")
            except duckdb.Error as exc:  # a damaged or foreign part file
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise QueryError(f"{root / name}: cannot read its part files ({first})") from None
        else:
            empty = pa.Table.from_pylist([], schema=schema)
            con.register(f"_{name}_empty", empty)
            con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM _{name}_empty")
    return con


def run_query(out: str | Path, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of one SQL statement over the tables of ``out``.

    Raises:
        QueryError: the folder is not a run's output, or DuckDB refused the statement (first line of its
            message).
    """
    import duckdb

    con = connect(out)
    try:
        rel = con.sql(sql)
        if rel is None:
            return [], []
        return list(rel.columns), rel.fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"SQL: {_first_line(str(exc))}") from None


def _first_line(msg: str) -> str:
    lines = [ln.strip() for ln in msg.splitlines() if ln.strip()]
    return " ".join(lines[:2]) if lines else "error"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in s)


def _cell(v: Any, limit: int) -> str:
    if v is None:
        s = ""
    elif isinstance(v, float):
        s = f"{v:.15g}"  # every digit a count or a sum has (5563813109, not 5.56381e+09)
    elif isinstance(v, (list, tuple, dict)):
        s = json.dumps(v, ensure_ascii=False, default=str)
    else:
        s = str(v)
    s = s.replace("\n", " ")
    if _width(s) > limit:
        out, w = [], 0
        for c in s:
            w += _width(c)
            if w > limit - 1:
                break
            out.append(c)
        s = "".join(out) + "…"
    return s


def format_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], *, max_width: int = 40) -> str:
    """An aligned text table (CJK characters count as two columns)."""
    cells = [[_cell(v, max_width) for v in r] for r in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(vals: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - _width(v)) for i, v in enumerate(vals)).rstrip()

    out = [line(list(columns)), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """Rows as ``csv`` or ``json`` (one JSON object per line) text."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(
                [
                    "" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                    for v in r
                ]
            )
        return buf.getvalue()
    if fmt == "json":
        return "".join(
            json.dumps(dict(zip(columns, r, strict=True)), ensure_ascii=False, default=str) + "\n" for r in rows
        )
    raise ValueError(f"unknown format {fmt!r}")


def write_parquet(out: str | Path, sql: str, path: str | Path) -> int:
    """Write the result of ``sql`` to a Parquet file (atomically); returns the number of rows."""
    import os
    import tempfile

    import duckdb

    con = connect(out)
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=f".{target.name}.")
    os.close(fd)
    try:
        rel = con.sql(sql)
        if rel is None:
            raise QueryError("SQL: the statement returns no rows to write")
        rel.write_parquet(tmp)
        n = con.sql(f"SELECT count(*) FROM read_parquet('{tmp}')").fetchall()[0][0]
        os.replace(tmp, target)
        return int(n)
    except duckdb.Error as exc:
        raise QueryError(f"SQL: {_first_line(str(exc))}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
