"""The article model (pipeline.article_model): scikit-learn's probabilities without scikit-learn, saved as
plain arrays, mixed into article scores; and the array scoring of article rules that ``govmine train`` uses."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from pipeline.article_model import ArticleModel, word_tfidf
from pipeline.themes import MODEL_DIR, article_scores, article_selection, load_model
from pipeline.train import (
    ArticleGold,
    _rule_f1,
    _rule_rows,
    _rule_scores,
    _RuleInputs,
    article_f1,
    article_f1_interval,
    tuning_set_floors,
)

# real headlines of bundled news items, already cut into words, with two themes: (livelihood, economy) core
HEADLINES = [
    (["促", "消费", "惠民生", " ", "便民", "生活圈", "繁荣", "社区", "商业"], (1, 1)),
    (["我国", "脱贫攻坚", "成果", "持续", "巩固", "拓展"], (1, 1)),
    (["我国", "美丽", "乡村", "建设", "实现", "良好", "开局"], (1, 0)),
    (["【", "新春", "走", "基层", "】", "“", "窗帘", "之", "约", "”", "守望", "老人", "安康"], (1, 0)),
    (["大湾区", "假期", "客流", "大幅", "增长"], (0, 1)),
    (["“", "美丽", "产业", "”", "连片", "绽放"], (0, 1)),
    (["多地", "高温", "持续", "西南", "东南", "等", "地", "将", "有", "新", "一轮", "降雨"], (0, 0)),
    (["修订", "《", "中国共产党", "巡视", "工作", "条例", "》"], (0, 0)),
]
CODES = ("livelihood", "economy")


def _fitted(c: float = 10.0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    docs = [" ".join(w for w in ws if not w.isspace()) for ws, _ in HEADLINES]
    y = np.array([labels for _, labels in HEADLINES])
    vec = TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True).fit(docs)
    x = vec.transform(docs)
    clfs = [LogisticRegression(C=c, class_weight="balanced").fit(x, y[:, j]) for j in range(len(CODES))]
    return vec, clfs


def test_article_model_gives_scikit_learns_probabilities(tmp_path: Path) -> None:
    vec, clfs = _fitted()
    model = ArticleModel.from_sklearn(CODES, vec, clfs)
    words = [ws for ws, _ in HEADLINES] + [["社区", "商业", "降雨", "降雨"], ["完全", "陌生", "的", "词"], []]
    docs = [" ".join(w for w in ws if not w.isspace()) for ws in words]
    want = np.stack([c.predict_proba(vec.transform(docs))[:, 1] for c in clfs], axis=1)
    got = np.array([model.proba(ws) for ws in words])
    assert got == pytest.approx(want, abs=1e-12)
    # saved as numpy arrays and read back without pickle: the same numbers
    model.save(tmp_path / "article_model.npz")
    again = ArticleModel.load(tmp_path / "article_model.npz")
    assert again.codes == CODES and again.vocabulary == model.vocabulary
    assert [again.proba(ws) for ws in words] == got.tolist()
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_article_model_reads_words_as_the_vectorizer_did() -> None:
    vec, clfs = _fitted()
    model = ArticleModel.from_sklearn(CODES, vec, clfs)
    # a token holding a space is two words to the vectorizer, which also lower-cases
    assert model.proba(["社区 商业", "APP"]) == pytest.approx(model.proba(["社区", "商业", "app"]), abs=1e-15)
    cols, x = word_tfidf(model.vocabulary, model.idf, ["社区", "社区", "商业"])
    assert len(cols) == 2 and float(x @ x) == pytest.approx(1.0)
    assert word_tfidf(model.vocabulary, model.idf, ["陌生"])[0].size == 0
    with pytest.raises(ValueError, match="TfidfVectorizer"):
        ArticleModel.from_sklearn(CODES, vec.set_params(ngram_range=(1, 2)), clfs)
    with pytest.raises(ValueError, match="2 themes"):
        ArticleModel.from_sklearn(CODES, vec.set_params(ngram_range=(1, 1)), clfs[:1])


def test_article_scores_mix_in_the_article_model() -> None:
    how = {"top": 1, "text_weight": 0.25, "article_weight": 0.5}
    # livelihood: text 0.4, best initiative 0.8 -> 0.25*0.4 + 0.75*0.8 = 0.7, then 0.5*0.7 + 0.5*0.2 = 0.45
    got = article_scores([[0.8, 0.1], [0.3, 0.6]], [0.4, 0.2], how, [0.2, 0.9])
    assert got == pytest.approx([0.45, 0.5 * (0.25 * 0.2 + 0.75 * 0.6) + 0.5 * 0.9])
    assert article_scores([[0.8, 0.1]], [0.4, 0.2], dict(how, article_weight=0.0)) == pytest.approx([0.7, 0.125])
    with pytest.raises(ValueError, match="article_probs"):
        article_scores([[0.8, 0.1]], [0.4, 0.2], how)


def test_rule_arrays_score_as_the_predictions_do() -> None:
    # _rule_f1 (train's grid over thousands of rules) against article_selection and article_f1, on random data
    rng = np.random.default_rng(7)
    n, t = 60, 4
    tp, ap, off = rng.random((n, t)), rng.random((n, t)), rng.random(n)
    inits = [rng.random((int(rng.integers(0, 5)), t)) for _ in range(n)]
    allowed = rng.random((n, t)) > 0.2
    core, ok = rng.random((n, t)) > 0.7, rng.random((n, t)) > 0.8
    ok &= ~core
    tops = {
        k: np.array([(-np.sort(-ip, axis=0)[:k].sum(axis=0) / k) if len(ip) else tp[i] for i, ip in enumerate(inits)])
        for k in (1, 3)
    }
    d = _RuleInputs(tp, tops, ap, off, allowed, core, ok)
    codes = [str(j) for j in range(t)]
    gold = [
        ArticleGold(
            str(i), frozenset(str(j) for j in range(t) if core[i, j]), frozenset(str(j) for j in range(t) if ok[i, j])
        )
        for i in range(n)
    ]
    for top, w, a, th, floor, gate in itertools.product(
        (1, 3), (0.0, 0.5), (0.0, 0.5), (0.4, 0.6), (None, 0.2), (0.5, 2.0)
    ):
        how = {"top": top, "text_weight": w, "article_weight": a, "thresholds": [th] * t, "floor": floor}
        pred = {}
        for i in range(n):
            s = article_scores(inits[i].tolist(), tp[i].tolist(), how, ap[i].tolist())
            chosen = article_selection(s, how, floor=off[i] < gate)
            pred[str(i)] = {codes[j] for j in chosen if allowed[i, j]}
        assert round(_rule_f1(d, top, w, a, th, floor, gate), 3) == article_f1(pred, gold)["f1"], (top, w, a, th, floor)


def test_a_tuning_sets_rows_score_as_that_set_alone() -> None:
    # train keeps no rule that scores a floored tuning set below its floor: a set's rows of the arrays (and of the
    # scores computed once for all tuning articles) give the F1 of that set on its own
    rng = np.random.default_rng(11)
    n, t = 50, 3
    tp, ap, off = rng.random((n, t)), rng.random((n, t)), rng.random(n)
    core, ok = rng.random((n, t)) > 0.6, rng.random((n, t)) > 0.8
    ok &= ~core
    allowed = np.ones((n, t), dtype=bool)
    d = _RuleInputs(tp, {1: rng.random((n, t))}, ap, off, allowed, core, ok)
    rows = slice(20, 35)
    alone = _RuleInputs(tp[rows], {1: d.tops[1][rows]}, ap[rows], off[rows], allowed[rows], core[rows], ok[rows])
    sub = _rule_rows(d, rows)
    for th, floor, gate, none_at in itertools.product((0.3, 0.5), (None, 0.2), (0.5, 2.0), (None, 0.7)):
        want = _rule_f1(alone, 1, 0.5, 0.5, th, floor, gate, none_at)
        assert _rule_f1(sub, 1, 0.5, 0.5, th, floor, gate, none_at) == want
        s = _rule_scores(d, 1, 0.5, 0.5)
        assert _rule_f1(sub, 1, 0.5, 0.5, th, floor, gate, none_at, s[sub.rows]) == want


def test_tuning_set_floors_come_from_the_quality_floors(tmp_path: Path) -> None:
    assert tuning_set_floors(tmp_path, ["articles_fresh"]) == {}  # no floors file: no constraint
    (tmp_path / "tests").mkdir()
    floors = {"themes": {"articles_fresh_f1": 0.895, "articles_oct_f1": 0.87, "clauses_heldout_macro_f1": 0.865}}
    (tmp_path / "tests" / "quality_floors.json").write_text(json.dumps(floors), encoding="utf-8")
    got = tuning_set_floors(tmp_path, ["articles_tuning", "articles_fresh", "articles_oct"])
    assert got == {"articles_fresh": 0.895, "articles_oct": 0.87}
    # the shipped floors: every set held out before the present held-out sets has one
    root = MODEL_DIR.parents[1]
    assert set(
        tuning_set_floors(root, json.loads((MODEL_DIR / "meta.json").read_text())["metrics"]["articles_tuning_sets"])
    ) == {
        "articles_heldout",
        "articles_outside",
        "articles_fresh",
        "articles_sept",
        "articles_oct",
        "articles_sept_b",
        "articles_reserve",
        "articles_sept_c",
    }


def test_shipped_model_has_its_article_model() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    model = load_model()
    assert model.article_model is not None
    assert list(model.article_model.codes) == meta["codes"]
    assert len(model.article_model.vocabulary) == meta["article_model"]["terms"]
    assert meta["article"]["article_weight"] > 0
    # fitted on the same articles, the two article-level models share one vocabulary and idf (load_model makes
    # them the same objects, so that one TF-IDF row serves both)
    assert model.article_model.vocabulary is model.relevance.vocabulary
    assert model.article_model.idf is model.relevance.idf
    assert len(model.article_model.vocabulary) == meta["relevance"]["terms"]


def test_a_bundled_run_scores_what_training_reported(bundled) -> None:
    # the pipeline's article themes (InitiativeStage -> ThemeModel.article_themes) against the held-out gold give
    # the F1 that govmine train computed for the same rule with its own arrays
    from pipeline.train import read_article_gold

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    ann = MODEL_DIR.parents[1] / "corpus" / "annotations"
    gold = [g for name in meta["metrics"]["articles_heldout_sets"] for g in read_article_gold(ann / f"{name}.json")]
    pred = {a.article_id: set(a.themes) for a in bundled.articles}
    assert article_f1(pred, gold) == meta["metrics"]["articles_heldout"]
    for name, want_set in meta["metrics"]["articles_heldout_by_set"].items():
        assert article_f1(pred, read_article_gold(ann / f"{name}.json")) == want_set
    # the same resampled articles (fixed seed) give the interval training wrote in meta.json
    iv = article_f1_interval(pred, gold)
    want = meta["metrics"]["articles_heldout_interval"]
    assert (iv["f1_low"], iv["f1_high"]) == (want["f1_low"], want["f1_high"])
    assert want["f1_low"] < meta["metrics"]["articles_heldout"]["f1"] < want["f1_high"]


def test_evaluate_prints_the_interval_of_article_themes(bundled, tmp_path: Path, capsys) -> None:
    # govmine evaluate OUT HELDOUT.json (the held-out article set) on the bundled run's article themes (an articles
    # table with the two columns it reads)
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.cli import main

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    (tmp_path / "out" / "articles").mkdir(parents=True)
    arts = bundled.articles
    table = pa.table(
        {"article_id": [a.article_id for a in arts], "themes": [list(a.themes) for a in arts]},
        schema=pa.schema([("article_id", pa.string()), ("themes", pa.list_(pa.string()))]),
    )
    pq.write_table(table, tmp_path / "out" / "articles" / "part-0.parquet")
    ann = MODEL_DIR.parents[1] / "corpus" / "annotations"
    gold = [str(ann / f"{name}.json") for name in meta["metrics"]["articles_heldout_sets"]]
    assert main(["evaluate", str(tmp_path / "out"), *gold, "--json", str(tmp_path / "e.json")]) == 0
    m, iv = meta["metrics"]["articles_heldout"], meta["metrics"]["articles_heldout_interval"]
    printed = capsys.readouterr().out.splitlines()[0]
    assert printed == (
        f"article themes: {m['articles']} articles   P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}"
        f"  (95% bootstrap interval {iv['f1_low']:.3f}-{iv['f1_high']:.3f})"
    )
    written = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert written["themes"] == m and written["interval"]["f1_low"] == iv["f1_low"]


def test_bootstrap_interval_of_article_f1_resamples_articles() -> None:
    # made-up article ids, gold themes and predictions: the interval of article_f1 on five articles
    gold = [
        ArticleGold("xwlb:20230315:05", frozenset({"livelihood"}), frozenset({"economy"})),
        ArticleGold("xwlb:20240102:03", frozenset({"safety_mediation"}), frozenset()),
        ArticleGold("xwlb:20250611:07", frozenset(), frozenset({"economy"})),
        ArticleGold("xwlb:20251020:02", frozenset({"org_building", "grid_governance"}), frozenset({"volunteer"})),
        ArticleGold("xwlb:20260418:09", frozenset({"new_employment"}), frozenset()),
    ]
    pred = {
        "xwlb:20230315:05": {"livelihood", "economy"},
        "xwlb:20240102:03": {"safety_mediation"},
        "xwlb:20250611:07": {"economy"},
        "xwlb:20251020:02": {"org_building"},
        "xwlb:20260418:09": set(),
    }
    # P = (1 + 0.5 + 1 + 0.5 + 1) / 5 = 0.8, R = 3 / 5 = 0.6
    assert article_f1(pred, gold)["f1"] == 0.686
    got = article_f1_interval(pred, gold, n_boot=300, seed=3)
    # the same percentiles from article_f1 itself on the same draws (a resampled article counts once per draw)
    draws = np.random.default_rng(3).integers(0, len(gold), size=(300, len(gold)))
    slow = [article_f1(pred, [gold[i] for i in row])["f1"] for row in draws]
    lo, hi = np.percentile(slow, [2.5, 97.5])
    assert got["f1_low"] == pytest.approx(lo, abs=0.002) and got["f1_high"] == pytest.approx(hi, abs=0.002)
    assert got["f1_low"] < 0.686 < got["f1_high"]
    # paired against a baseline: predicting the same gives a zero difference on every draw
    same = article_f1_interval(pred, gold, pred, n_boot=300, seed=3)
    assert (same["diff"], same["diff_low"], same["diff_high"]) == (0.0, 0.0, 0.0)
    # a baseline that predicts nothing: the lead is the model's F1, and the whole interval is above zero
    lead = article_f1_interval(pred, gold, {}, n_boot=300, seed=3)
    assert lead["diff"] == 0.686 and lead["diff_low"] > 0
    perfect = article_f1_interval({g.article_id: set(g.core) for g in gold}, gold, n_boot=50)
    assert (perfect["f1_low"], perfect["f1_high"]) == (1.0, 1.0)
    with pytest.raises(ValueError):
        article_f1_interval(pred, [])


def test_load_model_refuses_article_level_models_of_another_training_run(tmp_path: Path) -> None:
    d = tmp_path / "themes"
    shutil.copytree(MODEL_DIR, d)
    good = ArticleModel.load(d / "article_model.npz")
    # the same terms and themes, other weights: only the hash in meta.json tells
    replace_model = ArticleModel(good.codes, good.vocabulary, good.idf, -good.coef, -good.intercept)
    replace_model.save(d / "article_model.npz")
    with pytest.raises(ValueError, match="does not belong"):
        load_model(d)
    (d / "article_model.npz").unlink()
    with pytest.raises(FileNotFoundError, match="article_model.npz"):
        load_model(d)


def test_a_rule_weighing_the_article_model_needs_the_articles_words() -> None:
    model = load_model()
    with pytest.raises(ValueError, match="words"):
        model.article_themes([0.1] * 10, [[0.2] * 10])


def test_load_model_refuses_an_article_model_of_another_training_run(tmp_path: Path) -> None:
    d = tmp_path / "themes"
    shutil.copytree(MODEL_DIR, d)
    vec, clfs = _fitted()
    ArticleModel.from_sklearn(CODES, vec, clfs).save(d / "article_model.npz")
    with pytest.raises(ValueError, match="does not belong"):
        load_model(d)
    # without the hashes (a model directory written before them), the terms and themes still tell
    meta = json.loads((d / "meta.json").read_text(encoding="utf-8"))
    del meta["files"]
    (d / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ValueError, match="does not belong"):
        load_model(d)


def test_a_rule_that_weighs_the_article_model_needs_one() -> None:
    from pipeline.themes import ThemeModel

    with pytest.raises(ValueError, match="no article model"):
        ThemeModel(None, [0.5] * 10, {"article_weight": 0.5, "thresholds": [0.5] * 10})


def test_a_theme_too_rare_for_a_fold_gets_the_folds_share() -> None:
    from pipeline.train import fit_article_model

    # 16 articles (the headlines twice); "rare" is core in one: the fold holding it has none to learn from
    words = [ws for ws, _ in HEADLINES] * 2
    core = [[labels[0], int(i == 3)] for i, (_, labels) in enumerate(HEADLINES * 2)]
    model, oof, report = fit_article_model(words, core, ("livelihood", "rare"), seed=1)
    assert oof[3, 1] == 0.0  # its fold's training articles have no core "rare" article
    assert report["core"] == {"livelihood": 8, "rare": 1}
    assert model.codes == ("livelihood", "rare")
    with pytest.raises(ValueError, match="no core"):
        fit_article_model(words, [[labels[0], 0] for _, labels in HEADLINES * 2], ("livelihood", "rare"), seed=1)
