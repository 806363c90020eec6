"""Layout repair: from a PDF-extracted newspaper page (or a scraped article) to paragraphs.

A PDF-extracted page has hard-wrapped lines, blank lines where the text jumped to the next column,
section labels printed vertically one character per line, headlines printed away from their articles
and in-article subheadings. :func:`repair_page` turns such a page into

* ``labels``: section labels (the page's column name, vertical text such as 基/层/实/践 -> 基层实践);
* ``titles``: headline lines that float outside the article bodies (matched to articles later by
  :mod:`pipeline.split`), each with an optional kicker (a place printed beside it: 金润社区);
* ``blocks``: the body paragraphs and subheadings, in reading order, lines joined.

A scraped article (already one paragraph a line) goes through :func:`paragraph_blocks` instead.

Every piece is a :class:`~pipeline.textmap.MappedText`, so offsets lead back to the raw input. The rules
are numbered in the code (R1 ...); the character classes they use live in ``data/layout.toml``.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .textmap import MappedText

__all__ = [
    "Block",
    "Title",
    "PageLayout",
    "LayoutRules",
    "load_rules",
    "looks_like_page",
    "repair_page",
    "paragraph_blocks",
]

# A function that says whether joining ``left`` and ``right`` puts one word across the join.
WordJoin = Callable[[str, str], bool]


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``kind='paragraph'``) or an in-article subheading (``kind='subheading'``)."""

    kind: str
    mapped: MappedText
    line: int  # first line of the block in the cleaned page (0-based)
    dateline: bool = False  # the paragraph opens with a dateline (本报讯 ...)


@dataclass(frozen=True, slots=True)
class Title:
    """A headline printed outside the article bodies, with the place printed beside it, if any."""

    mapped: MappedText
    line: int
    kicker: MappedText | None = None


