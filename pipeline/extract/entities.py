"""Who and where: PERSON, PLACE, ORG and PROGRAMME mentions with offsets.

``EntityRecognizer.extract(text, byline=...) -> list[Mention]`` works on any string; the pipeline runs it on
each article (:class:`EntityStage`). Rules, in the order they claim text (a later rule never overlaps an
earlier mention):

* E1 PROGRAMME: a short quotation “…” that names something: followed by a programme head (“商圈党建联盟”模式,
  “四小工作法”) or preceded by a verb that launches one (推行“…”, 开展“…”), or a numeral slogan (“一格一员”);
  never quoted speech or a figure of speech (“哨兵”作用).
* E2 ORG: a phrase ending in an organisation suffix (协会, 检察院, 委员会, 工作室, 服务队 …), extended left over
  its name and a county-level (or higher) place, but not over a community or village name
  (赛马场北路社区 + 居务监督委员会); generic phrases (党组织, 服务中心) are not organisations.
* E3 PLACE: administrative units by suffix (回民区, 舍必崖乡, 赛马场北路社区, split into units when printed as a
  chain), roads (中山西路), landmarks (东客站), compounds (石化小区), and known countries and regions.
* E4 PERSON: names from the byline; a name after a role word (成员高敏, 村民杨富国, 社区书记伍加木); a name before a
  speech verb (杨富国说); known names. Precision first: a word is a name only with one of these signals.

The lexicons live in ``data/entities.toml``; offsets satisfy ``text[m.start:m.end] == m.text``.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from operator import itemgetter
from typing import Any

from ..gazetteer import Gazetteer, load_gazetteer
from ..roundup import roundup_items
from ..segment import Segmenter

__all__ = ["Mention", "EntityRecognizer", "EntityStage", "LABELS"]

LABELS = ("PERSON", "PLACE", "ORG", "PROGRAMME")
_HAN = re.compile(r"[\u4e00-\u9fff·]+")
_LOW_LEVEL = frozenset(("村", "社区", "街道", "镇", "乡", "嘎查"))
_GLUE_BEFORE_ZONE = frozenset("为在对把将被从向于由给让使")  # function characters a zone's name never opens with
_LOW_LEVEL_SUFFIXES = tuple(_LOW_LEVEL)
_DIRECTIONS = frozenset("东西南北")
# suffixes of units of county level or above: such a unit is a place only if the gazetteer knows it
_HIGH_LEVEL = frozenset(
    ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市", "区", "县", "旗", "盟", "州")
)
_CONTRAST = re.compile(r"(?:从|由|变|把|将)“([^“”\n]{1,20})”(?:向|到|为|变为|变成|转为|迈向)“([^“”\n]{1,20})”")
_SPIRIT = re.compile(
    r"(?:弘扬|传承|践行|发扬|赓续|大力弘扬|学习)([\u4e00-\u9fff]{2,8}?精神)(?:和|、|与)?([\u4e00-\u9fff]{2,8}?精神)?"
)
_TITLE = re.compile(r"《[^《》\n]{1,80}》")
_CHINA_STYLE = re.compile(r"中国(?=式|特色)")
_COMMITTEE = re.compile(r"(?:省委|市委|区委|州委|自治区党委)(?=副?书记|常委)")
_SHARED_SUFFIX = re.compile(
    r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})、([\u4e00-\u9fff]{2,3})(?=[两二]个?(?:村|镇|乡|社区|嘎查))"
)
_BUILDING = re.compile(r"[0-9０-９]{1,4}号(?:楼|院)")
_QUESTION = re.compile(r"什么|怎么|如何|吗$|哪")
_ORDINAL = re.compile(r"第[一二三四五六七八九十]{1,3}")
_COUNTED = re.compile(r"\s*[0-9一二两三四五六七八九十百千万]+[余多]?\s*[个家座支处所名人]")
_PUNCT_BREAK = set("，。；：！？、,.;:!?\n（）()《》“”‘’「」【】 \u3000")


@dataclass(frozen=True, slots=True)
class Mention:
    """A named mention: ``text[start:end] == text`` of the article it was found in."""

    text: str
    label: str  # PERSON | PLACE | ORG | PROGRAMME
    start: int
    end: int
    rule: str  # which rule fired: byline, role, speech, known, suffix, chain, road, quote-head, ...
    subtype: str | None = None  # PLACE: admin | road | landmark | compound | region; ORG: the suffix
    normalized: str | None = None


@dataclass(frozen=True)
class EntityWords:
    roles: tuple[str, ...]
    speech: tuple[str, ...]
    not_names: frozenset[str]
    name_tail_not: frozenset[str]  # one-character words after a name that are not its third character
    known_people: tuple[str, ...]  # longest first
    org_suffixes: tuple[str, ...]
    known_orgs: tuple[str, ...]
    org_not_names: frozenset[str]
    generic_orgs: frozenset[str]
    org_min: int
    org_max: int
    roads: tuple[str, ...]
    not_roads: frozenset[str]
    landmarks: tuple[str, ...]
    compounds: tuple[str, ...]
    admin: tuple[str, ...]
    known_places: tuple[str, ...]
    zones: tuple[str, ...]
    org_place_endings: tuple[str, ...]
    org_word_continues: dict[str, str]
    org_word_breaks: tuple[str, ...]
    stations: tuple[str, ...]
    not_place_endings: tuple[str, ...]
    generic_places: frozenset[str]
    place_max: int
    not_stems: frozenset[str]
    common_county_words: frozenset[str]
    common_city_words: frozenset[str]
    national_openers: tuple[str, ...]
    short_names: dict[str, str]
    new_areas: dict[str, str]
    zone_designations: tuple[str, ...]
    prog_heads: tuple[str, ...]
    prog_known: tuple[str, ...]
    speech_before: tuple[str, ...]
    problem_before: tuple[str, ...]
    problem_after: tuple[str, ...]
    quote_org_endings: tuple[str, ...]
    org_no_place: tuple[str, ...]
    org_generic_parts: tuple[str, ...]
    prog_verbs: tuple[str, ...]
    figurative: frozenset[str]
    outcome_before: tuple[str, ...]
    prog_min: int
    prog_max: int
    surnames: str
    boundary: frozenset[str]
    verbs: frozenset[str]


def _longest_first(xs: Iterable[str]) -> tuple[str, ...]:
    """Distinct words, longest first, words of one length in the lexicon's order (never a set's order, which
    changes with the process's hash seed: the first of two overlapping names claims the text)."""
    return tuple(sorted(dict.fromkeys(xs), key=len, reverse=True))


# the bare units whose own body a verb may name (提请 市 | 人大常委会, 推进 省 | 人民医院; not 区 or 村: 启动区,
# 协同发展区 are names of their own)
_OWN_BODY_UNITS = frozenset({"省", "市", "县", "州", "自治区", "自治州", "盟"})
# action verbs of the fact rules that are often inside a name (国家文物保护利用示范区)
_NAME_VERBS = frozenset({"利用", "查验"})


