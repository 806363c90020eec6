"""Numbers with their units: ``extract_quantities(text) -> list[Quantity]``.

Reads Arabic and full-width digits (``７５．９４％``), thousands separators (``1,234``), decimals, Chinese
numerals (``两个``, ``十余名``, ``二十三``, ``三千``, ``一百零五``, ``上万名``), mixed forms (``1.23万亩``,
``3万余元``, ``8万多件``, ``5.6亿元``), percentages (``%``, ``％``, ``百分之五``), tenths (``近7成`` -> 70 %),
percentage points, multiples and fractions (``三分之一`` -> 33.3 %). A number is a quantity only with a
unit or classifier from ``data/units.toml`` (or as a percentage); values are normalised (万 x 1e4,
亿 x 1e8, 万元 -> 元, 成 -> %).

Not quantities: dates and times (``2024年``, ``10月23日``), ordinals and names (``第一``, ``16号线``),
numbers in slogans and programme names (``一格一员``, ``两企三新``, ``“六个一”``, ``1+3+N``), vague
numerals (``数十个``), and ``一`` used as the article "a" (``招募一名网格员``).

The grammar is built once from the data files (``data/units.toml``, ``data/quantities.toml``); the scan is
one pass of a regular expression without nested quantifiers plus bounded look-arounds, so its time grows
linearly with the text.

Rules (numbered as in the code):
  Q1 a number: Arabic (with separators and decimals), Chinese, 百分之N, N分之M;
  Q2 inner approximation words right after it (余 多 来) and a magnitude (万 亿);
  Q3 the unit: the longest unit of the table right after the number (up to two spaces between);
  Q4 exclusions (dates, ordinals, slogans, quotes, vague numerals, 一 as "a", ``+`` formulas);
  Q5 the qualifier: the longest qualifier word before the number, or one after the unit;
  Q6 ranges (2—3个, 三至五个, 5—10万元, 4.5%—5%): one quantity from the lower end to the unit, qualifier ``range``,
     ``value`` the lower end and ``value_max`` the upper one (the dash, ~, 至 or 到 is its qualifier word).
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Quantity", "QuantityGrammar", "load_grammar", "extract_quantities", "parse_chinese_numeral"]

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, as found in a text.

    ``text[start:end] == surface``; the surface runs from the number to the end of its unit (``3万余元``,
    ``近 7 成`` is ``7 成`` with qualifier ``approx``); qualifier words are outside it and located by
    ``qualifier_start``/``qualifier_end`` when present, but for a range's mark, which is inside it (``2—3个``).
    """

    value: float
    unit: str
    qualifier: str  # exact | approx | over | under | at_least | at_most | range
    surface: str
    start: int
    end: int
    kind: str  # count | money | area | weight | length | power | volume | time | percent | other
    number: str  # the number as printed, magnitude included (1.23万, 十余)
    unit_text: str  # the unit as printed (万元 is 元 here: the magnitude belongs to the number)
    qualifier_text: str | None = None
    qualifier_start: int | None = None
    qualifier_end: int | None = None
    value_max: float | None = None  # a range's upper end (``value`` is its lower end); None for one number


