"""The HTML report of a run: one self-contained file to look at what a run found.

    >>> from pipeline.report import write_report
    >>> write_report("outputs/bundled", "outputs/bundled/report.html")

The report reads the run only through :func:`pipeline.query.connect` and holds, in one HTML file that needs no
network to view (scripts and styles inlined):

* an overview: documents, articles, facts, entities, initiatives, rejects and the run's manifest;
* plotly charts (plotly.js inlined once): themes of initiatives by province (by county when the run spans fewer
  than three provinces), facts per theme, what was counted where (红蜂驿站 by district …), in a CJK font stack;
  clicking a bar filters the facts table on what the chart grouped (province, county or place);
* a facts table (Tabulator, vendored in ``data/report/``): search box, header sort, client-side pages; a row
  opens its article;
* article views rendered in the browser from embedded JSON: the repaired text with facts, entities and
  initiatives marked (displaCy's look), headline, byline, place, date, themes with scores, and the facts stage's
  rate checks;
* the rejects with their reasons.

Scale: the data is embedded as gzip + base64 JSON that the browser decodes with its native ``DecompressionStream``.
Charts count every row (aggregated in DuckDB); the facts table holds at most :attr:`ReportLimits.max_facts` facts
(in article order) and the embedded article text is kept under :attr:`ReportLimits.text_budget` bytes: the
sentences holding the table's facts always, then full texts in article order while they fit. An article over the
budget shows its fact sentences only, with a note. Every span is checked (``text[start:end] == surface``) before it
is embedded; one that fails is not marked and is counted in the report.
"""

from __future__ import annotations

import base64
import gzip
import html
import json
import logging
import re
import time
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from . import __version__

__all__ = [
    "FONT_STACK",
    "ReportError",
    "ReportLimits",
    "ReportSummary",
    "build_report",
    "write_report",
]

log = logging.getLogger(__name__)

# Fonts that render Chinese on Linux (fonts-noto-cjk, fonts-wqy-microhei), Windows and macOS, in that order.
FONT_STACK = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", '
    '"PingFang SC", "Hiragino Sans GB", sans-serif'
)
ENTITY_LABELS = ("PERSON", "PLACE", "ORG", "PROGRAMME")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_MARKER = re.compile(r"\{\{([A-Z_]+)\}\}")


class ReportError(ValueError):
    """A report that cannot be made: no such run, an unreadable manifest. The message is one line."""


@dataclass(frozen=True, slots=True)
class ReportLimits:
    """What the report embeds at most, so that a large run still opens in a browser in seconds.

    Attributes:
        max_facts: facts in the facts table (the first ones in article order); charts count all facts.
        text_budget: bytes of UTF-8 article text embedded (the fact sentences first, then full texts).
        max_rejects: rejects listed (all are counted).
        max_counted: counted things (entity and unit) offered in the "counted where" chart.
    """

    max_facts: int = 100_000
    text_budget: int = 16 * 2**20
    max_rejects: int = 10_000
    max_counted: int = 1000


@dataclass(frozen=True, slots=True)
class ReportSummary:
    """What a report holds and what it cost."""

    path: Path
    bytes: int
    seconds: float
    articles: int
    facts: int
    facts_in_table: int
    full_texts: int
    sentence_only: int
    skipped_spans: int

    def line(self) -> str:
        return (
            f"report of {self.articles} articles, {self.facts} facts ({self.facts_in_table} in the table), "
            f"{self.full_texts} full texts, {self.sentence_only} as fact sentences only; "
            f"{self.bytes / 2**20:.1f} MB, {self.seconds:.1f} s"
        )


@dataclass(slots=True)
class _Piece:
    """Part of an article's text embedded for its view: ``text`` starts at article offset ``start``."""

    start: int
    text: str
    to16: Callable[[int], int] | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(slots=True)
class _Counter:
    skipped: dict[str, int] = field(default_factory=lambda: {"facts": 0, "entities": 0, "initiatives": 0})
    overlapped: int = 0
    nested_facts: int = 0  # facts overlapping another fact: shown through that fact's mark


