"""The same extraction built from off-the-shelf parts: the baseline for the pipeline benchmark (issue 3).

    spaCy blank English pipeline: tokenizer + sentencizer
      + entity_ruler over our gazetteers (countries, actors, places)
      + a PhraseMatcher over the codebook cues (classification by the category with most cues)
    dateparser.search.search_dates   dates, resolved against the publication date
    quantulum3.parser.parse           numbers with units

No downloaded model: `spacy.blank("en")` only. The gazetteers are read from the same data files the
pipeline uses (pycountry names, gazetteers/countries.yaml, gazetteers/places.yaml, actors/actors.yaml,
the codebook cues), so both sides look for the same phrases. Candidates are sentences with a codebook
cue and a non-Chinese country or a Chinese actor, carrying the dates and quantities inside them. It
does less than our pipeline (no commentary filter, no date ranges or precision, no dedupe), so the
speed ratio it gives is, if anything, in the baseline's favour.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry
import yaml

from sectracker.actors.loader import load_actors
from sectracker.codebook import load_codebook
from sectracker.pipeline.places import load_places


@dataclass
class BaselineCandidate:
    """One candidate event found by the baseline: a sentence and what was found in it."""

    start: int
    end: int
    category: str
    countries: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    quantities: list[str] = field(default_factory=list)


def gazetteer_patterns() -> list[dict[str, Any]]:
    """Entity-ruler phrase patterns: COUNTRY (id ISO3), ACTOR (id actor id), PLACE (id place name)."""
    patterns: list[dict[str, Any]] = []
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," not in value and "(" not in value:
                patterns.append({"label": "COUNTRY", "pattern": value, "id": c.alpha_3})
    raw = resources.files("sectracker.pipeline").joinpath("gazetteers/countries.yaml").read_text(encoding="utf-8")
    for iso3, entry in yaml.safe_load(raw)["countries"].items():
        for key in ("names", "adj", "dem"):
            for phrase in entry.get(key) or []:
                patterns.append({"label": "COUNTRY", "pattern": phrase, "id": iso3})
    for place in load_places():
        for phrase in (place.name, *place.aliases):
            patterns.append({"label": "PLACE", "pattern": phrase, "id": place.capital_of or place.name})
    for actor in load_actors().values():
        for phrase in {actor.name, *actor.aliases}:
            patterns.append({"label": "ACTOR", "pattern": phrase, "id": actor.id})
    return patterns


@lru_cache(maxsize=1)
def build_nlp() -> Any:
    """The blank English pipeline with a sentencizer, the entity ruler and the codebook cue matcher."""
    import spacy
    from spacy.matcher import PhraseMatcher

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    ruler.add_patterns(gazetteer_patterns())
    cues = PhraseMatcher(nlp.vocab, attr="LOWER")
    for category in load_codebook().categories:
        cues.add(category.key, [nlp.make_doc(c) for c in category.cues])
    return nlp, cues


def _quantities(text: str) -> list[tuple[int, int, str]]:
    from quantulum3 import parser

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(q.span[0], q.span[1], q.surface) for q in parser.parse(text)]


def _dates(text: str, published: date | None) -> list[tuple[int, int, str]]:
    from dateparser.search import search_dates

    base = datetime.combine(published, datetime.min.time()) if published else None
    settings = {"RELATIVE_BASE": base} if base else None
    found = search_dates(text, languages=["en"], settings=settings) or []
    spans, cursor = [], 0
    for phrase, when in found:  # search_dates gives no offsets: find each phrase in order
        start = text.find(phrase, cursor)
        if start < 0:
            start = text.find(phrase)
        if start >= 0:
            spans.append((start, start + len(phrase), when.date().isoformat()))
            cursor = start + len(phrase)
    return spans


def extract_baseline(text: str, published: date | None = None) -> list[BaselineCandidate]:
    """Candidate events of one text, found with spaCy, dateparser and quantulum3."""
    nlp, cue_matcher = build_nlp()
    doc = nlp(text)
    cues_by_sentence: dict[int, dict[str, int]] = {}
    for match_id, start, _end in cue_matcher(doc):
        sent = doc[start].sent.start_char
        counts = cues_by_sentence.setdefault(sent, {})
        key = nlp.vocab.strings[match_id]
        counts[key] = counts.get(key, 0) + 1
    dates = _dates(text, published)
    quantities = _quantities(text)
    out = []
    for sent in doc.sents:
        counts = cues_by_sentence.get(sent.start_char)
        if not counts:
            continue
        cand = BaselineCandidate(sent.start_char, sent.end_char, max(counts, key=lambda k: (counts[k], k)))
        for ent in sent.ents:
            if ent.label_ == "COUNTRY" and ent.ent_id_ != "CHN":
                cand.countries.append(ent.ent_id_)
            elif ent.label_ == "ACTOR":
                cand.actors.append(ent.ent_id_)
            elif ent.label_ == "PLACE":
                cand.places.append(ent.ent_id_)
        if not (cand.countries or cand.actors):
            continue
        cand.dates = [d for s, e, d in dates if s >= cand.start and e <= cand.end]
        cand.quantities = [q for s, e, q in quantities if s >= cand.start and e <= cand.end]
        out.append(cand)
    return out
