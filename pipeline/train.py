"""``govmine train``: rebuild the theme model from ``corpus/`` into ``models/themes/``, reproducibly.

Steps (fixed seeds, so the same data gives the same model and the same card):

1. read the labelled clauses (``corpus/annotations/clauses.jsonl``); the ``test`` split (fixed by document
   before any tuning, see ``corpus/annotations/README.md``) is never used for fitting or for thresholds;
2. choose each theme's probability threshold on out-of-fold probabilities of a 5-fold cross-validation
   grouped by document on the training split, and report the cross-validated per-theme scores;
3. fit on the whole training split and score the held-out clauses, beside the keyword-rule baseline
   (cue words of ``data/themes.toml``, its count threshold chosen on the training split);
4. fit the off-topic model (:mod:`pipeline.relevance`) and the article model (:mod:`pipeline.article_model`)
   and choose how article scores are made (mix, threshold, floor, off-topic threshold) on the tuning article
   gold (:data:`TUNING_ARTICLE_GOLD`: every labelled article of a training document, upstream news items, and
   the three sets that were held out before the September set was labelled), with out-of-fold probabilities; score
   the held-out article gold (:data:`HELDOUT_ARTICLE_GOLD`), model and keyword baseline side by side;
5. write ``model.skops``, ``vocabulary.json``, ``article_model.npz``, ``relevance.json``, ``meta.json`` (with
   the hashes of the two article-level files) and ``README.md`` (the model card) atomically, ``meta.json``
   last but the card.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .article_model import ArticleModel
from .files import file_sha256
from .relevance import Relevance, relevance_numbers
from .roundup import item_of, roundup_items
from .segment import Segmenter
from .themes import (
    ThemeModel,
    article_scores,
    article_selection,
    keyword_scores,
    load_themes,
    prepare,
    roundup_selection,
)
from .writer import write_json_atomic, write_text_atomic

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ArticleGold", "article_f1", "article_f1_interval", "build_pipeline", "train"]

SEED = 20261127
# the labelled clauses (corpus/annotations/): the main set (train and test splits fixed by document) and the
# employment clauses of training documents labelled under the settled rule on new employment
CLAUSE_FILES = ("clauses.jsonl", "clauses_employment.jsonl")
GRID = [round(0.05 * i, 2) for i in range(1, 20)]
# clause thresholds are chosen on the out-of-fold probabilities of this many assignments of documents to folds,
# pooled: one assignment moves a theme's best threshold by a standard deviation of 0.02-0.07
CV_REPEATS = 3
# tuning article gold (corpus/annotations/NAME.json): every labelled news article of a training document (and a
# few of documents with no labelled clause), 150 upstream news items drawn at random (articles_random: none of
# their clauses was labelled), the three article sets held out before articles_sept (articles_heldout: articles
# of test documents; articles_outside: upstream news the project had not used; articles_fresh: 120 upstream news
# items drawn at random), the 343 upstream news items left after articles_fresh was drawn (articles_rest), the
# whole news days held out before the present held-out set (articles_sept, articles_oct, articles_sept_b,
# articles_reserve, articles_sept_c; each scored once), and every domestic item of twenty-two random news days of
# 2024-2026 (articles_days, articles_days_b). The off-topic and article models are fitted, and the article rule
# chosen, on all of them
TUNING_ARTICLE_GOLD = (
    "articles_tuning",
    "articles_check",
    "articles_extra",
    "articles_random",
    "articles_heldout",
    "articles_outside",
    "articles_rest",
    "articles_fresh",
    "articles_sept",
    "articles_oct",
    "articles_days",
    "articles_sept_b",
    "articles_reserve",
    "articles_sept_c",
    "articles_days_b",
)
# the held-out article gold: every domestic 新闻联播 item of 2026-09-23 to 2026-09-30 (corpus/news/xwlb_sept_d.jsonl,
# transcribed from the same copy of the upstream repository as articles_sept_b), labelled blind twice, after
# articles_sept_c (the set held out before it) had become tuning data; and the 39 domestic 新闻联播 items of 27
# random days of 2022-2026 that a keyword search for grassroots governance finds (corpus/news/xwlb_gov.jsonl:
# 社区, 基层, 网格, 党建, 志愿, 调解, 养老 … in the heading or the text), labelled blind twice, scored once with the
# model trained before it was added; and 48 more such items of 35 other random days (corpus/news/xwlb_gov_b.jsonl,
# the same 30 cue words), labelled blind twice and scored once with the model unchanged; and 63 more of 40 other
# random days (corpus/news/xwlb_gov_c.jsonl), the same way. Nothing is fitted or chosen on any of them
HELDOUT_ARTICLE_GOLD = ("articles_sept_d", "articles_gov", "articles_gov_b", "articles_gov_c")
# the rule shipped before this training run; another is adopted only when it scores more than RULE_MARGIN above
# it on the tuning articles. Measured on the 348 tuning articles of 2026-11-27 (paired bootstrap, 1,000
# resamples), the standard deviation of the F1 difference between two rules of the grid is about 0.007: smaller
# gains are noise. (The then held-out sets were also scored while this was decided, which is why they became
# tuning data and articles_fresh the held-out set; see README.)
# (before the article model: top 3, text weight 0.5, threshold 0.55, floor 0.2; 0.882 on the 805 tuning articles
# against 0.904 for the rule below)
# (the rule below replaced top 1, text weight 0.25, article weight 0.5, threshold 0.45, floor 0.1 on 2026-11-29, when
# articles_oct and articles_days became tuning data and that rule scored three floored tuning sets below their floors;
# the next one, top 1, text weight 0.25, article weight 0.5, threshold 0.5, floor 0.3 and no theme at off-topic
# >= 0.8, scored articles_heldout and articles_oct below their floors (0.857 and 0.858) when articles_sept_b and
# articles_reserve became tuning data, later the same day; and the one after it, top 2, text weight 0.75, article
# weight 0.5, threshold 0.5, floor 0.1 and no theme at off-topic >= 0.7, scored the same two sets below their floors
# (0.856 and 0.864) when articles_sept_c and articles_days_b became tuning data)
INCUMBENT_ARTICLE_RULE = {
    "top": 1,
    "text_weight": 0.5,
    "threshold": 0.5,
    "floor": 0.2,
    "article_weight": 0.5,
    "off_topic_none": 0.95,
}
RULE_MARGIN = 0.01
# the rules of the grid: initiatives averaged (top k), text weight, article-model weight, threshold, floor
RULE_TOPS = (1, 2, 3, 5)
RULE_TEXT_WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
RULE_ARTICLE_WEIGHTS = (0.0, 0.25, 0.5, 0.75)
RULE_FLOORS = (None, 0.1, 0.2, 0.3)
# an article whose off-topic probability reaches this gets no theme at all (None: the off-topic model only turns
# the floor off); chosen on the tuning articles with the rest of the rule
RULE_NONE = (None, 0.6, 0.7, 0.8, 0.9, 0.95)
ARTICLE_C = (10.0, 30.0, 100.0, 300.0)  # the article model's C is chosen among these (out-of-fold log-loss)
RELEVANCE_C = (1.0, 3.0, 10.0, 30.0, 100.0)  # the off-topic model's C is chosen among these (out-of-fold log-loss)
# the floor is off when the off-topic probability reaches the threshold, chosen among these on the tuning articles
RELEVANCE_THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(10, 20))
MAX_CHARS = 4000  # the article text the model reads: its sentences that start before this character
ROUNDUP_SHARE = 0.5  # a news round-up's theme must stand in this share of its items (pipeline.themes.roundup_selection)


def build_pipeline(seed: int = SEED) -> Any:
    """The untrained scikit-learn pipeline (input: texts as :func:`pipeline.themes.prepare` makes them)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    # the clause's words and character n-grams; its sentence's words come marked ctx_ (pipeline.themes.join_words)
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(token_pattern=r"[^ ]+", ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True, min_df=2)),
        ]
    )
    clf = OneVsRestClassifier(
        LogisticRegression(C=16.0, class_weight="balanced", max_iter=5000, solver="liblinear", random_state=seed)
    )
    return Pipeline([("features", features), ("clf", clf)])


