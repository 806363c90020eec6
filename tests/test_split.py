"""Article splitting on the seed page: six articles, each with its printed headline, byline and place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.records import RawDocument
from pipeline.run import Pipeline

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = CORPUS / "seed" / "000_db21671502ac2f81.txt"

# (opening of the article text after the dateline, headline, kicker, byline, roles, place, subheadings)
SEED_ARTICLES = [
    (
        "近年来，回民区以组织创新融合",
        "回民区：以组织力引领城市基层治理现代化",
        None,
        ["祁晓燕", "云静波"],
        ["记者", "通讯员"],
        "回民区",
        [
            "组织创新融合，提升党组织覆盖面",
            "共驻共建共享，打破横向组织壁垒",
            "减负松绑办实事，提升群众满意度",
            "菜单式服务，小区治理居民说了算",
        ],
    ),
    (
        "如何把新业态新就业群体凝聚在党的周围",
        "赛罕区：燃“新”“新”之火 谱共治“新”篇",
        None,
        ["杨彩霞"],
        ["记者"],
        "赛罕区",
        [],
    ),
    (
        "2024年以来，土默特左旗金海区域服务中心金润社区",
        "“她”力量促进基层治理提质增效",
        "金润社区",
        ["赵宇昕"],
        ["实习记者"],
        "金润社区",
        [],
    ),
    (
        "如何留住人才，留住企业",
        "万通路街道探索深化“两企三新”党建新模式",
        None,
        ["刘沙沙"],
        ["记者"],
        "万通路街道",
        ["持续发力，留住“两企三新”人才力量", "落实政策，助推“两企三新”经济发展"],
    ),
    (
        "为推动全面从严治党向基层延伸",
        "创新居务监督 让社区治理更阳光",
        "赛马场北路社区",
        ["祁晓燕", "费娟", "李富强"],
        ["记者", "通讯员", "通讯员"],
        "赛马场北路社区",
        [],
    ),
    (
        "近年来，和林格尔县舍必崖乡坚持把党建引领",
        "党建“执笔”绘乡村治理新画卷",
        "舍必崖乡",
        ["高翠清", "李海珍", "张海玲"],
        ["记者", "记者", "通讯员"],
        "舍必崖乡",
        ["立自治典范 点燃群众参与引擎", "强产业根基 筑牢群众自治基石", "创治理模式 提升乡村治理能力"],
    ),
]


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


@pytest.fixture(scope="module")
def seed_doc() -> RawDocument:
    text = SEED.read_text(encoding="utf-8")
    return RawDocument("db21671502ac2f81", str(SEED), None, text, "file")


@pytest.fixture(scope="module")
def seed_articles(pipe: Pipeline, seed_doc: RawDocument):
    return pipe.articles(seed_doc)


def test_split_seed_has_six_articles(seed_articles) -> None:
    assert len(seed_articles) == 6
    assert [a.article_id for a in seed_articles] == [f"db21671502ac2f81#{i}" for i in range(1, 7)]


@pytest.mark.parametrize("i", range(6))
def test_split_seed_article_fields(seed_articles, i: int) -> None:
    opening, headline, kicker, names, roles, place, subs = SEED_ARTICLES[i]
    a = seed_articles[i]
    body = a.text[a.dateline.end :]
    assert body.startswith(opening)
    assert a.headline == headline
    assert a.kicker == kicker
    assert [b.name for b in a.byline] == names
    assert [b.role for b in a.byline] == roles
    assert a.place == place
    assert [s.text for s in a.subheadings] == subs
    assert a.section == "党旗领航 / 基层实践"
    assert a.dateline.text.startswith("本报讯（")


def test_split_seed_headline_raw_span_is_printed_headline(seed_articles, seed_doc) -> None:
    for a in seed_articles:
        rs, re_ = a.headline_raw
        assert seed_doc.text[rs:re_] == a.headline


def test_split_seed_joins_wrapped_lines_and_column_breaks(seed_articles) -> None:
    first = seed_articles[0].text
    assert "回民区在推行网格化管理的过程中，在原“街道—社区”两级党组织的基础上" in first
    assert "引导环卫工人、快递员等600余人当好基层治理流动的信息员，将新就业群体有效地团结在党组织周围。" in first
    assert "截至目前，已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；" in first
    assert "\n\n" not in first and "基层实践" not in first
    # Paragraphs: the dateline paragraph, then subheading / paragraph pairs.
    assert first.split("\n")[1] == "组织创新融合，提升党组织覆盖面"
    assert first.count("\n") == 8


def test_split_seed_byline_names_rejoined_across_lines(seed_articles, seed_doc) -> None:
    a = seed_articles[0]
    assert a.dateline.text == "本报讯（记者 祁晓燕 通讯员 云静波）"
    name = a.byline[1]
    assert a.text[name.start : name.end] == "云静波"
    assert seed_doc.text[name.raw_start : name.raw_end] == "云静\n波"
    e = seed_articles[4].dateline
    assert e.text == "本报讯（记者 祁晓燕 通讯员 费娟 李富强）"


def test_split_seed_no_headline_text_left_in_bodies(seed_articles) -> None:
    heads = [x[1] for x in SEED_ARTICLES] + ["党旗领航", "金润社区\n", "舍必崖乡\n"]
    for a in seed_articles:
        for h in heads:
            assert h not in a.text


def test_split_seed_offsets_round_trip(seed_articles, seed_doc) -> None:
    """Every character of every article maps into the raw page; linear pieces copy it exactly."""
    for a in seed_articles:
        for seg in a.mapped.segments:
            if seg.linear:
                assert seed_doc.text[seg.raw_start : seg.raw_end] == a.text[seg.start : seg.end]
        rs, re_ = a.mapped.raw_span(0, len(a.text))
        raw = re.sub(r"\s", "", seed_doc.text[rs:re_])
        assert raw == re.sub(r"\s", "", a.text)


def test_split_record_stays_one_article(pipe: Pipeline) -> None:
    text = "<p>本报咸阳讯（通讯员阎晋于文哲）石化小区老旧住宅楼加装的43部电梯全部投入使用。</p><p>第二段。</p>"
    doc = RawDocument("partybuilding_cms:1", "x.jsonl", 1, text, "record", title="陕西咸阳：社区开展“一年10件实事”活动")
    arts = pipe.articles(doc)
    assert len(arts) == 1
    a = arts[0]
    assert a.article_id == "partybuilding_cms:1#1"
    assert a.headline == "陕西咸阳：社区开展“一年10件实事”活动"
    assert a.dateline.text == "本报咸阳讯（通讯员阎晋于文哲）"
    assert a.place == "咸阳市"  # the headline opens with 陕西咸阳: a province and its city, printed without suffixes
    assert [(b.role, b.name) for b in a.byline] == [("通讯员", "阎晋"), ("通讯员", "于文哲")]
    assert a.text == "本报咸阳讯（通讯员阎晋于文哲）石化小区老旧住宅楼加装的43部电梯全部投入使用。\n第二段。"


def test_a_headline_place_is_no_clause(pipe: Pipeline) -> None:
    # partybuilding_cms:29: jieba cuts 陕西 | 渭南 | 以村 | 企 | 联建: 以村 ends like a village but is 以 + 村
    title = "陕西渭南以村企联建破解产业发展瓶颈 “结亲”奔富 共绘“丰景”"
    text = "<p>近年来，渭南市积极探索村企联建，推动村集体经济发展。</p>"
    (a,) = pipe.articles(RawDocument("partybuilding_cms:29", "x.jsonl", 1, text, "record", title=title))
    assert a.place == "渭南市"


def test_split_record_with_two_datelines_splits(pipe: Pipeline) -> None:
    text = (
        "本报讯（记者 杨彩霞）赛罕区建立工会户外劳动者服务站点5个。\n"
        "本报讯（实习记者 赵宇昕）近年来，和林格尔县舍必崖乡坚持把党建引领作为有力画笔。"
    )
    doc = RawDocument("two", "x.jsonl", 3, text, "record")
    arts = pipe.articles(doc)
    assert [a.place for a in arts] == ["赛罕区", "舍必崖乡"]
    assert [[b.name for b in a.byline] for a in arts] == [["杨彩霞"], ["赵宇昕"]]


@pytest.mark.parametrize(
    ("unit", "known"),
    [
        ("回民区", True),
        ("犍为县", True),
        ("北京石景山区", True),  # a district after its municipality
        ("青海玉树州", True),  # an autonomous prefecture's short form after its province
        ("黔东南州", True),
        ("万通路街道", True),  # below county level: not in the gazetteer, passes
        ("鸡鸣山社区", True),
        ("较好完成市", False),  # clauses that end like a place
        ("统筹推动县", False),
        ("全年共实施省市", False),
        ("作为黄石市", False),
        ("革命老区", False),  # a kind of area
        ("小麦主产区", False),
    ],
)
def test_known_place(unit: str, known: bool) -> None:
    from pipeline.layout import load_rules
    from pipeline.split import known_place

    assert known_place(unit, load_rules()) is known


def test_report_places_are_places(pipe: Pipeline) -> None:
    """A city's work report opening 较好完成市十七届人大… gets no made-up place (it had 较好完成市)."""
    import json

    recs = {}
    for p in sorted((CORPUS / "reports").glob("govwork_city2024_part*.jsonl")):
        for line in p.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if r["id"] in ("govwork_city2024:绵阳", "govwork_city2024:潍坊", "govwork_city2024:亳州"):
                recs[r["id"]] = r
    places = {}
    for rid, r in recs.items():
        doc = RawDocument(rid, "reports.jsonl", 1, r["text"], "record", title=r.get("title"))
        places[rid] = [a.place for a in pipe.articles(doc)]
    assert places["govwork_city2024:绵阳"] == [None]
    assert places["govwork_city2024:潍坊"] == [None]
    assert places["govwork_city2024:亳州"] == ["亳州市"]
    # the entities stage then finds the place the report names throughout, and its facts carry it
    full = Pipeline()
    for rid, city in (("govwork_city2024:绵阳", "绵阳市"), ("govwork_city2024:潍坊", "潍坊市")):
        r = recs[rid]
        res = full.process(RawDocument(rid, "reports.jsonl", 1, r["text"], "record"))
        assert [a.place for a in res.articles] == [city]
        places_of_facts = [f.place for f in res.rows["facts"]]
        assert places_of_facts.count(city) > len(places_of_facts) / 2


