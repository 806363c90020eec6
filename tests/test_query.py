"""govmine query: DuckDB over a run's tables (issue 6, part 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.query import PRESETS, QueryError, connect, run_query

SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed" / "000_db21671502ac2f81.txt"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("q") / "out"
    assert main(["run", str(SEED), "--out", str(d), "-q"]) == 0
    return d


def test_views_hold_the_tables(out: Path) -> None:
    con = connect(out)
    assert con.sql("SELECT count(*) FROM articles").fetchall() == [(6,)]
    assert con.sql("SELECT count(*) FROM rejects").fetchall() == [(0,)]  # an empty table is an empty view
    rows = con.sql(
        "SELECT place, sum(value) FROM facts WHERE entity LIKE '%红蜂驿站%' GROUP BY place ORDER BY place"
    ).fetchall()
    assert rows == [("回民区", 31.0), ("赛罕区", 40.0)]


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_presets_run(out: Path, name: str) -> None:
    cols, rows = run_query(out, PRESETS[name].sql)
    assert cols


def test_programme_counts_preset(out: Path) -> None:
    cols, rows = run_query(out, PRESETS["programme-counts"].sql)
    by = {r[0]: r for r in rows}
    assert by["红蜂驿站"][cols.index("counted")] == "71个"  # 31 in 回民区, 40余 in 赛罕区


def test_new_employment_preset(out: Path) -> None:
    # the seed page: 10 of its 24 new_employment initiatives name riders, couriers or 新就业群体 in their clause
    cols, rows = run_query(out, PRESETS["new-employment"].sql)
    assert [r[:3] for r in rows] == [("内蒙古自治区", 10, 3)]
    assert rows[0][cols.index("shortest")].startswith("设立“红蜂驿站”31个；")


def test_cli_formats(out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT headline FROM articles ORDER BY article_id LIMIT 2"
    assert main(["query", str(out), sql]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].startswith("headline") and "(2 rows)" in text
    assert main(["query", str(out), sql, "--format", "json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == {"headline": "回民区：以组织力引领城市基层治理现代化"}
    assert main(["query", str(out), sql, "--format", "csv", "-o", str(tmp_path / "h.csv")]) == 0
    assert (tmp_path / "h.csv").read_text(encoding="utf-8").splitlines()[0] == "headline"
    assert (
        main(
            ["query", str(out), "--preset", "themes-by-place", "--format", "parquet", "-o", str(tmp_path / "t.parquet")]
        )
        == 0
    )
    assert pq.read_table(tmp_path / "t.parquet").column_names == ["place", "theme", "initiatives"]


def test_cli_errors_are_one_line(out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(out), "SELEC 1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("govmine: error: SQL: Parser Error") and err.count("\n") == 1
    assert main(["query", str(out), "SELECT * FROM nosuch"]) == 2
    assert "nosuch" in capsys.readouterr().err
    assert main(["query", str(tmp_path / "missing"), "SELECT 1"]) == 2
    assert "no such output folder" in capsys.readouterr().err
    assert main(["query", str(out), "--preset", "nope"]) == 2
    with pytest.raises(QueryError):
        connect(tmp_path)  # an empty folder is no run's output


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == list(PRESETS)


def test_places_roll_up_to_county_city_and_province(out: Path) -> None:
    con = connect(out)
    rows = con.sql(
        "SELECT province, city, county, sum(value) FROM facts WHERE entity = '红蜂驿站' GROUP BY ALL ORDER BY county"
    ).fetchall()
    assert rows == [("内蒙古自治区", "呼和浩特市", "回民区", 31.0), ("内蒙古自治区", "呼和浩特市", "赛罕区", 40.0)]
    # every article of the page is in 呼和浩特; five counties
    assert con.sql("SELECT DISTINCT city FROM articles").fetchall() == [("呼和浩特市",)]
    assert sorted(r[0] for r in con.sql("SELECT DISTINCT county FROM articles").fetchall()) == sorted(
        ["回民区", "赛罕区", "土默特左旗", "新城区", "和林格尔县"]
    )
    cols, rows = run_query(out, PRESETS["themes-by-county"].sql)
    assert cols == ["province", "city", "county", "theme", "initiatives"]
    assert rows[0][2:4] == ("回民区", "org_building")  # 回民区's branches on grids, buildings and streets
    assert {r[2] for r in rows if r[3] == "new_employment"} >= {"赛罕区", "新城区", "回民区"}
    cols, rows = run_query(out, PRESETS["themes-by-province"].sql)
    assert {r[0] for r in rows} == {"内蒙古自治区"} and cols[:2] == ["province", "theme"]


def test_cli_output_files(out: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the table prints every digit of a sum (not 5.56381e+09)
    assert main(["query", str(out), "SELECT sum(value) * 100000 AS n FROM facts WHERE entity LIKE '%红蜂驿站%'"]) == 0
    assert capsys.readouterr().out.splitlines()[2].strip() == "7100000"
    # -o FILE: the extension chooses the format when --format is not given, and the file written is named
    sql = "SELECT place, count(*) AS n FROM facts GROUP BY place ORDER BY place"
    assert main(["query", str(out), sql, "-o", str(tmp_path / "p.parquet")]) == 0
    assert pq.read_table(tmp_path / "p.parquet").column_names == ["place", "n"]
    assert main(["query", str(out), sql, "-o", str(tmp_path / "p.csv")]) == 0
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0] == "place,n"
    assert capsys.readouterr().err.endswith(f"rows -> {tmp_path / 'p.csv'}\n")
    # a file that cannot be written: one line, exit 2
    for target in (tmp_path / "no" / "such" / "x.csv", tmp_path):
        assert main(["query", str(out), sql, "--format", "csv", "-o", str(target)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"govmine: error: {target}: ") and err.count("\n") == 1


def test_a_missing_part_file_is_an_error_not_an_empty_table(out: Path, tmp_path: Path) -> None:
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(out, broken)
    shutil.rmtree(broken / "entities")  # the manifest still lists its part
    with pytest.raises(QueryError, match=r"entities: 1 part file\(s\) the manifest lists are missing"):
        connect(broken)
