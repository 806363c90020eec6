"""The spaCy component gives what the library gives: same facts, spans on the same characters."""

from __future__ import annotations

import json
import logging
import pickle
import subprocess
import sys
import textwrap
from dataclasses import replace
from importlib.metadata import entry_points
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from spacy.language import Language  # noqa: E402
from spacy.tokens import Doc, DocBin  # noqa: E402

from pipeline.extract import extract_facts  # noqa: E402
from pipeline.extract import spacy_component as sc  # noqa: E402
from pipeline.extract.facts import Fact  # noqa: E402
from pipeline.run import iter_articles  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed" / "000_db21671502ac2f81.txt"
KEY = sc.DEFAULT_SPANS_KEY

# Sentences of the seed page (回民区), lines joined as the layout stage joins them.
SEED_SENTENCES = [
    "截至目前，已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；对接形成项目清单415项，推动完成400项，完成率达96.4%，有效推动解决基层治理实际问题。",
    "按照“一格一员”配备专职网格员、选派楼栋长（单元长）2399人，发挥网格党组织前沿“哨兵”作用。",
    "组建63支622人的“青城义警”队伍，积极探索“民警+辅警+义警”的三警一体社会治安防控体系。",
    "精简社区工作事项超50%，党的建设考核指标精减近 7 成，各类微信群精简率达75.94％，确保基层有人干事、有权管事、有资源办事。",
    "截至目前，回民区已建立居民小区议事协调会 170余个，解决居民需求事项406件。",
    "自基层减负工作开展以来，回民区持续推动重心下移、权力下放、资源下沉。",  # no quantity
]

MAIN = "已建立街道“大工委”9个、社区“大党委”75个、网格党支部 226个、党小组671个；对接形成项目清单415项，推动完成400项，完成率达96.4%"

# (span text, label, value, unit, entity, link role); entity None = not pinned here (the equality tests
# below still compare it with extract_facts).
MAIN_EXPECTED = [
    ("9个", "count", 9.0, "个", "街道“大工委”", None),
    ("75个", "count", 75.0, "个", "社区“大党委”", None),
    ("226个", "count", 226.0, "个", "网格党支部", None),
    ("671个", "count", 671.0, "个", "党小组", None),
    ("415项", "count", 415.0, "项", "项目清单", "total"),
    ("400项", "count", 400.0, "项", None, "part"),
    ("96.4%", "percent", 96.4, "%", "完成率", "rate"),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    nlp = spacy.blank("zh")
    nlp.add_pipe("govmine_quantities")
    return nlp


def _component(nlp: Language) -> sc.QuantityComponent:
    component = nlp.get_pipe("govmine_quantities")
    assert isinstance(component, sc.QuantityComponent)
    return component


def _span_rows(doc: Doc, key: str = KEY) -> list[tuple[int, int, str, float, str, str, str]]:
    return [(s.start_char, s.end_char, s.text, s._.value, s._.unit, s._.qualifier, s._.entity) for s in doc.spans[key]]


def _fact_rows(text: str, facts: list[Fact]) -> list[tuple[int, int, str, float, str, str, str]]:
    return [(f.start, f.end, text[f.start : f.end], f.value, f.unit, f.qualifier, f.entity) for f in facts]


def test_spacy_component_blank_zh_is_character_tokenized() -> None:
    # The default Chinese tokenizer needs no model: one token a character, so every span is exact.
    nlp = spacy.blank("zh")
    assert nlp.config["nlp"]["tokenizer"]["segmenter"] == "char"
    assert [t.text for t in nlp("网格员 5名")] == ["网", "格", "员", "5", "名"]


def test_spacy_component_main_sentence_table(nlp: Language) -> None:
    doc = nlp(MAIN)
    spans = list(doc.spans[KEY])
    assert len(spans) == len(MAIN_EXPECTED)
    for span, (text, label, value, unit, entity, role) in zip(spans, MAIN_EXPECTED, strict=True):
        assert span.text == text
        assert span.label_ == label
        assert span._.value == pytest.approx(value)
        assert span._.unit == unit
        assert span._.kind == label
        assert span._.qualifier == "exact"
        if entity is not None:
            assert span._.entity == entity
            assert span._.entity_span is not None and span._.entity_span.text == entity
        assert span._.govmine_fact.link_role == role
    rate = spans[-1]._.govmine_fact
    assert rate.check_status == "ok" and rate.link_id == spans[4]._.govmine_fact.link_id


@pytest.mark.parametrize("text", SEED_SENTENCES + [MAIN])
def test_spacy_component_same_as_library(nlp: Language, text: str) -> None:
    doc = nlp(text)
    facts = extract_facts(text)
    assert doc._.govmine_facts == facts
    assert _span_rows(doc) == _fact_rows(text, facts)
    # the character tokenizer never needs to expand a span: span.text is the surface
    assert [s.text for s in doc.spans[KEY]] == [f.surface for f in facts]
    for s in doc.spans[KEY]:
        ent = s._.entity_span
        f = s._.govmine_fact
        assert (ent is None) == (f.entity_start is None)
        if ent is not None:
            assert (ent.start_char, ent.end_char, ent.text) == (f.entity_start, f.entity_end, f.entity)


def test_spacy_component_same_as_library_on_seed_article(nlp: Language) -> None:
    # Whole clean articles of the seed page, multi-paragraph (sentence ids and links across sentences).
    texts = [a.text for a in iter_articles([SEED])]
    assert texts
    n = 0
    for doc, text in zip(nlp.pipe(texts, batch_size=2), texts, strict=True):
        facts = extract_facts(text)
        assert doc._.govmine_facts == facts
        assert _span_rows(doc) == _fact_rows(text, facts)
        n += len(facts)
    assert n >= 20


def test_spacy_component_pipe_matches_call(nlp: Language) -> None:
    texts = SEED_SENTENCES * 3
    piped = list(nlp.pipe(texts, batch_size=4))
    assert [_span_rows(d) for d in piped] == [_span_rows(nlp(t)) for t in texts]
    with_ctx = list(nlp.pipe(((t, i) for i, t in enumerate(texts)), as_tuples=True))
    assert [i for _, i in with_ctx] == list(range(len(texts)))
    assert [d._.govmine_facts for d, _ in with_ctx] == [d._.govmine_facts for d in piped]


def test_spacy_component_builds_extractor_once(monkeypatch: pytest.MonkeyPatch) -> None:
    built = []

    class Counting(sc.FactExtractor):
        def __init__(self, *args: object, **kwargs: object) -> None:
            built.append(1)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sc, "FactExtractor", Counting)
    nlp = spacy.blank("zh")
    component = nlp.add_pipe("govmine_quantities")
    extractor = component.extractor
    list(nlp.pipe(SEED_SENTENCES * 5))
    nlp(MAIN)
    assert len(built) == 1
    assert component.extractor is extractor
    assert component.stats["docs"] == len(SEED_SENTENCES) * 5 + 1