@dataclass(frozen=True)
class QuantityGrammar:
    """The compiled contents of ``data/units.toml`` and ``data/quantities.toml``."""

    number: re.Pattern[str]
    units: dict[str, tuple[str, float, str]]  # printed unit -> (normalised unit, factor, kind)
    unit_max: int
    excluded_units: frozenset[str]
    guard: dict[str, str]  # one-character unit -> characters that make it part of a word
    digits: dict[str, int]
    cn_units: dict[str, int]
    magnitudes: dict[str, int]
    inner_over: frozenset[str]
    before: dict[str, str]  # qualifier word before a number -> qualifier
    before_max: int
    not_before: tuple[str, ...]
    rate_bases: tuple[str, ...]
    after: dict[str, str]  # qualifier word after the unit -> qualifier
    after_max: int
    not_after: tuple[str, ...]
    magnitude_over: frozenset[str]
    amount_only: frozenset[str]  # qualifier words before amounts of `amount_only_kinds` only (过)
    amount_only_kinds: frozenset[str]
    magnitude_exact: tuple[str, ...]
    exclude_before: tuple[str, ...]
    exclude_words: tuple[str, ...]
    vague_before: tuple[str, ...]
    slogan_gap_max: int
    quote_max: int
    cn_descriptor_units: frozenset[str]
    time_units: frozenset[str]  # the printed units of the [time] table
    time_reference_before: tuple[str, ...]
    time_reference_near: tuple[str, ...]
    time_reference_near_after: tuple[str, ...]
    session_after: tuple[str, ...]
    session_always_after: tuple[str, ...]
    session_marker: str
    session_marker_window: int
    reading_after: tuple[str, ...]
    event_after: tuple[str, ...] = ()
    event_units: frozenset[str] = frozenset()
    # names of places that open with a numeral, of three characters or more (七台河, 三门峡, 三台县; not the short
    # 三台, which is also "three sets"): a quantity starting where one starts is none
    place_words: tuple[str, ...] = ()
    # Derived tables that only make the scan faster (None: scan without them).
    # number_start: the characters any match of ``number`` begins with (every such character begins one).
    number_start: re.Pattern[str] | None = field(default=None, compare=False)
    # unit_first: first character of a unit or excluded unit -> length of the longest one it begins.
    unit_first: dict[str, int] | None = field(default=None, compare=False)
    # may_hold: found in every text that holds a quantity (分之, or a number's last character before a unit's
    # first); a text without it holds none, and its numbers need not be read.
    may_hold: re.Pattern[str] | None = field(default=None, compare=False)


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("pipeline").joinpath(f"data/{name}").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_grammar() -> QuantityGrammar:
    """Build the grammar from the packaged data files (once per process)."""
    ud, qd = _data("units.toml"), _data("quantities.toml")
    units: dict[str, tuple[str, float, str]] = {}
    for kind, table in ud.items():
        if kind in ("excluded", "guard"):
            continue
        for printed, spec in table.items():
            if isinstance(spec, str):
                units[printed] = (spec, 1.0, kind)
            else:
                units[printed] = (spec["unit"], float(spec.get("factor", 1)), kind)
    excluded = frozenset(ud["excluded"]["units"])
    num = qd["numerals"]
    cn_chars = "".join(num["digits"]) + "".join(num["units"]) + "".join(num["magnitudes"])
    cn_digits = "".join(num["digits"])
    # a Chinese numeral, with its decimals after 点 (百分之四点七, 一点五亿): only digits follow 点
    cn = f"[{re.escape(cn_chars)}]+(?:点[{re.escape(cn_digits)}]+)?"
    # thousands separated by commas; by full-width commas only in the strict form (粮食产量33，212万吨, as the older
    # State Council reports print them), since ， otherwise separates clauses
    arabic = r"(?:[0-9０-９]{1,3}(?:，[0-9０-９]{3})+(?![0-9０-９])|[0-9０-９]+(?:,[0-9]{3})*)(?:[.．][0-9０-９]+)?"
    inner = "|".join(map(re.escape, num["inner_over"]))
    mags = "".join(num["magnitudes"])
    # Q1 + Q2: one alternative per form; no alternative can match the same text in two ways.
    number = re.compile(
        rf"(?P<pct>百分之(?P<pct_n>{arabic}|{cn}))"
        rf"|(?P<frac>(?P<den>{cn}|{arabic})分之(?P<num>{cn}|{arabic}))"
        rf"|(?P<ar>{arabic})(?P<ar_in>{inner})?(?P<ar_mag>[十百千]?[{mags}]{{1,2}})?(?P<ar_in2>{inner})?"
        rf"|(?P<cn>{cn})(?P<cn_in>{inner})?(?P<cn_mag>[{mags}])?(?P<cn_in2>{inner})?"
    )
    q = qd["qualifiers"]
    before: dict[str, str] = {}
    for qual in ("approx", "over", "under", "at_least", "at_most"):
        for w in q[qual]:
            before[w] = qual
    for w in q["negated_over"]:
        before[w] = "at_most"
    after: dict[str, str] = {}
    for key, qual in (
        ("after_approx", "approx"),
        ("after_over", "over"),
        ("after_under", "under"),
        ("after_at_most", "at_most"),
    ):
        for w in q[key]:
            after[w] = qual
    ex = qd["exclude"]
    unit_first: dict[str, int] = {}
    for u in [*units, *excluded]:
        unit_first[u[0]] = max(unit_first.get(u[0], 0), len(u))
    # A percentage or a fraction holds 分之; any other quantity is a number with a unit (not an excluded one: 年,
    # 日; 个 of 3个多小时 stands for the unit after it) at most two spaces after it. A number ends with a digit, a
    # character of ``cn`` (magnitudes included) or the last character of 余/多/来.
    last = "".join(sorted({w[-1] for w in num["inner_over"]}))
    first = "".join(sorted({u[0] for u in units} | {"个"}))
    may_hold = re.compile(rf"分之|[0-9０-９{re.escape(cn_chars + last)}][ \u3000\xa0]{{0,2}}[{re.escape(first)}]")
    return QuantityGrammar(
        number=number,
        units=units,
        unit_max=max(len(u) for u in units | dict.fromkeys(excluded)),
        excluded_units=excluded,
        guard=dict(ud.get("guard", {})),
        digits={k: int(v) for k, v in num["digits"].items()},
        cn_units={k: int(v) for k, v in num["units"].items()},
        magnitudes={k: int(v) for k, v in num["magnitudes"].items()},
        inner_over=frozenset(num["inner_over"]),
        before=before,
        before_max=max(map(len, before)),
        not_before=tuple(q.get("not_before", ())),
        rate_bases=tuple(q.get("rate_bases", ())),
        after=after,
        after_max=max(map(len, after)),
        not_after=tuple(q.get("not_after", ())),
        magnitude_over=frozenset(q["magnitude_over"]),
        amount_only=frozenset(q.get("amount_only", ())),
        amount_only_kinds=frozenset(q.get("amount_only_kinds", ())),
        magnitude_exact=tuple(q.get("magnitude_exact", ())),
        exclude_before=tuple(ex["before"]),
        exclude_words=tuple(ex.get("words", ())),
        vague_before=tuple(ex["vague_before"]),
        slogan_gap_max=int(ex["slogan_gap_max"]),
        quote_max=int(ex["quote_max_chars"]),
        cn_descriptor_units=frozenset(ex["chinese_descriptor_units"]),
        time_units=frozenset(ud.get("time", {})),
        time_reference_before=tuple(ex.get("time_reference_before", ())),
        time_reference_near=tuple(ex.get("time_reference_near", ())),
        time_reference_near_after=tuple(ex.get("time_reference_near_after", ())),
        session_after=tuple(ex.get("session_after", ())),
        session_always_after=tuple(ex.get("session_always_after", ())),
        session_marker=str(ex.get("session_marker", "")),
        session_marker_window=int(ex.get("session_marker_window", 0)),
        reading_after=tuple(ex.get("reading_after", ())),
        event_after=tuple(ex.get("event_after", ())),
        event_units=frozenset(ex.get("event_units", ())),
        place_words=_numeral_place_names(cn_chars),
        # each alternative of ``number`` begins with an Arabic digit or a character of ``cn`` (百分之 too),
        # and a lone such character is itself a match of ``ar`` or ``cn``
        number_start=re.compile(rf"[0-9０-９{re.escape(cn_chars)}]"),
        unit_first=unit_first,
        may_hold=may_hold,
    )