def _asset(name: str) -> str:
    return resources.files("pipeline.data").joinpath("report").joinpath(name).read_text("utf-8")


def _themes() -> dict[str, str]:
    """Theme code -> Chinese label, in the taxonomy's order (read from ``data/themes.toml``)."""
    data = tomllib.loads(resources.files("pipeline.data").joinpath("themes.toml").read_text("utf-8"))
    return {t["code"]: t["label"] for t in data["theme"]}


def _utf16(text: str) -> Callable[[int], int] | None:
    """Map Python (code point) offsets into ``text`` to JavaScript (UTF-16) offsets; None when they are equal."""
    pos = [m.start() for m in _ASTRAL.finditer(text)]
    if not pos:
        return None
    return lambda i: i + bisect_left(pos, i)


class _Strings:
    """Dictionary encoding of repeated strings: the JSON holds an index, the table ``values`` the strings."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s: str | None) -> int:
        if s is None:
            return -1
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.values)
            self.values.append(s)
        return i


def _pack(obj: Any) -> str:
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii")


def _connect(out: Path, manifest: dict[str, Any]) -> Any:
    """A DuckDB connection with the run's tables, after checking that every part the manifest lists is there
    (a report of a run with missing parts would silently count less)."""
    from .query import QueryError, connect

    parts = manifest.get("parts")
    if isinstance(parts, dict):
        missing = [
            f"{t}/{name}"
            for t, names in parts.items()
            if isinstance(names, list)
            for name in names
            if not (out / str(t) / str(name)).is_file()
        ]
        if missing:
            shown = ", ".join(missing[:3]) + (" …" if len(missing) > 3 else "")
            raise ReportError(f"{out}: {len(missing)} part(s) listed in manifest.json are missing ({shown})")
    try:
        return connect(out)
    except QueryError as exc:
        raise ReportError(str(exc)) from None


def _manifest(out: Path) -> dict[str, Any]:
    if not out.is_dir():
        raise ReportError(f"{out}: no such output folder")
    if not (out / "manifest.json").is_file():
        raise ReportError(f"{out}: no manifest.json (not the output of a finished govmine run)")
    try:
        m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReportError(f"{out / 'manifest.json'}: unreadable ({exc})") from None
    if not isinstance(m, dict):
        raise ReportError(f"{out / 'manifest.json'}: not a JSON object")
    return m


def _documents(manifest: dict[str, Any]) -> int | None:
    runs = manifest.get("runs") or [manifest]
    try:
        return sum(int((r.get("counts") or {}).get("documents", 0)) for r in runs)
    except (AttributeError, TypeError, ValueError):
        return None


# -- charts --------------------------------------------------------------------------------------------------


def _layout(title: str, **kw: Any) -> dict[str, Any]:
    return {
        "title": {"text": title, "x": 0.01, "font": {"size": 15}},
        "font": {"family": FONT_STACK, "size": 12},
        "margin": {"l": 10, "r": 10, "t": 64, "b": 10},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        **kw,
    }


def _figure_html(fig: Any, div_id: str) -> str:
    return fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=div_id,
        config={"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
    )


def _themes_level(con: Any) -> str:
    """The column the themes chart groups initiatives by: ``province``, or ``county`` when the run spans fewer
    than three provinces (a click on a bar filters the facts on the same column)."""
    provinces = con.sql("SELECT count(DISTINCT province) FROM initiatives").fetchall()[0][0]
    return "province" if provinces >= 3 else "county"


def _chart_themes_by_place(con: Any, themes: dict[str, str], level: str) -> Any:
    """Initiatives per theme for the 20 places with most at ``level`` (:func:`_themes_level`): provinces (a city's and
    a county's count for their province), or counties when the run spans fewer than three provinces."""
    import plotly.graph_objects as go

    what = "province" if level == "province" else "district or county"
    rows = con.sql(
        f"""
        WITH t AS (SELECT {level} AS place, unnest(themes) AS theme FROM initiatives WHERE {level} IS NOT NULL),
             top AS (SELECT place, count(*) AS n FROM t GROUP BY 1 ORDER BY n DESC, place LIMIT 20)
        SELECT t.place, t.theme, count(*) FROM t JOIN top USING (place) GROUP BY 1, 2, top.n
        ORDER BY top.n, t.place
        """
    ).fetchall()
    places = list(dict.fromkeys(r[0] for r in rows))
    counts = {(p, t): n for p, t, n in rows}
    fig = go.Figure()
    for code, label in themes.items():
        fig.add_trace(
            go.Bar(
                name=label,
                y=places,
                x=[counts.get((p, code), 0) for p in places],
                orientation="h",
                customdata=[code] * len(places),
                hovertemplate="%{y} · " + label + ": %{x} 项举措<extra></extra>",
            )
        )
    fig.update_layout(
        _layout(
            f"各地举措的主题<br><sup>themes of initiatives by {what} (the 20 with most)</sup>",
            barmode="stack",
            height=max(320, 26 * len(places) + 120),
            legend={"orientation": "h", "y": -0.08},
            xaxis={"title": {"text": "举措 initiatives"}, "gridcolor": "#eee"},
            yaxis={"automargin": True},
        )
    )
    return fig


def _chart_facts_per_theme(con: Any, themes: dict[str, str]) -> Any:
    import plotly.graph_objects as go

    rows = dict(
        con.sql(
            """
            SELECT theme, count(DISTINCT fact_id) FROM (
                SELECT theme, unnest(fact_ids) AS fact_id FROM (
                    SELECT unnest(themes) AS theme, fact_ids FROM initiatives
                    WHERE len(themes) > 0 AND len(fact_ids) > 0))
            GROUP BY 1
            """
        ).fetchall()
    )
    codes = sorted(themes, key=lambda c: -rows.get(c, 0))
    fig = go.Figure(
        go.Bar(
            x=[themes[c] for c in codes],
            y=[rows.get(c, 0) for c in codes],
            customdata=codes,
            marker={"color": "#4c78a8"},
            hovertemplate="%{x}: %{y} 个数字<extra></extra>",
        )
    )
    fig.update_layout(
        _layout(
            "各主题的数字<br><sup>facts per theme (facts inside the initiatives of a theme)</sup>",
            height=360,
            yaxis={"title": {"text": "数字 facts"}, "gridcolor": "#eee"},
            xaxis={"automargin": True},
        )
    )
    return fig


def _counted(con: Any, limit: int) -> list[dict[str, Any]]:
    """Counted things (entity and unit of count facts) printed for two places or more, with their sum per place;
    named programmes first (红蜂驿站 by district), then the rest by how many places print them."""
    rows = con.sql(
        f"""
        WITH c AS (
            SELECT entity, unit, place, sum(value) AS total, count(*) AS n FROM facts
            WHERE kind = 'count' AND entity <> '' AND place IS NOT NULL GROUP BY 1, 2, 3
        ), prog AS (
            SELECT DISTINCT text AS entity FROM entities WHERE label = 'PROGRAMME'
        ), g AS (
            SELECT entity, unit, count(*) AS places, sum(n) AS facts,
                   entity IN (SELECT entity FROM prog) AS programme
            FROM c GROUP BY 1, 2 HAVING count(*) >= 2
            ORDER BY programme DESC, places DESC, facts DESC, entity, unit LIMIT {int(limit)}
        )
        SELECT g.entity, g.unit, g.places, g.facts, c.place, c.total, c.n
        FROM g JOIN c USING (entity, unit)
        ORDER BY g.programme DESC, g.places DESC, g.facts DESC, g.entity, g.unit, c.total DESC, c.place
        """
    ).fetchall()
    out: list[dict[str, Any]] = []
    for entity, unit, places, facts, place, total, n in rows:
        if not out or (out[-1]["entity"], out[-1]["unit"]) != (entity, unit):
            out.append({"entity": entity, "unit": unit, "places": places, "facts": facts, "p": [], "v": [], "n": []})
        g = out[-1]
        if len(g["p"]) < 25:
            g["p"].append(place)
            g["v"].append(round(total, 4))
            g["n"].append(n)
    return out


def _chart_counted(groups: Sequence[dict[str, Any]]) -> Any:
    import plotly.graph_objects as go

    g = groups[0] if groups else {"entity": "", "unit": "", "p": [], "v": [], "n": []}
    fig = go.Figure(
        go.Bar(
            y=g["p"][::-1],
            x=g["v"][::-1],
            customdata=g["n"][::-1],
            orientation="h",
            marker={"color": "#e45756"},
            hovertemplate="%{y}: %{x:,} "
            + html.escape(g["unit"], quote=False)
            + "（%{customdata} 个数字之和）<extra></extra>",
        )
    )
    # plotly renders a small HTML subset and does not decode &quot;: escape only what would be markup
    esc = lambda x: html.escape(x, quote=False)  # noqa: E731
    title = f"各地的数量：{esc(g['entity'])}（{esc(g['unit'])}）" if groups else "各地的数量"
    title += "<br><sup>counted where: the printed counts of one thing, summed per place</sup>"
    fig.update_layout(
        _layout(
            title,
            height=max(320, 26 * len(g["p"]) + 120),
            xaxis={"title": {"text": "印出的数量之和 sum of printed counts"}, "gridcolor": "#eee"},
            yaxis={"automargin": True},
        )
    )
    return fig


# -- data ----------------------------------------------------------------------------------------------------


def _articles(con: Any, strings: _Strings, themes: dict[str, str]) -> tuple[list[str], dict[str, Any]]:
    cols = _columns(
        con,
        """
        SELECT article_id, coalesce(headline, title) AS headline, byline, place, date, themes, theme_scores,
               n_chars, input, line, source, url, section, kicker, strlen(text) AS nbytes
        FROM articles
        """,
    )
    ids = [str(x) for x in cols["article_id"]]
    codes = list(themes)
    scores = []
    for ts in cols["theme_scores"]:
        d = {t["theme"]: t["score"] for t in (ts if ts is not None else [])}
        scores.append([round(float(d[c]), 3) if c in d else None for c in codes])

    data = {
        "id": ids,
        "headline": cols["headline"],
        "byline": ["、".join(b) if b is not None else "" for b in cols["byline"]],
        "place": cols["place"],
        "date": cols["date"],
        "themes": [[codes.index(t) for t in th if t in themes] if th is not None else [] for th in cols["themes"]],
        "scores": scores,
        "chars": cols["n_chars"],
        "input": [strings(x) for x in cols["input"]],
        "line": cols["line"],
        "source": [strings(x) for x in cols["source"]],
        "url": cols["url"],
        "section": cols["section"],
        "kicker": cols["kicker"],
    }
    data["_bytes"] = cols["nbytes"]
    return ids, data


def _table_facts(con: Any, ids: list[str], limit: int) -> dict[str, list[Any]]:
    import pyarrow as pa

    con.register("_report_order", pa.table({"article_id": ids, "ai": list(range(len(ids)))}))
    return _columns(
        con,
        f"""
        SELECT o.ai, f.fact_id, f.value, f.unit, f.qualifier, f.kind, f.entity, f.place, f.province, f.county,
               f.org, f.surface, f.start, f."end", f.sentence_id, f.check_status, f.check_detail, f.sentence
        FROM facts f JOIN _report_order o USING (article_id)
        ORDER BY o.ai, f.start, f.fact_id LIMIT {int(limit)}
        """,
    )


def _place(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Add [s, e) to the sorted, non-overlapping ``spans`` unless it overlaps one of them."""
    i = bisect_right(spans, (s, e))
    if i > 0 and spans[i - 1][1] > s:
        return False
    if i < len(spans) and spans[i][0] < e:
        return False
    spans.insert(i, (s, e))
    return True


class _ArticleText:
    """The embedded text of one article: its pieces and the marks on them, in UTF-16 offsets for the browser."""

    def __init__(self, pieces: list[_Piece], full: bool) -> None:
        self.pieces = pieces
        self.full = full
        self._starts = [p.start for p in pieces]
        self.marks: list[list[tuple[int, int]]] = [[] for _ in pieces]
        self.facts: list[list[int]] = []
        self.ents: list[list[int]] = []
        self.inis: list[list[Any]] = []
        self._ini_spans: list[list[tuple[int, int, list[Any]]]] = [[] for _ in pieces]
        self._fact_at: dict[tuple[int, int, int], int] = {}

    def locate(self, start: int, end: int, surface: str | None) -> tuple[int, int, int] | None:
        """(piece, local start, local end) of an article span, when it lies in one piece and matches ``surface``."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        p = self.pieces[i]
        if not (p.start <= start <= end <= p.end):
            return None
        ls, le = start - p.start, end - p.start
        if surface is not None and p.text[ls:le] != surface:
            return None
        return i, ls, le

    def _u(self, piece: int, i: int) -> int:
        f = self.pieces[piece].to16
        return f(i) if f else i

    def add_fact(self, fi: int, loc: tuple[int, int, int]) -> bool:
        """Mark a fact; one that overlaps a fact marked before (千瓦 inside 60万千瓦) is shown through that
        fact's mark (its entry names the host) and False is returned."""
        k, s, e = loc
        if _place(self.marks[k], s, e):  # facts come first: only another fact can be in the way
            self.facts.append([fi, k, self._u(k, s), self._u(k, e)])
            self._fact_at[(k, s, e)] = fi
            return True
        host = next(
            (h for (hk, hs, he), h in self._fact_at.items() if hk == k and hs < e and s < he),
            None,
        )
        self.facts.append([fi, k, self._u(k, s), self._u(k, e), host])
        return False

    def add_entity(self, loc: tuple[int, int, int], label: int, title: str | None) -> bool:
        k, s, e = loc
        if not _place(self.marks[k], s, e):
            return False
        self.ents.append([k, self._u(k, s), self._u(k, e), label] + ([title] if title else []))
        return True

    def add_initiative(self, loc: tuple[int, int, int], info: list[Any]) -> None:
        self._ini_spans[loc[0]].append((loc[1], loc[2], info))

    def finish_initiatives(self) -> None:
        """Clip initiatives to mark edges (a mark is never cut) and drop overlaps, so that spans nest."""
        for k, spans in enumerate(self._ini_spans):
            marks = self.marks[k]
            last = -1
            for s, e, info in sorted(spans, key=lambda x: (x[0], -x[1])):
                i = bisect_right(marks, (s, 10**18)) - 1
                if i >= 0 and marks[i][0] < s < marks[i][1]:
                    s = marks[i][0]
                j = bisect_right(marks, (e, 10**18)) - 1
                if j >= 0 and marks[j][0] < e < marks[j][1]:
                    e = marks[j][1]
                if s < last or s >= e:
                    continue
                last = e
                self.inis.append([k, self._u(k, s), self._u(k, e)] + info)

    def as_json(self) -> dict[str, Any]:
        return {
            "p": [p.text for p in self.pieces],
            "o": [p.start for p in self.pieces],
            "full": self.full,
            "f": self.facts,
            "e": self.ents,
            "i": self.inis,
        }


def _choose_texts(
    con: Any, ids: list[str], nbytes: list[int], fact_ais: list[int], facts: dict[str, Any], budget: int
) -> tuple[set[int], dict[int, list[tuple[int, int, str]]]]:
    """Which articles get their full text, and the fact sentences (start, end, text) of the others."""
    import pyarrow as pa

    keys = sorted({(int(a), int(s)) for a, s in zip(facts["ai"], facts["sentence_id"], strict=True)})
    snippets: dict[int, list[tuple[int, int, str]]] = {}
    if keys:
        con.register("_report_sent", pa.table({"ai": [k[0] for k in keys], "sentence_id": [k[1] for k in keys]}))
        rows = con.sql(
            """
            SELECT k.ai, s.start, s."end", s.text FROM sentences s
            JOIN _report_order o USING (article_id) JOIN _report_sent k ON k.ai = o.ai AND k.sentence_id = s.sentence_id
            ORDER BY k.ai, s.start
            """
        ).fetchall()
        for ai, s, e, t in rows:
            snippets.setdefault(ai, []).append((s, e, t))
    snip_bytes = {ai: sum(len(t.encode("utf-8")) for _, _, t in v) for ai, v in snippets.items()}
    used = sum(snip_bytes.values())
    full: set[int] = set()
    order = list(dict.fromkeys(fact_ais)) + [i for i in range(len(ids)) if i not in snip_bytes]
    for ai in order:
        cost = nbytes[ai] - snip_bytes.get(ai, 0)
        if used + cost <= budget:
            used += cost
            full.add(ai)
    return full, snippets


def _embed_texts(
    con: Any,
    ids: list[str],
    full: set[int],
    snippets: dict[int, list[tuple[int, int, str]]],
    facts: dict[str, Any],
    counter: _Counter,
) -> dict[int, _ArticleText]:
    import pyarrow as pa

    texts: dict[int, _ArticleText] = {}
    chosen = sorted(full | set(snippets))
    if not chosen:
        return texts
    con.register("_report_chosen", pa.table({"ai": chosen}))
    if full:
        con.register("_report_full", pa.table({"ai": sorted(full)}))
        for ai, text in con.sql(
            "SELECT o.ai, a.text FROM articles a JOIN _report_order o USING (article_id) JOIN _report_full USING (ai)"
        ).fetchall():
            texts[ai] = _ArticleText([_Piece(0, text, _utf16(text))], full=True)
    for ai, sents in snippets.items():
        if ai not in texts:
            texts[ai] = _ArticleText([_Piece(s, t, _utf16(t)) for s, _, t in sents], full=False)

    for fi, (ai, s, e, surface) in enumerate(
        zip(facts["ai"], facts["start"], facts["end"], facts["surface"], strict=True)
    ):
        at = texts.get(int(ai))
        loc = at.locate(int(s), int(e), str(surface)) if at else None
        if loc is None:
            counter.skipped["facts"] += 1
            continue
        if not at.add_fact(fi, loc):
            counter.nested_facts += 1

    labels = {lab: i for i, lab in enumerate(ENTITY_LABELS)}
    for ai, s, e, text, label, normalized in con.sql(
        """
        SELECT c.ai, e.start, e."end", e.text, e.label, e.normalized FROM entities e
        JOIN _report_order o USING (article_id) JOIN _report_chosen c ON c.ai = o.ai
        ORDER BY c.ai, e.start, e."end" DESC
        """
    ).fetchall():
        at = texts[ai]
        loc = at.locate(s, e, None)
        if loc is None:
            if at.full:
                counter.skipped["entities"] += 1
            continue  # outside the fact sentences of a sentence-only article
        if at.pieces[loc[0]].text[loc[1] : loc[2]] != text or label not in labels:
            counter.skipped["entities"] += 1
            continue
        if not at.add_entity(loc, labels[label], normalized if normalized and normalized != text else None):
            counter.overlapped += 1

    for ai, s, e, text, action, name, themes in con.sql(
        """
        SELECT c.ai, i.start, i."end", i.text, i.action, i.name, i.themes FROM initiatives i
        JOIN _report_order o USING (article_id) JOIN _report_chosen c ON c.ai = o.ai
        ORDER BY c.ai, i.start
        """
    ).fetchall():
        at = texts[ai]
        loc = at.locate(s, e, None)
        if loc is None:
            if at.full:
                counter.skipped["initiatives"] += 1
            continue
        if at.pieces[loc[0]].text[loc[1] : loc[2]] != text:
            counter.skipped["initiatives"] += 1
            continue
        at.add_initiative(loc, [action, name or "", list(themes or [])])
    for at in texts.values():
        at.finish_initiatives()
    return texts


def _columns(con: Any, sql: str) -> dict[str, list[Any]]:
    rel = con.sql(sql)
    t = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()  # duckdb 2 renamed it
    return {name: t.column(name).to_pylist() for name in t.column_names}


def _rows(con: Any, sql: str) -> list[dict[str, Any]]:
    rel = con.sql(sql)
    return [dict(zip(rel.columns, r, strict=True)) for r in rel.fetchall()]


def build_report(out: str | Path, limits: ReportLimits | None = None) -> tuple[str, dict[str, Any]]:
    """The report's HTML and figures about it (counts, what was left out, skipped spans).

    Raises:
        ReportError: ``out`` is not the output of a finished run, or its tables cannot be read.
    """
    import duckdb

    root = Path(out)
    manifest = _manifest(root)
    con = _connect(root, manifest)
    try:
        return _build(root, con, manifest, limits or ReportLimits())
    except duckdb.Error as exc:  # a damaged part file, a table from another schema version
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"{root}: cannot read the run's tables ({first})") from None


def _build(root: Path, con: Any, manifest: dict[str, Any], limits: ReportLimits) -> tuple[str, dict[str, Any]]:
    import plotly
    import plotly.offline

    themes = _themes()
    strings = _Strings()
    counter = _Counter()

    n = dict(
        zip(
            ("articles", "sentences", "facts", "entities", "initiatives", "rejects"),
            con.sql(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM sentences), "
                "(SELECT count(*) FROM facts), (SELECT count(*) FROM entities), "
                "(SELECT count(*) FROM initiatives), (SELECT count(*) FROM rejects)"
            ).fetchall()[0],
            strict=True,
        )
    )
    ids, articles = _articles(con, strings, themes)
    nbytes = articles.pop("_bytes")
    per_article = dict(con.sql("SELECT article_id, count(*) FROM facts GROUP BY 1").fetchall())
    articles["facts"] = [per_article.get(a, 0) for a in ids]

    f = _table_facts(con, ids, limits.max_facts)
    fact_ais = f["ai"]
    full, snippets = _choose_texts(con, ids, nbytes, fact_ais, f, limits.text_budget)
    texts = _embed_texts(con, ids, full, snippets, f, counter)
    articles["mode"] = [2 if i in full else 1 if i in snippets else 0 for i in range(len(ids))]

    def num(v: Any) -> Any:
        v = float(v)
        return int(v) if v.is_integer() and abs(v) < 2**53 else v

    facts = {
        "a": fact_ais,
        "id": [x.rsplit("/", 1)[-1] for x in f["fact_id"]],
        "v": [num(v) for v in f["value"]],
        "u": [strings(x) for x in f["unit"]],
        "q": [strings(x) for x in f["qualifier"]],
        "k": [strings(x) for x in f["kind"]],
        "e": [strings(x) for x in f["entity"]],
        "p": [strings(x) for x in f["place"]],
        "pv": [strings(x) for x in f["province"]],
        "ct": [strings(x) for x in f["county"]],
        "o": [strings(x) for x in f["org"]],
        "s": f["surface"],
        "c": [strings(x) for x in f["check_status"]],
    }
    checks = _rows(
        con,
        """
        SELECT o.ai, f.fact_id, f.surface, f.entity, f.check_status AS status, f.check_detail AS detail,
               f.link_role, f.sentence
        FROM facts f JOIN _report_order o USING (article_id)
        WHERE f.check_status IS NOT NULL ORDER BY o.ai, f.start
        """,
    )
    rejects = _rows(
        con,
        "SELECT input, line, doc_id, stage, reason, detail FROM rejects ORDER BY input, line "
        f"LIMIT {int(limits.max_rejects)}",
    )
    counted = _counted(con, limits.max_counted)

    level = _themes_level(con)  # the chart groups by it and a click on a bar filters on it
    figures = [
        ("chart-themes-place", _chart_themes_by_place(con, themes, level)),
        ("chart-facts-theme", _chart_facts_per_theme(con, themes)),
        ("chart-counted", _chart_counted(counted)),
    ]
    charts = {div: _figure_html(fig, div) for div, fig in figures}

    info = {
        "counts": n | {"documents": _documents(manifest)},
        "facts_in_table": len(fact_ais),
        "full_texts": len(full),
        "sentence_only": len([a for a in snippets if a not in full]),
        "skipped_spans": counter.skipped,
        "overlapping_entities": counter.overlapped,
        "nested_facts": counter.nested_facts,
        "rejects_listed": len(rejects),
        "limits": {
            "max_facts": limits.max_facts,
            "text_budget": limits.text_budget,
            "max_rejects": limits.max_rejects,
            "max_counted": limits.max_counted,
        },
    }
    core = {
        "version": __version__,
        "out": str(root),
        "info": info,
        "manifest": manifest,
        "themes": [[c, lab] for c, lab in themes.items()],
        "themes_level": level,
        "labels": list(ENTITY_LABELS),
        "articles": articles,
        "facts": facts,
        "checks": checks,
        "rejects": rejects,
        "counted": counted,
        "strings": strings.values,
    }
    text_blob = {str(ai): at.as_json() for ai, at in texts.items()}
    page = _fill(
        _asset("template.html"),
        {
            "TITLE": html.escape(f"govmine report · {root.resolve().name}"),
            "FONT_STACK": FONT_STACK,
            "TABULATOR_CSS": _asset("tabulator.min.css"),
            "REPORT_CSS": _asset("report.css"),
            "PLOTLY_JS": _script(plotly.offline.get_plotlyjs()),
            "TABULATOR_JS": _script(_asset("tabulator.min.js")),
            "REPORT_JS": _script(_asset("report.js")),
            "CHART_THEMES_PLACE": charts["chart-themes-place"],
            "CHART_FACTS_THEME": charts["chart-facts-theme"],
            "CHART_COUNTED": charts["chart-counted"],
            "CORE": _pack(core),
            "TEXTS": _pack(text_blob),
            "GENERATOR": html.escape(f"govmine {__version__}, plotly {plotly.__version__}"),
        },
    )
    for kind, k in counter.skipped.items():
        if k:
            log.warning("%d %s spans do not match the article text; they are not marked", k, kind)
    return page, info


