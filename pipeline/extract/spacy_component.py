"""The fact extractor as a spaCy component: ``nlp.add_pipe("govmine_quantities")``.

The factory is registered with :meth:`spacy.language.Language.factory` and as a ``spacy_factories`` entry
point of the govmine distribution, so once govmine is installed any spaCy pipeline finds it without
importing :mod:`pipeline` first::

    import spacy
    nlp = spacy.blank("zh")              # character tokenizer: no model, no download
    nlp.add_pipe("govmine_quantities")
    doc = nlp("对接形成项目清单415项，推动完成400项，完成率达96.4%")
    [(s.text, s.label_, s._.value, s._.unit, s._.entity) for s in doc.spans["govmine_quantities"]]
    # [('415项', 'count', 415.0, '项', '项目清单'), ('400项', 'count', 400.0, '项', '项目清单'),
    #  ('96.4%', 'percent', 96.4, '%', '完成率')]

What the component assigns (it reads only ``doc.text``, never the tokens, so any tokenizer works):

``doc._.govmine_facts``
    The list of :class:`~pipeline.extract.facts.Fact` objects, exactly what
    :func:`~pipeline.extract.facts.extract_facts` returns for ``doc.text``: character offsets into
    ``doc.text``, entities, links and rate checks. None on a Doc the component has not seen.
``doc.spans[spans_key]``
    One :class:`~spacy.tokens.Span` per fact, in the same order. A fact is a quantity with the entity it
    counts, so this is every quantity of the text (the extractor reads quantities sentence by sentence;
    on every article of the bundled corpus that finds exactly what ``extract_quantities`` finds on the
    whole article). ``span.label_`` is the quantity's kind by default (``count``, ``money``, ``area``,
    ``weight``, ``length``, ``power``, ``volume``, ``time``, ``percent``, ``other``): a small closed set,
    good for filtering and for displaCy colours. ``label = "unit"`` uses the normalised unit instead
    (``个``, ``元``, ``%`` ...), which is always on ``span._.unit`` anyway.
``span._.govmine_fact``
    The :class:`Fact` of the span; ``span._.value``, ``._.unit``, ``._.qualifier``, ``._.kind``,
    ``._.entity`` read from it, and ``span._.entity_span`` is the entity as a Span (None without one).

Alignment. A fact's offsets become a span with ``doc.char_span(start, end, alignment_mode="expand")``.
With spaCy's default Chinese tokenizer (one token a character) every span is exact:
``span.text == fact.surface``. A coarser tokenizer (``segmenter = "jieba"``, a multilingual one) may
cut inside a quantity (``网格员5名`` as one word); the span then grows to whole tokens, the Fact keeps the
exact offsets, and the expansion is counted and logged at debug level. A fact that gets no span at all is
logged as a warning and counted, never dropped silently (:attr:`QuantityComponent.stats`). spaCy keys
span extension values by character offsets, so two facts that expand to the same span share one span's
``_``: the span is kept twice in the group, its ``_`` holds the first fact, and the clash is logged and
counted (all facts are still on ``doc._.govmine_facts``).

The plain names ``value``, ``unit``, ``qualifier``, ``kind``, ``entity``, ``entity_span`` are registered on
Span only if no other package holds them (a warning says so otherwise); ``span._.govmine_fact`` is always
there. Facts survive ``pickle`` (``nlp.pipe(..., n_process=2)``) and ``DocBin(store_user_data=True)``
(``spacy apply``): importing this module teaches srsly's msgpack to write and read them.

Config (``nlp.add_pipe("govmine_quantities", config={...})``):
    spans_key: the ``doc.spans`` key (default ``"govmine_quantities"``);
    label: ``"kind"`` (default) or ``"unit"``;
    engine: the word segmenter the entity attachment uses, ``"rjieba"`` (default) or ``"jieba"``.

The extractor (segmenter and grammar) is built once, when the component is created, and reused for
every Doc; nothing is downloaded.

The entity recogniser is a second component, ``nlp.add_pipe("govmine_entities")``, which sets ``doc.ents``
(see :class:`EntityComponent`); :func:`span_ruler_patterns` exports its fixed names for spaCy's rulers.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import astuple, fields
from typing import Any

import srsly
from spacy import displacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer, load_gazetteer
from ..segment import ENGINES, Segmenter
from .entities import EntityRecognizer, Mention, load_entity_words
from .facts import Fact, FactExtractor

__all__ = [
    "DEFAULT_SPANS_KEY",
    "ENTITIES_FACTORY_NAME",
    "EntityComponent",
    "FACTORY_NAME",
    "LABELS",
    "QuantityComponent",
    "make_entity_component",
    "make_quantity_component",
    "render_facts",
    "span_ruler_patterns",
]

logger = logging.getLogger(__name__)

FACTORY_NAME = "govmine_quantities"
DEFAULT_SPANS_KEY = "govmine_quantities"
LABELS = ("kind", "unit")
ENTITY_LABEL = "entity"

_FACT_FIELDS = tuple(f.name for f in fields(Fact))
_MSGPACK_TAG = "__govmine_fact__"


def _fact(span: Span) -> Fact | None:
    return span._.govmine_fact


def _entity_span(span: Span) -> Span | None:
    f: Fact | None = span._.govmine_fact
    if f is None or f.entity_start is None or f.entity_end is None:
        return None
    return span.doc.char_span(f.entity_start, f.entity_end, label=ENTITY_LABEL, alignment_mode="expand")


# Module-level getters: spaCy pickles the extension table for nlp.pipe(n_process=...), by reference.
def _value(span: Span) -> float | None:
    f = _fact(span)
    return None if f is None else f.value


def _unit(span: Span) -> str | None:
    f = _fact(span)
    return None if f is None else f.unit


def _qualifier(span: Span) -> str | None:
    f = _fact(span)
    return None if f is None else f.qualifier


def _kind(span: Span) -> str | None:
    f = _fact(span)
    return None if f is None else f.kind


def _entity(span: Span) -> str | None:
    f = _fact(span)
    return None if f is None else f.entity


_SPAN_GETTERS: dict[str, Callable[[Span], Any]] = {
    "value": _value,
    "unit": _unit,
    "qualifier": _qualifier,
    "kind": _kind,
    "entity": _entity,
    "entity_span": _entity_span,
}


_FACTS_KEY = ("._.", "govmine_facts", None, None)  # where a default-valued Doc extension would keep it


def _get_facts(doc: Doc) -> list[Fact] | None:
    data: dict[Any, Any] = doc.user_data  # keyed by tuples, as spaCy's own extensions are
    facts = data.get(_FACTS_KEY)
    if isinstance(facts, tuple):  # DocBin reads msgpack arrays back as tuples
        facts = data[_FACTS_KEY] = list(facts)
    return facts


def _set_facts(doc: Doc, facts: list[Fact] | None) -> None:
    data: dict[Any, Any] = doc.user_data
    data[_FACTS_KEY] = None if facts is None else list(facts)


def _register_extensions() -> None:
    """Register the Doc and Span extensions (idempotent; never overrides another package's)."""
    if not Doc.has_extension("govmine_facts"):
        Doc.set_extension("govmine_facts", getter=_get_facts, setter=_set_facts)
    if not Span.has_extension("govmine_fact"):
        Span.set_extension("govmine_fact", default=None)
    for name, getter in _SPAN_GETTERS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)
        elif Span.get_extension(name)[2] is not getter:
            logger.warning("Span._.%s is taken by another package; read span._.govmine_fact.%s", name, name)