def _numeral_place_names(numerals: str) -> tuple[str, ...]:
    """The gazetteer's names (full or short) that open with one of ``numerals`` and have three characters or more,
    longest first: 七台河市, 七台河, 三门峡, 三台县, 五家渠 (黑龙江省七台河市 read 七台 as "7 台")."""
    from ..gazetteer import load_gazetteer

    names = {n for n in load_gazetteer().index if len(n) >= 3 and n[0] in numerals}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def parse_chinese_numeral(s: str, g: QuantityGrammar | None = None) -> float | None:
    """Value of a well-formed Chinese numeral (二十三, 一百零五, 三千, 十, 万, 两万亿, 四点七, 十七点六), else None
    (十四五, 五六). The decimals after 点 are digits read one by one."""
    g = g or load_grammar()
    head, sep, tail = s.partition("点")
    if not sep:
        return _chinese_integer(s, g)
    whole = _chinese_integer(head, g)
    if whole is None or not tail or any(ch not in g.digits for ch in tail):
        return None
    return whole + int("".join(str(g.digits[ch]) for ch in tail)) / 10 ** len(tail)


def _chinese_integer(s: str, g: QuantityGrammar | None = None) -> float | None:
    """Value of a well-formed Chinese numeral without decimals (二十三, 一百零五, 三千, 十, 万, 两万亿), else None.

    Sections are split at 亿 and 万; inside a section a digit must be followed by 十/百/千 or end it,
    and the multipliers must fall (千 > 百 > 十). A magnitude larger than one before it multiplies all that comes
    before it (万亿 = 10^12, 一万六千七百七十亿 = 16770 x 10^8).
    """
    g = g or load_grammar()
    if not s:
        return None
    total = 0.0
    section = 0.0
    digit: int | None = None
    last_unit = 10**9
    seen_mag = 10**12
    zero = False
    for ch in s:
        if ch in g.digits and g.digits[ch] == 0:
            zero = True
        if ch in g.digits:
            if digit is not None and not (digit == 0 or g.digits[ch] == 0):
                return None  # two digits in a row: 十四五, 五六
            digit = g.digits[ch] if g.digits[ch] else digit if digit else 0
        elif ch in g.cn_units:
            u = g.cn_units[ch]
            if u >= last_unit:
                return None
            section += (digit if digit is not None else 1) * u
            digit, last_unit = None, u
        elif ch in g.magnitudes:
            m = g.magnitudes[ch]
            section += digit or 0
            if m >= seen_mag:  # 万亿, 一万六千七百七十亿: a larger magnitude multiplies all before it
                total = (total + section) * m
            else:
                total += (section if section else 1) * m
            section, digit, last_unit, seen_mag = 0.0, None, 10**9, m
        else:
            return None
    if digit is not None and last_unit != 10**9 and digit and last_unit > 10 and not zero:
        # 三千五: a trailing digit after 千 means hundreds (三千五 = 3500); accept that reading.
        section += digit * last_unit // 10
        digit = None
    return total + section + (digit or 0)


