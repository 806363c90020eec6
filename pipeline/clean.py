"""Clean: turn a raw document into plain text that still maps back to the raw input.

Two cleaners, for the two kinds of raw text:

* :func:`clean_record` for scraped article text (JSONL records, a ``.txt`` that is not a PDF page):
  HTML and entities out, whitespace normalised, web-page leftovers dropped. The result is plain
  paragraphs, one a line.
* :func:`clean_page` for PDF-extracted pages: only line ends and odd spaces are normalised, every
  line break and blank line is kept because the layout stage reads them.

Every change goes through :class:`~pipeline.textmap.MappedText`, so each character of the result
still points at the raw characters it came from. The web-page leftovers are data, listed with
examples in ``pipeline/data/boilerplate.toml``.

All regular expressions here run in linear time: no pattern can backtrack over a span it already
matched, so 1 MB of ``<<<<``, ``&&&&`` or ``<!--`` is cleaned in a fraction of a second. The cost
that remains is one MappedText edit per change (a few microseconds each).
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .records import RawDocument
from .textmap import MappedText

__all__ = ["Boilerplate", "BoilerplateRule", "load_boilerplate", "clean_record", "clean_page"]

BOILERPLATE_PATH = Path(__file__).parent / "data" / "boilerplate.toml"


# -- the boilerplate table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BoilerplateRule:
    """One web-page leftover: lines matching ``pattern`` whole are dropped."""

    name: str
    pattern: str
    examples: tuple[str, ...]
    trailing: bool  # True: only dropped at the end of the text


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """The leftover rules, compiled once.

    ``anywhere`` matches any run of whole lines to drop (with the line break after it);
    ``trailing`` matches one whole last line to drop.
    """

    rules: tuple[BoilerplateRule, ...]
    anywhere: re.Pattern[str]
    trailing: re.Pattern[str]


def load_boilerplate(path: str | Path | None = None) -> Boilerplate:
    """Load and compile a boilerplate table (by default ``pipeline/data/boilerplate.toml``).

    Args:
        path: A TOML file in the format its header describes.

    Returns:
        The compiled rules.

    Raises:
        ValueError: A rule is malformed or its pattern does not compile.
    """
    path = Path(path) if path is not None else BOILERPLATE_PATH
    with open(path, "rb") as fh:
        table = tomllib.load(fh)
    unknown = set(table) - {"anywhere", "trailing"}
    if unknown:
        raise ValueError(f"{path}: unknown keys {sorted(unknown)}")
    rules: list[BoilerplateRule] = []
    for key in ("anywhere", "trailing"):
        for i, entry in enumerate(table.get(key, [])):
            try:
                name, pattern = str(entry["name"]), str(entry["pattern"])
                examples = tuple(str(e) for e in entry.get("examples", ()))
                re.compile(pattern)
            except (KeyError, TypeError, re.error) as err:
                raise ValueError(f"{path}: {key}[{i}]: {err}") from err
            rules.append(BoilerplateRule(name, pattern, examples, key == "trailing"))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: rule names are not unique")
    # An alternation that can never match when a table is empty.
    anywhere = "|".join(f"(?:{r.pattern})" for r in rules if not r.trailing) or r"(?!)"
    trailing = "|".join(f"(?:{r.pattern})" for r in rules if r.trailing) or r"(?!)"
    return Boilerplate(
        tuple(rules),
        re.compile(rf"^(?:{anywhere})$\n?", re.MULTILINE),
        re.compile(trailing),
    )


@cache
def _default_boilerplate() -> Boilerplate:
    return load_boilerplate()


# -- the character classes ------------------------------------------------------------------------

# 1. Characters that end a line besides "\n": CR (alone or in CRLF), VT, FF (a page break in
#    extracted text), NEL, LINE and PARAGRAPH SEPARATOR.
_LINE_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
# 2. Invisible characters that are dropped: zero-width spaces and joiners, word joiner, a BOM
#    inside the text, soft hyphen; and control characters (C0 and C1) other than tab and the breaks.
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]+")
# 3. Whitespace runs. After 2, every whitespace character left is a line break or a space of some
#    width (tab, NBSP, ideographic space, en/em spaces, ...).
_WHITESPACE = re.compile(r"\s+")
_ODD_SPACES = re.compile(r"[^\S\n ]+")  # runs of any whitespace but "\n" and the plain space
_SPACES = re.compile(r" +")
_PAGE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")

# -- HTML -----------------------------------------------------------------------------------------

# Tags that end a paragraph: replaced by a line break. Every other tag is removed without a trace.
_BLOCK_TAGS = frozenset(
    "p div br h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr td th table thead tbody tfoot caption section "
    "article blockquote header footer nav aside figure figcaption pre hr main center form address".split()
)

# One opening token of markup. Every branch stops at the next "<" or ">" ([^<>]), so a failed
# attempt never scans past the next "<" and the whole search is linear.
#   1. a comment opener (its end is found with str.find)
#   2. a <script> or <style> start tag (its content is dropped up to the matching end tag)
#   3. a start or end tag with a name and optional attributes
#   4. a declaration or processing instruction: <!DOCTYPE html>, <?xml ...?>
_MARKUP = re.compile(
    r"""<!--
      | <(?P<raw>script|style)\b[^<>]*>
      | </?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?:\s[^<>]*)?/?>
      | <[!?][^<>]*>""",
    re.IGNORECASE | re.VERBOSE,
)
_RAW_END = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}

# A character reference: named (&ldquo;), decimal (&#20013;) or hex (&#x4e2d;). Bounded lengths keep
# the match linear; html.unescape decodes it (an unknown name stays as it is).
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")


def _markup_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits that drop comments, script/style blocks and tags (block tags become a line break).

    An unterminated comment or script block loses only its opening token: dropping the rest of an
    article because of one stray ``<!--`` would cost more than a few stray characters.
    """
    edits: list[tuple[int, int, str]] = []
    # Where the next closer was found (or -1): reused while it lies ahead, so each closer is searched
    # for once however many openers precede it.
    next_close: dict[str, tuple[int, int]] = {}
    pos = 0
    while (m := _MARKUP.search(text, pos)) is not None:
        start, end = m.span()
        kind = "comment" if m.group(0) == "<!--" else (m.group("raw") or "").lower()
        if kind:
            found = next_close.get(kind)
            if found is None or 0 <= found[0] < end:
                if kind == "comment":
                    at = text.find("-->", end)
                    found = (at, at + 3) if at >= 0 else (-1, -1)
                else:
                    c = _RAW_END[kind].search(text, end)
                    found = c.span() if c else (-1, -1)
                next_close[kind] = found
            if found[0] >= 0:
                end = found[1]
            edits.append((start, end, ""))
        else:
            name = (m.group("name") or "").lower()
            edits.append((start, end, "\n" if name in _BLOCK_TAGS else ""))
        pos = end
    return edits


