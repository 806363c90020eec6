"""Initiatives: what an article reports being built, set up, launched or carried out.

``find_initiatives(text) -> list[Initiative]`` cuts each sentence into clauses (at ，；：。！？ outside
quotes, and before an action word that follows 、 outside quotes: 配备专职网格员、选派楼栋长) and reports a
clause that holds an action word (建立 设立 成立 组建 推行 开展 打造 引入 实施 …, the list is
``data/initiatives.toml``) followed by its object; not one of a purpose (为推动…), of a time since
(…成立以来). Clauses after it that report no action of their own belong to it
(``设立“红蜂驿站”31个，服务骑手3000余人次`` is one initiative), up to a limit. Its name is a
PROGRAMME mention (when they are given) or a quotation of the action's own clause (“红蜂驿站”,
“未访（诉）先办”): the first after the action word, else one before it in the clause; quotations of
the clauses after it are not its name (变“社区单独干”为…). An action word used as a noun or a modifier is
skipped: followed by a word of the toml's ``[nouns]`` (现代化建设成果, 党的创新理论), in 以…为 (以创新为动力), or
before a 中 of "in the course of" (在现代化建设中, 改造中存在的困难).

Each initiative has a ``status``: ``reported`` (done or under way), ``planned`` (a plan, target or decided task)
or ``urged`` (a call on others), from the cue word nearest before its action word (the toml's ``[status]``) and
the report part it stands in (:func:`report_parts`).

The pipeline stage (:class:`InitiativeStage`) adds the place (the nearest unit or region named before the
action word in its sentence, else a zone or compound so named, else the article's place) with its
``place_path`` (the mention's full path, else the article's; ``province``, ``city`` and ``county`` of the
``initiatives`` table come from it, :class:`pipeline.records.InitiativeRecord`), the facts inside its span, and
its themes (:mod:`pipeline.themes`).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate, chain, compress
from operator import ge
from typing import Any

import numpy as np

from ..roundup import item_of, roundup_items
from ..segment import Segmenter, split_sentences

__all__ = [
    "STATUSES",
    "Initiative",
    "InitiativeStage",
    "InitiativeWords",
    "find_initiatives",
    "load_words",
    "report_parts",
]

_BREAK = frozenset("，。；：！？,;:!?\n")
_PURPOSE = frozenset(("为", "为了"))
_SINCE = frozenset(("以来",))
_OPEN = {"“": "”", "‘": "’", "「": "」", "《": "》", "（": "）", "(": ")", '"': '"'}
_TRIM = " \t\u3000，。；：！？,;:!?、等"
# the characters that can change a clause cut: breaks, opening and closing quotes and brackets
_MARKS = re.compile("[" + re.escape("".join(sorted(_BREAK | set(_OPEN) | set(_OPEN.values())))) + "]")
_BREAKS = re.escape("".join(sorted(_BREAK)))
_BREAK_AT = re.compile(f"[{_BREAKS}]")
_OPEN_AT = re.compile("[" + re.escape("".join(sorted(_OPEN))) + "]")  # an opening quote or bracket
# the clauses of a text where no quote or bracket opens: each up to and with its break, then the rest
_PLAIN_CLAUSE = re.compile(f"[^{_BREAKS}]*[{_BREAKS}]|[^{_BREAKS}]+")


@dataclass(frozen=True)
class InitiativeWords:
    """The compiled contents of ``data/initiatives.toml``."""

    actions: frozenset[str]
    min_object_chars: int
    max_follow_clauses: int
    max_name_chars: int
    noun_after: frozenset[str] = frozenset()
    noun_pairs: frozenset[tuple[str, str]] = frozenset()
    plan_parts: tuple[str, ...] = ()
    review_parts: tuple[str, ...] = ()
    part_heading_words: tuple[str, ...] = ()
    cues: dict[str, str] | None = None  # cue word -> status ("reported", "urged", "planned")
    near_planned: frozenset[str] = frozenset()
    near_gap: int = 2
    will: str = "将"
    will_next: frozenset[str] = frozenset()
    said: frozenset[str] = frozenset()
    not_said: frozenset[str] = frozenset()
    carry_sentences: int = 3
    calls: tuple[str, ...] = ()
    carry_breaks: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def load_words() -> InitiativeWords:
    """The packaged initiative lexicon (read once per process)."""
    data = tomllib.loads(resources.files("pipeline.data").joinpath("initiatives.toml").read_text("utf-8"))
    lim = data["limits"]
    st = data["status"]
    cues = (
        {w: "reported" for w in st["done"]} | {w: "urged" for w in st["urged"]} | {w: "planned" for w in st["planned"]}
    )
    return InitiativeWords(
        actions=frozenset(data["actions"]["words"]),
        min_object_chars=int(lim["min_object_chars"]),
        max_follow_clauses=int(lim["max_follow_clauses"]),
        max_name_chars=int(lim["max_name_chars"]),
        noun_after=frozenset(data["nouns"]["after"]),
        noun_pairs=frozenset((a, n) for a, ns in data["nouns"]["pairs"].items() for n in ns),
        plan_parts=tuple(st["plan_parts"]),
        review_parts=tuple(st["review_parts"]),
        part_heading_words=tuple(st["part_heading_words"]),
        cues=cues,
        near_planned=frozenset(st["near_planned"]),
        near_gap=int(st["near_gap"]),
        will=st["will"],
        will_next=frozenset(st["will_next"]),
        said=frozenset(st["said"]),
        not_said=frozenset(st["not_said"]),
        carry_sentences=int(st["carry_sentences"]),
        carry_breaks=tuple(st["carry_breaks"]),
        calls=tuple(st["calls"]),
    )


STATUSES = ("reported", "planned", "urged")


_PART_LINE = re.compile(r"^[一二三四五六七八九十]+、")


def _line_headings(text: str) -> list[tuple[int, str]]:
    """``(start, line)`` of the text's lines that look like a report's part headings: short, no sentence end,
    opening with 一、 二、 … (the pipeline passes the subheadings it found instead)."""
    out = []
    pos = 0
    for line in text.split("\n"):
        head = line.strip()
        if head and len(head) <= 40 and _PART_LINE.match(head) and not any(c in head for c in "。；！？"):
            out.append((pos + line.index(head[0]), head))
        pos += len(line) + 1
    return out


_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def report_parts(headings: Iterable[tuple[int, str]], words: InitiativeWords | None = None) -> list[tuple[int, str]]:
    """``(start, "planned" | "reported")`` for each heading that opens a plan part (工作安排, 重点工作, 主要目标 …)
    or a review part (工作回顾, 过去一年 …) of a report, in text order; other headings are left out. A heading
    counts only when it is numbered or names a year, 工作, 目标 …: a news round-up's item titles (西部计划志愿者出征)
    open no part. After a numbered review heading (一、2023年工作回顾), the next numbered heading of the same kind
    (二、…) opens the plan whatever it says (二、对今年政府工作的建议, 二、1997年经济工作)."""
    words = words or load_words()
    out: list[tuple[int, str]] = []
    review_mark: str | None = None  # the numbering of the review part's own heading (一、 or （一）)
    for start, head in sorted(headings):
        numbered = _NUMBERED.match(head)
        if not numbered and not any(w in head for w in words.part_heading_words):
            continue
        mark = None if numbered is None else ("（" if "（" in numbered.group() else "、")
        if any(w in head for w in words.plan_parts):
            out.append((start, "planned"))
            review_mark = None
        elif any(w in head for w in words.review_parts):
            out.append((start, "reported"))
            review_mark = mark
        elif review_mark is not None and mark == review_mark:
            out.append((start, "planned"))  # the review is over
            review_mark = None
    return out


_INLINE_PART = re.compile(r"[一二三四五六七八九十]+、[^\s。；！？，、：:]{2,24}")


def _inline_parts(text: str, words: InitiativeWords) -> list[tuple[int, str]]:
    """Part headings printed inside a line (a report whose line breaks were lost: … 二、2024年政府工作安排 …), when
    they name a review or a plan."""
    return [
        (m.start(), m.group())
        for m in _INLINE_PART.finditer(text)
        if (m.start() == 0 or text[m.start() - 1] in " \u3000\n。；！")
        and any(w in m.group() for w in (*words.plan_parts, *words.review_parts))
    ]


# a sentence that opens a report's plan where no heading does: 今年政府工作的总体要求是： / 建议2024年全市经济社会发展的
# 主要预期目标是：
_PLAN_OPENER = re.compile(
    r"(?:今年|明年|20\d\d年)[^。；\n]{0,30}(?:总体要求|预期目标|主要目标|重点工作|工作安排)[^。；\n]{0,4}[是为][：:]"
)


def _plan_openers(text: str) -> list[tuple[int, str]]:
    """``(start, "planned")`` where a sentence opens a report's plan (:data:`_PLAN_OPENER`)."""
    return [(m.start(), "planned") for m in _PLAN_OPENER.finditer(text)]


