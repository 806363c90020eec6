"""Facts: quantities attached to what they count, linked and checked.

``extract_facts(text) -> list[Fact]`` finds the quantities of a text (:mod:`.quantities`) and names, for
each, the entity it counts or measures, as a short noun phrase with its offsets:

* A1 number before the noun: ``共吸引辖区 113位女性加入`` -> 女性; ``组建63支622人的“青城义警”队伍`` ->
  both numbers count “青城义警”队伍 (a following quantity and 的 are skipped);
* A2 noun before the number: ``选派楼栋长（单元长）2399人`` -> 楼栋长（单元长）; ``设立“红蜂驿站”31个`` ->
  红蜂驿站; linking words (达 为 共 累计 分别为 …) and one verb between them are skipped
  (``考核指标精减近 7 成`` -> 考核指标); a list ``网格员、楼栋长、单元长等`` stays whole, without 等;
* A3 a change with no noun of its own (``同比增加1.74亿吨、增长6.3%``) takes the entity of the previous
  fact of its sentence;
* A4 a number whose entity cannot be found keeps an empty entity rather than a guess.

Links: L1 from-to pairs (``由222项缩减至101项``) share a ``link_id`` with roles ``from``/``to``; L2 a rate
(``完成率达96.4%``) after a total and a part of the same unit in its sentence (``415项 … 完成400项``) is
linked to them (roles ``total``/``part``/``rate``) and checked: ``check_status`` is ``ok`` when part/total
rounds to the printed rate (is within a point of an approximate one, at or above a lower bound such as 超75%, at
or below an upper bound such as 不足5%), ``mismatch`` otherwise (``check_detail`` says by how much); nothing is
fixed.

The same function runs inside the pipeline (on each article, via :class:`FactExtractor`) and on any
string as a library, with the same results.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from ..records import FactRecord
from ..segment import Segmenter, split_sentences
from .quantities import Quantity, QuantityGrammar, extract_quantities, load_grammar

__all__ = ["Fact", "FactExtractor", "FactStage", "extract_facts"]

_NOMINAL_FLAGS = {"n", "nr", "ns", "nt", "nz", "ng", "nrt", "nrfg", "vn", "j", "l", "eng", "an", "i", "nl", "s", "g"}
_MODIFIER_FLAGS = {"a", "b", "ag", "f", "z"}
_VERB_FLAGS = {"v", "vd", "vi", "vg", "vq"}
_QUOTES_OPEN = "“‘「《（("
_QUOTES_CLOSE = "”’」》）)"
_CLAUSE_BREAK = "，。；：！？,;:!?\n"
_CLAUSE_BREAK_RX = re.compile(f"[{re.escape(_CLAUSE_BREAK)}]")
_EVENT_UNITS = frozenset({"次", "场", "场次", "轮", "遍", "趟", "批次", "人次", "户次"})
_PEOPLE_UNITS = frozenset({"人", "名", "位", "人次", "户", "户次"})
_MEASURE_ENDS = ("数", "量", "率", "额")
_MADE_OF = frozenset({"组成", "构成", "组建"})
_NOUN_UNITS = frozenset({"部门", "车道"})  # units that are the noun they count (五部门, 双向六车道)
_UNIT_NOUN_TAILS = ("地震",)  # printed units that end with the noun they measure (6.8级地震: 级 of an earthquake)
_DIMENSIONS = frozenset("长宽高深厚")  # 700米长的防洪板: adjectives, though 长 ends nouns (村长)
# a clause that opens with the start point of a from-to (，由每个婴幼儿每月1000元提高到2000元;
# ，由一九七八年的三百五十五亿元增加到…): what it measures ends the clause before
_FROM_OPENING = re.compile(r"[由从](?:每|(?:\d{4}|[〇○零一二三四五六七八九]{4})年)")
# time words that may stand between a noun and its figure (粮食产量今年预计将首次突破1.4万亿斤)
_TIME_ADVERBS = frozenset({"今年", "去年", "明年", "目前", "当前", "现在", "年内", "近年", "近年来", "今后", "全年"})
# verbs of carrying something out: after 全面 or 全市 they start the predicate, never a name (全面开展城市体检)
_CAMPAIGN_VERBS = frozenset({"开展", "推进", "实施", "启动", "推行", "落实", "部署", "展开"})
# currency words printed after an amount (24319.6亿元人民币): part of its unit, not what it measures
_CURRENCY_WORDS = ("人民币", "美金")
# words joining two nouns that one count counts together (129个国家和地区)
_COORDINATORS = frozenset({"和", "及", "与", "以及"})
# words that open with a glue character and are words of their own (对外直接投资, 对口支援)
# words that start with a glue character but are words: the phrase starts with them (对外 直接投资) ...
# ... or runs on over them (the user dictionary's 宜居宜业 和美乡村 示范村)
_INNER_GLUED_WORDS = frozenset({"和美", "和美乡村", "在职党员"})
_GLUED_WORDS = frozenset({"对外", "对内", "对口", "对台", "对华"}) | _INNER_GLUED_WORDS
# a build verb with its variant in brackets (新（改）建农村公路500公里): what is built follows it
_BUILD_VARIANT = re.compile(r"新?[（(][^）)]{1,3}[）)]建")
# comparison words that open a difference from another figure (高于全国7.8个百分点: how far the figure before exceeds)
_COMPARISONS = ("高于", "低于", "快于", "慢于", "超过", "超出", "领先")
# an earlier year a figure is set against, with its 的 (比一九五二年的, 是2010年的, 比上年同期的)
_EARLIER_YEAR = r"(?:上年|去年|上一年|前一年|[0-9]{4}年|[〇○零一二三四五六七八九]{4}年)(?:同期|底|末)?的[ \u3000]*"
# what stands between a figure and the base it is compared with (…，比一九五二年的 / 比上年同期的 …)
_COMPARISON_BASE = re.compile(r"[，,、 \u3000]*(?:比|较|同)" + _EARLIER_YEAR)
# what stands between a figure and the multiple it is of an earlier one (…1713亿元，是2010年的2.2倍)
_MULTIPLE_OF = re.compile(r"[，,、 \u3000]*(?:分别)?(?:是|为|相当于)" + _EARLIER_YEAR)
# units that count times something is done (两次会晤, 开展了两轮巡视)
_TIMES_UNITS = frozenset({"次", "场", "轮", "遍", "趟"})
# last characters of a noun that jieba tags as numerals (纳凉 点, 除杂服务 点)
_NUMERAL_TAGGED_ENDS = ("点", "站", "台")
# nouns of duration that jieba tags as time words (周期 t): the head of what a span of time measures
_TIME_HEADS = frozenset(
    {"周期", "工期", "时间", "时长", "年限", "期限", "时限", "寿命", "用时", "耗时", "间隔", "时段"}
)


@dataclass(frozen=True)
class FactWords:
    """The compiled contents of ``data/facts.toml``."""

    link_words: tuple[str, ...]
    boundary: frozenset[str]
    glue: str
    verbs: frozenset[str]
    change: tuple[str, ...]
    noun_end: str
    max_chars: int
    left_strip: re.Pattern[str]
    change_only: re.Pattern[str]
    change_tail: re.Pattern[str]
    action_tail: re.Pattern[str]
    adverb_tail: re.Pattern[str]
    change_prefix_words: frozenset[str]
    change_prefixes: tuple[str, ...]  # the same words, longest first
    adverbs: frozenset[str]
    figurative: frozenset[str]
    ordinal_adverbs: frozenset[str]
    numeral_nouns: frozenset[str]
    noun_openers: frozenset[str]
    verb_heads: frozenset[str]
    predicate_words: frozenset[str]
    predicate_verbs: frozenset[str]
    manner_adverbs: frozenset[str]
    manner_verbs: frozenset[str]
    term_words: frozenset[str]
    time_modifiers: frozenset[str]
    numeral_modifiers: frozenset[str]  # words tagged m that describe a kind (千兆 示范小区)
    modifier_verbs: frozenset[str]
    after_skip: re.Pattern[str]
    institution_heads: tuple[str, ...]
    per_unit_heads: tuple[str, ...]
    per_unit: re.Pattern[str]  # a unit of output and its measure, right before an entity (单位GDP)
    per_unit_lead: re.Pattern[str]  # a unit of output alone (万元), before an entity that opens with its measure
    shared_heads: tuple[str, ...]  # heads a 分别 list's items share (基本养老、失业、工伤保险参保人数)
    measure_verbs: frozenset[str]  # verbs that name what the count after them measures (出栏5.8万头)
    verb_terms: tuple[str, ...]  # terms that open with an action verb or a function word (新建商品房, 即办率)
    new_verbs: frozenset[str]  # action verbs that describe new things (新开工项目投产率, 12个新建小区)
    name_verbs: frozenset[str]  # action verbs often inside a name after a number (市层面统筹推进重大项目)
    adverb_terms: tuple[str, ...]  # terms that open with a word jieba tags an adverb (特别国债)
    whole_nouns: frozenset[str]  # nouns that 全 before them makes one word with (全产业链)
    verb_measures: frozenset[str]  # measure nouns after the verb they measure (种植面积)
    second_verbs: frozenset[str]  # verbs that end the phrase only after an action verb (改造提升)


@lru_cache(maxsize=1)
def load_words() -> FactWords:
    data = resources.files("pipeline").joinpath("data")
    d = tomllib.loads(data.joinpath("facts.toml").read_text(encoding="utf-8"))
    # words that hold 零 but are no number (零部件): one list, kept with the quantity grammar
    quantities = tomllib.loads(data.joinpath("quantities.toml").read_text(encoding="utf-8"))
    return FactWords(
        link_words=tuple(sorted(d["link_words"], key=len, reverse=True)),
        boundary=frozenset(d["boundary_words"]),
        glue=d["glue_chars"],
        verbs=frozenset(d["action_verbs"]),
        change=tuple(sorted(d["change_verbs"], key=len, reverse=True)),
        noun_end=d["noun_end_chars"],
        max_chars=int(d["max_chars"]),
        left_strip=re.compile(d["left_strip_regex"]),
        change_prefix_words=frozenset(d["change_prefixes"]),
        change_prefixes=tuple(sorted(dict.fromkeys(d["change_prefixes"]), key=len, reverse=True)),
        adverbs=frozenset(d["adverbs"]),
        figurative=frozenset(d["figurative_heads"]),
        ordinal_adverbs=frozenset(d["ordinal_adverbs"]),
        numeral_nouns=frozenset(quantities["exclude"]["words"]),
        noun_openers=frozenset(d["noun_openers"]),
        verb_heads=frozenset(d["verb_heads"]),
        predicate_words=frozenset(d["predicate_words"]),
        predicate_verbs=frozenset(d["predicate_verbs"]),
        manner_adverbs=frozenset(d["manner_adverbs"]),
        manner_verbs=frozenset(d["manner_verbs"]),
        term_words=frozenset(d["term_words"]),
        time_modifiers=frozenset(d["time_modifiers"]),
        numeral_modifiers=frozenset(d["numeral_modifiers"]),
        modifier_verbs=frozenset(d["modifier_verbs"]),
        after_skip=re.compile(d["after_skip_regex"]),
        institution_heads=tuple(d["institution_heads"]),
        per_unit_heads=tuple(d["per_unit_heads"]),
        shared_heads=tuple(d["shared_heads"]),
        measure_verbs=frozenset(d["measure_verbs"]),
        verb_terms=tuple(d["verb_terms"]),
        new_verbs=frozenset(d["new_verbs"]),
        name_verbs=frozenset(d.get("name_verbs", ())),
        adverb_terms=tuple(d.get("adverb_terms", ())),
        whole_nouns=frozenset(d["whole_nouns"]),
        verb_measures=frozenset(d["verb_measures"]),
        second_verbs=frozenset(d["second_verbs"]),
        per_unit=re.compile(
            "(?:"
            + "|".join(map(re.escape, d["per_unit_leads"]))
            + ")(?:"
            + "|".join(map(re.escape, sorted(d["per_unit_heads"], key=len, reverse=True)))
            + ")$"
        ),
        per_unit_lead=re.compile("(?:" + "|".join(map(re.escape, d["per_unit_leads"])) + ")$"),
        change_only=re.compile(
            "(?:"
            + "|".join(map(re.escape, d["change_prefixes"]))
            + ")*(?:"
            + "|".join(map(re.escape, sorted(d["change_verbs"], key=len, reverse=True)))
            + ")"
        ),
        change_tail=re.compile(
            f"((?:{_alternation(d['change_prefixes'])})*)((?:{_alternation(d['change_verbs'])})了?)$"
        ),
        # adverbs of two characters or more, 已, 将, and 共 and 均 where they end no word (公共, 年均)
        action_tail=re.compile(
            "(?:(?:"
            + _alternation({x for x in (*d["adverbs"], *d["change_prefixes"]) if len(x) > 1} | {"已", "将", "先后"})
            + f"|(?<!公)共|(?<![年人户日月亩])均)+(?:{_alternation(d['action_verbs'])})了?"
            + f"|(?:{_alternation(d['action_verbs'])})了)$"
        ),
        adverb_tail=re.compile(f"(?:{_alternation(d['adverbs'])})+$"),
    )


def _alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, longest first."""
    return "|".join(map(re.escape, sorted(words, key=lambda x: (-len(x), x))))


