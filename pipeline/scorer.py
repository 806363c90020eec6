"""Fast inference for the theme model: the same probabilities as its scikit-learn pipeline, computed
without importing scikit-learn.

The shipped model (``models/themes/model.skops``) is a pipeline of two TF-IDF vectorizers (jieba words in
1-2 grams, ``char_wb`` character n-grams) into one binary logistic regression per theme. Its prediction
is a sparse dot product, so :class:`LinearScorer` reads the fitted numbers (vocabularies, idf weights,
coefficients, intercepts) and computes::

    p[theme] = expit(sum_f tfidf_l2(doc)[f] * coef[theme, f] + intercept[theme])

with the vectorizers' own tokenisation rules (lowercasing, ``[^ ]+`` word tokens and their bigrams,
``char_wb`` padding). A document is a row of token numbers: every distinct token (a lowercased word between
spaces) is looked up once, and its features (its unigram, its character n-grams) are kept in a token table,
so a batch's features are one gather of its tokens' features, word bigrams one sorted-array search over
pairs of token numbers, and term counts one sort of (row, feature) keys; no Python loop runs per feature,
and only numpy is needed (importing scipy.sparse would add about 0.15 s to every start). It is many times
faster than ``predict_proba`` on the pipeline's clauses, and it loads in a fraction of the time, because it
reads the numbers straight from the skops archive (a zip of ``schema.json`` and ``.npy`` arrays, read with
``allow_pickle=False``: no object is built).

A document's probabilities do not depend on the other documents of its batch (the term counts are exact,
and the weighting, norms and dot products run over each row's features in increasing order, as
scikit-learn's canonical sparse matrices do), so they are the same however a run is cut into batches or
workers. :func:`read_skops_linear` refuses (:class:`UnsupportedModel`) any archive whose parameters are not
the ones implemented here; the caller then falls back to the scikit-learn pipeline.
A test checks that both give the same probabilities on every annotated clause.
"""

from __future__ import annotations

import json
import re
import zipfile
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["LinearScorer", "UnsupportedModel", "Vectorizer", "read_skops_linear"]

# the features of at most this many distinct tokens are kept (then the table starts again)
TOKEN_CACHE = 150_000

# whether a string holds any whitespace (str.split() cuts there)
_HAS_WHITESPACE = re.compile(r"\s").search

# a word's number in _WordIndex: a whitespace-only word (left out), a word holding a space (cut in two)
_SKIP, _SPLIT = -1, -2


class UnsupportedModel(ValueError):
    """The archive holds a pipeline this scorer does not implement."""


