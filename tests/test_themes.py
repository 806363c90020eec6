"""Themes (issue 5): the shipped model, the initiatives table, article themes, and a reproducible
training run whose held-out scores are gated."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipeline.records import RawDocument
from pipeline.run import Pipeline
from pipeline.themes import MODEL_DIR, classify_themes, load_model, load_themes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))["themes"]


def _selected(text: str) -> list[str]:
    return [s.code for s in classify_themes([text])[0] if s.selected]


def test_taxonomy_codes_are_fixed() -> None:
    assert [t.code for t in load_themes()] == [
        "org_building", "grid_governance", "new_employment", "volunteer", "safety_mediation",
        "burden_reduction", "livelihood", "women_family", "economy", "self_governance",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("将党组织同步建在网格上", ["org_building", "grid_governance"]),
        ("严格落实“四议两公开”民主管理制度", ["self_governance"]),
        ("于2024年3月成立了巾帼公益手工坊", ["volunteer", "women_family"]),
        ("推进老旧小区改造", ["livelihood"]),
        ("实施积极的财政政策", []),
    ],
)
def test_classify_themes_on_real_clauses(text: str, themes: list[str]) -> None:
    assert _selected(text) == themes


def test_classify_themes_takes_a_single_text() -> None:
    # a str is one text, not a sequence of characters
    one = classify_themes("将党组织同步建在网格上")
    assert len(one) == 1 and one == classify_themes(["将党组织同步建在网格上"])


def test_model_file_holds_only_the_types_its_card_lists() -> None:
    import skops.io as sio

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert sorted(sio.get_untrusted_types(file=MODEL_DIR / "model.skops")) == sorted(meta["trusted_types"])
    m = load_model()
    assert len(m.thresholds) == 10 and all(0 < t < 1 for t in m.thresholds)


@pytest.fixture(scope="module")
def seed_run():
    pipe = Pipeline()
    doc = RawDocument("db21671502ac2f81", str(SEED), None, SEED.read_text(encoding="utf-8"), "file")
    return pipe.process(doc)


def test_initiatives_on_the_seed_page(seed_run) -> None:
    arts = {a.article_id: a for a in seed_run.articles}
    inits = seed_run.rows["initiatives"]
    for r in inits:
        text = arts[r.article_id].text
        assert text[r.initiative.start : r.initiative.end] == r.initiative.text
        if r.initiative.name is not None:
            assert text[r.initiative.name_start : r.initiative.name_end] == r.initiative.name
    by_name = {r.initiative.name: r for r in inits if r.initiative.name and r.article_id.endswith("#1")}
    red = by_name["红蜂驿站"]
    assert red.initiative.action == "设立" and red.place == "回民区"
    facts = {f.fact_id: f for f in seed_run.rows["facts"]}
    assert [facts[i].fact.surface for i in red.fact_ids] == ["31个"]
    assert by_name["商圈党建联盟"].initiative.action == "推行"
    grid = [r for r in inits if r.initiative.text == "将党组织同步建在网格上"][0]
    assert grid.themes == ("org_building", "grid_governance")


def test_seed_articles_carry_their_main_themes(seed_run) -> None:
    themes = {a.article_id.split("#")[1]: set(a.themes) for a in seed_run.articles}
    assert {"org_building", "grid_governance"} <= themes["1"]
    assert "new_employment" in themes["2"]
    assert "women_family" in themes["3"]
    assert "self_governance" in themes["5"]
    assert all(len(t) <= 4 for t in themes.values())  # main themes, not every theme brushed


def _close_numbers(got: object, want: object, atol: float, path: str = "") -> None:
    """``got`` and ``want`` (parsed JSON) hold the same keys, strings and list lengths, and numbers within ``atol``."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), path
        for k in want:
            _close_numbers(got[k], want[k], atol, f"{path}/{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), path
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _close_numbers(g, w, atol, f"{path}[{i}]")
    elif isinstance(want, float) or isinstance(got, float):
        assert abs(float(got) - float(want)) <= atol, (path, got, want)  # type: ignore[arg-type]
    else:
        assert got == want, path


def test_training_is_reproducible_and_passes_the_gate(tmp_path: Path) -> None:
    # in a fresh process, as `govmine train` runs. The weights are the same byte for byte on the same machine;
    # OPENBLAS_NUM_THREADS=1 at start-up (which a Dask run used to leave set in its caller) changes them by up to 1e-4,
    # and so does another CPU (its BLAS kernels sum in another order: on the machine of 2026-11-30's second session
    # the article model's weights differed by up to 4e-7 and the off-topic model's by up to 1.3e-3, with the same
    # metrics), so the two article-level models are compared number by number, the metrics exactly
    out = tmp_path / "themes"
    cmd = [sys.executable, "-m", "pipeline.cli", "train", "--root", str(ROOT), "--out", str(out)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    shipped = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    assert meta["data"]["sha256"] == shipped["data"]["sha256"]  # the shipped model is built from this data
    assert meta["thresholds"] == shipped["thresholds"]
    assert meta["metrics"] == shipped["metrics"]
    assert meta["relevance"] == shipped["relevance"]
    # the off-topic and article models: the same terms, the same weights up to the last bits of another machine's sums
    _close_numbers(
        json.loads((out / "relevance.json").read_text(encoding="utf-8")),
        json.loads((MODEL_DIR / "relevance.json").read_text(encoding="utf-8")),
        atol=1e-2,
    )
    with (
        np.load(out / "article_model.npz", allow_pickle=False) as got,
        np.load(MODEL_DIR / "article_model.npz", allow_pickle=False) as want,
    ):
        assert got.files == want.files
        for name in want.files:
            if want[name].dtype.kind == "f":
                np.testing.assert_allclose(got[name], want[name], rtol=0, atol=1e-4, err_msg=name)
            else:
                np.testing.assert_array_equal(got[name], want[name], err_msg=name)
    assert meta["article_model"] == shipped["article_model"]
    m = meta["metrics"]
    assert m["clauses_heldout"]["macro_f1"] >= FLOORS["clauses_heldout_macro_f1"]
    assert m["articles_heldout_sets"] == ["articles_sept_d", "articles_gov", "articles_gov_b", "articles_gov_c"]
    assert m["articles_heldout"]["articles"] == 107 + 39 + 48 + 63
    for name in m["articles_heldout_sets"]:
        assert m["articles_heldout_by_set"][name]["f1"] >= FLOORS[f"{name}_f1"]
    # the sets held out before are tuning data since; their floors still hold (govmine train chooses no rule that
    # scores one of them below its floor)
    floored = ("articles_heldout", "articles_outside", "articles_fresh", "articles_sept", "articles_oct")
    for name in (*floored, "articles_sept_b", "articles_reserve", "articles_sept_c"):
        assert m["articles_tuning_sets"][name]["f1"] >= FLOORS[f"{name}_f1"]
        assert m["articles_rule_choice"]["set_floors"][name] == FLOORS[f"{name}_f1"]
    # the model clearly beats the keyword rules on the same split
    assert m["clauses_heldout"]["macro_f1"] >= m["clauses_heldout_keywords"]["macro_f1"] + 0.1
    assert m["articles_heldout"]["f1"] >= m["articles_heldout_keywords_best_threshold_f1"] + 0.05
    for h in FLOORS["history"]:
        assert h["clauses_heldout_macro_f1"] <= FLOORS["clauses_heldout_macro_f1"]
        assert h["articles_heldout_f1"] <= FLOORS["articles_heldout_f1"]
        assert h.get("articles_outside_f1", 0) <= FLOORS["articles_outside_f1"]
        assert h.get("articles_fresh_f1", 0) <= FLOORS["articles_fresh_f1"]
        assert h.get("articles_sept_f1", 0) <= FLOORS["articles_sept_f1"]
        assert h.get("articles_oct_f1", 0) <= FLOORS["articles_oct_f1"]
        assert h.get("articles_sept_b_reserve_f1", 0) <= FLOORS["articles_sept_b_reserve_f1"]
        for name in (
            "articles_sept_b",
            "articles_reserve",
            "articles_sept_c",
            "articles_sept_d",
            "articles_gov",
            "articles_gov_b",
            "articles_gov_c",
        ):
            assert h.get(f"{name}_f1", 0) <= FLOORS[f"{name}_f1"]


def test_new_employment_on_the_employment_clauses_of_test_documents() -> None:
    """The shipped model's new_employment precision and recall on 207 employment clauses of test documents
    (corpus/annotations/employment_check.jsonl, labelled yes/no by reading): general employment (就业服务, 零工市场)
    was often taken for riders and couriers (precision 0.290 before clauses_employment.jsonl was used in training),
    and the floors keep it from getting worse."""
    rows = [
        json.loads(line) for line in (ROOT / "corpus" / "annotations" / "employment_check.jsonl").open(encoding="utf-8")
    ]
    assert len(rows) == 207 and {r["split"] for r in rows} == {"test"}
    m = load_model()
    k = [t.code for t in m.themes].index("new_employment")
    probs = m.proba([r["text"] for r in rows], contexts=[r["context"] for r in rows])
    pred = [p[k] >= m.thresholds[k] for p in probs]
    gold = [bool(r["new_employment"]) for r in rows]
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    assert sum(gold) == 31
    precision, recall = tp / sum(pred), tp / sum(gold)
    assert precision >= FLOORS["employment_check_new_employment_precision"]
    assert 2 * precision * recall / (precision + recall) >= FLOORS["employment_check_new_employment_f1"]
    # the rights of new-employment-form workers are the theme
    by_text = {r["text"]: p[k] >= m.thresholds[k] for r, p in zip(rows, probs, strict=True)}
    assert by_text["进一步加强新就业形态劳动者权益保障"] is True


def test_spacy_component_sets_doc_cats() -> None:
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("govmine_themes")  # found through the spacy_factories entry point
    docs = list(nlp.pipe(["将党组织同步建在网格上", "推进老旧小区改造", ""]))
    assert set(docs[0].cats) == {t.code for t in load_themes()}
    assert docs[0]._.govmine_themes == ["org_building", "grid_governance"]
    assert docs[1]._.govmine_themes == ["livelihood"]
    assert docs[0].cats["org_building"] > 0.5 > docs[0].cats["economy"]
    assert docs[2].cats == {} and docs[2]._.govmine_themes == []


def _bundled_article(bundled, article_id: str):
    return next(a for a in bundled.articles if a.article_id == article_id)


def test_roundup_items_tell_news_in_brief_from_a_story_in_sections(bundled, seed_run) -> None:
    from pipeline.roundup import item_of, roundup_items

    brief = _bundled_article(bundled, "xwlb:20241021:08#1")  # 国内联播快讯: eleven unrelated items
    items = roundup_items([(h.start, h.end) for h in brief.subheadings], len(brief.text))
    assert len(items) == 11 and items[0] == 13
    assert brief.text[items[0] :].startswith("第三轮第三批中央生态环境")
    assert item_of(items, items[0]) == 1 and item_of(items, items[0] - 1) == 0
    # the seed page's 回民区 article has four sections too, but after a lead paragraph: one story
    story = next(a for a in seed_run.articles if a.article_id.endswith("#1"))
    assert len(story.subheadings) == 4
    assert roundup_items([(h.start, h.end) for h in story.subheadings], len(story.text)) == []
    # a headline printed over four lines at the top of one item is one heading, not four items
    speech = _bundled_article(bundled, "xwlb:20250829:02#1")  # 锲而不舍落实中央八项规定精神
    assert [speech.text[h.start : h.end] for h in speech.subheadings][:2] == [
        "习近平作出重要指示强调",
        "锲而不舍落实中央八项规定精神",
    ]
    assert roundup_items([(h.start, h.end) for h in speech.subheadings], len(speech.text)) == []
    assert "org_building" in speech.themes


def test_a_news_roundup_is_not_about_the_theme_of_one_item(bundled) -> None:
    brief = _bundled_article(bundled, "xwlb:20241021:08#1")
    assert brief.themes == ()  # one item on industry made it `economy` before round-ups were told apart
    # a round-up whose items share a theme keeps it: two of three items must carry it
    from pipeline.themes import roundup_selection

    probs = [[0.9, 0.0], [0.8, 0.0], [0.1, 0.9]]
    assert roundup_selection({0, 1}, probs, [1, 2, 3], 3, [0.5, 0.5]) == {0}
    assert roundup_selection({0, 1}, probs, [1, 1, 3], 3, [0.5, 0.5]) == set()