def _script(js: str) -> str:
    # inline <script> content ends at the first "</script", in any case; none of the vendored files has one, but a
    # future version might (it can only be inside a string or a regular expression, where <\/ means </)
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``{{NAME}}`` markers of the template (the inserted text is not scanned again)."""
    missing = set(_MARKER.findall(template)) - set(values)
    if missing:
        raise KeyError(f"report template markers without a value: {sorted(missing)}")
    return _MARKER.sub(lambda m: values[m.group(1)], template)


def write_report(out: str | Path, path: str | Path | None = None, limits: ReportLimits | None = None) -> ReportSummary:
    """Build the report of the run in ``out`` and write it atomically to ``path`` (default ``out/report.html``).

    Raises:
        ReportError: ``out`` is not the output of a finished run, or ``path`` cannot be written.
    """
    from .writer import write_text_atomic

    t0 = time.perf_counter()
    target = Path(path) if path is not None else Path(out) / "report.html"
    page, info = build_report(out, limits)
    if not target.parent.is_dir():
        raise ReportError(f"{target}: the folder {target.parent} does not exist")
    try:
        write_text_atomic(target, page)
    except OSError as exc:
        raise ReportError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return ReportSummary(
        path=target,
        bytes=target.stat().st_size,
        seconds=time.perf_counter() - t0,
        articles=info["counts"]["articles"],
        facts=info["counts"]["facts"],
        facts_in_table=info["facts_in_table"],
        full_texts=info["full_texts"],
        sentence_only=info["sentence_only"],
        skipped_spans=sum(info["skipped_spans"].values()),
    )