@dataclass(frozen=True, slots=True)
class PageLayout:
    labels: tuple[MappedText, ...]
    titles: tuple[Title, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class LayoutRules:
    """The compiled contents of ``data/layout.toml``."""

    terminal: frozenset[str]
    closing: frozenset[str]
    continuation_start: frozenset[str]
    opening: frozenset[str]
    heading_max: int
    heading_short: int
    heading_no_final: frozenset[str]
    heading_forbidden: frozenset[str]
    page_min_lines: int
    page_short_line: int
    page_wrapped_share: float
    label_max: int
    dateline: re.Pattern[str]
    byline_open: str
    byline_close: str
    roles: tuple[str, ...]
    reported: re.Pattern[str]
    place_suffixes: tuple[str, ...]
    not_places: frozenset[str]
    place_only: re.Pattern[str]
    place_unit: re.Pattern[str]
    # a single-character suffix standing as one here (市 of 钦州市, not of 市场)
    bare_suffix: re.Pattern[str]
    not_place_endings: tuple[str, ...]
    high_level: tuple[str, ...]
    lead_words: tuple[str, ...]
    surnames: str
    report_place: re.Pattern[str]
    unit_forbidden: frozenset[str]
    headline_stopwords: frozenset[str]


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> LayoutRules:
    """Load and compile the layout data file (the packaged one unless ``path`` is given)."""
    if path is None:
        raw = resources.files("pipeline").joinpath("data/layout.toml").read_bytes()
    else:
        with open(path, "rb") as fh:
            raw = fh.read()
    d: dict[str, Any] = tomllib.loads(raw.decode("utf-8"))
    p, h, pg, dl, pl = d["punctuation"], d["heading"], d["page"], d["dateline"], d["place"]
    suffixes = tuple(sorted(pl["suffixes"], key=len, reverse=True))
    suffix_alt = "|".join(map(re.escape, suffixes))
    nf = pl.get("not_followed_by", {})
    ok = pl.get("followed_by_anyway", {})

    def guard(sfx: str) -> str:
        if sfx not in nf:
            return ""
        cancel = f"(?![{re.escape(nf[sfx])}])"
        words = ok.get(sfx, [])  # words that keep the suffix although they begin with a cancelling character
        return f"(?:(?={'|'.join(map(re.escape, words))}){'|' if words else ''}{cancel})" if words else cancel

    guarded = "|".join(re.escape(sfx) + guard(sfx) for sfx in suffixes)
    return LayoutRules(
        terminal=frozenset(p["terminal"]),
        closing=frozenset(p["closing"]),
        continuation_start=frozenset(p["continuation_start"]),
        opening=frozenset(p["opening"]),
        heading_max=int(h["max_chars"]),
        heading_short=int(h["short_chars"]),
        heading_no_final=frozenset(h["no_final_chars"]),
        heading_forbidden=frozenset(h["forbidden_chars"]),
        page_min_lines=int(pg["min_lines"]),
        page_short_line=int(pg["short_line"]),
        page_wrapped_share=float(pg["wrapped_share"]),
        label_max=int(pg["label_max_chars"]),
        dateline=re.compile(dl["regex"]),
        byline_open=dl["byline_open"],
        byline_close=dl["byline_close"],
        roles=tuple(sorted(dl["roles"], key=len, reverse=True)),
        reported=re.compile(dl["reported_regex"]),
        place_suffixes=suffixes,
        not_places=frozenset(pl["not_places"]),
        place_only=re.compile(rf"[\u4e00-\u9fff]{{1,12}}(?:{suffix_alt})"),
        # One unit of a place chain: 2-8 characters ending in a suffix that is not part of a longer word.
        place_unit=re.compile(rf"[\u4e00-\u9fff]{{1,8}}?(?:{guarded})"),
        bare_suffix=re.compile("|".join(re.escape(c) + guard(c) for c in "市区县旗盟")),
        not_place_endings=tuple(pl.get("not_place_endings", [])),
        high_level=tuple(pl.get("high_level", [])),
        lead_words=tuple(sorted(pl.get("lead_words", []), key=len, reverse=True)),
        surnames=dl.get("surnames", ""),
        report_place=re.compile(pl["report_place_regex"]),
        unit_forbidden=frozenset(pl.get("unit_forbidden_chars", "")),
        headline_stopwords=frozenset(d.get("headline", {}).get("stopwords", [])),
    )


# -- small predicates ---------------------------------------------------------------------------


def display_width(s: str) -> float:
    """Printed width in em: CJK, full-width and ambiguous-width characters count 1, others 1/2."""
    # Ambiguous-width characters (“ ” … — ·) are set full-width in Chinese type.
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in s)


def ends_sentence(line: str, rules: LayoutRules) -> bool:
    """R1: the line ends with a terminal mark, possibly followed by closing quotes or brackets."""
    s = line.rstrip()
    i = len(s) - 1
    while i >= 0 and s[i] in rules.closing:
        i -= 1
    if i >= 0 and s[i] in rules.terminal:
        return True
    # A line that is wholly bracketed, such as （完） or （记者 张三）, closes a paragraph too.
    return bool(s) and s[0] in rules.opening and s[-1] in rules.closing and len(s) <= 30


def is_place_only(line: str, rules: LayoutRules) -> bool:
    """The whole line is one place name (金润社区, 舍必崖乡, 赛马场北路社区)."""
    s = line.strip()
    return bool(rules.place_only.fullmatch(s)) and s not in rules.not_places and len(s) <= 14


def dateline_match(line: str, rules: LayoutRules) -> re.Match[str] | None:
    """R2: a line that opens an article (本报讯, 新华社北京电, 记者 张三 报道)."""
    s = line.lstrip()
    return rules.dateline.match(s) or rules.reported.match(s)


def looks_like_page(text: str, rules: LayoutRules | None = None) -> bool:
    """True for hard-wrapped text (a PDF-extracted page), False for one-paragraph-a-line text."""
    rules = rules or load_rules()
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < rules.page_min_lines:
        return False
    wrapped = sum(1 for ln in lines if len(ln) < rules.page_short_line and not ends_sentence(ln, rules))
    return wrapped / len(lines) >= rules.page_wrapped_share


