"""Word segmentation and sentence splitting: tables from real text, both engines against each other on
the whole bundled corpus and on random text, and properties of tokens and sentences."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

import jieba
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.records import Token
from pipeline.run import iter_articles
from pipeline.segment import ENGINES, Segmenter, load_userdict, split_sentences

CORPUS = [Path(__file__).parents[1] / "corpus" / d for d in ("seed", "news", "reports")]
_TAG = re.compile(r"<[^>]*>")

USER_WORDS = [w.word for w in load_userdict()]


@pytest.fixture(scope="module")
def segmenters() -> dict[str, Segmenter]:
    return {engine: Segmenter(engine) for engine in ENGINES}


@pytest.fixture(scope="module", params=ENGINES)
def seg(request: pytest.FixtureRequest, segmenters: dict[str, Segmenter]) -> Segmenter:
    return segmenters[request.param]


@lru_cache(maxsize=1)  # read by three tests
def corpus_documents() -> tuple[tuple[str, str], ...]:
    """Every article of the bundled corpus as (article_id, text), exactly as the pipeline makes it
    (cleaned, layout repaired, split): the text every later stage segments."""
    return tuple((a.article_id, a.text) for a in iter_articles(CORPUS))


def differing_windows(text: str, a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[str]:
    """The stretches of text where two tokenizations disagree, each shown as 'a-tokens  vs  b-tokens'."""
    diff = sorted(set(a) ^ set(b))
    windows: list[list[int]] = []
    for s, e in diff:
        if windows and s < windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], e)
        else:
            windows.append([s, e])

    def show(spans: list[tuple[int, int]], lo: int, hi: int) -> str:
        return "|".join(text[s:e] for s, e in spans if lo <= s and e <= hi)

    return [f"[{lo}:{hi}] {show(a, lo, hi)!r}  vs  {show(b, lo, hi)!r}" for lo, hi in windows]


# -- tokens: tables ---------------------------------------------------------------------------------------

# Sentences of corpus/seed/000_db21671502ac2f81.txt (lines joined where the page wrapped them), and
# contexts that decided a user-dictionary frequency. Same tokens from both engines.
TOKEN_CASES = [
    (
        "按照“一格一员”配备专职网格员、选派楼栋长（单元长）2399人",
        "按照|“|一格一员|”|配备|专职|网格员|、|选派|楼栋长|（|单元长|）|2399|人",
    ),
    (
        "设立“红蜂驿站”31个，为新就业群体提供暖心服务的同时，引导环卫工人、快递员等600余人当好基层治理流动的信息员",
        "设立|“|红蜂驿站|”|31|个|，|为|新就业群体|提供|暖心|服务|的|同时|，|引导|环卫工人|、|快递员|等|600|余人|当好|基层治理|流动|的|信息员",
    ),
    ("组建63支622人的“青城义警”队伍", "组建|63|支|622|人|的|“|青城义警|”|队伍"),
    (
        "持续完善街道“大工委”、社区“大党委”、网格党支部组织框架",
        "持续|完善|街道|“|大工委|”|、|社区|“|大党委|”|、|网格党支部|组织|框架",
    ),
    (
        "已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个",
        "已|建立|街道|“|大工委|”|9|个|、|社区|“|大党委|”|75|个|、|网格党支部| |226|个|、|党小组|671|个",
    ),
    ("探索深化“两企三新”党建新模式", "探索|深化|“|两企三新|”|党建|新|模式"),
    ("坚持和发展新时代“枫桥经验”", "坚持|和|发展|新时代|“|枫桥经验|”"),
    ("坚持“为车减负”和“为马赋能”双向发力", "坚持|“|为车减负|”|和|“|为马赋能|”|双向|发力"),
    ("着力破解“小马拉大车”难题", "着力|破解|“|小马拉大车|”|难题"),
    (
        "推动完成400项，完成率达96.4%，有效推动解决基层治理实际问题",
        "推动|完成|400|项|，|完成率|达|96.4%|，|有效|推动|解决|基层治理|实际|问题",
    ),
    ("各类微信群精简率达75.94％", "各类|微信群|精简|率达|75.94|％"),
    ("党的建设考核指标精减近 7 成", "党的建设|考核|指标|精减|近| |7| |成"),
    ("社区居务监督委员会在履行对", "社区|居务监督委员会|在|履行|对"),
    ("提升12345热线赋能基层治理水平", "提升|12345热线|赋能|基层治理|水平"),
    # Frequencies chosen by context (see the header of pipeline/data/userdict.txt).
    ("微网格员24小时响应", "微|网格员|24|小时|响应"),
    ("微生物制剂开发等创新业态", "微生物|制剂|开发|等|创新|业态"),
    ("培育新业态", "培育|新业态"),
    ("单元长度", "单元|长度"),
    ("基本养老服务清单制度", "基本|养老|服务|清单|制度"),
    ("扩大党委", "扩大|党委"),
    ("新增老年助餐点83家", "新增|老年|助餐点|83|家"),
    # Nothing: the empty text has no tokens.
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), TOKEN_CASES)
def test_segment_tokens_table(seg: Segmenter, text: str, expected: str) -> None:
    assert "|".join(seg.cut(text)) == expected
    assert [t.text for t in seg.tokenize(text)] == seg.cut(text)


# Rule 1 (ASCII runs) and rule 2 (rare ideographs) of pipeline.segment, the same from both engines.
ASCII_CASES = [
    ("36.18万元", "36.18|万元"),
    ("1.23", "1.23"),
    ("75.94％", "75.94|％"),
    ("75.94%", "75.94%"),
    ("１２３", "１|２|３"),
    ("12345", "12345"),
    ("PM2.5浓度", "PM2.5|浓度"),
    ("PM_2.5", "PM|_|2.5"),
    ("2024-2025年", "2024|-|2025|年"),
    ("增长4.5-5%", "增长|4.5|-|5%"),
    ("COVID-19", "COVID|-|19"),
    ("1+3+N", "1|+|3|+|N"),
    ("装机40.5GWh", "装机|40.5|GWh"),
    ("tv.cctv.com", "tv|.|cctv|.|com"),
    ("1.5.6万", "1.5|.|6|万"),
    ("2026-02-09", "2026|-|02|-|09"),
    ("a--b", "a|--|b"),
    ("C++和AT&T", "C++|和|AT&T"),
    ("㐀㐁中国", "㐀|㐁|中国"),
    ("鿫鿬人", "鿫|鿬|人"),
    ("崎﨑", "崎|﨑"),
    ("a\r\nb", "a|\r\n|b"),
]


@pytest.mark.parametrize(("text", "expected"), ASCII_CASES)
def test_segment_ascii_runs_and_rare_ideographs(seg: Segmenter, text: str, expected: str) -> None:
    assert "|".join(seg.cut(text)) == expected


def test_segment_every_user_word_alone_is_one_token(seg: Segmenter) -> None:
    assert 100 <= len(USER_WORDS) <= 200
    split = [w for w in USER_WORDS if seg.cut(w) != [w]]
    assert split == []


# -- tokens: both engines on the whole corpus ------------------------------------------------------------


@pytest.mark.slow
def test_segment_engines_agree_on_bundled_corpus(segmenters: dict[str, Segmenter]) -> None:
    docs = corpus_documents()
    assert len(docs) == 2051  # 2045 records and the six articles of the seed page
    fast, ref = segmenters["rjieba"], segmenters["jieba"]
    problems = []
    for name, text in docs:
        a, b = fast.spans(text), ref.spans(text)
        if a != b:
            problems += [f"{name} {w}" for w in differing_windows(text, a, b)]
    assert not problems, f"{len(problems)} windows differ (rjieba vs jieba), first ones:\n" + "\n".join(problems[:10])


@pytest.mark.slow
def test_segment_cut_takes_rjiebas_words_as_they_are_where_no_rule_applies(segmenters: dict[str, Segmenter]) -> None:
    # Segmenter.cut returns rjieba's own words for a text no rule of pipeline.segment can touch; on every
    # sentence of the corpus they are the words of the adjusted spans (which equal Python jieba's, above)
    from pipeline.segment import _NEEDS_RULES

    seg = segmenters["rjieba"]
    sentences = [text[a:b] for _, text in corpus_documents() for a, b, _ in split_sentences(text)]
    plain = [s for s in sentences if not _NEEDS_RULES.search(s)]
    assert len(sentences) == 125143 and len(plain) == 113862
    assert [seg.cut(s) for s in sentences] == [[s[a:b] for a, b in seg.spans(s)] for s in sentences]
    # the rules still apply where they must: an unknown ASCII run split as jieba's HMM step does, a rare
    # ideograph on its own
    assert seg.cut("COVID-19疫情") == ["COVID", "-", "19", "疫情"]  # rjieba alone: COVID-19|疫情
    assert seg.cut("㐀㐁社区") == ["㐀", "㐁", "社区"]  # rjieba alone: 㐀㐁|社区


@pytest.mark.slow
def test_an_articles_tags_are_its_sentences_and_the_text_between_tagged_one_by_one() -> None:
    # the pipeline tags each sentence with its words (one rjieba pass) and hands the article's tags to the
    # entity stage, which used to tag the whole article again: the same (word, flag) pairs on every article
    from pipeline.run import Pipeline

    pipe = Pipeline(stages=[])
    articles = list(iter_articles(CORPUS, pipe))
    assert len(articles) == 2051
    for art in articles:
        sentences, tagged = pipe._sentences(art, tag=True)
        assert tagged == pipe.segmenter.tag(art.text), art.article_id
        assert [s.tokens for s in sentences] == [s.tokens for s in pipe.sentences(art)]


# -- tokens: properties -----------------------------------------------------------------------------------

_PIECES = [
    *"中国网格员单元长楼栋社区人民的了一二三百万元年月日党建服务",
    *"aZ09xyPMG.-_%+#&$@/:=",
    *"，。、：；！？“”‘’（）《》……—·",
    *" \n\r\t\u3000\xa0",
    *"㐀鿫﨑\U00020000😀１Ａ",
    "12345",
    "PM2.5",
    "3.5",
    "COVID-19",
    "2024-2025",
    "C++",
    "AT&T",
    "B超",
    "卡拉OK",
]
texts = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.sampled_from(USER_WORDS), st.text(max_size=3)), max_size=40
).map("".join)


@given(text=texts)
@settings(max_examples=300, deadline=None)
def test_segment_tokens_cover_text_exactly(seg: Segmenter, text: str) -> None:
    tokens = seg.tokenize(text)
    assert "".join(t.text for t in tokens) == text
    pos = 0
    for t in tokens:
        assert isinstance(t, Token)
        assert t.start == pos < t.end
        assert text[t.start : t.end] == t.text
        pos = t.end
    assert pos == len(text)


@given(text=texts)
@settings(max_examples=300, deadline=None)
def test_segment_cut_and_tag_is_cut_and_tag(seg: Segmenter, text: str) -> None:
    words, tagged = seg.cut_and_tag(text)
    assert words == seg.cut(text)
    assert tagged == seg.tag(text)


# The HMM breaks exact ties between paths when a character repeats three times (偼省省省箑: jieba-rs
# gives 省|省省, Python jieba 省省|省; see pipeline.segment), so such texts are left out. derandomize
# keeps CI deterministic should the search ever meet another upstream tie.
@given(text=texts)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_segment_engines_agree_on_random_text(segmenters: dict[str, Segmenter], text: str) -> None:
    assume(not re.search(r"(.)\1\1", text, re.S))
    assert segmenters["rjieba"].cut(text) == segmenters["jieba"].cut(text)


def test_segment_engines_known_difference_is_an_hmm_tie(segmenters: dict[str, Segmenter]) -> None:
    # The one difference pipeline.segment documents. Should this fail, the engines agree now: drop the
    # exclusion in test_segment_engines_agree_on_random_text.
    assert segmenters["rjieba"].cut("偼省省省箑") == ["偼", "省", "省省", "箑"]
    assert segmenters["jieba"].cut("偼省省省箑") == ["偼", "省省", "省", "箑"]


# -- jieba's global state ---------------------------------------------------------------------------------


def test_segment_leaves_global_jieba_untouched() -> None:
    jieba.dt.initialize()  # what a host program would have done; loads jieba.dt's own dictionary
    freq, total, tags = dict(jieba.dt.FREQ), jieba.dt.total, dict(jieba.dt.user_word_tag_tab)
    force_split = set(jieba.finalseg.Force_Split_Words)
    jieba_logger = logging.getLogger("jieba")
    level, handlers = jieba_logger.level, list(jieba_logger.handlers)
    root_level = logging.getLogger().level

    seg = Segmenter("jieba")

    assert seg.cut("选派单元长") == ["选派", "单元长"]
    assert "单元长" not in jieba.dt.FREQ
    assert jieba.lcut("选派单元长") == ["选派", "单元", "长"]
    assert jieba.dt.FREQ == freq and jieba.dt.total == total and jieba.dt.user_word_tag_tab == tags
    assert set(jieba.finalseg.Force_Split_Words) == force_split
    assert jieba_logger.level == level and jieba_logger.handlers == handlers
    assert logging.getLogger().level == root_level


def test_segment_jieba_engine_loads_quietly(caplog: pytest.LogCaptureFixture) -> None:
    # jieba's handler writes to the sys.stderr of import time, out of capfd's reach; its records
    # propagate to caplog's handler instead.
    caplog.set_level(logging.DEBUG, logger="jieba")
    Segmenter("jieba")
    assert [r.getMessage() for r in caplog.records if r.name == "jieba"] == []  # no "Building prefix dict"
    assert logging.getLogger("jieba").level == logging.DEBUG  # restored after loading
    caplog.set_level(logging.ERROR, logger="jieba")
    Segmenter("jieba")
    assert logging.getLogger("jieba").level == logging.ERROR


# -- user dictionary --------------------------------------------------------------------------------------


def test_segment_userdict_entries_are_well_formed() -> None:
    entries = load_userdict()
    assert len({e.word for e in entries}) == len(entries)
    assert all(e.freq >= 1 for e in entries)
    by_word = {e.word: e for e in entries}
    assert by_word["网格员"].freq == 1000 and by_word["网格员"].tag == "n"
    assert by_word["红蜂驿站"].tag == "nt"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("网格员", "expected 'word freq"),
        ("网格员 300 n extra", "expected 'word freq"),
        ("网格员 0 n", "positive integer"),
        ("网格员 -3", "positive integer"),
        ("网格员 ３００", "positive integer"),
        ("网格员 many", "positive integer"),
        ("㐀网格 300", "jieba cannot match"),
        ("网格员（专职） 300", "jieba cannot match"),
        ("网格员 300\n网格员 200", "listed twice"),
    ],
)
def test_segment_userdict_rejects_bad_lines(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "userdict.txt"
    path.write_text(f"# a header\n\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_userdict(path)


def test_segment_custom_userdict_replaces_bundled_one(tmp_path: Path) -> None:
    path = tmp_path / "userdict.txt"
    path.write_text("\ufeff# only one word\n选派楼 500 n\n", encoding="utf-8")
    for engine in ENGINES:
        seg = Segmenter(engine, userdict=path)
        assert [w.word for w in seg.user_words] == ["选派楼"]
        assert seg.cut("单元长") == ["单元", "长"]
        assert seg.cut("选派楼") == ["选派楼"]


def test_segment_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown segmentation engine"):
        Segmenter("thulac")  # type: ignore[arg-type]


# -- sentences --------------------------------------------------------------------------------------------

# (text, sentences joined by " ‖ ", paragraph index of each)
SENTENCE_CASES = [
    ("", "", []),
    ("   \n \u3000\n", "", []),
    ("没有标点的一段文字", "没有标点的一段文字", [0]),
    ("第一句。第二句！第三句？", "第一句。 ‖ 第二句！ ‖ 第三句？", [0, 0, 0]),
    # Closing quotes stay with the sentence, also after an ellipsis.
    ("他说：“我们一定办好。”随后离开。", "他说：“我们一定办好。” ‖ 随后离开。", [0, 0]),
    ("等等……。”他说", "等等……。” ‖ 他说", [0, 0]),
    ("“路通了！”", "“路通了！”", [0]),
    ("（详见第3版。）下文", "（详见第3版。） ‖ 下文", [0, 0]),
    # An open quote does not hold a sentence together.
    (
        "“爬了十几年楼，实在太方便了。没想到老小区也能这么舒心！”王小津说。",
        "“爬了十几年楼，实在太方便了。 ‖ 没想到老小区也能这么舒心！” ‖ 王小津说。",
        [0, 0, 0],
    ),
    # A closed title does; an unclosed one does not.
    ("观看了《我们走在大路上！》纪录片。好！", "观看了《我们走在大路上！》纪录片。 ‖ 好！", [0, 0]),
    ("《未闭合的标题！继续。", "《未闭合的标题！ ‖ 继续。", [0, 0]),
    # The full-width semicolon ends a sentence; runs of terminators stay together.
    ("一是强化党建；二是完善网格。", "一是强化党建； ‖ 二是完善网格。", [0, 0]),
    ("真的吗？！是的!! 好?", "真的吗？！ ‖ 是的!! ‖ 好?", [0, 0, 0]),
    # A newline ends a sentence; blank lines do not count as paragraphs; whitespace is trimmed.
    (
        "  回民区推行网格化管理\n  选派楼栋长2399人。 \n\n\u3000\u3000三是……  ",
        "回民区推行网格化管理 ‖ 选派楼栋长2399人。 ‖ 三是……",
        [0, 1, 2],
    ),
    # The ASCII full stop and semicolon never end a sentence.
    ("完成率达96.4%. 见tv.cctv.com;&nbsp;下同", "完成率达96.4%. 见tv.cctv.com;&nbsp;下同", [0]),
    ("。。。", "。。。", [0]),
]


@pytest.mark.parametrize(("text", "expected", "paragraphs"), SENTENCE_CASES)
def test_segment_split_sentences_table(text: str, expected: str, paragraphs: list[int]) -> None:
    got = split_sentences(text)
    assert " ‖ ".join(text[s:e] for s, e, _ in got) == expected
    assert [p for _, _, p in got] == paragraphs


def test_segment_split_sentences_seed_paragraph() -> None:
    text = (
        "为了更好地打破条块壁垒，深入推进街道社区与驻区单位党建联建。截至目前，已建立街道“大工委”9个、"
        "社区“大党委”75个、网格党支部 226个、党小组671个；对接形成项目清单415项，推动完成400项，完成率达96.4%，"
        "有效推动解决基层治理实际问题。\n减负松绑办实事，提升群众满意度"
    )
    assert [(text[s:e], p) for s, e, p in split_sentences(text)] == [
        ("为了更好地打破条块壁垒，深入推进街道社区与驻区单位党建联建。", 0),
        ("截至目前，已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；", 0),
        ("对接形成项目清单415项，推动完成400项，完成率达96.4%，有效推动解决基层治理实际问题。", 0),
        ("减负松绑办实事，提升群众满意度", 1),
    ]


@pytest.mark.parametrize(
    "text",
    ["。" * 1_000_000, "中" * 1_000_000, "《" * 500_000 + "。" * 500_000, "“。”" * 300_000, "\n" * 1_000_000],
    ids=["terminators", "no-punctuation", "unclosed-titles", "quoted", "newlines"],
)
def test_segment_split_sentences_is_linear_on_a_megabyte(text: str) -> None:
    began = time.perf_counter()
    got = split_sentences(text)
    assert time.perf_counter() - began < 5  # about 0.15 s for the slowest; quadratic would take hours
    assert all(s < e for s, e, _ in got)


_SENTENCE_PIECES = [
    *"中国网格员社区人民的了一二三百万元年",
    *"abc09.;",
    *"。！？!?；”’」』）)]…“‘「『（(《》",
    *" \n\t\u3000\r",
]
sentence_texts = st.lists(st.one_of(st.sampled_from(_SENTENCE_PIECES), st.text(max_size=2)), max_size=60).map("".join)


@given(text=sentence_texts)
@settings(max_examples=500, deadline=None)
def test_segment_split_sentences_properties(text: str) -> None:
    got = split_sentences(text)
    nonblank = [i for i, line in enumerate(text.split("\n")) if line.strip()]
    covered = set()
    prev_end = 0
    for k, (s, e, p) in enumerate(got):
        sentence = text[s:e]
        assert prev_end <= s < e <= len(text)
        assert sentence == sentence.strip() and "\n" not in sentence
        assert nonblank[p] == text.count("\n", 0, s)  # its paragraph, counted over non-blank lines
        if k + 1 < len(got) and got[k + 1][2] == p:  # cut inside a paragraph only after an end mark
            assert sentence[-1] in "。！？!?；”’」』）)]…"
        covered.update(range(s, e))
        prev_end = e
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_rjieba_segmenter_loads_without_the_package_default_and_leaves_rjieba_usable() -> None:
    """The rjieba engine loads the compiled module alone: importing the ``rjieba`` package would also build its
    default tokenizer (about 0.17 s of every start). A later ``import rjieba`` still works, with the global
    tokenizer untouched by the user dictionary. In a fresh process, because other tests import rjieba."""
    code = (
        "import sys\n"
        "from pipeline.segment import Segmenter\n"
        "seg = Segmenter()\n"
        "print(seg.cut('选派楼栋长（单元长）2399人'))\n"
        "print('rjieba' in sys.modules, 'rjieba.rjieba' in sys.modules)\n"
        "import rjieba\n"
        "print(rjieba.cut('选派单元长'), rjieba.Jieba is type(seg._impl))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert out == [
        "['选派', '楼栋长', '（', '单元长', '）', '2399', '人']",
        "False True",
        "['选派', '单元', '长'] True",
    ]
