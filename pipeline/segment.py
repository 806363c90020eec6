"""Word segmentation and sentence splitting of article text.

Words
-----
:class:`Segmenter` cuts text into :class:`~pipeline.records.Token` s with jieba's dictionary and algorithm
(dictionary DAG + maximum-probability route, HMM for runs the dictionary does not join). It has two engines:

``rjieba`` (default)
    The jieba-rs binding: on the bundled corpus 4 times faster through :meth:`Segmenter.tokenize` (5 times
    in the engines alone) and 0.1 s to load against 0.6 s.
``jieba``
    Python jieba, the reference. It runs on a private :class:`jieba.Tokenizer` instance; jieba's global
    tokenizer ``jieba.dt`` and the rest of jieba's module state are never touched, so a host program that
    uses jieba itself sees no change.

Both engines load the same governance user dictionary (``pipeline/data/userdict.txt``, see
:func:`load_userdict`) with explicit frequencies, and both give the same tokens. Python jieba defines
what "the same" means; the engines are brought together by three rules:

1. ASCII runs. Inside a run of ``[A-Za-z0-9+#&._%-]`` that the dictionary does not know, a word is
   ``[A-Za-z0-9]+(?:\\.\\d+)?%?`` (jieba's own HMM rule) and whatever lies between two words is one token.
   So decimals and percentages stay whole (``36.18``, ``75.94%``, ``PM2.5``), while ``-``, ``_`` and a
   ``.`` that is not a decimal point separate: ``2024|-|2025``, ``4.5|-|5%``, ``COVID|-|19``,
   ``PM|_|2.5``, ``40.5|GWh``, ``tv|.|cctv|.|com``, ``1.5|.|6``. jieba-rs keeps such runs whole
   (``2024-2025``, ``40.5GWh``); its tokens are split again by the rule above. We keep jieba's rule
   because it hands later stages ranges as their two ends and numbers apart from their units, and the
   reference engine then needs no repair.
2. Rare ideographs. Python jieba treats only U+4E00..U+9FD5 as Chinese; CJK Extension A, U+9FD6..U+9FFF,
   the compatibility ideographs and Extensions B..F are one token each and cut the text around them.
   jieba-rs treats them as Chinese, so the rjieba engine cuts its input at them first.
3. Dictionary total. Every route score subtracts log(total) once per word, so two routes made of the
   same words in another order (``图|图图`` and ``图图|图``) tie exactly and rounding picks the winner.
   For both engines to round alike the totals must be equal: the jieba engine sets its total to the sum
   of the final word frequencies, as jieba-rs counts it.

One difference is left: the HMM, which cuts runs of characters the dictionary does not join, meets exact
ties too when a character repeats (``偼省省省箑`` gives ``省|省省`` in jieba-rs, ``省省|省`` in Python
jieba), and the two implementations round those differently. None occurs in the bundled corpus. Any
other difference between the engines is a bug (``tests/test_segment.py`` checks the whole bundled corpus
and random text).

Sentences
---------
:func:`split_sentences` cuts article text (paragraphs separated by a single ``\\n``) into sentences:

1. A newline always ends a sentence; the paragraph index counts the non-blank paragraphs.
2. A sentence ends after a run of 。！？!?； (the full-width semicolon ends a sentence: in news and
   reports it joins independent clauses, often whole list items, and keeps sentences short). The ASCII
   ``.`` and ``;`` never end one (decimals, URLs, leftover HTML entities).
3. Closing quotes and brackets ”’」』）)] and ellipses … right after that run stay with the sentence:
   ``“……。”`` ends after the ``”``.
4. Quotes do not protect their content: an open “ does not stop a 。 from ending a sentence, because
   a quote spanning several paragraphs is opened at every paragraph and closed only at the last one, and
   scraped text often loses a quote mark. A title in 《》 closed in the same paragraph is protected:
   ``《你好！》`` does not end a sentence.
5. Sentences never start or end with whitespace and are never empty.

Everything runs in linear time: the regular expressions have no nested quantifiers.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from importlib.machinery import EXTENSION_SUFFIXES, ExtensionFileLoader
from pathlib import Path
from typing import Any, Literal

from .records import Token

__all__ = [
    "ENGINES",
    "Engine",
    "Segmenter",
    "SegmentationError",
    "UserWord",
    "load_userdict",
    "split_sentences",
    "userdict_text",
]

logger = logging.getLogger(__name__)

Engine = Literal["rjieba", "jieba"]
ENGINES: tuple[Engine, ...] = ("rjieba", "jieba")

# -- jieba's character classes, as in jieba/__init__.py and jieba/finalseg/__init__.py -------------------

# The characters jieba cuts with its dictionary; anything else is a token of its own (or whitespace).
_JIEBA_BLOCK_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
# Characters jieba-rs treats as Chinese that Python jieba does not (measured over U+0000..U+31FFF).
_RARE_HAN = re.compile(
    "[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f]"
)
# A run of jieba's ASCII block characters, and jieba's HMM rule for a word inside such a run.
_ASCII_RUN_CHAR, _ASCII_SIGN = r"[a-zA-Z0-9+#&._%\-]", r"[+#&._%\-]"  # a run's characters; those not alphanumeric
_ASCII_RUN = re.compile(_ASCII_RUN_CHAR + "+")
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:\.\d+)?%?")


class SegmentationError(RuntimeError):
    """An engine returned tokens that do not cover the text exactly."""


# -- user dictionary ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserWord:
    """One entry of the user dictionary: the word, its jieba frequency and an optional POS tag."""

    word: str
    freq: int
    tag: str | None = None


def userdict_text() -> str:
    """The bundled governance user dictionary (``pipeline/data/userdict.txt``) as text.

    Returns:
        The file's content, decoded as UTF-8.
    """
    return resources.files(__package__).joinpath("data", "userdict.txt").read_text(encoding="utf-8")


def load_userdict(path: str | os.PathLike[str] | None = None) -> list[UserWord]:
    """Read a user dictionary.

    Format: UTF-8, one entry a line, ``word freq [tag]`` separated by whitespace; lines that are blank or
    start with ``#`` are ignored. ``freq`` is a positive integer on the scale of jieba's dictionary (the
    frequencies sum to about 60 million). A word may use only the characters jieba cuts with its
    dictionary (CJK U+4E00..U+9FD5, ASCII letters and digits, ``+#&._%-``): Python jieba could never
    match any other.

    Args:
        path: The file to read; None reads the bundled governance dictionary.

    Returns:
        The entries in file order.

    Raises:
        ValueError: A line is malformed, a word is listed twice or uses a character jieba cannot match.
    """
    if path is None:
        name, text = "pipeline/data/userdict.txt", userdict_text()
    else:
        name = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            text = f.read()
    entries: list[UserWord] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        where = f"{name}:{lineno}"
        if len(fields) not in (2, 3):
            raise ValueError(f"{where}: expected 'word freq [tag]', got {line!r}")
        word, freq_text = fields[0], fields[1]
        tag = fields[2] if len(fields) == 3 else None
        # Frequency 0 would make Python jieba register a forced split in its module-global HMM state.
        if not freq_text.isascii() or not freq_text.isdigit() or int(freq_text) < 1:
            raise ValueError(f"{where}: frequency must be a positive integer, got {freq_text!r}")
        bad = [ch for ch in word if not _JIEBA_BLOCK_CHAR.fullmatch(ch)]
        if bad:
            raise ValueError(f"{where}: jieba cannot match {word!r}, it contains {''.join(bad)!r}")
        if word in seen:
            raise ValueError(f"{where}: {word!r} is listed twice")
        seen.add(word)
        entries.append(UserWord(word, int(freq_text), tag))
    return entries


# -- word segmentation ----------------------------------------------------------------------------------


@contextmanager
def _quiet_jieba_logger() -> Iterator[None]:
    """Silence jieba's own logger ("Building prefix dict ...") for the duration, then restore it."""
    jieba_logger = logging.getLogger("jieba")
    level = jieba_logger.level
    jieba_logger.setLevel(max(level, logging.WARNING))  # never lower a level the host chose
    try:
        yield
    finally:
        jieba_logger.setLevel(level)


def _rjieba_class() -> Any:
    """rjieba's ``Jieba`` class. Importing the ``rjieba`` package builds a default tokenizer with the whole
    dictionary (``rjieba/__init__.py``: about 0.17 s of every start) that govmine never uses, since every
    :class:`Segmenter` builds its own with the user words. So the compiled module ``rjieba.rjieba`` is loaded by
    itself, under its own name (a later ``import rjieba`` finds it in ``sys.modules`` and uses it); if the
    package is laid out otherwise, or is already imported, the package is imported as usual."""
    mod = sys.modules.get("rjieba.rjieba")
    if mod is None and "rjieba" not in sys.modules:
        spec = importlib.util.find_spec("rjieba")  # the package's location, without importing it
        folders = list(spec.submodule_search_locations or ()) if spec is not None else []
        paths = [f for d in folders for suffix in EXTENSION_SUFFIXES for f in Path(d).glob(f"rjieba{suffix}")]
        if paths:
            loader = ExtensionFileLoader("rjieba.rjieba", str(paths[0]))
            mod = importlib.util.module_from_spec(importlib.util.spec_from_loader("rjieba.rjieba", loader))
            loader.exec_module(mod)
            sys.modules["rjieba.rjieba"] = mod
    if mod is None or not hasattr(mod, "Jieba"):
        import rjieba

        return rjieba.Jieba
    return mod.Jieba


class Segmenter:
    """Cuts text into words with jieba's dictionary plus the governance user dictionary.

    Build one per process and reuse it: construction loads the dictionary once (rjieba about 0.1 s,
    Python jieba about 0.6 s); :meth:`tokenize` then only reads it.

    Args:
        engine: ``"rjieba"`` (jieba-rs, fast) or ``"jieba"`` (Python jieba, the reference).
        userdict: User dictionary to load (see :func:`load_userdict`); None loads the bundled one.

    Raises:
        ValueError: Unknown engine, or a malformed user dictionary.

    Example:
        >>> seg = Segmenter()
        >>> seg.cut("选派楼栋长（单元长）2399人")
        ['选派', '楼栋长', '（', '单元长', '）', '2399', '人']
    """

    def __init__(self, engine: Engine = "rjieba", userdict: str | os.PathLike[str] | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown segmentation engine {engine!r}; expected one of {ENGINES}")
        self.engine: Engine = engine
        self.user_words: tuple[UserWord, ...] = tuple(load_userdict(userdict))
        began = time.perf_counter()
        self._impl: Any = self._build_rjieba() if engine == "rjieba" else self._build_jieba()
        self._pos: Any = None  # jieba.posseg tagger of the jieba engine, built on first use
        logger.debug(
            "%s segmenter with %d user words loaded in %.2f s",
            engine,
            len(self.user_words),
            time.perf_counter() - began,
        )

    def __repr__(self) -> str:
        return f"Segmenter(engine={self.engine!r}, user_words={len(self.user_words)})"

    def _build_rjieba(self) -> Any:
        impl = _rjieba_class()()
        for w in self.user_words:
            impl.add_word(w.word, w.freq, w.tag)
        return impl

    def _build_jieba(self) -> Any:
        import jieba

        impl = jieba.Tokenizer()
        with _quiet_jieba_logger():
            impl.initialize()
        for w in self.user_words:
            impl.add_word(w.word, w.freq, w.tag)
        # Rule 3: jieba-rs's total is the sum of each word's final frequency; Python jieba's adds up every
        # line (B超 is listed twice in dict.txt) and every add_word, even one that replaces a frequency.
        impl.total = sum(impl.FREQ.values())
        return impl

    def tokenize(self, text: str) -> list[Token]:
        """Cut text into words.

        Args:
            text: Any text; newlines and whitespace become tokens of their own.

        Returns:
            Tokens in order; their texts concatenate to ``text`` and each starts where the previous ends.

        Raises:
            SegmentationError: The engine's tokens do not cover the text (a bug, never silently fixed).
        """
        return [Token(text[start:end], start, end) for start, end in self.spans(text)]

    def cut(self, text: str) -> list[str]:
        """Cut text into words, as strings (faster than :meth:`tokenize` when offsets are not needed).

        Args:
            text: Any text.

        Returns:
            The texts of :meth:`tokenize`'s tokens.

        Raises:
            SegmentationError: As :meth:`tokenize`.
        """
        if self.engine == "rjieba" and not _NEEDS_RULES.search(text):  # most sentences: rjieba's words as they are
            words: list[str] = self._impl.cut(text, True)
            if "".join(words) == text:
                return words
        return [text[start:end] for start, end in self.spans(text)]

    def cut_and_tag(self, text: str) -> tuple[list[str], list[tuple[str, str]]]:
        """:meth:`cut` and :meth:`tag` of one text, with one pass of the engine where one serves both.

        rjieba's ``tag`` is its ``cut`` with each word's flag looked up, so where :meth:`cut` returns
        rjieba's words as they are (no rule of this module applies), they are the tagged words.

        Args:
            text: Any text.

        Returns:
            ``(cut(text), tag(text))``.

        Raises:
            SegmentationError: As :meth:`cut`.
        """
        tagged = self.tag(text)
        if self.engine == "rjieba" and not _NEEDS_RULES.search(text):
            words = [w for w, _ in tagged]
            if "".join(words) == text:
                return words, tagged
        return self.cut(text), tagged

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Cut text into words with their part-of-speech flags (jieba's tag set: n, v, vn, ns, m, q, x…).

        The words concatenate to ``text``. Tags come from the engine's own tagger (rjieba's ``tag``,
        or ``jieba.posseg`` on this segmenter's private tokenizer), so the words may differ from
        :meth:`cut` where the ASCII and rare-ideograph rules of this module apply.

        Args:
            text: Any text.

        Returns:
            ``(word, flag)`` pairs in order.
        """
        if self.engine == "jieba":
            if self._pos is None:
                import jieba.posseg

                self._pos = jieba.posseg.POSTokenizer(self._impl)
            return [(p.word, p.flag) for p in self._pos.lcut(text)]
        safe = _no_surrogates(text)
        if safe is text:
            return self._impl.tag(text, True)  # list of (word, flag) already
        out = []
        pos = 0
        for w, f in self._impl.tag(safe, True):
            out.append((text[pos : pos + len(w)], f))  # the caller's characters, lone surrogates included
            pos += len(w)
        return out

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Cut text into words, as half-open ``(start, end)`` offsets.

        Args:
            text: Any text.

        Returns:
            The offsets of :meth:`tokenize`'s tokens.

        Raises:
            SegmentationError: As :meth:`tokenize`.
        """
        if self.engine == "jieba":
            spans = [(s, e) for _, s, e in self._impl.tokenize(text, mode="default", HMM=True)]
        else:
            spans = self._rjieba_spans(text)
        pos = 0
        for start, end in spans:
            if start != pos or end <= start:
                raise SegmentationError(
                    f"{self.engine} token at [{start}, {end}) does not follow offset {pos} in {text[:60]!r}"
                )
            pos = end
        if pos != len(text):
            raise SegmentationError(f"{self.engine} tokens stop at {pos} of {len(text)} in {text[:60]!r}")
        return spans

    def _rjieba_spans(self, text: str) -> list[tuple[int, int]]:
        """rjieba's token spans, adjusted to Python jieba by the module's rules 1 and 2."""
        spans: list[tuple[int, int]] = []
        pos = 0
        # Rule 2: Python jieba cuts the text at a rare ideograph, which is a token of its own.
        for m in _RARE_HAN.finditer(text):
            self._rjieba_piece(text, pos, m.start(), spans)
            spans.append((m.start(), m.end()))
            pos = m.end()
        self._rjieba_piece(text, pos, len(text), spans)
        return spans

    def _rjieba_piece(self, text: str, begin: int, end: int, spans: list[tuple[int, int]]) -> None:
        if begin == end:
            return
        impl = self._impl
        for word, start, stop in impl.tokenize(_no_surrogates(text[begin:end]), "default", True):
            # Rule 1: split an unknown ASCII run the way jieba's HMM step does.
            if (
                stop - start > 1
                and word.isascii()
                and _ASCII_RUN.fullmatch(word)
                and not _ASCII_WORD.fullmatch(word)
                and not impl.has_word(word)
            ):
                spans.extend((begin + start + a, begin + start + b) for a, b in _split_ascii_run(word))
            else:
                spans.append((begin + start, begin + stop))


def _split_ascii_run(run: str) -> Iterator[tuple[int, int]]:
    """Spans of jieba's words in an ASCII run and of the pieces between them (``re.split`` semantics)."""
    pos = 0
    for m in _ASCII_WORD.finditer(run):
        if m.start() > pos:
            yield pos, m.start()
        yield m.start(), m.end()
        pos = m.end()
    if pos < len(run):
        yield pos, len(run)


# -- sentences ------------------------------------------------------------------------------------------

_TERMINATORS = "。！？!?；"
_CLOSERS = "”’」』）)]…"
# Rules 2 and 3: a run of terminators, then any closing marks and ellipses (and further terminators).
_SENTENCE_END = re.compile(f"[{re.escape(_TERMINATORS)}][{re.escape(_TERMINATORS + _CLOSERS)}]*")
# Rule 4: a title closed in the same paragraph. [^《》] stops every failed attempt at the next 《, so
# the scan stays linear even when titles are never closed.
_TITLE = re.compile(r"《[^《》\n]*》")
_LINE = re.compile(r"[^\n]+")


_SURROGATE = re.compile("[\ud800-\udfff]")
# Where rjieba's words may need the module's rules: a rare ideograph (rule 2), a lone surrogate, or an ASCII run of
# two or more characters holding one of + # & . _ % - (rule 1 splits only a token that is such a run and does not
# match _ASCII_WORD; a token inside a run of letters and digits always matches it). A text with none of these is
# cut by rjieba exactly as by Python jieba, with no rule to apply.
_NEEDS_RULES = re.compile(
    "|".join((_RARE_HAN.pattern, _SURROGATE.pattern, _ASCII_RUN_CHAR + _ASCII_SIGN, _ASCII_SIGN + _ASCII_RUN_CHAR))
)


def _no_surrogates(text: str) -> str:
    """Lone surrogates (possible in a Python str, impossible in UTF-8) become U+FFFD, one for one, so
    the Rust engine accepts the text and offsets stay the same."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def split_sentences(text: str) -> list[tuple[int, int, int]]:
    """Cut article text into sentences (rules in the module docstring).

    Args:
        text: Article text, paragraphs separated by a single ``\\n``.

    Returns:
        ``(start, end, paragraph)`` for each sentence, in order: ``text[start:end]`` is the sentence,
        stripped of whitespace and never empty; ``paragraph`` is the 0-based index of its paragraph among
        the non-blank paragraphs.
    """
    out: list[tuple[int, int, int]] = []
    paragraph = 0
    for line in _LINE.finditer(text):
        before = len(out)
        _split_paragraph(text, line.start(), line.end(), paragraph, out)
        if len(out) > before:
            paragraph += 1
    return out


def _split_paragraph(text: str, begin: int, end: int, paragraph: int, out: list[tuple[int, int, int]]) -> None:
    titles = iter(_TITLE.finditer(text, begin, end))
    title = next(titles, None)
    start = begin
    for m in _SENTENCE_END.finditer(text, begin, end):
        while title is not None and title.end() <= m.start():
            title = next(titles, None)
        if title is not None and title.start() < m.start():
            continue  # inside a closed 《title》
        _emit(text, start, m.end(), paragraph, out)
        start = m.end()
    _emit(text, start, end, paragraph, out)


def _emit(text: str, start: int, end: int, paragraph: int, out: list[tuple[int, int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append((start, end, paragraph))
