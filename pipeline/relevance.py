"""Is an article about any of the ten themes at all?

Many news items are about none of them: diplomacy, disasters, science, culture, macro-economic figures,
leaders' general speeches (the annotation guidelines label them core ``[]``). The article rule of
:mod:`pipeline.themes` gives an article its best theme even when no theme reaches the threshold (the
``floor``: an article about something is about at least its main theme). This module's model decides
whether the article is about something: when its off-topic probability reaches the model's threshold (chosen
by ``govmine train`` on the tuning articles), the floor does not apply, and the article keeps only the themes
that reach the article threshold by themselves.

The model is a logistic regression (balanced class weights) over

* TF-IDF of the article's words (the words of its sentences that start in the first ``max_chars``
  characters, as the theme model reads the article), and
* five numbers from the theme model's probabilities (:func:`relevance_numbers`), standardised.

``govmine train`` fits it with scikit-learn on the tuning articles of ``corpus/annotations`` and saves its
fitted numbers to ``models/themes/relevance.json``: plain data (no code runs on load), read here without
importing scikit-learn. ``govmine train`` checks that :meth:`Relevance.off_topic` gives scikit-learn's
probabilities before it writes the file.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .article_model import check_word_vectorizer, word_tfidf

__all__ = ["NUMBERS", "Relevance", "relevance_numbers"]

# the numbers the model reads besides the words, in order (see relevance_numbers)
NUMBERS = ("text_max", "initiative_max", "initiative_share", "log_initiatives", "log_chars")


def relevance_numbers(
    text_probs: Sequence[float],
    initiative_probs: Sequence[Sequence[float]],
    thresholds: Sequence[float],
    n_chars: int,
) -> list[float]:
    """The numbers of :data:`NUMBERS` for one article: the highest theme probability of its text and of
    any of its initiatives, the share of its initiatives with a theme at or above the clause threshold,
    and the logarithms of its number of initiatives and of its length in characters."""
    n = len(initiative_probs)
    ini_max = max((max(row) for row in initiative_probs), default=0.0)
    hit = sum(1 for row in initiative_probs if any(p >= t for p, t in zip(row, thresholds, strict=True)))
    return [
        float(max(text_probs, default=0.0)),
        float(ini_max),
        hit / n if n else 0.0,
        math.log1p(n),
        math.log1p(n_chars),
    ]


@dataclass(frozen=True)
class Relevance:
    """The fitted off-topic model (see the module docstring).

    Attributes:
        vocabulary: term -> column of the word features.
        idf: inverse document frequency of each term.
        word_coef: the logistic regression's weight of each term.
        number_mean, number_scale: the standardisation of :data:`NUMBERS`.
        number_coef: the weight of each standardised number.
        intercept: the logistic regression's intercept.
        threshold: the floor does not apply when :meth:`off_topic` reaches it.
    """

    vocabulary: dict[str, int]
    idf: np.ndarray
    word_coef: np.ndarray
    number_mean: np.ndarray
    number_scale: np.ndarray
    number_coef: np.ndarray
    intercept: float
    threshold: float

    def off_topic(
        self, words: Sequence[str], numbers: Sequence[float], tfidf: tuple[np.ndarray, np.ndarray] | None = None
    ) -> float:
        """The probability that an article is about none of the themes, from its words and its
        :func:`relevance_numbers` (TF-IDF with sublinear term frequency and L2 norm, as scikit-learn's
        ``TfidfVectorizer(sublinear_tf=True)`` makes it). ``tfidf``: the words' row
        (:func:`pipeline.article_model.word_tfidf`) under this model's vocabulary and idf, when the caller has it."""
        if len(numbers) != len(NUMBERS):
            raise ValueError(f"off_topic needs {len(NUMBERS)} numbers ({', '.join(NUMBERS)}), got {len(numbers)}")
        # as the vectorizer read the training articles (the words joined by spaces, lower-cased, split at spaces)
        cols, x = tfidf if tfidf is not None else word_tfidf(self.vocabulary, self.idf, words)
        z = self.intercept
        if len(cols):
            z += float(x @ self.word_coef[cols])
        z += float(((np.asarray(numbers, dtype=np.float64) - self.number_mean) / self.number_scale) @ self.number_coef)
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "numbers": list(NUMBERS),
            "terms": terms,
            "idf": self.idf.tolist(),
            "word_coef": self.word_coef.tolist(),
            "number_mean": self.number_mean.tolist(),
            "number_scale": self.number_scale.tolist(),
            "number_coef": self.number_coef.tolist(),
            "intercept": self.intercept,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Relevance:
        if list(data["numbers"]) != list(NUMBERS):
            raise ValueError(f"relevance model reads {data['numbers']}, this version computes {list(NUMBERS)}")
        terms = data["terms"]
        arrays = {k: np.asarray(data[k], dtype=np.float64) for k in ("idf", "word_coef")}
        if not len(terms) == len(arrays["idf"]) == len(arrays["word_coef"]):
            raise ValueError("relevance model: terms, idf and word_coef differ in length")
        nums = {k: np.asarray(data[k], dtype=np.float64) for k in ("number_mean", "number_scale", "number_coef")}
        if any(len(v) != len(NUMBERS) for v in nums.values()):
            raise ValueError(f"relevance model: expected {len(NUMBERS)} number weights")
        return cls(
            {t: i for i, t in enumerate(terms)},
            arrays["idf"],
            arrays["word_coef"],
            nums["number_mean"],
            nums["number_scale"],
            nums["number_coef"],
            float(data["intercept"]),
            float(data["threshold"]),
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Relevance:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def from_sklearn(cls, vectorizer: Any, scaler: Any, classifier: Any, threshold: float) -> Relevance:
        """From a fitted ``TfidfVectorizer`` (``sublinear_tf=True``, L2 norm), ``StandardScaler`` and a
        binary ``LogisticRegression`` over ``hstack([words, scaled numbers])``, class 1 = off-topic."""
        check_word_vectorizer(vectorizer, "the relevance words")
        if not (scaler.with_mean and scaler.with_std):
            raise ValueError("the relevance numbers must be standardised (StandardScaler with mean and std)")
        if list(classifier.classes_) != [0, 1]:
            raise ValueError("the relevance classifier must be binary 0/1 (1 = off-topic)")
        n = len(vectorizer.vocabulary_)
        coef = np.asarray(classifier.coef_[0], dtype=np.float64)
        return cls(
            dict(vectorizer.vocabulary_),
            np.asarray(vectorizer.idf_, dtype=np.float64),
            coef[:n].copy(),
            np.asarray(scaler.mean_, dtype=np.float64),
            np.asarray(scaler.scale_, dtype=np.float64),
            coef[n:].copy(),
            float(classifier.intercept_[0]),
            float(threshold),
        )