_BY_YEAR = re.compile(r"到20\d\d年")
_SPACE = re.compile(r"\s")  # the characters of str.isspace


def _cue(toks: Sequence[str], k: int, words: InitiativeWords, marks: Sequence[int] | None = None) -> str | None:
    """The status the words before token ``k`` of a sentence give (the nearest cue wins): 已 累计 -> reported;
    要 必须, or 强调/要求 introducing what was said (会议强调，…) -> urged; 拟 力争 预计, 计划 争取 close before the
    action, or 将 followed by an adverb, a preposition or an action word -> planned; None without a cue.

    ``marks``, when given, are the indexes (in order) of the sentence's tokens that are cue words (将, the said
    and near-planned words, the status cues): only those are read, as no other token decides anything."""
    cues = words.cues or {}
    will, said, near = words.will, words.said, words.near_planned
    for j in range(k - 1, -1, -1) if marks is None else reversed(marks[: bisect_left(marks, k)]):
        w = toks[j]
        if w == will:
            if j + 1 < len(toks) and (toks[j + 1] in words.will_next or toks[j + 1] in words.actions):
                return "planned"
            continue  # 将 as 把: 将党组织同步建在网格上
        if w in said:
            if (
                j + 1 < len(toks)
                and toks[j + 1] in ("，", "：", ":", ",")
                and (j == 0 or toks[j - 1] not in words.not_said)
            ):
                return "urged"
            continue  # a noun: 按照高质量发展的要求，
        if w in near:
            if k - j - 1 <= words.near_gap:
                return "planned"
            continue  # 兴辽英才计划, 争取政策性资金239亿元
        c = cues.get(w)
        if c is not None:
            return c
    return None


