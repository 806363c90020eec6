"""Arrow tables built column by column (schema.to_table over COLUMNS) equal the tables of the row converters."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from pipeline.ingest import read_documents
from pipeline.records import RawDocument, Reject
from pipeline.run import DocResult, Pipeline
from pipeline.schema import COLUMNS, TABLES, to_table

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"


@pytest.fixture(scope="module")
def rows() -> DocResult:
    pipe = Pipeline()
    out = DocResult()
    out.extend(pipe.process(RawDocument("db21671502ac2f81", str(SEED), None, SEED.read_text("utf-8"), "file")))
    for n, doc in enumerate(read_documents(ROOT / "corpus" / "news" / "xwlb_governance.jsonl")):
        if n == 8:
            break
        assert isinstance(doc, RawDocument)
        out.extend(pipe.process(doc))
    out.rows["rejects"] = [
        Reject("in.jsonl", 3, "ingest", "bad_json", "Expecting value: line 1 column 1", None),
        Reject("a.txt", None, "split", "no_content", "no text left after cleaning", "abc"),
    ]
    return out


def _by_rows(name: str, records: list) -> pa.Table:
    schema, conv = TABLES[name]
    return pa.Table.from_pylist([conv(r) for r in records], schema=schema)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_column_tables_equal_row_tables(rows: DocResult, name: str) -> None:
    records = rows.rows[name]
    assert len(records) >= 2
    got = to_table(name, records)
    want = _by_rows(name, records)
    assert got.num_rows == len(records)
    assert got.schema.equals(want.schema, check_metadata=True)
    assert got.equals(want)
    assert got.to_pylist() == want.to_pylist()
    # an iterator works as well as a list
    assert to_table(name, iter(records)).equals(want)


def test_every_column_of_a_column_table_is_read(rows: DocResult) -> None:
    for name, attrs in COLUMNS.items():
        assert set(attrs) == set(TABLES[name][0].names)  # no column missing or extra
    first = to_table("initiatives", rows.rows["initiatives"][:1]).to_pylist()[0]
    rec = rows.rows["initiatives"][0]
    assert first["initiative_id"] == rec.initiative_id and first["text"] == rec.initiative.text
    assert [s["theme"] for s in first["theme_scores"]] == [c for c, _ in rec.theme_scores]


def test_empty_tables_keep_their_schema() -> None:
    for name in COLUMNS:
        t = to_table(name, [])
        assert t.num_rows == 0 and t.schema.equals(TABLES[name][0], check_metadata=True)


def test_packing_a_batch_keeps_the_tables_packed_before_and_the_order_of_rows() -> None:
    # run() packs a whole batch of records when it writes it (one table per output table, not one per
    # document); tables a worker packed come first, the records after them, in order
    pipe = Pipeline()
    docs = [
        d for n, d in zip(range(3), read_documents(ROOT / "corpus" / "news" / "xwlb_governance.jsonl"), strict=False)
    ]
    results = [pipe.process(d) for d in docs if isinstance(d, RawDocument)]
    whole = DocResult()
    for r in results:
        whole.extend(r)
    mixed = DocResult()
    mixed.extend(results[0].pack())  # as a worker returns it
    for r in results[1:]:
        mixed.extend(r)
    want, got = whole.pack(), mixed.pack()
    for name in ("articles", "sentences", "facts", "initiatives"):
        assert len(want.packed[name]) == 1  # a batch of records: one table
        assert len(got.packed[name]) == 2
        assert pa.concat_tables(got.packed[name]).equals(want.packed[name][0])
    assert [a.article_id for a in whole.articles] == pa.concat_tables(got.packed["articles"]).column(
        "article_id"
    ).to_pylist()