def _arabic(s: str) -> float:
    return float(s.translate(_FULLWIDTH).replace(",", ""))  # _FULLWIDTH makes ， a ,


# the longest title in 《…》 whose numbers are part of it (《九成宫醴泉铭》, 《关于…等15部法律的修正案》)
TITLE_MAX = 80


@lru_cache(maxsize=8)
def _quote_rx(limit: int) -> re.Pattern[str]:
    return re.compile(
        rf"“[^“”\n]{{1,{limit}}}”|‘[^‘’\n]{{1,{limit}}}’|「[^「」\n]{{1,{limit}}}」|《[^《》\n]{{1,{TITLE_MAX}}}》"
    )


def _quote_spans(text: str, limit: int) -> list[tuple[int, int]]:
    """Short quotations “…”, ‘…’ and 「…」 (content at most ``limit`` characters) and titles 《…》."""
    return [m.span() for m in _quote_rx(limit).finditer(text)]


def _numbers(text: str, g: QuantityGrammar) -> Iterator[re.Match[str]]:
    """The matches of ``g.number`` in ``text``, as ``finditer`` gives them.

    ``finditer`` tries the whole pattern at every position; this jumps from one possible first character to
    the next (a one-character class scans at C speed) and matches there. A match begins at every such
    character, so the matches (and where each one resumes the scan) are the same.
    """
    start_rx = g.number_start
    if start_rx is None:
        yield from g.number.finditer(text)
        return
    search, match = start_rx.search, g.number.match
    pos = 0
    while (c := search(text, pos)) is not None:
        m = match(text, c.start())
        if m is None:  # not for the packaged grammar; read on as finditer would
            pos = c.start() + 1
            continue
        yield m
        pos = m.end()


def _in_spans(pos: int, spans: list[tuple[int, int]], idx: list[int]) -> bool:
    # spans are sorted and disjoint; idx is a one-element cursor that only moves forward
    i = idx[0]
    while i < len(spans) and spans[i][1] <= pos:
        i += 1
    idx[0] = i
    return i < len(spans) and spans[i][0] <= pos < spans[i][1]