def _lines(mapped: MappedText) -> list[tuple[int, int]]:
    """(start, end) of every line, newline excluded, trailing spaces excluded."""
    out = []
    pos = 0
    text = mapped.text
    for piece in text.split("\n"):
        end = pos + len(piece.rstrip())
        start = pos + (len(piece) - len(piece.lstrip()))
        out.append((min(start, end), end))
        pos += len(piece) + 1
    return out


# -- page repair ----------------------------------------------------------------------------------


@dataclass
class _Line:
    start: int
    end: int
    index: int
    blank_before: bool
    text: str


def repair_page(mapped: MappedText, word_join: WordJoin, rules: LayoutRules | None = None) -> PageLayout:
    """Repair the layout of one PDF-extracted page.

    Args:
        mapped: the page text after :func:`pipeline.clean.clean_page` (line breaks kept).
        word_join: tells whether two strings joined form a word across the join (from the segmenter).
        rules: layout rules; the packaged ones by default.

    Returns:
        The page's labels, floating titles and body blocks.
    """
    rules = rules or load_rules()
    text = mapped.text
    lines: list[_Line] = []
    blank = False
    for i, (s, e) in enumerate(_lines(mapped)):
        if s == e:
            blank = True
            continue
        lines.append(_Line(s, e, i, blank, text[s:e]))
        blank = False

    labels: list[MappedText] = []
    lines = _take_vertical_labels(lines, mapped, word_join, labels)

    # R3: datelines cut the page into article regions; what precedes the first one is the page head.
    starts = [k for k, ln in enumerate(lines) if dateline_match(ln.text, rules)]
    if not starts:
        # No dateline: one article, no floating titles; body = all lines.
        return PageLayout(tuple(labels), (), tuple(_join_body(lines, mapped, word_join, rules, False)))

    head = lines[: starts[0]]
    floating: list[list[_Line]] = []
    if head:
        # R4: the page's first short line that is not a place is its column label (党旗领航).
        first = head[0]
        if (
            first.index == 0
            and len(head) > 1
            and len(first.text) <= rules.label_max
            and not is_place_only(first.text, rules)
            and not ends_sentence(first.text, rules)
        ):
            labels.insert(0, mapped.slice(first.start, first.end))
            head = head[1:]
        # R5a: lines before the first dateline that end in sentences (a caption, a lead-in) are body
        # text; only the unpunctuated lines after them are headlines.
        cut = max((j + 1 for j, ln in enumerate(head) if ends_sentence(ln.text, rules)), default=0)
        floating.append(head[cut:])
        pre = head[:cut]
    else:
        pre = []

    blocks: list[Block] = _join_body(pre, mapped, word_join, rules, False) if pre else []
    for n, k in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        region = lines[k:stop]
        # R5: a body ends with a sentence; unpunctuated lines after its last sentence are headlines
        # printed between articles or at the foot of the page.
        last = max((j for j, ln in enumerate(region) if ends_sentence(ln.text, rules)), default=len(region) - 1)
        blocks.extend(_join_body(region[: last + 1], mapped, word_join, rules, True))
        floating.append(region[last + 1 :])

    titles = [t for group in floating for t in _titles(group, mapped, rules)]
    return PageLayout(tuple(labels), tuple(titles), tuple(blocks))


def _take_vertical_labels(
    lines: list[_Line], mapped: MappedText, word_join: WordJoin, labels: list[MappedText]
) -> list[_Line]:
    """R6: runs of one-character lines are vertical text (基/层/实/践); rebuild them as a label.

    The PDF often glues the last character of the vertical run to the next line (践回民区：...): the
    run takes the start of the next line as long as a word crosses the join.
    """
    out: list[_Line] = []
    k = 0
    while k < len(lines):
        j = k
        while j < len(lines) and len(lines[j].text) == 1 and "\u4e00" <= lines[j].text <= "\u9fff":
            j += 1
        if j - k < 2:
            out.append(lines[k])
            k += 1
            continue
        run = lines[k:j]
        chars = "".join(ln.text for ln in run)
        parts = [mapped.slice(ln.start, ln.end) for ln in run]
        if j < len(lines):
            nxt = lines[j]
            take = 0
            while take < min(3, len(nxt.text)) and word_join(chars + nxt.text[:take], nxt.text[take:]):
                take += 1
            if take:
                parts.append(mapped.slice(nxt.start, nxt.start + take))
                rest = _Line(nxt.start + take, nxt.end, nxt.index, nxt.blank_before, nxt.text[take:])
                lines = lines[:j] + [rest] + lines[j + 1 :]
        labels.append(MappedText.concat(parts, sep=""))
        k = j
    return out


