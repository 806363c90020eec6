"""Ingest: find input files and read them into :class:`~pipeline.records.RawDocument` records.

Two kinds of input are read:

* ``.txt``: one document per file (a PDF-extracted page or a scraped article), read whole.
* ``.jsonl``: one document per line, streamed line by line so a multi-GB file never sits in memory.
  ``text`` is required; ``id``, ``title``, ``date``, ``source`` and ``url`` are optional; any other
  field is kept in ``metadata``.

Encodings: a UTF-8, UTF-16 or UTF-32 BOM is honoured; otherwise strict UTF-8 is tried first, and
anything else is detected by charset-normalizer among the encodings a Chinese corpus can use
(GB18030, which covers GBK and GB2312, and Big5). A JSONL file gets one encoding, chosen on its
first 256 KiB; every line is decoded with it. The decoded text, BOM dropped and line ends
untouched, is what every raw offset downstream points into.

Bad input never raises: it becomes a :class:`~pipeline.records.Reject` with a short reason code
(see :data:`REJECT_REASONS`), a warning is logged, and reading goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import logging
import os
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from charset_normalizer import from_bytes

from .records import RawDocument, Reject

__all__ = [
    "UsageError",
    "REJECT_REASONS",
    "iter_input_files",
    "read_documents",
    "content_id",
]

logger = logging.getLogger(__name__)

#: Every reason code :func:`read_documents` can give, with the stage it belongs to.
REJECT_REASONS: dict[str, str] = {
    "unreadable": "ingest",  # the file cannot be opened or read (permissions, a directory, I/O error)
    "unsupported_type": "ingest",  # an explicitly named file that is neither .txt nor .jsonl
    "empty_file": "ingest",  # no bytes, or nothing but whitespace / blank lines
    "binary_file": "decode",  # NUL bytes or mostly control characters
    "undecodable": "decode",  # no Chinese-capable encoding fits the bytes (whole file or one line)
    "bad_json": "parse",  # a JSONL line that is not valid JSON
    "not_an_object": "parse",  # valid JSON, but not an object
    "no_text": "parse",  # the record's ``text`` is missing, null, not a string or blank
    "duplicate_id": "parse",  # the id (given or content hash) was already used earlier in the file
}

SUPPORTED_SUFFIXES = (".txt", ".jsonl")
RECORD_FIELDS = ("id", "text", "title", "date", "source", "url")

# Encodings charset-normalizer may pick for a file that is not UTF-8. GB18030 is a superset of
# GBK and GB2312, so a GBK file decodes as gb18030 and nothing is lost on rare characters.
_DETECT_CANDIDATES = ["gb18030", "big5"]
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz"}

# BOMs in the order they must be tested (the UTF-32-LE BOM starts with the UTF-16-LE one).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SAMPLE_BYTES = 1 << 18  # how much of a JSONL file the encoding is detected on (256 KiB)
_BINARY_CONTROL_SHARE = 0.05  # above this share of control characters a text is called binary
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0b\x0c")


class UsageError(Exception):
    """The user asked for something impossible (an input path that does not exist)."""


# -- finding files --------------------------------------------------------------------------------


def iter_input_files(paths: Sequence[str | Path]) -> Iterator[Path]:
    """Yield the input files named by ``paths``, in a deterministic order.

    A file named explicitly is yielded whatever its extension (:func:`read_documents` rejects
    unsupported ones). A directory is walked recursively: ``.txt`` and ``.jsonl`` files
    (case-insensitive) are yielded in sorted path order; hidden files and directories (name starting
    with ``.``) and other extensions are skipped. Arguments are taken in the order given; a file
    reached twice is yielded once.

    Args:
        paths: Files and directories (or a single one).

    Yields:
        Paths of the files to read.

    Raises:
        UsageError: A path does not exist.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [paths]  # one path, not a sequence of one-character paths
    seen: set[Path] = set()
    for arg in paths:
        root = Path(arg)
        if not root.exists():
            raise UsageError(f"input not found: {root}")
        found = [root] if not root.is_dir() else sorted(_walk(root))
        for path in found:
            key = path.resolve()
            if key in seen:
                logger.debug("%s: already listed, skipped", path)
                continue
            seen.add(key)
            yield path


def _walk(root: Path) -> Iterator[Path]:
    def on_error(err: OSError) -> None:
        logger.warning("%s: cannot list directory: %s", err.filename, err.strerror)

    n_read, other = 0, []
    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
        hidden = [d for d in dirnames if d.startswith(".")]
        for d in hidden:
            logger.debug("%s: hidden directory skipped", Path(dirpath, d))
            dirnames.remove(d)
        for name in filenames:
            path = Path(dirpath, name)
            if name.startswith("."):
                logger.debug("%s: hidden file skipped", path)
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                logger.debug("%s: not .txt or .jsonl, skipped", path)
                other.append(path.relative_to(root).as_posix())
            else:
                n_read += 1
                yield path
    if other:  # say so once per folder: a user's .json or .md files are not silently left out
        shown = ", ".join(sorted(other)[:3]) + (", …" if len(other) > 3 else "")
        logger.warning("%s: %d file(s) skipped, only .txt and .jsonl are read (%s)", root, len(other), shown)
    if not n_read:
        logger.warning("%s: no .txt or .jsonl file in this folder; nothing to read", root)


