"""Quantities: numbers, units, qualifiers, and what is not a quantity (tables from real text)."""

from __future__ import annotations

import pytest

from pipeline.extract import extract_quantities, parse_chinese_numeral


def _q(text: str) -> list[tuple[str, float, str, str]]:
    out = []
    for q in extract_quantities(text):
        assert text[q.start : q.end] == q.surface
        out.append((q.surface, round(q.value, 4), q.unit, q.qualifier))
    return out


# (text, expected [(surface, value, unit, qualifier)])
CASES = [
    # a bare magnitude counts after a qualifier (govwork_province2026:山东省, govwork_city2024:深圳); 标箱 is TEU
    # (govwork_city2024:蚌埠); 签约 is no 约 (govwork_city2024:鄂州)
    ("财政民生支出突破万亿元", [("万亿元", 1e12, "元", "over")]),
    ("固定资产投资近万亿元、增长11.0%", [("万亿元", 1e12, "元", "approx"), ("11.0%", 11.0, "%", "exact")]),
    ("外贸集装箱吞吐量3427标箱", [("3427标箱", 3427, "标准箱", "exact")]),
    ("签约亿元以上项目不少于330个", [("亿元", 1e8, "元", "over"), ("330个", 330, "个", "at_least")]),
    # a range whose lower end has its own unit (work reports and 新闻联播 items of the bundled corpus); 从…到… is a change
    # unless 不等 follows
    (
        "本次国债发行包括5个期限品种，发行利率从1.38%到2.35%不等。",
        [("5个", 5, "个", "exact"), ("1.38%到2.35%", 1.38, "%", "range")],
    ),
    # 国际条约 is no 约 either, though 一条约一百米 is about 100 m (新闻联播 items of the bundled corpus)
    ("五年来，我国缔结或者参加国际条约187 个。", [("187 个", 187, "个", "exact")]),
    (
        "兰沟洼蓄滞洪区是本轮强降雨中河北启用的七处蓄滞洪区之一，随着外围白沟河水位回落，当地水利部门开挖一条约一百米长的退水口，排洪入河。",
        [("七处", 7, "处", "exact"), ("一百米", 100, "米", "approx")],
    ),
    # 过, 破 and 达 before a bare magnitude (govwork_city2024: 来宾, 烟台); 补贴近 is 补贴 + 近 (桂林)
    ("工业园区工业总产值破百亿元", [("百亿元", 1e10, "元", "over")]),
    ("办理减税降费、退税缓费过百亿元", [("百亿元", 1e10, "元", "over")]),
    ("发放残疾人两项补贴近亿元", [("两项", 2, "项", "exact"), ("亿元", 1e8, "元", "approx")]),
    # a full-width slash in a rate unit (govwork_city2024:六盘水)
    (
        "城乡低保标准提高到762元／月、6120元／年",
        [("762元／月", 762, "元/月", "exact"), ("6120元／年", 6120, "元/年", "exact")],
    ),
    # Chinese decimals after 点 (govwork_national: the 1950s-80s reports print numbers in Chinese): 4.7, not 4
    ("重工业总产值一九八一年比一九八○年下降百分之四点七", [("百分之四点七", 4.7, "%", "exact")]),
    ("工农业总产值增长一点三倍", [("一点三倍", 1.3, "倍", "exact")]),
    ("平均每人占有棉量三百八十四点九八斤", [("三百八十四点九八斤", 384.98, "斤", "exact")]),
    # thousands separated by full-width commas (govwork_national:1980, 1956): 33,212 万吨, not 212 万吨 (or 0 元); a
    # comma that separates clauses stays one
    (
        "粮食产量33，212万吨，比上年增加2，737万吨",
        [("33，212万吨", 332120000, "吨", "exact"), ("2，737万吨", 27370000, "吨", "exact")],
    ),
    ("全年收入为３０，３５７，９７６，０００元", [("３０，３５７，９７６，０００元", 30357976000, "元", "exact")]),
    ("完成率达96.4%，100个项目落地", [("96.4%", 96.4, "%", "exact"), ("100个", 100, "个", "exact")]),
    # a numeral whose magnitude follows 多 belongs to its last section (govwork_national): 7亿 + 7000万, not 7亿7千 x 万
    ("能源的生产达到七亿七千多万吨", [("七亿七千多万吨", 770000000, "吨", "over")]),
    ("城镇住宅竣工面积达六亿三千多万平方米", [("六亿三千多万平方米", 630000000, "平方米", "over")]),
    # freight turnover is no weight (govwork_national:1987)
    ("铁路货运周转量达到１１６２０亿吨公里", [("１１６２０亿吨公里", 1.162e12, "吨公里", "exact")]),
    # 担, the weight of cotton and grain in the older State Council reports (govwork_national:1956)
    ("棉花的指标为三千五百万担", [("三千五百万担", 35000000, "担", "exact")]),
    # numbers
    ("各类微信群精简率达７５．９４％", [("７５．９４％", 75.94, "%", "exact")]),
    ("各类微信群精简率达75.94％，确保基层有人干事", [("75.94％", 75.94, "%", "exact")]),
    ("全市新增就业1,234人", [("1,234人", 1234, "人", "exact")]),
    ("引进正缘牧场和奶山羊项目两个重大项目", [("两个", 2, "个", "exact")]),
    ("组织十余名党员志愿者", [("十余名", 10, "名", "over")]),
    ("共有二十三个小区", [("二十三个", 23, "个", "exact")]),
    ("动员三千名群众", [("三千名", 3000, "名", "exact")]),
    ("惠及一百零五户", [("一百零五户", 105, "户", "exact")]),
    ("吸引上万名游客", [("万名", 10000, "名", "over")]),
    ("“小田并大田”流转土地1.23万亩", [("1.23万亩", 12300, "亩", "exact")]),
    ("收益3万余元", [("3万余元", 30000, "元", "over")]),
    ("已经承接8万多件订单", [("8万多件", 80000, "件", "over")]),
    (
        "分别为村集体增收 36.18万元和42.45万元",
        [("36.18万元", 361800, "元", "exact"), ("42.45万元", 424500, "元", "exact")],
    ),
    ("总投资5.6亿元", [("5.6亿元", 560000000, "元", "exact")]),
    ("党的建设考核指标精减近 7 成", [("7 成", 70, "%", "approx")]),
    ("城镇调查失业率下降0.2个百分点", [("0.2个百分点", 0.2, "百分点", "exact")]),
    ("产值增长1.5倍", [("1.5倍", 1.5, "倍", "exact")]),
    ("老年人占社区人口的三分之一", [("三分之一", 33.3333, "%", "exact")]),
    ("参保率达百分之九十五", [("百分之九十五", 95, "%", "exact")]),
    ("盘活东客站 58、47万平方米楼盘", [("47万平方米", 470000, "平方米", "exact")]),
    ("新增装机容量120万千瓦", [("120万千瓦", 1200000, "千瓦", "exact")]),
    ("通关时间由过去的3个多小时压缩到2小时左右", [("3个多小时", 3, "小时", "over"), ("2小时", 2, "小时", "approx")]),
    # 个多月 and 个半月: the unit is 个月 (xwlb:20260303:05 …, xwlb:20230409:03); 个半小时 is .5 of an hour
    ("春风行动开展两个多月来", [("两个多月", 2, "个月", "over")]),
    ("工作时间为2个半月左右", [("2个半月", 2.5, "个月", "approx")]),
    ("通行时间将由原来的2个半小时缩短到40分钟", [("2个半小时", 2.5, "小时", "exact"), ("40分钟", 40, "分钟", "exact")]),
    ("用时5个半天", [("5个", 5, "个", "exact")]),
    # 千 after a magnitude begins the unit (govwork_national:1959, xwlb:20260906:01)
    ("一九五八年我国只生产八十万千瓦", [("八十万千瓦", 800000, "千瓦", "exact")]),
    ("全社会用电量突破了万亿千瓦时大关", [("万亿千瓦时", 1e12, "千瓦时", "over")]),
    ("我国就能够制造每台容量二万五千千瓦的发电机", [("二万五千千瓦", 25000, "千瓦", "exact")]),
    # ranges: the lower end is the value (partybuilding_cms:3, partybuilding_cms:29, xwlb:20260122:02,
    # xwlb:20230616:10, govwork_national:1957:68, xwlb:20261003:06)
    ("以每个网格覆盖100—300户为标准", [("100—300户", 100, "户", "range")]),
    ("集体经济年收益在5万—50万元的村", [("5万—50万元", 50000, "元", "range")]),
    ("832个脱贫县都培育出了2到3个优势突出的主导产业", [("832个", 832, "个", "exact"), ("2到3个", 2, "个", "range")]),
    ("每周开行一至两个航次", [("一至两个", 1, "个", "range")]),
    ("有10—15%过着少吃少穿的生活", [("10—15%", 10, "%", "range")]),
    ("高速公路车流量为6200万—6400万辆次", [("6200万—6400万辆次", 62000000, "辆次", "range")]),
    ("单笔贷款5—10万元", [("5—10万元", 50000, "元", "range")]),
    ("三至五百人", [("三至五百人", 300, "人", "range")]),
    ("气温下降4～8℃", [("4～8℃", 4, "摄氏度", "range")]),
    ("决出第3—5名", []),
    # 内 after a span of time or a distance is within (xwlb:20221003:01, xwlb:20260113:11); 高达 is exact; 批次
    # keeps its 次; an event or a weight class is no measure (xwlb:20260920:11, xwlb:20260925:07)
    ("90%的家庭15分钟内能够到达最近的医疗点", [("90%", 90, "%", "exact"), ("15分钟", 15, "分钟", "at_most")]),
    ("就牵头审理涉案金额高达5亿元的案件", [("5亿元", 500000000, "元", "exact")]),
    ("两批次面向民间资本推介重点工程项目", [("两批次", 2, "批次", "exact")]),
    ("唐钱婷夺得女子50米蛙泳金牌；", []),
    ("举重赛场，杨柳月夺得女子61公斤级金牌。", []),
    ("建成10米长的防洪板", [("10米", 10, "米", "exact")]),
    # a number of digits is no count (govwork_city2024:扬州), 3位数学老师 is; 最高 right before a number is an upper
    # bound (xwlb:20250608:04), but not a superlative (govwork_province2026:河南省: 全球最高10米液压支架)
    ("其中制造业贷款连续39个月保持两位数增长", [("39个月", 39, "个月", "exact")]),
    ("新招聘3位数学老师", [("3位", 3, "位", "exact")]),
    ("对老人家庭给予最高30%的补贴", [("30%", 30, "%", "at_most")]),
    ("全球最高10米液压支架、全球最大直径竖井掘进机", [("10米", 10, "米", "exact")]),
    ("价格从3000—2000元不等", [("2000元", 2000, "元", "exact")]),
    # qualifiers
    ("约3000吨滴灌带", [("3000吨", 3000, "吨", "approx")]),
    ("近10个村积极盘活沉睡资产", [("10个", 10, "个", "approx")]),
    ("服务群众200人左右", [("200人", 200, "人", "approx")]),
    ("大约50户居民", [("50户", 50, "户", "approx")]),
    ("将近100名党员", [("100名", 100, "名", "approx")]),
    ("每天接待300人次上下", [("300人次", 300, "人次", "approx")]),
    ("精简社区工作事项超50%", [("50%", 50, "%", "over")]),
    ("参与人数超过2000人", [("2000人", 2000, "人", "over")]),
    ("满意率保持在99%以上", [("99%", 99, "%", "over")]),
    ("逾百名志愿者参加", [("百名", 100, "名", "over")]),
    ("年接待游客突破3亿人次", [("3亿人次", 300000000, "人次", "over")]),
    ("不足20人的小组", [("20人", 20, "人", "under")]),
    ("不到24小时就清除了", [("24小时", 24, "小时", "under")]),
    ("年收入5万元以下的家庭", [("5万元", 50000, "元", "under")]),
    ("推动干部每周至少两次入户走访", [("两次", 2, "次", "at_least")]),
    ("每个网格不少于5人", [("5人", 5, "人", "at_least")]),
    ("覆盖率不低于90%", [("90%", 90, "%", "at_least")]),
    ("至多3个工作日", [("3个工作日", 3, "个工作日", "at_most")]),
    ("最多跑一次", []),
    ("办理时间不超过15天", [("15天", 15, "天", "at_most")]),
    ("控制在5%以内", [("5%", 5, "%", "at_most")]),
    ("夜间施工噪音不能超过70分贝", [("70分贝", 70, "分贝", "at_most")]),
    # classifiers of 新闻联播 items of the held-out fact gold (xwlb_gov_c.jsonl): departments, lanes, fish, models
    ("退役军人事务部、中央网信办、公安部等10部门联合部署开展", [("10部门", 10, "部门", "exact")]),
    ("主体全长11.825公里，双向六车道", [("11.825公里", 11.825, "公里", "exact"), ("六车道", 6, "车道", "exact")]),
    ("20余万尾不同年龄梯队的中华鲟被放归长江", [("20余万尾", 200000, "尾", "over")]),
    ("相继发布了十余款量子光学光电产品", [("十余款", 10, "款", "over")]),
    # a qualifier before what the number is counted per (xwlb:20230831:06, the income-tax deductions notice)
    ("每人分摊的额度不能超过每月1500元", [("1500元", 1500, "元", "at_most")]),
    # 上下游 is a word, not "about" (xwlb:20250720:10); 上下 after a count still is
    ("参展商与4.2万家上下游企业建立合作联系", [("4.2万家", 42000, "家", "exact")]),
    ("每期培训100人上下", [("100人", 100, "人", "approx")]),
    # the 上 of 规模以上 closes the term: 规模以上万元 is no "over 10,000 yuan" (a city work report); 上万元 is
    ("规模以上万元工业增加值能耗同比下降4.3%", [("4.3%", 4.3, "%", "exact")]),
    ("每户年收入上万元", [("万元", 10000, "元", "over")]),
    # 过 before an amount or a share is "over" (govwork_city2024:天门, xwlb:20261007:02); after a verb it is the verb's
    # (xwlb:20230806:03: 经过38小时), and before a count it is an aspect: 办理过一次 is no count (xwlb:20230814:07)
    ("彤辉科技投产一个月实现进规，宝昂新材料投产当年产值过10亿元。", [("10亿元", 1e9, "元", "over")]),
    # a unit per time or per area is a rate with a unit of its own, not an amount of the unit (xwlb:20241227:09,
    # xwlb:20260912:10, govwork_city2024:黔西南): capacities must not add up with tonnages
    (
        "联络线全长68.6公里，列车设计速度为160公里/小时",
        [("68.6公里", 68.6, "公里", "exact"), ("160公里/小时", 160, "公里/小时", "exact")],
    ),
    (
        "今天12时，刘家峡水库的出库流量加大至1320立方米每秒，将持续7天。",
        [("1320立方米每秒", 1320, "立方米/秒", "exact"), ("7天", 7, "天", "exact")],
    ),
    (
        "项目化落实煤矿“六个一批”，建成煤矿4处以上，新增产能240万吨/年，完成原煤产量1600万吨。",
        [("4处", 4, "处", "over"), ("240万吨/年", 2.4e6, "吨/年", "exact"), ("1600万吨", 1.6e7, "吨", "exact")],
    ),
    ("农业农村部最新农情调度显示，全国秋粮收获已过四成。", [("四成", 40, "%", "over")]),
    ("房山经过38小时的不间断奋战", [("38小时", 38, "小时", "exact")]),
    # 营收过 ends with 收过 and 全省过半 with 省过: neither is a verb's aspect (govwork_city2024:德州)
    (
        "金能科技、通裕重工等11家企业入选省领军企业、省工业百强，营收过100亿元",
        [("11家", 11, "家", "exact"), ("100亿元", 1e10, "元", "over")],
    ),
    (
        "旅客持有效车票在办理过一次改签或超过改签时效后，仍可于乘车当日办理三次变更手续",
        [("三次", 3, "次", "exact")],
    ),
    # a duration is a fact; 近 before one is "about", and 以来 after it makes a time reference (below)
    ("用时近3小时完成", [("3小时", 3, "小时", "approx")]),
    ("提前3天完成", [("3天", 3, "天", "exact")]),
    ("全年召开三次会议", [("三次", 3, "次", "exact")]),
    # 近一周以来 is a time reference; 约2万人次 and 45% are facts (xwlb:20250225:08)
    (
        "近一周以来，瘦西湖日均接待量约2万人次，同比增幅45%。",
        [("2万人次", 20000, "人次", "approx"), ("45%", 45, "%", "exact")],
    ),
    # 未来三天 is a time reference; 20℃以上 is a fact (xwlb:20240311:11)
    ("预计未来三天，东北、华北、黄淮多地最高气温将攀升至20℃以上。", [("20℃", 20, "摄氏度", "over")]),
]