def _titles(group: Sequence[_Line], mapped: MappedText, rules: LayoutRules) -> list[Title]:
    """R7: floating lines become titles; a line that is only a place is the kicker of the title in
    the same block of lines, else of the next title, else of the previous one."""
    # Blocks of lines without blank lines between them.
    runs: list[list[_Line]] = []
    for ln in group:
        if not runs or ln.blank_before:
            runs.append([])
        runs[-1].append(ln)
    items: list[tuple[str, _Line, int]] = []  # (kind, line, run)
    for r, run in enumerate(runs):
        for ln in run:
            items.append(("kicker" if is_place_only(ln.text, rules) else "title", ln, r))
    heads = [(ln, r) for kind, ln, r in items if kind == "title"]
    kickers: dict[int, _Line] = {}
    for kind, ln, r in items:
        if kind != "kicker":
            continue
        same = [h for h, hr in heads if hr == r]
        after = [h for h, hr in heads if h.index > ln.index and hr != r]
        before = [h for h, hr in heads if h.index < ln.index and hr != r]
        target = same[0] if same else after[0] if after else before[-1] if before else None
        if target is not None and target.index not in kickers:
            kickers[target.index] = ln
    return [
        Title(
            mapped.slice(h.start, h.end),
            h.index,
            mapped.slice(kickers[h.index].start, kickers[h.index].end) if h.index in kickers else None,
        )
        for h, _ in heads
    ]