@dataclass(frozen=True, slots=True)
class Fact:
    """A quantity with the entity it counts, in the coordinates of the text it was found in."""

    value: float
    unit: str
    qualifier: str
    kind: str
    surface: str
    start: int
    end: int
    number: str
    unit_text: str
    qualifier_text: str | None
    entity: str
    entity_start: int | None
    entity_end: int | None
    sentence_id: int
    sentence_start: int
    sentence_end: int
    link_id: str | None = None
    link_role: str | None = None  # from | to | total | part | rate
    check_status: str | None = None  # ok | mismatch
    check_detail: str | None = None
    # the number's own item of a 分别 list (东城区、西城区分别建成红蜂驿站12个和15个: 东城区 for 12个; 忻城县、金秀瑶族
    # 自治县工业投资分别增长: 忻城县 for the first), in the same coordinates; FactStage takes the fact's place or body
    # from it when it names one
    subject_start: int | None = None
    subject_end: int | None = None
    value_max: float | None = None  # a range's upper end (2—3个: value 2, value_max 3)


@dataclass(slots=True)
class _Tok:
    text: str
    flag: str
    start: int
    end: int


class FactExtractor:
    """Builds facts; holds the segmenter and the grammar (build once, call many times).

    Args:
        segmenter: the word segmenter and tagger (a new rjieba one by default).
        grammar: the quantity grammar (the packaged one by default).
    """

    def __init__(self, segmenter: Segmenter | None = None, grammar: QuantityGrammar | None = None) -> None:
        self.segmenter = segmenter or Segmenter()
        self.grammar = grammar or load_grammar()
        self.words = load_words()
        # what follows 分别 when a comparison does, not a thing (分别高于省定目标, 分别超省定任务, 分别比上年增长)
        self._not_objects = tuple(self.words.predicate_verbs) + self.words.change_prefixes + ("超", "占")

    def __call__(self, text: str) -> list[Fact]:
        return self.extract(text)

    def extract(self, text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Fact]:
        """Facts of ``text`` (an article, a paragraph or a sentence), in text order.

        ``sentences`` are the ``(start, end)`` of the sentences :func:`split_sentences` cuts ``text`` into, when
        the caller has them (the pipeline's segment stage did that cut); they are cut here otherwise.
        """
        if sentences is None:
            sentences = [(s, e) for s, e, _ in split_sentences(text)]
        facts: list[Fact] = []
        # most sentences hold no quantity, and the grammar's may_hold says so without reading their numbers
        may_hold = self.grammar.may_hold
        for sid, (s, e) in enumerate(sentences):
            if may_hold is None or may_hold.search(text, s, e) is not None:
                facts.extend(self._sentence_facts(text, sid, s, e))
        return _link(text, facts, self.words)

    def _object_after(self, sent: str, after: int, ent: tuple[str, int, int]) -> bool:
        """Whether ``ent`` is a thing named after 分别 (ending at ``after``) that its verb acts on: 分别建成红蜂驿站,
        分别实现产值; not a comparison (分别比“十三五”时期增长, 分别高于省定目标, 分别超省定任务) or a verb
        (粮食、蔬菜分别稳定播种550万亩和75万亩)."""
        name, a, b = ent
        if a < after or sent.startswith(self._not_objects, after):
            return False
        tagged = self.segmenter.tag(name)
        return bool(tagged) and _nominal(_Tok(tagged[-1][0], tagged[-1][1], 0, 0), self.words)

    def _sentence_facts(self, text: str, sid: int, s: int, e: int) -> list[Fact]:
        sent = text[s:e]
        qs = extract_quantities(sent, self.grammar)
        if not qs:
            return []
        att = _Attacher(self.segmenter, self.words, sent, qs)
        respectively, follow = _respectively(sent, qs, self.words)
        out: list[Fact] = []
        objects: dict[int, tuple[str, int, int] | None] = {}  # a list's first number -> what its verb counts
        for i, q in enumerate(qs):
            subject: tuple[str, int, int] | None = None
            ent = None
            listed = respectively.get(i) or follow.get(i)
            if listed is not None:
                first, after = listed[-2], listed[-1]  # both dicts end with the list's first number and 分别's end
                if first not in objects:
                    # 东城区、西城区分别建成红蜂驿站12个和15个: the items do it, the noun after 分别 is counted (but
                    # 分别高于省定目标28.6个和21.9个百分点: a comparison names nothing)
                    own = att.entity(i, out[-1] if out else None, s)
                    objects[first] = own if own is not None and self._object_after(sent, after, own) else None
                if i in respectively:
                    subject = respectively[i][1]
                if objects[first] is not None:
                    ent = objects[first]
                elif i in respectively:
                    ent = respectively[i][0]
                else:
                    f = out[follow[i][0]]
                    if f.entity and f.entity_start is not None and f.entity_end is not None:
                        ent = (f.entity, f.entity_start - s, f.entity_end - s)
            if ent is None:
                ent = att.entity(i, out[-1] if out else None, s)
            counted = q.kind == "count" and q.unit not in _PEOPLE_UNITS
            name, es, ee = _without_change(ent, self.words, counted) if ent is not None else ("", None, None)
            out.append(
                Fact(
                    value=q.value,
                    unit=q.unit,
                    qualifier=q.qualifier,
                    kind=q.kind,
                    surface=q.surface,
                    start=q.start + s,
                    end=q.end + s,
                    number=q.number,
                    unit_text=q.unit_text,
                    qualifier_text=q.qualifier_text,
                    entity=name,
                    entity_start=None if es is None else es + s,
                    entity_end=None if ee is None else ee + s,
                    sentence_id=sid,
                    sentence_start=s,
                    sentence_end=e,
                    subject_start=None if subject is None else subject[1] + s,
                    subject_end=None if subject is None else subject[2] + s,
                    value_max=q.value_max,
                )
            )
        thresholds = att.thresholds()
        return [f for k, f in enumerate(out) if k not in thresholds] if thresholds else out


# a grade alone between a count and the next count of a list (6个国家级、20个省级临床重点专科, 2条千亿级、15条百亿级
# 产业链), and the grade that opens a noun phrase (省级临床重点专科)
_LEVEL_GAP = re.compile(r"[^，。；：、\s\d]{1,5}级[、和或及与]")
_LEVEL_HEAD = re.compile(r"[^，。；：、\s\d]{1,5}?级")
_LIST_SPLIT = re.compile(r"[、和及与]")
_LIST_JOINS = ("、", "和", "及", "与", "")  # what may stand between the numbers of a 分别 list
# film seasons (春节档, 国庆档 …), which a year may precede
_SEASONS = ("春节", "国庆", "暑期", "端午", "五一", "清明", "中秋", "元旦", "贺岁", "寒假", "暑假", "元宵", "七夕")
# linking verbs that open a predicate right after a number (连续5个月保持两位数增长)
_PREDICATE_LINKS = frozenset({"保持", "保持在", "稳定在", "维持在", "达到", "达"})
# the whole of the area a text is about (全国, 全省 …): where a count is, never what it counts
_WHOLE_AREAS = frozenset({"全国", "全省", "全市", "全区", "全县", "全州", "全镇", "全乡", "全村", "全盟", "全旗"})
# verbs of setting something up, which name no institution (全市新建驿站30个, 为快递员建成驿站: 驿站 was set up)
_FOUNDING_VERBS = frozenset({"新建", "建成", "建立", "设立", "成立", "组建", "开设", "设置", "改扩建", "新开工"})
# verbs jieba tags as nouns or places that open the next clause of a list (、新建90家绿色工厂, 、突破10万亿元)
_CLAUSE_OPENERS = frozenset({"新建", "新增", "新开工", "新培育", "新认定", "新获批", "突破"})
_GRADE = re.compile(r"[0-9A-Za-z]+|[\u4e00-\u9fff]{1,4}")