# -- reading ----------------------------------------------------------------------------------------


def content_id(text: str) -> str:
    """The content-hash document id: the first 16 hex digits of SHA-256 of the UTF-8 text.

    The same text gets the same id in every run, whatever its path or original encoding.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def read_documents(path: Path) -> Iterator[RawDocument | Reject]:
    """Read one input file into documents, turning every problem into a :class:`Reject`.

    A ``.txt`` file is one document (kind ``"file"``, id = content hash). A ``.jsonl`` file is
    streamed, one document per non-blank line (kind ``"record"``, ``line`` = 1-based line number,
    id = the record's ``id`` or else the content hash of its text). Within one file an id used twice
    keeps its first record; later ones are rejected as ``duplicate_id``.

    Args:
        path: The file to read.

    Yields:
        Documents and rejects, in file order.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        yield _reject(path, None, "unreadable", "is a directory")
        return
    if suffix not in SUPPORTED_SUFFIXES:
        yield _reject(path, None, "unsupported_type", f"extension {path.suffix or '(none)'!r} is not .txt or .jsonl")
        return
    try:
        with open(path, "rb") as fh:
            if suffix == ".txt":
                yield from _read_txt(path, fh)
            else:
                yield from _read_jsonl(path, fh)
    except OSError as err:
        yield _reject(path, None, "unreadable", err.strerror or str(err))


def _reject(path: Path, line: int | None, reason: str, detail: str, doc_id: str | None = None) -> Reject:
    where = f"{path}:{line}" if line is not None else str(path)
    logger.warning("%s: %s: %s", where, reason, detail)
    return Reject(str(path), line, REJECT_REASONS[reason], reason, detail, doc_id)


class _Bad(Exception):
    """Internal: a whole-file problem, turned into a Reject by the reader."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def _read_txt(path: Path, fh: BinaryIO) -> Iterator[RawDocument | Reject]:
    data = fh.read()
    if not data.strip():
        yield _reject(path, None, "empty_file", f"{len(data)} bytes, no text")
        return
    try:
        text, encoding = _decode(data)
    except _Bad as bad:
        yield _reject(path, None, bad.reason, bad.detail)
        return
    if not text.strip():
        yield _reject(path, None, "empty_file", f"only whitespace after decoding as {encoding}")
        return
    yield RawDocument(content_id(text), str(path), None, text, "file", encoding)


def _bom_codec(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _decode(data: bytes) -> tuple[str, str]:
    """Decode a whole file: ``(text, encoding)``, the BOM dropped. Raises _Bad."""
    codec = _bom_codec(data)
    if codec is not None:
        try:
            return data.decode(codec), codec  # these codecs consume the BOM
        except UnicodeDecodeError as err:
            raise _Bad("undecodable", f"starts with a {codec} BOM, but {err.reason} at byte {err.start}") from None
    encoding = _detect_or_reject(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:  # detection looks at samples; the whole file may still fail
        raise _Bad("undecodable", f"detected {encoding}, but {err.reason} at byte {err.start}") from None
    if _control_share(text) > _BINARY_CONTROL_SHARE:
        raise _Bad("binary_file", f"decodes as {encoding}, but is mostly control characters")
    return text, encoding


def _detect_or_reject(data: bytes) -> str:
    """The encoding of BOM-less bytes. Raises _Bad for binary or undecodable data."""
    if b"\x00" in data:
        raise _Bad("binary_file", f"NUL byte at offset {data.index(0)}")
    encoding = _detect(data)
    if encoding is None:
        if _control_share(data.decode("latin-1")) > _BINARY_CONTROL_SHARE:
            raise _Bad("binary_file", "mostly control bytes")
        raise _Bad("undecodable", "not UTF-8, and no GB18030 or Big5 decoding fits")
    return encoding


def _detect(data: bytes) -> str | None:
    """UTF-8 if the bytes are UTF-8, else charset-normalizer's pick among Chinese-capable codecs."""
    if _is_utf8(data):
        return "utf-8"
    best = from_bytes(data, cp_isolation=_DETECT_CANDIDATES).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    return "gb18030" if name in _GB_FAMILY else name


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) == "Cc")
    return controls / len(text)


# -- JSONL ------------------------------------------------------------------------------------------


