"""Article splitting: from a document's blocks to articles with headline, byline, place and date.

A newspaper page holds several articles, each opened by a dateline (本报讯, 本报X讯, 新华社X电, 记者…报道);
its headlines float elsewhere on the page and are matched to the bodies by content (place names and
shared words weighted by how rare they are on the page), not by order. A scraped record is one article
unless it holds several paragraph-initial datelines.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from itertools import accumulate, permutations

from .layout import Block, LayoutRules, PageLayout, Title, is_place_only
from .records import Article, BylineName, RawDocument, Span
from .textmap import MappedText

__all__ = ["articles_from_page", "articles_from_record", "parse_byline", "main_place", "normalize_date"]

Cut = Callable[[str], list[str]]

_NAME = re.compile(r"[\u4e00-\u9fff·]{2,4}")
_DATE_FULL = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
_DATE_YEAR = re.compile(r"^\s*(\d{4})\s*年?\s*$")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # 20240305, as some exports write a date
_CLAUSE_START = re.compile(r"(?:^|[，。；：、！？）)”\s])")


def _assemble(blocks: Sequence[Block]) -> tuple[MappedText, list[Span]]:
    """Article text (blocks joined by newlines) and its subheadings."""
    mapped = MappedText.concat([b.mapped for b in blocks], sep="\n")
    subs: list[Span] = []
    pos = 0
    for b in blocks:
        n = len(b.mapped.text)
        if b.kind == "subheading":
            subs.append(_span(mapped, pos, pos + n))
        pos += n + 1
    return mapped, subs


def _span(mapped: MappedText, start: int, end: int) -> Span:
    rs, re_ = mapped.raw_span(start, end)
    return Span(mapped.text[start:end], start, end, rs, re_)


def parse_dateline(mapped: MappedText, rules: LayoutRules) -> tuple[Span | None, list[BylineName]]:
    """The dateline at the start of an article text and the names in its byline.

    ``本报讯（记者 祁晓燕 通讯员 云静波）`` gives the dateline span (brackets included) and two names with
    their roles; ``记者 张三 李四 报道`` gives two reporters.
    """
    text = mapped.text
    m = rules.dateline.match(text)
    if m:
        end = m.end()
        names: list[BylineName] = []
        if end < len(text) and text[end] in rules.byline_open:
            close = _matching_close(text, end, rules)
            if close is not None:
                names = parse_byline(mapped, end + 1, close, rules)
                end = close + 1
        return _span(mapped, 0, end), names
    r = rules.reported.match(text)
    if r:
        names = []
        for nm in re.finditer(r"[\u4e00-\u9fff·]{2,4}", r.group("names")):
            s, e = r.start("names") + nm.start(), r.start("names") + nm.end()
            rs, re_ = mapped.raw_span(s, e)
            names.append(BylineName(nm.group(0), "记者", s, e, rs, re_))
        return _span(mapped, 0, r.end()), names
    return None, []


def _matching_close(text: str, open_pos: int, rules: LayoutRules) -> int | None:
    depth = 0
    for i in range(open_pos, min(len(text), open_pos + 80)):
        c = text[i]
        if c in rules.byline_open:
            depth += 1
        elif c in rules.byline_close:
            depth -= 1
            if depth == 0:
                return i
        elif c == "\n":
            return None
    return None


def parse_byline(mapped: MappedText, start: int, end: int, rules: LayoutRules) -> list[BylineName]:
    """Names in ``text[start:end]`` (the inside of a byline bracket), each with the role before it.

    Names are taken only after a role word, so ``央视网消息（新闻联播）`` yields none.
    """
    text = mapped.text
    out: list[BylineName] = []
    role: str | None = None
    for tok in re.finditer(r"[^\s、，,；;]+", text[start:end]):
        s, word = start + tok.start(), tok.group(0)
        found = next((r for r in rules.roles if word.startswith(r)), None)
        if found:
            role = found
            s += len(found)
            word = word[len(found) :]
            if not word:
                continue
        if role is None:
            continue
        for a, b in _split_names(word, rules):
            rs, re_ = mapped.raw_span(s + a, s + b)
            out.append(BylineName(word[a:b], role, s + a, s + b, rs, re_))
    return out


def _split_names(word: str, rules: LayoutRules) -> list[tuple[int, int]]:
    """Spans of the names in a run of characters without separators.

    Two to four characters are one name. Five or six (阎晋于文哲, 黎东桂王一渊) are two names of two or
    three characters: the cut whose second part starts with the most common surname wins.
    """
    if _NAME.fullmatch(word):
        return [(0, len(word))]
    if not re.fullmatch(r"[\u4e00-\u9fff]{5,6}", word):
        return []
    best: tuple[int, int] | None = None  # (surname rank, cut)
    for cut in (2, 3):
        rest = len(word) - cut
        if 2 <= rest <= 3 and word[0] in rules.surnames:
            rank = rules.surnames.find(word[cut])
            if rank >= 0 and (best is None or rank < best[0]):
                best = (rank, cut)
    if best is None:
        return []
    return [(0, best[1]), (best[1], len(word))]


def place_chain(text: str, pos: int, rules: LayoutRules, cut: Cut | None = None) -> list[tuple[int, int]]:
    """Consecutive place units starting exactly at ``pos`` (回民区 海西路街道 赛马场北路社区).

    A unit is a name of two or more characters plus a suffix; a single-character suffix right after
    a unit belongs to it (广西钦州 + 市 -> 广西钦州市, not 广西钦州 + 市钦南区). With a word
    segmenter, a unit holding a function word (以组织力引领城市, 我代表市) is refused, while 和林格尔县,
    one word, is kept; without one, any function character refuses it.
    """
    units: list[tuple[int, int]] = []
    while True:
        m = rules.place_unit.match(text, pos)
        if not m:
            break
        end = m.end()
        # 广西钦州 + 市, 杭州 + 市(委); not 咸阳市 + 市场: a suffix character that begins a word is absorbed only
        # when the name needs it (杭州 alone has a one-character stem)
        while end < len(text) and text[end] in "市区县旗盟":
            if not rules.bare_suffix.match(text, end):
                sofar = text[m.start() : end]
                if len(sofar) - len(_suffix(sofar, rules)) >= 2:
                    break
            end += 1
        unit = text[m.start() : end]
        stem = unit[: len(unit) - len(_suffix(unit, rules))]
        if (
            len(stem) < 2
            or unit in rules.not_places
            or unit.endswith(rules.not_place_endings)
            or _has_function_word(unit, rules, cut)
        ):
            break
        units.append((m.start(), end))
        pos = end
    return units


def _has_function_word(unit: str, rules: LayoutRules, cut: Cut | None) -> bool:
    """Whether ``unit`` holds a function word: one of its words, or what precedes the suffix in its last word
    (陕西渭南以村 is cut 陕西 | 渭南 | 以村: 以 + 村, the headline 陕西渭南以村企联建…)."""
    words = cut(unit) if cut is not None else list(unit)
    if any(w in rules.unit_forbidden for w in words):
        return True
    last, sfx = words[-1] if words else "", _suffix(unit, rules)
    return bool(sfx) and len(last) > len(sfx) and last.endswith(sfx) and last[: -len(sfx)] in rules.unit_forbidden


def _suffix(unit: str, rules: LayoutRules) -> str:
    return next((sfx for sfx in rules.place_suffixes if unit.endswith(sfx)), "")


LEDE_CHARS = 400


def known_place(unit: str, rules: LayoutRules) -> bool:
    """Whether a unit can be an article's place: one of county level or above (its suffix 省 市 区 县 州 旗
    盟 …) must be in the gazetteer, alone (回民区, 黄石市), as an autonomous prefecture's short form
    (玉树州, 黔东南州) or after the province or city that holds it (北京石景山区, 青海玉树州); 较好完成市,
    统筹推动县 and 革命老区 are clauses and kinds of area, not places. Lower units (街道, 镇, 村, 社区) are
    not in the gazetteer and pass."""
    if _suffix(unit, rules) not in rules.high_level:
        return True
    from .gazetteer import load_gazetteer

    return load_gazetteer().knows(unit)


def _has_high_level(text: str, chain: list[tuple[int, int]], rules: LayoutRules) -> bool:
    """The chain holds a unit of county level or above (its longest suffix: 社区 is not 区)."""
    return any(_suffix(text[s:e], rules) in rules.high_level for s, e in chain)


def _province_and_unit(text: str, cut: Cut | None = None) -> tuple[str, int] | None:
    """The city or county, by its full name (丽江市), that ``text`` opens with after its province's name, both
    printed without suffixes as headlines print them (云南丽江…, 陕西咸阳：…), and where its name ends in
    ``text``; None if it does not. The name must end a word (not 广东中山 | 大学, 甘肃合作 | 社) and not be a
    common word (四川南部地区)."""
    from .extract.entities import load_entity_words
    from .gazetteer import load_gazetteer

    index = load_gazetteer().index
    common = load_entity_words().common_county_words
    ends = None
    for i in range(2, 6):
        provinces = {d.province for d in index.get(text[:i], ()) if d.level == 1}
        if not provinces:
            continue
        for j in range(min(len(text), i + 6), i + 1, -1):  # the longest name first
            units = {d.name for d in index.get(text[i:j], ()) if d.level > 1 and d.province in provinces}
            if len(units) != 1 or text[i:j] in common:
                continue
            if cut is not None and j < len(text):
                if ends is None:
                    ends = set(accumulate(map(len, cut(text))))
                if j not in ends:
                    continue
            return units.pop(), j
    return None


def main_place(
    mapped: MappedText,
    rules: LayoutRules,
    *,
    kicker: str | None = None,
    headline: str | None = None,
    dateline: Span | None = None,
    body_start: int = 0,
    cut: Cut | None = None,
) -> str | None:
    """The article's main locality, by the first signal that gives one.

    1. the kicker printed beside the headline (金润社区);
    2. the headline: the most specific unit of a place chain opening it or opening the part after
       its ``X：`` prefix (回民区：…, 浙江：鸡鸣山社区…), else a short ``X：`` prefix itself (陕西咸阳：…),
       else a province and one of its cities printed without suffixes opening it (云南丽江推行…);
    3. a year-led headline (2026年上海市政府工作报告 -> 上海市);
    4. the lede: the most specific unit of the first place chain opening a clause of the first
       paragraph (新城区万通路街道 -> 万通路街道);
    4. a government work report's header (在三亚市第八届人民代表大会…会议上 -> 三亚市);
    5. the dateline's place (本报咸阳讯 -> 咸阳; 新华社北京3月5日电 -> 北京).
    """
    if kicker and is_place_only(kicker, rules):
        return kicker.strip()
    if headline:
        h = re.sub(r"^【[^】]{0,30}】", "", headline).strip()
        prefix, sep, rest = h.partition("：")
        if sep and is_place_only(prefix, rules):
            pair = _province_and_unit(prefix, cut)  # 陕西咸阳： -> 咸阳市, but 浙江杭州市余杭区： stays whole
            return pair[0] if pair and pair[1] == len(prefix) else prefix
        for part in ([rest] if sep else []) + [h]:
            chain = place_chain(part, 0, rules, cut)
            if chain and known_place(part[chain[-1][0] : chain[-1][1]], rules):
                s, e = chain[-1]
                return part[s:e]
        # 云南丽江推行…: a province's name and one of its cities or counties, printed without suffixes
        pair = _province_and_unit(h, cut)
        if pair:
            return pair[0]
        # 2026年上海市政府工作报告: a county-level place after a leading year.
        y = re.match(r"\d{4}\s*年(?:度)?", h)
        if y:
            chain = place_chain(h, y.end(), rules, cut)
            if chain and _has_high_level(h, chain, rules) and known_place(h[chain[-1][0] : chain[-1][1]], rules):
                return h[chain[-1][0] : chain[-1][1]]
    text = mapped.text
    m = rules.report_place.search(text[:600])
    if m:
        chain = place_chain(m.group(1), 0, rules, cut)
        unit = m.group(1)[chain[-1][0] : chain[-1][1]] if chain else ""
        if chain and _has_high_level(m.group(1), chain, rules) and known_place(unit, rules):
            return unit
    first_par_end = text.find("\n", body_start)
    # the first paragraph, up to a news lede's length (a report printed without line breaks is one paragraph)
    lede = text[body_start : first_par_end if first_par_end >= 0 else len(text)][:LEDE_CHARS]
    for m in _CLAUSE_START.finditer(lede):
        pos = m.end()
        lead = next((w for w in rules.lead_words if lede.startswith(w, pos)), "")
        for p in (pos, pos + len(lead)) if lead else (pos,):
            chain = place_chain(lede, p, rules, cut)
            # In running text only a chain with a county-level (or higher) unit counts: 多次走进社区
            # ends like a community but is a clause.
            if chain and _has_high_level(lede, chain, rules) and known_place(lede[chain[-1][0] : chain[-1][1]], rules):
                s, e = chain[-1]
                return lede[s:e]
    if dateline is not None:
        m2 = re.match(r"(?:本报|新华社|中新社)([\u4e00-\u9fff]{2,6}?)(?:\d|[讯电])", dateline.text)
        if m2:
            return m2.group(1)
    return None


def normalize_date(value: str | None) -> str | None:
    """ISO date (``2024-03-05``) or year (``2025``) from a record's date field, else None."""
    if not value:
        return None
    m = _DATE_FULL.search(value) or _DATE_COMPACT.match(value)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    m = _DATE_YEAR.match(value)
    if m:
        return m.group(1)
    return value.strip() or None