def _prf(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "support": tp + fn}


def _per_theme(scores: Sequence[Sequence[float]], gold: Sequence[Sequence[int]], th: Sequence[float]) -> dict[str, Any]:
    codes = [t.code for t in load_themes()]
    out: dict[str, Any] = {}
    for i, c in enumerate(codes):
        out[c] = _prf([row[i] >= th[i] for row in scores], [bool(g[i]) for g in gold])
    out["macro_f1"] = round(sum(out[c]["f1"] for c in codes) / len(codes), 3)
    return out


def _best_threshold(col: Sequence[float], gold: Sequence[int], grid: Sequence[float]) -> float:
    best, best_f = grid[0], -1.0
    for t in grid:
        f = _prf([x >= t for x in col], [bool(g) for g in gold])["f1"]
        if f > best_f + 1e-9:
            best, best_f = t, f
    return best


@dataclass(frozen=True)
class ArticleGold:
    article_id: str
    core: frozenset[str]
    ok: frozenset[str]


def read_article_gold(path: str | os.PathLike[str]) -> list[ArticleGold]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for doc in data["documents"]:
        for a in doc.get("articles", [doc]):
            if "themes_core" in a and "facts" not in a:
                out.append(ArticleGold(a["id"], frozenset(a["themes_core"]), frozenset(a.get("themes_ok", ()))))
    return out


def article_f1(pred: dict[str, set[str]], gold: Sequence[ArticleGold]) -> dict[str, float]:
    """The article score of issue 5: recall counts core themes found; precision gives a predicted theme
    full credit if core, half if merely touched (``themes_ok``), none otherwise; micro-averaged."""
    found, core, credit, npred = (float(x) for x in _article_counts(pred, gold).sum(axis=0))
    prec = credit / npred if npred else 0.0
    rec = found / core if core else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "articles": len(gold)}


def _article_counts(pred: dict[str, set[str]], gold: Sequence[ArticleGold]) -> np.ndarray:
    """Per article: core themes found, core themes, precision credit, predicted themes (the sums of
    :func:`article_f1`)."""
    import numpy as np

    rows = []
    for g in gold:
        p = pred.get(g.article_id, set())
        hit = len(p & g.core)
        rows.append((hit, len(g.core), hit + 0.5 * len(p & g.ok), len(p)))
    return np.asarray(rows, dtype=np.float64).reshape(-1, 4)


def _f1_of_sums(s: np.ndarray) -> np.ndarray:
    """Article F1 of summed counts (last axis: found, core, credit, predicted), unrounded."""
    import numpy as np

    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(s[..., 3] > 0, s[..., 2] / s[..., 3], 0.0)
        rec = np.where(s[..., 1] > 0, s[..., 0] / s[..., 1], 0.0)
        return np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)


def article_f1_interval(
    pred: dict[str, set[str]],
    gold: Sequence[ArticleGold],
    baseline: dict[str, set[str]] | None = None,
    *,
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = SEED,
) -> dict[str, float]:
    """A percentile bootstrap interval of :func:`article_f1` over articles (the articles are resampled with
    replacement ``n_boot`` times, with a fixed seed): ``{"level", "f1_low", "f1_high"}``. With ``baseline``, also the
    interval of the difference ``F1(pred) - F1(baseline)`` on the same resampled articles (paired):
    ``{"diff", "diff_low", "diff_high"}``. An interval says how much the score could move on another draw of
    articles like these; it knows nothing of articles unlike them."""
    import numpy as np

    if not gold:
        raise ValueError("no gold articles")
    counts = _article_counts(pred, gold)
    draws = np.random.default_rng(seed).integers(0, len(gold), size=(n_boot, len(gold)))
    f1 = _f1_of_sums(counts[draws].sum(axis=1))
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(f1, [tail, 100 - tail])
    out = {"level": level, "f1_low": round(float(lo), 3), "f1_high": round(float(hi), 3)}
    if baseline is not None:
        base_counts = _article_counts(baseline, gold)
        diff = f1 - _f1_of_sums(base_counts[draws].sum(axis=1))
        dlo, dhi = np.percentile(diff, [tail, 100 - tail])
        point = _f1_of_sums(counts.sum(axis=0)) - _f1_of_sums(base_counts.sum(axis=0))
        out.update(diff=round(float(point), 3), diff_low=round(float(dlo), 3), diff_high=round(float(dhi), 3))
    return out


@dataclass(frozen=True)
class ArticleInput:
    """A gold article as the pipeline sees it: its text, its initiative clauses with their sentences,
    and, for a news round-up, the item number of each clause and the number of items. ``words`` are the
    words the theme model reads the article's own text from (those of its sentences that start in the first
    ``max_chars`` characters, as :class:`pipeline.extract.initiatives.InitiativeStage` takes them)."""

    text: str
    words: list[str]
    clauses: list[str]
    contexts: list[str]
    items: list[int]
    n_items: int


def _article_inputs(root: Path, ids: set[str], segmenter: Segmenter, max_chars: int) -> dict[str, ArticleInput]:
    """The gold articles' inputs, as the pipeline makes them."""
    from .extract.initiatives import find_initiatives
    from .run import Pipeline, iter_articles

    pipe = Pipeline(stages=[])
    pipe.segmenter = segmenter
    out = {}
    for a in iter_articles([root / "corpus" / "seed", root / "corpus" / "news"], pipe):
        if a.article_id in ids:
            inits = find_initiatives(a.text, segmenter)
            rounds = roundup_items([(s.start, s.end) for s in a.subheadings], len(a.text))
            out[a.article_id] = ArticleInput(
                a.text,
                [w for s in pipe.sentences(a) if s.start < max_chars for w in s.tokens],
                [i.text for i in inits],
                [a.text[i.sentence_start : i.sentence_end] for i in inits],
                [item_of(rounds, i.start) for i in inits] if rounds else [],
                len(rounds),
            )
    return out


