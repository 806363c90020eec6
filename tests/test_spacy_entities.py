"""The entity component gives what the library gives: same mentions, as doc.ents on the same characters."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from spacy import displacy  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, DocBin, Span  # noqa: E402
from spacy.tokens.underscore import Underscore  # noqa: E402

from pipeline.extract import extract_facts  # noqa: E402
from pipeline.extract import spacy_component as sc  # noqa: E402
from pipeline.extract.entities import EntityRecognizer, Mention, load_entity_words  # noqa: E402
from pipeline.run import iter_articles  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed" / "000_db21671502ac2f81.txt"
NAME = sc.ENTITIES_FACTORY_NAME

# Sentences of the seed page (回民区, 舍必崖乡, 赛马场北路社区 ...), lines joined as the layout stage joins them.
BYLINE = "本报讯（记者 祁晓燕 通讯员 云静波）近年来，回民区以组织创新融合、共建共治共享、办实事解民忧作为基层治理工作的核心要素，将党建工作深度融入城市基层治理，旨在以组织力引领城市基层治理现代化。"
PROSECUTOR = "联合和林格尔县检察院建立舍必崖乡检察工作室，健全完善乡党委班子成员全面联系网格制度，推动干部每周至少两次入户走访，深入“田间地头”“村民炕头”，进入村民微信群，主动发现隐患。"
STATIONS = "立足城区商业发展情况，推行“商圈党建联盟”模式，设立“红蜂驿站”31个，为新就业群体提供暖心服务的同时，引导环卫工人、快递员等600余人当好基层治理流动的信息员。"
FENGQIAO = "同时，坚持和发展新时代“枫桥经验”，在中山西路商圈领域广泛吸纳商户、保安等社会力量参与基层治理，组建63支622人的“青城义警”队伍，积极探索“民警+辅警+义警”的三警一体社会治安防控体系。"
ASSOCIATION = "同时，引入内蒙古芸公益协会等96家社会组织，面向困难群体，开展义诊、捐资助学等志愿服务活动，累计开展各类志愿服务、公益活动700余场次。"
CHAIN = "本报讯（记者 祁晓燕 通讯员 费娟 李富强）为推动全面从严治党向基层延伸，回民区海西路街道赛马场北路社区居务监督委员会围绕社区重大事项决策、惠民政策落实等事务，充分发挥居务监督委员会的职责进行监督。"
NEW_TOWN = "2024 年，新城区万通路街道通过强化队伍、完善机制、落实政策，探索深化“两企三新”党建新模式，以高质量党建引领企业高质量发展。"
JINRUN = "本报讯（实习记者 赵宇昕）2024年以来，土默特左旗金海区域服务中心金润社区积极推动党建与妇联工作深度融合。"
RULER_TEXT = "据央视网报道，呼和浩特坚持和发展新时代“枫桥经验”，内蒙古自治区各地推广。"

SENTENCES = [BYLINE, PROSECUTOR, STATIONS, FENGQIAO, ASSOCIATION, CHAIN, NEW_TOWN, JINRUN, RULER_TEXT]
IDS = ["byline", "prosecutor", "stations", "fengqiao", "association", "chain", "new-town", "jinrun", "ruler"]

# (sentence, entities it must have as (text, label)); the equality tests compare everything else with the
# library, so this table pins only mentions that are plainly right.
EXPECTED = [
    (BYLINE, [("回民区", "PLACE")]),
    (PROSECUTOR, [("和林格尔县检察院", "ORG")]),
    (STATIONS, [("商圈党建联盟", "PROGRAMME"), ("红蜂驿站", "PROGRAMME")]),
    (FENGQIAO, [("枫桥经验", "PROGRAMME"), ("中山西路", "PLACE"), ("青城义警", "PROGRAMME")]),
    (ASSOCIATION, [("内蒙古芸公益协会", "ORG")]),
    (CHAIN, [("回民区", "PLACE"), ("海西路街道", "PLACE"), ("赛马场北路社区", "PLACE")]),
    (RULER_TEXT, [("央视网", "ORG"), ("呼和浩特", "PLACE"), ("枫桥经验", "PROGRAMME")]),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    # One pipeline for the module: both govmine components, entities first (as in the pipeline's driver).
    nlp = spacy.blank("zh")
    nlp.add_pipe(NAME)
    nlp.add_pipe("govmine_quantities")
    return nlp


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer()


def _component(nlp: Language) -> sc.EntityComponent:
    component = nlp.get_pipe(NAME)
    assert isinstance(component, sc.EntityComponent)
    return component


def _ent_rows(doc: Doc) -> list[tuple[str, str, int, int]]:
    return [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]


def _mention_rows(mentions: list[Mention]) -> list[tuple[str, str, int, int]]:
    return [(m.text, m.label, m.start, m.end) for m in mentions]


def _ext_rows(doc: Doc) -> list[tuple[str | None, str | None, str | None]]:
    return [(e._.normalized, e._.rule, e._.subtype) for e in doc.ents]


@pytest.mark.parametrize("text", SENTENCES, ids=IDS)
def test_spacy_entities_same_as_library(nlp: Language, recognizer: EntityRecognizer, text: str) -> None:
    doc = nlp(text)
    mentions = recognizer.extract(text)
    assert doc._.govmine_mentions == mentions
    # the character tokenizer of spacy.blank("zh") aligns every mention: doc.ents is the library's output
    assert _ent_rows(doc) == _mention_rows(mentions)
    assert [e._.govmine_mention for e in doc.ents] == mentions
    assert _ext_rows(doc) == [(m.normalized, m.rule, m.subtype) for m in mentions]
    assert [(e._.govmine_normalized, e._.govmine_rule, e._.govmine_subtype) for e in doc.ents] == _ext_rows(doc)
    assert [e.id_ for e in doc.ents] == [m.normalized or "" for m in mentions]
    assert mentions, "every test sentence names something"


@pytest.mark.parametrize(("text", "expected"), EXPECTED, ids=[IDS[SENTENCES.index(t)] for t, _ in EXPECTED])
def test_spacy_entities_table(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    found = [(e.text, e.label_) for e in nlp(text).ents]
    for row in expected:
        assert row in found


def test_spacy_entities_extensions_on_a_place(nlp: Language) -> None:
    doc = nlp(CHAIN)
    street = next(e for e in doc.ents if e.text == "海西路街道")
    assert street._.normalized == "内蒙古自治区/呼和浩特市/回民区/海西路街道"
    assert (street._.rule, street._.subtype) == ("suffix", "admin")
    assert street.id_ == street._.normalized
    other = doc[0:3]  # not an entity
    assert (other._.govmine_mention, other._.normalized, other._.rule, other._.subtype) == (None, None, None, None)


def test_spacy_entities_same_as_library_on_seed_articles(nlp: Language, recognizer: EntityRecognizer) -> None:
    texts = [a.text for a in iter_articles([SEED])]
    assert len(texts) >= 5
    n = 0
    for doc, text in zip(nlp.pipe(texts, batch_size=2), texts, strict=True):
        mentions = recognizer.extract(text)
        assert doc._.govmine_mentions == mentions
        assert _ent_rows(doc) == _mention_rows(mentions)
        n += len(mentions)
    assert n >= 30
    assert _component(nlp).stats["unaligned"] == _component(nlp).stats["overlap"] == 0


def test_spacy_entities_pipe_matches_call(nlp: Language) -> None:
    texts = SENTENCES * 2
    piped = list(nlp.pipe(texts, batch_size=3))
    assert [_ent_rows(d) for d in piped] == [_ent_rows(nlp(t)) for t in texts]
    assert [_ext_rows(d) for d in piped] == [_ext_rows(nlp(t)) for t in texts]
    with_ctx = list(nlp.pipe(((t, i) for i, t in enumerate(texts)), as_tuples=True))
    assert [i for _, i in with_ctx] == list(range(len(texts)))
    assert [_ent_rows(d) for d, _ in with_ctx] == [_ent_rows(d) for d in piped]


def test_spacy_entities_with_quantities_in_one_pipeline(nlp: Language) -> None:
    assert nlp.pipe_names == [NAME, "govmine_quantities"]
    doc = nlp(STATIONS)
    assert ("红蜂驿站", "PROGRAMME") in [(e.text, e.label_) for e in doc.ents]
    facts = extract_facts(STATIONS)
    assert doc._.govmine_facts == facts
    assert [(s.text, s._.value) for s in doc.spans["govmine_quantities"]] == [(f.surface, f.value) for f in facts]
    assert ("31个", 31.0) in [(s.text, s._.value) for s in doc.spans["govmine_quantities"]]
    # each component keeps to its own extensions
    assert all(s._.govmine_mention is None for s in doc.spans["govmine_quantities"])
    assert all(e._.govmine_fact is None for e in doc.ents)


def test_spacy_entities_displacy_renders(nlp: Language) -> None:
    doc = nlp(FENGQIAO)
    html = displacy.render(doc, style="ent", jupyter=False)
    assert html.lstrip().startswith("<div")
    for e in doc.ents:
        assert e.text in html
    assert "PROGRAMME" in html and "PLACE" in html


@pytest.mark.parametrize("text", ["", " ", "\n\n", "“”", "😀𠀀", "记者"])
def test_spacy_entities_texts_without_entities(nlp: Language, text: str) -> None:
    doc = nlp(text)  # never raises
    assert list(doc.ents) == [] and doc._.govmine_mentions == []


def test_spacy_entities_unprocessed_doc_has_no_mentions(nlp: Language) -> None:
    doc = nlp.make_doc(BYLINE)
    assert doc._.govmine_mentions is None and list(doc.ents) == []


def test_spacy_entities_expanded_overlap_keeps_first(
    nlp: Language, recognizer: EntityRecognizer, caplog: pytest.LogCaptureFixture
) -> None:
    # A coarse tokenizer that cuts 回民区海|西路街道: both places grow onto the first token; the first is kept.
    component = sc.EntityComponent(recognizer)
    doc = Doc(nlp.vocab, words=["回民区海", "西路街道"], spaces=[False, False])
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        component(doc)  # never raises
    assert [(e.text, e.label_, e._.govmine_mention.text) for e in doc.ents] == [("回民区海", "PLACE", "回民区")]
    assert [m.text for m in doc._.govmine_mentions] == ["回民区", "海西路街道"]  # nothing lost
    assert component.stats["expanded"] == 1 and component.stats["overlap"] == 1
    assert "海西路街道" in caplog.text and "overlaps" in caplog.text


def test_spacy_entities_merge_with_existing_ents(nlp: Language, recognizer: EntityRecognizer) -> None:
    text = "呼和浩特市新城区和央视网"
    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 4, label="GPE")]  # 呼和浩特, from another component
    merging = sc.EntityComponent(recognizer, overwrite_ents=False)
    merging(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("呼和浩特", "GPE"), ("新城区", "PLACE"), ("央视网", "ORG")]
    assert merging.stats["kept_existing"] == 1 and merging.stats["overlap"] == 0

    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, 0, 4, label="GPE")]
    sc.EntityComponent(recognizer, overwrite_ents=True)(doc)
    assert _ent_rows(doc) == _mention_rows(recognizer.extract(text))


def test_spacy_entities_config_context_and_disk_roundtrip(tmp_path: Path) -> None:
    bare = spacy.blank("zh")
    bare.add_pipe(NAME)
    assert [e._.normalized for e in bare(NEW_TOWN).ents if e.text == "新城区"] == [None]  # 新城区 is ambiguous
    local = spacy.blank("zh")
    local.add_pipe(NAME, config={"context": ["回民区"], "overwrite_ents": True})  # adds 呼和浩特市, 内蒙古自治区
    doc = local(NEW_TOWN)
    paths = {e.text: e._.normalized for e in doc.ents}
    assert paths["新城区"] == "内蒙古自治区/呼和浩特市/新城区"
    assert paths["万通路街道"] == "内蒙古自治区/呼和浩特市/新城区/万通路街道"
    local.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    component = _component(loaded)
    assert (component.context, component.overwrite_ents) == (("回民区",), True)
    assert _ext_rows(loaded(NEW_TOWN)) == _ext_rows(doc)


@pytest.mark.parametrize("config", [{"engine": "pkuseg"}, {"overwrite_ents": "perhaps"}])
def test_spacy_entities_config_rejects_bad_values(config: dict[str, str]) -> None:
    with pytest.raises(ValueError):  # spaCy's ConfigValidationError is a ValueError
        spacy.blank("zh").add_pipe(NAME, config=config)


def test_spacy_entities_builds_recognizer_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []

    class Counting(EntityRecognizer):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(1)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sc, "EntityRecognizer", Counting)
    nlp = spacy.blank("zh")
    component = nlp.add_pipe(NAME)
    list(nlp.pipe(SENTENCES * 3))
    assert len(built) == 1
    assert component.stats["docs"] == len(SENTENCES) * 3


def test_spacy_entities_plain_extension_names_taken(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Another package holds span._.normalized: ours goes under govmine_normalized only, with a warning.
    monkeypatch.setattr(Underscore, "span_extensions", {})
    monkeypatch.setattr(Underscore, "doc_extensions", {})

    def foreign(span: Span) -> str:
        return "theirs"

    Span.set_extension("normalized", getter=foreign)
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        sc._register_entity_extensions()
    assert Span.get_extension("normalized")[2] is foreign
    assert Span.has_extension("govmine_normalized") and Span.has_extension("rule")
    assert "span._.govmine_normalized" in caplog.text


def test_spacy_entities_docbin_and_pickle_roundtrip(nlp: Language) -> None:
    docs = list(nlp.pipe([CHAIN, STATIONS]))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    for a, b in zip(docs, back, strict=True):
        assert b._.govmine_mentions == a._.govmine_mentions
        assert _ent_rows(b) == _ent_rows(a) and _ext_rows(b) == _ext_rows(a)
    again = pickle.loads(pickle.dumps(docs[0]))
    assert _ent_rows(again) == _ent_rows(docs[0]) and _ext_rows(again) == _ext_rows(docs[0])
    # the pipeline pickles too (nlp.pipe(n_process=2) under spawn): the component travels as its settings
    copy = pickle.loads(pickle.dumps(nlp))
    assert _component(copy).recognizer is not _component(nlp).recognizer
    assert _ext_rows(copy(CHAIN)) == _ext_rows(docs[0])


def test_spacy_entities_found_through_entry_point(tmp_path: Path, recognizer: EntityRecognizer) -> None:
    eps = [ep for ep in entry_points(group="spacy_factories") if ep.name == NAME]
    assert eps, "govmine is not installed with its spacy_factories entry point: run `pip install -e .`"
    script = textwrap.dedent(
        f"""
        import json, sys
        import spacy
        nlp = spacy.blank("zh")
        nlp.add_pipe("govmine_entities")
        doc = nlp({PROSECUTOR!r})
        print(json.dumps({{
            "loaded_by_spacy": "pipeline.extract.spacy_component" in sys.modules,
            "ents": [[e.text, e.label_, e.start_char, e.end_char] for e in doc.ents],
        }}, ensure_ascii=False))
        """
    )
    # A fresh process outside the repository: the factory can only come from the installed entry point.
    res = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["loaded_by_spacy"]
    assert [tuple(r) for r in out["ents"]] == _mention_rows(recognizer.extract(PROSECUTOR))


# -- span_ruler_patterns ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def patterns() -> list[dict[str, str]]:
    return sc.span_ruler_patterns()


def test_spacy_entities_patterns_shape(patterns: list[dict[str, str]]) -> None:
    assert all(set(p) == {"label", "pattern", "id"} for p in patterns)
    assert {p["label"] for p in patterns} == set(sc.ENTITY_LABELS)
    assert len({(p["label"], p["pattern"]) for p in patterns}) == len(patterns)
    by_name = {p["pattern"]: p for p in patterns}
    w = load_entity_words()
    for label, names in (
        ("PERSON", w.known_people),
        ("ORG", w.known_orgs),
        ("PLACE", w.known_places),
        ("PROGRAMME", w.prog_known),
    ):
        assert all(by_name[n]["label"] == label for n in names)
    # a city under its full and short names shares one id, the recogniser's path
    assert by_name["呼和浩特"]["id"] == by_name["呼和浩特市"]["id"] == "内蒙古自治区/呼和浩特市"
    assert by_name["内蒙古"]["id"] == by_name["内蒙古自治区"]["id"] == "内蒙古自治区"
    assert "朝阳" not in by_name  # also the short name of counties: the recogniser does not take it alone
    assert "回民区" not in by_name and "和林格尔县" not in by_name  # counties come from the suffix rule, code
    lexicon = set(w.known_people) | set(w.known_orgs) | set(w.known_places) | set(w.prog_known)
    assert {p["pattern"] for p in sc.span_ruler_patterns(gazetteer=False)} == lexicon


@pytest.mark.parametrize(("factory", "config"), [("span_ruler", {"annotate_ents": True}), ("entity_ruler", {})])
def test_spacy_entities_patterns_load_into_rulers(
    patterns: list[dict[str, str]], recognizer: EntityRecognizer, factory: str, config: dict[str, bool]
) -> None:
    ruler_nlp = spacy.blank("zh")
    ruler = ruler_nlp.add_pipe(factory, config=config)
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    doc = ruler_nlp(RULER_TEXT)
    found = {(e.text, e.label_, e.id_) for e in doc.ents}
    assert ("央视网", "ORG", "央视网") in found  # the longest match wins over 央视
    assert ("呼和浩特", "PLACE", "内蒙古自治区/呼和浩特市") in found
    assert ("枫桥经验", "PROGRAMME", "枫桥经验") in found
    # where the recogniser finds the same characters, it gives the same label
    lib = {(m.start, m.end): m.label for m in recognizer.extract(RULER_TEXT)}
    for e in doc.ents:
        if (e.start_char, e.end_char) in lib:
            assert lib[(e.start_char, e.end_char)] == e.label_