def _text_date(text: str) -> str | None:
    """A full date printed in the document's head (时间：2026-02-09, ——2026年2月3日在…会议上), not one a sentence opens
    with (2013年7月11日，习近平…: what happened that day, which a news item may recall years later)."""
    for m in _DATE_FULL.finditer(text, 0, 300):
        if not text.startswith(("，", ","), m.end()):
            return normalize_date(m.group(0))
    return None


def _make_article(
    doc: RawDocument,
    ordinal: int,
    blocks: Sequence[Block],
    rules: LayoutRules,
    cut: Cut | None,
    *,
    section: str | None,
    headline: str | None,
    headline_raw: tuple[int, int] | None,
    kicker: str | None,
    date: str | None,
) -> Article:
    mapped, subs = _assemble(blocks)
    dateline, names = parse_dateline(mapped, rules) if blocks and blocks[0].dateline else (None, [])
    body_start = dateline.end if dateline else 0
    place = main_place(
        mapped, rules, kicker=kicker, headline=headline, dateline=dateline, body_start=body_start, cut=cut
    )
    return Article(
        article_id=f"{doc.doc_id}#{ordinal}",
        doc_id=doc.doc_id,
        ordinal=ordinal,
        input_path=doc.input_path,
        line=doc.line,
        source=doc.source,
        section=section,
        headline=headline,
        headline_raw=headline_raw,
        kicker=kicker,
        subheadings=tuple(subs),
        byline=tuple(names),
        dateline=dateline,
        place=place,
        date=date,
        url=doc.url,
        title=doc.title,
        encoding=doc.encoding,
        mapped=mapped,
        metadata=dict(doc.metadata),
    )


