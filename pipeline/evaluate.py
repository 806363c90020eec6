"""Score a run against gold files: its facts (and headlines, places), entities, initiatives and their statuses.

* :func:`evaluate` — facts (below);
* :func:`evaluate_entities` — entity mentions, per label (``mentions`` records, ``corpus/gold/entities/README.md``);
* :func:`evaluate_initiatives` — initiatives: detection, name, place and counts (``initiatives`` records,
  ``corpus/gold/initiatives/README.md``);
* :func:`evaluate_statuses` — initiative statuses, reported / planned / urged, on a sample of the pipeline's
  initiatives (``statuses`` records, same README).

``govmine evaluate`` runs each scorer whose records a gold file holds.

Fact gold format (JSON; see ``corpus/gold/facts/README.md``)::

    {"documents": [{"id", "text"?, "anchor", "headline"?, "place"?, "themes_core": [], "themes_ok": [],
                    "facts": [{"surface", "value", "unit", "qualifier", "entity"}],
                    "optional": [{"surface", "value", "unit"}]}]}

A page with several articles may list ``"articles": [...]`` of the same records under one id.

Fact matching, per gold record (the other scorers find their article the same way, by ``anchor``):

1. the predicted article is the one (of the document ``id`` when the run has it) whose text contains the
   ``anchor``, whitespace ignored;
2. with a ``text`` passage, only predicted facts inside the passage are scored;
3. a predicted fact matches a gold fact when value (relative tolerance 1e-6) and unit are equal and the
   prediction lies within a few characters of an occurrence of the gold surface; pairs are made
   one-to-one in text order;
4. a prediction that matches an ``optional`` gold fact is neither a true nor a false positive.

Fact scores: precision, recall and F1 of (value, unit); qualifier accuracy and entity accuracy over matched
pairs (a predicted entity is right when it contains the gold entity, quotes and spaces ignored; the stricter
``entity_end_accuracy`` also wants it to end with the gold entity, so 地区生产总值同比增长 is not right for
地区生产总值, though words before the gold entity still are); full-fact
F1, where a fact counts only when value, unit, qualifier and entity are all right.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

__all__ = [
    "GoldError",
    "Scores",
    "evaluate",
    "evaluate_entities",
    "evaluate_initiatives",
    "evaluate_statuses",
    "format_entity_report",
    "format_initiative_report",
    "format_status_report",
    "format_report",
    "load_gold",
]

_WS = re.compile(r"\s+")
_NEAR = 4  # characters of slack between a prediction and the gold surface


class GoldError(ValueError):
    """A gold file is malformed, or its anchor finds no article."""


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    qualifier_ok: int = 0
    entity_ok: int = 0
    entity_end_ok: int = 0
    full_ok: int = 0

    def add(self, other: Counts) -> None:
        for k in asdict(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def scores(self) -> dict[str, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        fp = self.full_ok / self.predicted if self.predicted else 0.0
        fr = self.full_ok / self.gold if self.gold else 0.0
        return {
            "value_precision": p,
            "value_recall": r,
            "value_f1": _f1(p, r),
            "qualifier_accuracy": self.qualifier_ok / self.matched if self.matched else 0.0,
            "entity_accuracy": self.entity_ok / self.matched if self.matched else 0.0,
            "entity_end_accuracy": self.entity_end_ok / self.matched if self.matched else 0.0,
            "full_precision": fp,
            "full_recall": fr,
            "full_f1": _f1(fp, fr),
        }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Totals, scores, per-document counts and the errors, for a report."""

    counts: Counts = field(default_factory=Counts)
    per_document: dict[str, Counts] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    headline: tuple[int, int] = (0, 0)  # right, asked
    place: tuple[int, int] = (0, 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": asdict(self.counts),
            "scores": {k: round(v, 4) for k, v in self.counts.scores().items()},
            "headline_accuracy": _ratio(self.headline),
            "place_accuracy": _ratio(self.place),
            "per_document": {
                k: asdict(v) | {"full_f1": round(v.scores()["full_f1"], 4)} for k, v in self.per_document.items()
            },
            "errors": self.errors,
        }


def _ratio(x: tuple[int, int]) -> float | None:
    return round(x[0] / x[1], 4) if x[1] else None


