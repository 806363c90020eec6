"""The fast paths of the entity recognizer find what a plain scan finds: gazetteer names over UTF-8 bytes,
and the tokens that can end a place name or a role word found from the text's characters."""

from __future__ import annotations

from pathlib import Path

import ahocorasick
import pytest

from pipeline.extract.entities import EntityRecognizer, _as_bytes, _name_spans
from pipeline.segment import Segmenter

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "seed" / "000_db21671502ac2f81.txt"


def _every_occurrence(names: list[str], text: str) -> set[tuple[int, int]]:
    return {(i, i + len(n)) for n in names for i in range(len(text)) if text.startswith(n, i)}


def test_name_spans_are_every_occurrence_in_characters() -> None:
    names = ["辽宁", "沈阳", "宁沈", "辽宁省", "中山", "山西", "AB", "B\ud800", "😀中国", "中国"]
    auto = ahocorasick.Automaton()
    for n in names:
        auto.add_word(_as_bytes(n), len(n))
    auto.make_automaton()
    text = "x😀辽宁沈阳，中山西路ABB\ud800到😀中国\n辽宁省"
    got = _name_spans(auto, text)
    assert got == _every_occurrence(names, text)
    assert sorted(text[a:b] for a, b in got) == sorted(
        ["辽宁", "宁沈", "沈阳", "中山", "山西", "AB", "B\ud800", "😀中国", "中国", "辽宁", "辽宁省"]
    )
    assert (2, 4) in got and (len(text) - 3, len(text)) in got  # offsets in characters, not bytes
    assert _name_spans(auto, "") == set()


@pytest.fixture(scope="module")
def recognizer() -> EntityRecognizer:
    return EntityRecognizer(Segmenter())


def test_gazetteer_name_spans_on_the_seed_page(recognizer: EntityRecognizer) -> None:
    text = SEED.read_text(encoding="utf-8")
    auto = recognizer._gz_names
    assert auto is not None
    assert recognizer.gazetteer is not None
    names = [k for k in set(recognizer.gazetteer.index) | recognizer._countries if len(k) >= 2 and k in text]
    spans = _name_spans(auto, text)
    assert len(spans) > 10
    assert spans == _every_occurrence(names, text)


def test_tokens_ending_with_a_character_class_match_a_scan_of_every_token(recognizer: EntityRecognizer) -> None:
    text = SEED.read_text(encoding="utf-8")
    toks = recognizer._tokens(text)
    for chars, rx in (
        (recognizer._place_last, recognizer._place_last_rx),
        (recognizer._role_last, recognizer._role_last_rx),
    ):
        want = [k for k, t in enumerate(toks) if t[0][-1:] in chars]
        assert len(want) > 20
        assert recognizer._ending_with(rx, text, toks) == want
    assert recognizer._token_ends(toks) == [t[3] for t in toks]
    assert recognizer._token_ends(toks) is recognizer._token_ends(toks)  # built once per token list