def test_spacy_component_config_spans_key_and_unit_label() -> None:
    nlp = spacy.blank("zh")
    nlp.add_pipe("govmine_quantities", config={"spans_key": "numbers", "label": "unit"})
    doc = nlp("精简社区工作事项超50%，村集体增收 36.18万元")
    assert KEY not in doc.spans
    assert [(s.text, s.label_, s._.value) for s in doc.spans["numbers"]] == [
        ("50%", "%", 50.0),
        ("36.18万元", "元", pytest.approx(361800.0)),
    ]
    assert doc.spans["numbers"][0]._.qualifier == "over"


@pytest.mark.parametrize("config", [{"label": "entity"}, {"engine": "pkuseg"}])
def test_spacy_component_config_rejects_bad_values(config: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        spacy.blank("zh").add_pipe("govmine_quantities", config=config)


def test_spacy_component_unprocessed_doc_has_no_facts(nlp: Language) -> None:
    doc = nlp.make_doc("党小组671个")
    assert doc._.govmine_facts is None
    assert KEY not in doc.spans


def test_spacy_component_expands_to_coarse_tokens(nlp: Language) -> None:
    # A word tokenizer that keeps 网格员5名 as one token: the span grows to it, the Fact stays exact.
    words = ["网格员5名", "、", "党员", "32人"]
    doc = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
    component = sc.QuantityComponent(_component(nlp).extractor, spans_key=KEY, label="kind")
    component(doc)
    spans = list(doc.spans[KEY])
    assert [(s.text, s._.govmine_fact.surface) for s in spans] == [("网格员5名", "5名"), ("32人", "32人")]
    assert component.stats["expanded"] == 1 and component.stats["unaligned"] == 0


def test_spacy_component_shared_span_is_counted(nlp: Language, caplog: pytest.LogCaptureFixture) -> None:
    doc = Doc(nlp.vocab, words=["网格员5名党员32人"], spaces=[False])
    component = sc.QuantityComponent(_component(nlp).extractor, spans_key=KEY, label="kind")
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        component(doc)
    assert len(doc.spans[KEY]) == len(doc._.govmine_facts) == 2
    assert doc.spans[KEY][0]._.govmine_fact.surface == "5名"  # the first fact keeps the span
    assert component.stats["shared"] == 1
    assert "same span" in caplog.text


def test_spacy_component_unaligned_fact_is_logged_and_counted(nlp: Language, caplog: pytest.LogCaptureFixture) -> None:
    # No real quantity covers only whitespace; a stub extractor makes one to reach the code path.
    real = extract_facts("党员 32人")[0]
    ghost = replace(real, surface=" ", start=2, end=3)

    class Stub:
        def extract(self, text: str) -> list[Fact]:
            return [ghost, real]

    component = sc.QuantityComponent(Stub(), spans_key=KEY, label="kind")  # type: ignore[arg-type]
    doc = Doc(nlp.vocab, words=["党员", "32人"], spaces=[True, False])
    with caplog.at_level(logging.WARNING, logger=sc.__name__):
        component(doc)
    assert [s.text for s in doc.spans[KEY]] == ["32人"]
    assert doc._.govmine_facts == [ghost, real]
    assert component.stats["unaligned"] == 1
    assert "no span" in caplog.text


def test_spacy_component_docbin_and_pickle_roundtrip(nlp: Language) -> None:
    docs = list(nlp.pipe(SEED_SENTENCES[:3]))
    data = DocBin(docs=docs, store_user_data=True).to_bytes()
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    for a, b in zip(docs, back, strict=True):
        assert b._.govmine_facts == a._.govmine_facts
        assert _span_rows(b) == _span_rows(a)
        assert [s.label_ for s in b.spans[KEY]] == [s.label_ for s in a.spans[KEY]]
    again = pickle.loads(pickle.dumps(docs[0]))
    assert again._.govmine_facts == docs[0]._.govmine_facts and _span_rows(again) == _span_rows(docs[0])


def test_spacy_component_pipeline_to_disk_and_load(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert loaded.pipe_names == ["govmine_quantities"]
    assert _span_rows(loaded(MAIN)) == _span_rows(nlp(MAIN))


def test_spacy_component_found_through_entry_point(tmp_path: Path) -> None:
    eps = [ep for ep in entry_points(group="spacy_factories") if ep.name == sc.FACTORY_NAME]
    assert eps, "govmine is not installed with its spacy_factories entry point: run `pip install -e .`"
    script = textwrap.dedent(
        f"""
        import json, sys
        import spacy
        nlp = spacy.blank("zh")
        nlp.add_pipe("govmine_quantities")
        doc = nlp({MAIN!r})
        print(json.dumps({{
            "loaded_by_spacy": "pipeline.extract.spacy_component" in sys.modules,
            "spans": [[s.text, s._.entity] for s in doc.spans["govmine_quantities"]],
        }}, ensure_ascii=False))
        """
    )
    # A fresh process outside the repository: the factory can only come from the installed entry point.
    res = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["loaded_by_spacy"]
    assert out["spans"] == [[f.surface, f.entity] for f in extract_facts(MAIN)]


def test_spacy_component_render_facts_html(nlp: Language) -> None:
    doc = nlp(MAIN)
    html = sc.render_facts(doc)
    assert html.lstrip().startswith("<div")
    for text in ("项目清单", "网格党支部", "415项", "96.4%"):
        assert text in html
    assert "percent" in html and "entity" in html
    plain = sc.render_facts(doc, entities=False)
    assert "entity" not in plain and "415项" in plain
    page = sc.render_facts(doc, page=True)
    assert "<html" in page and 'lang="zh"' in page


def test_spacy_component_pickles_for_spawned_workers(nlp: Language) -> None:
    # nlp.pipe(n_process=2) under the spawn start method (macOS, Windows) pickles the pipeline; the
    # rjieba segmenter cannot be pickled, so the component travels as its settings.
    copy = pickle.loads(pickle.dumps(nlp))
    component = _component(copy)
    assert component.extractor is not _component(nlp).extractor
    assert (component.spans_key, component.label, component.engine) == (KEY, "kind", "rjieba")
    assert _span_rows(copy(MAIN)) == _span_rows(nlp(MAIN))