def _encode_fact(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, Fact):
        return {_MSGPACK_TAG: list(astuple(obj))}
    return obj if chain is None else chain(obj)


def _decode_fact(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _MSGPACK_TAG in obj and len(obj) == 1:
        return Fact(**dict(zip(_FACT_FIELDS, obj[_MSGPACK_TAG], strict=True)))
    return obj if chain is None else chain(obj)


# DocBin(store_user_data=True) writes doc.user_data with srsly's msgpack, which only knows plain types.
srsly.msgpack_encoders.register("govmine_fact", func=_encode_fact)
srsly.msgpack_decoders.register("govmine_fact", func=_decode_fact)


class QuantityComponent:
    """Puts the facts of ``doc.text`` on ``doc._.govmine_facts`` and their quantities on ``doc.spans``.

    Build it through spaCy (``nlp.add_pipe("govmine_quantities")``); see the module docstring for what
    it assigns.

    Args:
        extractor: the fact extractor, built once and reused for every Doc.
        name: the component's name in the pipeline.
        spans_key: the ``doc.spans`` key the spans go to.
        label: what ``span.label_`` holds: ``"kind"`` or ``"unit"``.

        engine: the segmenter engine ``extractor`` was built with, when it is a default one; a
            component that knows it pickles as its settings and rebuilds its extractor on unpickling
            (``nlp.pipe(..., n_process=2)`` under the ``spawn`` start method, the default on macOS and
            Windows: the rjieba segmenter itself cannot be pickled).

    Attributes:
        stats: counts since the component was made, in this process: ``docs``, ``facts``, ``spans``,
            ``expanded`` (spans grown to token boundaries), ``unaligned`` (facts without a span) and
            ``shared`` (spans whose ``_`` holds another fact: they expanded to the same tokens).
    """

    def __init__(
        self,
        extractor: FactExtractor,
        *,
        name: str = FACTORY_NAME,
        spans_key: str = DEFAULT_SPANS_KEY,
        label: str = "kind",
        engine: str | None = None,
    ) -> None:
        if label not in LABELS:
            raise ValueError(f"label must be one of {LABELS}, not {label!r}")
        self.extractor = extractor
        self.name = name
        self.spans_key = spans_key
        self.label = label
        self.engine = engine
        self.stats: Counter[str] = Counter()

    def __reduce__(self) -> str | tuple[Any, ...]:
        if self.engine is None:
            return super().__reduce__()
        return _rebuild, (self.name, self.spans_key, self.label, self.engine)

    def __repr__(self) -> str:
        return f"QuantityComponent(name={self.name!r}, spans_key={self.spans_key!r}, label={self.label!r})"

    def __call__(self, doc: Doc) -> Doc:
        facts = self.extractor.extract(doc.text)
        spans: list[Span] = []
        owner: dict[tuple[int, int], Fact] = {}
        for f in facts:
            label = f.kind if self.label == "kind" else f.unit
            span = doc.char_span(f.start, f.end, label=label, alignment_mode="expand")
            if span is None or not len(span):  # whitespace only: None or, between tokens, an empty span
                self.stats["unaligned"] += 1
                logger.warning(
                    "%s: no span for %r at %d-%d; the fact is on doc._.govmine_facts only",
                    self.name,
                    f.surface,
                    f.start,
                    f.end,
                )
                continue
            if (span.start_char, span.end_char) != (f.start, f.end):
                self.stats["expanded"] += 1
                logger.debug(
                    "%s: %r at %d-%d expanded to token span %r", self.name, f.surface, f.start, f.end, span.text
                )
            key = (span.start_char, span.end_char)
            if key in owner:
                self.stats["shared"] += 1
                logger.warning(
                    "%s: %r and %r expand to the same span %r; its ._ holds the first",
                    self.name,
                    owner[key].surface,
                    f.surface,
                    span.text,
                )
            else:
                owner[key] = f
                span._.govmine_fact = f
            spans.append(span)
        doc.spans[self.spans_key] = spans
        doc._.govmine_facts = facts
        self.stats["docs"] += 1
        self.stats["facts"] += len(facts)
        self.stats["spans"] += len(spans)
        return doc


@Language.factory(
    FACTORY_NAME,
    default_config={"spans_key": DEFAULT_SPANS_KEY, "label": "kind", "engine": "rjieba"},
    assigns=["doc.spans", "doc._.govmine_facts", "span._.govmine_fact"],
    requires=[],
)
def make_quantity_component(nlp: Language, name: str, spans_key: str, label: str, engine: str) -> QuantityComponent:
    """spaCy factory of ``govmine_quantities``; builds the fact extractor once, here.

    Args:
        nlp: the pipeline (not used: the component reads ``doc.text``).
        name: the component's name.
        spans_key: the ``doc.spans`` key.
        label: ``"kind"`` or ``"unit"`` as ``span.label_``.
        engine: ``"rjieba"`` or ``"jieba"``, the segmenter of entity attachment.

    Raises:
        ValueError: an unknown label or engine.
    """
    if label not in LABELS:
        raise ValueError(f"{name}: label must be one of {LABELS}, not {label!r}")
    if engine not in ENGINES:
        raise ValueError(f"{name}: engine must be one of {ENGINES}, not {engine!r}")
    _register_extensions()
    extractor = FactExtractor(Segmenter(engine))  # type: ignore[arg-type]
    return QuantityComponent(extractor, name=name, spans_key=spans_key, label=label, engine=engine)


def _rebuild(name: str, spans_key: str, label: str, engine: str) -> QuantityComponent:
    _register_extensions()
    extractor = FactExtractor(Segmenter(engine))  # type: ignore[arg-type]
    return QuantityComponent(extractor, name=name, spans_key=spans_key, label=label, engine=engine)


def render_facts(doc: Doc, spans_key: str = DEFAULT_SPANS_KEY, *, entities: bool = True, page: bool = False) -> str:
    """HTML of the quantities of ``doc`` (and the entities they count) in displaCy's span style.

    displaCy writes a space after every token, which spreads Chinese text one character at a time; the
    text is therefore handed to it cut only at the edges of the marks (``对接形成 项目清单 415项 ，推动``).

    Args:
        doc: a Doc processed by ``govmine_quantities``.
        spans_key: the component's ``spans_key``.
        entities: also mark each distinct entity, labelled ``entity``.
        page: a full HTML page instead of a fragment.

    Returns:
        The markup (returned, never displayed: ``jupyter=False``).
    """
    spans = list(doc.spans.get(spans_key, []))
    marks = [(s.start_char, s.end_char, s.label_) for s in spans]
    if entities and Span.has_extension("govmine_fact"):
        ents = {(e.start_char, e.end_char) for e in map(_entity_span, spans) if e is not None}
        marks += [(a, b, ENTITY_LABEL) for a, b in ents]
    cuts = sorted({0, len(doc.text)} | {a for a, _, _ in marks} | {b for _, b, _ in marks})
    index = {c: i for i, c in enumerate(cuts)}
    data = {
        "text": doc.text,
        "tokens": [doc.text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)],
        "spans": [{"start_token": index[a], "end_token": index[b], "label": lab} for a, b, lab in sorted(marks)],
        "title": None,
        "settings": {"lang": doc.lang_, "direction": doc.vocab.writing_system.get("direction", "ltr")},
    }
    colors = {ENTITY_LABEL.upper(): "#c7e9c0", "COUNT": "#fdd0a2", "MONEY": "#fcbba1", "PERCENT": "#c6dbef"}
    return displacy.render(data, style="span", manual=True, jupyter=False, page=page, options={"colors": colors})