def fit_relevance(
    words: Sequence[Sequence[str]], numbers: Sequence[Sequence[float]], off_topic: Sequence[int], seed: int = SEED
) -> tuple[Relevance, list[float], dict[str, Any]]:
    """Fit the off-topic model (:mod:`pipeline.relevance`) on labelled articles: their words, their
    :func:`pipeline.relevance.relevance_numbers` and whether they are about none of the themes (1).

    C is chosen among :data:`RELEVANCE_C` by the log-loss of out-of-fold probabilities (5 stratified folds,
    seeded). Returns the model fitted on all articles, the out-of-fold probabilities of the chosen C (to tune
    the article rule on without the model having seen the article) and a report for the model card.
    """
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss, roc_auc_score
    from sklearn.model_selection import StratifiedKFold
    from sklearn.preprocessing import StandardScaler

    docs = [" ".join(w for w in ws if not w.isspace()) for ws in words]
    nums = np.asarray(numbers, dtype=np.float64)
    y = np.asarray(off_topic)

    def matrix(vec: Any, scaler: Any, idx: Any) -> Any:
        return sparse.hstack([vec.transform([docs[i] for i in idx]), sparse.csr_matrix(scaler.transform(nums[idx]))])

    def fit(idx: Any, c: float) -> tuple[Any, Any, Any]:
        vec = TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True, min_df=2).fit([docs[i] for i in idx])
        scaler = StandardScaler().fit(nums[idx])
        # liblinear, as the clause model (lbfgs gave weights that differed in their last digits between test runs)
        clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=seed)
        return vec, scaler, clf.fit(matrix(vec, scaler, idx).tocsr(), y[idx])

    folds = list(StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(docs, y))
    best: tuple[float, float, Any] | None = None
    for c in RELEVANCE_C:
        oof = np.zeros(len(y))
        for fit_idx, val_idx in folds:
            vec, scaler, clf = fit(fit_idx, c)
            oof[val_idx] = clf.predict_proba(matrix(vec, scaler, val_idx).tocsr())[:, 1]
        loss = float(log_loss(y, oof))
        if best is None or loss < best[0] - 1e-12:
            best = (loss, c, oof)
    assert best is not None
    loss, c, oof = best
    every = np.arange(len(y))
    vec, scaler, clf = fit(every, c)
    relevance = Relevance.from_sklearn(vec, scaler, clf, 0.5)  # the threshold is chosen later, with the rule
    # the numbers saved must give scikit-learn's probabilities (the pipeline reads them without scikit-learn)
    want = clf.predict_proba(matrix(vec, scaler, every).tocsr())[:, 1]
    got = np.array([relevance.off_topic(w, n) for w, n in zip(words, numbers, strict=True)])
    if not np.allclose(got, want, rtol=0, atol=1e-9):
        raise AssertionError(f"off-topic model: saved numbers differ from scikit-learn by {np.abs(got - want).max()}")
    report = {
        "C": c,
        "oof_log_loss": round(loss, 3),
        "oof_auc": round(float(roc_auc_score(y, oof)), 3),
        "articles": len(y),
        "off_topic": int(y.sum()),
        "terms": len(vec.vocabulary_),
    }
    return relevance, oof.tolist(), report


def fit_article_model(
    words: Sequence[Sequence[str]], core: Sequence[Sequence[int]], codes: Sequence[str], seed: int = SEED
) -> tuple[ArticleModel, Any, dict[str, Any]]:
    """Fit the article model (:mod:`pipeline.article_model`) on labelled articles: their words and, per theme,
    whether it is one of their core themes (1).

    C is chosen among :data:`ARTICLE_C` by the mean log-loss over themes of out-of-fold probabilities (5 folds,
    shuffled, seeded). Returns the model fitted on all articles, the out-of-fold probabilities of the chosen C
    (``(n_articles, n_themes)``, to tune the article rule on without the model having seen the article) and
    a report for the model card.
    """
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.model_selection import KFold

    docs = [" ".join(w for w in ws if not w.isspace()) for ws in words]
    y = np.asarray(core, dtype=int)

    def fit(idx: Any, c: float) -> tuple[Any, list[Any]]:
        """The vectorizer and one classifier per theme; None for a theme with no core (or only core) articles
        among ``idx`` (a rare theme can fall entirely into one validation fold)."""
        vec = TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True, min_df=2).fit([docs[i] for i in idx])
        x = vec.transform([docs[i] for i in idx])
        clfs: list[Any] = []
        for j in range(y.shape[1]):
            if not 0 < y[idx, j].sum() < len(idx):
                clfs.append(None)
                continue
            clf = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=seed)
            clfs.append(clf.fit(x, y[idx, j]))
        return vec, clfs

    folds = list(KFold(n_splits=5, shuffle=True, random_state=seed).split(docs))
    best: tuple[float, float, Any] | None = None
    for c in ARTICLE_C:
        oof = np.zeros(y.shape)
        for fit_idx, val_idx in folds:
            vec, clfs = fit(fit_idx, c)
            x = vec.transform([docs[i] for i in val_idx])
            for j, clf in enumerate(clfs):
                # a theme the fold's training articles cannot teach gets their share of core articles
                oof[val_idx, j] = y[fit_idx, j].mean() if clf is None else clf.predict_proba(x)[:, 1]
        loss = float(np.mean([log_loss(y[:, j], oof[:, j], labels=[0, 1]) for j in range(y.shape[1])]))
        if best is None or loss < best[0] - 1e-12:
            best = (loss, c, oof)
    assert best is not None
    loss, c, oof = best
    every = np.arange(len(docs))
    vec, clfs = fit(every, c)
    missing = [code for code, clf in zip(codes, clfs, strict=True) if clf is None]
    if missing:
        raise ValueError(f"article model: no core (or only core) tuning articles for {missing}")
    model = ArticleModel.from_sklearn(codes, vec, clfs)
    # the numbers saved must give scikit-learn's probabilities (the pipeline reads them without scikit-learn)
    x = vec.transform(docs)
    want = np.stack([clf.predict_proba(x)[:, 1] for clf in clfs], axis=1)
    got = np.array([model.proba(ws) for ws in words])
    if not np.allclose(got, want, rtol=0, atol=1e-9):
        raise AssertionError(f"article model: saved numbers differ from scikit-learn by {np.abs(got - want).max()}")
    report = {
        "C": c,
        "oof_log_loss": round(loss, 3),
        "articles": len(docs),
        "core": {code: int(y[:, j].sum()) for j, code in enumerate(codes)},
        "terms": len(vec.vocabulary_),
    }
    return model, oof, report