def extract_quantities(text: str, grammar: QuantityGrammar | None = None) -> list[Quantity]:
    """Every quantity in ``text``, in order, with ``text[q.start:q.end] == q.surface``.

    Args:
        text: any string (an article, a sentence); never raises on any input.
        grammar: the compiled grammar; the packaged one by default.

    Returns:
        The quantities found.

    Example:
        >>> [(q.value, q.unit, q.qualifier) for q in extract_quantities("收益3万余元，党的建设考核指标精减近 7 成")]
        [(30000.0, '元', 'over'), (70.0, '%', 'approx')]
    """
    g = grammar or load_grammar()
    out: list[Quantity] = []
    if g.may_hold is not None and g.may_hold.search(text) is None:
        return out  # most sentences: no number stands before a unit
    quotes: list[tuple[int, int]] | None = None  # found when a quantity first needs them
    cursor = [0]
    for m in _numbers(text, g):
        start = m.start()
        try:
            q = _read(text, m, g)
        except (ValueError, OverflowError):
            q = None
        if q is None:
            continue
        value, unit, factor_kind, num_end, end, unit_text, inner_over = q
        if out and start < out[-1].end:
            continue  # inside the quantity before it, whose unit it read: 千 of 100万千瓦以上
        kind = factor_kind
        # Q4: exclusions.
        if quotes is None:
            quotes = _quote_spans(text, g.quote_max)
        if _in_spans(start, quotes, cursor):
            continue
        # Q6: a range (2—3个, 5万—50万元, 三至五个)
        low = _range_low(text, start, num_end, value, g.units[unit_text][1], g) if unit_text in g.units else None
        if low is _ORDINAL:
            continue
        if _excluded_context(text, start, end, m, g, unit_text, ranged=low is not None):
            continue
        if kind not in ("percent", "time") and "/" not in unit and (per := _RATE_PER.match(text, end)) is not None:
            # 120万吨/年, 1350立方米/秒, 1320立方米每秒: a rate, not an amount of the unit
            denominator = per.group("slash") or per.group("each")
            unit, unit_text, end = f"{unit}/{denominator}", f"{unit_text}/{denominator}", per.end()
        if low is None and out and (joined := _range_with_unit(text, out[-1], start, end, value, unit)) is not None:
            out.pop()  # 25%—30%, 10%到20%, 5万元—50万元: the lower end has its own unit
            low = joined
        # Q5: qualifiers; a range has its own.
        qual, qtext, qs, qe = "exact", None, None, None
        value_max = None
        if low is not None:
            start, lo_value, qs, qe = low
            qual, qtext, value_max, value = "range", text[qs:qe], value, lo_value
        elif (before := _qualifier_before(text, start, g)) is not None and (
            before[0] not in g.amount_only or kind in g.amount_only_kinds
        ):
            qtext, qs, qe = before
            qual = g.before[qtext]
        elif m.group("cn") and m.group("cn").startswith(("万", "亿", "百", "千")):
            pre = text[start - 1] if start else ""
            # 规模以上 万元…: the 上 of 以上 closes a term (规模以上万元工业增加值能耗), it makes no lower bound
            if pre in g.magnitude_over and not (pre == "上" and text.endswith("以上", max(0, start - 2), start)):
                qual, qtext, qs, qe = "over", pre, start - 1, start
        if qual == "exact":
            aft = _qualifier_after(text, end, g)
            if aft is not None:
                qtext, qs, qe = aft
                qual = g.after[qtext]
        if qual == "exact" and kind in ("time", "length") and text.startswith("内", end):
            qual, qtext, qs, qe = "at_most", "内", end, end + 1  # 3个工作日内, 500米内: within
        if qual == "exact" and inner_over:
            qual = "over"
        # 一 as the article "a": a bare 一 with nothing that makes it a count. A bare 百, 千, 万 (千条线,
        # 万人空巷) is a figure of speech unless 上 makes it a count (上万名).
        cn_text = m.group("cn")
        if (
            cn_text
            and qual == "exact"
            and not inner_over
            and (cn_text == "一" or not cn_text.strip("百千万亿"))
            and not (cn_text != "一" and text.endswith(g.magnitude_exact, max(0, start - 2), start))
        ):
            continue  # 一, or a bare magnitude (千条线, 万亿元级): no count without 上, 近, 超, 达 …
        out.append(
            Quantity(
                value=value,
                unit=unit,
                qualifier=qual,
                surface=text[start:end],
                start=start,
                end=end,
                kind=kind,
                number=text[start:num_end],
                unit_text=unit_text,
                qualifier_text=qtext,
                qualifier_start=qs,
                qualifier_end=qe,
                value_max=value_max,
            )
        )
    return out


# Q3: what a unit is counted per, printed after it (吨/年, 公里/小时, 立方米每秒)
_RATE_PER = re.compile(
    r"[/／](?P<slash>秒|分钟|小时|天|日|周|月|年|人|户|亩|平方米|吨|斤|公斤|千克)(?![\u4e00-\u9fff]*[/／])"
    r"|每(?P<each>秒|小时|天|日|年)"
)