def _status(
    toks: Sequence[str],
    k: int,
    part: str | None,
    words: InitiativeWords,
    carried: str | None = None,
    *,
    marks: Sequence[int] | None = None,
    by_year: bool | None = None,
) -> str:
    """The status of the initiative whose action word is token ``k`` of its sentence: 了 right after the action
    word -> reported, else the cue before it (:func:`_cue`; 到2027年 -> planned), else ``carried``, the urged cue of
    an earlier sentence of its paragraph (会议强调，要…。 then more tasks). In a report's plan part everything not
    reported as done is planned (its 要 is the government's commitment); in a review part only a plan cue
    (下一步将…) changes reported; elsewhere an initiative without a cue is reported.

    A caller that has read the sentence once may say what it found: ``marks``, where its cue words are (see
    :func:`_cue`), and ``by_year``, whether a 到2027年 ends before token ``k`` (None: look for one in the tokens
    before it)."""
    if k + 1 < len(toks) and toks[k + 1] == "了" or toks[k].endswith("了"):
        cue: str | None = "reported"
    else:
        cue = _cue(toks, k, words, marks) if marks is None or marks else None  # no cue word, no cue
        if cue is None and (_BY_YEAR.search("".join(toks[:k])) if by_year is None else by_year):
            cue = "planned"
    if part == "planned":
        return "reported" if cue == "reported" else "planned"
    if part == "reported":
        return "planned" if cue == "planned" else "reported"
    return cue or carried or "reported"