@dataclass(frozen=True)
class _RuleInputs:
    """The tuning articles' probabilities as arrays, so that every rule of the grid is scored without a Python
    loop over articles (:func:`_rule_f1`; the same F1 as :func:`article_f1` of the rule's predictions)."""

    text: Any  # (n, T) text probabilities
    tops: dict[int, Any]  # k -> (n, T): sum of the k highest initiative probabilities / k (text when none)
    article: Any  # (n, T) article-model probabilities
    off_topic: Any  # (n,) off-topic probabilities
    allowed: Any  # (n, T) False for a theme a news round-up drops (pipeline.themes.roundup_selection)
    core: Any  # (n, T) gold core themes
    ok: Any  # (n, T) gold touched themes


@dataclass(frozen=True)
class _RuleRows(_RuleInputs):
    rows: Any = None  # the slice of the full arrays these rows are


def _rule_rows(d: _RuleInputs, rows: slice) -> _RuleRows:
    """The rule inputs of some of the tuning articles (``rows`` of the arrays)."""
    return _RuleRows(
        d.text[rows],
        {k: v[rows] for k, v in d.tops.items()},
        d.article[rows],
        d.off_topic[rows],
        d.allowed[rows],
        d.core[rows],
        d.ok[rows],
        rows,
    )


def tuning_set_floors(root: Path, sets: Iterable[str]) -> dict[str, float]:
    """The article F1 floors of tuning sets (``articles_NAME_f1`` of the ``themes`` floors in
    ``tests/quality_floors.json`` under ``root``; none when the file is absent)."""
    path = root / "tests" / "quality_floors.json"
    if not path.exists():
        return {}
    themes = json.loads(path.read_text(encoding="utf-8")).get("themes", {})
    return {n: float(themes[f"{n}_f1"]) for n in sets if f"{n}_f1" in themes}


def _rule_scores(d: _RuleInputs, top: int, w: float, a: float) -> Any:
    s = w * d.text + (1 - w) * d.tops[top]
    return (1 - a) * s + a * d.article if a else s


def _rule_f1(
    d: _RuleInputs,
    top: int,
    w: float,
    a: float,
    t: float,
    floor: float | None,
    gate: float,
    none_at: float | None = None,
    s: Any = None,
) -> float:
    """The rule's article F1 on the arrays (``s``: its scores when the caller has them)."""
    import numpy as np

    if s is None:
        s = _rule_scores(d, top, w, a)
    chosen = s >= t
    if floor is not None:
        best = s.argmax(axis=1)
        rows = np.flatnonzero(~chosen.any(axis=1) & (d.off_topic < gate) & (s[np.arange(len(s)), best] >= floor))
        chosen[rows, best[rows]] = True
    if none_at is not None:
        chosen[d.off_topic >= none_at] = False
    chosen &= d.allowed
    found = int((chosen & d.core).sum())
    credit = found + 0.5 * int((chosen & d.ok).sum())
    npred, ncore = int(chosen.sum()), int(d.core.sum())
    prec = credit / npred if npred else 0.0
    rec = found / ncore if ncore else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0  # unrounded (article_f1 rounds to 3 places)