@dataclass
class Vectorizer:
    """One fitted TF-IDF vectorizer: ``analyzer`` is ``word`` (tokens ``[^ ]+``) or ``char_wb``."""

    analyzer: str
    ngram_range: tuple[int, int]
    vocabulary: dict[str, int]
    idf: np.ndarray
    sublinear_tf: bool = True
    _heads: frozenset[str] | None = field(default=None, repr=False)
    _pairs: tuple[dict[str, int], np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def per_token(self) -> bool:
        """Whether a document's features are its tokens' own features plus word bigrams, which
        :class:`LinearScorer` counts from its token table (every analyzer but word n-grams of three or more)."""
        return self.analyzer == "char_wb" or self.ngram_range[1] <= 2

    @property
    def counts_pairs(self) -> bool:
        """Whether word bigrams are features."""
        return self.analyzer == "word" and self.ngram_range[0] <= 2 <= self.ngram_range[1]

    def token_features(self, token: str) -> list[int]:
        """The feature indexes one token (lowercased, without spaces) brings to any document it is in, once
        per occurrence: its own index as a word unigram, or the ``char_wb`` n-grams of its whitespace-separated
        parts (``char_wb`` cuts at any whitespace, the word analyzer only at spaces)."""
        vocab = self.vocabulary
        if self.analyzer == "word":
            j = vocab.get(token) if self.ngram_range[0] <= 1 else None
            return [] if j is None else [j]
        lo, hi = self.ngram_range
        if token and not _HAS_WHITESPACE(token):  # one word: every n-gram of the padded word (shorter than it)
            w = f" {token} "
            size = len(w)
            if size > hi:
                grams = [w[i : i + n] for n in range(lo, hi + 1) for i in range(size - n + 1)]
                return [j for j in map(vocab.get, grams) if j is not None]
        ids: list[int] = []
        for word in token.split():
            w = f" {word} "
            for n in range(lo, hi + 1):
                if len(w) <= n:  # the whole padded word, once, and no longer n-grams (sklearn's _char_wb_ngrams)
                    j = vocab.get(w)
                    if j is not None:
                        ids.append(j)
                    break
                for i in range(len(w) - n + 1):
                    j = vocab.get(w[i : i + n])
                    if j is not None:
                        ids.append(j)
        return ids

    def pair_table(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """The word bigrams of the vocabulary as pairs of numbers: ``(words, keys, features)`` where
        ``words`` numbers every word that is part of a bigram, and the bigram ``a b`` is
        ``keys[k] == words[a] * len(words) + words[b]`` (``keys`` sorted) with feature index ``features[k]``."""
        if self._pairs is None:
            words: dict[str, int] = {}
            firsts, seconds, feats = [], [], []
            for term, j in self.vocabulary.items():
                parts = term.split(" ")
                if len(parts) == 2:
                    firsts.append(words.setdefault(parts[0], len(words)))
                    seconds.append(words.setdefault(parts[1], len(words)))
                    feats.append(j)
            keys = np.asarray(firsts, dtype=np.int64) * len(words) + np.asarray(seconds, dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            self._pairs = (words, keys[order], np.asarray(feats, dtype=np.int32)[order])
        return self._pairs

    def _bigram_heads(self) -> frozenset[str]:
        """First words of the vocabulary's word bigrams: a pair whose first word is not one cannot be a feature."""
        if self._heads is None:
            self._heads = frozenset(t.split(" ", 1)[0] for t in self.vocabulary if t.count(" ") == 1)
        return self._heads

    def add_features(self, doc: str, cols: array) -> None:
        """Append one lowercased document's word n-gram indexes to ``cols``, once per occurrence (the path
        for word n-grams of any length; :class:`LinearScorer` counts the others from its token table)."""
        if self.analyzer != "word":
            raise ValueError(f"add_features reads word n-grams, not {self.analyzer}")
        vocab = self.vocabulary
        toks = [t for t in doc.split(" ") if t]
        lo, hi = self.ngram_range
        got: list[int] = []
        for n in range(lo, hi + 1):
            if n == 1:
                grams: Sequence[str] = toks
            elif n == 2:
                heads = self._bigram_heads()
                grams = [f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False) if a in heads]
            else:
                grams = [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
            for g in grams:
                j = vocab.get(g)
                if j is not None:
                    got.append(j)
        cols.fromlist(got)


class _Grow:
    """A one-dimensional numpy array that grows at its end (capacity doubles), read as ``values``."""

    def __init__(self, dtype: Any, first: Sequence[float] | np.ndarray = ()) -> None:
        self._buf = np.empty(max(1024, len(first)), dtype=dtype)
        self._n = 0
        self.extend(first)

    def extend(self, items: Sequence[float] | np.ndarray) -> None:
        need = self._n + len(items)
        if need > len(self._buf):
            buf = np.empty(max(need, 2 * len(self._buf)), dtype=self._buf.dtype)
            buf[: self._n] = self._buf[: self._n]
            self._buf = buf
        self._buf[self._n : need] = items
        self._n = need

    def __len__(self) -> int:
        return self._n

    @property
    def values(self) -> np.ndarray:
        return self._buf[: self._n]


class _TokenIndex(dict):  # type: ignore[type-arg]
    """Token -> token number; a token not seen before gets the next number and waits in ``new`` until its
    features are added (a lookup is one C-level dict access: ``map(index.__getitem__, tokens)``)."""

    def __init__(self) -> None:
        super().__init__()
        self.new: list[str] = []

    def __missing__(self, token: str) -> int:
        n = self[token] = len(self)
        self.new.append(token)
        return n


class _WordIndex(dict):  # type: ignore[type-arg]
    """Word -> the token number of ``(prefix + word).lower()`` in a :class:`_TokenIndex`, as the word would be
    read between spaces in a joined text (see :meth:`LinearScorer.proba_words`): ``_SKIP`` for a word that is
    left out (whitespace only; with no prefix also the empty word, an empty token), ``_SPLIT`` for a word
    that holds a space (several tokens). Lowercasing token by token equals lowercasing the joined text:
    no character lowercases to a space, and a space bounds the context of a final sigma as a text's end does."""

    def __init__(self, tokens: _TokenIndex, prefix: str = "") -> None:
        super().__init__()
        self.tokens = tokens
        self.prefix = prefix

    def __missing__(self, word: str) -> int:
        if word.isspace() or not (word or self.prefix):
            n = _SKIP
        elif " " in word:
            n = _SPLIT
        else:
            n = self.tokens[(self.prefix + word).lower()]
        self[word] = n
        return n


class _TokenTable:
    """Every distinct token met so far, numbered, with its features for each per-token vectorizer (token
    ``t``'s are ``ids[ptr[t] : ptr[t + 1]]``; a feature twice in one token is there twice), and, for
    vectorizers with word bigrams, its number among the bigrams' words (-1: in none)."""

    def __init__(self, vectorizers: Sequence[Vectorizer]) -> None:
        self.vectorizers = list(vectorizers)
        self.index = _TokenIndex()
        self.word_index: dict[str, _WordIndex] = {}  # by prefix
        self._ids = [_Grow(np.int32) for _ in self.vectorizers]
        self._ptr = [_Grow(np.int64, [0]) for _ in self.vectorizers]
        self._pair_word = [_Grow(np.int64) for _ in self.vectorizers]

    def numbers(self, tokens: list[str]) -> np.ndarray:
        """The token numbers of ``tokens`` (int64), adding the features of the tokens not seen before."""
        out = np.fromiter(map(self.index.__getitem__, tokens), dtype=np.int64, count=len(tokens))
        new = self.index.new
        if new:
            for k, v in enumerate(self.vectorizers):
                if not v.per_token:
                    continue
                feats = [v.token_features(t) for t in new]
                ids = [j for f in feats for j in f]
                self._ids[k].extend(ids)
                self._ptr[k].extend(np.cumsum([len(f) for f in feats]) + self._ptr[k].values[-1])
                if v.counts_pairs:
                    words = v.pair_table()[0]
                    self._pair_word[k].extend([words.get(t, -1) for t in new])
            new.clear()
        return out

    def word_numbers(self, words: list[str], prefix: str = "") -> np.ndarray:
        """The token numbers of ``words`` read as ``(prefix + word).lower()`` (int64; ``_SKIP`` and ``_SPLIT``
        as in :class:`_WordIndex`), adding the features of tokens not seen before."""
        index = self.word_index.get(prefix)
        if index is None:
            index = self.word_index[prefix] = _WordIndex(self.index, prefix)
        out = np.fromiter(map(index.__getitem__, words), dtype=np.int64, count=len(words))
        self.numbers([])  # the features of the new tokens
        return out

    def features(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """``(ptr, ids)`` of vectorizer ``k``: token ``t``'s features are ``ids[ptr[t] : ptr[t + 1]]``."""
        return self._ptr[k].values, self._ids[k].values

    def pair_words(self, k: int) -> np.ndarray:
        """Each token's number among vectorizer ``k``'s bigram words (-1: in none)."""
        return self._pair_word[k].values


def _tokens(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The ``[^ ]+`` tokens of lowercased texts, all in one list, and how many each text has."""
    flat: list[str] = []
    counts: list[int] = []
    for t in texts:
        toks = t.split(" ")
        if "" in toks:
            toks = [x for x in toks if x]
        flat.extend(toks)
        counts.append(len(toks))
    return flat, np.asarray(counts, dtype=np.int64)


def _ragged_take(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``concatenate([values[s : s + n] for s, n in zip(starts, lengths)])`` without a Python loop."""
    total = int(lengths.sum())
    if not total:
        return values[:0]
    out_starts = np.cumsum(lengths) - lengths
    return values[np.repeat(starts - out_starts, lengths) + np.arange(total)]


def _followed_by_contexts(
    tids: np.ndarray, counts: np.ndarray, ctx_tids: np.ndarray, ctx_counts: np.ndarray, which: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of token numbers (``counts[r]`` tokens each, in order in ``tids``), each followed by the tokens of
    its context ``which[r]`` (contexts in order in ``ctx_tids``, ``ctx_counts[c]`` tokens each)."""
    starts = np.empty(2 * len(counts), dtype=np.int64)
    starts[0::2] = np.cumsum(counts) - counts
    starts[1::2] = (np.cumsum(ctx_counts) - ctx_counts + len(tids))[which]
    lengths = np.empty_like(starts)
    lengths[0::2] = counts
    lengths[1::2] = ctx_counts[which]
    return _ragged_take(np.concatenate([tids, ctx_tids]), starts, lengths), counts + ctx_counts[which]


# a sparse matrix as three arrays: (rows, columns, values) of its entries, in increasing (row, column) order
_Entries = tuple[np.ndarray, np.ndarray, np.ndarray]


def _term_counts(rows: np.ndarray, cols: np.ndarray, n_cols: int) -> _Entries:
    """How often each ``(row, column)`` pair occurs, as entries in increasing (row, column) order: the
    canonical form (duplicates summed, each row's columns increasing) of a matrix with a one per pair."""
    if not len(cols):
        return rows[:0].astype(np.int64), cols[:0].astype(np.int64), np.zeros(0)
    key = rows.astype(np.int64) * n_cols + cols
    if (int(rows.max()) + 1) * n_cols <= np.iinfo(np.int32).max:
        key = key.astype(np.int32)  # sorts about a third faster than int64
    key = np.sort(key)
    first = np.empty(len(key), dtype=bool)
    first[0] = True
    np.not_equal(key[1:], key[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    key = key[starts]
    counts = np.diff(np.append(starts, len(first))).astype(np.float64)
    row = key // n_cols
    return row, key - row * n_cols, counts


class LinearScorer:
    """Per-theme probabilities of texts from fitted vectorizers and logistic regressions.

    Args:
        vectorizers: in the order of the pipeline's feature union.
        coef: ``(n_features, n_themes)``; rows follow the vectorizers' features in order.
        intercept: ``(n_themes,)``.
    """

    def __init__(self, vectorizers: Sequence[Vectorizer], coef: np.ndarray, intercept: np.ndarray) -> None:
        self.vectorizers = list(vectorizers)
        self.offsets = np.cumsum([0] + [len(v.idf) for v in self.vectorizers])
        if coef.shape[0] != self.offsets[-1]:
            raise UnsupportedModel(f"{coef.shape[0]} coefficients for {self.offsets[-1]} features")
        self.coef = np.ascontiguousarray(coef, dtype=np.float64)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self._table: _TokenTable | None = None

    @property
    def joins_contexts(self) -> bool:
        """Whether contexts can be counted apart (word n-grams of at most two words)."""
        return all(v.analyzer != "word" or v.ngram_range[1] <= 2 for v in self.vectorizers)

    @property
    def n_themes(self) -> int:
        return int(self.coef.shape[1])

    @staticmethod
    def _counts(v: Vectorizer, lowered: Sequence[str]) -> _Entries:
        """Term counts of word n-grams of any length, document by document (see :meth:`Vectorizer.add_features`)."""
        cols = array("i")
        per_doc = array("q")
        for doc in lowered:
            before = len(cols)
            v.add_features(doc, cols)
            per_doc.append(len(cols) - before)
        rows = np.repeat(np.arange(len(lowered)), np.frombuffer(per_doc, dtype=np.int64))
        return _term_counts(rows, np.frombuffer(cols, dtype=np.int32), len(v.idf))

    def _token_table(self) -> _TokenTable:
        if self._table is None or len(self._table.index) > TOKEN_CACHE:
            self._table = _TokenTable(self.vectorizers)
        return self._table

    @staticmethod
    def _token_counts(table: _TokenTable, k: int, tids: np.ndarray, indptr: np.ndarray) -> _Entries:
        """Term counts of per-token vectorizer ``k`` for rows of token numbers (``tids[indptr[r]:indptr[r+1]]``
        is row r), as entries in increasing (row, column) order."""
        v = table.vectorizers[k]
        n = len(indptr) - 1
        ptr, ids = table.features(k)
        begin = ptr[tids]
        sizes = ptr[tids + 1] - begin
        occurrence_row = np.repeat(np.arange(n), np.diff(indptr))
        rows = np.repeat(occurrence_row, sizes)  # each row's own token features
        cols = _ragged_take(ids, begin, sizes)
        if v.counts_pairs and len(tids) > 1:
            words, keys, feats = v.pair_table()
            pw = table.pair_words(k)[tids]
            first, second = pw[:-1], pw[1:]
            ok = (first >= 0) & (second >= 0)
            joins = indptr[1:-1]
            ok[joins[(joins > 0) & (joins < len(tids))] - 1] = False  # no pair across two rows
            at = np.flatnonzero(ok)  # a pair is (tids[at], tids[at + 1])
            key = first[at] * len(words) + second[at]
            where = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[where] == key
            at = at[hit]
            if len(at):
                rows = np.concatenate([rows, occurrence_row[at]])
                cols = np.concatenate([cols, feats[where[hit]]])
        return _term_counts(rows, cols, len(v.idf))

    def _rows(
        self, lowered: Sequence[str], contexts: Sequence[str] | None
    ) -> tuple[_TokenTable, np.ndarray, np.ndarray]:
        """The token table and the rows of token numbers (``tids``, ``indptr``) of the lowercased documents,
        each followed by its context's tokens: as if each document were joined to its context by a space,
        but each distinct context split and looked up once."""
        table = self._token_table()
        flat, counts = _tokens(lowered)
        tids = table.numbers(flat)
        if contexts is not None:
            first: dict[str, int] = {}
            which = np.fromiter((first.setdefault(c, len(first)) for c in contexts), np.int64, len(lowered))
            ctx_flat, ctx_counts = _tokens([c.lower() for c in first])
            ctx_tids = table.numbers(ctx_flat)
            tids, counts = _followed_by_contexts(tids, counts, ctx_tids, ctx_counts, which)
        indptr = np.zeros(len(lowered) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return table, tids, indptr

    def _word_rows(
        self, word_lists: Sequence[Sequence[str]], contexts: Sequence[Sequence[str]] | None, prefix: str
    ) -> tuple[_TokenTable, np.ndarray, np.ndarray] | None:
        """As :meth:`_rows` for the texts ``" ".join(words)`` each followed by its context's words marked with
        ``prefix``, without joining or splitting a text; None when a word holds a space (the caller then
        joins the texts). A context is read once however many texts share it (the same object)."""
        table = self._token_table()
        n = len(word_lists)
        counts = np.fromiter(map(len, word_lists), dtype=np.int64, count=n)
        tids = table.word_numbers(list(chain.from_iterable(word_lists)))
        if contexts is not None:
            first: dict[int, int] = {}
            distinct: list[Sequence[str]] = []
            which = np.empty(n, dtype=np.int64)
            for i, c in enumerate(contexts):
                j = first.get(id(c))
                if j is None:
                    j = first[id(c)] = len(distinct)
                    distinct.append(c)
                which[i] = j
            ctx_counts = np.fromiter(map(len, distinct), dtype=np.int64, count=len(distinct))
            ctx_tids = table.word_numbers(list(chain.from_iterable(distinct)), prefix)
            tids, counts = _followed_by_contexts(tids, counts, ctx_tids, ctx_counts, which)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        if len(tids) and tids.min() < 0:
            if (tids == _SPLIT).any():
                return None
            keep = tids >= 0  # whitespace-only words leave no token
            row = np.repeat(np.arange(n), np.diff(indptr))
            np.cumsum(np.bincount(row[keep], minlength=n), out=indptr[1:])
            tids = tids[keep]
        return table, tids, indptr

    def proba_words(
        self, word_lists: Sequence[Sequence[str]], contexts: Sequence[Sequence[str]] | None = None, prefix: str = ""
    ) -> np.ndarray:
        """:meth:`proba` of texts already cut into words: the same numbers as ``proba(docs, marked)`` with
        ``docs[i] = " ".join(w for w in word_lists[i] if not w.isspace())`` and ``marked[i]`` the words of
        ``contexts[i]`` so joined, each preceded by ``prefix``, but each word looked up as it is (no text is
        joined, lowercased or split again)."""
        n = len(word_lists)
        rows = None
        if n and self.joins_contexts and all(v.per_token for v in self.vectorizers):
            rows = self._word_rows(word_lists, contexts, prefix)
        if rows is None:  # the texts as strings
            docs = [" ".join(w for w in ws if not w.isspace()) for ws in word_lists]
            marked = None
            if contexts is not None:
                by_id: dict[int, str] = {}
                marked = []
                for c in contexts:
                    m = by_id.get(id(c))
                    if m is None:
                        m = by_id[id(c)] = " ".join(prefix + w for w in c if not w.isspace())
                    marked.append(m)
            return self.proba(docs, marked)
        return 1.0 / (1.0 + np.exp(-self._decision(n, *rows)))

    def decision(self, docs: Sequence[str], contexts: Sequence[str] | None = None) -> np.ndarray:
        """``(len(docs), n_themes)`` decision values of the documents, or, with ``contexts``, of each
        document followed by a space and its context (``docs[i] + " " + contexts[i]`` when the context is
        not empty). A context shared by several documents (the sentence of several clauses) is split once."""
        n = len(docs)
        out = np.tile(self.intercept, (n, 1))
        if not n:
            return out
        lowered = [d.lower() for d in docs]
        if contexts is not None and not self.joins_contexts:
            lowered = [f"{d} {c}" if c else d for d, c in zip(lowered, (c.lower() for c in contexts), strict=True)]
            contexts = None
        if any(v.per_token for v in self.vectorizers):
            table, tids, indptr = self._rows(lowered, contexts)
        else:
            table, tids, indptr = None, None, None
        return self._decision(n, table, tids, indptr, lowered)

    def _decision(
        self,
        n: int,
        table: _TokenTable | None,
        tids: np.ndarray | None,
        indptr: np.ndarray | None,
        lowered: Sequence[str] = (),
    ) -> np.ndarray:
        """Decision values of ``n`` documents from their rows of token numbers (per-token vectorizers) and
        their lowercased texts (the others)."""
        out = np.tile(self.intercept, (n, 1))
        for k, (v, off) in enumerate(zip(self.vectorizers, self.offsets, strict=False)):
            if v.per_token:
                assert table is not None and tids is not None and indptr is not None
                rows, cols, data = self._token_counts(table, k, tids, indptr)
            else:
                rows, cols, data = self._counts(v, lowered)
            if not len(data):
                continue
            if v.sublinear_tf:
                np.log(data, out=data)
                data += 1.0
            data *= v.idf[cols]
            data /= np.sqrt(np.bincount(rows, weights=data * data, minlength=n))[rows]
            # each row's sum of its features' coefficient rows, weighted, in increasing column order
            starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
            weighted = self.coef.take(off + cols, axis=0)
            weighted *= data[:, None]
            out[rows[starts]] += np.add.reduceat(weighted, starts, axis=0)
        return out

    def proba(self, docs: Sequence[str], contexts: Sequence[str] | None = None) -> np.ndarray:
        """``(len(docs), n_themes)`` probabilities (each theme's own logistic regression); ``contexts`` as
        in :meth:`decision`."""
        return 1.0 / (1.0 + np.exp(-self.decision(docs, contexts)))


# --- reading the numbers from a skops archive -------------------------------------------------------------


def _json(node: dict[str, Any]) -> Any:
    if node.get("__loader__") in ("TupleNode", "ListNode"):
        return [_json(x) for x in node["content"]]
    if node.get("__loader__") != "JsonNode":
        raise UnsupportedModel(f"expected a plain value, found {node.get('__class__')}")
    return json.loads(node["content"])


def _attrs(node: dict[str, Any], cls: str) -> dict[str, Any]:
    if node.get("__class__") != cls:
        raise UnsupportedModel(f"expected {cls}, found {node.get('__class__')}")
    return node["content"]["content"]


def _items(node: dict[str, Any]) -> list[Any]:
    return node["content"]


def read_skops_linear(path: str | Path, vocabularies: dict[str, list[str]]) -> LinearScorer:
    """See :func:`_read_skops_linear`; an archive of any other shape raises :class:`UnsupportedModel`."""
    try:
        return _read_skops_linear(path, vocabularies)
    except UnsupportedModel:
        raise
    except (KeyError, TypeError, IndexError, AttributeError, ValueError) as exc:
        raise UnsupportedModel(f"{path}: not the pipeline this scorer reads ({type(exc).__name__}: {exc})") from None


def _read_skops_linear(path: str | Path, vocabularies: dict[str, list[str]]) -> LinearScorer:
    """A :class:`LinearScorer` from a skops archive of ``Pipeline([("features", FeatureUnion([...
    TfidfVectorizer ...])), ("clf", OneVsRestClassifier(LogisticRegression(...)))])``, with each
    vectorizer's terms from ``vocabularies`` (in feature order).

    Raises:
        UnsupportedModel: any other pipeline, or parameters this scorer does not implement.
    """
    with zipfile.ZipFile(path) as z:
        schema = json.loads(z.read("schema.json"))

        def array(node: dict[str, Any]) -> np.ndarray:
            if node.get("__loader__") != "NdArrayNode" or node.get("type") != "numpy":
                raise UnsupportedModel(f"expected a numpy array, found {node.get('__class__')}")
            with z.open(node["file"]) as f:
                return np.load(f, allow_pickle=False)

        steps = _items(_attrs(schema, "Pipeline")["steps"])
        names = [_json(_items(s)[0]) for s in steps]
        if names != ["features", "clf"]:
            raise UnsupportedModel(f"pipeline steps {names}")
        union = _attrs(_items(steps[0])[1], "FeatureUnion")
        if _json(union.get("transformer_weights", {"__loader__": "JsonNode", "content": "null"})) is not None:
            raise UnsupportedModel("weighted feature union")
        vecs = []
        for pair in _items(union["transformer_list"]):
            name = _json(_items(pair)[0])
            a = _attrs(_items(pair)[1], "TfidfVectorizer")
            p = {
                k: _json(a[k])
                for k in (
                    "analyzer",
                    "ngram_range",
                    "lowercase",
                    "token_pattern",
                    "norm",
                    "use_idf",
                    "sublinear_tf",
                    "binary",
                    "stop_words",
                    "preprocessor",
                    "tokenizer",
                    "strip_accents",
                    "vocabulary",
                )
            }
            ok = (
                p["lowercase"] is True
                and p["norm"] == "l2"
                and p["use_idf"] is True
                and p["binary"] is False
                and p["stop_words"] is None
                and p["preprocessor"] is None
                and p["tokenizer"] is None
                and p["strip_accents"] is None
                and p["vocabulary"] is None
                and (p["analyzer"] == "char_wb" or (p["analyzer"] == "word" and p["token_pattern"] == "[^ ]+"))
            )
            dtype = a.get("dtype", {})
            if not (dtype.get("__loader__") == "TypeNode" and dtype.get("__class__") == "float64"):
                ok = False  # another dtype rounds the weights differently
            if not ok:
                raise UnsupportedModel(f"vectorizer {name}: {p}")
            idf = array(_attrs(a["_tfidf"], "TfidfTransformer")["idf_"])
            terms = vocabularies[name]
            if len(terms) != len(idf):
                raise UnsupportedModel(f"vectorizer {name}: {len(terms)} terms for {len(idf)} weights")
            vocab = {t: i for i, t in enumerate(terms)}
            vecs.append(Vectorizer(p["analyzer"], tuple(p["ngram_range"]), vocab, idf, bool(p["sublinear_tf"])))
        ovr = _attrs(_items(steps[1])[1], "OneVsRestClassifier")
        if _json(_attrs(ovr["label_binarizer_"], "LabelBinarizer")["y_type_"]) != "multilabel-indicator":
            raise UnsupportedModel("not a multi-label one-vs-rest model (its probabilities are normalised)")
        coefs, inters = [], []
        for est in _items(ovr["estimators_"]):
            lr = _attrs(est, "LogisticRegression")
            if list(array(lr["classes_"])) != [0, 1]:
                raise UnsupportedModel("an estimator that is not binary 0/1")
            c = array(lr["coef_"])
            if c.shape[0] != 1:
                raise UnsupportedModel(f"coefficients of shape {c.shape}")
            coefs.append(c[0])
            inters.append(float(array(lr["intercept_"])[0]))
    return LinearScorer(vecs, np.stack(coefs, axis=1), np.asarray(inters))