@dataclass(frozen=True, slots=True)
class Initiative:
    """One initiative: its span (whole clauses) and the action word and object in it.

    Offsets are into the text given to :func:`find_initiatives`; ``text[start:end] == self.text``.
    """

    start: int
    end: int
    text: str
    action: str
    action_start: int
    object: str
    name: str | None
    name_start: int | None
    name_end: int | None
    sentence_start: int
    sentence_end: int
    words: tuple[str, ...] = ()  # its words, from its sentence's segmentation (whitespace dropped)
    status: str = "reported"  # reported | planned | urged (see find_initiatives)


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of ``text[start:end]``: cut at clause punctuation outside quotes and brackets."""
    if not _OPEN_AT.search(text, start, end):  # nothing opens (most sentences): a cut at every break
        return [m.span() for m in _PLAIN_CLAUSE.finditer(text, start, end)]
    out = []
    begin = start
    closing: list[str] = []
    for m in _MARKS.finditer(text, start, end):  # other characters change nothing
        i = m.start()
        ch = m.group()
        if closing and ch == closing[-1]:
            closing.pop()
        elif ch in _OPEN and len(closing) < 4:
            closing.append(_OPEN[ch])
        elif ch in _BREAK and not closing:
            if i + 1 > begin:
                out.append((begin, i + 1))
            begin = i + 1
    if begin < end:
        out.append((begin, end))
    return out


def _inside_quotes(text: str, start: int, pos: int) -> bool:
    """Whether ``pos`` is inside a “…” quotation opened after ``start``."""
    return text.count("“", start, pos) > text.count("”", start, pos)


def _split_at(clauses: list[tuple[int, int]], cuts: Sequence[int]) -> list[tuple[int, int]]:
    """``clauses`` with each one holding a cut position split there (positions sorted)."""
    out = []
    for a, b in clauses:
        for c in cuts:
            if a < c < b:
                out.append((a, c))
                a = c
        out.append((a, b))
    return out


def _quoted(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans inside “…” quotations within ``text[start:end]`` (the quote marks excluded)."""
    out = []
    i = start
    while True:
        a = text.find("“", i, end)
        if a < 0:
            return out
        b = text.find("”", a + 1, end)
        if b < 0:
            return out
        out.append((a + 1, b))
        i = b + 1


def _action(
    text: str,
    starts: Sequence[int],
    toks: Sequence[str],
    hits: Sequence[int],
    start: int,
    end: int,
    words: InitiativeWords,
) -> tuple[int, int] | None:
    """The first action word of a clause (as a token) with an object after it, outside quotations.

    ``hits`` are the indexes of the sentence's tokens that are action words (in order), ``starts`` every
    token's start; the clause is ``text[start:end]``."""
    quotes: list[tuple[int, int]] | None = None
    for k in hits[bisect_left(hits, start, key=starts.__getitem__) :]:
        s = starts[k]
        e = s + len(toks[k])
        if e > end:
            break
        if quotes is None:
            quotes = _quoted(text, start, end)
        if quotes and any(a <= s < b for a, b in quotes):
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if (
            nxt in words.noun_after
            or (toks[k], nxt) in words.noun_pairs
            or (nxt == "为" and k > 0 and toks[k - 1] == "以")
            or (nxt == "中" and _in_the_course(toks, k, start, starts))
        ):
            continue  # a noun or a modifier: 现代化建设成果, 党的创新理论, 以创新为动力, 在现代化建设中
        if _has_chars(text[e:end].strip(_TRIM), words.min_object_chars):
            return s, e
    return None