def train(
    root: str | os.PathLike[str], out_dir: str | os.PathLike[str], *, seed: int = SEED, log: Any = print
) -> dict[str, Any]:
    """Train, evaluate and write the theme model; returns the metadata written to ``meta.json``."""
    import numpy as np
    import sklearn
    import skops
    import skops.io as sio
    from sklearn.model_selection import GroupKFold

    root = Path(root)
    ann = root / "corpus" / "annotations"
    clause_files = [ann / name for name in CLAUSE_FILES]
    themes = load_themes()
    codes = [t.code for t in themes]
    rows = []
    for clauses_file in clause_files:
        part = [json.loads(line) for line in clauses_file.read_text(encoding="utf-8").splitlines() if line.strip()]
        bad = sorted({lab for r in part for lab in r["labels"]} - set(codes))
        if bad:
            raise ValueError(f"{clauses_file}: unknown theme codes {bad}")
        rows += part
    if len({r["id"] for r in rows}) != len(rows):
        raise ValueError(f"{', '.join(map(str, clause_files))}: a clause id is used twice")
    seg = Segmenter()
    train_rows = [r for r in rows if r["split"] == "train"]
    test_rows = [r for r in rows if r["split"] == "test"]
    x_train = prepare([r["text"] for r in train_rows], seg, [r["context"] for r in train_rows])
    x_test = prepare([r["text"] for r in test_rows], seg, [r["context"] for r in test_rows])
    y_train = np.array([[int(c in r["labels"]) for c in codes] for r in train_rows])
    y_test = np.array([[int(c in r["labels"]) for c in codes] for r in test_rows])
    groups = [r["doc_id"] for r in train_rows]
    log(f"clauses: {len(train_rows)} train, {len(test_rows)} held-out")

    # 2. out-of-fold probabilities, grouped by document, under CV_REPEATS assignments of documents to folds ->
    # thresholds and cross-validated scores on all of them pooled
    oofs = []
    fold_models, fold_docs = [], []  # of the first assignment, kept for the off-topic model's inputs (step 4)
    for r in range(CV_REPEATS):
        folds = GroupKFold(n_splits=5) if r == 0 else GroupKFold(n_splits=5, shuffle=True, random_state=seed + r)
        oof = np.zeros(y_train.shape)
        for fit_idx, val_idx in folds.split(x_train, y_train, groups):
            m = build_pipeline(seed).fit([x_train[i] for i in fit_idx], y_train[fit_idx])
            oof[val_idx] = m.predict_proba([x_train[i] for i in val_idx])
            if r == 0:
                fold_models.append(m)
                fold_docs.append({groups[i] for i in val_idx})
        oofs.append(oof)
    oof_all, y_all = np.vstack(oofs), np.vstack([y_train] * CV_REPEATS)
    thresholds = [_best_threshold(oof_all[:, i], y_all[:, i], GRID) for i in range(len(codes))]
    cv = _per_theme(oof_all.tolist(), y_all.tolist(), thresholds)
    log(f"cross-validated macro-F1 {cv['macro_f1']}")

    # 3. fit on the training split; score the held-out clauses, beside the keyword baseline
    model = build_pipeline(seed).fit(x_train, y_train)
    for _, vec in model.named_steps["features"].transformer_list:
        vec.stop_words_ = None  # the terms min_df pruned: only kept for introspection, and most of the file
    p_test = model.predict_proba(x_test)
    held = _per_theme(p_test.tolist(), y_test.tolist(), thresholds)
    kw_train = keyword_scores([r["text"] for r in train_rows])
    kw_th = [
        _best_threshold([row[i] for row in kw_train], y_train[:, i].tolist(), [1, 2, 3]) for i in range(len(codes))
    ]
    kw_held = _per_theme(keyword_scores([r["text"] for r in test_rows]), y_test.tolist(), kw_th)
    log(f"held-out clause macro-F1 {held['macro_f1']} (keyword rules {kw_held['macro_f1']})")

    # 4. articles: fit the off-topic model and choose the mix and threshold on the tuning gold, then score the
    # held-out gold
    tm = ThemeModel(model, thresholds, {})
    tune_sets = {n: read_article_gold(ann / f"{n}.json") for n in TUNING_ARTICLE_GOLD}
    tune_gold = [g for gs in tune_sets.values() for g in gs]
    held_sets = {n: read_article_gold(ann / f"{n}.json") for n in HELDOUT_ARTICLE_GOLD}
    held_gold = [g for gs in held_sets.values() for g in gs]
    every = tune_gold + held_gold
    both = {g.article_id.split("#")[0] for g in tune_gold} & {g.article_id.split("#")[0] for g in held_gold}
    if both:  # the held-out articles' probabilities would replace the out-of-fold ones of the same articles
        raise ValueError(f"held-out article gold: documents also in the tuning article gold: {sorted(both)[:5]}")
    inputs = _article_inputs(root, {g.article_id for g in every}, seg, MAX_CHARS)
    missing = [g.article_id for g in every if g.article_id not in inputs]
    if missing:
        raise ValueError(f"article gold names articles the corpus does not have: {missing[:5]}")

    def article_probs(m: ThemeModel, a: ArticleInput) -> tuple[list[float], list[list[float]]]:
        return m.proba_words([a.words])[0], (m.proba(a.clauses, seg, a.contexts) if a.clauses else [])

    probs = {aid: article_probs(tm, a) for aid, a in inputs.items()}
    # the off-topic model learns from probabilities like those of new articles: a tuning article of a training
    # document is read by the fold model that did not see its document's clauses
    fold_of = {doc: k for k, docs in enumerate(fold_docs) for doc in docs}
    fold_tms = [ThemeModel(m, thresholds, {}) for m in fold_models]
    oof_probs = {}
    for g in tune_gold:
        k = fold_of.get(g.article_id.split("#")[0])
        oof_probs[g.article_id] = probs[g.article_id] if k is None else article_probs(fold_tms[k], inputs[g.article_id])

    def numbers(aid: str, p: dict[str, tuple[list[float], list[list[float]]]]) -> list[float]:
        return relevance_numbers(p[aid][0], p[aid][1], thresholds, len(inputs[aid].text))

    relevance, rel_oof, rel_report = fit_relevance(
        [inputs[g.article_id].words for g in tune_gold],
        [numbers(g.article_id, oof_probs) for g in tune_gold],
        [int(not g.core) for g in tune_gold],
        seed,
    )
    off_topic = dict(zip([g.article_id for g in tune_gold], rel_oof, strict=True))  # out-of-fold
    for g in held_gold:
        off_topic[g.article_id] = relevance.off_topic(inputs[g.article_id].words, numbers(g.article_id, probs))
    log(
        f"off-topic model: C={rel_report['C']}, out-of-fold log-loss {rel_report['oof_log_loss']} "
        f"on {rel_report['articles']} tuning articles ({rel_report['off_topic']} off-topic)"
    )

    # the article model: what each article as a whole is about (out-of-fold for the tuning articles)
    article_model, art_oof, art_report = fit_article_model(
        [inputs[g.article_id].words for g in tune_gold],
        [[int(c in g.core) for c in codes] for g in tune_gold],
        codes,
        seed,
    )
    art_probs = {g.article_id: list(row) for g, row in zip(tune_gold, art_oof.tolist(), strict=True)}
    for g in held_gold:
        art_probs[g.article_id] = article_model.proba(inputs[g.article_id].words)
    log(
        f"article model: C={art_report['C']}, out-of-fold log-loss {art_report['oof_log_loss']} "
        f"on {art_report['articles']} tuning articles"
    )
    # the rule is chosen on what new articles would give: clause probabilities of the fold model that did not
    # see the article's document, out-of-fold off-topic and article-model probabilities
    seen = {**probs, **oof_probs}

    def predict(gold: Sequence[ArticleGold], how: dict[str, Any], gate: float) -> dict[str, set[str]]:
        out = {}
        for g in gold:
            tp, ip = seen[g.article_id]
            p_off = off_topic[g.article_id]
            scores = article_scores(ip, tp, how, art_probs[g.article_id])
            chosen = article_selection(scores, how, floor=p_off < gate, off_topic=p_off)
            a = inputs[g.article_id]
            if a.n_items:  # a news round-up: only themes that run through its items
                chosen = roundup_selection(chosen, ip, a.items, a.n_items, thresholds, how["roundup_share"])
            out[g.article_id] = {codes[i] for i in chosen}
        return out

    def rule(top: int, w: float, a: float, t: float, floor: float | None, none_at: float | None) -> dict[str, Any]:
        return {
            "top": top,
            "text_weight": w,
            "article_weight": a,
            "thresholds": [t] * len(codes),
            "floor": floor,
            "off_topic_none": none_at,
            "max_chars": MAX_CHARS,
            "roundup_share": ROUNDUP_SHARE,
        }

    # every rule of the grid with every off-topic threshold, scored on the tuning articles as arrays
    ids = [g.article_id for g in tune_gold]
    tp_arr = np.array([seen[i][0] for i in ids], dtype=np.float64)
    tops = {}
    for k in RULE_TOPS:
        top_k = []
        for i, t in zip(ids, tp_arr, strict=True):
            ip = np.asarray(seen[i][1], dtype=np.float64).reshape(-1, len(codes))
            top_k.append(-np.sort(-ip, axis=0)[:k].sum(axis=0) / k if len(ip) else t)
        tops[k] = np.array(top_k)
    allowed = np.ones((len(ids), len(codes)), dtype=bool)
    for r, i in enumerate(ids):
        a = inputs[i]
        if a.n_items:
            keep = roundup_selection(set(range(len(codes))), seen[i][1], a.items, a.n_items, thresholds, ROUNDUP_SHARE)
            allowed[r] = [j in keep for j in range(len(codes))]
    grid_inputs = _RuleInputs(
        tp_arr,
        tops,
        np.array([art_probs[i] for i in ids], dtype=np.float64),
        np.array([off_topic[i] for i in ids], dtype=np.float64),
        allowed,
        np.array([[c in g.core for c in codes] for g in tune_gold]),
        np.array([[c in g.ok for c in codes] for g in tune_gold]),
    )
    # the tuning sets with a quality floor (tests/quality_floors.json): a rule that scores a set below its floor
    # is not chosen (the floors were set on these sets' scores; they hold whatever tuning data is added)
    set_floors = tuning_set_floors(root, tune_sets)
    set_rows: dict[str, _RuleRows] = {}
    start = 0
    for name, gs in tune_sets.items():
        if name in set_floors:
            set_rows[name] = _rule_rows(grid_inputs, slice(start, start + len(gs)))
        start += len(gs)

    def set_f1(cand: tuple[Any, ...], s: Any = None) -> dict[str, float]:
        """The rule ``cand``'s F1 on each floored tuning set (``s``: its scores on all tuning articles)."""
        return {
            name: round(_rule_f1(d, *cand[:5], cand[5], cand[6], None if s is None else s[d.rows]), 3)
            for name, d in set_rows.items()
        }

    def below_floor(cand: tuple[Any, ...], s: Any = None) -> list[str]:
        """The floored tuning sets the rule ``cand`` scores below their floor."""
        return [name for name, f in set_f1(cand, s).items() if f < set_floors[name]]

    inc = INCUMBENT_ARTICLE_RULE
    inc_args = (int(inc["top"]), inc["text_weight"], inc["article_weight"], inc["threshold"], inc["floor"])
    # the incumbent with its best off-topic threshold, among those that meet the floors when any does
    inc_none = inc.get("off_topic_none")
    inc_gates = [(_rule_f1(grid_inputs, *inc_args, off, inc_none), -off) for off in RELEVANCE_THRESHOLDS]
    inc_ok = [fg for fg in inc_gates if not below_floor((*inc_args, -fg[1], inc_none))]
    inc_f1, inc_gate = max(inc_ok or inc_gates)
    inc_cand = (*inc_args, -inc_gate, inc_none)
    inc_below = below_floor(inc_cand)
    best: tuple[float, tuple[Any, ...]] | None = None
    # the best rules without the article model (its weight 0) and without the off-topic model (no floor, so no
    # off-topic threshold, and no article taken off), for the model card
    ablated: dict[str, tuple[float, tuple[Any, ...]]] = {}
    for top in RULE_TOPS:
        for w in RULE_TEXT_WEIGHTS:
            for aw in RULE_ARTICLE_WEIGHTS:
                s = _rule_scores(grid_inputs, top, w, aw)
                for t in GRID:
                    for floor in RULE_FLOORS:
                        if floor is not None and floor >= t:
                            continue
                        for off in RELEVANCE_THRESHOLDS:
                            for none_at in RULE_NONE:
                                f = _rule_f1(grid_inputs, top, w, aw, t, floor, off, none_at, s)
                                cand = (top, w, aw, t, floor, off, none_at)
                                if (best is None or f > best[0] + 1e-9) and not below_floor(cand, s):
                                    best = (f, cand)
                                for name, without in (
                                    ("article_model", aw == 0),
                                    ("off_topic_model", floor is None and none_at is None),
                                ):
                                    if without and (name not in ablated or f > ablated[name][0] + 1e-9):
                                        ablated[name] = (f, cand)
    if best is None:
        raise ValueError(f"article rule: no rule of the grid meets the floors of the tuning sets {set_floors}")
    # the incumbent stays unless a rule clearly beats it, or it falls below a floor
    args = best[1] if inc_below or best[0] > inc_f1 + RULE_MARGIN else inc_cand
    how, gate = rule(*args[:5], args[6]), args[5]
    relevance = replace(relevance, threshold=gate)
    rel_report["threshold"] = gate
    below = f" (below the floor of {', '.join(inc_below)})" if inc_below else ""
    log(
        f"article rule: tuning F1 {inc_f1:.4f} for the incumbent rule (off-topic threshold {-inc_gate}){below}, "
        f"{best[0]:.4f} for the best of the grid that meets the floors {best[1]}; in use: {args}"
    )
    rule_choice = {
        "incumbent": list(inc_cand),
        "incumbent_tuning_f1": round(inc_f1, 4),
        "incumbent_below_floors": inc_below,
        "incumbent_set_f1": set_f1(inc_cand),
        "best": list(best[1]),
        "best_tuning_f1": round(best[0], 4),
        "margin": RULE_MARGIN,
        "set_floors": set_floors,
    }
    art_tune = article_f1(predict(tune_gold, how, gate), tune_gold)
    if art_tune["f1"] != round(_rule_f1(grid_inputs, *args), 3):  # the arrays score a rule as its predictions do
        raise AssertionError(f"article rule grid: {_rule_f1(grid_inputs, *args)} for {args}, predictions {art_tune}")
    art_held = article_f1(predict(held_gold, how, gate), held_gold)
    art_held_sets = {name: article_f1(predict(gs, how, gate), gs) for name, gs in held_sets.items()}
    art_sets = {name: article_f1(predict(gs, how, gate), gs) for name, gs in tune_sets.items()}
    # the best rule of the grid without each article-level model, scored like the rule in use
    ablations = {}
    for name, (_, a_args) in ablated.items():
        a_how, a_gate = rule(*a_args[:5], a_args[6]), a_args[5]
        ablations[f"without_{name}"] = {
            "rule": list(a_args),
            "tuning": article_f1(predict(tune_gold, a_how, a_gate), tune_gold)["f1"],
            "heldout": article_f1(predict(held_gold, a_how, a_gate), held_gold)["f1"],
        }

    def kw_predict(gold: Sequence[ArticleGold], k: float) -> dict[str, set[str]]:
        out = {}
        for g in gold:
            text = inputs[g.article_id].text
            s = keyword_scores([text])[0]
            per_kchar = [v / max(len(text), 1) * 1000 for v in s]
            out[g.article_id] = {c for c, v in zip(codes, per_kchar, strict=True) if v >= k}
        return out

    ks = [0.25 * i for i in range(1, 41)]
    kbest = max(ks, key=lambda k: (article_f1(kw_predict(tune_gold, k), tune_gold)["f1"], -k))
    kw_tune = article_f1(kw_predict(tune_gold, kbest), tune_gold)
    kw_held_art = article_f1(kw_predict(held_gold, kbest), held_gold)
    kw_held_best = max(article_f1(kw_predict(held_gold, k), held_gold)["f1"] for k in ks)
    kw = f"keyword rules {kw_held_art['f1']}, at their best threshold {kw_held_best}"
    # how far the held-out score could move on another draw of such articles, and the model's lead over the
    # keyword rules on the same resampled articles
    held_interval = article_f1_interval(predict(held_gold, how, gate), held_gold, kw_predict(held_gold, kbest))
    log(
        f"articles held-out F1 {art_held['f1']} (95% interval {held_interval['f1_low']}-{held_interval['f1_high']};"
        f" {kw})"
    )

    # 5. write atomically
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp_model = out / ".model.skops.tmp"
    import zipfile

    # the vocabularies go to a plain JSON file (term lists in index order): as skops objects they would be
    # hundreds of thousands of nodes that take seconds to audit and load
    vocab = {}
    for name, vec in model.named_steps["features"].transformer_list:
        vocab[name] = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        vec.vocabulary_ = {}
    try:
        # deflate: LZMA made the file smaller (4.2 MB against 5.8 MB), but reading it took about 0.2-0.3 s of
        # every run's start instead of 0.04 s (the cold-start target of issue 6 is 2 s in all)
        sio.dump(model, tmp_model, compression=zipfile.ZIP_DEFLATED)
    finally:
        for name, vec in model.named_steps["features"].transformer_list:
            vec.vocabulary_ = {t: i for i, t in enumerate(vocab[name])}
    write_text_atomic(out / "vocabulary.json", json.dumps(vocab, ensure_ascii=False, separators=(",", ":")))
    trusted = sio.get_untrusted_types(file=tmp_model)
    os.chmod(tmp_model, 0o644)
    os.replace(tmp_model, out / "model.skops")
    article_model.save(out / "article_model.npz")
    write_text_atomic(
        out / "relevance.json", json.dumps(relevance.to_json(), ensure_ascii=False, separators=(",", ":"))
    )
    counts = {c: int(y_train[:, i].sum() + y_test[:, i].sum()) for i, c in enumerate(codes)}
    meta = {
        "govmine": __version__,
        "trained": datetime.now(UTC).strftime("%Y-%m-%d"),
        "seed": seed,
        "python": platform.python_version(),
        "libraries": {"scikit-learn": sklearn.__version__, "skops": skops.__version__, "numpy": np.__version__},
        "data": {
            "clauses": [str(f.relative_to(root)) for f in clause_files],
            # of the files' sha256 digests, one per line in this order
            "sha256": hashlib.sha256("".join(file_sha256(f) + "\n" for f in clause_files).encode()).hexdigest(),
            "train": len(train_rows),
            "test": len(test_rows),
            "label_counts": counts,
            "no_theme": int(sum(1 for r in rows if not r["labels"])),
        },
        "codes": codes,
        "thresholds": thresholds,
        "article": how,
        "relevance": rel_report,
        "article_model": art_report,
        # the article-level models belong to this meta.json: load_model compares these hashes
        "files": {name: file_sha256(out / name) for name in ("relevance.json", "article_model.npz")},
        "trusted_types": trusted,
        "metrics": {
            "clauses_cv": cv,
            "clauses_heldout": held,
            "clauses_heldout_keywords": kw_held,
            "keyword_thresholds": kw_th,
            "articles_tuning": art_tune,
            "articles_heldout_sets": list(HELDOUT_ARTICLE_GOLD),
            "articles_heldout": art_held,
            "articles_heldout_by_set": art_held_sets,
            "articles_heldout_interval": held_interval,
            "articles_ablations": ablations,
            "articles_rule_choice": rule_choice,
            "articles_tuning_sets": art_sets,
            "articles_tuning_keywords": kw_tune,
            "articles_heldout_keywords": kw_held_art,
            "articles_heldout_keywords_best_threshold_f1": kw_held_best,
            "keyword_article_threshold_per_1000_chars": kbest,
        },
    }
    write_json_atomic(out / "meta.json", meta)
    write_text_atomic(out / "README.md", model_card(meta))
    return meta