# Q6: the lower end of a range, right before a quantity's number: a number (with its own magnitude or none), a
# dash, tilde, 至 or 到, the number; at most one space each side. Not after a digit or a Latin letter; after 第
# (第3—5名) both ends are ordinals.
# a range's mark (a dash, tilde, 至 or 到), at most one space each side
_MARK = r"[ \u3000]?(?P<mark>—{1,2}|[－\-～~至到])[ \u3000]?"
_RANGE_LOW = re.compile(
    r"(?<![0-9０-９.．A-Za-z])(?P<n>[0-9０-９]+(?:[.．][0-9０-９]+)?|[〇零一二两三四五六七八九十百千]+)[余多]?(?P<mag>[千万亿]?)"
    + _MARK
    + "$"
)
_ORDINAL = (-1, 0.0, -1, -1)  # _range_low's answer for 第3—5名
# Q6: the marks between two quantities of one unit that make them a range (25%—30%, 1.38%到2.35%)
_RANGE_MARK = re.compile(_MARK)


def _range_with_unit(
    text: str, prev: Quantity, start: int, end: int, value: float, unit: str
) -> tuple[int, float, int, int] | None:
    """The quantity before, as the lower end of a range ending with the quantity at ``text[start:end]``, when
    nothing but a range mark stands between them and both have the same unit (25%—30%, 提高10%到20%):
    ``(start, value, mark start, mark end)`` as :func:`_range_low` gives, or None. The lower end must be an exact
    number smaller than the upper one; after 从 or 由 the two are a change from one to the other, not a range, unless
    不等 follows (发行利率从1.38%到2.35%不等)."""
    m = _RANGE_MARK.fullmatch(text, prev.end, start)
    if m is None or prev.unit != unit or prev.qualifier != "exact" or prev.value_max is not None:
        return None
    if not prev.value < value:
        return None
    if prev.start and text[prev.start - 1] in "从由" and not text.startswith("不等", end):
        return None
    return prev.start, prev.value, m.start("mark"), m.end("mark")


_RANGE_MAGNITUDES = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


def _range_low(
    text: str, start: int, num_end: int, value: float, factor: float, g: QuantityGrammar
) -> tuple[int, float, int, int] | None:
    """The lower end of a range ending with the quantity whose number is ``text[start:num_end]``, whose
    normalised value is ``value`` and whose unit multiplies by ``factor``: ``(start, normalised value, mark
    start, mark end)``, or None, or ``_ORDINAL`` after 第 (第3—5名: no quantity). A lower end without a magnitude
    of its own takes the upper end's (5—10万元 is 5万 to 10万, 三至五百人 300 to 500), and it must be smaller than
    the upper end."""
    if not start or text[start - 1] not in "—－-～~至到 \u3000":
        return None
    m = _RANGE_LOW.search(text, max(0, start - 24), start)
    if m is None:
        return None
    if m.start() and text[m.start() - 1] == "第":
        return _ORDINAL
    n, mag = m.group("n", "mag")
    low = _arabic(n) if n[0] in "0123456789０１２３４５６７８９" else parse_chinese_numeral(n, g)
    if low is None:
        return None
    if mag:
        low *= _RANGE_MAGNITUDES[mag]
    elif n[-1] not in _RANGE_MAGNITUDES:
        # the upper end's trailing magnitudes (10万, 五百, 2千万) apply to a lower end without one
        high = "".join(ch for ch in text[start:num_end] if ch not in g.inner_over)
        k = len(high)
        while k and high[k - 1] in _RANGE_MAGNITUDES:
            k -= 1
        for ch in high[k:]:
            low *= _RANGE_MAGNITUDES[ch]
    low_value = float(f"{low * factor:.15g}")
    if not low_value < value:
        return None
    return m.start(), low_value, m.start("mark"), m.end("mark")


