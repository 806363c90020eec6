"""Facts: each number attached to the entity it counts, with links and arithmetic checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import FactExtractor, extract_facts
from pipeline.records import RawDocument
from pipeline.run import Pipeline


@pytest.fixture(scope="module")
def fx() -> FactExtractor:
    return FactExtractor()


def _f(fx: FactExtractor, text: str) -> list[tuple[str, float, str, str]]:
    out = []
    for f in fx.extract(text):
        assert text[f.start : f.end] == f.surface
        if f.entity_start is not None:
            assert text[f.entity_start : f.entity_end] == f.entity
        out.append((f.surface, round(f.value, 4), f.unit, f.entity))
    return out


# (text from the corpus, expected [(surface, value, unit, entity)])
ATTACH = [
    (
        "按照“一格一员”配备专职网格员、选派楼栋长（单元长）2399人，发挥网格党组织前沿“哨兵”作用。",
        [("2399人", 2399, "人", "楼栋长（单元长）")],
    ),
    ("推行“商圈党建联盟”模式，设立“红蜂驿站”31个，为新就业群体提供暖心服务", [("31个", 31, "个", "红蜂驿站")]),
    (
        "截至目前，已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；",
        [
            ("9个", 9, "个", "街道“大工委”"),
            ("75个", 75, "个", "社区“大党委”"),
            ("226个", 226, "个", "网格党支部"),
            ("671个", 671, "个", "党小组"),
        ],
    ),
    (
        "组建63支622人的“青城义警”队伍，积极探索",
        [("63支", 63, "支", "“青城义警”队伍"), ("622人", 622, "人", "“青城义警”队伍")],
    ),
    ("巾帼公益手工坊成立以来，共吸引辖区 113位女性加入，主要从事编织类", [("113位", 113, "位", "女性")]),
    (
        "2024年分别为村集体增收 36.18万元和42.45万元；",
        [("36.18万元", 361800, "元", "村集体增收"), ("42.45万元", 424500, "元", "村集体增收")],
    ),
    ("“小田并大田”流转土地1.23万亩，与企业建立青储“订单”合作模式", [("1.23万亩", 12300, "亩", "土地")]),
    (
        "据介绍，2024年巾帼公益手工坊已经承接8万多件订单，收益3万余元。",
        [("8万多件", 80000, "件", "订单"), ("3万余元", 30000, "元", "收益")],
    ),
    ("引入内蒙古芸公益协会等96家社会组织，面向困难群体", [("96家", 96, "家", "社会组织")]),
    ("兰家房村紧盯玉米种植所用到的约3000吨滴灌带，谋划建成了滴灌带回收再利用厂", [("3000吨", 3000, "吨", "滴灌带")]),
    ("引导环卫工人、快递员等600余人当好基层治理流动的信息员", [("600余人", 600, "人", "环卫工人、快递员")]),
    # 与 joins what the one count counts (the 2399 are cadres, grid workers and building heads)
    (
        "包联干部与网格员、楼栋长、单元长等2399人成立服务小分队",
        [("2399人", 2399, "人", "包联干部与网格员、楼栋长、单元长")],
    ),
    (
        "党的建设考核指标精减近 7 成，各类微信群精简率达75.94％",
        [("7 成", 70, "%", "党的建设考核指标"), ("75.94％", 75.94, "%", "微信群精简率")],
    ),
    ("建成社区矛盾调解中心 75个，着力把矛盾化解在基层", [("75个", 75, "个", "社区矛盾调解中心")]),
    (
        "桃园社区共签约外卖配送员 5名，覆盖社区网格 8个。",
        [("5名", 5, "名", "外卖配送员"), ("8个", 8, "个", "社区网格")],
    ),
    (
        "基本养老保险参保人数从2012年的7.9亿人增加到10.4亿人",
        [("7.9亿人", 790000000, "人", "基本养老保险参保人数"), ("10.4亿人", 1040000000, "人", "基本养老保险参保人数")],
    ),
    (
        "前三季度国内生产总值1015036亿元，按不变价格计算，同比增长5.2%。",
        [("1015036亿元", 101503600000000, "元", "国内生产总值"), ("5.2%", 5.2, "%", "国内生产总值")],
    ),
    # govwork_city2024 plans: 预计 before a verb of change names nothing (the entity was 增长 alone)
    ("社会消费品零售总额预计增长6.5%。", [("6.5%", 6.5, "%", "社会消费品零售总额")]),
    # govwork_city2024:宜昌: an adverb (jieba tags 全部 a noun) ends the phrase after the number
    ("6个园区全部通过省合格化工园区复核认定。", [("6个", 6, "个", "园区")]),
    # govwork_national:2011:27: 县 (tagged zg, a morpheme) opens the noun phrase after the number
    (
        "国家财政安排专项资金，改造和新建2.3万所乡镇卫生院、1500所县医院、500所县中医院和1000所县妇幼保健院，"
        "建立了2400所社区卫生服务中心。",
        [
            ("2.3万所", 23000, "所", "乡镇卫生院"),
            ("1500所", 1500, "所", "县医院"),
            ("500所", 500, "所", "县中医院"),
            ("1000所", 1000, "所", "县妇幼保健院"),
            ("2400所", 2400, "所", "社区卫生服务中心"),
        ],
    ),
    # govwork_city2024:哈尔滨: a verbal noun (服务, vn) opening the phrase modifies the noun after it
    (
        "“个转企”登记等140余项服务事项实现“一件事一次办”，我市被评为优化营商环境进步最明显副省级城市。",
        [("140余项", 140, "项", "服务事项")],
    ),
    # govwork_city2024:荆州: 零部件 is a noun, not 零 (zero) 部 (a unit), though jieba tags it a numeral
    (
        "美的“空冰洗”（4）吸引集聚配套企业124家，汽车零部件企业达到211家，石油石化装备企业达到115家。",
        [
            ("124家", 124, "家", "集聚配套企业"),
            ("211家", 211, "家", "汽车零部件企业"),
            ("115家", 115, "家", "石油石化装备企业"),
        ],
    ),
    # govwork_city2024:来宾: 零门槛 is not a number
    ("持续推进公共文化场馆零门槛免费开放。", []),
    # govwork_city2024:衢州: 且 joins two figures; it opens no entity
    (
        "提升强村公司联村带农致富能力，95%的行政村实现集体经济总收入30万元且经营性收入15万元以上。",
        [
            ("95%", 95, "%", "行政村"),
            ("30万元", 300000, "元", "集体经济总收入"),
            ("15万元", 150000, "元", "经营性收入"),
        ],
    ),
    # govwork_province2026:山西省, govwork_national:2007:35: a unit word alone is what is counted when an
    # adverb, a function word or an alternative in parentheses follows it (not 县被命名…, not the text before)
    (
        "13个县被命名为国家生态文明建设示范区，9个县（区）获评“两山”实践创新基地。",
        [("13个", 13, "个", "县"), ("9个", 9, "个", "县")],
    ),
    (
        "新型农村合作医疗试点范围扩大到1451个县（市、区），占全国总数的50.7％",
        [("1451个", 1451, "个", "县"), ("50.7％", 50.7, "%", "")],
    ),
    # govwork_city2024: 黄石, 宜昌, 甘孜; govwork_province2026:湖北省: words jieba tags as nouns (高质量, 全面) or
    # verbs of ranking and winning start the predicate after the counted thing
    ("十件民生实事高质量完成。", [("十件", 10, "件", "民生实事")]),
    ("94个重大事项全面落地落实。", [("94个", 94, "个", "重大事项")]),
    ("4件作品荣获省群星奖。", [("4件", 4, "件", "作品")]),
    ("武汉东湖、襄阳、宜昌3家高新区位列全国50强。", [("3家", 3, "家", "高新区")]),
    # govwork_city2024:青岛, xwlb:20260204:06: a noun jieba tags as a verb is the head at the end of the phrase
    (
        "着力扩内需稳外需，出台实施四批308项政策举措，经济发展稳中有进。",
        [("四批", 4, "批", "政策举措"), ("308项", 308, "项", "政策举措")],
    ),
    (
        "针对重点群体和领域，组织开展新能源汽车技能等10项专项培训，并紧密对接企业需求。",
        [("10项", 10, "项", "专项培训")],
    ),
    # govwork_province2026:甘肃省, 贵州省; govwork_city2024:鄂州: 规模以上 is part of the name, 夜间 modifies the
    # noun (jieba tags it t), and the 以上 of a threshold before the noun is not (亿元以上 | 项目)
    (
        "规模以上工业企业从1832户增加到3382户。",
        [("1832户", 1832, "户", "规模以上工业企业"), ("3382户", 3382, "户", "规模以上工业企业")],
    ),
    ("打造贵阳“青云市集”等夜间消费聚集区55个。", [("55个", 55, "个", "夜间消费聚集区")]),
    # 亿元以上 bounds the class of the projects counted: no amount of anything (govwork_city2024:鄂州)
    ("签约亿元以上项目不少于330个。", [("330个", 330, "个", "项目")]),
    # govwork_city2024: 烟台, 牡丹江, 常州; xwlb:20250615:04, govwork_city2024:十堰: 高质量 and 开工 inside a name
    # stay; 预计 is no part of the entity; 服务/培训 before the people counted are what is done to them
    (
        "总投资9329亿元的299个市级高质量发展项目",
        [("9329亿元", 932900000000, "元", "总投资"), ("299个", 299, "个", "市级高质量发展项目")],
    ),
    ("接续开展6次集中开工活动。", [("6次", 6, "次", "集中开工活动")]),
    ("科技进步贡献率预计达68%。", [("68%", 68, "%", "科技进步贡献率")]),
    (
        "目前我国已建设一刻钟便民生活圈5510个，服务居民1.25亿人。",
        [("5510个", 5510, "个", "一刻钟便民生活圈"), ("1.25亿人", 125000000, "人", "居民")],
    ),
    (
        "开展补贴性职业技能培训3万人，培训“楚大厨”800人。",
        [("3万人", 30000, "人", "补贴性职业技能培训"), ("800人", 800, "人", "楚大厨")],
    ),
    # govwork_city2024:梧州: a verb that ends the clause stays out of the entity wherever the number stands in
    # its sentence (the second number used to get 项目竣工)
    (
        "推动186个项目开工、113个项目竣工，672个市层面统筹推进重大项目完成投资660亿元。",
        [
            ("186个", 186, "个", "项目"),
            ("113个", 113, "个", "项目"),
            ("672个", 672, "个", "市层面统筹推进重大项目"),
            ("660亿元", 66000000000, "元", "投资"),
        ],
    ),
    # found by reading 48 新闻联播 items the project had never seen (articles_gov_b.json's): the rest of a date
    # (2|月份) opens no entity, and 回升 after 较上月 measures what the fact before it measures
    (
        "2月份中国物流业景气指数为50.1%，较上月回升5.4个百分点。",
        [("50.1%", 50.1, "%", "中国物流业景气指数"), ("5.4个百分点", 5.4, "百分点", "中国物流业景气指数")],
    ),
    # a change after a fact whose entity was not found names nothing: not 增长
    (
        "这样高难度的心脏外科手术，医院今年已经做了50多台，比去年同期增长30%。",
        [("50多台", 50, "台", ""), ("30%", 30, "%", "")],
    ),
    # 比上届 stands before a verb of change without naming anything (not 上届增长)
    (
        "为期5天的第三届链博会今天（7月20日）落下帷幕，本届链博会参展商首发、首展、首秀152项新产品、新技术、新服务，"
        "比上届增长67%；参展商与4.2万家上下游企业建立合作联系。",
        [
            ("5天", 5, "天", ""),
            ("152项", 152, "项", "新产品"),
            ("67%", 67, "%", "新产品"),
            ("4.2万家", 42000, "家", "上下游企业"),
        ],
    ),
    # 升至 links an entity to its number like 增至 (not 部分地区最高气温升至)
    (
        "从昨天（3月30日）到今天，我国中东部多地气温继续回升，部分地区最高气温升至25℃以上。",
        [("25℃", 25, "摄氏度", "部分地区最高气温")],
    ),
    ("截至今天（6月18日），2026年度电影票房已超165亿元。", [("165亿元", 16500000000, "元", "电影票房")]),
    # a noun after the count opened by 千兆 (a numeral jieba tags m) or by an adjective with the suffix 型 (not the
    # action verb before the count: 建成)
    (
        "“十五五”时期，全国将建成1000个紧密型县域医共体，让更多群众在家门口就能“看上病、看好病”。",
        [("1000个", 1000, "个", "紧密型县域医共体")],
    ),
    # a prefix opens the noun (xwlb:20260907:06); the whole country alone is where, not what (xwlb:20241002:03); a
    # noun that lasts (连续) so long (govwork_city2024:扬州); a film season (xwlb:20250602:08); the qualifier of the
    # next number is not part of the noun (govwork_city2024:沈阳); a verb and a suffix after the noun make a kind of
    # county (xwlb:20221003:01)
    ("截至去年底，全国已经有1.49万家非遗工坊。", [("1.49万家", 14900, "家", "非遗工坊")]),
    ("这样的便民生活圈，全国已有3946个。", [("3946个", 3946, "个", "")]),
    ("其中制造业贷款连续39个月保持两位数增长。", [("39个月", 39, "个月", "制造业贷款")]),
    ("2025年端午档电影票房突破4亿元", [("4亿元", 400000000, "元", "端午档电影票房")]),
    (
        "8条重点产业链规模突破8000亿元。",
        [("8条", 8, "条", "重点产业链规模"), ("8000亿元", 800000000000, "元", "重点产业链规模")],
    ),
    ("推动乡村振兴，确定160个国家乡村振兴重点帮扶县。", [("160个", 160, "个", "国家乡村振兴重点帮扶县")]),
    # a kind of county or city that jieba cuts from its suffix (xwlb:20221029:08, xwlb:20241227:09,
    # govwork_city2024:聊城); a manner adverb before the predicate is not part of the noun
    # (govwork_province2026:江西省, xwlb:20260628:02)
    ("832个脱贫县都培育了2到3个主导产业。", [("832个", 832, "个", "脱贫县"), ("2到3个", 2, "个", "主导产业")]),
    ("医疗机构疾控监督员制度试点扩大到全国254个地市。", [("254个", 254, "个", "地市")]),
    (
        "1000多个省市县重点项目完成投资1050亿元。",
        [("1000多个", 1000, "个", "省市县重点项目"), ("1050亿元", 105000000000, "元", "投资")],
    ),
    (
        "7家国家区域医疗中心基本建成，百余名新党员集体宣誓。",
        [("7家", 7, "家", "国家区域医疗中心"), ("百余名", 100, "名", "新党员")],
    ),
]


@pytest.mark.parametrize("text,expected", ATTACH)
def test_facts_attachment_table(fx: FactExtractor, text: str, expected) -> None:
    assert _f(fx, text) == expected


@pytest.mark.parametrize(
    "text,entities",
    [
        # the measure without its verb of change (5,029 entities of the bundled run kept one: 地区生产总值增长,
        # 地区生产总值同比增长 and 地区生产总值 were three spellings of one measure)
        ("全市地区生产总值同比增长5.2%，客流量比去年同期增长25%。", ["全市地区生产总值", "客流量"]),
        ("城镇、农村居民人均可支配收入分别增长5.1%、6.9%。", ["城镇、农村居民人均可支配收入"] * 2),
        # 存贷比 keeps its 比; 经济增长 is a noun of its own
        ("存贷比提高3个百分点，经济增长5%。", ["存贷比", "经济增长"]),
        # 新增 is a verb of change (govwork_city2024:潜江: the entity had been 金融机构贷款余额新), and so are 缩短 and
        # 延长, which a verb after the number never names (xwlb:20241218:13, xwlb:20241206:04)
        ("金融机构贷款余额新增97.23亿元。", ["金融机构贷款余额"]),
        ("海运时间由以往的33天缩短至23天。", ["海运时间", "海运时间"]),
        ("届时西南地区货物经平陆运河出海，里程将缩短约560公里。", ["里程"]),
        # a count of things loses an action verb after an adverb, but not an amount of money (xwlb:20221004:03: the
        # gold's entity is 投入) nor a noun that ends with an action verb (xwlb:20260315:01)
        ("各类型志愿服务活动已举办45000多场。", ["类型志愿服务活动"]),
        ("中央财政累计投入359亿元支持养老服务设施建设。", ["中央财政累计投入"]),
        ("推进81项基本公共服务覆盖常住人口。", ["基本公共服务"]),
    ],
)
def test_facts_entity_without_its_verb_of_change(fx: FactExtractor, text: str, entities: list[str]) -> None:
    facts = fx.extract(text)
    assert [f.entity for f in facts] == entities
    assert all(text[f.entity_start : f.entity_end] == f.entity for f in facts)


def test_facts_a_verb_before_a_place_suffix_is_no_kind_of_place(fx: FactExtractor) -> None:
    # govwork_city2024:蚌埠: 获评 省 is a verb and the province, not a kind of province as 脱贫 县 is
    assert not any(f.entity.startswith("获评") for f in fx.extract("5人入选中国好人、2人获评省道德模范。"))


def test_facts_a_verb_naming_a_kind_opens_the_entity(fx: FactExtractor) -> None:
    # govwork_city2024:镇江: 服务 opening the clause names a kind of certificate (an action verb there otherwise
    # is what is done: 建设生态河道120公里 -> 生态河道)
    facts = fx.extract("新增质量管理体系认证证书1600张、服务认证证书160张。")
    assert [(f.surface, f.entity) for f in facts][1] == ("160张", "服务认证证书")
    # xwlb:20260602:01, but govwork_city2024:阿坝: counted events are of the person trained, not a kind of them
    assert [(f.surface, f.entity) for f in fx.extract("全国8132个便民生活圈，服务人数已经超过1.68亿人。")] == [
        ("8132个", "便民生活圈"),
        ("1.68亿人", "服务人数"),
    ]
    facts = fx.extract("新建养老服务综合体2个、老年养护院1个，培训儿童主任1154人次。")
    assert [(f.surface, f.entity) for f in facts][-1] == ("1154人次", "儿童主任")


def test_facts_from_to_pair_is_linked(fx: FactExtractor) -> None:
    facts = fx.extract("推进基层减负，街道承担的职责由222项缩减至101项。")
    assert [(f.surface, f.entity, f.link_role) for f in facts] == [("222项", "职责", "from"), ("101项", "职责", "to")]
    assert facts[0].link_id == facts[1].link_id is not None


def test_facts_rate_checked_against_its_parts(fx: FactExtractor) -> None:
    facts = fx.extract("对接形成项目清单415项，推动完成400项，完成率达96.4%，有效推动解决基层治理实际问题。")
    assert [(f.surface, f.link_role) for f in facts] == [("415项", "total"), ("400项", "part"), ("96.4%", "rate")]
    rate = facts[2]
    assert rate.entity == "完成率"
    assert rate.check_status == "ok"
    assert rate.check_detail == "400/415 = 96.39% vs 96.4%"


def test_facts_range_counts_its_noun_with_both_ends(fx: FactExtractor) -> None:
    # partybuilding_cms:3, xwlb:20260122:02: one fact from the lower end to the unit
    facts = fx.extract("以每个网格覆盖100—300户为标准，832个脱贫县都培育出了2到3个优势突出的主导产业。")
    assert [(f.surface, f.value, f.value_max, f.qualifier) for f in facts] == [
        ("100—300户", 100, 300, "range"),
        ("832个", 832, None, "exact"),
        ("2到3个", 2, 3, "range"),
    ]
    # a rate given as a range is checked against both ends
    facts = fx.extract("对接形成项目清单415项，推动完成400项，完成率达95—97%。")
    assert (facts[2].qualifier, facts[2].check_status) == ("range", "ok")


def test_facts_a_change_is_no_part_of_a_rate(fx: FactExtractor) -> None:
    # govwork_national:2016:17: 5600亿元 is the year's increase, not a part of the deficit; the 赤字率 is unchecked
    facts = fx.extract("今年拟安排财政赤字2.18万亿元，比去年增加5600亿元，赤字率3%。")
    assert [(f.surface, f.link_role, f.check_status) for f in facts] == [
        ("2.18万亿元", None, None),
        ("5600亿元", None, None),
        ("3%", None, None),
    ]


def test_facts_rate_mismatch_is_flagged_not_fixed(fx: FactExtractor) -> None:
    facts = fx.extract("对接形成项目清单415项，推动完成400项，完成率达90.4%。")
    assert facts[2].check_status == "mismatch"
    assert facts[2].value == 90.4  # the printed value stays


@pytest.mark.parametrize(
    ("text", "status"),
    [
        # 新闻联播 2025-07-07: 937/1227 = 76.37%, and the rate is printed as a lower bound
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率超75%。", "ok"),
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率超80%。", "mismatch"),
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率不足80%。", "ok"),
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率不足75%。", "mismatch"),
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率约77%。", "ok"),
        ("今年计划新开工改造老旧小区1227个，目前已开工改造937个，开工率达75%。", "mismatch"),
    ],
)
def test_facts_rate_check_reads_the_qualifier(fx: FactExtractor, text: str, status: str) -> None:
    rate = fx.extract(text)[-1]
    assert rate.unit == "%" and rate.check_status == status


def test_facts_unrelated_rate_is_not_checked(fx: FactExtractor) -> None:
    facts = fx.extract("全市3860个居民小区已成立业主委员会2522个、占比65.3%，物业管理覆盖率达95.5%；")
    assert all(f.check_status is None for f in facts)


def test_facts_library_function_equals_extractor(fx: FactExtractor) -> None:
    text = "设立“红蜂驿站”31个，共吸引辖区 113位女性加入"
    assert extract_facts(text) == fx.extract(text)


def test_facts_sentence_ids_follow_sentences(fx: FactExtractor) -> None:
    text = "建成社区矛盾调解中心 75个。\n解决居民需求事项406件。"
    facts = fx.extract(text)
    assert [(f.sentence_id, text[f.sentence_start : f.sentence_end]) for f in facts] == [
        (0, "建成社区矛盾调解中心 75个。"),
        (1, "解决居民需求事项406件。"),
    ]


@pytest.mark.parametrize(
    "text,entities",
    [
        (
            "刑事立案数、电诈案件既遂数、道路交通事故数分别下降13.5%、8.6%、2.7%，公众安全感提升",
            ["刑事立案数", "电诈案件既遂数", "道路交通事故数"],
        ),
        ("营业总收入和资产总额分别达到62.4亿元、2166.8亿元。", ["营业总收入", "资产总额"]),
        ("装备制造业、高技术制造业增加值分别增长7.7%、8.9%。", ["高技术制造业增加值", "高技术制造业增加值"]),
    ],
)
def test_facts_respectively_lists(fx: FactExtractor, text: str, entities: list[str]) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # the numbers after 分别 measure, in order, what the numbers of the clause before count
        (
            "全年接待国内游客5058.1万人次、实现国内旅游收入773亿元，同比分别增长261.6％、390.6％，获评全国旅游集团优选投资十强城市。",
            ["国内游客", "国内旅游收入", "国内游客", "国内旅游收入"],
        ),
        (
            "城镇居民人均可支配收入达到10493元，农村居民人均纯收入达到3255元，扣除价格因素，分别增长9.6%和6.2%。",
            ["城镇居民人均可支配收入", "农村居民人均纯收入", "城镇居民人均可支配收入", "农村居民人均纯收入"],
        ),
        (
            "巩固扩大“稻菜轮作”等粮经复合生产模式，粮食播种面积68.7万亩、产量26.1万吨，分别超省定任务0.7万亩、0.1万吨。",
            ["粮食播种面积", "产量", "粮食播种面积", "产量"],
        ),
        (
            "跨国公司地区总部、外资研发中心分别新增65家和30家，累计分别达到956家和561家。",
            ["跨国公司地区总部", "外资研发中心", "跨国公司地区总部", "外资研发中心"],
        ),
        # a comparison between 分别 and the numbers
        (
            "全市生产安全死亡事故起数和死亡人数分别比2019年下降4.8%和1.8%。",
            ["全市生产安全死亡事故起数", "死亡人数"],
        ),
        (
            "国控河流、近岸海域优良水体比例分别高于省定目标28.6个和21.9个百分点。",
            ["国控河流", "近岸海域优良水体比例"],
        ),
        # each item names its own measure, or is a thing of its own: no shared head
        (
            "粮食播种面积和产量分别稳定在172万亩和14.3亿斤以上，油菜种植面积达到15.3万亩以上。",
            ["粮食播种面积", "产量", "油菜种植面积"],
        ),
        ("国际友城和外国驻穗总领馆分别增至214对和69家。", ["国际友城", "外国驻穗总领馆"]),
        ("其中一产、二产、三产分别增长3.5％左右、6.5％左右、5％左右；", ["一产", "二产", "三产"]),
        # a level list shares its head
        (
            "完成新建、重组11家全国重点实验室，国家级、部级创新平台分别达到22家、182家。",
            ["全国重点实验室", "部级创新平台", "部级创新平台"],
        ),
        # no list: the second number measures what the first does
        ("城乡低保平均标准分别提高6％左右和12％左右。", ["城乡低保平均标准", "城乡低保平均标准"]),
        # what is counted is named after 分别: the earlier numbers' things are not it
        (
            "实施总投资8191亿元的148个省级重点项目、总投资9329亿元的299个市级高质量发展项目，分别完成投资1500亿元、870亿元以上。",
            ["总投资", "省级重点项目", "省级重点项目、总投资", "市级高质量发展项目", "投资", "投资"],
        ),
        # a clause that names other things stands between: no pairing with the numbers before it
        (
            "新建5G基站2868座、总数突破1万座，省数字经济“晨星工厂”、省级数字经济园区，分别达到64家和6家。",
            ["5G基站", "5G基站", "", ""],
        ),
    ],
)
def test_facts_respectively_across_clauses(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled government work reports and 新闻联播 items
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # a grade alone before the next count of a list: the first count is of the noun the last names
        (
            "健康福建建设全面推进，建成8个国家级、13个省级区域医疗中心，居民医保政策范围内住院报销比例达70%。",
            ["区域医疗中心", "省级区域医疗中心", "住院报销比例"],
        ),
        (
            "推动产业集群与实验室群、中试平台、制造业创新中心等深度对接，着力培育6个世界级、7个国家级、9个区域级产业集群。",
            ["产业集群", "产业集群", "区域级产业集群"],
        ),
        # a grade that jieba cuts in two (千亿 级, 4A 级, 自治区 级) before or after the number
        ("产业建圈强链深入推进，新增2个千亿级产业集群。", ["千亿级产业集群"]),
        ("加快推进万峰林国家5A级景区创建，新增1个4A级景区或省级旅游度假区。", ["4A级景区"]),
        ("优化职业教育布局，新增10个自治区级现代产业学院。", ["自治区级现代产业学院"]),
        ("加强A级景区集群化建设，力争A级景区达到16家。", ["A级景区"]),
        ("川渝一体化发展格局加速形成，地区生产总值五年跨过3个万亿级关口、突破10万亿元。", ["万亿级关口", "万亿级关口"]),
        # a grade before a quoted name; 新建 (tagged a place) opens the next clause of the list
        ("支持郑州创建国家“两业”融合试点，新培育20家省级“两业”融合标杆企业。", ["省级“两业”融合标杆企业"]),
        ("培育50家先进级智能工厂、新建90家绿色工厂。", ["先进级智能工厂", "绿色工厂"]),
    ],
)
def test_facts_grades_before_the_counted_noun(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled government work reports and 新闻联播 items; the entity was the verb (建成, 新增) or the
    # grade's last character (级景区)
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # 新建, 改扩建, 新开工 before the counted noun are what is done to it
        (
            "新建高标准农田2471万亩，粮食增产169.8亿斤，增量占全国18.7%、居全国第一，"
            "实现了“自给自足”向“西部粮仓”的历史性跨越；",
            ["高标准农田", "粮食", "增量"],
        ),
        (
            "打通一批严重影响群众出行的“断头路”，提升改造一批背街小巷，改扩建停车场108处，新增停车位4.4万个。",
            ["停车场", "新增停车位"],
        ),
        # but they name the things of a rate, and 新建商品房 is a term
        (
            "省、市重大产业项目顺利完成年度投资任务，121个项目竣工投产，新开工项目投产率提升11个百分点，工业投资增长9.9%。",
            ["项目", "新开工项目投产率", "工业投资"],
        ),
        (
            "从环比数据看，10月份全国新建商品房网签成交量环比增长6.7%，二手房网签成交量环比增长4.5%。",
            ["全国新建商品房网签成交量", "二手房网签成交量"],
        ),
        # after a number they describe the thing
        (
            "两台新建望远镜的加入使得中国射电干涉测量网由“四站一中心”升级为“六站一中心”，观测性能大幅提升，"
            "对于我国月球与深空探测、射电天文前沿研究等具有重要意义。",
            ["新建望远镜"],
        ),
        (
            "大力推进三峡水运新通道、沿江高铁宜涪段、长江存储三期等1.22万个亿元以上新建续建项目建设，"
            "以有效投资的扩量提质助推全省高质量发展一路前行。",
            ["新建续建项目"],
        ),
        # 今年以来 (one word to jieba) ends the phrase; 全 before 产业链 opens it (jieba cuts 全|产业链)
        ("今年以来公安机关侦办网络违法犯罪案件3.6万余起", ["公安机关侦办网络违法犯罪案件"]),
        ("据测算，今年以来电影全产业链产值已经超过4000亿元。", ["电影全产业链产值"]),
        ("832个脱贫县聚焦“一主两辅”特色主导产业，今年将开工21.6万个全产业链开发项目。", ["脱贫县", "全产业链开发项目"]),
        ("8月份全社会用电量同比增长8.9%", ["全社会用电量"]),
        # an action verb before a name of a method (改造模式) is part of it
        (
            "上海市成立了由住建、房管、规划等部门组成的市区两级工作专班，因地制宜探索出原地拆除重建、抽户改建等五种改造模式，"
            "把改造的进度细化到每个月、每户人家。",
            ["改造模式"],
        ),
        # a linking verb that is also an action verb (完成, 达到) alone before a count of the same unit: what the
        # count before it counts
        ("上海今年升级改造50家标准化菜市场，目前已完成38家。", ["标准化菜市场", "标准化菜市场"]),
        # a verb alone after a count of times, at the end of its clause, is what is done that often
        ("近两年，我同莫迪总理两次会晤，引领中印关系从“再出发”实现“再提升”。", ["会晤"]),
        ("2009年，中美首次签署关于限制中国文物非法入境美国的政府间谅解备忘录，此后又3次续签。", ["续签"]),
    ],
)
def test_facts_verbs_of_new_things(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled government work reports and 新闻联播 items; the entities had been 新建高标准农田,
    # 改扩建停车场, 新开工项目投产率 (kept), 全国新建商品房网签成交量 (kept), 新建望远镜 (kept), 等 and 以上新建续建项目,
    # 今年以来公安机关侦办网络违法犯罪案件, 产业链产值, 开工, 社会用电量, (none), (none), 同莫迪总理 and (none)
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,surface,entity",
    [
        # action verbs of the reports before what they count (拉动, 争创, 新引育, 减排, 节省)
        (
            "开展“品质生活 乐购铜陵”系列促消费活动，发放消费券6290万元，拉动消费超15亿元，新能源汽车、智能家电销售额分别"
            "增长60.4%、49.8%，网上零售额增长30%以上。",
            "15亿元",
            "消费",
        ),
        (
            "学习借鉴“千万工程”经验，深入实施乡村建设行动，持续推进“四条示范带”建设，扎实开展“四清四整”专项行动，"
            "建成“美丽庭院”2000个，争创省级乡村振兴示范乡镇1个、示范村5个。",
            "1个",
            "省级乡村振兴示范乡镇",
        ),
        ("新引育高层次人才创新创业团队25个，博士、市级以上领军人才396人。", "25个", "高层次人才创新创业团队"),
        # 免费 after the people counted opens what is done for them
        ("为全市5万名农村妇女免费提供宫颈癌筛查；", "5万名", "农村妇女"),
        (
            "完成节能降碳技术改造项目2个、煤炭高效利用项目37个，世界首座商业示范项目八钢富氢碳循环氧气高炉建成投运，"
            "年减排二氧化碳近100万吨。",
            "100万吨",
            "二氧化碳",
        ),
        # a measure noun after its verb keeps the verb (种植面积), and so does a unit of an institution (建设单位)
        (
            "扛牢耕地保护和粮食安全政治责任，实施粮油单产提升行动，加强高标准农田建设，粮食种植面积稳定在326万亩以上。",
            "326万亩",
            "粮食种植面积",
        ),
        (
            "１９５６年施工的限额以上建设单位共有９６４个，其中本年开始建设的２７１个，继续建设的６９３个；",
            "９６４个",
            "限额以上建设单位",
        ),
        (
            "日前，厦门市集美区2023年回收低值可回收物累积的2450吨碳减排量，通过厦门市产权交易中心完成了交易，"
            "这也是我国首宗居民小区低值可回收物分类碳交易项目。",
            "2450吨",
            "碳减排量",
        ),
        # 安排 and 发行 (of budgets and bonds) before what they count, but 发行规模 is a measure
        ("今年中央财政安排社会保障支出2019亿元，比去年增加247亿元。", "2019亿元", "社会保障支出"),
        (
            "拟发行长期建设国债600亿元，比上年减少200亿元，同时增加中央预算内经常性建设投资100亿元；",
            "600亿元",
            "长期建设国债",
        ),
        (
            "今天（3月13日），财政部在香港面向机构投资者招标发行2024年首期人民币国债，发行规模120亿元，市场认购踊跃，"
            "认购倍数3.16倍。",
            "120亿元",
            "发行规模",
        ),
        # from the sixth fact audit: 共建, 创成, 消除, 参加 before what they count, an enumerator (六是) ends the phrase,
        # and 建成投产 after the noun is its predicate
        (
            "增划免费停车位1.43万个，改造提升生态绿地25块，新建城市绿道16.3公里，与企业共建口袋公园5个，共享生态宜居北海。",
            "5个",
            "口袋公园",
        ),
        ("与武汉高校共建省级创新平台30家，转化落地成果106项。", "30家", "省级创新平台"),
        (
            "绿色宜居城市加快建设，完成老旧小区改造204个，入选城市更新省级试点项目6个，创成省级宜居示范居住区12个、"
            "省级示范物业管理项目20个、省级垃圾分类达标小区255个。",
            "12个",
            "省级宜居示范居住区",
        ),
        (
            "海绵城市建设扎实推进，相思江防洪排涝提升等工程加快建设，西城水厂投入使用，都督山等一批示范项目完工，"
            "消除内涝积水段40处。",
            "40处",
            "内涝积水段",
        ),
        ("组织企业参加国际展会40余场。", "40余场", "国际展会"),
        # a noun's last character that jieba tags a numeral (纳凉 点, 除杂服务 点) ends the phrase as its head; alone it is
        # nothing (转移安置 | 点: the action verb 安置 cuts the noun)
        ("依托党群服务中心等阵地，设立暑期免费纳凉点2274个。", "2274个", "免费纳凉点"),
        (
            "积极培育家庭农场、种植大户、农民合作社等提升规模化种植，推进整地、种植、管理、收割等机械化服务，"
            "建立糖料蔗分步式机收除杂服务点36个。",
            "36个",
            "糖料蔗分步式机收除杂服务点",
        ),
        (
            "鞍山市岫岩县是本次防御强降雨的重点地区，共启动转移安置点530个，被褥、食品、药品等物资储备充足。",
            "530个",
            "",
        ),
        ("六是新增社会公共停车位2500个，其中中心城区500个。", "2500个", "新增社会公共停车位"),
        (
            "四个产业园区新落地过亿元项目19个、累计达61个，步长制药绿色智能化制造、知和大药厂、简道制药、泽宇生物等"
            "11个项目建成投产。",
            "11个",
            "项目",
        ),
        # but 共建“一带一路”国家 is a name, and what is done three times opens the phrase after 三次
        ("对共建“一带一路”国家进出口增长38%，中欧班列开行数量增长39.6%。", "38%", "共建“一带一路”国家进出口"),
        (
            "全年实现进出口总额2.45万亿元，一般贸易占比达到42%，对“一带一路”共建国家和地区占比提高到36.2%，"
            "民营企业进出口增长17.3%。",
            "36.2%",
            "“一带一路”共建国家和地区占比",
        ),
        (
            "让全省人民备受鼓舞的是，习近平总书记两次亲临江苏考察、三次参加全国人代会江苏代表团审议，赋予我们“四个走在前”、"
            "“四个新”、“4+1”、“四个着力点”等重大任务，为江苏现代化建设指明了前进方向。",
            "三次",
            "参加全国人代会江苏代表团审议",
        ),
    ],
)
def test_facts_report_verbs_and_measures(fx: FactExtractor, text: str, surface: str, entity: str) -> None:
    # sentences of the bundled government work reports and 新闻联播 items, most from the fifth and sixth fact audits; the
    # entities had been 拉动消费, 争创省级乡村振兴示范乡镇, 新引育高层次人才创新创业团队, 农村妇女免费, 减排二氧化碳, 面积,
    # 单位, 碳, 中央财政安排社会保障支出 and 国债 (发行规模 unchanged); then 企业共建口袋公园, 武汉高校共建省级创新平台,
    # 创成省级宜居示范居住区, 消除内涝积水段, 企业参加国际展会, (none), (none), 点, 六是新增社会公共停车位, 项目建成投产,
    # (the same), (the same) and (the same)
    assert {f.surface: f.entity for f in fx.extract(text)}[surface] == entity


@pytest.mark.parametrize(
    "text,entities",
    [
        # 新（改）建 and 改造提升 before what is built; 提升 elsewhere is part of a name (技能提升补贴, 提升村)
        ("加快“新三通”建设，新（改）建农村公路800公里，支持阆中市、蓬安县创建“四好农村路”省级示范县。", ["农村公路"]),
        ("扛牢粮食安全责任，改造提升高标准农田1.68万亩。", ["高标准农田"]),
        ("发放创业担保贷款7.6亿元，稳岗返还、技能提升补贴1.17亿元。", ["创业担保贷款", "稳岗返还、技能提升补贴"]),
        (
            "学习运用“千万工程”经验，大力实施“千村引领、万村提升”工程，持续完善农村基础设施和公共服务体系，"
            "重点打造精品村6个、示范村55个、提升村138个。",
            ["精品村", "示范村", "提升村"],
        ),
        # 和美乡村 (a word of the user dictionary) keeps its 和, though 和 is a glue character
        ("创建全省宜居宜业和美乡村示范村30个。", ["全省宜居宜业和美乡村示范村"]),
        # 提请审议 before what is submitted
        (
            "严格执行市人大及其常委会制定的法规和作出的决议决定，主动接受人大和政协监督，认真办理代表建议和委员提案，"
            "积极听取各民主党派、工商联、无党派人士和各人民团体等意见建议，提请审议地方性法规草案13件，制定政府规章2部。",
            ["地方性法规草案", "政府规章"],
        ),
        # a difference from another figure right after a figure is the figure's (高于全国0.8个百分点)
        (
            "主要经济指标增长保持在合理区间，地区生产总值增长4.7%、低于全国0.3个百分点，规上工业增加值增长6.7%、"
            "高于全国0.8个百分点，固定资产投资增长4%、高于全国7.8个百分点，社会消费品零售总额增长4.3%、"
            "高于全国0.6个百分点，进出口总值增长6.4%、高于全国2.6个百分点。",
            ["地区生产总值", "地区生产总值", "规上工业增加值", "规上工业增加值", "固定资产投资", "固定资产投资"]
            + ["社会消费品零售总额", "社会消费品零售总额", "进出口总值", "进出口总值"],
        ),
    ],
)
def test_facts_report_builds_and_differences(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled government work reports; the entities had been 新（改）建农村公路, 提升高标准农田, (the
    # same), (the same), 美乡村示范村, 提请审议地方性法规草案 and 低于全国/高于全国 for the differences
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # 即 ("that is") ends the phrase, so a change after it measures the figure before (but 即办率 is a term)
        ("邮路总长度将达到一百九十七万公里，即比一九五二年增长百分之四十五点二；", ["邮路总长度", "邮路总长度"]),
        (
            "持续深化“放管服”改革，加快推动线上“一网通办”、线下“全程代办”提质扩面，全面深化农村居民办事不出村、"
            "城镇居民办事不出社区、入园企业办事不出园区“三不出”机制，政务服务事项全程网办率提升至95.38%，"
            "即办率提升至75.64%，时限缩短率提升至91.81%。",
            ["政务服务事项全程网办率", "即办率", "时限缩短率"],
        ),
        # 约 before 占 names nothing
        ("我国现有鸟类1500余种，其中候鸟超过800种，约占全国鸟类种数的53%。", ["鸟类", "候鸟", ""]),
        # 服务 before 事项 is part of the name
        (
            "数字政府大脑平台建成并深化应用，政务服务大厅综合窗口实现省市县乡四级全覆盖，“三通一码”服务矩阵高效运行，"
            "1.7万余项政务服务事项实现“掌上办”；",
            ["政务服务事项"],
        ),
    ],
)
def test_facts_that_is_about_and_service_items(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled government work reports and 新闻联播 items; the entities had been 即, (the same),
    # 约 and 政务
    assert [f.entity for f in fx.extract(text)] == entities


def test_facts_ranks_are_no_counts(fx: FactExtractor) -> None:
    # a work report: 进入全国前30%、前40% ranks the two (the fifth fact audit); 目前63.5%的监测对象 stays a fact
    text = (
        "深入实施科技创新“八大抓手”，“一区一廊”落地创新型重大项目83个，国家创新型城市、温州高新区排名分别进入全国前30%、"
        "前40%，瓯江实验室集聚高水平科研团队50个。"
    )
    assert [f.surface for f in fx.extract(text)] == ["83个", "50个"]
    text = "今年以来，农业农村部指导各地进一步健全完善防止返贫监测帮扶机制，目前63.5%的监测对象已消除返贫致贫风险，其余均落实了帮扶措施。"
    assert [(f.surface, f.entity) for f in fx.extract(text)] == [("63.5%", "监测对象")]


def test_facts_second_water_supply_is_no_count(fx: FactExtractor) -> None:
    # 二次供水 is a kind of water supply (tanks on top of a building), not something done twice
    text = "强化供水安全保障，推进250公里老旧供水管网改造，推动住宅小区二次供水设施改造，加快长江水库、铁炉山水库扩容，打造供水新格局。"
    assert [f.surface for f in fx.extract(text)] == ["250公里"]


@pytest.mark.parametrize(
    "text,entities",
    [
        # an action verb alone before a count of the same unit: what the count before it counts
        (
            "计划建成投产大中型项目118个，实际建成128个，改变了多年来投产项目完不成计划的状况。",
            ["建成投产大中型项目", "建成投产大中型项目"],
        ),
        ("为了解决婴幼儿入托难，普惠性托位已达332万个，今年还将新增15万个。", ["普惠性托位", "普惠性托位"]),
        ("全市在建亿元以上项目136个，其中新开工102个。", ["项目", "项目"]),
        # not a verb that names what is counted, nor one after a noun of its own clause
        ("新建规模化养殖场116个、存栏163.5万头、出栏41.7万头。", ["规模化养殖场", "存栏", "出栏"]),
        (
            "完成永久基本农田集中连片整治超3万亩、低效建设用地整治盘活超1万亩。",
            ["永久基本农田集中连片整治", "用地整治盘活"],
        ),
    ],
)
def test_facts_a_verb_alone_counts_what_the_count_before_counts(
    fx: FactExtractor, text: str, entities: list[str]
) -> None:
    # sentences of the bundled government work reports and 新闻联播 items; the entity was the verb (建成, 新增)
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # linking verbs of a new level (发展到, 压缩至, 恢复至, 增长到了)
        (
            "创建国家级农业产业强镇2个，市级以上现代农业产业园发展到24个、农业龙头企业发展到191家。",
            ["国家级农业产业强镇", "市级以上现代农业产业园", "农业龙头企业"],
        ),
        ("这几天，四川眉山团结村的柑橘喜获丰收，柑橘产值增长到了1.7亿元。", ["柑橘产值"]),
        (
            "发明专利平均审查周期压减至15.7个月，商标注册平均审查周期稳定在4个月。",
            ["发明专利平均审查周期", "商标注册平均审查周期"],
        ),
        # a start point of a from-to (由平均, 从保护初期的, a year in Chinese numerals on both ends)
        ("专利授权周期由平均15个月压缩至3个月以内。", ["专利授权周期", "专利授权周期"]),
        (
            "可可西里藏羚羊种群数量已从保护初期的不足2万只，恢复至7万多只。",
            ["可可西里藏羚羊种群数量", "可可西里藏羚羊种群数量"],
        ),
        (
            "高等教育发展迅速，普通高等学校在校学生由一九八○年的一百一十四万人增加到一九八五年的一百七十万人。",
            ["普通高等学校在校学生", "普通高等学校在校学生"],
        ),
        (
            "我国进出口贸易总额，由一九七八年的三百五十五亿元增加到一九八二年的七百七十二亿元。",
            ["进出口贸易总额", "进出口贸易总额"],
        ),
        # a verb of change with the aspect particle 了
        ("例如，一九五七年比一九五二年，钢增加了四百万吨，煤增加了六千四百万吨。", ["钢增加", "煤增加"]),
        ("今年秋粮面积13.1亿亩，比上年增加了700多万亩，奠定了增产的基础。", ["秋粮面积", "秋粮面积"]),
        # but not another verb with 了 (卖了: the sale names nothing counted)
        ("这张碳票卖了14万元，每个村民都得到了分红。", [""]),
    ],
)
def test_facts_levels_reached_and_start_points(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # sentences of the bundled State Council and city work reports and 新闻联播 items; the levels and the ends
    # of the from-tos had no entity
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # an ordinal adverb before a qualifier (首次突破), a net change (净增), a change of output (增产了)
        ("2025年，我国农村网络零售额首次突破3万亿元，同比增长6.7%。", ["农村网络零售额", "农村网络零售额"]),
        (
            "截至2025年底，中国共产党党员总数为10128.6万名，比上年净增101.5万名；",
            ["中国共产党党员", "中国共产党党员"],
        ),
        ("去年粮食产量首次突破1.4万亿斤，比2020年增产了740亿斤。", ["粮食产量", "粮食产量"]),
        # a comparison with a date between what changed and its verb
        (
            "全国社会物流总额216.4万亿元，同比增长3.2%，增速比1—7月份回升0.1个百分点。",
            ["全国社会物流总额", "全国社会物流总额", "增速"],
        ),
        # 对外 is a word, not the glue character 对
        ("商务部数据显示，今年一季度，我国全行业对外直接投资409亿美元。", ["对外直接投资"]),
        # 也 between what changed and its verb
        (
            "一九五八年工业总产值比一九五七年增长百分之八十八，粮食产量也增长了百分之八十三。",
            ["工业总产值", "粮食产量"],
        ),
        # a span of years before a linking verb, 为期, 保持, a start point of now (从现在的, 从目前的)
        ("脱贫劳动力务工就业人数连续4年稳定在3000万人以上。", ["脱贫劳动力务工就业人数"]),
        ("本次活动为期1个月，重点面向民营企业、中小微企业等用人单位和高校毕业生、农民工等求职群体。", ["活动"]),
        ("法治政府建设纵深推进，行政机关负责人出庭应诉率保持100%。", ["行政机关负责人出庭应诉率"]),
        (
            "届时，四川巴中至成都、重庆的通行时间将从现在的近5个小时缩短至2个小时左右。",
            ["通行时间", "通行时间"],
        ),
        # a comparison after a count names nothing counted
        ("12个分项指数中，有8个环比回升。", ["", ""]),
        # one count of two nouns joined by 和 (after or before it), a currency word after an amount
        ("四天会期内，来自129个国家和地区的超10万客商线下参展。", ["", "国家和地区"]),
        (
            "支持地区累计建设县级电子商务公共服务中心和物流配送中心超2800个。",
            ["电子商务公共服务中心和物流配送中心"],
        ),
        ("1—4月份，全国服务进出口总额24319.6亿元人民币，同比增长16.8%。", ["进出口总额", "进出口总额"]),
    ],
)
def test_facts_changes_of_named_totals(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # 新闻联播 items and State Council reports of the bundled corpus; an audit of 200 random facts found these
    # entities empty, a bare verb (净增) or cut (外直接投资)
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        ("粮食产量今年预计将首次突破1.4万亿斤。", ["粮食产量"]),
        ("江西上饶、宜春等地的18个县出现暴雨到大暴雨。", ["县"]),
        ("已有来自121个国家和地区、29个国际组织的代表确认出席。", ["国家和地区", "国际组织"]),
        ("今年，在297个地级及以上城市全面开展城市体检。", ["地级及以上城市"]),
        ("到2030年，努力实现体育产业总规模超过7万亿元目标。", ["努力实现体育产业总规模"]),
        ("建成330个农业高质量发展项目。", ["农业高质量发展项目"]),
    ],
)
def test_facts_time_words_grades_and_targets(fx: FactExtractor, text: str, entities: list[str]) -> None:
    # 新闻联播 items of the bundled corpus (from the third fact audit, after it was scored): the entities were empty,
    # 地 (the place before), 国际, 地级 and 目标
    assert [f.entity for f in fx.extract(text)] == entities


def test_facts_counts_of_visits_keep_their_classifier(fx: FactExtractor) -> None:
    # 新闻联播 item of the bundled corpus: 500万辆次 was 500万 辆 (29 such 辆次 of the bundled run, and 家次, 艘次 …)
    facts = fx.extract(
        "截至昨天（9月29日），经港珠澳大桥珠海公路口岸进出境车辆今年累计已突破500万辆次，比去年提早了2个月。"
    )
    assert [(f.surface, f.value, f.unit, f.qualifier) for f in facts][0] == ("500万辆次", 5000000.0, "辆次", "over")


def test_facts_hours_and_units_counted_alone(fx: FactExtractor) -> None:
    # 新闻联播 items of the bundled corpus: 个小时 is a unit of time (the count was 5个 of 小时), and a unit word
    # before a verb of the predicate is what is counted (the entity was 全国)
    facts = fx.extract("拉日高速公路2024年建成通车后，从拉萨到日喀则将由目前的5个小时缩短到3小时。")
    assert [(f.surface, f.value, f.unit, f.kind) for f in facts][-2:] == [
        ("5个小时", 5.0, "小时", "time"),
        ("3小时", 3.0, "小时", "time"),
    ]
    facts = fx.extract("多条高铁新线首次投入国庆假期，全国又有16个县加入高铁“朋友圈”，路网在织密。")
    assert [(f.surface, f.entity) for f in facts] == [("16个", "县")]
    facts = fx.extract("工作机制，定期开展重大项目竞进拉练活动，12个省独立考核重点项目完成投资96.9亿元。")
    assert [(f.surface, f.entity) for f in facts] == [("12个", "省独立考核重点项目"), ("96.9亿元", "投资")]


def test_facts_respectively_items_that_do_what_is_counted(fx: FactExtractor) -> None:
    # govwork_city2024 (a report of the bundled corpus): the items produce, 产值 is what the numbers measure
    text = "钒钛磁铁矿采选冶、绿色化工、装备制造分别实现产值766.3亿元、361.7亿元、199.2亿元。"
    facts = fx.extract(text)
    assert [(f.surface, f.entity, text[f.subject_start : f.subject_end]) for f in facts] == [
        ("766.3亿元", "产值", "钒钛磁铁矿采选冶"),
        ("361.7亿元", "产值", "绿色化工"),
        ("199.2亿元", "产值", "装备制造"),
    ]
    # a verb after 分别 is no thing counted: the items are
    facts = fx.extract("严守耕地保护红线，粮食、蔬菜分别稳定播种550万亩和75万亩以上。")
    assert [(f.entity, f.subject_start) for f in facts] == [("粮食", 9), ("蔬菜", 12)]


def test_facts_of_a_respectively_list_of_places_take_their_own_place() -> None:
    # govwork_city2024:来宾: the first figure is 忻城县's, not 金秀瑶族自治县's (the place named nearest before it)
    path = Path(__file__).resolve().parents[1] / "corpus" / "reports" / "govwork_city2024_part1.jsonl"
    rec = next(r for r in map(json.loads, path.open(encoding="utf-8")) if r["id"] == "govwork_city2024:来宾")
    res = Pipeline().process(RawDocument(rec["id"], str(path), 1, rec["text"], "record"))
    rows = [f for f in res.rows["facts"] if "忻城县、金秀瑶族自治县工业投资分别增长" in f.sentence]
    assert [(f.fact.surface, f.place, f.place_path) for f in rows if f.fact.unit == "%"] == [
        ("40％", "象州县", "广西壮族自治区/来宾市/象州县"),
        ("260％", "忻城县", "广西壮族自治区/来宾市/忻城县"),
        ("40％", "金秀瑶族自治县", "广西壮族自治区/来宾市/金秀瑶族自治县"),
    ]


@pytest.mark.parametrize(
    "text,entity",
    [
        ("城乡低保标准提高到每月815元", "城乡低保标准"),
        ("办理满意率持续保持在99%以上。", "办理满意率"),
        ("企业每年按投资额的8%给村集体分红", "投资额"),
        ("建成棚改安置房1100套，筹集保障性租赁住房", "棚改安置房"),
        # a plan or a goal to reach links like 达到 (xwlb:20260524:01, govwork_city2024:呼和浩特)
        ("到2030年，西藏清洁能源电力装机计划达到6000万千瓦。", "西藏清洁能源电力装机"),
        ("推进白塔机场进境冰鲜水产品指定监管场地验收投用，综保区进出口总额争取达到100亿元。", "综保区进出口总额"),
        # a verb of reaching a level links the figure to what reached it (govwork_city2024:岳阳, govwork_province2026:辽宁省)
        ("粮食产量首次跃上1.4万亿斤新台阶", "粮食产量"),
        ("粮食产量跃上500亿斤台阶。", "粮食产量"),
        (
            "一般公共预算地方收入迈上200亿元台阶，新增岳阳县、临湘、新港区三个一般公共预算地方收入过10亿元县市区",
            "一般公共预算地方收入",
        ),
    ],
)
def test_facts_linking_phrases_and_adverbs(fx: FactExtractor, text: str, entity: str) -> None:
    assert [f.entity for f in fx.extract(text)][0] == entity


@pytest.mark.parametrize(
    "text,entities",
    [
        # a threshold between a count and its noun (govwork_city2024:乌鲁木齐), an age bound (govwork_city2024:十堰)
        (
            "牢牢把握扩大内需战略基点，聚焦特色优势产业、基础设施、民生等重点领域加强招商引资、提升投资效能，"
            "谋划实施279个亿元以上重大项目。",
            ["重大项目"],
        ),
        (
            "为1500名14周岁以内残疾儿童提供康复救助，为3000名残疾人提供基本辅助器具适配服务，为2200名精神残疾人提供门诊服药补贴。",
            ["残疾儿童", "残疾人", "精神残疾人"],
        ),
        # a term that opens with an action verb (转移支付), after the number and before the next (xwlb:20240508:10)
        (
            "财政部近日下达1582亿元转移支付资金，比去年增加23亿元，用于支持提高家庭经济困难学生生活补助标准，"
            "加大农村学校校舍维修改造补助力度，加快补齐短板弱项等，进一步推进义务教育优质均衡发展与城乡一体化。",
            ["转移支付资金", "转移支付资金"],
        ),
        # a grade and above opens the noun (xwlb:20230323:08)
        (
            "近日，住房城乡建设部发布，全国已有8155个传统村落列入国家级保护名录，53.9万栋历史建筑和传统民居得以保护，"
            "传承发展了4789项省级以上非物质文化遗产。",
            ["传统村落", "历史建筑和传统民居", "省级以上非物质文化遗产"],
        ),
        # 50亿元级以上 bounds the class of the projects counted (govwork_city2024:重庆)
        (
            "渝西水资源配置工程、乌江白马航电枢纽等项目加速推进，安意法半导体、长安汽车渝北新工厂等26个50亿元级以上产业项目落地建设",
            ["产业项目"],
        ),
        # 跨过 links like 达到; the growth rate after it measures the same total (govwork_province2026:陕西省)
        ("地区生产总值跨过3万亿元、年均增长5.2％。", ["地区生产总值", "地区生产总值"]),
    ],
)
def test_facts_a_bound_word_after_the_number_is_no_part_of_the_noun(
    fx: FactExtractor, text: str, entities: list[str]
) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


def test_facts_part_of_a_rate_counts_what_the_total_counts(fx: FactExtractor) -> None:
    facts = fx.extract("对接形成项目清单415项，推动完成400项，完成率达96.4%")
    assert facts[1].entity == "项目清单"


def test_facts_event_classifier_counts_an_action(fx: FactExtractor) -> None:
    facts = fx.extract("推动干部每周至少两次入户走访，深入“田间地头”")
    assert [(f.surface, f.qualifier, f.entity) for f in facts] == [("两次", "at_least", "入户走访")]


def test_facts_a_count_of_gigabit_compounds_counts_the_compounds(fx: FactExtractor) -> None:
    # a city work report of govwork_city2024: 千兆 is tagged a numeral, and the entity was the verb 建成
    text = "实施千兆宽带网络进区入户专项行动，建成12个千兆示范小区，千兆光网用户达11万户，高速宽带占比达32%。"
    assert [(f.surface, f.entity) for f in fx.extract(text)][0] == ("12个", "千兆示范小区")


@pytest.mark.parametrize(
    "text,entities",
    [
        # a predicate of completion or appearance after the counted noun (one word to jieba, or an adverb tagged
        # as a noun before it) is not part of the entity (news and work reports of the bundled corpus)
        ("2023年十二件民生实事全面完成，兑现了为民承诺。", ["民生实事"]),
        ("坚持人民至上，20件省市重点民生实事全面完成。", ["省市重点民生实事"]),
        ("来自天津、河北、山东等地的十余支舞龙队伍集体亮相，展现团结合力。", ["舞龙队伍"]),
        ("在地上，4000多栋楼宇拔地而起，500多公里数字道路四通八达。", ["楼宇", "数字道路"]),
        ("共有来自全国34个代表团的7824名运动员报名参赛，较上届增加3340名。", ["代表团", "运动员", "运动员"]),
        ("5项预期性指标、1项约束性指标未能如期完成。", ["预期性指标", "约束性指标"]),
        ("随着全国超9000个一刻钟便民生活圈全面铺开，全国多地还在探索", ["一刻钟便民生活圈"]),
        # a name that holds such a word keeps it
        ("接续开展6次集中开工活动", ["集中开工活动"]),
        ("总决赛在海南文昌开幕，近3000名参赛学生围绕航天创意设计、太空探测等9个项目展开角逐。", ["参赛学生", "项目"]),
    ],
)
def test_facts_a_predicate_after_the_noun_ends_the_entity(fx: FactExtractor, text: str, entities: list[str]) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # 完成 before a figure links it to what it measures, as 达 does (work reports of the bundled corpus)
        ("地区生产总值完成3802亿元、同比增长10％；", ["地区生产总值", "地区生产总值"]),
        ("一般公共预算收入累计完成3.7万亿元，5年增长18.7%。", ["一般公共预算收入", "一般公共预算收入"]),
        ("钢完成９６．４％，钢材完成９５％，原煤完成９９．８％。", ["钢", "钢材", "原煤"]),
        ("老旧小区改造完成309个", ["老旧小区改造"]),
        # an adverb left before it names nothing
        ("全面完成37个省级和市级田园乡村集成示范点建设，", [""]),
    ],
)
def test_facts_completed_links_a_figure_to_its_entity(fx: FactExtractor, text: str, entities: list[str]) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # an indicator per unit of output keeps its unit: 万元 (a numeral to jieba) and GDP (Latin) no longer end
        # the entity (a 2025 water report on 新闻联播 and work reports of the bundled corpus)
        (
            "报告显示，2025年全国万元国内生产总值用水量42.4立方米，万元工业增加值用水量22.9立方米。",
            ["万元国内生产总值用水量", "万元工业增加值用水量"],
        ),
        (
            "实施节能降碳增效11项专项行动，扣除可再生能源后，单位GDP能耗下降7.5%、居全省第2位。",
            ["专项行动", "单位GDP能耗"],
        ),
        ("规模以上万元工业增加值能耗同比下降4.3%", ["万元工业增加值能耗"]),
    ],
)
def test_facts_an_indicator_per_unit_of_output_keeps_the_unit(
    fx: FactExtractor, text: str, entities: list[str]
) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entities",
    [
        # a clause of verbs or adjectives with 的 between the number and the noun it counts (新闻联播 items of
        # the bundled corpus): the entity was empty or the clause itself
        ("地处上海中心城区的静安雕塑公园，13万株盛放的郁金香绚丽多姿，人们徜徉其中，十分惬意；", ["郁金香"]),
        ("大家接到的紧急任务，是前往江边安装700米长的防洪板。", ["防洪板"]),
        ("叙利亚政府军5日称，当天在大马士革击落两架来袭的无人机。", ["无人机"]),
        # a clause that holds a noun leaves that noun counted; so do people
        ("如今，当年的巡边小组已经发展成了由82名村民组成的护边队。", ["村民"]),
        ("去年8月，这里遭受严重洪灾，入冬前41户村民搬进重建的新居。", ["村民"]),
        ("今年汛期，她带领干部群众倾囊相助，让近千名受困的列车旅客妥善安置、平安转移。", [""]),
    ],
)
def test_facts_a_clause_with_de_before_the_counted_noun(fx: FactExtractor, text: str, entities: list[str]) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


@pytest.mark.parametrize(
    "text,entity",
    [
        # a list of levels before the noun (a city work report and a 新闻联播 item of the bundled corpus): the
        # entity was the verb before the count, or a place word before it
        ("充分发挥产业大脑作用，打造15个国家级、省级工业互联网示范标杆。", "国家级、省级工业互联网示范标杆"),
        ("与此同时，全国4845所二级、三级公立综合医院都能提供儿科服务", "二级、三级公立综合医院"),
    ],
)
def test_facts_a_list_of_levels_before_the_counted_noun(fx: FactExtractor, text: str, entity: str) -> None:
    assert [f.entity for f in fx.extract(text)][0] == entity


@pytest.mark.parametrize(
    "text,entities",
    [
        # a verb people do something with ends the counted noun (news and TV reports of the bundled corpus)
        (
            "按照“1+8+N”的标准配备网格力量，2052名社区工作者担任网格长、认领“责任田”，楼门长、片区民警、家庭医生等8类人员担任网格员",
            ["社区工作者", "人员"],
        ),
        (
            "经吴亚琴申请，长山花园社区党委一次性接收194名退休党员回归社区管理，构建形成了四级党组织网格体系。",
            ["退休党员"],
        ),
        ("钦南区有522.6公里海岸线，5000余名渔民从事海上养殖和渔业生产。", ["海岸线", "渔民"]),
        (
            "2021年以来，21万多名驻村第一书记扎根一线、履职尽责，巩固拓展脱贫攻坚成果、全面推进乡村振兴。",
            ["驻村第一书记"],
        ),
        (
            "今年，河北对6类适老产品进行补贴，还将支持1万户特殊困难老年人家庭进行免费居家适老化改造。",
            ["适老产品", "特殊困难老年人家庭"],
        ),
    ],
)
def test_facts_a_verb_people_do_something_with_ends_the_entity(
    fx: FactExtractor, text: str, entities: list[str]
) -> None:
    assert [f.entity for f in fx.extract(text)] == entities


def test_facts_a_unit_that_is_the_noun_is_the_entity(fx: FactExtractor) -> None:
    # 新闻联播 items of the bundled corpus: 部门 and 车道 count themselves (the entity was the lead department, a
    # verb after the count, or none); the entity is the unit, inside the fact's own surface
    facts = fx.extract("教育部等五部门近日印发《关于实施学生体质强健计划的意见》")
    assert [(f.surface, f.unit, f.entity) for f in facts] == [("五部门", "部门", "部门")]
    f = fx.extract("通车，桥长约6.6公里，为双向六车道。")[1]
    assert (f.surface, f.entity, f.entity_start, f.entity_end) == ("六车道", "车道", f.end - 2, f.end)


@pytest.mark.parametrize(
    "text,entity",
    [
        # 平均为 links like 为 (the State Council reports of the bundled corpus): 均 alone was stripped, leaving 平
        ("城镇新增就业1244万人，城镇调查失业率平均为5.2%。", "城镇调查失业率"),
        # 作为 starts the predicate after the counted noun (the seed page, 赛罕区's 红蜂驿站 article)
        ("设立“红蜂驿站”40余个，并依托现有的122个社区党群服务中心作为活动阵地，", "社区党群服务中心"),
    ],
)
def test_facts_average_and_as_are_no_part_of_the_entity(fx: FactExtractor, text: str, entity: str) -> None:
    assert [f.entity for f in fx.extract(text)][-1] == entity


def test_facts_a_start_point_per_head_measures_the_clause_before(fx: FactExtractor) -> None:
    # xwlb:20230831:06 (the income-tax deductions notice, held-out fact gold): the entity was the per-head noun
    text = "自2023年1月1日起，3岁以下婴幼儿照护专项附加扣除标准，由每个婴幼儿每月1000元提高到2000元；"
    assert [f.entity for f in fx.extract(text)] == ["婴幼儿照护专项附加扣除标准"] * 2
    text = "赡养老人专项附加扣除标准，由每月2000元提高到3000元"
    assert [f.entity for f in fx.extract(text)] == ["赡养老人专项附加扣除标准"] * 2


@pytest.mark.parametrize(
    "text,surface,entity",
    [
        # verbs before the counted noun that audit 7 found (work reports of the bundled corpus)
        ("点亮23条无灯街路，更新施划停车泊位6000个，开放共享停车场50处。", "6000个", "停车泊位"),
        ("累计关搬转改沿江化工企业35家，临湘22家提前两年退出；", "35家", "沿江化工企业"),
        ("在长8个省“十大技术攻关项目”成效显著，攻克关键核心技术52项。", "52项", "关键核心技术"),
        # an adverb jieba tags a noun ends the phrase after the number (xwlb:20221123:03)
        (
            "食堂里的工作人员都是社工或志愿者，每天还会有4名机关干部轮流值班，搀扶老人打饭、安排座位。",
            "4名",
            "机关干部",
        ),
        # an estimate links like 为 (govwork_national:1958); the magnitude of an earthquake measures the
        # earthquake, named in the unit (xwlb:20250804:03)
        (
            "根据上述劳动工资的安排和商品供应的可能性，一九五八年的社会购买力估算为四百九十四亿元左右。",
            "四百九十四亿元",
            "社会购买力",
        ),
        ("今年1月7日，西藏日喀则市定日县发生6.8级地震。", "6.8级地震", "地震"),
        # verbs before the counted noun that audit 8 found (govwork_province2026:广西壮族自治区, govwork_city2024:六盘水);
        # 站稳 links like 站上 (xwlb:20240626:03)
        ("推进自治区重大项目800个以上。", "800个", "自治区重大项目"),
        ("全市上下共同发力、主动出击，共获上级补助资金223.24亿元、增长11.41％", "223.24亿元", "上级补助资金"),
        ("粮食产量连续9年站稳1.3万亿斤台阶；", "1.3万亿斤", "粮食产量"),
        # 要 before a verb of change is like 将 (govwork_national:2019); 从去年的 is a start point like 从2023年的
        # (xwlb:20260917:07)
        ("强化水、土壤污染防治，今年化学需氧量、氨氮排放量要下降2%。", "2%", "化学需氧量、氨氮排放量"),
        (
            "目前，新型政策性金融工具已在云南、福建、四川等多地加快投放，今年的总投资规模从去年的5000亿元增加到8000亿元，"
            "据测算，预计将撬动项目总投资规模约10万亿元。",
            "5000亿元",
            "总投资规模",
        ),
        # 特别国债 opens with a word jieba tags an adverb (xwlb:20260906:07)
        (
            "央视网消息（新闻联播）：财政部将于近期发行3000亿元特别国债，支持中国工商银行、中国进出口银行、中国人保等8家中央金融企业"
            "补充核心一级资本，进一步充实其资本金。",
            "3000亿元",
            "特别国债",
        ),
        # a multiple of an earlier year's figure measures what the figure before it does (govwork_national:2012)
        (
            "中央财政安排资金1713亿元，是2010年的2.2倍，全年城镇保障性住房基本建成432万套，新开工建设1043万套。",
            "2.2倍",
            "资金",
        ),
        # 下达 (a budget verb, like 安排) ends the phrase before the money's purpose (xwlb news items)
        ("近日，财政部会同水利部下达水利救灾资金7.28亿元。", "7.28亿元", "水利救灾资金"),
        # a verb of setting up is no part of an institution's name (xwlb:20260303:01, govwork_city2024:宜宾; but
        # 矛盾调解中心 keeps its verb)
        (
            "截至2025年底，全国人大常委会法工委共设立60个基层立法联系点，带动省、市两级人大设立联系点7800多个；",
            "7800多个",
            "联系点",
        ),
        ("投资120亿元完善园区基础设施，新建成厂房26万平方米，全市园区规上工业总产值达3762亿元。", "26万平方米", "厂房"),
        # the base a figure is compared with measures the same thing, and so does the change from it
        # (govwork_national:1959)
        (
            "手工业总产值达到了一百三十三亿七千万元，比一九五二年的七十三亿一千万元增长百分之八十三；",
            "七十三亿一千万元",
            "手工业总产值",
        ),
        (
            "手工业总产值达到了一百三十三亿七千万元，比一九五二年的七十三亿一千万元增长百分之八十三；",
            "百分之八十三",
            "手工业总产值",
        ),
    ],
)
def test_facts_audit7_cases(fx: FactExtractor, text: str, surface: str, entity: str) -> None:
    assert [f.entity for f in fx.extract(text) if f.surface == surface] == [entity]


@pytest.mark.parametrize(
    "text,facts",
    [
        # an amount that bounds the class of what a count counts is no fact (audits 5 and 7: 亿元以上项目 would add
        # 100 million a project to a sum of money); the amounts of the same sentence stay (govwork_city2024:六安,
        # 宜昌)
        (
            "深度融入长三角一体化发展，开展长三角企业家联盟“投资六安行”等活动，引进沪苏浙亿元以上项目96个、总投资510.5亿元;",
            [("96个", "项目"), ("510.5亿元", "总投资")],
        ),
        ("深入实施龙头企业引领行动，力争新增营收过百亿元企业2家、过五十亿元2家。", [("2家", "企业"), ("2家", "企业")]),
        # but with 的 the amount measures what comes before it, as the news gold has it (govwork_city2024:甘孜)
        ("集体经济收入5万元以上的村达1200个。", [("5万元", "集体经济收入"), ("1200个", "村")]),
    ],
)
def test_facts_a_threshold_of_a_class_is_no_fact(fx: FactExtractor, text: str, facts: list[tuple[str, str]]) -> None:
    assert [(f.surface, f.entity) for f in fx.extract(text)] == facts