def _split_at_datelines(blocks: Sequence[Block]) -> list[list[Block]]:
    parts: list[list[Block]] = []
    for b in blocks:
        if b.dateline or not parts:
            parts.append([])
        parts[-1].append(b)
    return [p for p in parts if p]


def articles_from_page(doc: RawDocument, layout: PageLayout, cut: Cut, rules: LayoutRules) -> list[Article]:
    """Articles of a repaired page, each with the printed headline that matches it best."""
    parts = _split_at_datelines(layout.blocks)
    if not parts:
        return []
    section = " / ".join(lb.text for lb in layout.labels) or None
    texts = [MappedText.concat([b.mapped for b in p], sep="\n").text for p in parts]
    match = match_titles(layout.titles, texts, cut, rules)
    date = normalize_date(doc.date)
    out = []
    for i, p in enumerate(parts):
        t = match.get(i)
        out.append(
            _make_article(
                doc,
                i + 1,
                p,
                rules,
                cut,
                section=section,
                headline=t.mapped.text if t else None,
                headline_raw=t.mapped.raw_span(0, len(t.mapped.text)) if t else None,
                kicker=t.kicker.text if t and t.kicker else None,
                date=date,
            )
        )
    return out


def articles_from_record(
    doc: RawDocument, blocks: Sequence[Block], rules: LayoutRules, cut: Cut | None = None
) -> list[Article]:
    """Articles of a scraped record: one, unless it holds two or more paragraph-initial datelines."""
    if not blocks:
        return []
    n_dl = sum(1 for b in blocks if b.dateline)
    parts = _split_at_datelines(blocks) if n_dl >= 2 else [list(blocks)]
    if len(parts) > 1 and not parts[0][0].dateline:
        # What precedes the first dateline (a lead-in or a heading) belongs to the first article.
        parts = [parts[0] + parts[1], *parts[2:]]
    date = normalize_date(doc.date) or _text_date("\n".join(b.mapped.text for b in blocks[:6]))
    return [
        _make_article(
            doc,
            i + 1,
            p,
            rules,
            cut,
            section=None,
            headline=(doc.title.strip() or None) if (i == 0 and doc.title) else None,
            headline_raw=None,
            kicker=None,
            date=date,
        )
        for i, p in enumerate(parts)
    ]