def _is_grade(word: str) -> bool:
    """Whether ``word`` before a separate 级 makes a grade (4A级, 千亿级, 自治区级, 卓越级)."""
    return _GRADE.fullmatch(word) is not None


def _respectively(
    sent: str, qs: Sequence[Quantity], w: FactWords
) -> tuple[dict[int, tuple[tuple[str, int, int], tuple[str, int, int], int, int]], dict[int, tuple[int, int, int]]]:
    """A4: ``A、B、C分别下降13.5%、8.6%、2.7%`` gives A, B and C to the three numbers in order.

    The numbers must follow each other with only 、/和/及 between them, 分别 must stand right before the
    first (a verb between is allowed, or a comparison and its verb: 分别比2019年下降), and the list before 分别
    must name exactly as many items, none of them a comparison (比上年全年和上年同期分别加快…) and not all but the
    last a bare character or two (养老、工伤、失业保险参保分别覆盖…: one head shared by all). When the earlier items
    reappear inside the last one (装备制造业、高技术制造业增加值), or are modifiers of the measure the last one ends
    with (基本养老、失业、工伤保险参保人数), they share its head and every number gets the last item.

    When nothing but a comparison or an adverb stands before 分别 in its clause (注册商标13479件、发明专利589件，
    分别增长10.7％、9.2％), the numbers measure, in order, what the numbers just before that clause count: the
    second dict maps each to the earlier number whose entity it takes. When there is no such list either, the
    numbers after the first measure what it does (分别增长5.5%左右和6.5%以上).

    The first dict maps each number of a list to its entity (its item, or the last item when they share its head)
    and its own item (where its place or body is named: 忻城县、金秀瑶族自治县工业投资分别增长); both dicts give with
    it the list's first number and where 分别 ends: when what the number counts is named after 分别
    (分别建成红蜂驿站12个和15个, 分别完成投资1500亿元、870亿元), that is its entity (see
    :meth:`FactExtractor._sentence_facts`).
    """
    out: dict[int, tuple[tuple[str, int, int], tuple[str, int, int], int, int]] = {}
    follow: dict[int, tuple[int, int, int]] = {}
    i = 0
    while i < len(qs):
        j = i
        while j + 1 < len(qs) and sent[_after(qs[j]) : qs[j + 1].start].strip(" \u3000") in _LIST_JOINS:
            j += 1
        n = j - i + 1
        if n >= 2:
            left = (
                qs[i].qualifier_start
                if qs[i].qualifier_start is not None and qs[i].qualifier_start < qs[i].start
                else qs[i].start
            )
            end = _respectively_at(sent, left, qs[i - 1].end if i else 0)
            if end is not None:  # where 分别 starts
                lo = _clause_start(sent, end, qs[i - 1].end if i else max(0, end - 64))
                chunk = sent[lo:end]
                pre = _ending(chunk, w.change_prefixes, 0, len(chunk))
                if pre is not None:
                    chunk = chunk[: -len(pre)]
                bare = chunk.strip(" \u3000")
                if not bare or bare in w.adverbs or bare in w.change_prefix_words or _COMPARISON.fullmatch(bare):
                    first = _listed_before(sent, qs, i, n, lo, w)
                    for m in range(n):
                        if first is not None:
                            follow[i + m] = (first + m, i, end + 2)
                        elif m:  # 分别增长5.5%左右和6.5%以上: what the first number measures
                            follow[i + m] = (i, i, end + 2)
                    i = j + 1
                    continue
                lead = next((x for x in _LIST_LEADS if chunk.startswith(x)), "")
                chunk = chunk[len(lead) :]
                items = []
                pos = lo + len(lead)
                for part in _LIST_SPLIT.split(chunk):
                    a = pos + (len(part) - len(part.lstrip()))
                    items.append((part.strip(), a, a + len(part.strip())))
                    pos += len(part) + 1
                ok = (
                    len(items) == n
                    and all(t for t, _, _ in items)
                    and not any(t.startswith(("比", "较")) or t.endswith(("同期", "全年")) for t, _, _ in items)
                    # 养老、工伤、失业保险参保: one head (but 一产、二产、三产: three short items; not 一、二、三产)
                    and not (
                        all(len(t) <= 2 for t, _, _ in items[:-1])
                        and (len(items[-1][0]) > 2 or any(len(t) < 2 for t, _, _ in items))
                    )
                )
                if ok:
                    last = items[-1][0]
                    # 装备制造业、高技术制造业增加值 / 基本养老、失业、工伤保险参保人数 / 国家级、部级创新平台: one head
                    # for all (but 国际友城和外国驻穗总领馆: two things, though 馆 ends nouns and 城 does not;
                    # 粮食播种面积和产量: each names its own measure)
                    shared = all(t[-2:] in last[:-1] for t, _, _ in items[:-1]) or (
                        (last.endswith(w.shared_heads) or all(t.endswith("级") for t, _, _ in items[:-1]))
                        and last[-1] in w.noun_end
                        and all(t[-1] not in w.noun_end and not t.endswith(w.shared_heads) for t, _, _ in items[:-1])
                    )
                    for m, (t, a, b) in enumerate(items):
                        # 装备制造业、高技术制造业增加值分别增长: the items share the last one's head
                        out[i + m] = (items[-1] if shared else (t, a, b), (t, a, b), i, end + 2)
                else:
                    for m in range(1, n):  # 城乡居民人均可支配收入分别增长5.5%左右和6.5%以上: one measure
                        follow[i + m] = (i, i, end + 2)
        i = j + 1
    return out, follow


# nouns that keep a verb of change after them: 经济增长 is economic growth, not the economy
_CHANGE_NOUNS = frozenset({"经济"})


def _without_change(ent: tuple[str, int, int], w: FactWords, counted: bool = True) -> tuple[str, int, int]:
    """The entity without a verb of change and its comparison at its end (and, for a count of things, without an
    action verb after an adverb): 地区生产总值同比增长5.2% measures
    地区生产总值, as 地区生产总值增长 and 城乡居民人均可支配收入分别增长 do theirs (but 存贷比提高 keeps its 比, and
    经济增长 or a remainder of one character stays whole); an adverb before the verb goes with it (粮食产量也增长)."""
    name, a, _ = ent
    m = w.change_tail.search(name)
    if m is None or not m.start():
        # 志愿服务活动已举办, 班列累计开行: for a count of things, an action verb after an adverb (or before 了) is
        # the predicate too, but not one alone, which may end a noun (养老服务, 基层治理); an amount of money or a
        # number of people keeps it, since the verb names what is measured (中央财政累计投入359亿元: the investment;
        # 当地累计转移4.9万余人: the people moved)
        m = w.action_tail.search(name) if counted else None
        if m is None or not m.start():
            return ent
        cut = m.start()
    else:
        cut = m.start(2) if m.group(1) in ("比", "较") else m.start()
    rest = name[:cut].rstrip("、，, \u3000")
    m = w.adverb_tail.search(rest)
    if m is not None and m.start() >= 2:
        rest = rest[: m.start()]  # 粮食产量也增长: the adverbs before the verb go with it
    if len(rest) < 2 or rest in _CHANGE_NOUNS:
        return ent
    return rest, a, a + len(rest)


def _after(q: Quantity) -> int:
    """Where a quantity ends with its qualifier word when that follows it (5.5%左右, 6.5%以上)."""
    if q.qualifier_end is not None and q.qualifier_start is not None and q.qualifier_start >= q.end:
        return q.qualifier_end
    return q.end


# function words that may open a 分别 list without being part of its first item (其中一产、二产、三产)
_LIST_LEADS = ("其中", "其", "包括", "以及")
# what may stand before 分别 in its clause without naming anything: a comparison (比上年, 较2019年)
_COMPARISON = re.compile(r"(?:同比|环比)?[比较][^、和及与]{1,7}")
# what may stand between 分别 and the first number of its list: a verb (增长, 达到) or a comparison and its verb
_AFTER_RESPECTIVELY = re.compile(r"[^，。；：！？,;:!?\n、]{0,6}|(?:同比|环比)?[比较][^，。；：！？,;:!?\n、]{1,12}")


def _respectively_at(sent: str, left: int, floor: int) -> int | None:
    """Where the 分别 that introduces the number at ``left`` starts (not before ``floor``), or None."""
    k = sent.rfind("分别", max(floor, left - 16), left)
    if k < 0 or not _AFTER_RESPECTIVELY.fullmatch(sent, k + 2, left):
        return None
    return k


def _listed_before(sent: str, qs: Sequence[Quantity], i: int, n: int, lo: int, w: FactWords) -> int | None:
    """The first of the ``n`` numbers right before the 分别 clause starting at ``lo`` whose entities the ``n``
    numbers from ``qs[i]`` take in order, or None when that clause's part of the sentence (after a ； or ：)
    does not hold that many, or when a clause that names something else stands between (新建5G基站2868座，
    省数字经济“晨星工厂”、省级数字经济园区，分别达到64家和6家); a clause of adjustment may (扣除价格因素)."""
    if i < n:
        return None
    seg = max(sent.rfind(c, 0, lo) for c in "；;：:")
    if qs[i - n].start <= seg or qs[i - 1].end > lo:
        return None
    parts = _CLAUSE_BREAK_RX.split(sent[_after(qs[i - 1]) : lo])
    if len(parts[0]) > 4 or any(p.strip() and p.strip() not in w.change_prefix_words for p in parts[1:]):
        return None
    return i - n


_CN_DIGITS = frozenset("〇一二两三四五六七八九十百千万")


def _digit_within(sent: str, at: int) -> bool:
    """Whether the parenthesis opening at ``sent[at]`` holds a figure (a digit or a Chinese numeral) before it
    closes (within 12 characters)."""
    close = sent.find("）" if sent[at] == "（" else ")", at, at + 12)
    inner = sent[at + 1 : close if close > 0 else at + 12]
    return any(c.isdigit() or c in _CN_DIGITS for c in inner)


def _tokens(tagged: Sequence[tuple[str, str]], offset: int) -> list[_Tok]:
    out = []
    pos = offset
    for w, f in tagged:
        out.append(_Tok(w, f, pos, pos + len(w)))
        pos += len(w)
    return out


def _nominal(t: _Tok, w: FactWords) -> bool:
    if t.text in w.boundary or t.text in w.verbs or not _is_han(t.text):
        return False
    if t.text in w.numeral_nouns:
        return True
    return t.flag in _NOMINAL_FLAGS or t.flag.startswith("n") or t.text[-1] in w.noun_end