def _read(text: str, m: re.Match[str], g: QuantityGrammar) -> tuple[float, str, str, int, int, str, bool] | None:
    """Value, normalised unit, kind, end of the number, end of the unit, printed unit, inner 余/多."""
    cn = m.group("cn")
    if cn and len(cn) > 1 and cn[-1] == "千" and (cn[-2] in g.magnitudes or cn[-2] == "千"):
        # 八十万千瓦, 两万千米, 五千千瓦: the 千 after a magnitude (or after 千) begins a unit of the table
        k = m.end()
        if any(text[k - 1 : k - 1 + n] in g.units for n in range(2, g.unit_max + 1)):
            shorter = g.number.match(text, m.start(), k - 1)
            if shorter is not None and shorter.end() == k - 1:
                m = shorter
    pct, frac, ar = m.group("pct", "frac", "ar")
    if pct:
        raw = m.group("pct_n")
        v = _arabic(raw) if raw[0].isdigit() or raw[0] in "０１２３４５６７８９" else parse_chinese_numeral(raw, g)
        if v is None:
            return None
        return v, "%", "percent", m.end(), m.end(), "百分之", False
    if frac:
        den, num = m.group("den", "num")
        dv = _arabic(den) if den[0].isdigit() else parse_chinese_numeral(den, g)
        nv = _arabic(num) if num[0].isdigit() else parse_chinese_numeral(num, g)
        if not dv or nv is None:
            return None
        return nv / dv * 100, "%", "percent", m.end(), m.end(), "分之", False
    num_end = m.end()
    # Q3: the unit, after at most two spaces. It is looked for before the value is worked out: most numbers
    # have no unit and are dropped either way.
    pos = num_end
    n = len(text)
    while pos < n and pos - num_end < 2 and text[pos] in " \u3000\xa0":
        pos += 1
    unit_text = ""
    first = g.unit_first
    longest = g.unit_max if first is None else first.get(text[pos], 0) if pos < n else 0
    for k in range(min(longest, n - pos), 0, -1):
        cand = text[pos : pos + k]
        if cand in g.units or cand in g.excluded_units:
            after = text[pos + k] if pos + k < n else ""
            if after and after in g.guard.get(cand, ""):
                continue  # 五部门: 部 begins the word 部门
            unit_text = cand
            break
    if unit_text == "个" and pos + 1 < n and (text[pos + 1] in g.inner_over or text[pos + 1] == "半"):
        # 3个多小时, 两个多月, 三个半月: the classifier 个, then 多 (more than) or 半 (and a half), then the real
        # unit (月 stands for 个月 here; not 半天, a half-day)
        half = text[pos + 1] == "半"
        for k in range(min(g.unit_max, n - pos - 2), 0, -1):
            cand = text[pos + 2 : pos + 2 + k]
            unit_of = g.units.get(cand) or g.units.get("个" + cand)
            if unit_of is not None and unit_of[2] == "time" and not (half and cand == "天"):  # 5个半天: half-days
                v = _number_value(m, ar, g)[0]
                if v is None:
                    return None
                unit, factor, kind = unit_of
                return (v + 0.5 * half) * factor, unit, kind, num_end, pos + 2 + k, text[pos : pos + 2 + k], not half
    if not unit_text or unit_text in g.excluded_units:
        return None
    v, inner_over = _number_value(m, ar, g)
    if v is None:
        return None
    unit, factor, kind = g.units[unit_text]
    if not math.isfinite(v * factor):
        return None  # a digit run too long for a float is not a count
    return v * factor, unit, kind, num_end, pos + len(unit_text), unit_text, inner_over


def _number_value(m: re.Match[str], ar: str | None, g: QuantityGrammar) -> tuple[float | None, bool]:
    """Q1 + Q2 for an Arabic or Chinese number: its value (None if ill-formed) and whether 余/多/来 is inside."""
    if ar:
        v = _arabic(ar)
        for ch in m.group("ar_mag") or "":
            v *= g.cn_units.get(ch, 1) * g.magnitudes.get(ch, 1)
        a, b = m.group("ar_in", "ar_in2")
        # 657.2亿 is 65720000000, not the float product's 65720000000.00001
        return (float(f"{v:.15g}") if m.group("ar_mag") else v), bool(a or b)
    cn, mag, a, b = m.group("cn", "cn_mag", "cn_in", "cn_in2")
    if mag and "点" not in cn:
        # the magnitude after 余/多 belongs to the numeral's last section: 七亿七千多万 is 7亿 + 7000万, not
        # (7亿7千) x 万
        return parse_chinese_numeral(cn + mag, g), bool(a or b)
    cv = parse_chinese_numeral(cn, g)
    if cv is None:
        return None, False
    if mag:
        cv *= g.magnitudes[mag]  # 三千二百五十点五亿
    return cv, bool(a or b)