# texts in which no number is a quantity
NOT_QUANTITIES = [
    # a number inside a title 《…》 is part of it (xwlb:20230609:10: 九成 is no 90%)
    "节目通过展示唐代欧阳询的楷书代表作《九成宫醴泉铭》，唐代怀素的草书代表作《自叙帖》及汉代古文献《居延汉简》等经典作品",
    "2024年，“未访先办”化解纠纷",
    "于2024年3月成立了巾帼公益手工坊",
    "今天（10月23日）的新闻",
    "今年2月，杨富国出海捕鱼",
    "第一，坚持党建引领",
    "第3届进博会",
    "乘坐16号线到达",
    "拨打12345热线反映诉求",
    "按照“一格一员”配备专职网格员",
    "探索深化“两企三新”党建新模式",
    "开展“三必访三服务”工作",
    "聚焦“一老一小”群体",
    "十四五时期",
    "丽江“六个一”改革",
    "构建“1+3+N”服务体系",
    "为每个社区招募一名移动网格员",
    "成立一支星诚志愿服务队伍",
    "建立一个星诚志愿服务站",
    "数十个社区参与",
    "严格落实“四议两公开”民主管理制度",
    "激发辖区各村“一村一策”发展集体经济意愿",
    "推出“一年10件实事”活动",
    "依托“543”工作法",
    "3时12分，火箭发射",
    "串起为民服务千条线",
    "建设5G基站",
    "三级联动处置机制",
    # words that hold 零 (zero) are no numbers (govwork_city2024: 德阳, 荆州, 来宾; govwork_national)
    "航空发动机关键零件精密制造",
    "汽车零部件企业",
    "持续推进公共文化场馆零门槛免费开放。",
    # a bare magnitude with no qualifier is a descriptor (govwork_national:2023:4)
    "实施新一轮千亿斤粮食产能提升行动",
    # a landmark's name (govwork_city2024:宜宾, 雅安)
    "长江零公里地标广场等成为新的城市旅游打卡地",
    # named political formulas printed without quotes (govwork_province2026, govwork_national, xwlb): 394 facts of
    # "8 项 规定精神" and 54 more in the bundled run before they were excluded
    "锲而不舍落实中央八项规定精神，推进作风建设常态化长效化",
    "坚决做到两个维护，增强四个意识、坚定四个自信",
    "实现四个现代化",
    # time references told from now or from the start of the year (unseen 新闻联播 items of 2022-2026, where 10 of
    # 333 facts were such spans): 今年前两个月, 未来三天, 这两天, 近一周以来
    "人力资源社会保障部相关负责人表示，今年前两个月就业市场平稳有序，",
    "这两天，在甘肃积石山地震灾区",
    # the number of a session or of a reading of a draft law (xwlb:20250225:02, xwlb:20260420:04)
    "赵乐际委员长代表常委会向十四届全国人大三次会议报告工作",
    "审议通过了十四届全国人大四次会议重点督办建议选题",
    "本次会议对民营经济促进法草案进行了二次审议",
    # a plenary session needs no 届 to be one, and a list of them numbers sessions throughout (xwlb_gov_c.jsonl's
    # items and work reports of the bundled corpus: 17 facts)
    "学习宣传贯彻中央纪委三次全会精神",
    "认真抓好中央纪委五次、六次全会精神贯彻落实",
    "全面落实省委十二届二次、三次、四次全会和市委九届五次、六次、七次全会决策部署",
    # places whose names open with a numeral (xwlb:20251120:08, xwlb:20260919:01, govwork_city2024:绵阳,
    # xwlb:20260809:04): 七台 was "7 台", 三门 "3 门" (17 facts of the bundled run)
    "福建省厦门市、黑龙江省七台河市认真学习贯彻全会精神",
    "依靠“大国重器”小浪底、三门峡等水库群",
    "三台县成功创建国家现代农业园区",
    "台州三门县花桥镇舒岐村避灾安置点",
]