# -- govmine_entities: the entity recogniser as a spaCy component ------------------------------------------
#
# nlp.add_pipe("govmine_entities") runs EntityRecognizer.extract on doc.text and puts its mentions on
# doc.ents, labelled PERSON, PLACE, ORG or PROGRAMME. What it assigns:
#
#   doc.ents                  one Span per mention that aligns (see below); a place the gazetteer resolves
#                             gets its path as the span's id (span.id_ == span._.normalized);
#   doc._.govmine_mentions    every Mention of doc.text, exactly what EntityRecognizer.extract returns (also
#                             the ones without a span); None on a Doc the component has not seen;
#   span._.govmine_mention    the Mention of an entity span (None on other spans); span._.normalized,
#                             span._.rule and span._.subtype read from it, and so do the always-present
#                             span._.govmine_normalized, ._.govmine_rule, ._.govmine_subtype (the plain names
#                             are registered only if no other package holds them).
#
# Alignment: doc.char_span(start, end, alignment_mode="expand"). spaCy's default Chinese tokenizer (one token a
# character) keeps every span exact. A coarser tokenizer may grow two neighbouring mentions onto a shared token
# (回民区海|西路街道); the first keeps it and the later one is dropped from doc.ents, logged and counted
# (EntityComponent.stats["overlap"]); it stays on doc._.govmine_mentions. Nothing raises.

