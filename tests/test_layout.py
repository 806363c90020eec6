"""Layout repair: wrapped lines, column breaks, vertical labels, subheadings, floating headlines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.clean import clean_record
from pipeline.layout import display_width, load_rules, looks_like_page, paragraph_blocks, repair_page
from pipeline.records import RawDocument
from pipeline.run import Pipeline
from pipeline.textmap import MappedText

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def pipe() -> Pipeline:
    return Pipeline()


def _repair(pipe: Pipeline, page: str):
    return repair_page(MappedText.identity(page), pipe.word_join, load_rules())


# (page excerpt from the seed page, expected body blocks as (kind, text))
PAGE_CASES = [
    (
        # a column break (blank line) inside a sentence, after a subheading
        "本报讯（记者 祁晓燕 通讯员 云静\n波）近年来，回民区以组织创新融合、共\n建共治共享。\n\n"
        "组织创新融合，提升党组织覆盖面\n回民区在推行网格化管理的过程\n\n中，在原“街道—社区”两级党组织的基\n"
        "础上，扩展为“街道—社区—网格—小\n区（楼栋）”4个层级，将党组织同步建在\n网格上。",
        [
            ("paragraph", "本报讯（记者 祁晓燕 通讯员 云静波）近年来，回民区以组织创新融合、共建共治共享。"),
            ("subheading", "组织创新融合，提升党组织覆盖面"),
            (
                "paragraph",
                "回民区在推行网格化管理的过程中，在原“街道—社区”两级党组织的基础上，扩展为“街道—社区—网格—"
                "小区（楼栋）”4个层级，将党组织同步建在网格上。",
            ),
        ],
    ),
    (
        # a line ending in a comma before a column break joins; a sentence end makes a paragraph
        "本报讯（记者 杨彩霞）设立“红\n蜂驿站”31个，为新就业群体提供暖心\n服务的同时，引导环卫工人、快递员等\n"
        "600余人当好基层治理流动的信息员，\n\n将新就业群体有效地团结在党组织周\n围。\n赛罕区紧盯新业态新就业群体的\n"
        "急难愁盼，统筹资源力量，提升辖区友\n好温度。",
        [
            (
                "paragraph",
                "本报讯（记者 杨彩霞）设立“红蜂驿站”31个，为新就业群体提供暖心服务的同时，引导环卫工人、快递员等"
                "600余人当好基层治理流动的信息员，将新就业群体有效地团结在党组织周围。",
            ),
            ("paragraph", "赛罕区紧盯新业态新就业群体的急难愁盼，统筹资源力量，提升辖区友好温度。"),
        ],
    ),
    (
        # a two-line subheading split by a column break, and a one-line subheading after it
        "本报讯（记者 高翠清 李海珍\n通讯员 张海玲）近年来，和林格尔\n县舍必崖乡坚持把党建引领作为答\n"
        "好基层治理卷的有力画笔，着力建\n强队伍、发展乡村产业、提升治理能\n力，乡村治理水平不断提升。\n\n"
        "立自治典范\n点燃群众参与引擎\n\n严格落实“四议两公开”民主管\n理制度，保障群众知情权，大幅提升\n"
        "群众参与自治的热情，确保政务透\n明化。\n强产业根基\n\n筑牢群众自治基石\n乡党委抓方向引领，注重发挥\n"
        "地域优势，坚持“一张蓝图绘到底”。",
        [
            (
                "paragraph",
                "本报讯（记者 高翠清 李海珍 通讯员 张海玲）近年来，和林格尔县舍必崖乡坚持把党建引领作为答好基层治理卷的"
                "有力画笔，着力建强队伍、发展乡村产业、提升治理能力，乡村治理水平不断提升。",
            ),
            ("subheading", "立自治典范 点燃群众参与引擎"),
            (
                "paragraph",
                "严格落实“四议两公开”民主管理制度，保障群众知情权，大幅提升群众参与自治的热情，确保政务透明化。",
            ),
            ("subheading", "强产业根基 筑牢群众自治基石"),
            ("paragraph", "乡党委抓方向引领，注重发挥地域优势，坚持“一张蓝图绘到底”。"),
        ],
    ),
]


@pytest.mark.parametrize("page,expected", PAGE_CASES)
def test_layout_page_cases(pipe: Pipeline, page: str, expected) -> None:
    layout = _repair(pipe, page)
    assert [(b.kind, b.mapped.text) for b in layout.blocks] == expected
    for b in layout.blocks:  # every block maps back into the page
        rs, re_ = b.mapped.raw_span(0, len(b.mapped.text))
        assert page[rs:re_].replace("\n", "").replace(" ", "") == b.mapped.text.replace(" ", "")


def test_layout_vertical_label_and_floating_titles(pipe: Pipeline) -> None:
    page = (
        " 党旗领航\n\n基\n层\n实\n践回民区：以组织力引领城市基层治理现代化\n\n金润社区\n\n“她”力量促进基层治理提质增效\n\n"
        "本报讯（记者 刘沙沙）如何留住人才，留住企业。\n\n舍必崖乡\n\n党建“执笔”绘乡村治理新画卷\n\n"
        "创新居务监督 让社区治理更阳光\n赛马场北路社区\n"
    )
    layout = _repair(pipe, page)
    assert [lb.text for lb in layout.labels] == ["党旗领航", "基层实践"]
    assert [(t.mapped.text, t.kicker.text if t.kicker else None) for t in layout.titles] == [
        ("回民区：以组织力引领城市基层治理现代化", None),
        ("“她”力量促进基层治理提质增效", "金润社区"),
        ("党建“执笔”绘乡村治理新画卷", "舍必崖乡"),
        ("创新居务监督 让社区治理更阳光", "赛马场北路社区"),
    ]
    label = layout.labels[1]
    rs, re_ = label.raw_span(0, 4)
    assert page[rs:re_] == "基\n层\n实\n践"
    assert [b.mapped.text for b in layout.blocks] == ["本报讯（记者 刘沙沙）如何留住人才，留住企业。"]


@pytest.mark.parametrize(
    "text,is_page",
    [
        ((CORPUS / "seed" / "000_db21671502ac2f81.txt").read_text(encoding="utf-8"), True),
        ("各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n" * 20, False),
        ("短\n", False),
    ],
)
def test_layout_detects_hard_wrapped_pages(text: str, is_page: bool) -> None:
    assert looks_like_page(text) is is_page


def _wrap(paragraphs: list[str], width: int, column: int) -> str:
    """Print paragraphs as a PDF page would come out: first lines indented by two characters, hard
    wraps when the printed width (CJK 1, Latin and digits 1/2) reaches ``width``, and a blank line at
    every column break."""
    lines: list[str] = []
    for p in paragraphs:
        room, cur = width - 2.0, ""
        for ch in p:
            w = display_width(ch)
            if room - w < 0:
                lines.append(cur)
                room, cur = float(width), ""
            cur += ch
            room -= w
        lines.append(cur)
    out = []
    for i, ln in enumerate(lines):
        if i and i % column == 0:
            out.append("")
        out.append(ln)
    return "\n".join(out)


def _real_paragraphs() -> list[list[str]]:
    docs = []
    with open(CORPUS / "news" / "partybuilding_cms.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            doc = RawDocument(rec["id"], "cms", 1, rec["text"], "record")
            docs.append([b.mapped.text for b in paragraph_blocks(clean_record(doc)) if b.kind == "paragraph"])
    return docs


@pytest.mark.parametrize("width,column", [(15, 23), (17, 31), (21, 40)])
def test_layout_rewrapped_real_articles_round_trip(pipe: Pipeline, width: int, column: int) -> None:
    """Real article paragraphs, hard-wrapped as on a newspaper page, come back exactly."""
    checked = 0
    for paragraphs in _real_paragraphs():
        # A space at a wrap point is lost on a printed page, so paragraphs with spaces are left out.
        paragraphs = [p for p in paragraphs if len(p) > width and " " not in p]
        if len(paragraphs) < 2:
            continue
        page = _wrap(paragraphs, width, column)
        layout = _repair(pipe, page)
        assert [b.mapped.text for b in layout.blocks] == paragraphs
        checked += 1
    assert checked >= 10