@pytest.mark.parametrize(
    ("title", "lede", "place"),
    [
        # partybuilding_cms:2: the headline's 云南丽江 (province and city without suffixes), not the lede's town
        (
            "云南丽江推行党建引领基层治理“六个一”改革 协同共治和美家园",
            "如今，在云南省丽江市华坪县兴泉镇党群服务中心，群众办事更方便了。",
            "丽江市",
        ),
        # partybuilding_cms:25: a 省市： prefix names the unit by its full name
        ("山东滕州：小区建支部 服务送到家", "近年来，滕州市坚持把支部建在小区上。", "滕州市"),
        # partybuilding_cms:28: 金华市 | 民政局 is a city before its bureau (市民 alone cancels the suffix)
        (
            "浙江省金华市民政局：以党建赋能提升“一老一小”服务保障水平",
            "今年以来，浙江省金华市民政局坚持党建引领。",
            "金华市",
        ),
    ],
)
def test_headline_places_of_web_articles(pipe: Pipeline, title: str, lede: str, place: str) -> None:
    doc = RawDocument("web", "x.jsonl", 1, lede, "record", title=title)
    assert [a.place for a in pipe.articles(doc)] == [place]


def test_a_suffix_that_begins_a_word_is_not_absorbed() -> None:
    from pipeline.layout import load_rules
    from pipeline.split import place_chain

    rules = load_rules()
    for text, units in (("咸阳市市场监管局", ["咸阳市"]), ("广西钦州市钦南区", ["广西钦州市", "钦南区"])):
        assert [text[a:b] for a, b in place_chain(text, 0, rules)] == units