ENTITIES_FACTORY_NAME = "govmine_entities"
ENTITY_LABELS = ("PERSON", "PLACE", "ORG", "PROGRAMME")

_MENTION_FIELDS = tuple(f.name for f in fields(Mention))
_MENTION_TAG = "__govmine_mention__"
_MENTIONS_KEY = ("._.", "govmine_mentions", None, None)


def _mention_normalized(span: Span) -> str | None:
    m: Mention | None = span._.govmine_mention
    return None if m is None else m.normalized


def _mention_rule(span: Span) -> str | None:
    m: Mention | None = span._.govmine_mention
    return None if m is None else m.rule


def _mention_subtype(span: Span) -> str | None:
    m: Mention | None = span._.govmine_mention
    return None if m is None else m.subtype


_MENTION_GETTERS: dict[str, Callable[[Span], Any]] = {
    "normalized": _mention_normalized,
    "rule": _mention_rule,
    "subtype": _mention_subtype,
}


def _get_mentions(doc: Doc) -> list[Mention] | None:
    data: dict[Any, Any] = doc.user_data
    mentions = data.get(_MENTIONS_KEY)
    if isinstance(mentions, tuple):  # DocBin reads msgpack arrays back as tuples
        mentions = data[_MENTIONS_KEY] = list(mentions)
    return mentions