def _verbish(t: _Tok, w: FactWords) -> bool:
    if not _is_han(t.text) or t.text in w.boundary:
        return False
    if t.text in w.verbs:
        return True
    return t.flag in _VERB_FLAGS and t.text[-1] not in w.noun_end


_HAN_WORD = re.compile("[\u4e00-\u9fff·]+")


def _is_han(s: str) -> bool:
    """Whether ``s`` is non-empty and all ideographs (or the name dot ·)."""
    return _HAN_WORD.fullmatch(s) is not None


def _ending(text: str, words: tuple[str, ...], start: int, end: int) -> str | None:
    """The first of ``words`` that ``text[start:end]`` ends with, or None (one C-level test first: most
    texts end with none of them)."""
    if text.endswith(words, start, end):
        for x in words:
            if text.endswith(x, start, end):
                return x
    return None


def _clause_end(sent: str, start: int, ceil: int) -> int:
    """The end of the clause that ``start`` is in, at ``ceil`` at most."""
    m = _CLAUSE_BREAK_RX.search(sent, start, min(ceil, len(sent)))
    return m.start() if m is not None else min(ceil, len(sent))


def _joins_modifiers(toks: list[_Tok], k: int) -> bool:
    """Whether ``toks[k]`` is a 、 between two modifiers (国家级 、 省级: a list of levels before a noun)."""
    return (
        toks[k].text == "、"
        and k > 0
        and toks[k - 1].flag in _MODIFIER_FLAGS
        and k + 1 < len(toks)
        and toks[k + 1].flag in _MODIFIER_FLAGS
    )


def _clause_start(sent: str, end: int, floor: int) -> int:
    i = end
    while i > floor and sent[i - 1] not in _CLAUSE_BREAK:
        i -= 1
    return i