def _in_the_course(toks: Sequence[str], k: int, start: int, starts: Sequence[int]) -> bool:
    """Whether token ``k`` followed by 中 means "in the course of": 在现代化建设中, 老旧小区改造中存在的困难 (not
    推动中美经贸磋商 or 推进中储粮…项目, where 中 begins a name)."""
    after = toks[k + 2] if k + 2 < len(toks) else ""
    if after == "、":
        return False  # 建设中、小城镇: 中 is one of a list
    if not after or after in ("的", "存在", "遇到", "发现", "提出") or not ("\u4e00" <= after[0] <= "\u9fff"):
        return True
    j = k - 1
    while j >= 0 and starts[j] >= start:  # 在 earlier in its clause
        if toks[j] == "在":
            return True
        j -= 1
    return False


def _has_chars(obj: str, need: int) -> bool:
    """Whether ``obj`` holds at least ``need`` ideographs, letters or digits (read until there are enough)."""
    if need <= 0:
        return True
    for ch in obj:
        if "\u4e00" <= ch <= "\u9fff" or ch.isalnum():
            need -= 1
            if not need:
                return True
    return False


def find_initiatives(
    text: str,
    segmenter: Segmenter | None = None,
    *,
    sentences: Iterable[tuple[int, int, Sequence[str]]] | None = None,
    programmes: Sequence[tuple[int, int]] = (),
    words: InitiativeWords | None = None,
    headings: Iterable[tuple[int, str]] | None = None,
) -> list[Initiative]:
    """Initiatives of a text, in text order.

    Args:
        text: An article's text (or any string).
        segmenter: Cuts sentences into words when ``sentences`` is not given (a default one is built).
        sentences: ``(start, end, words)`` of the text's sentences, when already cut (the pipeline passes
            its sentence rows, so nothing is segmented twice).
        programmes: ``(start, end)`` of PROGRAMME mentions; the first inside an initiative names it.
        words: The lexicon (the packaged one by default).
        headings: ``(start, text)`` of the text's subheadings; a report's part headings (二、2024年工作安排)
            make what follows them planned (or reported, after 一、2023年工作回顾). Without them, the text's
            short lines that open with 一、 二、 … are taken as headings. Either way, part headings printed inside
            a line (… 二、2024年政府工作安排 …) and a sentence that opens the plan (今年政府工作的总体要求是：) count.

    Returns:
        Initiatives whose spans do not overlap. Each has a ``status``: ``reported`` (done or under way),
        ``planned`` (a plan, target or decided task: 将, 计划, 力争, a report's plan part) or ``urged`` (a call on
        others: 要, 必须, 强调, only outside a report's plan or review part; a sentence that opens with 让我们 is
        urged even in a plan part), from the cue word nearest before its action word.

    Example:
        >>> [i.name for i in find_initiatives("在全区设立“红蜂驿站”31个，服务骑手3000余人次。")]
        ['红蜂驿站']
    """
    words = words or load_words()
    if sentences is None:
        seg = segmenter or _default_segmenter()
        sentences = [(s, e, seg.cut(text[s:e])) for s, e, _ in split_sentences(text)]
    out: list[Initiative] = []
    prog_sorted = sorted(programmes)
    actions = words.actions
    heads = _line_headings(text) if headings is None else list(headings)
    parts = sorted(report_parts(heads + _inline_parts(text, words), words) + _plan_openers(text))
    part_starts = [p for p, _ in parts]
    # whether the paragraph's sentences so far called on others (会议强调，要… carries to the tasks after it; a
    # plan cue does not: 预计9月底竣工 says nothing of the next sentence)
    para, carried, left = -1, None, 0
    # every word _cue reads: a sentence holding none of them has no cue (most have none)
    cue_words = (words.cues or {}).keys() | words.said | {words.will} | words.near_planned
    newlines = [m.start() for m in re.finditer("\n", text)]
    for s_start, s_end, toks in sentences:
        nl = bisect_left(newlines, s_start) - 1
        p_start = newlines[nl] + 1 if nl >= 0 else 0
        if p_start != para or left <= 0 or text.startswith(words.carry_breaks, s_start):
            para, carried = p_start, None
        left -= 1
        # token k is text[starts[k]:starts[k + 1]]: the words as read from the text at their offsets (the
        # words themselves when they are the text there, as a segmenter's are)
        if not text.startswith("".join(toks), s_start):
            starts = list(accumulate(map(len, toks), initial=s_start))
            toks = [text[a:b] for a, b in zip(starts, starts[1:], strict=False)]
        last = carried
        marks = [] if cue_words.isdisjoint(toks) else [j for j, w in enumerate(toks) if w in cue_words]
        if marks:
            c = _cue(toks, len(toks), words, marks)
            if c == "urged":
                carried, left = c, words.carry_sentences
        if actions.isdisjoint(toks):
            continue  # no action word, no initiative: nothing else to read (about half the sentences)
        starts = list(accumulate(map(len, toks), initial=s_start))
        # the tokens before token k are text[s_start:starts[k]]; 到2027年 is six characters, so it stands there
        # when its first match in the sentence ends at or before starts[k]
        year = _BY_YEAR.search(text, s_start, starts[-1])
        # the sentence's report part and whether it is a call on everyone (让我们…)
        p = bisect_right(part_starts, s_start) - 1
        part = parts[p][1] if p >= 0 else None
        calls = text.startswith(words.calls, s_start)
        # not an action word of a purpose (为推动…, 为了吸纳…) or of a time since (…工作开展以来)
        hits = [
            k
            for k, w in enumerate(toks)
            if w in actions
            and (k == 0 or toks[k - 1] not in _PURPOSE)
            and (k + 1 == len(toks) or toks[k + 1] not in _SINCE)
        ]
        clauses = _clauses(text, s_start, s_end)
        # an action word right after 、 starts a clause of its own: 配备专职网格员、选派楼栋长2399人 are two
        # (outside quotations: “听民意、办实事、建机制” is one name; and not where two action words share an
        # object: 培育、引进了一批人才)
        cuts = [
            starts[k]
            for k in hits
            if starts[k] > s_start
            and text[starts[k] - 1] == "、"
            and not (k >= 2 and toks[k - 2] in actions)
            and not _inside_quotes(text, s_start, starts[k])
        ]
        if cuts:
            clauses = _split_at(clauses, cuts)
        # a clause where no action word starts has no action (most of them)
        hit_starts = [starts[k] for k in hits]
        acts = [
            _action(text, starts, toks, hits, a, b, words)
            if bisect_left(hit_starts, a) < bisect_left(hit_starts, b)
            else None
            for a, b in clauses
        ]
        i = 0
        while i < len(clauses):
            act = acts[i]
            if act is None:
                i += 1
                continue
            j = i + 1
            while j < len(clauses) and acts[j] is None and j - i <= words.max_follow_clauses:
                j += 1
            start, end = clauses[i][0], clauses[j - 1][1]
            while end > start and text[end - 1] in _TRIM:
                end -= 1
            while start < end and text[start] in _TRIM:
                start += 1
            # its words: the tokens inside [start, end) (a run, as tokens follow each other)
            first, stop = bisect_left(starts, start, 0, len(toks)), bisect_right(starts, end, 1) - 1
            run = toks[first:stop]
            # whitespace tokens left out (a run whose text holds no whitespace has none: one regex search)
            spaced = _SPACE.search(text, starts[first], starts[stop]) and any(map(str.isspace, run))
            words_in = tuple(w for w in run if not w.isspace()) if spaced else tuple(run)
            if calls:
                status = "urged"  # 让我们…: a call on everyone, even in a report's plan part
            else:
                k = bisect_left(starts, act[0])
                by_year = year is not None and year.end() <= starts[k]
                status = _status(toks, k, part, words, last, marks=marks, by_year=by_year)
            out.append(_make(text, start, end, act, clauses[i], s_start, s_end, prog_sorted, words, words_in, status))
            i = j
    return out