def match_titles(titles: Sequence[Title], texts: Sequence[str], cut: Cut, rules: LayoutRules) -> dict[int, Title]:
    """Match floating titles to article texts by content; returns article index -> title.

    Score of a title for an article: its kicker (a place) in the article's opening (+3), plus, for
    every distinct content word of the title (and kicker) found in the article, the word's inverse
    document frequency over the page's articles, so words every article shares count for little.
    The assignment maximises the total score (exhaustively for up to 8 titles, greedily beyond).
    """
    if not titles or not texts:
        return {}
    n = len(texts)
    words: list[set[str]] = []
    for t in titles:
        w = {x for x in cut(t.mapped.text) if len(x) >= 2 and x not in rules.headline_stopwords}
        w = {x for x in w if re.search(r"[\u4e00-\u9fff]", x)}
        if t.kicker is not None:
            w |= {x for x in cut(t.kicker.text) if len(x) >= 2}
        words.append(w)
    vocab = set().union(*words)
    df = {x: sum(1 for tx in texts if x in tx) for x in vocab}
    idf = {x: math.log((n + 1) / (df[x] + 0.5)) for x in vocab}

    def score(ti: int, ai: int) -> float:
        text = texts[ai]
        s = sum(idf[x] for x in words[ti] if x in text)
        k = titles[ti].kicker
        if k is not None and k.text in text[:400]:
            s += 3.0
        return s

    scores = [[score(ti, ai) for ai in range(n)] for ti in range(len(titles))]
    pairs: list[tuple[int, int]] = []
    if len(titles) <= 8 and n <= 8:
        best, best_val = (), -1.0
        if len(titles) <= n:
            for perm in permutations(range(n), len(titles)):
                val = sum(scores[ti][ai] for ti, ai in enumerate(perm))
                if val > best_val:
                    best, best_val = perm, val
            pairs = list(enumerate(best))
        else:
            for perm in permutations(range(len(titles)), n):
                val = sum(scores[ti][ai] for ai, ti in enumerate(perm))
                if val > best_val:
                    best, best_val = perm, val
            pairs = [(ti, ai) for ai, ti in enumerate(best)]
    else:
        cand = sorted(((scores[ti][ai], ti, ai) for ti in range(len(titles)) for ai in range(n)), reverse=True)
        used_t: set[int] = set()
        used_a: set[int] = set()
        for _, ti, ai in cand:
            if ti not in used_t and ai not in used_a:
                pairs.append((ti, ai))
                used_t.add(ti)
                used_a.add(ai)
    return {ai: titles[ti] for ti, ai in pairs if scores[ti][ai] > 0}