def _excluded_context(
    text: str, start: int, end: int, m: re.Match[str], g: QuantityGrammar, unit_text: str, ranged: bool = False
) -> bool:
    """Q4: ordinals, vague numerals, formulas and slogans (not the upper end of a range: 三到五个)."""
    head = text[max(0, start - 3) : start]
    if head.endswith(g.exclude_before):
        return True
    if text.startswith(g.exclude_words, start):  # 零件, 零成本: a word, not a number
        return True
    # 数十个, 几百人: vague only before a Chinese numeral (人数698万人 is a count).
    if m.group("cn") and head.endswith(g.vague_before):
        return True
    # 100米蛙泳, 10米气步枪, 70公斤级: an event or a class
    if unit_text in g.event_units and text.startswith(g.event_after, end):
        return True
    # 两位数增长, 个位数: a number of digits (not 3位数学老师, three maths teachers)
    if unit_text == "位" and text.startswith("数", end) and not text.startswith("数学", end):
        return True
    # 1+3+N, 5+2: numbers in a formula
    prev = text[start - 1] if start else ""
    nxt = text[m.end()] if m.end() < len(text) else ""
    if (prev and prev in "+＋") or (nxt and nxt in "+＋"):
        return True
    # A number glued to Latin letters or digits is a code or a model name (5G, G20, PM2.5).
    if (prev.isascii() and prev.isalnum()) or (nxt.isascii() and nxt.isalpha() and not unit_text.isascii()):
        return True
    # 今年前两个月, 未来三天, 这两天, 近一周以来: a time reference, not a span anything took
    if unit_text in g.time_units:
        if text.endswith(g.time_reference_before, 0, start):
            return True
        if text.endswith(g.time_reference_near, 0, start) and text.startswith(g.time_reference_near_after, end):
            return True
    cn = m.group("cn")
    if cn:
        if unit_text in g.cn_descriptor_units:
            return True
        if not ranged and _slogan(text, start, m.end(), g):
            return True
        # 七台河市, 三门峡, 三台县: a place's name
        if text.startswith(g.place_words, start):
            return True
        # 十四届全国人大三次会议, 二次审议: the number of a session or a reading
        if text.startswith(g.reading_after, m.end()) or text.startswith(g.session_always_after, m.end()):
            return True
        if text.startswith("次、", m.end()) and _SESSION_LIST.match(text, m.end()):
            return True  # 中央纪委五次、六次全会: the first of a list of plenary sessions
        if (
            g.session_marker
            and text.startswith(g.session_after, m.end())
            and g.session_marker in text[max(0, start - g.session_marker_window) : start]
        ):
            return True
    return False


# 五次、六次全会: after the first numeral of a list of plenary sessions
_SESSION_LIST = re.compile("次(?:、[〇一二两三四五六七八九十]+次)+全(?:会|体会议)")


def _slogan(text: str, start: int, end: int, g: QuantityGrammar) -> bool:
    """A one-character Chinese numeral with another one-character numeral a word away: 一格一员,
    两企三新, 四议两公开, 三必访三服务."""
    if end - start != 1:
        return False
    digits = g.digits
    gap = g.slogan_gap_max
    for k in range(2, gap + 2):
        j = end + k - 1
        if (
            j < len(text)
            and text[j] in digits
            and all("\u4e00" <= c <= "\u9fff" and c not in digits for c in text[end:j])
        ):
            return True
        i = start - k
        if (
            i >= 0
            and text[i] in digits
            and all("\u4e00" <= c <= "\u9fff" and c not in digits for c in text[i + 1 : start])
        ):
            return True
    return False


def _qualifier_before(text: str, start: int, g: QuantityGrammar) -> tuple[str, int, int] | None:
    pos = start
    while pos > 0 and start - pos < 2 and text[pos - 1] in " \u3000":
        pos -= 1
    found = _qualifier_ending_at(text, pos, g)
    if found is None and g.rate_bases and text.endswith(g.rate_bases, 0, pos):
        # 不能超过每月1500元: the qualifier before what the number is counted per
        base = next(b for b in g.rate_bases if text.endswith(b, 0, pos))
        found = _qualifier_ending_at(text, pos - len(base), g)
    return found


def _qualifier_ending_at(text: str, pos: int, g: QuantityGrammar) -> tuple[str, int, int] | None:
    for k in range(min(g.before_max, pos), 0, -1):
        w = text[pos - k : pos]
        if w in g.before and not text.endswith(g.not_before, 0, pos):  # 签约, 国际条约: no qualifier
            # 不超过 is at_most as a whole word; don't read its tail 超过 as over.
            return w, pos - k, pos
    return None


def _qualifier_after(text: str, end: int, g: QuantityGrammar) -> tuple[str, int, int] | None:
    if g.not_after and text.startswith(g.not_after, end):  # 上下游企业: a word, not "about"
        return None
    for k in range(min(g.after_max, len(text) - end), 0, -1):
        w = text[end : end + k]
        if w in g.after:
            return w, end, end + k
    return None