def _make(
    text: str,
    start: int,
    end: int,
    act: tuple[int, int],
    clause: tuple[int, int],
    s_start: int,
    s_end: int,
    programmes: Sequence[tuple[int, int]],
    words: InitiativeWords,
    words_in: tuple[str, ...] = (),
    status: str = "reported",
) -> Initiative:
    a, b = act
    brk = _BREAK_AT.search(text, b, end)  # the object runs to the end of the action's own clause
    obj_end = brk.start() if brk else end
    obj = text[b:obj_end].strip(_TRIM)
    name = None
    # its name is in its own clause (``clause``, cut outside quotations: a name may hold a comma, “千村引领，
    # 万村升级”): a PROGRAMME mention or a quotation after the action word (推行“商圈党建联盟”模式), else before it
    # (按照“一格一员”配备…); quotations in the clauses that follow it are what it serves or a figure of speech
    # (整合各类资源，改变“社区单独干”)
    clause_start = max(clause[0], start)
    obj_end = max(obj_end, min(clause[1], end))
    # the mentions starting in [clause_start, obj_end) (sorted by start) that end by obj_end
    lo = bisect_left(programmes, (clause_start, -1))
    hi = bisect_left(programmes, (obj_end,), lo)
    cands = [(p, q) for p, q in programmes[lo:hi] if q <= obj_end] if lo < hi else []
    quoted = _quoted(text, clause_start, obj_end)
    if quoted:
        cands += [(p, q) for p, q in quoted if 1 < q - p <= words.max_name_chars]
    if cands:
        name = min(cands, key=lambda pq: (pq[0] < b, pq[0]))  # the first after the action word, else before it
    return Initiative(
        start=start,
        end=end,
        text=text[start:end],
        action=text[a:b],
        action_start=a,
        object=obj,
        name=text[name[0] : name[1]] if name else None,
        name_start=name[0] if name else None,
        name_end=name[1] if name else None,
        sentence_start=s_start,
        sentence_end=s_end,
        words=words_in,
        status=status,
    )