def load_gold(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    """Gold records (one per article) from gold files, with ``file`` and ``id`` filled in."""
    records: list[dict[str, Any]] = []
    for path in paths:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise GoldError(f"{path}: cannot read gold: {exc}") from None
        docs = data.get("documents") if isinstance(data, dict) else None
        if not isinstance(docs, list):
            raise GoldError(f'{path}: expected {{"documents": [...]}}')
        for i, doc in enumerate(docs):
            subs = doc.get("articles") or [doc]
            for j, rec in enumerate(subs):
                if "anchor" not in rec:
                    raise GoldError(f"{path}: document {i} article {j}: no anchor")
                records.append(
                    rec
                    | {
                        "id": doc.get("id"),
                        "file": str(path),
                        "key": f"{doc.get('id')}#{j + 1 if 'articles' in doc else 1}",
                    }
                )
    return records


def _norm(s: str) -> str:
    return _WS.sub("", s)


def _ent_norm(s: str) -> str:
    return re.sub(r"[\s“”‘’\"'「」《》]", "", s or "")


def _strip_map(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each of its characters the offset in ``text``."""
    chars, pos = [], []
    for i, c in enumerate(text):
        if not c.isspace():
            chars.append(c)
            pos.append(i)
    return "".join(chars), pos


def _find_article(rec: dict[str, Any], articles: Sequence[dict[str, Any]], by_doc: dict[str, list[int]]) -> int:
    anchor = _norm(rec["anchor"])
    cands = by_doc.get(rec.get("id") or "", []) or range(len(articles))
    hits = [i for i in cands if anchor in articles[i]["_flat"]]
    if len(hits) != 1:
        raise GoldError(f"{rec['file']}: anchor {rec['anchor']!r} of {rec['key']} finds {len(hits)} articles")
    return hits[0]


def _window(rec: dict[str, Any], art: dict[str, Any]) -> tuple[int, int]:
    if not rec.get("text"):
        return 0, len(art["text"])
    flat, pos = art["_flat"], art["_pos"]
    p = _norm(rec["text"])
    k = flat.find(p)
    if k < 0:
        raise GoldError(f"{rec['file']}: the passage of {rec['key']} is not in its article")
    return pos[k], pos[k + len(p) - 1] + 1


def _occurrences(text: str, surface: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Where the surface occurs in text[lo:hi], whitespace-insensitively, as (start, end) in text."""
    flat, pos = _strip_map(text[lo:hi])
    s = _norm(surface)
    out, k = [], flat.find(s)
    while k >= 0 and s:
        out.append((lo + pos[k], lo + pos[k + len(s) - 1] + 1))
        k = flat.find(s, k + 1)
    return out


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def _match(
    golds: list[dict[str, Any]], preds: list[dict[str, Any]], text: str, lo: int, hi: int
) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, prediction index), in text order."""
    used: set[int] = set()
    taken: dict[str, int] = {}
    pairs = []
    for gi, g in enumerate(golds):
        occ = _occurrences(text, str(g["surface"]), lo, hi)
        if not occ:
            continue
        # the k-th listing of a repeated surface prefers its k-th occurrence, then any other; a listing may name
        # its occurrence (``"occurrence": 2``) when an optional listing or a non-fact holds an earlier one
        k = taken.get(g["surface"], 0)
        taken[g["surface"]] = k + 1
        if "occurrence" in g:
            k = max(0, int(g["occurrence"]) - 1)
        order = occ[k:] + occ[:k]
        best = None
        for os_, oe in order:
            for pi, p in enumerate(preds):
                if pi in used or p["unit"] != g["unit"] or not _same_value(float(p["value"]), float(g["value"])):
                    continue
                if p["start"] < oe + _NEAR and p["end"] > os_ - _NEAR:
                    best = pi
                    break
            if best is not None:
                break
        if best is not None:
            used.add(best)
            pairs.append((gi, best))
    return pairs


def _records_with_articles(
    gold_paths: Sequence[str | Path], arts: list[dict[str, Any]], key: str
) -> Iterable[tuple[dict[str, Any], dict[str, Any], int, int]]:
    """(gold record, its predicted article, window start, window end) for every record holding ``key``."""
    by_doc: dict[str, list[int]] = {}
    for i, a in enumerate(arts):
        a["_flat"], a["_pos"] = _strip_map(a["text"])
        by_doc.setdefault(a["doc_id"], []).append(i)
    for rec in load_gold(gold_paths):
        if key not in rec:
            continue
        art = arts[_find_article(rec, arts, by_doc)]
        lo, hi = _window(rec, art)
        yield rec, art, lo, hi


def _tables(out: Path, **columns: list[str]) -> list[list[dict[str, Any]]]:
    """The rows of each named table of a run's output (only the columns asked for), in the order asked; a
    missing table is a :class:`GoldError`."""
    for table in columns:
        if not (out / table).is_dir():
            raise GoldError(f"{out}: no {table} table (run `govmine run ... --out {out}` first)")
    return [ds.dataset(out / t, format="parquet").to_table(columns=c).to_pylist() for t, c in columns.items()]


def _items(rec: dict[str, Any], key: str, fields: Sequence[str]) -> list[dict[str, Any]]:
    """A gold record's list ``key`` of items, each with the string ``fields`` and an integer ``occurrence`` if
    any; anything else is a one-line :class:`GoldError`."""
    items = rec[key]
    if not isinstance(items, list):
        raise GoldError(f"{rec['file']}: {rec['key']}: {key} must be a list")
    for g in items:
        ok = isinstance(g, dict) and all(isinstance(g.get(f), str) for f in fields)
        occ = g.get("occurrence", 1) if isinstance(g, dict) else None
        if not ok or not isinstance(occ, int) or isinstance(occ, bool) or occ < 1:
            raise GoldError(f"{rec['file']}: {rec['key']}: bad item in {key}: {g!r}")
    return items


def _by_article(rows: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["article_id"], []).append(r)
    return out


_ARTICLE_COLUMNS = ["article_id", "doc_id", "text"]


def evaluate(out_dir: str | Path, gold_paths: Sequence[str | Path]) -> Scores:
    """Score the facts of the run in ``out_dir`` against the gold files."""
    arts, facts = _tables(
        Path(out_dir),
        articles=[*_ARTICLE_COLUMNS, "headline", "place"],
        facts=["article_id", "value", "unit", "qualifier", "entity", "surface", "start", "end"],
    )
    facts_by_art = _by_article(facts)

    res = Scores()
    h_right = h_asked = p_right = p_asked = 0
    for rec, art, lo, hi in _records_with_articles(gold_paths, arts, "facts"):
        text = art["text"]
        preds = sorted(
            (f for f in facts_by_art.get(art["article_id"], []) if lo <= f["start"] and f["end"] <= hi),
            key=lambda f: f["start"],
        )
        golds = list(rec.get("facts", []))
        optional = list(rec.get("optional", []))
        pairs = _match(golds, preds, text, lo, hi)
        matched_preds = {pi for _, pi in pairs}
        opt_pairs = _match(optional, [p for i, p in enumerate(preds) if i not in matched_preds], text, lo, hi)
        c = Counts(gold=len(golds), predicted=len(preds) - len(opt_pairs), matched=len(pairs))
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            q_ok = p["qualifier"] == g.get("qualifier", "exact")
            e_ok = bool(_ent_norm(g.get("entity", ""))) and _ent_norm(g.get("entity", "")) in _ent_norm(p["entity"])
            c.qualifier_ok += q_ok
            c.entity_ok += e_ok
            c.entity_end_ok += e_ok and _ent_norm(p["entity"]).endswith(_ent_norm(g.get("entity", "")))
            c.full_ok += q_ok and e_ok
            if not (q_ok and e_ok):
                res.errors.append(
                    {
                        "doc": rec["key"],
                        "kind": "wrong",
                        "gold": g,
                        "predicted": {k: p[k] for k in ("surface", "value", "unit", "qualifier", "entity")},
                    }
                )
        for gi, g in enumerate(golds):
            if gi not in {x for x, _ in pairs}:
                res.errors.append({"doc": rec["key"], "kind": "missed", "gold": g})
        opt_used = {pi for _, pi in opt_pairs}
        rest = [p for i, p in enumerate(preds) if i not in matched_preds]
        for i, p in enumerate(rest):
            if i not in opt_used:
                res.errors.append(
                    {
                        "doc": rec["key"],
                        "kind": "spurious",
                        "predicted": {k: p[k] for k in ("surface", "value", "unit", "qualifier", "entity")},
                    }
                )
        res.per_document[rec["key"]] = c
        res.counts.add(c)
        if rec.get("headline"):
            h_asked += 1
            h_right += _norm(art["headline"] or "") == _norm(rec["headline"])
        if rec.get("place"):
            p_asked += 1
            p_right += (art["place"] or "") == rec["place"]
    res.headline, res.place = (h_right, h_asked), (p_right, p_asked)
    return res


LABELS = ("PERSON", "PLACE", "ORG", "PROGRAMME")


def _find_nth(text: str, s: str, k: int, lo: int, hi: int) -> int:
    """Where the k-th occurrence of ``s`` in ``text[lo:hi]`` starts (occurrences may overlap); -1 if none."""
    pos, found = lo, -1
    for _ in range(k):
        found = text.find(s, pos, hi)
        if found < 0:
            return -1
        pos = found + 1
    return found


def evaluate_entities(out_dir: str | Path, gold_paths: Sequence[str | Path]) -> dict[str, Any]:
    """Per-label precision, recall and F1 of entity mentions (exact span and label) against gold files.

    Gold records list ``mentions`` as ``{"text", "label", "occurrence"}`` (see ``corpus/gold/entities/README.md``);
    the k-th occurrence of the text in the article (or in the record's passage) is where the mention is.
    """
    arts, ents = _tables(
        Path(out_dir), articles=_ARTICLE_COLUMNS, entities=["article_id", "text", "label", "start", "end"]
    )
    ents_by_art: dict[str, set[tuple[int, int, str]]] = {}
    for e in ents:
        ents_by_art.setdefault(e["article_id"], set()).add((e["start"], e["end"], e["label"]))
    tp = dict.fromkeys(LABELS, 0)
    fp = dict.fromkeys(LABELS, 0)
    fn = dict.fromkeys(LABELS, 0)
    errors: list[dict[str, Any]] = []
    for rec, art, lo, hi in _records_with_articles(gold_paths, arts, "mentions"):
        text = art["text"]
        gold: set[tuple[int, int, str]] = set()
        for m in rec["mentions"]:
            k = int(m.get("occurrence", 1))
            found = _find_nth(text, m["text"], k, lo, hi)
            if found < 0:
                raise GoldError(f"{rec['file']}: {rec['key']}: occurrence {k} of {m['text']!r} not found")
            gold.add((found, found + len(m["text"]), m["label"]))
        pred = {p for p in ents_by_art.get(art["article_id"], set()) if lo <= p[0] and p[1] <= hi}
        for g in gold:
            if g in pred:
                tp[g[2]] += 1
            else:
                fn[g[2]] += 1
                errors.append({"doc": rec["key"], "kind": "missed", "text": text[g[0] : g[1]], "label": g[2]})
        for p in pred - gold:
            if p[2] in fp:
                fp[p[2]] += 1
            errors.append({"doc": rec["key"], "kind": "spurious", "text": text[p[0] : p[1]], "label": p[2]})
    per_label = {}
    for lab in LABELS:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        per_label[lab] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(_f1(p, r), 4),
            "gold": tp[lab] + fn[lab],
            "predicted": tp[lab] + fp[lab],
        }
    return {"per_label": per_label, "errors": errors}


def _same_place(pred: str | None, gold: str | None) -> bool:
    """A predicted place is right when it names the gold place: the same name, with or without its unit
    suffix (浙江 and 浙江省), or printed with its parents (山东滕州 for 滕州市); a gold place that lists several
    places of one rank (黑麻洼、柴六营) is named by any of them."""
    p = _place_core(pred)
    for g in (_place_core(x) for x in _ent_norm(gold or "").split("、")):
        if p == g or (min(len(p), len(g)) >= 2 and (p.endswith(g) or g.endswith(p))):
            return True
    return False


_PLACE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "县", "区", "旗")


def _place_core(name: str | None) -> str:
    """A place's name without its unit suffix (广西壮族自治区 -> 广西, 浙江省 -> 浙江)."""
    n = _ent_norm(name or "")
    for sfx in _PLACE_SUFFIXES:
        if n.endswith(sfx) and len(n) - len(sfx) >= 2:
            return n[: -len(sfx)]
    return n


def _nearest(text: str, number: str, at: int, lo: int, hi: int) -> tuple[int, int]:
    """The printing of a gold number nearest to the initiative's action word (``at``); (-1, -1) if none."""
    occ = _occurrences(text, number, lo, hi)
    return min(occ, key=lambda se: abs(se[0] - at)) if occ else (-1, -1)


def _overlaps(facts: Sequence[dict[str, Any]], spans: Sequence[tuple[int, int]]) -> int:
    """How many gold number spans a predicted fact overlaps, one to one (a gold number printed with or
    without its qualifier, 超50% or 50%, is the same number)."""
    used: set[int] = set()
    for s, e in spans:
        j = next((i for i, f in enumerate(facts) if i not in used and f["start"] < e and s < f["end"]), None)
        if j is not None:
            used.add(j)
    return len(used)


def evaluate_initiatives(out_dir: str | Path, gold_paths: Sequence[str | Path]) -> dict[str, Any]:
    """Initiatives against gold (``corpus/gold/initiatives/README.md``): detection, name, place and numbers.

    A gold initiative is located by its ``quote`` (its ``occurrence``-th printing in the article) and the
    action word inside it; the predicted initiative whose span holds that action word matches it (one to
    one, in text order; a second gold initiative inside a span already matched is missed: two initiatives
    run together). Over the matched pairs: the name is right when both give the same name or both none; the
    place as :func:`_same_place`; the numbers are the prediction's facts against the gold ``numbers``, each
    read at its printing nearest the action word (a fact is a link to a gold number when their spans
    overlap; precision and recall of the links). An initiative is fully right when it is matched and its
    name, place and numbers are all right."""
    arts, inits, facts = _tables(
        Path(out_dir),
        articles=_ARTICLE_COLUMNS,
        initiatives=["article_id", "start", "end", "action", "name", "place", "fact_ids", "text"],
        facts=["fact_id", "surface", "start", "end"],
    )
    fact = {r["fact_id"]: r for r in facts}
    by_art = _by_article(inits)
    n = dict.fromkeys(("gold", "predicted", "matched", "name_ok", "place_ok", "numbers_ok", "full_ok"), 0)
    links = dict.fromkeys(("gold", "predicted", "matched"), 0)
    errors: list[dict[str, Any]] = []
    for rec, art, lo, hi in _records_with_articles(gold_paths, arts, "initiatives"):
        text = art["text"]
        preds = sorted(
            (p for p in by_art.get(art["article_id"], []) if lo <= p["start"] and p["end"] <= hi),
            key=lambda p: p["start"],
        )
        used: set[int] = set()
        n["gold"] += len(rec["initiatives"])
        n["predicted"] += len(preds)
        for g in _items(rec, "initiatives", ("quote", "action")):
            quote, k = g["quote"], int(g.get("occurrence", 1))
            at = _find_nth(text, quote, k, lo, hi)
            if at < 0 or g["action"] not in quote:
                raise GoldError(
                    f"{rec['file']}: {rec['key']}: occurrence {k} of {quote!r} (action {g['action']!r}) not found"
                )
            a = at + quote.index(g["action"])
            hit = next((j for j, p in enumerate(preds) if p["start"] <= a < p["end"]), None)
            if hit is None or hit in used:
                errors.append({"doc": rec["key"], "kind": "missed", "gold": g})
                links["gold"] += len(g.get("numbers", []))
                continue
            used.add(hit)
            p = preds[hit]
            n["matched"] += 1
            name_ok = _ent_norm(p["name"] or "") == _ent_norm(g.get("name") or "")
            place_ok = _same_place(p["place"], g.get("place"))
            got = [fact[f] for f in p["fact_ids"] or [] if f in fact]
            want = [_nearest(text, x, a, lo, hi) for x in g.get("numbers", [])]
            common = _overlaps(got, want)
            links["gold"] += len(want)
            links["predicted"] += len(got)
            links["matched"] += common
            numbers_ok = common == len(got) == len(want)
            n["name_ok"] += name_ok
            n["place_ok"] += place_ok
            n["numbers_ok"] += numbers_ok
            n["full_ok"] += name_ok and place_ok and numbers_ok
            if not (name_ok and place_ok and numbers_ok):
                errors.append(
                    {
                        "doc": rec["key"],
                        "kind": "wrong",
                        "gold": g,
                        "predicted": {
                            "text": p["text"],
                            "action": p["action"],
                            "name": p["name"],
                            "place": p["place"],
                            "numbers": [f["surface"] for f in got],
                        },
                    }
                )
        for j, p in enumerate(preds):
            if j not in used:
                errors.append(
                    {"doc": rec["key"], "kind": "spurious", "predicted": {"text": p["text"], "action": p["action"]}}
                )
    det_p = n["matched"] / n["predicted"] if n["predicted"] else 0.0
    det_r = n["matched"] / n["gold"] if n["gold"] else 0.0
    lp = links["matched"] / links["predicted"] if links["predicted"] else 0.0
    lr = links["matched"] / links["gold"] if links["gold"] else 0.0
    fp = n["full_ok"] / n["predicted"] if n["predicted"] else 0.0
    fr = n["full_ok"] / n["gold"] if n["gold"] else 0.0
    m = n["matched"] or 1
    scores = {
        "detection_precision": det_p,
        "detection_recall": det_r,
        "detection_f1": _f1(det_p, det_r),
        "name_accuracy": n["name_ok"] / m,
        "place_accuracy": n["place_ok"] / m,
        "numbers_accuracy": n["numbers_ok"] / m,
        "number_link_precision": lp,
        "number_link_recall": lr,
        "number_link_f1": _f1(lp, lr),
        "full_f1": _f1(fp, fr),
    }
    return {
        "counts": n | {"number_links": links},
        "scores": {k: round(v, 4) for k, v in scores.items()},
        "errors": errors,
    }


STATUS_LABELS = ("reported", "planned", "urged")


def evaluate_statuses(out_dir: str | Path, gold_paths: Sequence[str | Path]) -> dict[str, Any]:
    """Initiative statuses against gold (``corpus/gold/initiatives/README.md``, ``statuses`` records): a
    sample of the pipeline's initiatives, each read and given ``reported``, ``planned``, ``urged`` or
    ``none`` (not an action at all). An item is located by its ``quote``, which ends with its action word
    (its ``occurrence``-th printing); the predicted initiative whose span holds that action word, with the
    same action, is its prediction. Reports the status accuracy, per-status precision, recall and F1 and
    their macro average over the items that are actions, the confusion counts, and how many sampled items
    are no action (the initiatives' precision on the sample)."""
    arts, inits = _tables(
        Path(out_dir), articles=_ARTICLE_COLUMNS, initiatives=["article_id", "start", "end", "action", "status"]
    )
    by_art = _by_article(inits)
    confusion: dict[str, dict[str, int]] = {g: dict.fromkeys((*STATUS_LABELS, "missed"), 0) for g in STATUS_LABELS}
    n = dict.fromkeys(("items", "actions", "matched", "correct", "none", "none_predicted"), 0)
    by_kind: dict[str, list[int]] = {}
    errors: list[dict[str, Any]] = []
    for rec, art, lo, hi in _records_with_articles(gold_paths, arts, "statuses"):
        text = art["text"]
        preds = by_art.get(art["article_id"], [])
        for g in _items(rec, "statuses", ("quote", "action", "status")):
            quote, k, action, gold = g["quote"], int(g.get("occurrence", 1)), g["action"], g["status"]
            if gold not in (*STATUS_LABELS, "none") or not action or not quote.endswith(action):
                raise GoldError(f"{rec['file']}: {rec['key']}: bad item in statuses: {g!r}")
            at = _find_nth(text, quote, k, lo, hi)
            if at < 0:
                raise GoldError(f"{rec['file']}: {rec['key']}: occurrence {k} of {quote!r} not found")
            a = at + len(quote) - len(action)
            p = next((p for p in preds if p["start"] <= a < p["end"] and p["action"] == action), None)
            n["items"] += 1
            if gold == "none":
                n["none"] += 1
                n["none_predicted"] += p is not None
                continue
            n["actions"] += 1
            kind = by_kind.setdefault(g.get("kind") or "?", [0, 0])
            kind[0] += 1
            if p is None:
                confusion[gold]["missed"] += 1
                errors.append({"doc": rec["key"], "kind": "status_missed", "gold": g})
                continue
            n["matched"] += 1
            confusion[gold][p["status"]] += 1
            if p["status"] == gold:
                n["correct"] += 1
                kind[1] += 1
            else:
                errors.append({"doc": rec["key"], "kind": "status", "gold": g, "predicted": p["status"]})
    per: dict[str, dict[str, float]] = {}
    f1s = []
    for c in STATUS_LABELS:
        tp = confusion[c][c]
        npred = sum(confusion[g][c] for g in STATUS_LABELS)
        ngold = sum(confusion[c].values())
        pr, rc = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        per[c] = {"precision": round(pr, 3), "recall": round(rc, 3), "f1": round(_f1(pr, rc), 3), "gold": ngold}
        if ngold:  # a status the gold never gives is left out of the average
            f1s.append(_f1(pr, rc))
    return {
        "counts": n,
        "accuracy": round(n["correct"] / n["actions"], 3) if n["actions"] else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 3) if f1s else 0.0,
        "per_status": per,
        "by_kind": {k: {"items": v[0], "accuracy": round(v[1] / v[0], 3)} for k, v in sorted(by_kind.items())},
        "confusion": confusion,
        "errors": errors,
    }


def format_status_report(d: dict[str, Any]) -> str:
    n = d["counts"]
    lines = [
        f"status items {n['items']}: {n['actions']} actions, {n['none']} no action "
        f"({n['none_predicted']} of them taken as initiatives; status precision counts the actions only)",
        f"status accuracy {d['accuracy']}  macro-F1 {d['macro_f1']}  (matched {n['matched']} of {n['actions']})",
    ]
    for c, v in d["per_status"].items():
        lines.append(f"  {c:<9} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  gold {v['gold']}")
    lines.append("  by kind: " + ", ".join(f"{k} {v['accuracy']} ({v['items']})" for k, v in d["by_kind"].items()))
    return "\n".join(lines)


def format_initiative_report(d: dict[str, Any]) -> str:
    c, s = d["counts"], d["scores"]
    return "\n".join(
        [
            f"gold initiatives {c['gold']}, predicted {c['predicted']}, matched {c['matched']}",
            f"detection P {s['detection_precision']:.3f}  R {s['detection_recall']:.3f}  F1 {s['detection_f1']:.3f}",
            f"name accuracy {s['name_accuracy']:.3f}   place accuracy {s['place_accuracy']:.3f}   "
            f"numbers accuracy {s['numbers_accuracy']:.3f}",
            f"number links P {s['number_link_precision']:.3f}  R {s['number_link_recall']:.3f}  "
            f"F1 {s['number_link_f1']:.3f}",
            f"full F1 {s['full_f1']:.3f}",
        ]
    )


def format_entity_report(d: dict[str, Any]) -> str:
    lines = ["label       gold  pred   P      R      F1"]
    for lab, v in d["per_label"].items():
        lines.append(
            f"{lab:<10} {v['gold']:>5} {v['predicted']:>5}  {v['precision']:.3f}  {v['recall']:.3f}  {v['f1']:.3f}"
        )
    return "\n".join(lines)


def format_report(s: Scores) -> str:
    """A plain-text report: totals, scores, the weakest documents."""
    d = s.as_dict()
    c, sc = d["counts"], d["scores"]
    lines = [
        f"gold facts {c['gold']}, predicted {c['predicted']}, matched {c['matched']}",
        f"value   P {sc['value_precision']:.3f}  R {sc['value_recall']:.3f}  F1 {sc['value_f1']:.3f}",
        f"qualifier accuracy {sc['qualifier_accuracy']:.3f}   entity accuracy {sc['entity_accuracy']:.3f}"
        f" (ending with the gold entity {sc['entity_end_accuracy']:.3f})",
        f"full    P {sc['full_precision']:.3f}  R {sc['full_recall']:.3f}  F1 {sc['full_f1']:.3f}",
    ]
    if d["headline_accuracy"] is not None:
        lines.append(f"headline accuracy {d['headline_accuracy']:.3f}   place accuracy {d['place_accuracy']:.3f}")
    # documents with no gold fact and none predicted score nothing, not 0
    scored = [(k, v) for k, v in d["per_document"].items() if v.get("gold", 1) or v.get("predicted", 1)]
    worst = sorted(scored, key=lambda kv: kv[1]["full_f1"])[:5]
    lines.append("weakest documents: " + ", ".join(f"{k} ({v['full_f1']:.2f})" for k, v in worst))
    return "\n".join(lines)