def _set_mentions(doc: Doc, mentions: list[Mention] | None) -> None:
    data: dict[Any, Any] = doc.user_data
    data[_MENTIONS_KEY] = None if mentions is None else list(mentions)


def _register_entity_extensions() -> None:
    """Register the entity extensions (idempotent; never overrides another package's)."""
    if not Doc.has_extension("govmine_mentions"):
        Doc.set_extension("govmine_mentions", getter=_get_mentions, setter=_set_mentions)
    if not Span.has_extension("govmine_mention"):
        Span.set_extension("govmine_mention", default=None)
    for name, getter in _MENTION_GETTERS.items():
        prefixed = f"govmine_{name}"
        if not Span.has_extension(prefixed):
            Span.set_extension(prefixed, getter=getter)
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)
        elif Span.get_extension(name)[2] is not getter:
            logger.warning("Span._.%s is taken by another package; read span._.%s", name, prefixed)


def _encode_mention(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, Mention):
        return {_MENTION_TAG: list(astuple(obj))}
    return obj if chain is None else chain(obj)


def _decode_mention(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _MENTION_TAG in obj and len(obj) == 1:
        return Mention(**dict(zip(_MENTION_FIELDS, obj[_MENTION_TAG], strict=True)))
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("govmine_mention", func=_encode_mention)
srsly.msgpack_decoders.register("govmine_mention", func=_decode_mention)


def _expand_context(context: list[str] | tuple[str, ...], gazetteer: Gazetteer | None) -> tuple[str, ...]:
    """The context places plus the city and province of each the gazetteer knows (回民区 adds 呼和浩特市 and
    内蒙古自治区), as the pipeline's EntityStage does for a page."""
    out = [c for c in context if c]
    if gazetteer is not None:
        for place in list(out):
            d = gazetteer.resolve(place)
            if d is not None:
                out.extend(x for x in (d.city, d.province) if x and x not in out)
    return tuple(out)


class EntityComponent:
    """Puts the mentions of ``doc.text`` on ``doc.ents`` and ``doc._.govmine_mentions``.

    Build it through spaCy (``nlp.add_pipe("govmine_entities")``); the comment block above the class says
    what it assigns.

    Args:
        recognizer: the entity recogniser, built once and reused for every Doc.
        name: the component's name in the pipeline.
        context: places every Doc is known to be about (the city of a newspaper), used to resolve ambiguous
            place names (新城区); the gazetteer adds the city and province of each.
        overwrite_ents: replace the Doc's entities (True) or keep them and add only mentions that overlap
            none of them (False, as spaCy's rulers do).
        engine: the segmenter engine ``recognizer`` was built with, when it is a default one; a component
            that knows it pickles as its settings (the rjieba segmenter cannot be pickled).

    Attributes:
        stats: counts since the component was made, in this process: ``docs``, ``mentions``, ``ents`` (spans
            put on ``doc.ents``), ``expanded`` (spans grown to token boundaries), ``unaligned`` (mentions
            without a span), ``overlap`` (mentions whose expanded span overlaps an earlier one's: dropped)
            and ``kept_existing`` (mentions dropped because they overlap an entity the Doc already had).
    """

    def __init__(
        self,
        recognizer: EntityRecognizer,
        *,
        name: str = ENTITIES_FACTORY_NAME,
        context: list[str] | tuple[str, ...] = (),
        overwrite_ents: bool = False,
        engine: str | None = None,
    ) -> None:
        self.recognizer = recognizer
        self.name = name
        self.context = tuple(context)
        self.overwrite_ents = overwrite_ents
        self.engine = engine
        self.stats: Counter[str] = Counter()
        self._context = _expand_context(self.context, recognizer.gazetteer)

    def __reduce__(self) -> str | tuple[Any, ...]:
        if self.engine is None:
            return super().__reduce__()
        return _rebuild_entities, (self.name, list(self.context), self.overwrite_ents, self.engine)

    def __repr__(self) -> str:
        return (
            f"EntityComponent(name={self.name!r}, context={list(self.context)!r}, "
            f"overwrite_ents={self.overwrite_ents!r})"
        )

    def __call__(self, doc: Doc) -> Doc:
        # EntityRecognizer.extract("") raises (its token offsets assume a word); an empty Doc has no mentions
        mentions = self.recognizer.extract(doc.text, context=self._context) if doc.text else []
        existing = [] if self.overwrite_ents else list(doc.ents)
        taken = bytearray(len(doc))  # per token: 1 = an entity the Doc had holds it, 2 = one of ours
        for e in existing:
            taken[e.start : e.end] = b"\x01" * len(e)
        ents: list[Span] = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand", span_id=m.normalized or 0)
            if span is None or not len(span):
                self.stats["unaligned"] += 1
                logger.warning(
                    "%s: no span for %r at %d-%d; it is on doc._.govmine_mentions only",
                    self.name,
                    m.text,
                    m.start,
                    m.end,
                )
                continue
            if any(taken[span.start : span.end]):
                why = "overlap" if 2 in taken[span.start : span.end] else "kept_existing"
                self.stats[why] += 1
                logger.log(
                    logging.WARNING if why == "overlap" else logging.DEBUG,
                    "%s: %s %r at %d-%d (span %r) overlaps an earlier entity; left out of doc.ents",
                    self.name,
                    m.label,
                    m.text,
                    m.start,
                    m.end,
                    span.text,
                )
                continue
            if (span.start_char, span.end_char) != (m.start, m.end):
                self.stats["expanded"] += 1
                logger.debug("%s: %r at %d-%d expanded to token span %r", self.name, m.text, m.start, m.end, span.text)
            taken[span.start : span.end] = b"\x02" * len(span)
            span._.govmine_mention = m
            ents.append(span)
        doc.ents = sorted(existing + ents, key=lambda s: s.start)
        doc._.govmine_mentions = mentions
        self.stats["docs"] += 1
        self.stats["mentions"] += len(mentions)
        self.stats["ents"] += len(ents)
        return doc


@Language.factory(
    ENTITIES_FACTORY_NAME,
    default_config={"context": [], "overwrite_ents": False, "engine": "rjieba"},
    assigns=["doc.ents", "token.ent_type", "token.ent_iob", "doc._.govmine_mentions", "span._.govmine_mention"],
    requires=[],
)
def make_entity_component(
    nlp: Language, name: str, context: list[str], overwrite_ents: bool, engine: str
) -> EntityComponent:
    """spaCy factory of ``govmine_entities``; builds the entity recogniser once, here.

    Args:
        nlp: the pipeline (not used: the component reads ``doc.text``).
        name: the component's name.
        context: place names every Doc is about, to resolve ambiguous places (``["呼和浩特"]``).
        overwrite_ents: replace existing ``doc.ents`` (True) or add to them without overlaps (False).
        engine: ``"rjieba"`` or ``"jieba"``, the recogniser's word segmenter.

    Raises:
        ValueError: an unknown engine.
    """
    if engine not in ENGINES:
        raise ValueError(f"{name}: engine must be one of {ENGINES}, not {engine!r}")
    return _rebuild_entities(name, context, overwrite_ents, engine)


def _rebuild_entities(name: str, context: list[str], overwrite_ents: bool, engine: str) -> EntityComponent:
    _register_entity_extensions()
    recognizer = EntityRecognizer(Segmenter(engine))  # type: ignore[arg-type]
    return EntityComponent(recognizer, name=name, context=context, overwrite_ents=overwrite_ents, engine=engine)


def span_ruler_patterns(gazetteer: Gazetteer | None | bool = True) -> list[dict[str, str]]:
    """The recogniser's fixed names as spaCy ``span_ruler`` / ``entity_ruler`` phrase patterns.

    Only the lexicon part of :class:`~pipeline.extract.entities.EntityRecognizer`: the known people,
    organisations, places and programmes of ``data/entities.toml`` and the province and city names (full and
    short: 内蒙古自治区, 内蒙古, 呼和浩特市, 呼和浩特) of the gazetteer, skipping a short name that is also a
    county's (朝阳), as the recogniser does. Most mentions come from rules that are code and have no pattern
    form: names by suffix (回民区, 和林格尔县检察院, 中山西路), quotations (“红蜂驿站”), people after a role word
    or before a speech verb. A ruler loaded with these patterns finds a fraction of what ``govmine_entities``
    finds; it is for pipelines that want the names without the rules, or to seed a trained NER.

    A pattern matches wherever its characters occur (with the character tokenizer of ``spacy.blank("zh")``, 北京
    also inside 北京路), where the recogniser reads words.

    Args:
        gazetteer: the divisions whose names to add (the packaged one by default; False for none).

    Returns:
        ``{"label", "pattern", "id"}`` dicts, lexicon entries first then gazetteer names by name, one per
        (label, pattern). ``id`` is the gazetteer path of a place it places unambiguously (呼和浩特 and
        呼和浩特市 share ``内蒙古自治区/呼和浩特市``, the recogniser's ``normalized``), else the name itself.
    """
    g: Gazetteer | None = load_gazetteer() if gazetteer is True else (gazetteer or None)
    w = load_entity_words()

    def place_id(name: str) -> str:
        d = g.resolve(name) if g is not None else None
        return d.path if d is not None else name

    out: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, names: Any, ident: Callable[[str], str] = str) -> None:
        for name in sorted(names):
            if (label, name) not in seen:
                seen.add((label, name))
                out.append({"label": label, "pattern": name, "id": ident(name)})

    add("PERSON", w.known_people)
    add("ORG", w.known_orgs)
    add("PLACE", w.known_places, place_id)
    add("PROGRAMME", w.prog_known)
    if g is not None:
        # as rule E3b: a name of two or more Han characters, every division of it a province or a city
        names = [
            n
            for n, divisions in g.index.items()
            if len(n) >= 2
            and divisions
            and all(d.level <= 2 for d in divisions)
            and n not in w.generic_places
            and re.fullmatch(r"[\u4e00-\u9fff·]+", n)
        ]
        add("PLACE", names, place_id)
    return out


