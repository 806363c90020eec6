"""--engine dask: the same stages as Dask tasks on a local 2-worker cluster give the rows a local run gives."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.slow
def test_dask_engine_matches_a_local_run(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    inputs = [str(ROOT / "seed"), str(ROOT / "news" / "partybuilding_cms.jsonl")]
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert main(["run", *inputs, "--out", str(local), "-q", "--workers", "1"]) == 0
    args = ["run", *inputs, "--out", str(dask), "-q", "--engine", "dask", "--workers", "2", "--partition-size", "5"]
    environ = dict(os.environ)
    assert main(args) == 0
    # distributed set OMP_NUM_THREADS=1, PYTHONHASHSEED ... here for its workers: the run puts them back
    assert dict(os.environ) == environ
    assert len(list((dask / "facts").glob("part-*.parquet"))) == 3  # one part file per partition
    keys = {"articles": ["article_id"], "sentences": ["article_id", "sentence_id"], "facts": ["fact_id"],
            "entities": ["entity_id"], "initiatives": ["initiative_id"]}  # fmt: skip
    for table, key in keys.items():
        a = pq.read_table(local / table).sort_by([(k, "ascending") for k in key]).to_pylist()
        b = pq.read_table(dask / table).sort_by([(k, "ascending") for k in key]).to_pylist()
        assert a == b and a, table
