"""Text that remembers where every character came from.

Cleaning and layout repair rewrite a document (drop HTML, unescape entities, join wrapped lines, cut a
page into articles). A :class:`MappedText` carries the rewritten text together with a map back to the
raw input, so any span of the clean text can be turned into a span of the raw text.

The map is a list of contiguous *segments* that cover the clean text. Each segment says which raw span
produced it. A segment is *linear* when its characters were copied from the raw text unchanged (the
character at clean offset ``start + k`` is the raw character at ``raw_start + k``); otherwise it is an
atomic *replacement* (``&ldquo;`` became ``“``) and any position inside it maps to the whole raw span.

Every edit composes eagerly with the existing map, so a MappedText always maps straight to the raw
input, however many stages rewrote it. The cost of an edit is linear in the number of segments and
edits, never in the number of characters.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["MappedText", "Segment", "AlignmentError"]


class AlignmentError(ValueError):
    """An edit or a span does not fit the text (overlapping edits, offsets out of range)."""


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of the map: clean ``[start, end)`` came from raw ``[raw_start, raw_end)``."""

    start: int
    end: int
    raw_start: int
    raw_end: int
    linear: bool


Replacement = str | Callable[[re.Match[str]], str]


class MappedText:
    """A string plus a map from each of its positions back to a raw input string.

    Build one with :meth:`identity`, then rewrite it with :meth:`edit`, :meth:`sub` and :meth:`slice`;
    ask where a span came from with :meth:`raw_span`.
    """

    __slots__ = ("text", "_starts", "_segs")

    def __init__(self, text: str, segments: list[Segment]) -> None:
        self.text = text
        self._segs = segments
        self._starts = [s.start for s in segments]

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def identity(cls, raw: str, offset: int = 0) -> MappedText:
        """The raw text itself, mapped onto itself (shifted by ``offset`` in the raw input)."""
        segs = [Segment(0, len(raw), offset, offset + len(raw), True)] if raw else []
        return cls(raw, segs)

    def __len__(self) -> int:
        return len(self.text)

    def __repr__(self) -> str:
        head = self.text[:30].replace("\n", "\\n")
        return f"MappedText({head!r}{'…' if len(self.text) > 30 else ''}, {len(self._segs)} segments)"

    @property
    def segments(self) -> list[Segment]:
        """The map, merged: adjacent linear segments that are contiguous in the raw text are one."""
        return list(self._segs)

    # -- lookup -----------------------------------------------------------------------------------

    def _seg_index(self, pos: int) -> int:
        return bisect_right(self._starts, pos) - 1

    def raw_offset(self, pos: int, *, side: str = "start") -> int:
        """Raw offset of clean position ``pos`` (``side='end'`` for the end of a span)."""
        n = len(self.text)
        if not 0 <= pos <= n:
            raise AlignmentError(f"position {pos} outside text of length {n}")
        if not self._segs:
            return 0
        if side == "start":
            if pos == n:
                return self._segs[-1].raw_end
            seg = self._segs[self._seg_index(pos)]
            return seg.raw_start + (pos - seg.start) if seg.linear else seg.raw_start
        if pos == 0:
            return self._segs[0].raw_start
        seg = self._segs[self._seg_index(pos - 1)]
        return seg.raw_start + (pos - seg.start) if seg.linear else seg.raw_end

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw ``(raw_start, raw_end)`` that clean ``text[start:end]`` came from."""
        if start > end:
            raise AlignmentError(f"span start {start} after end {end}")
        if start == end:
            r = self.raw_offset(start)
            return r, r
        return self.raw_offset(start), self.raw_offset(end, side="end")

    # -- rewriting --------------------------------------------------------------------------------

    def _pieces(self, a: int, b: int, shift: int, out: list[Segment]) -> None:
        """Append the segments covering clean ``[a, b)``, moved by ``shift``."""
        if a >= b:
            return
        i = self._seg_index(a)
        segs = self._segs
        while i < len(segs) and segs[i].start < b:
            s = segs[i]
            lo, hi = max(a, s.start), min(b, s.end)
            if s.linear:
                rs = s.raw_start + (lo - s.start)
                _append(out, Segment(lo + shift, hi + shift, rs, rs + (hi - lo), True))
            else:
                # A replacement is atomic: a part of it still points at its whole raw span.
                _append(out, Segment(lo + shift, hi + shift, s.raw_start, s.raw_end, False))
            i += 1

    def edit(self, edits: Iterable[tuple[int, int, str]]) -> MappedText:
        """Replace each ``text[start:end]`` by a new string; edits must not overlap.

        Deleted text vanishes from the clean text (its raw span stays between its neighbours);
        inserted or replaced text maps to the raw span it replaced.
        """
        parts: list[str] = []
        segs: list[Segment] = []
        pos = 0  # in self.text
        out = 0  # in the new text
        for start, end, repl in sorted(edits, key=lambda e: (e[0], e[1])):
            if start < pos or end < start or end > len(self.text):
                raise AlignmentError(f"edit ({start}, {end}) overlaps another or leaves the text")
            if start > pos:
                self._pieces(pos, start, out - pos, segs)
                parts.append(self.text[pos:start])
                out += start - pos
            if repl:
                if repl == self.text[start:end]:
                    self._pieces(start, end, out - start, segs)
                else:
                    rs, re_ = self.raw_span(start, end)
                    _append(segs, Segment(out, out + len(repl), rs, re_, False))
                parts.append(repl)
                out += len(repl)
            pos = end
        if pos < len(self.text):
            self._pieces(pos, len(self.text), out - pos, segs)
            parts.append(self.text[pos:])
        return MappedText("".join(parts), segs)

    def sub(self, pattern: str | re.Pattern[str], repl: Replacement, *, flags: int = 0) -> MappedText:
        """Like :func:`re.sub`, but keeping the map. ``repl`` is a literal string or a function of
        the match (group references are not expanded: pass a function for that)."""
        rx = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
        edits = []
        for m in rx.finditer(self.text):
            new = repl(m) if callable(repl) else repl
            if new != m.group(0):
                edits.append((m.start(), m.end(), new))
        return self.edit(edits) if edits else self

    def slice(self, start: int, end: int) -> MappedText:
        """The clean ``text[start:end]`` as a MappedText of its own (offsets restart at 0)."""
        if not 0 <= start <= end <= len(self.text):
            raise AlignmentError(f"slice ({start}, {end}) outside text of length {len(self.text)}")
        segs: list[Segment] = []
        self._pieces(start, end, -start, segs)
        return MappedText(self.text[start:end], segs)

    def strip(self, chars: str | None = None) -> MappedText:
        """Strip leading and trailing whitespace (or ``chars``), keeping the map."""
        t = self.text
        left = len(t) - len(t.lstrip(chars))
        right = len(t.rstrip(chars))
        if left == 0 and right == len(t):
            return self
        return self.slice(left, max(left, right))

    @staticmethod
    def concat(parts: Iterable[MappedText], sep: str = "\n") -> MappedText:
        """Join texts with a separator; the separator maps to the raw gap between its neighbours."""
        texts: list[str] = []
        segs: list[Segment] = []
        out = 0
        prev_end: int | None = None
        for i, p in enumerate(parts):
            if i and sep:
                anchor = prev_end if prev_end is not None else 0
                nxt = p._segs[0].raw_start if p._segs else anchor
                _append(segs, Segment(out, out + len(sep), anchor, max(anchor, nxt), False))
                texts.append(sep)
                out += len(sep)
            for s in p._segs:
                _append(segs, Segment(s.start + out, s.end + out, s.raw_start, s.raw_end, s.linear))
            texts.append(p.text)
            out += len(p.text)
            if p._segs:
                prev_end = p._segs[-1].raw_end
        return MappedText("".join(texts), segs)

    # -- serialisation ----------------------------------------------------------------------------

    def to_rows(self) -> list[dict[str, int | bool]]:
        """The map as plain rows (for the ``offset_map`` column of the articles table)."""
        return [
            {
                "start": s.start,
                "end": s.end,
                "raw_start": s.raw_start,
                "raw_end": s.raw_end,
                "linear": s.linear,
            }
            for s in self._segs
        ]

    @classmethod
    def from_rows(cls, text: str, rows: Iterable[dict[str, int | bool]]) -> MappedText:
        """Rebuild a MappedText from :meth:`to_rows` output (read back from Parquet)."""
        segs = [
            Segment(int(r["start"]), int(r["end"]), int(r["raw_start"]), int(r["raw_end"]), bool(r["linear"]))
            for r in rows
        ]
        return cls(text, segs)


def _append(segs: list[Segment], s: Segment) -> None:
    """Append, merging with the previous segment when both are linear and contiguous."""
    if s.start == s.end:
        return
    if segs:
        p = segs[-1]
        if p.linear and s.linear and p.end == s.start and p.raw_end == s.raw_start:
            segs[-1] = Segment(p.start, s.end, p.raw_start, s.raw_end, True)
            return
    segs.append(s)
