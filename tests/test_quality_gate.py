"""Quality gate: the facts of the bundled corpus scored against the gold; floors only go up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, load_gold
from pipeline.run import RunConfig, run

ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "corpus" / "gold" / "facts").glob("*.json"))
FLOORS = json.loads((ROOT / "tests" / "quality_floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("gate") / "out"
    run(RunConfig(inputs=[str(ROOT / "corpus")], out=str(out)))
    return evaluate(out, GOLD).as_dict()


def test_quality_gate_gold_is_big_and_varied() -> None:
    records = load_gold(GOLD)
    n_facts = sum(len(r.get("facts", [])) for r in records)
    kinds = {str(r["id"]).split(":")[0] for r in records}
    assert len(records) >= 30
    assert n_facts >= 400
    assert {"partybuilding_cms", "xwlb", "govwork_city2024", "govwork_province2026", "govwork_national"} <= kinds


@pytest.mark.parametrize("metric", sorted(FLOORS["floors"]))
def test_quality_gate_floor(scores: dict, metric: str) -> None:
    value = scores["scores"].get(metric, scores.get(metric))
    assert value is not None, metric
    assert value >= FLOORS["floors"][metric], f"{metric} {value:.4f} fell below its floor {FLOORS['floors'][metric]}"


def test_quality_gate_floors_never_lowered() -> None:
    for entry in FLOORS["history"]:
        for metric, floor in FLOORS["floors"].items():
            assert floor >= entry.get(metric, 0), f"floor of {metric} lowered below an earlier floor ({entry})"


def test_quality_gate_seed_page_is_perfect(scores: dict) -> None:
    """The page the project was made from: every number found, with its entity and qualifier."""
    seed = {k: v for k, v in scores["per_document"].items() if k.startswith("1ae8b1067945540b")}
    assert len(seed) == 6
    for key, c in seed.items():
        assert c["matched"] == c["gold"] == c["full_ok"], (key, c)
    assert sum(c["gold"] for c in seed.values()) == 47