def test_city_names_ending_in_zhou_keep_their_suffix() -> None:
    # the review of 2026-11-28: 杭州 + 市(委) needs its 市 (a one-character stem is no name)
    from pipeline.layout import load_rules
    from pipeline.split import _province_and_unit, place_chain

    rules = load_rules()
    for text, units in (
        ("杭州市委召开全会", ["杭州市"]),
        ("广州市政府印发方案", ["广州市"]),
        ("西安新市民政策出台", []),
    ):
        assert [text[a:b] for a, b in place_chain(text, 0, rules)] == units
    # a province and a county short name that is part of a longer word, or a common word, is no place
    from pipeline.segment import Segmenter

    cut = Segmenter().cut
    for h in ("广东中山大学", "广东新兴产业", "四川南部地区", "甘肃合作社"):
        assert _province_and_unit(h, cut) is None
    assert _province_and_unit("云南丽江推行", cut) == ("丽江市", 4)
    assert _province_and_unit("浙江杭州市余杭区", cut) == ("杭州市", 5)  # a prefix this long stays whole (main_place)


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024年3月5日", "2024-03-05"),
        ("2024-3-5", "2024-03-05"),
        ("20240305", "2024-03-05"),
        ("1954", "1954"),
        ("20241399", "20241399"),
    ],
)
def test_record_dates_are_normalised(value: str, iso: str) -> None:
    # an export may write a date as 20240305 (as the 新闻联播 day files are named); a month 13 is no date
    from pipeline.split import normalize_date

    assert normalize_date(value) == iso


def test_a_date_a_sentence_opens_with_is_no_publication_date() -> None:
    # partybuilding_cms:31 (a record with no date) opens with the day of the event it discusses; a report's header
    # line gives its date (govwork_city2024:亳州)
    from pipeline.split import _text_date

    assert _text_date("2025年9月1日，习近平主席在“上海合作组织+”会议上郑重提出全球治理倡议") is None
    assert _text_date("政府工作报告\n——2024年1月16日在亳州市第五届人民代表大会第三次会议上") == "2024-01-16"
