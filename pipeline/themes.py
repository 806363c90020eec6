"""Governance themes: a trained scikit-learn model that labels initiatives and articles.

The ten theme codes are fixed (``org_building`` … ``self_governance``); their Chinese labels, descriptions
and cue words are in ``data/themes.toml``. The model is a scikit-learn pipeline: TF-IDF over jieba words
(unigrams and bigrams) and over character n-grams, into one logistic regression per theme
(one-vs-rest, balanced class weights), with a probability threshold per theme chosen by grouped
cross-validation on the training split. It is trained by ``govmine train`` from
``corpus/annotations/clauses.jsonl`` into ``models/themes/`` (``model.skops``, ``vocabulary.json``,
``meta.json`` and a model card), saved with skops (no bare pickle) and loaded lazily, once per process. An
article's themes also use two article-level models fitted on labelled articles: the off-topic model
(:mod:`pipeline.relevance`, ``relevance.json``) and the article model (:mod:`pipeline.article_model`,
``article_model.npz``).

Library use::

    >>> from pipeline.themes import classify_themes
    >>> [s.code for s in classify_themes(["在全区设立“红蜂驿站”31个，服务外卖骑手"])[0] if s.selected]
    ['new_employment']
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .article_model import ArticleModel, word_tfidf
from .files import file_sha256
from .relevance import Relevance, relevance_numbers
from .segment import Segmenter

__all__ = [
    "MODEL_DIR",
    "Theme",
    "ThemeModel",
    "ThemeScore",
    "article_scores",
    "article_selection",
    "classify_themes",
    "keyword_scores",
    "load_model",
    "load_themes",
    "roundup_selection",
]

# the committed model of the checkout; GOVMINE_THEME_MODEL points elsewhere (an installed copy, a retrained one)
MODEL_DIR = Path(os.environ.get("GOVMINE_THEME_MODEL") or Path(__file__).resolve().parents[1] / "models" / "themes")


@dataclass(frozen=True, slots=True)
class Theme:
    code: str
    label: str
    description: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThemeScore:
    """One theme's score for a text: ``selected`` when the score reaches the theme's threshold."""

    code: str
    label: str
    score: float
    selected: bool


@lru_cache(maxsize=1)
def load_themes() -> tuple[Theme, ...]:
    """The taxonomy of ``data/themes.toml``, in its fixed order."""
    data = tomllib.loads(resources.files("pipeline.data").joinpath("themes.toml").read_text("utf-8"))
    return tuple(Theme(t["code"], t["label"], t["description"], tuple(t["cues"])) for t in data["theme"])


@lru_cache(maxsize=1)
def _segmenter() -> Segmenter:
    return Segmenter()


def join_words(words: Iterable[str], context: Iterable[str] = ()) -> str:
    """One text as the model reads it: its words joined by spaces, then the words of its sentence marked
    ``ctx_`` (the sentence tells what a bare clause is about: 其, 该驿站, an omitted subject)."""
    out = " ".join(w for w in words if not w.isspace())
    ctx = " ".join("ctx_" + w for w in context if not w.isspace())
    return f"{out} {ctx}" if ctx else out


def prepare(
    texts: Iterable[str], segmenter: Segmenter | None = None, contexts: Iterable[str] | None = None
) -> list[str]:
    """Texts (and optionally their sentences) as the model reads them (see :func:`join_words`)."""
    seg = segmenter or _segmenter()
    texts = list(texts)
    ctxs = list(contexts) if contexts is not None else [""] * len(texts)
    return [join_words(seg.cut(t), seg.cut(c) if c else ()) for t, c in zip(texts, ctxs, strict=True)]


def keyword_scores(texts: Sequence[str]) -> list[list[float]]:
    """The keyword-rule baseline: per theme, the number of its cue words in the text."""
    themes = load_themes()
    return [[float(sum(t.count(c) for c in th.cues)) for th in themes] for t in texts]


class ThemeModel:
    """The trained pipeline with its per-theme thresholds.

    Args:
        pipeline: a fitted scikit-learn pipeline whose ``predict_proba`` gives one column per theme.
        thresholds: per-theme probability thresholds, in the taxonomy's order.
        article: how article scores are made from initiative and text scores (see :func:`article_scores`).
        relevance: the off-topic model (:mod:`pipeline.relevance`); None lets the floor apply always.
        article_model: the article model (:mod:`pipeline.article_model`), needed when the article rule
            gives it a weight.
    """

    def __init__(
        self,
        pipeline: Any,
        thresholds: Sequence[float],
        article: dict[str, Any],
        scorer: Any = None,
        load_pipeline: Callable[[], Any] | None = None,
        relevance: Relevance | None = None,
        article_model: ArticleModel | None = None,
    ) -> None:
        self._pipeline = pipeline
        self.relevance = relevance
        self.article_model = article_model
        if article.get("article_weight") and article_model is None:
            raise ValueError("the article rule gives the article model a weight, but there is no article model")
        self._load_pipeline = load_pipeline
        self.scorer = scorer
        self.thresholds = list(thresholds)
        self.article = dict(article)
        self.themes = load_themes()

    @property
    def pipeline(self) -> Any:
        """The scikit-learn pipeline (loaded from the skops file on first use when the model was loaded
        with its fast scorer)."""
        if self._pipeline is None and self._load_pipeline is not None:
            self._pipeline = self._load_pipeline()
        return self._pipeline

    def _predict(self, docs: list[str]) -> list[list[float]]:
        if self.scorer is not None:
            return self.scorer.proba(docs).tolist()
        return self.pipeline.predict_proba(docs).tolist()

    def proba(
        self, texts: Sequence[str], segmenter: Segmenter | None = None, contexts: Sequence[str] | None = None
    ) -> list[list[float]]:
        """Per-theme probabilities of each text (with its sentence as context, when given). A single string is
        one text (not a sequence of characters)."""
        if isinstance(texts, str):
            texts = [texts]
        if isinstance(contexts, str):
            contexts = [contexts]
        if not texts:
            return []
        return self._predict(prepare(texts, segmenter, contexts))

    def proba_words(
        self, word_lists: Sequence[Sequence[str]], contexts: Sequence[Sequence[str]] | None = None
    ) -> list[list[float]]:
        """Per-theme probabilities of texts already cut into words (the pipeline's sentence words)."""
        if not word_lists:
            return []
        ctxs = contexts if contexts is not None else [()] * len(word_lists)
        if self.scorer is not None:  # each sentence read once, however many of its clauses are scored
            # the words as join_words would join them (the clauses of one sentence share its word tuple)
            return self.scorer.proba_words(word_lists, ctxs, prefix="ctx_").tolist()
        return self._predict([join_words(ws, c) for ws, c in zip(word_lists, ctxs, strict=True)])

    def article_themes(
        self,
        text_probs: Sequence[float],
        initiative_probs: Sequence[Sequence[float]],
        items: Sequence[int] | None = None,
        n_items: int = 0,
        words: Sequence[str] | None = None,
        n_chars: int = 0,
    ) -> list[ThemeScore]:
        """An article's themes from its own text's probabilities and those of its initiatives.

        For a news round-up (:func:`pipeline.roundup.roundup_items`), ``items`` gives the item number of
        each initiative (0 before the first item) and ``n_items`` the number of items: a theme is then kept
        only when it runs through the round-up (see :func:`roundup_selection`). ``words`` (the words the
        text probabilities were read from) and ``n_chars`` (the article's length) feed the off-topic model
        (without them, or without that model, the floor always applies) and the article model (a rule that
        gives it a weight needs them: ValueError otherwise)."""
        how = self.article
        # the two article-level models read the same TF-IDF row when they were fitted on the same articles
        shared = None
        if words is not None and self.relevance is not None and self.article_model is not None:
            if (
                self.article_model.vocabulary is self.relevance.vocabulary
                and self.article_model.idf is self.relevance.idf
            ):
                shared = word_tfidf(self.relevance.vocabulary, self.relevance.idf, words)
        article_probs = None
        if how.get("article_weight"):
            if words is None or self.article_model is None:
                raise ValueError("this article rule mixes in the article model: pass the article's words")
            article_probs = self.article_model.proba(words, shared)
        s = article_scores(initiative_probs, text_probs, how, article_probs)
        floor, off_topic = True, None
        if self.relevance is not None and words is not None:
            numbers = relevance_numbers(text_probs, initiative_probs, self.thresholds, n_chars)
            off_topic = self.relevance.off_topic(words, numbers, shared)
            floor = off_topic < self.relevance.threshold
        chosen = article_selection(s, how, floor=floor, off_topic=off_topic)
        if n_items and items is not None:
            chosen = roundup_selection(
                chosen, initiative_probs, items, n_items, self.thresholds, float(self.article.get("roundup_share", 0.5))
            )
        return [
            ThemeScore(t.code, t.label, round(v, 4), i in chosen)
            for i, (t, v) in enumerate(zip(self.themes, s, strict=True))
        ]

    def scores(
        self, probs: Sequence[Sequence[float]], thresholds: Sequence[float] | None = None
    ) -> list[list[ThemeScore]]:
        th = thresholds or self.thresholds
        return [
            [
                ThemeScore(t.code, t.label, round(p, 4), p >= th[i])
                for i, (t, p) in enumerate(zip(self.themes, row, strict=True))
            ]
            for row in probs
        ]

    def classify(self, texts: Sequence[str], segmenter: Segmenter | None = None) -> list[list[ThemeScore]]:
        """Theme scores of each text (an initiative clause or a sentence); a single string is one text."""
        return self.scores(self.proba(texts, segmenter))


def article_scores(
    initiative_probs: Sequence[Sequence[float]],
    text_probs: Sequence[float],
    how: dict[str, Any],
    article_probs: Sequence[float] | None = None,
) -> list[float]:
    """Article scores per theme: a weighted mix of the whole text's probability and the mean of the
    ``top`` highest initiative probabilities (an article is about a theme when several of its
    initiatives are, not when one clause brushes it), mixed in turn with the article model's probability
    (:mod:`pipeline.article_model`) with weight ``how["article_weight"]`` when it is given."""
    top = int(how.get("top", 3))
    w = float(how.get("text_weight", 0.5))
    a = float(how.get("article_weight", 0.0))
    if a and article_probs is None:
        raise ValueError("this article rule mixes in the article model's probabilities: pass article_probs")
    out = []
    for i, tp in enumerate(text_probs):
        col = sorted((row[i] for row in initiative_probs), reverse=True)[:top]
        ini = sum(col) / top if col else tp
        v = w * tp + (1 - w) * ini
        if a:
            assert article_probs is not None
            v = (1 - a) * v + a * article_probs[i]
        out.append(v)
    return out


def article_selection(
    scores: Sequence[float], how: dict[str, Any], floor: bool = True, off_topic: float | None = None
) -> set[int]:
    """Indexes of the themes an article carries: those at or above their threshold; when none is, the
    best one if it reaches ``how["floor"]`` (an article about something is about at least its main
    theme), unless ``floor`` is False (the off-topic model says the article is about nothing). None at all
    when the article's off-topic probability ``off_topic`` reaches ``how["off_topic_none"]`` (if the rule
    has one)."""
    none_at = how.get("off_topic_none")
    if none_at is not None and off_topic is not None and off_topic >= none_at:
        return set()
    th = how["thresholds"]
    chosen = {i for i, v in enumerate(scores) if v >= th[i]}
    floor_at = how.get("floor") if floor else None
    if not chosen and floor_at is not None and scores:
        best = max(range(len(scores)), key=lambda i: scores[i])
        if scores[best] >= floor_at:
            chosen.add(best)
    return chosen


def roundup_selection(
    chosen: set[int],
    initiative_probs: Sequence[Sequence[float]],
    items: Sequence[int],
    n_items: int,
    thresholds: Sequence[float],
    share: float = 0.5,
) -> set[int]:
    """The themes of a news round-up: of those chosen, the ones whose initiatives (at or above the clause
    threshold) stand in at least ``share`` of its items, and in two at least. A round-up of unrelated
    news is about none of its items' themes (the annotation guidelines label it so); one whose items
    share a theme (a page of volunteer stories) keeps it."""
    need = max(2.0, share * n_items)
    keep = set()
    for i in chosen:
        hit = {item for item, row in zip(items, initiative_probs, strict=True) if item and row[i] >= thresholds[i]}
        if len(hit) >= need:
            keep.add(i)
    return keep


def load_model(path: str | os.PathLike[str] | None = None, fast: bool = True) -> ThemeModel:
    """Load a trained model directory (``models/themes`` by default).

    With ``fast`` (the default) the model predicts with :class:`pipeline.scorer.LinearScorer`, which reads
    the fitted numbers straight from ``model.skops`` (no scikit-learn import; the same probabilities), and
    the scikit-learn pipeline is loaded only if ``model.pipeline`` is asked for. Otherwise, or when the
    archive holds a pipeline the scorer does not implement, the pipeline is loaded with skops, trusting
    only the scikit-learn and numpy types ``meta.json`` lists; the vectorizers' vocabularies come from
    ``vocabulary.json`` either way. The off-topic model (``relevance.json``, plain data, see
    :mod:`pipeline.relevance`) and the article model (``article_model.npz``, numpy arrays, see
    :mod:`pipeline.article_model`) are loaded when the directory has them.

    Raises:
        FileNotFoundError: no model there (run ``govmine train``).
    """
    d = Path(path) if path is not None else MODEL_DIR
    model_file, meta_file, vocab_file = d / "model.skops", d / "meta.json", d / "vocabulary.json"
    if not model_file.exists() or not meta_file.exists():
        raise FileNotFoundError(f"{d}: no trained theme model (run `govmine train`)")
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    vocab = json.loads(vocab_file.read_text(encoding="utf-8")) if vocab_file.exists() else None
    codes = [t.code for t in load_themes()]
    if meta.get("codes", codes) != codes:
        raise ValueError(f"{meta_file}: themes {meta.get('codes')} are not this version's {codes}")
    # files written with meta.json by the same training run (a model trained before this check has no hashes)
    for name, digest in (meta.get("files") or {}).items():
        if not (d / name).exists():
            raise FileNotFoundError(f"{d / name}: missing; meta.json was written with it (run `govmine train`)")
        if file_sha256(d / name) != digest:
            raise ValueError(f"{d / name} does not belong to meta.json (run `govmine train` again)")
    if meta.get("article", {}).get("article_weight") and not (d / "article_model.npz").exists():
        raise FileNotFoundError(f"{d / 'article_model.npz'}: the article rule needs it (run `govmine train`)")
    # the off-topic model (pipeline.relevance): a model trained before it existed has none
    relevance = None
    if (d / "relevance.json").exists():
        relevance = Relevance.load(d / "relevance.json")
        card = meta.get("relevance") or {}
        if card.get("threshold") != relevance.threshold or card.get("terms") != len(relevance.vocabulary):
            raise ValueError(f"{d}: relevance.json does not belong to meta.json (run `govmine train` again)")
    # the article model (pipeline.article_model): a model trained before it existed has none
    article_model = None
    if (d / "article_model.npz").exists():
        article_model = ArticleModel.load(d / "article_model.npz")
        card = meta.get("article_model") or {}
        if card.get("terms") != len(article_model.vocabulary) or list(article_model.codes) != meta.get("codes"):
            raise ValueError(f"{d}: article_model.npz does not belong to meta.json (run `govmine train` again)")
        if (
            relevance is not None
            and article_model.vocabulary == relevance.vocabulary
            and np.array_equal(article_model.idf, relevance.idf)
        ):  # fitted on the same articles: one TF-IDF row serves both (ThemeModel.article_themes)
            article_model = replace(article_model, vocabulary=relevance.vocabulary, idf=relevance.idf)

    def load_pipeline() -> Any:
        import skops.io as sio

        # skops refuses to load any type outside this list (UntrustedTypesFoundException)
        pipe = sio.load(model_file, trusted=list(meta.get("trusted_types", [])))
        if vocab is not None:  # the vectorizers' vocabularies, kept as plain JSON
            for name, vec in pipe.named_steps["features"].transformer_list:
                terms = vocab[name]
                if len(terms) != len(vec.idf_):
                    raise ValueError(f"{vocab_file}: {name} has {len(terms)} terms for {len(vec.idf_)} weights")
                vec.vocabulary_ = {t: i for i, t in enumerate(terms)}
        return pipe

    if fast and vocab is not None:
        from .scorer import UnsupportedModel, read_skops_linear

        try:
            scorer = read_skops_linear(model_file, vocab)
        except UnsupportedModel:
            pass
        else:
            return ThemeModel(
                None,
                meta["thresholds"],
                meta["article"],
                scorer=scorer,
                load_pipeline=load_pipeline,
                relevance=relevance,
                article_model=article_model,
            )
    return ThemeModel(
        load_pipeline(), meta["thresholds"], meta["article"], relevance=relevance, article_model=article_model
    )


@lru_cache(maxsize=1)
def _shipped() -> ThemeModel:
    return load_model()


def classify_themes(texts: Sequence[str]) -> list[list[ThemeScore]]:
    """Theme scores of each text with the shipped model (loaded on first use); a single string is one text."""
    return _shipped().classify([texts] if isinstance(texts, str) else list(texts))