@lru_cache(maxsize=1)
def _default_segmenter() -> Segmenter:
    return Segmenter()


def round_scores(rows: Sequence[Sequence[float]], digits: int = 4) -> list[list[float]]:
    """``[[round(p, digits) for p in row] for row in rows]`` (rows of equal length), computed at C speed.

    Python's ``round`` gives the double nearest to the decimal ``k / 10**digits``, where ``k`` is the exact
    ``x * 10**digits`` rounded half to even. Here ``y = x * 10**digits`` is one correctly rounded product, off
    from the exact one by at most ``|y| * 2**-53`` (below 2e-7 while ``|y| < 1e9``); so wherever ``y`` is
    farther than 1e-6 from a half-integer, ``rint(y)`` is that same ``k``, and ``k / 10**digits`` (two exact
    doubles, one correctly rounded division) is that same double. The other values (near a half, large,
    not finite) go through ``round`` itself."""
    if not rows:
        return []
    x = np.asarray(rows, dtype=np.float64)
    scale = 10.0**digits
    with np.errstate(invalid="ignore", over="ignore"):  # inf and nan are not exact: round() takes them
        y = x * scale
        out = np.rint(y) / scale
        exact = (np.abs(y) < 1e9) & (np.abs(y - np.floor(y) - 0.5) > 1e-6)
    for i, j in zip(*np.nonzero(~exact), strict=True):
        out[i, j] = round(float(x[i, j]), digits)
    return out.tolist()