def _rule_choice_line(c: dict[str, Any] | None) -> str:
    """How this run chose its article rule, for the model card."""
    if not c:
        return ""
    inc = f"The rule in use before scored {c['incumbent_tuning_f1']} on the tuning articles"
    if c["incumbent_below_floors"]:
        return (
            f" {inc} but fell below the floors of {', '.join(c['incumbent_below_floors'])}; the best rule that meets"
            f" every floor ({c['best_tuning_f1']}) replaced it."
        )
    if c["best"] == c["incumbent"]:
        return f" {inc}, the best of the grid."
    verdict = "replaced it" if c["best_tuning_f1"] > c["incumbent_tuning_f1"] + c["margin"] else "did not replace it"
    return f" {inc}; the best rule of the grid ({c['best_tuning_f1']}) {verdict}."


def model_card(meta: dict[str, Any]) -> str:
    """The model card (``models/themes/README.md``) from the metadata of a training run."""
    themes = {t.code: t for t in load_themes()}
    m = meta["metrics"]
    rel = meta["relevance"]
    art = meta["article"]
    am = meta["article_model"]
    ab = m["articles_ablations"]
    lines = [
        "# Theme model (models/themes)",
        "",
        "Labels initiative clauses and articles with the ten governance themes of `pipeline/data/themes.toml`.",
        "Written by `govmine train` (do not edit by hand; rerun it). Load it with `pipeline.themes.load_model()`",
        "(it predicts with `pipeline.scorer`, which reads the fitted arrays from `model.skops` without building any",
        "object; `model.pipeline` loads the scikit-learn pipeline with skops, trusting only the types listed in",
        "`meta.json`) or use `classify_themes(texts)`.",
        "",
        "## Model",
        "",
        "TF-IDF over jieba words (1-2 grams) and character 1-3 grams of the clause followed by the words of its",
        "sentence marked `ctx_`, into one logistic regression per theme",
        "(one-vs-rest, `class_weight=balanced`, C=16 chosen by cross-validation, liblinear). A theme is given",
        "when its probability reaches the theme's threshold, chosen on out-of-fold probabilities of 5-fold",
        f"cross-validations grouped by document on the training split ({CV_REPEATS} assignments of documents to",
        "folds, pooled). Article scores mix the whole text's",
        f"probability (weight {art['text_weight']}) with the mean of the top {art['top']} initiative",
        f"probabilities, and that with the article model's probability (weight {art.get('article_weight', 0.0)},",
        f"below); threshold {art['thresholds'][0]}. When no theme reaches it, the article gets its best theme if",
        f"that scores at least {art['floor']} (the floor), unless the off-topic model says it is about none of",
        "the themes (below)"
        + (
            f"; an article whose off-topic probability reaches {art['off_topic_none']} gets no theme at all"
            if art.get("off_topic_none") is not None
            else ""
        )
        + ". Mix, thresholds, floor and off-topic thresholds are chosen together on the tuning",
        "articles (the files below), with the probabilities a new article would get (clause probabilities of",
        "the fold model that did not see the article's document; out-of-fold off-topic and article-model",
        f"probabilities); the rule in use is kept unless another beats it there by more than {RULE_MARGIN} F1,",
        "and no rule is chosen that scores a tuning set below its quality floor (`tests/quality_floors.json`)."
        + _rule_choice_line(meta["metrics"].get("articles_rule_choice")),
        "",
        "## Article model (`article_model.npz`)",
        "",
        "Whether a theme is an article's main theme is a judgment about the whole article. One logistic",
        "regression per theme (balanced classes) over TF-IDF of the article's words, fitted on the core themes",
        f"of the {am['articles']} tuning articles; C={am['C']} chosen by out-of-fold log-loss ({am['oof_log_loss']},",
        "mean over themes). Core articles per theme: "
        + ", ".join(f"{c} {n}" for c, n in am["core"].items())
        + ". Saved as numpy arrays (read with `allow_pickle=False`)",
        "and read without scikit-learn; `govmine train` checks they give scikit-learn's probabilities.",
        "",
        "## Off-topic model (`relevance.json`)",
        "",
        "Many news items are about none of the ten themes (diplomacy, disasters, science, culture, leaders'",
        "general speeches). A logistic regression (balanced classes) over TF-IDF of the article's words and",
        "five standardised numbers from the theme probabilities (`pipeline.relevance.NUMBERS`) gives the",
        f"probability that an article is off-topic; at {rel['threshold']} or more the floor does not apply.",
        f"Fitted on the {rel['articles']} tuning articles ({rel['off_topic']} off-topic; clause probabilities of",
        "training documents from the fold model that did not see them), C={} chosen by out-of-fold log-loss".format(
            rel["C"]
        ),
        f"({rel['oof_log_loss']}; out-of-fold AUC {rel['oof_auc']}); threshold chosen on the tuning articles",
        "with their out-of-fold probabilities. Saved as plain numbers (no code runs on load) and read without",
        "scikit-learn; `govmine train` checks they give scikit-learn's probabilities.",
        "",
        "## Training run",
        "",
        f"- govmine {meta['govmine']}, trained {meta['trained']}, seed {meta['seed']}, Python {meta['python']}",
        "- libraries: " + ", ".join(f"{k} {v}" for k, v in meta["libraries"].items()),
        "- data: "
        + ", ".join(f"`{f}`" for f in meta["data"]["clauses"])
        + f" (sha256 `{meta['data']['sha256'][:16]}…` "
        "of their digests), "
        f"{meta['data']['train']} training and {meta['data']['test']} held-out clauses "
        f"({meta['data']['no_theme']} with no theme)",
        "",
        "## Clauses: per-theme scores",
        "",
        "| theme | 主题 | clauses | threshold | CV P | CV R | CV F1 | held-out P | held-out R | held-out F1 "
        "| keywords F1 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(meta["codes"]):
        cv, h, k = m["clauses_cv"][c], m["clauses_heldout"][c], m["clauses_heldout_keywords"][c]
        lines.append(
            f"| `{c}` | {themes[c].label} | {meta['data']['label_counts'][c]} | {meta['thresholds'][i]} | "
            f"{cv['precision']} | {cv['recall']} | {cv['f1']} | {h['precision']} | {h['recall']} | {h['f1']} | "
            f"{k['f1']} |"
        )
    lines += [
        f"| **macro** | | | | | | {m['clauses_cv']['macro_f1']} | | | **{m['clauses_heldout']['macro_f1']}** | "
        f"{m['clauses_heldout_keywords']['macro_f1']} |",
        "",
        "CV scores use the thresholds chosen on the same out-of-fold probabilities, so they are slightly optimistic;",
        "the held-out scores are not.",
        "",
        "## Articles",
        "",
        "Scored as issue 5 defines it: recall counts core themes found; precision gives a predicted theme full",
        "credit if core, half if merely touched, none otherwise (micro-averaged over articles).",
        "",
        "| gold | articles | model P | model R | model F1 | keyword rules F1 |",
        "|---|---|---|---|---|---|",
        f"| tuning: the {len(m['articles_tuning_sets'])} files below (rule chosen here) | "
        f"{m['articles_tuning']['articles']} | "
        f"{m['articles_tuning']['precision']} | {m['articles_tuning']['recall']} | {m['articles_tuning']['f1']} | "
        f"{m['articles_tuning_keywords']['f1']} |",
    ]

    def set_row(name: str, a: dict[str, Any]) -> str:
        return f"| - `{name}.json` | {a['articles']} | {a['precision']} | {a['recall']} | {a['f1']} | |"

    lines += [set_row(name, a) for name, a in m.get("articles_tuning_sets", {}).items()]
    held_names = " + ".join(f"`{n}.json`" for n in m["articles_heldout_sets"])
    lines += [
        f"| held-out: {held_names} | {m['articles_heldout']['articles']} | "
        f"{m['articles_heldout']['precision']} | {m['articles_heldout']['recall']} | "
        f"**{m['articles_heldout']['f1']}** | "
        f"{m['articles_heldout_keywords']['f1']} "
        f"(at their best threshold on this set: {m['articles_heldout_keywords_best_threshold_f1']}) |",
    ]
    by_set = m.get("articles_heldout_by_set", {})
    if len(by_set) > 1:  # one row per held-out set scored together
        lines += [set_row(name, a) for name, a in by_set.items()]
    lines.append("")
    iv = m.get("articles_heldout_interval")
    if iv:
        lines += [
            f"Held-out F1, {iv['level']:.0%} bootstrap interval over its articles: {iv['f1_low']}-{iv['f1_high']}. "
            f"The model's lead over the keyword rules on the same articles: {iv['diff']} "
            f"({iv['diff_low']}-{iv['diff_high']}).",
            "",
        ]
    lines += [
        "Tuning scores use the probabilities the rule is chosen on (out-of-fold, see above); they are somewhat",
        "optimistic all the same, because the rule and the thresholds are chosen on these very scores.",
        "Each tuning set whose name is not `articles_tuning`, `articles_check`, `articles_extra`, `articles_random`,",
        "`articles_rest`, `articles_days` or `articles_days_b` was the held-out set until a newer one replaced it",
        "(`corpus/annotations/README.md` tells when, and how often each was scored). The held-out sets' documents",
        "are never used to fit or choose anything.",
        "The best rule of the grid without the article model (article weight 0) scores "
        f"{ab['without_article_model']['tuning']} (tuning) and {ab['without_article_model']['heldout']} (held-out);",
        "the best without the off-topic model (no floor, so no off-topic threshold, and no article taken off) "
        f"{ab['without_off_topic_model']['tuning']} and {ab['without_off_topic_model']['heldout']}.",
    ]
    lines += [
        "",
        "A news round-up (`pipeline.roundup`: 3-30 short items under subheadings, no lead paragraph) keeps only",
        f"the themes whose initiatives stand in at least {meta['article'].get('roundup_share', 0.5)} of its items,",
        "and in two at least.",
        "",
        "Keyword rules: a theme is given when its cue words (themes.toml) occur at least "
        f"{m['keyword_article_threshold_per_1000_chars']} times per 1,000 characters (clauses: at least the",
        "count chosen per theme on the training split).",
        "",
    ]
    return "\n".join(lines)