@pytest.mark.parametrize("text,expected", CASES)
def test_quantities_table(text: str, expected) -> None:
    assert _q(text) == expected


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_quantities_not_facts(text: str) -> None:
    assert _q(text) == []


@pytest.mark.parametrize(
    "numeral,value",
    [
        ("二十三", 23),
        ("一百零五", 105),
        ("三千", 3000),
        ("三千五", 3500),
        ("十", 10),
        ("十二", 12),
        ("两万三千", 23000),
        ("一千零一十", 1010),
        ("万", 10000),
        ("万亿", 10**12),  # a compound magnitude (财政民生支出突破万亿元)
        ("两万亿", 2 * 10**12),
        ("四点七", 4.7),
        ("零点九", 0.9),
        ("三百八十四点九八", 384.98),
    ],
)
def test_quantities_chinese_numerals(numeral: str, value: float) -> None:
    assert parse_chinese_numeral(numeral) == value


@pytest.mark.parametrize("numeral", ["十四五", "五六", "百百", "", "点五", "三点", "三点十"])
def test_quantities_malformed_chinese_numerals(numeral: str) -> None:
    assert parse_chinese_numeral(numeral) is None


def test_quantities_seed_sentence_all_counts() -> None:
    text = "截至目前，已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；对接形成项目清单415项，推动完成400项，完成率达96.4%"
    assert [(s, v, u) for s, v, u, _ in _q(text)] == [
        ("9个", 9, "个"),
        ("75个", 75, "个"),
        ("226个", 226, "个"),
        ("671个", 671, "个"),
        ("415项", 415, "项"),
        ("400项", 400, "项"),
        ("96.4%", 96.4, "%"),
    ]