class _Attacher:
    """Rules A1-A3 on one sentence."""

    def __init__(self, seg: Segmenter, words: FactWords, sent: str, qs: list[Quantity]) -> None:
        self.seg, self.w, self.sent, self.qs = seg, words, sent, qs
        self.starts = [q.start for q in qs]
        self._pieces: dict[tuple[int, int], list[_Tok]] = {}  # this sentence's tagged pieces (one per span)

    def _tagged(self, a: int, b: int) -> list[_Tok]:
        """The words of ``sent[a:b]`` tagged on their own, in sentence offsets (the words after one number
        are often the words before the next: each piece is tagged once per sentence)."""
        toks = self._pieces.get((a, b))
        if toks is None:
            toks = self._pieces[a, b] = _tokens(self.seg.tag(self.sent[a:b]), a)
        return toks

    def thresholds(self) -> set[int]:
        """The amounts that only bound the class of the things a count counts (实施亿元以上技改项目12个, 279个亿元以上
        重大项目, 投资过10亿元项目100个以上, 营收过百亿元企业2家、过五十亿元2家): no amount of anything, so no fact
        (an amount of money is summed, and these would add 100 million a project)."""
        out: set[int] = set()
        sent, qs = self.sent, self.qs
        for i, q in enumerate(qs):
            graded = sent.startswith(("级以上", "级及以上"), q.end)  # 26个50亿元级以上产业项目
            if q.kind != "money" or (q.qualifier != "over" and not graded) or q.value_max is not None:
                continue
            pos = max(q.end, q.qualifier_end or 0) if (q.qualifier_start or -1) >= q.end else q.end
            if graded:
                pos = q.end + (3 if sent.startswith("级以上", q.end) else 4)
            if i and qs[i - 1].kind == "count" and not sent[qs[i - 1].end : self._left_edge(q)].strip(" \u3000"):
                # 279个亿元以上重大项目: right after the count, before the noun it bounds (but 签约项目21个超百亿元:
                # an amount that ends its clause is the total)
                if pos < len(sent) and sent[pos] not in _CLAUSE_BREAK:
                    out.add(i)
                continue
            nxt = qs[i + 1] if i + 1 < len(qs) else None
            if nxt is None or nxt.kind != "count":
                continue
            gap = sent[pos : self._left_edge(nxt)]
            if not gap.strip(" \u3000"):
                out.add(i)  # 过五十亿元2家
                continue
            if _CLAUSE_BREAK_RX.search(gap) or "、" in gap:
                continue
            if gap.startswith("的"):
                continue  # 村集体收益10万元以上的村达195个: with 的 the amount measures 收益 (a fact in the news gold)
            toks = self._tagged(pos, pos + len(gap))
            if toks and toks[0].flag[:1] != "v" and toks[0].text not in self.w.verbs and _nominal(toks[0], self.w):
                out.add(i)  # 亿元以上技改项目12个
        return out

    def entity(self, i: int, prev: Fact | None, base: int) -> tuple[str, int, int] | None:
        q = self.qs[i]
        if q.unit in _NOUN_UNITS and q.surface.endswith(q.unit_text):
            # 教育部等五部门联合印发, 双向六车道: the unit is the noun counted
            return q.unit_text, q.end - len(q.unit_text), q.end
        for tail in _UNIT_NOUN_TAILS:
            if q.unit_text.endswith(tail) and q.surface.endswith(tail):
                return tail, q.end - len(tail), q.end
        found = self._clear(self.after(i))
        if found is not None and self.w.change_only.fullmatch(found[0]):
            found = None  # 服务时间从10天延长至5个月: a verb of change after the number names nothing
        if found is None:
            found = self._after_date(self._clear(self.before(i)))
            if found is not None and found[0] in _WHOLE_AREAS and q.unit not in _PEOPLE_UNITS:
                # 全国已有3946个, 全国702个县…: the whole country is where, not what is counted (but 全村200多户 are
                # the village's households)
                found = None
            elif found is not None and found[0].endswith("连续"):
                # 制造业贷款连续39个月: the noun lasted that long (连续 alone names nothing)
                found = None if found[0] == "连续" else (found[0][:-2], found[1], found[2] - 2)
        between = self.sent[self.qs[i - 1].end : self._left_edge(q)] if i else ""
        if (
            found is not None
            and found[0].startswith(_COMPARISONS)
            and q.unit in ("%", "百分点")
            and prev is not None
            and prev.entity
            and prev.unit in ("%", "百分点")
            and prev.entity_start is not None
            and prev.entity_end is not None
            and between.lstrip("，、, ").startswith(found[0])
        ):
            # 固定资产投资增长4%、高于全国7.8个百分点: the difference is the figure before's, from another's
            inherited = self._clear((prev.entity, prev.entity_start - base, prev.entity_end - base))
            if inherited is not None:
                return inherited
        if (
            prev is not None
            and prev.entity
            and prev.entity_start is not None
            and prev.entity_end is not None
            and (
                (prev.unit == q.unit and _COMPARISON_BASE.fullmatch(between))
                or (q.unit == "倍" and prev.unit != "倍" and _MULTIPLE_OF.fullmatch(between) is not None)
            )
        ):
            # 达到了一百三十三亿七千万元，比一九五二年的七十三亿一千万元增长…: the base of a comparison measures what
            # the figure before does; so does a multiple of an earlier figure (安排资金1713亿元，是2010年的2.2倍)
            inherited = self._clear((prev.entity, prev.entity_start - base, prev.entity_end - base))
            if inherited is not None:
                return inherited
        if prev is not None and prev.entity and (found is None or self.w.change_only.fullmatch(found[0])):
            # A3: a list (36.18万元和42.45万元, 新建绿道137公里、累计达到2136公里) or a change (同比增长6.3%)
            # measures the previous entity.
            if self._only_links(between) or self._after_change(q):
                assert prev.entity_start is not None and prev.entity_end is not None
                inherited = self._clear((prev.entity, prev.entity_start - base, prev.entity_end - base))
                if inherited is not None:
                    return inherited
        if found is not None and self.w.change_only.fullmatch(found[0]):
            return None  # 比去年同期增长30% after a fact with no entity: 增长 names nothing
        if (
            (
                (
                    found is not None
                    and (found[0] in self.w.verbs or found[0] in _CLAUSE_OPENERS)
                    and found[0] not in self.w.verb_heads
                    and found[0] not in self.w.measure_verbs
                    and self._bare_before(found[1], i)
                )
                or (found is None and self._linking_verb_alone(i))
            )
            and prev is not None
            and prev.entity
            and prev.unit == q.unit
            and prev.entity not in self.w.verbs
            and prev.entity not in _CLAUSE_OPENERS
            and prev.entity_start is not None
            and prev.entity_end is not None
        ):
            # A3: 计划建成投产大中型项目118个，实际建成128个; 普惠性托位已达332万个，今年还将新增15万个: a verb
            # alone before a count of the same unit counts what the count before it does
            inherited = self._clear((prev.entity, prev.entity_start - base, prev.entity_end - base))
            if inherited is not None:
                return inherited
        return self._season(self._after_date(found))

    def _season(self, found: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
        """An entity that opens with 档 keeps the season before it (2025年端午档电影票房: jieba tags 端午 a time word,
        which the phrase before a number leaves out)."""
        if found is None or not found[0].startswith("档"):
            return found
        text, a, b = found
        for season in _SEASONS:
            if self.sent.endswith(season, 0, a):
                return season + text, a - len(season), b
        return found

    def _linking_verb_alone(self, i: int) -> bool:
        """Whether the clause before quantity ``i`` is an action verb that is also a linking word (完成, 达到), with
        nothing but adverbs, time words and function words before it: 升级改造50家标准化菜市场，目前已完成38家."""
        at = self._left_edge(self.qs[i])
        lo = _clause_start(self.sent, at, self.qs[i - 1].end if i else 0)
        toks = [t for t in self._tagged(lo, at) if t.text.strip(" \u3000、")]
        return (
            bool(toks)
            and toks[-1].text in self.w.verbs
            and toks[-1].text in self.w.link_words
            and self._bare_before(toks[-1].start, i)
        )

    def _bare_before(self, at: int, i: int) -> bool:
        """Whether nothing but adverbs, time words and function words stand between the start of the clause (or
        the number before) and ``at`` (实际建成128个, 三年新增25.52万户, 其中新开工102个; not
        低效建设用地整治盘活超1万亩)."""
        lo = _clause_start(self.sent, at, self.qs[i - 1].end if i else 0)
        return all(
            t.flag[:1] in ("d", "t", "r", "c", "p", "m", "q", "f", "x") or t.text in self.w.adverbs
            for t in self._tagged(lo, at)
            if t.text.strip(" \u3000、")
        )

    def _after_date(self, found: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
        """An entity that opens with the rest of a date (2月份中国物流业景气指数: jieba cuts 2|月份) starts after it
        (not an average: PM2.5年均浓度)."""
        if found is None:
            return None
        text, a, b = found
        before = self.sent[a - 1] if a else ""
        if text in ("底", "末", "初") and before == "年":
            return None  # 一九五四年底已发展到将近五十万个: the rest of a date names nothing
        if (before.isdigit() or before in _CN_DIGITS) and not text.startswith(("年均", "月均", "日均")):
            for rest in _DATE_RESTS:
                if text.startswith(rest) and len(text) > len(rest) + 1:
                    return text[len(rest) :], a + len(rest), b
        return found

    def _clear(self, found: tuple[str, int, int] | None) -> tuple[str, int, int] | None:
        """An entity is never a number of the text itself (quantities are sorted and disjoint, so only the
        last one starting before the entity ends can overlap it)."""
        if found is None:
            return None
        k = bisect_left(self.starts, found[2]) - 1
        if k >= 0 and self.qs[k].end > found[1]:
            return None
        return found

    def _only_links(self, between: str) -> bool:
        """Nothing but joiners, spaces and linking words between two quantities."""
        rest = between.strip(" \u3000、，和及与")
        while rest:
            m = self.w.left_strip.search(rest)
            if m is not None and m.start() < m.end():
                rest = rest[: m.start()]  # 新增城镇就业6.1万人、占全区31.8％; 9.86万人，为年计划的118.8%
            else:
                lw = _ending(rest, self.w.link_words, 0, len(rest))
                if lw is None:
                    return False
                rest = rest[: -len(lw)]
            rest = rest.strip(" \u3000、，和及与")
        return True

    def _left_edge(self, q: Quantity) -> int:
        return q.qualifier_start if q.qualifier_start is not None and q.qualifier_start < q.start else q.start

    def _after_change(self, q: Quantity) -> bool:
        head = self.sent[max(0, self._left_edge(q) - 4) : self._left_edge(q)]
        return head.endswith(self.w.change) or (head.endswith("了") and head[:-1].endswith(self.w.change))

    def _starts_predicate(self, toks: list[_Tok], j: int) -> bool:
        """Whether ``toks[j]`` starts the predicate: one of ``predicate_verbs`` (位列, 荣获) always; one of
        ``predicate_words`` (高质量, 全面, 开工: jieba tags most as nouns) unless a noun of the name follows it
        (高质量 发展 项目, 全国 示范县, 集中 开工 活动), verbal nouns aside (全面 建设)."""
        t = toks[j]
        if t.text in self.w.predicate_verbs:
            return True
        if len(t.text) == 4 and t.text[:2] in self.w.manner_adverbs and t.text[2:] in self.w.manner_verbs:
            # 全面完成, 顺利完成 (one word to jieba), but not inside a name (6次集中开工活动)
            return j + 1 == len(toks) or not _nominal(toks[j + 1], self.w)
        if t.flag == "i" and len(t.text) == 4 and (j + 1 == len(toks) or not _nominal(toks[j + 1], self.w)):
            return True  # an idiom after the noun is what it does (楼宇 拔地而起, 数字道路 四通八达)
        if t.text not in self.w.predicate_words:
            return False
        w = self.w

        def noun(x: _Tok) -> bool:
            return _nominal(x, w) and (x.flag != "vn" or x.text in w.verb_heads) and x.text not in w.predicate_words

        if j + 1 < len(toks) and toks[j + 1].text in _CAMPAIGN_VERBS:
            return True  # 297个城市 全面 开展 城市体检: a verb of carrying out after it starts the predicate
        # a noun next, or after one or two verbs: 高质量 发展 项目, 提质 增效 达标 区 (but 全面 建设, 全省 首次 获评)
        for x in toks[j + 1 : j + 4]:
            if noun(x):
                return False
            if x.flag not in ("v", "vn"):
                break
        return True

    def _modifies(self, toks: list[_Tok], j: int, initial: bool = False) -> bool:
        """Token j and at most two more modifiers lead to a noun (退休 老 党员). An ``initial`` token (no noun
        before it in the phrase) may also be one of ``noun_openers`` (words jieba tags a morpheme or a pronoun)
        right before a noun: 县 (zg) 领导, 本地 (r) 社会组织, but not 县 退出 贫困县序列 or 且 经营性收入."""
        k, stop = j - 1, j + 3
        while k + 1 < min(stop, len(toks)):
            k += 1
            t = toks[k]
            if k > j and _nominal(t, self.w):
                return True
            if k > j and _joins_modifiers(toks, k):
                stop += 2  # 国家级 、 省级 工业互联网示范平台: a list of modifiers
                continue
            if not _is_han(t.text) or t.text in self.w.boundary or t.text in self.w.verbs:
                return False
            if t.text in self.w.adverbs:
                return False
            if initial and k == j and t.text in self.w.noun_openers:
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                return nxt is not None and _nominal(nxt, self.w) and nxt.text not in self.w.adverbs  # 县 中医院
            if not (
                t.flag in _MODIFIER_FLAGS
                or t.flag in ("t", "s", "vn")
                or _verbish(t, self.w)
                or (t.flag == "k" and len(t.text) == 1 and k > 0 and toks[k - 1].flag in _MODIFIER_FLAGS)  # 紧密 型
                or (t.flag == "m" and t.text in self.w.numeral_modifiers)  # 千兆 示范小区
            ):
                return False
        return False

    def after(self, i: int) -> tuple[str, int, int] | None:
        """A1: the noun phrase right after the quantity (113位女性, 两个重大项目, 约3000吨滴灌带)."""
        sent, q = self.sent, self.qs[i]
        pos = max(q.end, q.qualifier_end or 0) if (q.qualifier_start or -1) >= q.end else q.end
        later = self.qs[i + 1] if i + 1 < len(self.qs) else None
        if later is not None and sent[pos : later.start].strip() in ("", "共", "共计", "合计", "计"):
            pos = later.end  # 63支622人的“青城义警”队伍, 五批共55项重点事项
            later = self.qs[i + 2] if i + 2 < len(self.qs) else None
        if sent.startswith(("（", "("), pos):
            close = sent.find("）" if sent[pos] == "（" else ")", pos, pos + 8)
            if close > 0:
                pos = close + 1  # 3.1万套（户）: an alternative unit
        m = self.w.after_skip.match(sent, pos)
        if m is not None:
            pos = m.end()
        if q.kind == "money":
            for word in _CURRENCY_WORDS:
                if sent.startswith(word, pos):
                    pos += len(word)  # 24319.6亿元人民币
                    break
        if later is not None and later is self.qs[i + 1] and _LEVEL_GAP.fullmatch(sent, pos, later.start):
            # 新建6个国家级、20个省级临床重点专科: the first count is of the noun the second names, without its level
            nxt = self.after(i + 1)
            if nxt is not None:
                name, a, b = nxt
                lv = _LEVEL_HEAD.match(name)
                return (name[lv.end() :], a + lv.end(), b) if lv is not None and lv.end() < len(name) else nxt
        if sent.startswith("的", pos):
            pos += 1
        if q.unit not in _PEOPLE_UNITS:  # 约1亿人居住的城镇棚户区: people do what the clause says
            pos = self._past_relative_clause(pos)
        # the phrase ends at a clause break, at the next number, and after max_chars in any case
        ceil = min(len(sent), pos + 4 * self.w.max_chars)
        if later is not None and later.start >= pos:
            ceil = min(ceil, later.start)
        brk = _CLAUSE_BREAK_RX.search(sent, pos, ceil)
        stop = ceil if brk is None else brk.start()
        if stop <= pos:
            return None
        toks = self._tagged(pos, stop)
        j, depth, nominal = 0, 0, False
        while j < len(toks):
            t = toks[j]
            if t.text in "（(" and nominal and not depth and _digit_within(sent, t.start):
                break  # 9名“两委”干部（平均年龄37.8岁）: a parenthesis with a figure of its own is a remark
            if j == 0 and t.text in _PREDICATE_LINKS:
                break  # 连续5个月保持两位数增长: a linking verb opens a predicate, not a noun
            if j == 0 and len(t.text) == 1 and t.text in self.w.noun_openers:
                nxt = toks[1] if len(toks) > 1 else None
                if (
                    nxt is None
                    or nxt.text in "（("
                    or nxt.text in self.w.adverbs
                    or nxt.text in self.w.boundary
                    or nxt.text in self.w.verbs
                    or nxt.text in self.w.predicate_verbs
                ):
                    # 11个县被认定, 3个县全部, 15个省（自治区）, 16个县加入: the unit alone is counted
                    nominal, j = True, 1
                    break
            if t.text in _QUOTES_OPEN:
                depth += 1
            elif t.text in _QUOTES_CLOSE:
                if depth == 0:
                    break
                depth -= 1
            elif depth:
                nominal = True
            elif (
                not nominal and t.text.endswith("级") and j + 2 < len(toks) and toks[j + 1].text in ("以上", "以下")
            ) or (t.text in ("以上", "以下") and j and toks[j - 1].text.endswith("级") and j + 1 < len(toks)):
                pass  # 4789项 省级 以上 非物质文化遗产: a grade and above opens the noun
            elif t.text == "全" and not nominal and j + 1 < len(toks) and toks[j + 1].text in self.w.whole_nouns:
                pass  # 21.6万个 全 产业链 开发项目: 全 opens the noun
            elif (
                t.text == "、"
                and nominal
                and j + 1 < len(toks)
                and (_nominal(toks[j + 1], self.w) or toks[j + 1].text in _QUOTES_OPEN)
                and toks[j + 1].text not in _CLAUSE_OPENERS
            ):
                pass  # 100座黄浦江、苏州河滨水驿站 (but 50家先进级智能工厂、新建90家绿色工厂: jieba tags 新建 a place)
            elif (
                t.text in ("及", "和")
                and not depth
                and j + 2 < len(toks)
                and toks[j - 1].text.endswith("级")
                and toks[j + 1].text in self.w.term_words
            ):
                j += 1  # 297个地级及以上城市: a grade and above
            elif (
                t.text in _COORDINATORS
                and t.text != "与"  # 20多个岗位与老年人…: with, not and
                and nominal
                and not depth
                and j + 1 < len(toks)
                and _nominal(toks[j + 1], self.w)
                and toks[j + 1].text not in self.w.boundary
                and toks[j + 1].text not in self.w.predicate_words
            ):
                pass  # 129个国家和地区, 近800名科学家、企业家及爱好者: one count of both
            elif j and not nominal and _joins_modifiers(toks, j):
                pass  # 15个国家级、省级工业互联网示范平台
            elif not nominal and not depth and j + 1 < len(toks) and toks[j + 1].text == "级" and _is_grade(t.text):
                # 2个千亿级产业集群, 2个4A级景区, 20家自治区级创新创业平台: a grade before the noun (jieba cuts 千亿 级)
                j += 1
            elif (
                not nominal
                and t.text.endswith("级")
                and j + 2 < len(toks)
                and toks[j + 1].text in ("及", "和")
                and toks[j + 2].text in self.w.term_words
            ):
                pass  # 95%的县级及以上城市: a grade and above opens the noun
            elif not nominal and t.flag == "h" and j + 1 < len(toks) and _nominal(toks[j + 1], self.w):
                pass  # 1.49万家非遗工坊: a prefix (jieba cuts 非|遗工坊) opens the noun
            elif not nominal and t.flag in _MODIFIER_FLAGS and j + 1 < len(toks) and toks[j + 1].text in _QUOTES_OPEN:
                pass  # 4个省级“蜀里安逸”消费新场景: a grade before a quoted name
            elif j and (t.text in self.w.adverbs or (nominal and self._starts_predicate(toks, j))):
                break  # 166个社区全部实现, 50项民生实事高质量完成: the predicate starts (jieba tags 全部 a noun)
            elif (
                nominal
                and (
                    (
                        j + 1 == len(toks)
                        and (
                            stop >= len(sent)
                            or sent[stop] in _CLAUSE_BREAK
                            or (later is not None and stop == later.start and later.kind == "percent")
                        )
                    )
                    or (j + 1 < len(toks) and toks[j + 1].text == "的")  # 29个国际组织的代表
                )
                and t.text in self.w.verb_heads
                and q.unit not in _PEOPLE_UNITS
            ):
                # 10项专项培训, 135件政协委员提案: a noun jieba tags as a verb ends the phrase as its head (people
                # do what follows: 1万名乡村医生线下培训)
                pass
            elif (
                not nominal
                and q.kind == "count"
                and j + 1 < len(toks)
                and len(toks[j + 1].text) == 1
                and toks[j + 1].text in self.w.noun_openers
                and len(t.text) <= 2
                and _is_han(t.text)
                and t.text not in self.w.boundary
                and t.text not in self.w.adverbs
                and t.text not in self.w.verbs
                and t.text not in self.w.predicate_verbs
            ):
                nominal, j = True, j + 1  # 832个脱贫县, 254个地市: jieba cuts a kind of county or city from its suffix
            elif (
                nominal
                and j + 1 < len(toks)
                and toks[j + 1].text in ("县", "村", "镇", "乡")
                and len(t.text) == 2
                and t.text in self.w.verbs
                and t.text not in self.w.predicate_verbs
                and (j + 2 == len(toks) or not _nominal(toks[j + 2], self.w))
            ):
                j += 1  # 160个国家乡村振兴重点帮扶县: a verb and a suffix after the noun make a kind of county
            elif _nominal(t, self.w):
                nominal = True
            elif (
                t.text in self.w.verbs
                and j + 1 < len(toks)
                and (toks[j + 1].text.endswith(self.w.institution_heads) or toks[j + 1].text in ("量", "额", "数"))
            ):
                pass  # 改造 项目, 调解 中心, 碳 减排 量: an action verb inside a name (not 300亩 … 流转率)
            elif (
                j == 0
                and q.unit in _TIMES_UNITS
                and t.text in self.w.verbs
                and t.end < len(sent)
                and sent[t.end] not in _CLAUSE_BREAK
            ):
                pass  # 三次 参加 全国人代会江苏代表团审议: what is done that often opens the phrase
            elif t.text in self.w.new_verbs and j + 1 < len(toks) and _nominal(toks[j + 1], self.w):
                pass  # 5个 新建 小区, 1.22万个亿元以上 新建 续建 项目: after a number the verb describes the thing
            elif t.text in self.w.verbs and j + 1 < len(toks) and sent.startswith(self.w.verb_terms, t.start):
                pass  # 1582亿元 转移 支付 资金: a term that opens with an action verb
            elif not nominal and sent.startswith(self.w.adverb_terms, t.start):
                # 3000亿元 特别 国债, 2000亿元 超 长期 特别 国债: a term that opens with a word tagged an adverb
                term_end = t.start + max(len(x) for x in self.w.adverb_terms if sent.startswith(x, t.start))
                while j + 1 < len(toks) and toks[j + 1].end <= term_end:
                    j += 1
                nominal = True
            elif (
                nominal
                and j + 2 < len(toks)
                and toks[j + 1].text in self.w.name_verbs
                and t.flag[:1] == "v"
                and _nominal(toks[j + 2], self.w)
            ) or (t.text in self.w.name_verbs and j and j + 1 < len(toks) and _nominal(toks[j + 1], self.w)):
                pass  # 672个 市层面 统筹 推进 重大项目, 37个 革命文物 保护 利用 片区: inside the name after a number
            elif (
                not nominal
                and t.flag == "vn"
                and q.kind == "count"
                and q.unit not in _PEOPLE_UNITS
                and j + 1 < len(toks)
                and _nominal(toks[j + 1], self.w)
            ):
                # 6445支服务队伍, 11项服务内容: a verbal noun opening the phrase modifies the noun after it (but
                # 招募志愿者300人服务群众, 投入500万元建设村部: people and money do what follows)
                pass
            elif t.text not in self.w.verbs and t.text not in self.w.boundary and self._modifies(toks, j, not nominal):
                pass  # 重大 项目, 滴灌 带, 退休 老 党员, 日常 服务事项
            else:
                break
            j += 1
            if toks[j - 1].end - pos > self.w.max_chars:
                break
        if (
            not nominal
            and not depth
            and j == 0
            and q.unit in _TIMES_UNITS
            and toks
            and _verbish(toks[0], self.w)
            and toks[0].text not in self.w.predicate_verbs
            and (toks[0].end >= len(sent) or sent[toks[0].end] in _CLAUSE_BREAK)
        ):
            return toks[0].text, toks[0].start, toks[0].end  # 同莫迪总理两次会晤，: a verb alone is what 次 counts
        if not nominal or depth:
            return None
        if j < len(toks) and (toks[j].text in self.w.predicate_verbs or toks[j].text[:2] in self.w.manner_adverbs):
            while j > 1 and toks[j - 1].text in self.w.manner_adverbs:
                j -= 1  # 舞龙队伍 集体 亮相, 约束性指标 未能 如期完成: the adverb belongs to the predicate
        if (
            j < len(toks)
            and (toks[j].text in self.w.verbs or _verbish(toks[j], self.w))
            and (q.unit in _EVENT_UNITS or all(x.flag in ("v", "vn") for x in toks[:j]))
            and (j + 1 == len(toks) or toks[j + 1].text in _CLAUSE_BREAK)
        ):
            j += 1  # 至少两次入户走访: what 次 counts is an action, so the phrase ends with its verb
        while j > 1 and toks[j - 1].text in _COORDINATORS:
            j -= 1  # 三次提高…基本工资标准和…: a coordinator the phrase stopped after
        if (
            j > 1
            and j == len(toks)
            and later is not None
            and stop == later.start
            and later.qualifier_start is not None
            and toks[j - 1].start >= later.qualifier_start
        ):
            j -= 1  # 8条重点产业链规模突破8000亿元: the qualifier of the next number is not part of the noun
        if j > 1 and j < len(toks) and toks[j - 1].text in self.w.manner_adverbs and _verbish(toks[j], self.w):
            j -= 1  # 1000个整治村集中推进, 674个重点项目强力推进: the adverb belongs to the predicate
        found = _trim(sent, pos, toks[j - 1].end)
        if found is not None and found[0].split("、")[0] in self.w.figurative:
            return None  # 跃上1.4万亿斤新台阶: the number measures what comes before
        if found is not None and (
            found[0] in self.w.change_prefix_words
            or (q.kind == "percent" and found[0].endswith(self.w.change))
            or (q.kind != "count" and found[0] == "目标")  # 体育产业总规模超过7万亿元目标
        ):
            return None  # 有8个环比回升, 都保持20%以上高增长: a comparison or a change names nothing counted
        return found

    def _past_relative_clause(self, pos: int) -> int:
        """Where the counted noun starts when a short clause of verbs or adjectives and 的 stand between the
        number and it (13万株盛放的郁金香, 300多米长的水带, 两架来袭的无人机): after the 的. A clause that opens
        with a noun leaves it counted (100名党员的先进事迹, 82名村民组成的护边队, 41户村民搬进重建的新居)."""
        sent = self.sent
        de = sent.find("的", pos + 1, pos + 9)
        if de < 0 or not _is_han(sent[pos:de]):
            return pos
        toks = self._tagged(pos, de)
        last = toks[-1]
        if not (last.flag in ("v", "a", "ad", "vi") or last.text in self.w.verbs) or last.text in self.w.boundary:
            return pos
        if any(t.text in self.w.boundary or t.flag[:1] in ("m", "p", "c", "r") for t in toks):
            return pos
        if any(
            (_nominal(t, self.w) and t.text not in _DIMENSIONS) or t.text in self.w.noun_openers or t.text in _MADE_OF
            for t in toks
        ):
            # 82名村民组成的护边队, 29个国际组织的代表, 12名年轻党员组成的水域救援队, 46人组成的主席团: what the
            # number counts is before the clause
            return pos
        nxt = self._tagged(de + 1, _clause_end(sent, de + 1, de + 1 + self.w.max_chars))
        if not nxt or not (_nominal(nxt[0], self.w) or nxt[0].text in self.w.noun_openers):
            return pos
        return de + 1

    def before(self, i: int, end: int | None = None) -> tuple[str, int, int] | None:
        """A2: the noun phrase before the quantity (or before ``end``).

        Linking words (达 为 共 累计 …) and a start point (从2012年的) are stripped first; a verb of
        change right before the number (精减, 增收) is kept at the end of the entity. The phrase then
        runs left over words until a boundary: punctuation other than 、 and quotes, a function word,
        an action verb (设立, 选派, 完成 …), a number. Parts of speech are not trusted here: jieba
        tags 清单 as an adjective and 选派 as a noun. A clause that opens with a start point per head or a year
        (扣除标准，由每个婴幼儿每月1000元提高到2000元) measures the noun phrase that ends the clause before it.
        """
        sent, q, w = self.sent, self.qs[i], self.w
        if end is None:
            end = self._left_edge(q)
            opening = _clause_start(sent, end, max(0, end - 4 * w.max_chars))
            if (
                opening >= 2
                and sent[opening - 1] == "，"
                and _FROM_OPENING.match(sent, opening) is not None
                and (not i or self.qs[i - 1].end <= opening - 1)
            ):
                return self.before(i, opening - 1)
        floor = self.qs[i - 1].end if i else 0
        while True:  # strip spaces and linking words at the character level: 完成率达 -> 完成率
            while end > floor and sent[end - 1] in " \u3000":
                end -= 1
            lw = _ending(sent, w.link_words, floor, end)
            if lw is None:
                m = w.left_strip.search(sent, floor, end)
                if m is None or m.start() == m.end():
                    break
                end = m.start()
                continue
            end -= len(lw)
        lo = _clause_start(sent, end, max(floor, end - 4 * w.max_chars))
        if end <= lo:
            return None
        toks = self._tagged(lo, end)
        k = len(toks) - 1
        last = k  # the token an entity made of a verb of change alone is
        if k > 0 and toks[k].text == "了" and toks[k - 1].text.endswith(w.change):
            k = last = k - 1  # 粮食增加了六百一十二亿斤: the aspect particle after a verb of change
        # adverbs between the phrase and its number: 满意率持续保持在99%以上, 零售额首次突破3万亿元
        while k > 0 and (
            toks[k].flag in ("d", "ad")
            or toks[k].text in w.adverbs
            or toks[k].text in w.ordinal_adverbs
            or (toks[k].text in _TIME_ADVERBS and _nominal(toks[k - 1], w))  # 粮食产量今年预计将首次突破
        ):
            k -= 1
        change_end: int | None = None
        if (
            k > 0
            and toks[k].flag in _VERB_FLAGS
            and toks[k].text[-1] not in w.noun_end
            and toks[k].text not in w.verbs
            and not toks[k].text.endswith(w.change)
            and toks[k].text not in w.boundary
        ):
            # 粮食产量首次跃上1.4万亿斤: a plain verb before the number stays in the entity, like a verb of
            # change; adverbs between it and the phrase are passed over
            change_end = toks[k].end
            k -= 1
            while k > 0 and (
                toks[k].flag in ("d", "ad") or toks[k].text in w.adverbs or toks[k].text in w.ordinal_adverbs
            ):
                k -= 1
        elif k >= 0 and toks[k].text not in w.boundary and (toks[k].text.endswith(w.change) or toks[k].text in w.verbs):
            # 考核指标精减近 7 成, 村集体增收 36.18万元, 老旧小区改造309个: the verb stays in the entity
            change_end = toks[k].end
            k -= 1
            while k >= 0 and (toks[k].text in w.change_prefix_words or toks[k].text in w.adverbs):
                k -= 1  # 增加值分别增长, 参保人数同比分别增加, 比重比去年同期提高, 平均电价再降低
            b = k
            while b > 0 and (toks[b].flag[:1] in ("m", "t", "q", "x", "f") or toks[b].text in _DATE_RESTS):
                b -= 1
            if b < k and toks[b].text in ("比", "较") and b > 0:
                # 增速比1—7月份回升0.1个百分点: a comparison with a date before the verb; the entity is what changed
                k, change_end = b - 1, None
            cut = toks[k].end if k >= 0 else lo
            m = w.left_strip.search(sent, lo, cut)
            if m is not None and m.end() == cut and m.start() < m.end():
                while k >= 0 and toks[k].start >= m.start():
                    k -= 1  # 人均可支配收入32509元，扣除价格因素实际增长5.2%
        hi = k
        depth = 0
        while k >= 0:
            t = toks[k]
            if t.text in _QUOTES_CLOSE:
                depth += 1
            elif t.text in _QUOTES_OPEN:
                if depth == 0:
                    break
                depth -= 1
            elif depth:
                pass
            elif t.text == "、":
                if k == 0 or not _is_han(toks[k - 1].text) and toks[k - 1].text not in _QUOTES_CLOSE:
                    break
            elif (
                t.text in _COORDINATORS
                and k < hi
                and k > 0
                and _nominal(toks[k - 1], w)
                and _nominal(toks[k + 1], w)
                and toks[k - 1].text not in w.boundary
            ):
                pass  # 县级电子商务公共服务中心和物流配送中心超2800个, 社会保障和就业预算支出
            elif t.text in ("等", "等等") and k == hi:
                pass
            elif (
                t.text in w.verbs
                and k < hi
                and toks[k + 1].text.endswith(w.institution_heads)
                and k
                and _is_han(toks[k - 1].text)
                and toks[k - 1].text not in w.boundary
                and toks[k - 1].text not in w.verbs
                and t.text not in _FOUNDING_VERBS
                and toks[k - 1].text not in _WHOLE_AREAS
            ):
                pass  # 矛盾 调解 中心, 棚改 安置 房: an action verb inside a name (not 全市 新建 驿站: what was set up)
            elif (t.text in w.verbs or t.text in w.boundary) and k < hi and sent.startswith(w.verb_terms, t.start):
                pass  # 新建 商品房 网签成交量, 即 办率: a term that opens with an action verb or a function word
            elif t.text == "全" and k < hi and toks[k + 1].text in w.whole_nouns:
                pass  # 全 产业链 产值: one word, though jieba cuts it
            elif t.text in w.new_verbs and k < hi and q.kind == "percent":
                pass  # 新开工 项目 投产率: the verb names the rate's things
            elif (
                t.text in w.modifier_verbs
                and k < hi
                and (k == 0 or toks[k - 1].text == "、")
                and (
                    (q.unit not in _EVENT_UNITS and q.unit not in _PEOPLE_UNITS and q.unit != "家")
                    or toks[k + 1].text.endswith(_MEASURE_ENDS)
                )
            ):
                # 、服务 认证 证书160张, 服务 人数…1.68亿人: the verb opening the clause names a kind (but
                # 培训 高素质农民6000人, 服务 企业1000家, 培训 儿童主任1154人次: who or what the verb is done to)
                pass
            elif t.text in w.term_words or t.text in w.time_modifiers:
                pass  # 规模 以上 工业企业, 夜间 消费 聚集区: part of the name, though tagged f or t
            elif (
                k < hi
                and (toks[k + 1].text in _MEASURE_ENDS or toks[k + 1].text in w.verb_measures)
                and (t.flag[:1] == "v" or t.text in w.verbs)
                and _is_han(t.text)
            ):
                pass  # 污水 收集 率, 粮食 种植 面积, 循环 利用 量: jieba cuts the measure word after its verb
            elif t.text in w.verbs and k + 1 == hi and toks[hi].text in ("县", "区", "村", "镇", "乡"):
                pass  # 集中 推进 区, 整建制 推进 县: a verb and a place suffix make a kind of place
            elif t.flag == "eng" and t.text.isupper() and len(t.text) >= 2:
                pass  # GDP增长6.5%, CPI上涨0.2%: an acronym names what changed
            elif (
                k == hi
                and change_end is not None
                and t.text in w.verbs
                and k
                and _nominal(toks[k - 1], w)
                and toks[k - 1].text not in w.boundary
            ):
                pass  # 全社会研发 投入 增长12%: an action verb between a noun and a verb of change is a verbal noun
            elif k < hi and toks[k + 1].text == "级" and _is_grade(t.text):
                pass  # 万亿 级 关口, 4A 级 景区: a grade, though jieba tags 万亿 a numeral
            elif k == hi and t.flag == "t" and t.text in _TIME_HEADS:
                pass  # 授权周期由平均15个月压缩至3个月: a noun of duration, though jieba tags it a time word
            elif (
                t.text in w.second_verbs
                and k > 0
                and (
                    toks[k - 1].text in w.verbs or (toks[k - 1].text == "、" and k > 1 and toks[k - 2].text in w.verbs)
                )
            ):
                break  # 改造 提升 高标准农田, 新建 、 提升 精品民宿: what is done follows the verbs
            elif (
                k == hi
                and k > 0
                and t.flag == "m"
                and t.text in _NUMERAL_TAGGED_ENDS
                and _is_han(toks[k - 1].text)
                and toks[k - 1].flag[:1] not in ("m", "q")
                and toks[k - 1].text not in w.boundary
            ):
                pass  # 免费 纳凉 点2274个: a noun's last character that jieba tags a numeral
            elif (
                not _is_han(t.text)
                or t.text in w.boundary
                or t.text in w.verbs
                or (t.flag[:1] in ("m", "t", "r", "p", "c") and t.text not in w.numeral_nouns)
            ):
                break
            elif len(t.text) >= 2 and t.text[0] in w.glue and k < hi and t.text not in _INNER_GLUED_WORDS:
                k -= 1
                break  # 为村 集体: the glued function character ends the phrase (cut below)
            k -= 1
            if end - toks[k + 1].start > w.max_chars:
                break
        start_tok = k + 1
        while start_tok <= hi and (toks[start_tok].text == "、" or toks[start_tok].text in _QUOTES_CLOSE):
            start_tok += 1
        if start_tok > hi or depth:
            if change_end is not None:
                t = toks[last]
                return t.text, t.start, t.end
            return None
        if start_tok < hi and toks[start_tok].text in w.term_words:
            start_tok += 1  # 亿元以上 | 项目332个: the threshold's 以上 belongs to the number before
        a = toks[start_tok].start
        first = toks[start_tok].text
        if (
            len(first) >= 2
            and first[0] in w.glue
            and first not in w.boundary
            and first not in w.term_words
            and first not in _GLUED_WORDS
        ):
            a += 1  # 为村 集体 -> 村集体 (but 对外 直接投资)
        b = change_end if change_end is not None else toks[hi].end
        a = _per_unit_start(sent, a, w)
        m = _BUILD_VARIANT.match(sent, a)
        if m is not None and m.end() < b:
            a = m.end()  # 新（改）建 农村公路: the build verb and its variant are no part of what is built
        found = _trim(sent, a, b)
        if found is not None and (
            found[0] in w.manner_adverbs or found[0] in w.adverbs or found[0] in ("等", "等等", *_NUMERAL_TAGGED_ENDS)
        ):
            # 全面完成37个…: an adverb left before a linking verb names nothing; so does 等 alone, or the last character
            # of a noun cut from its verb (转移安置 | 点530个)
            return None
        return found


def _per_unit_start(sent: str, a: int, w: FactWords) -> int:
    """Where an entity that starts at ``a`` starts when it is measured per unit of output: 万元 and 单位 are
    no number and no word to stop at before GDP or 工业增加值 (万元国内生产总值用水量, 单位GDP能耗: the phrase
    stops at 万元, tagged a numeral, or at the Latin GDP)."""
    m = w.per_unit.search(sent, max(0, a - 12), a)
    if m is not None and m.end() == a:
        return m.start()
    if sent.startswith(w.per_unit_heads, a):
        m = w.per_unit_lead.search(sent, max(0, a - 3), a)
        if m is not None and m.end() == a:
            return m.start()
    return a


def _trim(sent: str, a: int, b: int) -> tuple[str, int, int] | None:
    """Trim spaces, a trailing 等, list commas, and quotes that wrap the whole span."""
    while a < b and sent[a] in " \u3000、":
        a += 1
    while b > a and sent[b - 1] in " \u3000、":
        b -= 1
    for suffix in ("等等", "等"):
        if sent.endswith(suffix, a, b) and b - len(suffix) > a:
            b -= len(suffix)
            break
    if b - a >= 2 and sent[a] in "“‘「" and sent[b - 1] in "”’」":
        inner = sent[a + 1 : b - 1]
        if not any(c in inner for c in "“”‘’「」"):
            a, b = a + 1, b - 1
    # an unmatched bracket at an edge does not belong to the entity
    if b > a and sent[b - 1] in "（(“":
        b -= 1
    if b > a and sent[a] in "）)”":
        a += 1
    if b <= a:
        return None
    return sent[a:b], a, b


# 由222项缩减至101项; 由一九八○年的一百一十四万人增加到一九八五年的一百七十万人 (the year of the end point)
_FROM_TO = re.compile(
    r"^[^，。；！？\n]{0,10}?(?:至|到|为)\s*(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})年(?:底|末)?的)?\s*$"
)
_FROM_LEAD = re.compile(r"[由从](?:[^，。；]{0,10})$")


def _link(text: str, facts: list[Fact], words: FactWords) -> list[Fact]:
    """L1 from-to pairs and L2 rate checks; returns new Fact objects with link columns set."""
    facts = list(facts)
    n_link = 0
    # L1: 由222项缩减至101项, 从10天延长至5个月
    for i in range(len(facts) - 1):
        a, b = facts[i], facts[i + 1]
        if a.sentence_id != b.sentence_id or a.link_id or b.link_id:
            continue
        lead = text[max(a.sentence_start, a.start - 12) : a.start]
        if not _FROM_LEAD.search(lead):
            continue
        if not _FROM_TO.match(text[a.end : b.start]):
            continue
        n_link += 1
        lid = f"L{n_link}"
        # Both ends measure the same thing: the entity named before the pair.
        ent = a.entity or b.entity
        es, ee = (a.entity_start, a.entity_end) if a.entity else (b.entity_start, b.entity_end)
        facts[i] = replace(a, link_id=lid, link_role="from", entity=ent, entity_start=es, entity_end=ee)
        facts[i + 1] = replace(b, link_id=lid, link_role="to", entity=ent, entity_start=es, entity_end=ee)
    # L2: a rate right after its part, the part right after its total (415项 … 完成400项 … 完成率达96.4%).
    # The rate's verb (完成 of 完成率) must be printed just before the part, so unrelated numbers of
    # a long sentence are never checked against each other.
    for r_i in range(2, len(facts)):
        r, part, tot = facts[r_i], facts[r_i - 1], facts[r_i - 2]
        if r.unit != "%" or not r.entity.endswith("率") or len(r.entity) < 3:
            continue
        if {r.sentence_id, part.sentence_id, tot.sentence_id} != {r.sentence_id}:
            continue
        if part.kind == "percent" or part.unit != tot.unit or not 0 < part.value <= tot.value:
            continue
        if r.link_id or part.link_id or tot.link_id:
            continue
        stem = r.entity[:-1][-2:]
        if stem not in text[max(part.sentence_start, part.start - 8) : part.start] and stem not in part.entity:
            continue
        before_part = text[max(part.sentence_start, part.start - 8) : part.start].rstrip("了 ")
        if part.entity.endswith("率") or before_part.endswith(words.change):
            continue  # 比去年增加5600亿元，赤字率3%: a change is no part; nor is a count named after a rate
        n_link += 1
        lid = f"L{n_link}"
        computed = part.value / tot.value * 100
        decimals = len(r.number.split(".")[1]) if "." in r.number else 0
        tolerance = 0.5 * 10**-decimals + 1e-9
        if r.qualifier in ("over", "at_least"):  # 开工率超75%: a lower bound, met by 76.37%
            ok = computed >= r.value - tolerance
        elif r.qualifier in ("under", "at_most"):  # 不足5%: an upper bound
            ok = computed <= r.value + tolerance
        elif r.qualifier == "exact":
            ok = abs(computed - r.value) <= tolerance
        elif r.qualifier == "range" and r.value_max is not None:  # 完成率90—95%
            ok = r.value - tolerance <= computed <= r.value_max + tolerance
        else:  # approximate: within a point
            ok = abs(computed - r.value) <= 1
        detail = f"{part.value:g}/{tot.value:g} = {computed:.2f}% vs {r.value:g}%"
        facts[r_i - 2] = replace(tot, link_id=lid, link_role="total")
        if tot.entity and (not part.entity or part.entity in words.verbs or words.change_only.fullmatch(part.entity)):
            # 项目清单415项，推动完成400项: the part counts the same things as the total
            part = replace(part, entity=tot.entity, entity_start=tot.entity_start, entity_end=tot.entity_end)
        facts[r_i - 1] = replace(part, link_id=lid, link_role="part")
        status = "ok" if ok else "mismatch"
        facts[r_i] = replace(r, link_id=lid, link_role="rate", check_status=status, check_detail=detail)
    return facts


# the rest of a date after its number (2月份, 2024年度): never the start of an entity
_DATE_RESTS = ("月份", "年度", "季度", "月", "年", "日", "号")


class FactStage:
    """The pipeline stage: facts of an article as rows of the ``facts`` table."""

    name = "facts"
    table = "facts"

    def __init__(self, extractor: FactExtractor) -> None:
        self.extractor = extractor

    def __call__(self, article: Any, done: Any) -> list[FactRecord]:
        text = article.text
        out = []
        # mentions found by the entities stage, when it ran first: places and bodies a fact belongs to
        mentions = [r.mention for r in (done.get("entities", ()) if isinstance(done, dict) else ())]
        # the sentences of the segment stage, when it ran first: the cut extract would make again
        rows = done.get("sentences") if isinstance(done, dict) else None
        spans = [(r.start, r.end) for r in rows] if rows else None
        places = row_places(mentions)
        orgs = [m for m in mentions if m.label == "ORG"]
        place_starts, org_starts = [m.start for m in places], [m.start for m in orgs]
        for n, f in enumerate(self.extractor.extract(text, spans), 1):
            rs, re_ = article.mapped.raw_span(f.start, f.end)
            if f.subject_start is not None:
                # 东城区、西城区分别建成红蜂驿站12个和15个: the place or body of the fact's own list item
                pm = nearest_mention_before(places, place_starts, f.subject_end, f.subject_start)
                sub_org = nearest_before(orgs, org_starts, f.subject_end, f.subject_start)
            else:
                pm, sub_org = None, None
            if pm is None:
                pm = nearest_mention_before(places, place_starts, f.start, f.sentence_start)
            # the path of the place named, else the article's (a region such as 长三角 has none)
            place, path = (mention_name(pm), pm.normalized) if pm else (article.place, article.place_path)
            org = sub_org or nearest_before(orgs, org_starts, f.start, f.sentence_start)
            out.append(
                FactRecord(
                    article_id=article.article_id,
                    fact_id=f"{article.article_id}/{n}",
                    fact=f,
                    raw_start=rs,
                    raw_end=re_,
                    place=place,
                    org=org,
                    sentence=text[f.sentence_start : f.sentence_end],
                    place_path=path,
                )
            )
        return out


def row_places(mentions: Sequence[Any]) -> list[Any]:
    """The place mentions a fact or an initiative may take as its place: units and regions, not a one-character
    province name (渝 of 川渝, 沪 of 沪苏浙), which names a partner, not where it happens."""
    return [m for m in mentions if m.label == "PLACE" and m.subtype in ("admin", "region") and len(m.text) > 1]


def nearest_mention_before(mentions: Sequence[Any], starts: Sequence[int], pos: int, floor: int) -> Any | None:
    """The mention nearest before ``pos`` that starts at or after ``floor`` (its sentence's start): the one
    that governs what is at ``pos``. ``mentions`` are sorted by start and ``starts`` are their starts."""
    k = bisect_right(starts, pos) - 1
    while k >= 0 and mentions[k].start >= floor:
        if mentions[k].end <= pos:
            return mentions[k]
        k -= 1
    return None


def mention_name(m: Any | None) -> str | None:
    """A mention's name as the tables give it: a place the gazetteer resolved is named in full (山东 -> 山东省),
    so that places count together."""
    if m is None:
        return None
    norm = getattr(m, "normalized", None)
    return norm.rsplit("/", 1)[-1] if norm and m.label == "PLACE" else m.text


def nearest_before(mentions: Sequence[Any], starts: Sequence[int], pos: int, floor: int) -> str | None:
    """Name (:func:`mention_name`) of the mention :func:`nearest_mention_before` finds."""
    return mention_name(nearest_mention_before(mentions, starts, pos, floor))


_DEFAULT: FactExtractor | None = None


def extract_facts(text: str, *, extractor: FactExtractor | None = None) -> list[Fact]:
    """Facts of any string: quantities with their entities, links and checks.

    Args:
        text: an article, paragraph or sentence (paragraphs separated by newlines).
        extractor: a :class:`FactExtractor` to reuse; a shared default one is built on first use.

    Returns:
        Facts in text order; ``text[f.start:f.end] == f.surface`` and
        ``text[f.entity_start:f.entity_end] == f.entity`` when the entity was found.

    Example:
        >>> [(f.entity, f.value, f.unit) for f in extract_facts("设立“红蜂驿站”31个，共吸引辖区 113位女性加入")]
        [('红蜂驿站', 31.0, '个'), ('女性', 113.0, '位')]
    """
    global _DEFAULT
    if extractor is None:
        if _DEFAULT is None:
            _DEFAULT = FactExtractor()
        extractor = _DEFAULT
    return extractor.extract(text)