def _read_jsonl(path: Path, fh: BinaryIO) -> Iterator[RawDocument | Reject]:
    sample = fh.read(_SAMPLE_BYTES)
    if not sample.strip() and len(sample) < _SAMPLE_BYTES:
        yield _reject(path, None, "empty_file", f"{len(sample)} bytes, no records")
        return
    try:
        encoding = _jsonl_encoding(sample)
    except _Bad as bad:
        yield _reject(path, None, bad.reason, bad.detail)
        return
    fh.seek(0)
    seen: dict[str, int] = {}
    any_line = False
    for lineno, line in _jsonl_lines(fh, encoding):
        if isinstance(line, UnicodeDecodeError):
            yield _reject(path, lineno, "undecodable", f"not {encoding}: {line.reason} at byte {line.start}")
            if encoding.startswith(("utf-16", "utf-32")):
                return  # the decoder cannot resynchronise inside a stream
            continue
        if not line.strip():
            continue
        any_line = True
        yield _parse_record(path, lineno, line, encoding, seen)
    if not any_line:
        yield _reject(path, None, "empty_file", "only blank lines")


def _jsonl_encoding(sample: bytes) -> str:
    """The encoding of a JSONL file from its first bytes. Raises _Bad.

    A sample whose non-ASCII lines are mostly UTF-8 is UTF-8: the odd line in another encoding is
    rejected on its own later, instead of the whole file being decoded the wrong way.
    """
    codec = _bom_codec(sample)
    if codec is not None:
        return codec
    cut = sample.rfind(b"\n")  # never detect on a multibyte character cut in half
    head = sample[: cut + 1] if cut >= 0 and len(sample) == _SAMPLE_BYTES else sample
    if b"\x00" in head:
        raise _Bad("binary_file", f"NUL byte at offset {head.index(0)}")
    non_ascii = [line for line in head.split(b"\n") if not line.isascii()]
    bad = sum(1 for line in non_ascii if not _is_utf8(line))
    encoding = "utf-8" if bad == 0 or bad * 2 < len(non_ascii) else _detect_or_reject(head)
    if _control_share(head.decode(encoding, "replace")) > _BINARY_CONTROL_SHARE:
        raise _Bad("binary_file", f"decodes as {encoding}, but is mostly control characters")
    return encoding


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _jsonl_lines(fh: BinaryIO, encoding: str) -> Iterator[tuple[int, str | UnicodeDecodeError]]:
    """Decoded lines (line end removed) with their 1-based numbers; a line that fails to decode
    comes as its UnicodeDecodeError."""
    if encoding.startswith(("utf-16", "utf-32")):
        # Not ASCII-compatible: splitting bytes at b"\n" would cut characters, so decode the stream.
        stream = io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="\n")
        lineno = 0
        try:
            for lineno, text in enumerate(stream, 1):  # noqa: B007 (lineno used after the loop)
                yield lineno, text.rstrip("\r\n")
        except UnicodeDecodeError as err:
            yield lineno + 1, err
        finally:
            stream.detach()
        return
    # ASCII-compatible encodings (UTF-8, GB18030, Big5): b"\n" never occurs inside a character.
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    for lineno, raw in enumerate(fh, 1):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            yield lineno, raw.decode(codec).rstrip("\r\n")
        except UnicodeDecodeError as err:
            yield lineno, err


def _parse_record(path: Path, lineno: int, line: str, encoding: str, seen: dict[str, int]) -> RawDocument | Reject:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        return _reject(path, lineno, "bad_json", f"{err.msg} (column {err.colno})")
    except (ValueError, RecursionError) as err:
        return _reject(path, lineno, "bad_json", f"{type(err).__name__}: {err}")
    if not isinstance(obj, dict):
        return _reject(path, lineno, "not_an_object", f"a JSON {_json_type(obj)}, not an object")
    given_id = _as_str(obj.get("id"))
    if given_id is not None and not given_id.strip():
        given_id = None
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        if "text" not in obj:
            detail = "no 'text' field"
        elif not isinstance(text, str):
            detail = f"'text' is a JSON {_json_type(text)}, not a string"
        else:
            detail = "'text' is blank"
        return _reject(path, lineno, "no_text", detail, given_id)
    doc_id = given_id if given_id is not None else content_id(text)
    if doc_id in seen:
        how = "id" if given_id is not None else "content hash (same text)"
        return _reject(path, lineno, "duplicate_id", f"{how} {doc_id!r} already used on line {seen[doc_id]}", doc_id)
    seen[doc_id] = lineno
    return RawDocument(
        doc_id=doc_id,
        input_path=str(path),
        line=lineno,
        text=text,
        kind="record",
        encoding=encoding,
        source=_as_str(obj.get("source")),
        title=_as_str(obj.get("title")),
        date=_as_str(obj.get("date")),
        url=_as_str(obj.get("url")),
        metadata={k: v for k, v in obj.items() if k not in RECORD_FIELDS},
    )


def _as_str(value: Any) -> str | None:
    """A record field as a string: strings as they are, null as None, anything else as JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


_JSON_TYPES: dict[type, str] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "number",
    float: "number",
    type(None): "null",
}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)