def _entity(m: re.Match[str]) -> str:
    return html.unescape(m.group(0))


# 4. Digits printed one by one with a space between (本届政府从1 9 9 3 年3 月就职, 增长1 0 ％: a conversion of the 1998
#    State Council report): one number. A run next to another digit, a colon, a dot, a slash or a hyphen is left
#    alone (2026-02-03 09:02:33).
_SPACED_DIGITS = re.compile(r"(?<![0-9０-９:：.．/\-])[0-9０-９](?: [0-9０-９])+(?![0-9０-９:：.．/\-])")


def _unspaced(text: str) -> list[tuple[int, int, str]]:
    """Edits deleting the spaces between digits printed one by one: the digits themselves are kept, each
    mapped to its own raw character (replacing the whole run would map every digit to all of it)."""
    return [
        (m.start() + i, m.start() + i + 1, "")
        for m in _SPACED_DIGITS.finditer(text)
        for i in range(1, len(m.group()), 2)
    ]


def _whitespace(m: re.Match[str]) -> str:
    run = m.group(0)
    if "\n" in run or any(c in _LINE_BREAKS for c in run):
        return "\n"
    return " "


# -- the cleaners ---------------------------------------------------------------------------------


def clean_record(doc: RawDocument, boilerplate: Boilerplate | None = None) -> MappedText:
    """Clean scraped article text into plain paragraphs, mapped back to ``doc.text``.

    Steps, in order: comments, ``<script>``/``<style>`` blocks and tags are removed (a block-level
    tag such as ``p``, ``div``, ``br``, ``li``, ``tr`` ends a paragraph); entities are decoded;
    invisible characters are dropped; CRLF, CR and other line breaks become ``\\n``; a run of other
    whitespace (NBSP, ideographic space, tabs, ...) inside a line becomes one space and disappears at
    the start and end of a line; blank lines go; digits printed one by one with spaces between become one
    number (1 9 9 3 年 -> 1993年); web-page leftovers listed in the boilerplate table are dropped.

    The result has paragraphs separated by exactly one ``\\n``, no blank lines and no whitespace at
    the start or end of any line or of the text.

    Args:
        doc: The raw document.
        boilerplate: The leftover rules; by default those of ``pipeline/data/boilerplate.toml``.

    Returns:
        The clean text with its map to ``doc.text``.
    """
    rules = boilerplate if boilerplate is not None else _default_boilerplate()
    mt = MappedText.identity(doc.text)
    edits = _markup_edits(mt.text)
    if edits:
        mt = mt.edit(edits)
    mt = mt.sub(_ENTITY, _entity)
    mt = mt.sub(_INVISIBLE, "")
    mt = mt.sub(_WHITESPACE, _whitespace).strip()
    spaces = _unspaced(mt.text)
    if spaces:
        mt = mt.edit(spaces)
    mt = mt.sub(rules.anywhere, "")
    mt = _drop_trailing(mt, rules.trailing)
    return mt.strip()


def _drop_trailing(mt: MappedText, trailing: re.Pattern[str]) -> MappedText:
    text = mt.text.rstrip("\n")
    end = len(text)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        if trailing.fullmatch(text, start, end) is None:
            break
        end = max(start - 1, 0)
    return mt.slice(0, end) if end < len(mt.text) else mt


def clean_page(doc: RawDocument) -> MappedText:
    """Normalise a PDF-extracted page without touching its layout, mapped back to ``doc.text``.

    CRLF and CR (and VT, FF, NEL, U+2028/9) become ``\\n``; invisible characters (zero-width spaces,
    a stray BOM, control characters) are dropped; odd spaces (ideographic space, NBSP, tabs, en/em
    spaces) become a plain space, one for one; spaces at the end of a line are removed. Every line
    break, blank line and leading space is kept.

    Args:
        doc: The raw document.

    Returns:
        The normalised text with its map to ``doc.text``.
    """
    mt = MappedText.identity(doc.text)
    mt = mt.sub(_PAGE_BREAKS, "\n")
    mt = mt.sub(_INVISIBLE, "")
    mt = mt.sub(_ODD_SPACES, lambda m: " " * len(m.group(0)))
    text = mt.text
    return mt.sub(_SPACES, lambda m: "" if m.end() == len(text) or text[m.end()] == "\n" else m.group(0))
