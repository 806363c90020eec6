"""Tests for pipeline.ingest: finding input files, decoding them, turning bad input into rejects."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.ingest import REJECT_REASONS, UsageError, content_id, iter_input_files, read_documents
from pipeline.records import RawDocument, Reject

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data" / "ingest"
SEED = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"


def read(path: Path) -> list[RawDocument | Reject]:
    return list(read_documents(path))


def only(items: list[RawDocument | Reject]) -> RawDocument | Reject:
    assert len(items) == 1, items
    return items[0]


# -- whole files: one document or one reject ------------------------------------------------------

# (fixture, reason or None for a document, encoding of the document, text it starts with)
FILE_CASES = [
    ("empty.txt", "empty_file", None, None),
    ("binary.txt", "binary_file", None, None),
    ("latin1.txt", "undecodable", None, None),
    ("blank.jsonl", "empty_file", None, None),
    ("notes.md", "unsupported_type", None, None),
    ("bom.txt", None, "utf-8-sig", "社区党群服务中心今年共接待居民1200人次。"),
    ("crlf.txt", None, "utf-8", "本报讯 网格员入户走访。\r\n全年化解矛盾纠纷35起。\r\n"),
    ("utf16.txt", None, "utf-16", "街道承担的职责由222项缩减至101项。\n"),
    ("gbk.txt", None, "gb18030", " 党旗领航\n\n基\n层\n实\n践回民区：以组织力引领城市基层治理现代化"),
    ("Upper.TXT", None, "utf-8", "大写扩展名的文件也要读入。"),
]


@pytest.mark.parametrize(("name", "reason", "encoding", "start"), FILE_CASES)
def test_ingest_file_fixture(name: str, reason: str | None, encoding: str | None, start: str | None) -> None:
    item = only(read(DATA / name))
    if reason is not None:
        assert isinstance(item, Reject)
        assert (item.reason, item.line, item.stage) == (reason, None, REJECT_REASONS[reason])
        assert item.input_path == str(DATA / name)
        assert item.detail
    else:
        assert isinstance(item, RawDocument)
        assert (item.encoding, item.kind, item.line) == (encoding, "file", None)
        assert item.text.startswith(start or "")
        assert "\ufeff" not in item.text
        assert item.doc_id == content_id(item.text)


def test_ingest_gbk_excerpt_decodes_to_the_seed_text() -> None:
    doc = only(read(DATA / "gbk.txt"))
    assert isinstance(doc, RawDocument)
    seed = SEED.read_text(encoding="utf-8")
    assert len(doc.text) == 312
    assert doc.text == seed[: len(doc.text)]
    # The id hashes the decoded text, so the GBK copy and the UTF-8 original get the same id.
    assert doc.doc_id == hashlib.sha256(seed[:312].encode("utf-8")).hexdigest()[:16]


def test_ingest_seed_page_is_one_utf8_document() -> None:
    doc = only(read(SEED))
    assert isinstance(doc, RawDocument)
    assert doc.encoding == "utf-8"
    assert doc.text == SEED.read_text(encoding="utf-8")


def test_ingest_content_id_ignores_the_path(tmp_path: Path) -> None:
    copy = tmp_path / "另一个名字.txt"
    shutil.copy(DATA / "bom.txt", copy)
    a, b = only(read(DATA / "bom.txt")), only(read(copy))
    assert isinstance(a, RawDocument) and isinstance(b, RawDocument)
    assert a.doc_id == b.doc_id == "079f66853776645d"


# -- JSONL: bad lines between good ones -----------------------------------------------------------

NO_ID_TEXT = "没有编号的记录，用内容哈希作编号。"

# (line, reason) for rejects, (line, doc_id) for documents, in file order; line 5 is blank.
BAD_JSONL = [
    (1, "doc", "good:1"),
    (2, "bad_json", None),
    (3, "not_an_object", None),
    (4, "no_text", "notext:4"),
    (6, "duplicate_id", "good:1"),
    (7, "no_text", None),
    (8, "doc", "8"),
    (9, "doc", content_id(NO_ID_TEXT)),
    (10, "duplicate_id", content_id(NO_ID_TEXT)),
    (11, "not_an_object", None),
    (12, "no_text", "num:12"),
    (13, "doc", "good:13"),
]


def test_ingest_bad_jsonl_rejects_bad_lines_and_keeps_good_ones() -> None:
    got = []
    for item in read(DATA / "bad.jsonl"):
        if isinstance(item, RawDocument):
            got.append((item.line, "doc", item.doc_id))
        else:
            assert item.stage == REJECT_REASONS[item.reason]
            got.append((item.line, item.reason, item.doc_id))
    assert got == BAD_JSONL


@pytest.mark.parametrize(
    ("line", "detail"),
    [
        (2, "Expecting ',' delimiter (column 32)"),
        (3, "a JSON array, not an object"),
        (4, "no 'text' field"),
        (6, "id 'good:1' already used on line 1"),
        (7, "'text' is blank"),
        (
            10,
            f"content hash (same text) {content_id(NO_ID_TEXT)!r} already used on line 9",
        ),
        (11, "a JSON string, not an object"),
        (12, "'text' is a JSON number, not a string"),
    ],
)
def test_ingest_reject_detail(line: int, detail: str) -> None:
    rejects = {r.line: r for r in read(DATA / "bad.jsonl") if isinstance(r, Reject)}
    assert rejects[line].detail == detail


def test_ingest_record_fields() -> None:
    docs = {d.doc_id: d for d in read(DATA / "bad.jsonl") if isinstance(d, RawDocument)}
    good = docs["good:1"]
    assert (good.kind, good.line, good.encoding) == ("record", 1, "utf-8")
    assert (good.title, good.date, good.source, good.url) == (
        "社区食堂开张",
        "2025-10-01",
        "测试",
        "https://example.org/1",
    )
    assert good.text == "<p>社区食堂今天开张，每天供应午餐300份。</p>"
    assert good.metadata == {}
    # Non-string values become strings, null becomes None, unknown fields go to metadata.
    eight = docs["8"]
    assert (eight.date, eight.url, eight.title) == ("2024", None, None)
    assert eight.metadata == {"tags": ["网格"], "views": 35}


def test_ingest_logs_one_warning_per_reject(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        items = read(DATA / "bad.jsonl")
    rejects = [r for r in items if isinstance(r, Reject)]
    messages = [r.getMessage() for r in caplog.records if r.name == "pipeline.ingest"]
    assert len(messages) == len(rejects) == 8
    assert messages[0] == f"{DATA / 'bad.jsonl'}:2: bad_json: Expecting ',' delimiter (column 32)"
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pipeline.ingest"):
        read(DATA / "empty.txt")
    assert [r.getMessage() for r in caplog.records] == [f"{DATA / 'empty.txt'}: empty_file: 0 bytes, no text"]


@pytest.mark.parametrize(("name", "encoding"), [("gbk.jsonl", "gb18030"), ("utf16.jsonl", "utf-16")])
def test_ingest_jsonl_encodings(name: str, encoding: str) -> None:
    docs = read(DATA / name)
    assert all(isinstance(d, RawDocument) for d in docs)
    assert [(d.line, d.doc_id, d.encoding) for d in docs] == [(1, "gbk:1", encoding), (2, "gbk:2", encoding)]
    assert [d.text for d in docs] == [
        "社区开展“一年10件实事”活动，已办结民生实事2573件。",
        "划分为6963个网格、17482个微网格。",
    ]


def test_ingest_jsonl_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "居民议事会"}, ensure_ascii=False).encode())
    doc = only(read(path))
    assert isinstance(doc, RawDocument)
    assert (doc.doc_id, doc.text, doc.encoding) == ("a", "居民议事会", "utf-8-sig")


def test_ingest_mixed_encoding_line_is_rejected_alone() -> None:
    items = read(DATA / "mixed.jsonl")
    assert [(i.line, type(i).__name__) for i in items] == [
        (1, "RawDocument"),
        (2, "Reject"),
        (3, "RawDocument"),
    ]
    assert isinstance(items[1], Reject) and items[1].reason == "undecodable"
    assert [i.text for i in items if isinstance(i, RawDocument)] == ["第一行是UTF-8。", "第三行又是UTF-8。"]


def test_ingest_unreadable(tmp_path: Path) -> None:
    for path in (DATA, tmp_path / "folder.txt", tmp_path / "missing.jsonl"):
        if path.suffix == ".txt":
            path.mkdir()
        item = only(read(path))
        assert isinstance(item, Reject) and (item.reason, item.stage, item.line) == (
            "unreadable",
            "ingest",
            None,
        )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_ingest_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("锁住的文件", encoding="utf-8")
    path.chmod(0)
    item = only(read(path))
    assert isinstance(item, Reject) and item.reason == "unreadable"


def test_ingest_control_characters_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "controls.txt"
    path.write_bytes(bytes(range(1, 9)) * 50 + "一点点中文".encode())
    item = only(read(path))
    assert isinstance(item, Reject) and item.reason == "binary_file"


def test_ingest_streams_large_jsonl(tmp_path: Path) -> None:
    """A JSONL file is never held in memory whole: peak allocation stays far below its size."""
    path = tmp_path / "big.jsonl"
    line = json.dumps({"text": "社区网格员入户走访，" * 40}, ensure_ascii=False)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(12_000):
            fh.write(line[:-1] + f', "id": "big:{i}"}}\n')
    size = path.stat().st_size
    assert size > 10_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in read_documents(path) if isinstance(item, RawDocument))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 12_000
    assert peak < size / 4


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("news/partybuilding_cms.jsonl", 14),
        ("news/xwlb_governance.jsonl", 23),
        ("reports/govwork_city2024_part1.jsonl", 71),
        ("reports/govwork_city2024_part2.jsonl", 72),
        ("reports/govwork_national.jsonl", 72),
        ("reports/govwork_province2026.jsonl", 31),
    ],
)
def test_ingest_bundled_corpus_reads_without_rejects(name: str, count: int) -> None:
    items = read(ROOT / "corpus" / name)
    assert all(isinstance(i, RawDocument) for i in items)
    assert len(items) == count
    assert len({i.doc_id for i in items}) == count


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".jsonl"]))
def test_ingest_never_raises_on_any_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        for item in read_documents(path):
            assert isinstance(item, RawDocument | Reject)
            if isinstance(item, Reject):
                assert item.reason in REJECT_REASONS


# -- finding files ------------------------------------------------------------------------------


def test_ingest_iter_input_files_walks_a_folder_sorted() -> None:
    names = [p.relative_to(DATA).as_posix() for p in iter_input_files([DATA])]
    assert names == [
        "Upper.TXT",
        "bad.jsonl",
        "binary.txt",
        "blank.jsonl",
        "bom.txt",
        "crlf.txt",
        "empty.txt",
        "gbk.jsonl",
        "gbk.txt",
        "latin1.txt",
        "mixed.jsonl",
        "sub/nested.jsonl",
        "utf16.jsonl",
        "utf16.txt",
    ]


def test_ingest_iter_input_files_keeps_named_files_and_yields_each_once() -> None:
    paths = list(iter_input_files([DATA / "notes.md", DATA / "sub", DATA / ".hidden.txt", DATA / "sub/nested.jsonl"]))
    assert paths == [DATA / "notes.md", DATA / "sub" / "nested.jsonl", DATA / ".hidden.txt"]


def test_ingest_iter_input_files_missing_path_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="input not found"):
        list(iter_input_files([DATA / "bom.txt", DATA / "no-such-file.txt"]))


def test_ingest_iter_input_files_takes_a_single_path_and_warns_of_skipped_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # a str is one path, not a sequence of one-character paths (which walked ".", then "/")
    assert list(iter_input_files(str(DATA / "bom.txt"))) == [DATA / "bom.txt"]
    assert list(iter_input_files(DATA / "sub")) == [DATA / "sub" / "nested.jsonl"]
    (tmp_path / "a.md").write_text("notes", encoding="utf-8")
    (tmp_path / "b.json").write_text("{}", encoding="utf-8")
    with caplog.at_level("WARNING"):
        assert list(iter_input_files([tmp_path])) == []
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path}: 2 file(s) skipped, only .txt and .jsonl are read (a.md, b.json)",
        f"{tmp_path}: no .txt or .jsonl file in this folder; nothing to read",
    ]