@lru_cache(maxsize=1)
def load_entity_words() -> EntityWords:
    """Compile ``data/entities.toml`` (plus the surnames of layout.toml and the boundary words and action
    verbs of facts.toml, which the recogniser shares)."""
    files = resources.files("pipeline")
    d = tomllib.loads(files.joinpath("data/entities.toml").read_text(encoding="utf-8"))
    lay = tomllib.loads(files.joinpath("data/layout.toml").read_text(encoding="utf-8"))
    fac = tomllib.loads(files.joinpath("data/facts.toml").read_text(encoding="utf-8"))
    p, o, pl, g = d["person"], d["org"], d["place"], d["programme"]
    return EntityWords(
        roles=_longest_first(p["roles"]),
        speech=_longest_first(p["speech_verbs"]),
        not_names=frozenset(p["not_names"]),
        name_tail_not=frozenset(p["name_tail_not"]),
        known_people=_longest_first(p["known"]),
        org_suffixes=_longest_first(o["suffixes"]),
        known_orgs=_longest_first(o["known"]),
        org_not_names=frozenset(o["not_names"]),
        generic_orgs=frozenset(o["generic"]),
        org_min=int(o["min_chars"]),
        org_max=int(o["max_chars"]),
        roads=_longest_first(pl["roads"]),
        not_roads=frozenset(pl["not_roads"]),
        landmarks=_longest_first(pl["landmarks"]),
        compounds=_longest_first(pl["compounds"]),
        admin=_longest_first(pl["admin"]),
        known_places=_longest_first(pl["known"]),
        zones=_longest_first(pl["zones"]),
        org_place_endings=_longest_first(pl["body_like_units"]),
        org_word_continues=dict(o.get("word_continues", {})),
        org_word_breaks=tuple(o.get("word_breaks", ())),
        stations=_longest_first(pl["stations"]),
        not_place_endings=_longest_first(pl["not_endings"]),
        generic_places=frozenset(pl["generic"]) | frozenset(lay["place"]["not_places"]),
        place_max=int(pl["max_chars"]),
        not_stems=frozenset(pl["not_stems"]),
        common_county_words=frozenset(pl["common_county_words"]),
        common_city_words=frozenset(pl["common_city_words"]),
        national_openers=tuple(pl["national_openers"]),
        short_names=dict(pl["short_names"]),
        new_areas=dict(pl["new_areas"]),
        zone_designations=_longest_first(pl["zone_designations"]),
        prog_heads=_longest_first(g["heads"]),
        prog_known=_longest_first(g["known"]),
        speech_before=_longest_first(g["speech_before"]),
        problem_before=_longest_first(g["problem_before"]),
        problem_after=_longest_first(g["problem_after"]),
        quote_org_endings=_longest_first(g["org_endings"]),
        org_no_place=_longest_first(o["no_place_prefix"]),
        org_generic_parts=_longest_first(o["generic_parts"]),
        prog_verbs=_longest_first(g["verbs"]),
        figurative=frozenset(g["figurative"]),
        outcome_before=_longest_first(g["outcome_before"]),
        prog_min=int(g["min_chars"]),
        prog_max=int(g["max_chars"]),
        surnames=lay["dateline"]["surnames"],
        boundary=frozenset(fac["boundary_words"]) - {"全国", "全市"},
        verbs=frozenset(fac["action_verbs"]) - _NAME_VERBS,
    )


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Chinese names of the world's countries and territories (ISO 3166-1 with its zh_CN translation,
    from the pycountry package): 美国, 卢森堡, 俄罗斯."""
    import gettext

    import pycountry

    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True)
    out = set()
    for c in pycountry.countries:
        for field in ("common_name", "name"):
            en = getattr(c, field, None)
            if en:
                name = zh.gettext(en)
                if name != en and _HAN.fullmatch(name) and len(name) >= 2:
                    out.add(name)
    return frozenset(out)


@lru_cache(maxsize=4)
def _name_automaton(gazetteer: Gazetteer) -> Any:
    """An Aho-Corasick automaton over the gazetteer's names and the world's country names of two
    characters or more (built once), as :func:`_name_spans` reads them: over their UTF-8 bytes, with each
    name's length in characters."""
    import ahocorasick

    auto = ahocorasick.Automaton()
    for name in set(gazetteer.index) | country_names():
        if len(name) >= 2:
            auto.add_word(_as_bytes(name), len(name))
    auto.make_automaton()
    return auto


