"""What an article as a whole is about: one logistic regression per theme over the article's words.

The clause model (:mod:`pipeline.themes`) is trained on initiative clauses; an article's themes are made
from its clauses' probabilities and its text's. Whether a theme is an article's *main* theme (its
``themes_core`` in the article gold) is a judgment about the whole article: a theme-education piece whose
clauses are about housing repairs, a leader's inspection that touches on old communities. This model learns
that judgment from the labelled articles themselves: TF-IDF of the article's words (the words of its
sentences that start in the first ``max_chars`` characters, as the theme model reads the article) into
one binary logistic regression per theme (balanced class weights), the target being "the theme is core".
:func:`pipeline.themes.article_scores` mixes its probability into the article score with weight
``article_weight``.

``govmine train`` fits it with scikit-learn on the tuning articles of ``corpus/annotations`` and saves the
fitted numbers to ``models/themes/article_model.npz`` (numpy arrays read with ``allow_pickle=False``: no
code runs on load); they are read here without importing scikit-learn, and ``govmine train`` checks that
:meth:`ArticleModel.proba` gives scikit-learn's probabilities before it writes the file.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .files import write_atomic

__all__ = ["ArticleModel", "check_word_vectorizer", "word_tfidf"]


def word_tfidf(vocabulary: dict[str, int], idf: np.ndarray, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The L2-normalised TF-IDF row of a text given as words, as scikit-learn's
    ``TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True)`` makes it from the words joined by spaces
    (lower-cased, split at spaces): ``(columns, values)``, both empty when no word is in the vocabulary.
    Each distinct word is looked up once."""
    counts: dict[int, int] = {}
    for word, n in Counter(words).items():
        for w in word.split(" ") if " " in word else (word,):
            col = vocabulary.get(w)
            if col is None and not w.islower():
                col = vocabulary.get(w.lower())
            if col is not None:
                counts[col] = counts.get(col, 0) + n
    if not counts:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.float64)
    cols = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
    x = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[cols]
    return cols, x / float(np.sqrt(x @ x))


def check_word_vectorizer(v: Any, what: str) -> None:
    """Refuse a fitted ``TfidfVectorizer`` whose TF-IDF :func:`word_tfidf` does not reproduce: it must read
    space-joined words as unigrams (``token_pattern=r"[^ ]+"``), lower-cased, with sublinear term frequency,
    idf and the L2 norm."""
    if not (
        v.sublinear_tf
        and v.norm == "l2"
        and v.use_idf
        and v.lowercase
        and not v.binary
        and v.analyzer == "word"
        and v.token_pattern == r"[^ ]+"
        and tuple(v.ngram_range) == (1, 1)
        and v.strip_accents is None
        and v.preprocessor is None
        and v.tokenizer is None
        and v.stop_words is None
    ):
        raise ValueError(
            f'{what} must be TfidfVectorizer(token_pattern=r"[^ ]+", sublinear_tf=True) over space-joined words '
            "(unigrams, lower-cased, L2 norm)"
        )


@dataclass(frozen=True)
class ArticleModel:
    """The fitted article model (see the module docstring).

    Attributes:
        codes: the theme codes, one column of ``coef`` each.
        vocabulary: term -> row of ``coef``.
        idf: inverse document frequency of each term.
        coef: ``(n_terms, n_themes)`` weights of the logistic regressions.
        intercept: ``(n_themes,)``.
    """

    codes: tuple[str, ...]
    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def proba(self, words: Sequence[str], tfidf: tuple[np.ndarray, np.ndarray] | None = None) -> list[float]:
        """Per theme, the probability that the article given by its words is about it (core). ``tfidf``: the
        words' :func:`word_tfidf` row under this model's vocabulary and idf, when the caller has it."""
        cols, x = tfidf if tfidf is not None else word_tfidf(self.vocabulary, self.idf, words)
        z = self.intercept + (x @ self.coef[cols] if len(cols) else 0.0)
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the arrays (``np.savez_compressed``) atomically (:func:`pipeline.files.write_atomic`)."""
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            codes=np.asarray(self.codes, dtype=str),
            terms=np.asarray(terms, dtype=str),
            idf=self.idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        write_atomic(path, buf.getvalue())

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> ArticleModel:
        with np.load(path, allow_pickle=False) as z:
            codes = tuple(str(c) for c in z["codes"])
            terms = [str(t) for t in z["terms"]]
            idf = np.asarray(z["idf"], dtype=np.float64)
            coef = np.asarray(z["coef"], dtype=np.float64)
            intercept = np.asarray(z["intercept"], dtype=np.float64)
        if (
            not (len(terms) == len(idf) == coef.shape[0])
            or coef.shape[1:] != (len(codes),)
            or intercept.shape != (len(codes),)
        ):
            raise ValueError(f"{path}: terms, idf, coef and intercept do not fit together")
        return cls(codes, {t: i for i, t in enumerate(terms)}, idf, coef, intercept)

    @classmethod
    def from_sklearn(cls, codes: Sequence[str], vectorizer: Any, classifiers: Sequence[Any]) -> ArticleModel:
        """From a fitted ``TfidfVectorizer`` (unigrams over space-joined words, ``sublinear_tf=True``, L2 norm)
        and one binary ``LogisticRegression`` per theme (class 1 = the theme is core)."""
        check_word_vectorizer(vectorizer, "the article model's words")
        v = vectorizer
        if len(classifiers) != len(codes):
            raise ValueError(f"{len(classifiers)} classifiers for {len(codes)} themes")
        for c in classifiers:
            if list(c.classes_) != [0, 1]:
                raise ValueError("every article-model classifier must be binary 0/1 (1 = core)")
        coef = np.stack([np.asarray(c.coef_[0], dtype=np.float64) for c in classifiers], axis=1)
        intercept = np.asarray([float(c.intercept_[0]) for c in classifiers], dtype=np.float64)
        return cls(tuple(codes), dict(vectorizer.vocabulary_), np.asarray(v.idf_, dtype=np.float64), coef, intercept)