class InitiativeStage:
    """The pipeline stage: an article's initiatives as rows of the ``initiatives`` table, with their
    place, their facts and their themes; it also gives the article its themes
    (``done["article_themes"]``, which the driver puts on the article row).

    Args:
        model: the theme model (:func:`pipeline.themes.load_model`); None leaves themes empty.
        segmenter: the pipeline's segmenter, shared with the model's word features.
    """

    name = "themes"
    table = "initiatives"

    def __init__(self, model: Any = None, segmenter: Segmenter | None = None) -> None:
        self.model = model
        self.segmenter = segmenter

    def _cut(self, text: str) -> list[str]:
        return (self.segmenter or _default_segmenter()).cut(text)

    def __call__(self, article: Any, done: Any) -> list[Any]:
        from ..records import InitiativeRecord
        from .facts import mention_name, nearest_mention_before, row_places

        text = article.text
        sents = [(s.start, s.end, s.tokens) for s in done.get("sentences", ())]
        mentions = [r.mention for r in done.get("entities", ())]
        progs = [(m.start, m.end) for m in mentions if m.label == "PROGRAMME"]
        places = row_places(mentions)
        # zones and compounds only where the sentence names no unit before the action: a zone's name is often a
        # kind (国家现代农业产业园, 长江经济带), while 雄安新区 or 石化小区 is where the work is done
        minor = [m for m in mentions if m.label == "PLACE" and m.subtype in ("zone", "compound")]
        minor_starts = [m.start for m in minor]
        facts = list(done.get("facts", ()))
        heads = [(h.start, h.text) for h in getattr(article, "subheadings", ())]
        inits = find_initiatives(
            text, sentences=sents or None, segmenter=self.segmenter, programmes=progs, headings=heads
        )
        probs: list[list[float]] = []
        if self.model is not None:
            # one call for the initiatives and the article's own text (its words from the sentence rows)
            limit = self.model.article.get("max_chars", 4000)
            art_words = list(chain.from_iterable(s.tokens for s in done.get("sentences", ()) if s.start < limit))
            sent_words = {s.start: s.tokens for s in done.get("sentences", ())}
            ctx = [sent_words.get(i.sentence_start, ()) for i in inits] + [()]
            words = [i.words or tuple(self._cut(i.text)) for i in inits] + [art_words]
            rows = self.model.proba_words(words, ctx)
            probs, text_probs = rows[:-1], rows[-1]
            # a news round-up keeps only the themes that run through its items (pipeline.roundup)
            items = roundup_items([(h.start, h.end) for h in getattr(article, "subheadings", ())], len(text))
            scores = self.model.article_themes(
                text_probs, probs, [item_of(items, i.start) for i in inits], len(items), art_words, len(text)
            )
            done["article_themes"] = (
                tuple(s.code for s in scores if s.selected),
                tuple((s.code, s.score) for s in scores),
            )
        codes = [t.code for t in self.model.themes] if self.model is not None else []
        th = self.model.thresholds if self.model is not None else []
        rounded = round_scores(probs)
        place_starts = [m.start for m in places]
        fact_starts = [f.fact.start for f in facts]
        out = []
        for n, it in enumerate(inits, 1):
            rs, re_ = article.mapped.raw_span(it.start, it.end)
            # the place named before its action word in its sentence (彬州市东街社区举办…), else the article's
            pm = nearest_mention_before(places, place_starts, it.action_start, it.sentence_start) or (
                nearest_mention_before(minor, minor_starts, it.action_start, it.sentence_start)
            )
            lo, hi = bisect_left(fact_starts, it.start), bisect_left(fact_starts, it.end)
            ids = tuple(f.fact_id for f in facts[lo:hi] if f.fact.end <= it.end) if lo < hi else ()
            row = probs[n - 1] if probs else []
            out.append(
                InitiativeRecord(
                    article_id=article.article_id,
                    initiative_id=f"{article.article_id}/i{n}",
                    initiative=it,
                    raw_start=rs,
                    raw_end=re_,
                    place=mention_name(pm) if pm else article.place,
                    place_path=pm.normalized if pm else article.place_path,
                    fact_ids=ids,
                    themes=tuple(compress(codes, map(ge, row, th))),  # the codes whose p >= t
                    theme_scores=tuple(zip(codes, rounded[n - 1], strict=False)) if probs else (),
                )
            )
        return out