def _as_bytes(text: str) -> str:
    """The UTF-8 bytes of ``text``, one latin-1 character per byte (lone surrogates kept)."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


_UTF8_CONTINUATION = bytes(range(0x80, 0xC0))


def _name_spans(auto: Any, text: str) -> set[tuple[int, int]]:
    """``(start, end)`` character spans of every occurrence of a name of ``auto`` (:func:`_name_automaton`)
    in ``text``, overlapping ones included.

    The automaton reads UTF-8 bytes: pyahocorasick looks a trie node's children up one after the other, and
    the root of a trie of Chinese names has thousands of first characters but only a few first bytes (about
    seven times faster on the bundled corpus). A match of a name's whole UTF-8 sequence starts and ends on
    character boundaries; its end in characters is the number of characters (bytes that are not UTF-8
    continuation bytes) up to it, counted on from the previous match (matches come in order of their ends).
    """
    data = text.encode("utf-8", "surrogatepass")
    out: set[tuple[int, int]] = set()
    chars = done = 0  # the text's first `done` bytes hold `chars` characters
    for last, n in auto.iter(data.decode("latin-1")):
        chars += len(data[done : last + 1].translate(None, _UTF8_CONTINUATION))
        done = last + 1
        out.add((chars - n, chars))
    return out


class _Suffixes:
    """The longest suffix of a word from a set, by slicing (one dict look-up per possible length)."""

    def __init__(self, suffixes: Iterable[str]) -> None:
        self.set = frozenset(suffixes)
        self.lengths = sorted({len(x) for x in self.set}, reverse=True)
        self.ends = tuple(self.set)

    def match(self, word: str) -> str | None:
        if not word.endswith(self.ends):
            return None
        for n in self.lengths:
            if len(word) >= n and word[-n:] in self.set:
                return word[-n:]
        return None


def _normalized(m: Mention, path: str | None) -> Mention:
    """``dataclasses.replace(m, normalized=path)``, without its generic field walk (mentions are many)."""
    return Mention(m.text, m.label, m.start, m.end, m.rule, m.subtype, path)


# A word of the text: (text, part-of-speech flag, start, end). Plain tuples: an article has thousands.
_Tok = tuple[str, str, int, int]


class EntityRecognizer:
    """Finds PERSON, PLACE, ORG and PROGRAMME mentions (build once, reuse).

    Args:
        segmenter: the word segmenter and tagger (a new rjieba one by default).
        gazetteer: the divisions used to give places their full path (the packaged one, loaded once, by
            default; False for none).
    """

    def __init__(self, segmenter: Segmenter | None = None, gazetteer: Gazetteer | None | bool = True) -> None:
        self.segmenter = segmenter or Segmenter()
        self.w = load_entity_words()
        self.gazetteer: Gazetteer | None = load_gazetteer() if gazetteer is True else (gazetteer or None)
        self._kinds: dict[str, tuple[str | None, str]] = {}
        self._userdict = frozenset(u.word for u in self.segmenter.user_words)
        self._bounds: set[int] = set()
        self._admin_set = frozenset(self.w.admin)
        self._compound_set = frozenset(self.w.compounds)
        self._landmark_set = frozenset(self.w.landmarks)
        self._zone_set = frozenset(self.w.zones)
        self._bare_sfx = self._compound_set | self._landmark_set | self._zone_set
        self._place_last = frozenset(
            x[-1] for x in self.w.admin + self.w.roads + self.w.landmarks + self.w.compounds + self.w.zones
        )
        self._role_last = frozenset(x[-1] for x in self.w.roles)
        # the characters a place-name or role word can end with, to find such words in the text at C speed
        self._place_last_rx = re.compile("[" + re.escape("".join(sorted(self._place_last))) + "]")
        self._role_last_rx = re.compile("[" + re.escape("".join(sorted(self._role_last))) + "]")
        # a token list and its tokens' end and start offsets
        self._ends: tuple[list[_Tok], list[int], list[int]] = ([], [], [])
        self._in_text: tuple[str, dict[str, bool]] = ("", {})  # a text and which names it holds
        self._not_roads = tuple(self.w.not_roads)
        self._org_sfx = _Suffixes(self.w.org_suffixes)
        self._org_rx = re.compile("|".join(map(re.escape, self.w.org_suffixes)))
        generic_chars = "".join(sorted(set("".join(self.w.org_generic_parts))))
        self._not_generic_char = re.compile(f"[^{re.escape(generic_chars)}]" if generic_chars else r"[\s\S]")
        self._place_tables = [
            ("zone", _Suffixes(self.w.zones)),  # before admin: 经济开发区 ends in 区 but is no division
            ("admin", _Suffixes(self.w.admin)),
            ("road", _Suffixes(self.w.roads)),
            ("landmark", _Suffixes(self.w.landmarks)),
            ("compound", _Suffixes(self.w.compounds)),
        ]
        self._place_ends = tuple(self.w.admin + self.w.roads + self.w.landmarks + self.w.compounds + self.w.zones)
        self._gz_names = _name_automaton(self.gazetteer) if self.gazetteer is not None else None
        self._countries = country_names() if self.gazetteer is not None else frozenset()
        self._known_place_set = frozenset(self.w.known_places)
        # a place's name before a road suffix names the road: 中山西路, 北京路, 黄山大道, 资阳大道
        self._road_after = re.compile("[东西南北中]?(?:" + "|".join(map(re.escape, (*self.w.roads, "道"))) + ")")
        slogan = "一二两三四五六七八九十百千万"
        self._slogan = re.compile(rf"[{slogan}][\u4e00-\u9fff]{{1,2}}[{slogan}]")
        self._quote = re.compile(rf"“([^“”\n]{{{self.w.prog_min},{self.w.prog_max}}})”")

    def extract(
        self,
        text: str,
        *,
        byline: Sequence[Any] = (),
        context: Sequence[str] = (),
        tagged: Sequence[tuple[str, str]] | None = None,
    ) -> list[Mention]:
        """Mentions of ``text`` in text order, none overlapping.

        Args:
            text: an article (or any string).
            byline: byline names with ``name``, ``start``, ``end`` in ``text`` (``Article.byline``).
            context: places the text is known to be about (the article's place, its city), used to resolve
                ambiguous names.
            tagged: ``self.segmenter.tag(text)`` when the caller has it (the pipeline tags an article with
                its sentences); None tags the text here.
        """
        taken = bytearray(len(text))
        for m in _TITLE.finditer(text):
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())  # nothing inside 《…》 is marked
        out: list[Mention] = []
        toks = self._tokens(text, tagged)
        self._bounds = {0, *self._token_ends(toks)} if toks else set()  # tokens follow each other from 0

        def claim(m: Mention | None) -> None:
            if m is None or m.end <= m.start or taken.find(1, m.start, m.end) >= 0:
                return
            if text[m.start : m.end] != m.text:
                return
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
            out.append(m)

        for b in byline:
            claim(Mention(b.name, "PERSON", b.start, b.end, "byline"))
        for m in self._programmes(text):
            claim(m)
        for m in self._orgs(text, toks):
            claim(m)
        for m in self._places(text, toks):
            claim(m)
        for m in self._people(text, toks):
            claim(m)
        # E4b: a name found once is a name wherever else the article prints it (杨富国出海捕鱼); longer names
        # first (丁薛祥 before a 薛祥 found inside it elsewhere), then in the order they were found, so the
        # result never depends on the order of a set (which changes with the process's hash seed)
        names = dict.fromkeys(m.text for m in out if m.label == "PERSON" and len(m.text) >= 2)
        for name in sorted(names, key=len, reverse=True):
            for hit in self._known(name, text):  # on word boundaries: 胡天 is not repeated inside 胡天伟
                claim(Mention(name, "PERSON", hit.start(), hit.end(), "repeat"))
        out.sort(key=lambda m: m.start)
        return self._normalize(out, context, text)

    def _normalize(self, mentions: list[Mention], context: Sequence[str], text: str | None = None) -> list[Mention]:
        """E5: full paths for places, in four passes. Names the gazetteer knows unambiguously come first and
        their city and province become context; then ambiguous names are read in the article's own place
        (``context``: on a 呼和浩特 page, 新城区 is 呼和浩特市新城区); then a name with a preferred reading takes it
        (:meth:`~pipeline.gazetteer.Gazetteer.preferred`: 海南 is 海南省 although the page names 青海 elsewhere);
        then the other places the page names decide. A unit right after a resolved one (回民区海西路街道) hangs
        under it."""
        if self.gazetteer is None:
            return mentions
        g = self.gazetteer
        home = tuple(c for c in context if c)
        found: list[tuple[int, str]] = []  # (offset, city or province) of the places resolved so far, sorted
        counts: Counter[str] = Counter()
        paths: dict[int, str] = {}
        places = [(i, m) for i, m in enumerate(mentions) if m.label == "PLACE" and m.subtype in ("admin", "region")]

        def glued(i: int) -> bool:  # 兰州中山桥: a name printed right after another place is part of it
            return i > 0 and mentions[i - 1].label == "PLACE" and mentions[i - 1].end == mentions[i].start

        for i, m in places:
            if m.text in self.w.short_names:  # 渝 of 川渝: 重庆市, a partner named, not a place of the page
                paths[i] = self.w.short_names[m.text]
        for how in ("strict", "home", "preferred", "page"):
            if how == "home" and not home:
                continue
            for i, m in places:
                if i in paths:
                    continue
                if how == "strict":
                    d = g.resolve_chain(m.text)
                elif how == "home":
                    d = g.resolve_chain(m.text, context=home)
                elif how == "preferred":
                    d = None if m.text in self.w.common_city_words or glued(i) else g.preferred(m.text)
                else:
                    d = g.resolve_chain(m.text, context=(*home, *self._page_context(found, counts, m, text)))
                if d is not None:
                    paths[i] = d.path
                    for x in (d.city, d.province):
                        if x:
                            insort(found, (m.start, x))
                    counts.update(x for x in (d.city, d.province) if x)
        if text is not None:
            # a city's bare name in a list of its counties is the county: 泸定、甘孜、稻城 (甘孜县, not the prefecture)
            for i, m in places:
                county = g.county_namesake(m.text) if i in paths else None
                if county is not None and paths[i] != county.path and self._among_counties(text, m, county):
                    paths[i] = county.path
            # a province's name that is also a city's is the province in a list of provinces: 黑龙江、吉林等地
            for i, m in places:
                if i not in paths:
                    prov = [d for d in g.lookup(m.text) if d.level == 1]
                    if len(prov) == 1 and self._among_provinces(text, m):
                        paths[i] = prov[0].path
        admin_zones = self._admin_zones(mentions)
        out = []
        prev: Mention | None = None
        prev_path: str | None = None
        for i, m in enumerate(mentions):
            if i in admin_zones:  # 浦东新区, 河北雄安新区: a division or a state-level new area, not a kind of zone
                m = Mention(m.text, m.label, m.start, m.end, m.rule, "admin", m.normalized)
                paths[i] = admin_zones[i]
            path = paths.get(i)
            if (
                path is None
                and m.label == "PLACE"
                and m.subtype == "admin"
                and prev is not None
                and prev.end == m.start
                and prev_path
            ):
                path = f"{prev_path}/{m.text}"  # 回民区 | 海西路街道 | 赛马场北路社区
            if path is not None:
                m = _normalized(m, path)
            out.append(m)
            prev, prev_path = m, path if m.label == "PLACE" else None
        return out

    def _admin_zones(self, mentions: Sequence[Mention]) -> dict[int, str]:
        """Paths of the zone mentions that are places of their own: a county-level division named like a zone
        (浦东新区, 天津滨海新区) or a state-level new area (``new_areas``: 雄安新区, 南京江北新区), with or
        without the province or city printed before it."""
        g = self.gazetteer
        out: dict[int, str] = {}
        for i, m in enumerate(mentions):
            # (an admin one was read so by an earlier pass: the pipeline reads an article's places twice)
            if m.label != "PLACE" or not (m.subtype == "zone" or (m.subtype == "admin" and m.text.endswith("新区"))):
                continue
            for k in range(0, max(1, len(m.text) - 3)):
                name = m.text[k:]
                if name in self.w.new_areas:
                    out[i] = self.w.new_areas[name]
                    break
                counties = [d for d in g.lookup(name) if d.level == 3] if g is not None else []
                if len(counties) == 1:
                    out[i] = counties[0].path
                    break
        return out

    @staticmethod
    def _page_context(found: list[tuple[int, str]], counts: Counter[str], m: Mention, text: str | None) -> list[str]:
        """The places named elsewhere on the page that may place ``m``: those of its own sentence, and those
        the page names twice or more (a report that names 丹东 once does not make its 朝阳 辽宁's 朝阳市).

        ``found`` holds the places resolved so far, sorted by offset, and ``counts`` counts them. Each place
        is given once: the gazetteer reads a context as a set of names."""
        if text is None:
            return [x for x, n in counts.items() if n >= 2]
        a = max(text.rfind(c, 0, m.start) for c in "。！？；\n") + 1
        ends = [k for k in (text.find(c, m.end) for c in "。！？；\n") if k >= 0]
        b = min(ends, default=len(text))
        near = {x for _, x in found[bisect_left(found, (a,)) : bisect_left(found, (b,))]}
        return [x for x, n in counts.items() if n >= 2 or x in near]

    def _among_counties(self, text: str, m: Mention, county: Any) -> bool:
        """Whether the items next to ``m`` in a 、-list (泸定、甘孜、稻城) are counties of ``county``'s city."""
        g = self.gazetteer
        assert g is not None
        items = _list_neighbours(text, m)
        return any(d.level == 3 and d.city == county.city and d != county for w in items for d in g.lookup(w))

    def _among_provinces(self, text: str, m: Mention) -> bool:
        """Whether an item next to ``m`` in a 、-list (黑龙江、吉林等地) is a province."""
        g = self.gazetteer
        assert g is not None
        return any(d.level == 1 for w in _list_neighbours(text, m) for d in g.lookup(w))

    def _known(self, name: str, text: str) -> Iterable[re.Match[str]]:
        """Occurrences of a known place or person that start and end on word boundaries (中国 is not in
        中国共产党); organisations and programmes are matched anywhere (央视网 inside 央视网消息)."""
        for m in re.finditer(re.escape(name), text):
            if m.start() in self._bounds and m.end() in self._bounds:
                yield m

    def _token_ends(self, toks: list[_Tok]) -> list[int]:
        """The end offset of each token, in order (built once per token list)."""
        if self._ends[0] is not toks:
            self._ends = (toks, list(map(itemgetter(3), toks)), list(map(itemgetter(2), toks)))
        return self._ends[1]

    def _token_starts(self, toks: list[_Tok]) -> list[int]:
        """The start offset of each token, in order (built once per token list)."""
        self._token_ends(toks)
        return self._ends[2]

    def _ending_with(self, rx: re.Pattern[str], text: str, toks: list[_Tok]) -> list[int]:
        """Indexes, in order, of the tokens whose last character ``rx`` (a character class) matches: found from
        the characters of the text, not by reading every token (the tokens cover ``text``, each starting where
        the one before ends, so a token ends after a matched character or none does)."""
        ends = self._token_ends(toks)
        out = []
        for m in rx.finditer(text):
            k = bisect_left(ends, m.end())
            if k < len(ends) and ends[k] == m.end():
                out.append(k)
        return out

    def _tokens(self, text: str, tagged: Sequence[tuple[str, str]] | None = None) -> list[_Tok]:
        """The words of ``text`` with their flags and offsets; ``tagged``: ``self.segmenter.tag(text)``."""
        if tagged is None:
            tagged = self.segmenter.tag(text)
        if not tagged:
            return []
        words = list(map(itemgetter(0), tagged))
        ends = list(accumulate(map(len, words)))
        starts = [0, *ends[:-1]]
        toks = list(zip(words, map(itemgetter(1), tagged), starts, ends, strict=True))
        self._ends = (toks, ends, starts)  # the offsets :meth:`_token_ends` and :meth:`_token_starts` give
        return toks

    # -- E1 programmes ----------------------------------------------------------------------------

    def _programmes(self, text: str) -> Iterable[Mention]:
        w = self.w
        # pairs of quotations that contrast a before and an after are no programmes
        contrast: set[tuple[int, int]] = set()
        for m in _CONTRAST.finditer(text):
            contrast.add((m.start(1), m.end(1)))
            contrast.add((m.start(2), m.end(2)))
        for m in self._quote.finditer(text):
            inner, a, b = m.group(1), m.start(1), m.end(1)
            if any(c in inner for c in "。！？；：!?;") or inner in w.figurative:
                continue
            after = text[m.end() : m.end() + 6]
            before = text[max(0, m.start() - 4) : m.start()]
            if before.rstrip().endswith(w.speech_before):
                continue  # speech
            if (
                len(inner) <= 3
                and inner not in self._userdict
                and not any(c in "0123456789一二两三四五六七八九十百千万" for c in inner)
                and len(self.segmenter.cut(inner)) == 1
            ):
                continue  # “菜单”, “初心”, “传声筒”: one ordinary word in quotes is a figure of speech (“两新”,
                # “五老”: a numeral makes a coined name)
            if before.endswith(w.problem_before) or after.startswith(w.problem_after):
                continue  # 破解“小马拉大车”难题: a problem, not a programme
            numbered = any(c in "0123456789一二两三四五六七八九十百千万" for c in inner)
            if before.endswith(w.outcome_before) and not after.startswith(w.prog_heads) and not numbered:
                continue  # 做到“拿地即开工”, 实现“双提升”: an outcome, not a programme
            if inner.endswith("式") and len(inner) <= 4:
                continue  # “内卷式”竞争: a manner, not a name
            if _QUESTION.search(inner) or (len(inner) >= 8 and "的" in inner):
                continue  # “联什么”, “怎么联”: a question; “中国新时代深化改革的世界机遇”: a title
            if (a, b) in contrast:
                continue  # 从“单打独斗”到“协同作战”, 变“被动响应”为“主动作为”: a before and an after
            if inner.endswith(w.quote_org_endings) and not inner.endswith(("委", "两委")):
                yield Mention(inner, "ORG", a, b, "quote-org")  # “邻里帮帮团”, “银发调解队”
                continue
            head = after.startswith(w.prog_heads)
            verb = before.endswith(w.prog_verbs)
            slogan = bool(self._slogan.search(inner))
            named = not inner.endswith(("委", "党委", "工委", "两委"))
            # “红蜂驿站”40余个: a branded thing counted; “大工委”9个 counts a type of body, not a programme
            counted = bool(_COUNTED.match(after)) and not inner.endswith(("委", "党委", "工委"))
            if head or verb or slogan or counted or named:
                rule = (
                    "quote-head"
                    if head
                    else "quote-verb"
                    if verb
                    else "quote-slogan"
                    if slogan
                    else "quote-count"
                    if counted
                    else "quote"
                )
                yield Mention(inner, "PROGRAMME", a, b, rule)
        for name in w.prog_known:
            if name not in text:
                continue
            for m in re.finditer(re.escape(name), text):
                yield Mention(name, "PROGRAMME", m.start(), m.end(), "known")
        # a named spirit carried on: 弘扬长征精神和遵义会议精神, 传承蒙古马精神
        for m in _SPIRIT.finditer(text):
            for g in (1, 2):
                if m.group(g) and not m.group(g).startswith(("的", "这种", "这一", "伟大")):
                    yield Mention(m.group(g), "PROGRAMME", m.start(g), m.end(g), "spirit")

    # -- E2 organisations ---------------------------------------------------------------------------

    def _orgs(self, text: str, toks: list[_Tok]) -> Iterable[Mention]:
        w = self.w
        known = [
            Mention(name, "ORG", m.start(), m.end(), "known")
            for name in w.known_orgs
            if name in text
            for m in re.finditer(re.escape(name), text)
        ]
        # a place's party committee before its secretary: 贵州省委书记 (jieba makes 省委书记 one word)
        for m in _COMMITTEE.finditer(text):
            for name in self._gz_names_ending(text, m.start()):
                yield Mention(text[m.start() - len(name) : m.end()], "ORG", m.start() - len(name), m.end(), "committee")
                break
        cands: list[Mention] = []
        hits = list(self._org_rx.finditer(text))
        ends = self._token_ends(toks) if hits else []
        tok_starts = self._token_starts(toks) if hits else []
        for m in hits:
            # the suffix found in the characters (手工|坊 is still 手工坊), on word boundaries: the (last) word
            # that ends where it ends
            k = bisect_right(ends, m.end()) - 1
            if k < 0 or ends[k] != m.end():
                continue
            # the word holding the suffix's first character (社区党委 is one word: the suffix starts inside it)
            k0 = bisect_right(tok_starts, m.start()) - 1
            t = toks[k]
            sfx = m.group(0)
            nxt = text[t[3] : t[3] + 1]
            if nxt and nxt in w.org_word_continues.get(sfx, "") and not text.startswith(w.org_word_breaks, t[3]):
                continue  # 党员中心户 is a household, not a 中心 (but 文化中心 | 户外广场)
            # a suffix word followed by more of a name is not the end (服务中心 of 服务中心主任 is)
            start = self._extend_left(toks, k, text, stop_at_grassroots=sfx.endswith(w.org_no_place), first=k0)
            name = text[start : t[3]]
            if self._only_generic(name) or name.endswith(w.org_place_endings):
                continue  # 社区党委, 项目公司: a kind of body, not a name; 金海区域服务中心 is a place
            if len(name) < w.org_min or len(name) > w.org_max or name in w.generic_orgs:
                continue
            cands.append(Mention(name, "ORG", start, t[3], "suffix", subtype=sfx))
        # the longest name wins an overlap: 泰达城投集团党委 over 泰达城投集团, 全国人大常委会 over 全国人大
        yield from sorted(known + cands, key=lambda c: c.start - c.end)

    def _is_place_name(self, name: str) -> bool:
        """A known region or a gazetteer name (长三角, 鲁西南 is neither)."""
        return name in self._known_place_set or bool(self.gazetteer and self.gazetteer.index.get(name))

    def _province_in(self, d: Any, text: str) -> bool:
        """Whether the text names the county's own city (full or short) or, for a county of a one-county
        name, its province: the context that makes a short county name (临安) a place."""
        names = []
        if d.city and d.city != d.province:
            names += [d.city, d.city.rstrip("市")]
        names += [d.province, d.province.rstrip("省")]
        return any(n and len(n) >= 2 and self._contains(text, n) for n in names)

    def _contains(self, text: str, part: str) -> bool:
        """``part in text``, remembered for the last text asked about (the same names are asked often)."""
        if self._in_text[0] is not text:
            self._in_text = (text, {})
        known = self._in_text[1]
        hit = known.get(part)
        if hit is None:
            hit = known[part] = part in text
        return hit

    def _gz_names_ending(self, text: str, end: int) -> list[str]:
        """Province and city names (full or short) printed right before ``end``, longest first."""
        if self.gazetteer is None:
            return []
        out = []
        for n in range(min(8, end), 1, -1):
            name = text[end - n : end]
            if any(d.level <= 2 for d in self.gazetteer.index.get(name, ())):
                out.append(name)
        return out

    def _extend_left(
        self, toks: list[_Tok], k: int, text: str, *, stop_at_grassroots: bool, first: int | None = None
    ) -> int:
        """Start of a name whose suffix runs from token ``first`` to token k: the words before it that can
        be part of a name."""
        w = self.w
        first = k if first is None else first
        start = toks[first][2]
        j = first - 1
        places = 0
        company = toks[k][0].endswith(("公司", "集团"))
        while j >= 0:
            t = toks[j]
            if (
                not _HAN.fullmatch(t[0])
                or t[0] in w.boundary
                or t[0] in w.verbs
                or t[1][:1] in ("m", "p", "c", "u", "r", "q")
            ):
                break  # 53 支 | 党员服务队
            if len(t[0]) == 1 and j > 0 and toks[j - 1][1][:1] == "m":
                break  # 53 | 支 (tagged a noun) | 党员服务队
            if t[0] in self._admin_set and t[0] not in ("社区", "街道") and j > 0 and _HAN.fullmatch(toks[j - 1][0]):
                # a bare 乡 / 镇 / 村 takes the word before it, however jieba tagged it: 舍必崖 乡 | 检察工作室
                if t[0] in _OWN_BODY_UNITS and toks[j - 1][0] in w.verbs and not (stop_at_grassroots or places):
                    start = t[2]  # 推进 市 | 传染病医院, 获 自治区 | 人民政府: the unit's own body, after a verb
                    break
                if stop_at_grassroots or places or toks[j - 1][0] in w.boundary or toks[j - 1][0] in w.verbs:
                    break
                places += 1
                start = toks[j - 1][2]
                j -= 2
                continue
            if j == first - 1 and _ORDINAL.fullmatch(t[0]):
                start = t[2]  # 八角中里社区 第二 党支部
                j -= 1
                continue
            nominal = (
                t[1][:1] == "n"
                or t[1] in ("j", "vn", "l", "eng", "b", "s")
                or (t[1][:1] == "a" and len(t[0]) == 1)
                or (company and t[1][:1] in ("a", "v") and len(t[0]) == 2 and j < first - 1)
            )  # 陕西 宏图 富强 惠民 农业 有限公司: a company's name may hold any word
            if not nominal and not (j == first - 1 and len(toks[k][0]) <= 3):
                break  # 充分发挥 | 居务监督委员会; but 检察 工作室 keeps its word
            if t[0] in w.not_stems or t[0] in w.org_not_names:
                break
            kind, _ = self._place_kind(t[0])
            if kind in ("landmark", "road") and len(t[0]) >= 3:
                break  # 虹桥火车站 | 浦江物业公司: a landmark is where the body is, not its name
            if kind == "admin" or (kind is not None and len(t[0]) >= 3):
                if stop_at_grassroots or places:
                    break  # 赛马场北路社区 | 居务监督委员会; 华坪县 | 兴泉镇党群服务中心
                places += 1
            if toks[k][3] - t[2] > w.org_max:
                break
            start = t[2]
            j -= 1
        # a verb cannot open a name: 完善 | 乡党委 (but 互助 养老团 keeps the word its suffix needs)
        j += 1
        while j < first and toks[j][1][:1] == "v" and not (j == first - 1 and len(toks[k][0]) <= 3):
            j += 1
            start = toks[j][2]
        return start

    def _only_generic(self, name: str) -> bool:
        """Whether less than two characters of ``name`` are left once its generic parts (社区, 党委, 服务中心)
        are taken out: 社区党委 is a kind of body, not a name."""
        if len(self._not_generic_char.findall(name)) >= 2:
            return False  # two characters of no generic part stay whatever is taken out: 检察院
        rest = name
        for part in self.w.org_generic_parts:
            rest = rest.replace(part, "")
        return len(rest) < 2

    # -- E3 places ------------------------------------------------------------------------------------

    def _places(self, text: str, toks: list[_Tok]) -> Iterable[Mention]:
        w = self.w
        for m in _CHINA_STYLE.finditer(text):
            if m.start() in self._bounds:
                yield Mention("中国", "PLACE", m.start(), m.start() + 2, "known", "region")  # 中国式现代化
        for name in w.known_places:
            if name not in text:
                continue
            for m in self._known(name, text):
                end = m.end() + 2 if text.startswith("地区", m.end()) else m.end()  # 长三角地区
                yield Mention(text[m.start() : end], "PLACE", m.start(), end, "known", "region")
        # E3c: villages named together before a shared suffix: 黑麻洼、柴六营两村
        for m in _SHARED_SUFFIX.finditer(text):
            for g in (1, 2):
                if m.group(g) not in w.not_stems and m.group(g) not in w.generic_places:
                    yield Mention(m.group(g), "PLACE", m.start(g), m.end(g), "shared-suffix", "admin")
        # E3b: province and city names printed without their suffix (北京, 江苏, 呼和浩特), found in the
        # characters so that jieba's joined words (辽宁沈阳, 山西晋|城东) still give 辽宁 | 沈阳, 山西 | 晋城;
        # yielded after the suffix rules, which stop at them (so a zone keeps its city: 成都东部新区)
        gz_hits = self._gazetteer_hits(text) if self.gazetteer is not None else []
        unit_ends = [b for _, b in gz_hits]  # ends of units found so far: a later name starts after them

        # administrative units first, so a road inside a unit's name (万通路街道) does not take it
        ends, admin = self._place_ends, self._admin_set
        cand = [
            k
            for k in self._ending_with(self._place_last_rx, text, toks)  # the word's last character in _place_last
            if toks[k][0] in admin or toks[k][0] in self._bare_sfx or toks[k][0].endswith(ends)
        ]
        for wanted in ("admin", "other"):
            for k in cand:
                t = toks[k]
                kind, sfx = self._place_kind(t[0])
                if kind is None or (kind == "admin") != (wanted == "admin"):
                    continue
                if kind == "landmark" and k + 1 < len(toks) and toks[k + 1][0] in self._landmark_set:
                    continue  # 大窑 遗址 | 公园: the longer name, ending at the next word, wins
                start = t[2]
                if t[0] == sfx or len(t[0]) - len(sfx) < 2 or kind != "admin":
                    start = self._place_start(toks, k)
                elif sfx in _LOW_LEVEL and k > 0 and toks[k - 1][0] in _DIRECTIONS and toks[k - 1][3] == start:
                    start = toks[k - 1][2]  # 西 | 辛庄村: jieba cuts a leading direction off a village's name
                # a province or city found in the characters, or a unit found before, starts the next
                # unit: 山西晋城 | 东圣社区, 犀牛脚镇 | 大环社区 (a zone or a lake keeps its name: 成都东部新区)
                i = bisect_right(unit_ends, t[2]) - 1
                if kind != "zone" and i >= 0 and unit_ends[i] > start:
                    start = unit_ends[i]
                end = t[3]
                if kind == "compound" and k + 1 < len(toks) and toks[k + 1][0] == "小区":
                    end = toks[k + 1][3]  # 怡园新村小区
                elif kind == "road":
                    hm = _BUILDING.match(text, end)
                    if hm:
                        end = hm.end()  # 桦皮厂胡同8号楼
                elif (
                    kind == "admin"
                    and k + 1 < len(toks)
                    and toks[k + 1][0] in ("街道", "社区")
                    and len(t[0]) >= 3
                    and self.gazetteer is not None
                    and not self.gazetteer.lookup(text[start : t[3]])
                ):
                    end = toks[k + 1][3]  # 西三旗 街道: a name ending like a unit before the unit's suffix
                name = text[start : t[3]]
                stem = name[: len(name) - len(sfx)]
                if kind == "landmark":
                    # a landmark's name does not run across a zone's suffix: 锰系新材料产业园 | 湘江左岸
                    cut_at = max((stem.rfind(z) + len(z) for z in w.zones if z in stem), default=0)
                    if cut_at:
                        start += cut_at
                        name, stem = name[cut_at:], stem[cut_at:]
                        if name[:1] in "和与及并或的":
                            continue  # …开发区和平陆运河: a conjunction opens no name
                if kind == "landmark" and sfx in w.stations and len(stem) == 1 and stem in "东西南北":
                    stem = "站名"  # 东客站, 南站: a direction names a city's station
                if name in w.generic_places or len(stem) < 2 or (kind == "road" and name in w.not_roads):
                    continue
                if name.endswith(w.not_place_endings) or stem in w.not_stems:
                    continue  # 文化强区, 党员责任区, 一面面党旗
                if name.endswith("地区") and not self._is_place_name(name[:-2]):
                    continue  # 贫困地区, 低洼地区: a kind of area; 长三角地区 names one
                if kind == "road" and name.endswith(self._not_roads):
                    continue
                if kind == "zone" and stem.startswith(w.zone_designations):
                    continue  # 国家高新区, 省级开发区, 250个国家现代农业产业园: a kind of zone, not one zone
                if (
                    kind == "zone"
                    and stem[:1] in _GLUE_BEFORE_ZONE
                    and (name[1:] in w.new_areas or (self.gazetteer is not None and self.gazetteer.lookup(name[1:])))
                ):
                    start, name, stem = start + 1, name[1:], stem[1:]  # 为 | 雄安新区: jieba joins 为雄安 (not 对虾)
                if (
                    kind == "admin"
                    and sfx in _HIGH_LEVEL
                    and self.gazetteer is not None
                    and not self.gazetteer.knows(text[start:end])
                ):
                    continue  # of county level or above but not in the list: 棚户区, 文明城市, 经开区, 用地入市
                if kind == "admin":
                    insort(unit_ends, end)
                yield Mention(text[start:end], "PLACE", start, end, "suffix", kind)
        for a, b in gz_hits:
            yield Mention(text[a:b], "PLACE", a, b, "gazetteer", "admin")

    def _gazetteer_hits(self, text: str) -> list[tuple[int, int]]:
        """Spans of province and city names (full or short) that stand as words: each starts and ends on a
        word boundary or touches another such name (辽宁沈阳); a name inside a word (中山 of 中山西路, 山西 of
        中山西路) or before a road suffix is not one. A county's short name (义乌, 滕州) counts right after
        its own province or city (浙江义乌) or where the text also prints its full name (滕州市)."""
        spans = _name_spans(self._gz_names, text) if self._gz_names else set()
        if not spans:
            return []
        bounds = self._bounds
        starts = {a for a, _ in spans}
        hits = sorted(spans, key=itemgetter(1), reverse=True)
        hits.sort(key=itemgetter(0))  # leftmost, then longest (the sort is stable)
        out: list[tuple[int, int]] = []
        for a, b in hits:
            if out and a < out[-1][1]:
                continue  # overlaps a name already taken
            prev_adj = bool(out) and out[-1][1] == a
            next_adj = b in starts
            if not ((a in bounds or prev_adj) and (b in bounds or next_adj or prev_adj)):
                continue
            if self._road_after.match(text, b):
                continue  # 中山西路, 北京路
            name = text[a:b]
            if name in self.w.generic_places:
                continue
            cands = self.gazetteer.index.get(name, ()) if self.gazetteer is not None else ()
            if not cands and name in self._countries:
                out.append((a, b))  # 美国, 卢森堡
                continue
            if not any(d.level <= 2 for d in cands):
                # a county's short name: after its own province or city, or printed in full elsewhere
                d = cands[0] if len(cands) == 1 else None
                if d is None:
                    continue
                before = text[out[-1][0] : out[-1][1]] if out and out[-1][1] == a else ""
                full = d.county or ""
                nxt = text[b : b + 1]
                standalone = not nxt or not ("\u4e00" <= nxt <= "\u9fff") or nxt in "的和与及等到至"
                # not 宁蒗县, 杨浦滨江, 红山文化; nor a common word (合作, 振兴, 资源) on a page that names the
                # province elsewhere
                in_context = standalone and name not in self.w.common_county_words and self._province_in(d, text)
                if not ((before and d.within(before)) or (full != name and full in text) or in_context):
                    continue  # 临安, 德清 on a page about 浙江
            out.append((a, b))
        return out

    def _place_start(self, toks: list[_Tok], k: int) -> int:
        """Start of a place name whose last word is token k (a bare suffix such as 社区, or 西路)."""
        w = self.w
        t = toks[k]
        start = t[2]
        j = k - 1
        while j >= 0 and t[3] - toks[j][2] <= w.place_max:
            p = toks[j]
            pk, _ = self._place_kind(p[0])
            if p[0] in self._admin_set or (pk == "admin" and len(p[0]) >= 3 and p[0] not in w.generic_places):
                break  # the previous unit of a chain: 回民区 | 海西路街道, 玉津 社区 | 文庙广场
            if not _HAN.fullmatch(p[0]):
                break
            if p[0] in w.not_stems:
                break
            bare = t[0] in self._admin_set
            after_unit = j > 0 and self._place_kind(toks[j - 1][0])[0] == "admin" and len(toks[j - 1][0]) >= 3
            if (
                len(p[0]) == 1
                and t[3] - start - len(self._place_kind(t[0])[1] or t[0]) < 2
                and (after_unit or p[1][:1] in ("n", "f", "a", "z", "s"))
            ):
                start = p[2]  # a name needs two characters: 下 庄 社区, 幸福 里 社区 (jieba cut it up)
                j -= 1
                continue
            if bare and j == k - 1 and p[1][:1] == "v" and len(p[0]) == 2 and after_unit:
                start = p[2]  # 潼关县 太要 镇: a word tagged as a verb between a unit and a bare suffix
                j -= 1
                continue
            if p[0] in w.boundary or p[0] in w.verbs:
                break
            if len(p[0]) >= 3 and self._org_sfx.match(p[0]) is not None:
                break  # 金海区域服务中心 | 金润社区: a body's name ends where the place's begins (大学东路 goes on)
            gz = self.gazetteer.index.get(p[0]) if self.gazetteer is not None else None
            if gz and all(d.level <= 2 for d in gz) and not t[0].endswith(w.zones):
                if j == k - 1 and t[0].endswith(w.roads) and all(d.level == 2 for d in gz):
                    # a road named after a city begins with it: （一路指）益阳大道 (a province's name may end another
                    # word: 梓山东路, 月亮湖北路)
                    start = p[2]
                    break
                if j < k - 1:
                    break  # 辽宁 | 沈阳 | 牡丹社区: a province or city is a place of its own (成都 东部新区 goes on)
            if p[1] != "vn" and p[1][:1] in ("p", "c", "u", "r", "v", "i", "q"):
                break  # 100座 | 黄浦江
            if (
                p[1][:1] == "m"
                and (j == k - 1 or p[0][-1:] in "个些")
                and all(c in "0123456789一二两三四五六七八九十百千万几多个些" for c in p[0])
            ):
                break  # 柴六营两村: a numeral right before the suffix counts places; 八角, 万通路 are names
            start = p[2]
            j -= 1
        return start

    def _place_kind(self, word: str) -> tuple[str | None, str]:
        """(kind, suffix) of a word that ends a place name; memoised, since words repeat."""
        hit = self._kinds.get(word)
        if hit is None:
            hit = self._kinds[word] = self._place_kind_uncached(word)
        return hit

    def _place_kind_uncached(self, word: str) -> tuple[str | None, str]:
        w = self.w
        if word in w.admin:
            return "admin", word  # a bare suffix (街道, 社区, 乡): the name is in the words before it
        if word in w.compounds:
            return "compound", word  # 石化 | 小区
        if word in self._landmark_set:
            return "landmark", word  # 文庙 | 广场: the name is in the words before it
        if word in self._zone_set:
            return "zone", word  # 航天经济 | 开发区
        if not word.endswith(self._place_ends) or word in w.generic_places or not _HAN.fullmatch(word):
            return None, ""
        for kind, table in self._place_tables:
            sfx = table.match(word)
            if sfx is not None:
                return kind, sfx
        return None, ""

    # -- E4 people ------------------------------------------------------------------------------------

    def _people(self, text: str, toks: list[_Tok]) -> Iterable[Mention]:
        w = self.w
        for name in w.known_people:
            if name not in text:
                continue
            for m in self._known(name, text):
                yield Mention(name, "PERSON", m.start(), m.end(), "known")
        # the only tokens either rule below reads: words ending like a role word, and words tagged nr
        flags = list(map(itemgetter(1), toks))
        named = []
        k = -1
        while True:
            try:
                k = flags.index("nr", k + 1)
            except ValueError:
                break
            named.append(k)
        role_last = self._role_last
        for k in sorted({*self._ending_with(self._role_last_rx, text, toks), *named}):
            t = toks[k]
            if t[0][-1:] in role_last and t[0].endswith(w.roles) and k + 1 < len(toks):
                nk = k + 1
                while nk < len(toks) - 1 and toks[nk][0].isspace():
                    nk += 1  # 记者 祁晓燕
                name = self._name_at(toks, nk)
                if name is not None:
                    yield Mention(text[name[0] : name[1]], "PERSON", name[0], name[1], "role")
            if t[1] == "nr" and 2 <= len(t[0]) <= 4 and k + 1 < len(toks):
                after = text[t[3] : t[3] + 4]
                if after.startswith(w.speech) and self._is_name(t[0]):
                    start = t[2]
                    if len(t[0]) == 2 and k and self._lone_surname(toks, k - 1):
                        start = toks[k - 1][2]  # 蒋|卫东说, 丁|薛祥表示: jieba leaves the surname alone
                    yield Mention(text[start : t[3]], "PERSON", start, t[3], "speech")
                elif toks[k + 1][0] in w.roles and self._is_name(t[0]):
                    yield Mention(t[0], "PERSON", t[2], t[3], "name-role")  # 王小津老人

    def _name_at(self, toks: list[_Tok], k: int) -> tuple[int, int] | None:
        t = toks[k]
        if (
            len(t[0]) in (2, 3)
            and t[1] in ("nr", "nrfg")
            and (
                self._is_name(t[0])
                or (_HAN.fullmatch(t[0]) and t[0] not in self.w.not_names and not t[0].endswith(self.w.admin))
            )
        ):
            end = t[3]
            next_char = toks[k + 1][0][:1] if k + 1 < len(toks) else ""
            if len(t[0]) == 3 and t[0][-1] in "说讲" and (not next_char or next_char in _AFTER_NAME):
                end -= 1  # 王宏说。: jieba tags the name and the verb after it as one name
            # 陶勋|花：, 陶勋|花和: jieba cut the last character of a three-character name off as a word of its
            # own; it belongs to the name when a boundary follows it (not a verb of speech or motion: 王明|说)
            if len(t[0]) == 2 and k + 1 < len(toks):
                n = toks[k + 1]
                after_tail = toks[k + 2][0][:1] if k + 2 < len(toks) else ""
                if (
                    len(n[0]) == 1
                    and n[2] == t[3]
                    and _HAN.fullmatch(n[0])
                    and n[0] not in self.w.name_tail_not
                    and n[0] not in self.w.boundary
                    and (not after_tail or after_tail in _AFTER_NAME)
                ):
                    end = n[3]
            return t[2], end  # after a role word a tagged name needs no common surname: 居民支友妹
        # 伍 加木: a surname then one or two characters
        if self._surname(t) and k + 1 < len(toks):
            n = toks[k + 1]
            if (
                _HAN.fullmatch(n[0])
                and len(n[0]) in (1, 2)
                and n[0] not in self.w.boundary
                and n[1][:1] not in ("v", "p", "u", "d")
            ):
                end = n[3]
                if len(n[0]) == 2 and n[0][-1] in "带说在是和把给向对也都就又还到来去看":
                    end -= 1  # 李 水带着: the word after the name glued on
                return t[2], end
        return None

    def _surname(self, t: _Tok) -> bool:
        """Whether token ``t`` is a one-character surname on its own (not a conjunction, preposition, particle,
        adverb or pronoun jieba tags it as)."""
        return len(t[0]) == 1 and t[0] in self.w.surnames and t[1][:1] not in ("c", "p", "u", "d", "r")

    def _lone_surname(self, toks: list[_Tok], k: int) -> bool:
        """Whether token ``k`` is a one-character surname standing alone where a sentence or clause starts (after
        punctuation, a space or nothing), so that it opens the name jieba cut after it."""
        return self._surname(toks[k]) and (k == 0 or _HAN.fullmatch(toks[k - 1][0][-1:]) is None)

    def _is_name(self, word: str) -> bool:
        return (
            bool(_HAN.fullmatch(word))
            and word[0] in self.w.surnames
            and word not in self.w.not_names
            and not word.endswith(self.w.admin)
        )


# what may follow a three-character name jieba cut in two: punctuation, a conjunction, a space
_AFTER_NAME = frozenset("，。、；：！？）)」』”\"'\n 和与及同")


def _list_neighbours(text: str, m: Mention) -> list[str]:
    """The strings that may be the items next to ``m`` in a 、-list: the 2 to 7 characters before a 、 that
    ends right before it and after one right after it."""
    items = []
    if m.start > 0 and text[m.start - 1] == "、":
        left = text[max(0, m.start - 8) : m.start - 1]
        items += [left[-n:] for n in range(2, len(left) + 1)]
    if text[m.end : m.end + 1] == "、":
        right = text[m.end + 1 : m.end + 8]
        items += [right[:n] for n in range(2, len(right) + 1)]
    return items


class EntityStage:
    """The pipeline stage: an article's mentions as rows of the ``entities`` table."""

    name = "entities"
    table = "entities"

    def __init__(self, recognizer: EntityRecognizer) -> None:
        self.recognizer = recognizer

    def __call__(self, article: Any, done: Any) -> list[Any]:
        from ..records import EntityRecord

        out = []
        # the places of every article of the page: on a 呼和浩特 page, 新城区 is 呼和浩特市新城区
        page = done.get("page", [article]) if isinstance(done, dict) else [article]
        ctx = [a.place for a in page if a.place]
        if self.recognizer.gazetteer is not None:
            for p in list(ctx):
                d = self.recognizer.gazetteer.resolve_chain(p)  # 湖北荆州 as well as 荆州市
                if d is not None:
                    ctx.extend(x for x in (d.city, d.province) if x)
        # the article's words as the sentence stage tagged them with this same segmenter, when it did
        tagged = done.get("tagged") if isinstance(done, dict) else None
        words = tagged[1] if tagged is not None and tagged[0] is self.recognizer.segmenter else None
        mentions = self.recognizer.extract(article.text, byline=article.byline, context=ctx, tagged=words)
        if isinstance(done, dict):
            if article.place:
                path = place_path(article.place, mentions, self.recognizer.gazetteer, tuple(ctx), article.text)
            else:
                # a news round-up's items, not the sections of one story (a report's 一、二、三, a profile's parts)
                items = roundup_items(
                    [(h.start, h.end) for h in getattr(article, "subheadings", ())], len(article.text)
                )
                opening = article.text[:300]
                national = any(w in opening for w in self.recognizer.w.national_openers)
                path = None if national else dominant_place_path(mentions, items)
                if path and self.recognizer.gazetteer is not None:
                    # the place the text is about is its own place: read its ambiguous names again in it (资阳 in an
                    # 益阳 report is 益阳's 资阳区 however often the report names other cities)
                    home = [x for x in self.recognizer.gazetteer.levels(path)[:2] if x]
                    mentions = self.recognizer._normalize(
                        [_normalized(m, None) if m.label == "PLACE" else m for m in mentions],
                        [*ctx, *home],
                        article.text,
                    )
                    path = dominant_place_path(mentions, items) or path
                if path:
                    done["article_place"] = path.rsplit("/", 1)[-1]
            if path:
                done["article_place_path"] = path  # the driver puts both on the article before the later stages
        for n, m in enumerate(mentions, 1):
            rs, re_ = article.mapped.raw_span(m.start, m.end)
            out.append(EntityRecord(article.article_id, f"{article.article_id}/e{n}", m, rs, re_))
        return out


def place_path(
    place: str,
    mentions: Sequence[Any],
    gazetteer: Gazetteer | None,
    context: tuple[str, ...] = (),
    text: str | None = None,
) -> str | None:
    """The full path of an article's place (from its headline, kicker, lede or dateline): the path its text's
    own mention of that place got (on a 呼和浩特 page 新城区 is 内蒙古自治区/呼和浩特市/新城区; 金润社区 hangs under
    its district), else the gazetteer's reading of the name in the page's context (北京市通州区, 浙江杭州); None
    when neither knows it."""
    for m in mentions:
        if m.label == "PLACE" and m.normalized and (m.text == place or m.normalized.rsplit("/", 1)[-1] == place):
            return str(m.normalized)
    for m in mentions:  # the place printed after its province (山西东圣社区, 福建坦洋村)
        if m.label == "PLACE" and m.normalized and len(m.text) >= 2 and place.endswith(m.text):
            return str(m.normalized)
    first = next((m for m in mentions if m.label == "PLACE" and m.text == place), None)
    if first is not None and text is not None and place.endswith(_LOW_LEVEL_SUFFIXES):
        # a street or community the text names after its county in the same sentence, with a body between
        # (土默特左旗金海区域服务中心金润社区): it hangs under that county
        for m in reversed([m for m in mentions if m.end <= first.start]):
            if any(c in "。！？\n" for c in text[m.end : first.start]):
                break
            if m.label == "PLACE" and m.subtype == "admin" and m.normalized:
                return str(m.normalized) if m.text.endswith(place) else f"{m.normalized}/{place}"
    if gazetteer is None:
        return None
    d = gazetteer.resolve_chain(place, context=context)
    return d.path if d is not None else None


DOMINANT_MIN = 3  # mentions of the place
DOMINANT_SHARE = 0.5  # of the article's county-or-higher place mentions


def dominant_place(mentions: Sequence[Any], sections: Sequence[int] = ()) -> str | None:
    """The full name (绵阳市) of the place :func:`dominant_place_path` finds."""
    path = dominant_place_path(mentions, sections)
    return path.rsplit("/", 1)[-1] if path else None


def dominant_place_path(mentions: Sequence[Any], sections: Sequence[int] = ()) -> str | None:
    """The place an article without a headline, lede or dateline place is about: the county-or-higher unit
    its text names most, when that is at least :data:`DOMINANT_MIN` mentions and :data:`DOMINANT_SHARE` of
    all such mentions (a city's work report names its city throughout: 建设现代化绵阳 …); its full path
    (四川省/绵阳市). With ``sections`` (the start offsets of the subheadings of a round-up's items), the unit must also
    be named in at least half of the items: a news round-up is a run of separate stories, and the one item that
    names 辽宁 several times does not make the round-up 辽宁's."""
    admin = [m for m in mentions if m.label == "PLACE" and m.subtype == "admin" and m.normalized]
    if not admin:
        return None
    # a county counts for its city and province too: 涪城区 is 绵阳市 news
    counts: Counter[str] = Counter()
    where: dict[str, set[int]] = {}
    for m in admin:
        parts = m.normalized.split("/")
        sec = bisect_right(sections, m.start) if sections else 0
        for k in range(1, len(parts) + 1):
            unit = "/".join(parts[:k])
            counts[unit] += 1
            where.setdefault(unit, set()).add(sec)
    items = max(len(sections), 1)  # the items after the subheadings (what comes before the first is a lead-in)
    cands = [
        (p, n)
        for p, n in counts.items()
        if n >= DOMINANT_MIN and n / len(admin) >= DOMINANT_SHARE and len(where[p]) / items >= DOMINANT_SHARE
    ]
    if not cands:
        return None
    # the most specific unit that dominates
    return max(cands, key=lambda pn: (pn[0].count("/"), pn[1]))[0]