def _join_body(
    lines: Sequence[_Line], mapped: MappedText, word_join: WordJoin, rules: LayoutRules, has_dateline: bool
) -> list[Block]:
    """Join wrapped lines into paragraphs and pick out subheadings (rules R8-R11)."""
    if not lines:
        return []
    # The column width: the upper quartile of the widths of lines that do not end a sentence, so that
    # short subheading lines and paragraph ends do not pull it down.
    full = sorted(display_width(ln.text) for ln in lines if not ends_sentence(ln.text, rules))
    width = full[(3 * len(full)) // 4] if full else max(display_width(ln.text) for ln in lines)

    blocks: list[Block] = []
    cur: list[_Line] = []  # lines of the paragraph being built
    cur_date = False

    def flush() -> None:
        nonlocal cur, cur_date
        if cur:
            blocks.append(Block("paragraph", _join_lines(cur, mapped, rules), cur[0].index, cur_date))
        cur, cur_date = [], False

    for j, ln in enumerate(lines):
        nxt = lines[j + 1] if j + 1 < len(lines) else None
        if cur and ln.text[0] not in rules.continuation_start:
            prev = cur[-1]
            # R8: a sentence end at the end of a line ends the paragraph, unless that line and this one
            # both fill the column (a new paragraph's first line is indented, so narrower).
            indent = 2.0 if len(cur) == 1 and not cur_date else 0.0
            if ends_sentence(prev.text, rules) and not (
                display_width(prev.text) >= width - indent - 1 and display_width(ln.text) >= width - 1
            ):
                flush()
        if not cur:
            if j == 0 and has_dateline:
                cur, cur_date = [ln], True
            elif _is_subheading(ln, nxt, width, word_join, rules, blocks):
                if blocks and blocks[-1].kind == "subheading" and _short(blocks[-1]):
                    # R11: a two-line subheading (立自治典范 / 点燃群众参与引擎) is one, joined by a space.
                    last = blocks.pop()
                    both = MappedText.concat([last.mapped, mapped.slice(ln.start, ln.end)], sep=" ")
                    blocks.append(Block("subheading", both, last.line))
                else:
                    blocks.append(Block("subheading", mapped.slice(ln.start, ln.end), ln.index))
                continue
            else:
                cur = [ln]
            continue
        cur.append(ln)
    flush()
    return blocks


def _short(block: Block) -> bool:
    return len(block.mapped.text) <= 8


def _is_subheading(
    ln: _Line, nxt: _Line | None, width: float, word_join: WordJoin, rules: LayoutRules, blocks: list[Block]
) -> bool:
    """R9: a line at a paragraph start is a subheading when it reads as a phrase on its own.

    It is short, has no sentence mark, does not end with a function character or an opening mark,
    no word runs on into the next line, and the next line starts a paragraph (indented, so visibly
    narrower than the column) or is itself a short subheading line.
    """
    s = ln.text
    if nxt is None or len(s) > rules.heading_max or any(c in rules.heading_forbidden for c in s):
        return False
    if s[-1] in rules.heading_no_final or s[-1] in rules.opening or s[-1] in "，,、：:":
        return False
    if s.count("“") != s.count("”") or s.count("（") != s.count("）"):
        return False
    # A subheading is a short title (立自治典范) or two parallel phrases (组织创新融合，提升党组织覆盖面);
    # a long line of one phrase is the indented first line of a paragraph (为了吸纳更多新业态新就业群体).
    parts = [p for p in re.split(r"[，,　 ]", s) if p]
    if len(s) > rules.heading_short and not (len(parts) >= 2 and all(len(p) >= 3 for p in parts)):
        return False
    if nxt.text[0] in rules.continuation_start or word_join(s, nxt.text):
        return False
    if display_width(s) <= 0.7 * width:
        # A line this short that ends no sentence cannot be a wrapped line of running text.
        return True
    nxt_w = display_width(nxt.text)
    if ends_sentence(nxt.text, rules):
        # The next line ends a paragraph: the candidate is more likely the indented first line of a
        # two-line paragraph, unless it is clearly narrower than one.
        return display_width(s) <= width - 3.5
    indented = nxt_w <= width - 1.5
    short_pair = nxt_w <= 10
    return indented or short_pair


def _join_lines(lines: Sequence[_Line], mapped: MappedText, rules: LayoutRules) -> MappedText:
    """R10: join wrapped lines without a separator (Chinese has no spaces, and Chinese pages break
    Latin words without hyphens too); inside a byline bracket a break next to a role word (记者,
    通讯员) becomes a space, since it separates a role from a name."""
    first, last = lines[0], lines[-1]
    para = mapped.slice(first.start, last.end)
    base = first.start
    edits = []
    depth = 0
    for a, b in zip(lines, lines[1:], strict=False):
        depth += sum(a.text.count(c) for c in rules.byline_open) - sum(a.text.count(c) for c in rules.byline_close)
        sep = ""
        if (
            depth > 0
            and (a.text.endswith(rules.roles) or b.text.startswith(rules.roles))
            and (" " in a.text or " " in b.text)
        ):
            # A byline that separates roles and names by spaces lost one at the line break.
            sep = " "
        edits.append((a.end - base, b.start - base, sep))
    return para.edit(edits) if edits else para


# -- scraped articles ---------------------------------------------------------------------------


def paragraph_blocks(mapped: MappedText, rules: LayoutRules | None = None) -> list[Block]:
    """Blocks of text that already has one paragraph a line (a cleaned JSONL record).

    R12: a short line without a sentence mark is a subheading (一、2023年工作回顾, a bold item title in
    a news bundle); every other line is a paragraph.
    """
    rules = rules or load_rules()
    blocks = []
    for i, (s, e) in enumerate(_lines(mapped)):
        if s == e:
            continue
        line = mapped.text[s:e]
        heading = (
            len(line) <= 40
            and not ends_sentence(line, rules)
            and not any(c in rules.heading_forbidden for c in line)
            and line[-1] not in "，,、：:"
        )
        kind = "subheading" if heading else "paragraph"
        blocks.append(Block(kind, mapped.slice(s, e), i, bool(dateline_match(line, rules)) and not heading))
    return blocks