# -- themes on doc.cats ------------------------------------------------------------------------------------

THEMES_FACTORY_NAME = "govmine_themes"


class ThemeComponent:
    """Puts the governance-theme scores of ``doc.text`` on ``doc.cats`` (one score per theme code, 0-1),
    from the shipped theme model (:mod:`pipeline.themes`, loaded once, on first use).

    ``doc.cats`` holds every theme's score; the themes whose score reaches the model's per-theme threshold
    are listed in ``doc._.govmine_themes``. A Doc is scored as one text (a clause, a sentence or a short
    article), the way ``pipeline.themes.classify_themes`` scores it.

    Args:
        name: the component's name in the pipeline.
        model_dir: a model folder other than the shipped one (``models/themes``).
    """

    def __init__(self, *, name: str = THEMES_FACTORY_NAME, model_dir: str | None = None) -> None:
        self.name = name
        self.model_dir = model_dir
        self._model: Any = None
        if not Doc.has_extension("govmine_themes"):
            Doc.set_extension("govmine_themes", default=None)

    def __repr__(self) -> str:
        return f"ThemeComponent(name={self.name!r}, model_dir={self.model_dir!r})"

    @property
    def model(self) -> Any:
        if self._model is None:
            from ..themes import load_model

            self._model = load_model(self.model_dir)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Any, batch_size: int = 256) -> Any:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._score(batch)
                batch = []
        if batch:
            yield from self._score(batch)

    def _score(self, docs: list[Doc]) -> list[Doc]:
        todo = [d for d in docs if d.text.strip()]
        scored = dict(zip(map(id, todo), self.model.classify([d.text for d in todo]) if todo else [], strict=True))
        for doc in docs:
            row = scored.get(id(doc), [])  # an empty Doc has no themes
            doc.cats = {s.code: s.score for s in row}
            doc._.govmine_themes = [s.code for s in row if s.selected]
        return docs


@Language.factory(THEMES_FACTORY_NAME, default_config={"model_dir": None})
def make_theme_component(nlp: Language, name: str, model_dir: str | None) -> ThemeComponent:
    """spaCy factory of :class:`ThemeComponent` (``nlp.add_pipe("govmine_themes")``)."""
    return ThemeComponent(name=name, model_dir=model_dir)
