"""Quality gate: the facts of the bundled corpus scored against the gold; floors only go up."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.dataset as ds
import pytest

from pipeline.evaluate import evaluate, load_gold
from pipeline.ingest import iter_input_files, read_documents
from pipeline.records import RawDocument
from pipeline.run import RunConfig, run

if TYPE_CHECKING:
    from conftest import SessionShared

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "corpus" / "gold" / "facts"
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))["sets"]


def _gate_gold_files() -> list[Path]:
    """Every gold file the gate scores: the files of each set of the four fixtures below, as they name them."""
    return sorted(
        {GOLD_DIR / f for spec in (*FLOORS.values(), *ENTITY_FLOORS.values()) for f in spec["files"]}
        | {
            INITIATIVE_GOLD / f
            for spec in (*INITIATIVE_FLOORS.values(), *STATUS_FLOORS.values())
            for f in spec["files"]
        }
    )


def _gold_documents(ids: set[Any], folder: Path) -> list[str] | None:
    """Input files in ``folder`` holding only the documents of the corpus named ``ids``, each read exactly as in
    the whole corpus (its lines copied as they are; a .txt document is its own file), or None if one of them is
    not exactly one document of the corpus or is not read the same from its copy."""
    found: dict[str, RawDocument] = {}
    inputs: list[str] = []
    for i, path in enumerate(iter_input_files([ROOT / "corpus"])):  # the inputs of a run over the whole corpus
        docs = [d for d in read_documents(path) if isinstance(d, RawDocument)]
        wanted = [d for d in docs if d.doc_id in ids]
        for d in wanted:
            if d.doc_id in found:  # a run keeps the first of two documents with one id
                return None
            found[d.doc_id] = d
        if not wanted:
            continue
        if path.suffix.lower() == ".txt":
            inputs.append(str(path))
            continue
        lines = path.read_bytes().split(b"\n")
        copy = folder / f"{i:03d}_{path.name}"
        copy.write_bytes(b"".join(lines[d.line - 1] + b"\n" for d in wanted if d.line))
        back = [d for d in read_documents(copy) if isinstance(d, RawDocument)]
        if [dataclasses.replace(d, input_path="", line=None) for d in back] != [
            dataclasses.replace(d, input_path="", line=None) for d in wanted
        ]:
            return None
        inputs.append(str(copy))
    return inputs if ids <= found.keys() else None


def _gate_run(folder: Path) -> None:
    """The pipeline's run the gate scores, into ``folder / "out"``: over the documents the gold names, which gives
    every score of the gate exactly as a run over the whole corpus would (else over the whole corpus).

    Each scorer looks for a gold record's article among the articles of the document the record names when the
    run made any of that document (``pipeline.evaluate._find_article``), and scores only that article's rows (a
    record's initiatives name facts of their own article). The pipeline makes a document's rows from that
    document alone (``Pipeline.process``; a run's tables are the same whatever its number of worker processes).
    So the gold's documents, each read as in the whole corpus and each with an article, are all the scores depend
    on. Checked both ways on 2026-11-29: every score, count and per-document count of the four scorers the
    same, and the same errors (the entity scorer lists them in an order that changes from process to process)."""
    ids = {r["id"] for r in load_gold(_gate_gold_files())}
    (folder / "inputs").mkdir()
    inputs = _gold_documents(ids, folder / "inputs")
    out = folder / "out"
    if inputs is not None:
        run(RunConfig(inputs=inputs, out=str(out)))
        made = ds.dataset(out / "articles", format="parquet") if (out / "articles").is_dir() else None
        if made is not None and ids <= set(made.to_table(columns=["doc_id"]).column("doc_id").to_pylist()):
            return
        shutil.rmtree(out)  # a record of a document without articles is looked for in every article of the run
    run(RunConfig(inputs=[str(ROOT / "corpus")], out=str(out)))


@pytest.fixture(scope="module")
def out_dir(session_shared: SessionShared) -> Path:
    # one run per test session, by whichever pytest-xdist worker asks first (the others read its output)
    return session_shared.folder("gate", _gate_run) / "out"


@pytest.fixture(scope="module")
def scores(out_dir: Path) -> dict[str, dict]:
    return {name: evaluate(out_dir, [GOLD_DIR / f for f in spec["files"]]).as_dict() for name, spec in FLOORS.items()}


def test_quality_gate_gold_is_big_and_varied() -> None:
    records = load_gold(sorted(GOLD_DIR.glob("*.json")))
    n_facts = sum(len(r.get("facts", [])) for r in records)
    kinds = {str(r["id"]).split(":")[0] for r in records}
    assert len(records) >= 30
    assert n_facts >= 400
    assert {"partybuilding_cms", "xwlb", "govwork_city2024", "govwork_province2026", "govwork_national"} <= kinds


@pytest.mark.parametrize("name,metric", [(n, m) for n, spec in sorted(FLOORS.items()) for m in sorted(spec["floors"])])
def test_quality_gate_floor(scores: dict, name: str, metric: str) -> None:
    s = scores[name]
    value = s["scores"].get(metric, s.get(metric))
    floor = FLOORS[name]["floors"][metric]
    assert value is not None, metric
    assert value >= floor, f"{name} {metric} {value:.4f} fell below its floor {floor}"


def test_quality_gate_floors_never_lowered() -> None:
    for name, spec in FLOORS.items():
        for entry in spec["history"]:
            for metric, floor in spec["floors"].items():
                assert floor >= entry.get(metric, 0), (
                    f"{name}: floor of {metric} lowered below an earlier floor ({entry})"
                )


def test_quality_gate_seed_page_is_perfect(scores: dict) -> None:
    """The page the project was made from: every number found, with its entity and qualifier."""
    seed = {k: v for k, v in scores["tuning"]["per_document"].items() if k.startswith("1ae8b1067945540b")}
    assert len(seed) == 6
    for key, c in seed.items():
        assert c["matched"] == c["gold"] == c["full_ok"], (key, c)
    assert sum(c["gold"] for c in seed.values()) == 47


ENTITY_FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))["entity_sets"]


@pytest.fixture(scope="module")
def entity_scores(out_dir: Path) -> dict[str, dict]:
    from pipeline.evaluate import evaluate_entities

    return {n: evaluate_entities(out_dir, [GOLD_DIR / f for f in spec["files"]]) for n, spec in ENTITY_FLOORS.items()}


@pytest.mark.parametrize(
    "name,label", [(n, lab) for n, spec in sorted(ENTITY_FLOORS.items()) for lab in sorted(spec["floors"])]
)
def test_quality_gate_entity_floor(entity_scores: dict, name: str, label: str) -> None:
    f1 = entity_scores[name]["per_label"][label]["f1"]
    floor = ENTITY_FLOORS[name]["floors"][label]
    assert f1 >= floor, f"{name} {label} F1 {f1:.4f} fell below its floor {floor}"


def test_quality_gate_entity_floors_never_lowered() -> None:
    for name, spec in ENTITY_FLOORS.items():
        for entry in spec["history"]:
            for label, floor in spec["floors"].items():
                assert floor >= entry.get(label, 0), f"{name}: floor of {label} lowered ({entry})"


def test_a_gold_fact_may_name_the_printing_it_is() -> None:
    # govwork_city2024:宁波 (reports_heldout.json): 50亿元以上 is printed twice, first as a threshold (optional),
    # then as 种业产值; the fact names its printing, so the prediction at the second printing is its pair
    from pipeline.evaluate import _match

    text = (
        "建设年产值50亿元以上农业全产业链5条，争创国家级智慧农业引领区。培育一批种业龙头企业，种业产值达到50亿元以上。"
    )
    first, second = text.find("50亿元"), text.rfind("50亿元")
    preds = [
        {"start": first, "end": first + 5, "unit": "元", "value": 5e9, "entity": "农业"},
        {"start": second, "end": second + 5, "unit": "元", "value": 5e9, "entity": "种业产值"},
    ]
    gold = {"surface": "50亿元以上", "value": 5e9, "unit": "元", "qualifier": "over", "entity": "产值"}
    assert _match([gold], preds, text, 0, len(text)) == [(0, 0)]  # without it: the first printing
    assert _match([gold | {"occurrence": 2}], preds, text, 0, len(text)) == [(0, 1)]


def _floors(key: str) -> dict[str, dict]:
    """The gold sets of one entry of quality_floors.json (its ``_about`` left out)."""
    entry = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))[key]
    return {k: v for k, v in entry.items() if not k.startswith("_")}


INITIATIVE_FLOORS = _floors("initiative_sets")
INITIATIVE_GOLD = ROOT / "corpus" / "gold" / "initiatives"


@pytest.fixture(scope="module")
def initiative_scores(out_dir: Path) -> dict[str, dict]:
    from pipeline.evaluate import evaluate_initiatives

    return {
        n: evaluate_initiatives(out_dir, [INITIATIVE_GOLD / f for f in spec["files"]])
        for n, spec in INITIATIVE_FLOORS.items()
    }


@pytest.mark.parametrize(
    "name,metric", [(n, m) for n, spec in sorted(INITIATIVE_FLOORS.items()) for m in sorted(spec["floors"])]
)
def test_quality_gate_initiative_floor(initiative_scores: dict, name: str, metric: str) -> None:
    value = initiative_scores[name]["scores"][metric]
    floor = INITIATIVE_FLOORS[name]["floors"][metric]
    assert value >= floor, f"initiatives {name} {metric} {value:.4f} fell below its floor {floor}"


def test_quality_gate_initiative_gold_is_varied_and_floors_never_lowered() -> None:
    records = load_gold(sorted(INITIATIVE_GOLD.glob("*.json")))
    assert sum(len(r.get("initiatives", [])) for r in records) >= 480
    assert {str(r["id"]).split(":")[0] for r in records} >= {"1ae8b1067945540b", "partybuilding_cms", "xwlb"}
    for name, spec in INITIATIVE_FLOORS.items():
        for entry in spec["history"]:
            for metric, floor in spec["floors"].items():
                assert floor >= entry.get(metric, 0), f"initiatives {name}: floor of {metric} lowered ({entry})"


STATUS_FLOORS = _floors("initiative_status")


@pytest.fixture(scope="module")
def status_scores(out_dir: Path) -> dict[str, dict]:
    from pipeline.evaluate import evaluate_statuses

    return {
        n: evaluate_statuses(out_dir, [INITIATIVE_GOLD / f for f in spec["files"]]) for n, spec in STATUS_FLOORS.items()
    }


@pytest.mark.parametrize(
    "name,metric", [(n, m) for n, spec in sorted(STATUS_FLOORS.items()) for m in sorted(spec["floors"])]
)
def test_quality_gate_status_floor(status_scores: dict, name: str, metric: str) -> None:
    value = status_scores[name][metric]
    floor = STATUS_FLOORS[name]["floors"][metric]
    assert value >= floor, f"initiative status {name} {metric} {value:.4f} fell below its floor {floor}"


def test_quality_gate_status_gold_covers_every_kind_and_floors_never_lowered(status_scores: dict) -> None:
    records = load_gold(sorted(INITIATIVE_GOLD.glob("status_*.json")))
    items = [s for r in records for s in r["statuses"]]
    assert len(items) == 300
    assert {s["kind"] for s in items} == {"report", "news_tv", "news_web", "newspaper"}
    assert {s["status"] for s in items} == {"reported", "planned", "urged", "none"}
    for name, spec in STATUS_FLOORS.items():
        # every sampled initiative is still found with its action word
        n = status_scores[name]["counts"]
        assert n["matched"] == n["actions"], name
        for entry in spec["history"]:
            for metric, floor in spec["floors"].items():
                assert floor >= entry.get(metric, 0), f"initiative status {name}: floor of {metric} lowered ({entry})"