def test_no_quantity_inside_the_one_before() -> None:
    """100万千瓦以上 is one quantity; its 千 (read as the unit's first character) is not a second one, 1000 瓦."""
    from pipeline.extract.quantities import extract_quantities

    qs = extract_quantities("加快能源结构调整优化，新增新能源装机100万千瓦以上。")
    assert [(q.surface, q.value, q.unit, q.qualifier) for q in qs] == [("100万千瓦", 1000000.0, "千瓦", "over")]


def test_range_upper_end_and_mark() -> None:
    """A range keeps its upper end in ``value_max`` and its mark as the qualifier word, inside the surface."""
    text = "确保每个村卫生室至少有2—3名医务人员，新建、提升精品民宿30家以上"
    qs = extract_quantities(text)
    assert [(q.surface, q.value, q.value_max, q.qualifier, q.qualifier_text) for q in qs] == [
        ("2—3名", 2.0, 3.0, "range", "—"),
        ("30家", 30.0, None, "over", "以上"),
    ]
    q = qs[0]
    assert text[q.qualifier_start : q.qualifier_end] == "—" and q.start < q.qualifier_start < q.end
    assert q.number == "2—3"


def test_a_range_whose_lower_end_has_its_own_unit() -> None:
    # a work report of the bundled corpus: the growth target 4.5%—5% had been two facts, 4.5% and 5%
    text = (
        "今年经济社会发展主要目标是：地区生产总值增长4.5%—5%，固定资产投资增长5%，社会消费品零售总额增长5%，"
        "进出口总额争取实现正增长，居民人均可支配收入与经济增长同步，居民消费价格总水平上涨幅度控制在2%左右，"
        "城镇新增就业人数45万人，城镇调查失业率控制在5.5%左右。"
    )
    qs = extract_quantities(text)
    assert [(q.surface, q.value, q.value_max, q.qualifier, q.qualifier_text) for q in qs[:2]] == [
        ("4.5%—5%", 4.5, 5.0, "range", "—"),
        ("5%", 5.0, None, "exact", None),
    ]
    assert all(text[q.start : q.end] == q.surface for q in qs)
