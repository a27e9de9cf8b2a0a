"""Stage *assemble*: turn classified units into candidate events, one per distinct occurrence.

Reads: every unit with its classification, sentences, countries, actors, places, dates and
quantities (run all earlier stages first), and the document's metadata.
Returns: candidate Events (status candidate), each with its evidence span. This stage adds
no field to the AnalysedDocument: its output is the list of candidates that *dedupe* merges.

How a unit becomes candidates (in the language of security reporting):

1. A unit the classifier abstained on gives nothing.
2. The unit is read sentence by sentence (``sentences.py``). The lead and what follows
   form one occurrence until a sentence reports a *further* occurrence: a reporting
   sentence about China (or about no foreign country) that carries its own incident date
   (a day, a month, "early April") when the occurrence so far already has a dated report
   and either a different incident date (with an activity, country, actor or place of its
   own: "The NPC approved the budget on 13 March" is a later step, not a new occurrence) or
   the sentence says so ("also", "another", "Meanwhile", "one day after"); or an undated
   such sentence with a Chinese actor and
   new countries or its own activity ("also donated", "followed by the failure of...").
   Period summaries ("between January and June") and background ("in 2017", three years
   before the document) never split; outside a headlined item, an occurrence dated by
   background alone is history told as context and gives no candidate.
3. Occurrences of the bilateral kinds (port calls and exercises, aid, medical teams,
   peacekeeping) that name several counterpart countries with a plural or repeated event
   noun ("five joint exercises ... with Tanzania, Pakistan..."), and occurrences naming
   several numbered formations ("the 34th and 35th escort task forces"), give one
   candidate per country or formation.
4. An occurrence needs something specific to stand on: a date, a number, a place, a
   counterpart country or a named actor more specific than "the PLA" or "China". China
   must act in it (China or a Chinese actor acting in its reporting sentences, unless the
   unit sits under a tracker heading that names a codebook category), and it must be in
   its category's security scope (``scope`` in the rules file: aid goes to a military, a
   meeting has a defence or security side...). A later occurrence whose own cues point to
   another category, and have none of the unit's, takes that category.
5. Each candidate gets: its category; counterpart countries (never China) from its
   reporting sentences and, for a unit's first occurrence, the lead (and for visits and
   deployments abroad the host country of the port, base or city); the most precise date
   of its first dated reporting sentence, background and far-future dates left out, as are
   a news dateline's date and, in running text, the day something was said ("told reporters
   on Wednesday"), which date the report (an undated occurrence takes the period its unit's
   first occurrence covers); actors, places (capitals standing for
   governments are not places) and quantities inside its evidence; a headline (the item's
   lead, or the first reporting sentence, trimmed); a confidence (the classification's,
   lowered when date, where or who are missing); and a stable id from the document id and
   the evidence span.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import PurePath

from sectracker.codebook import load_codebook
from sectracker.countries.codes import country_name
from sectracker.models import Event, Evidence, Location, Precision, Quantity, Source, slug_id
from sectracker.pipeline.actors import actor_kind
from sectracker.pipeline.classify import (
    apply_exclusions,
    category_cue_hits,
    cue_hits,
    involves_china,
    score_sentences,
    section_category,
)
from sectracker.pipeline.dates import usable_reference
from sectracker.pipeline.phrases import PhraseMatcher
from sectracker.pipeline.places import is_disputed
from sectracker.pipeline.records import AnalysedDocument, DateMention, PlaceMention, Unit
from sectracker.pipeline.rules import load_rules
from sectracker.pipeline.sentences import SentenceProfile, names_a_source, profile_unit

STAGE = "assemble"
STAGE_VERSION = "1"

SPLIT_BY_COUNTRY = frozenset(
    {
        "diplomacy.exercises_port_calls",
        "diplomacy.aid_training",
        "projection.humanitarian",
        "projection.peacekeeping",
    }
)
HOSTED = frozenset(
    {"diplomacy.exercises_port_calls", "projection.humanitarian", "projection.peacekeeping", "projection.logistics"}
)
HOST_KINDS = frozenset({"port", "base", "city"})
GENERIC_ACTORS = frozenset({"pla", "ccp"})  # too general to make an occurrence specific
INCIDENT_DAYS = 31  # a date at most this wide marks an incident, not a period
BACKGROUND_DAYS = 550  # a date ending this long before the reference is background
HEADLINE_CHARS = 160
STATEMENT_DATE_REACH = 32  # a date this close after "said" or "told reporters" dates the saying
_MULTILATERAL = re.compile(r"\b(?:multilateral|trilateral|quadrilateral|jointly with|among|between the)\b", re.I)
_VENUE = re.compile(r"\b(?:in|at|near|outside|around|inside)\s+(?:the\s+)?$", re.I)
# A news dateline: a place in capitals, its date, an optional agency, then a dash ("MANILA, March 6 (Wire) -").
DATELINE_REACH = 200  # characters before a date within which its line must start for a dateline
_DATELINE_PLACE = re.compile(r"\s*[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z .]{1,30})?,\s*")
_DATELINE_END = re.compile(r"(?:,?\s*\d{4})?\s*(?:\([^)]{1,40}\))?\s*[-–—:]")
_ORDINALS = re.compile(
    r"\b(\d{1,3})(?:st|nd|rd|th)(?:,\s*\d{1,3}(?:st|nd|rd|th))*,?\s+and\s+(\d{1,3})(?:st|nd|rd|th)\b"
)


@dataclass
class Occurrence:
    """Sentences of one unit that report one occurrence."""

    sentences: list[SentenceProfile] = field(default_factory=list)
    first_of_unit: bool = False
    headline: bool = False  # the unit opens with a headline sentence ("Headline. Body...")

    @property
    def reporting(self) -> list[SentenceProfile]:
        """Sentences that report, and the unit's headline when it is not commentary."""
        return [s for s in self.sentences if s.reports or (s.lead and self.headline and s.plain)]


def assemble_events(doc: AnalysedDocument) -> list[Event]:
    """Candidate events for every classified unit of the document, in text order."""
    reference = doc.published or usable_reference(doc.document.published)
    events: list[Event] = []
    for unit in doc.units:
        if unit.classification is None or unit.classification.category is None:
            continue
        events += unit_events(doc, unit, reference)
    return events


def unit_events(doc: AnalysedDocument, unit: Unit, reference: date | None) -> list[Event]:
    """Candidate events of one classified unit."""
    text = doc.document.text
    if not involves_china(unit):
        return []
    occurrences = [o for o in split_occurrences(unit, profile_unit(unit, text), reference) if o.reporting]
    occurrences = [o for o in occurrences if _is_specific(unit, o, text)]
    later = {c for o in occurrences if not o.first_of_unit for c in occurrence_countries(unit, o, text)}
    frame = _period(unit, occurrences[0], reference) if occurrences else None
    events: list[Event] = []
    tracker_section = section_category(unit.segment.section) is not None
    for occ in occurrences:
        if not tracker_section and not any(s.china for s in occ.reporting):
            continue  # China does not act in this occurrence (a tracker's heading would imply it does)
        if unit.segment.lead_end is None and _only_background(unit, occ, reference):
            continue  # "Beijing seized the shoal in 2012": history told as background, not news
        category = occurrence_category(unit, occ, text)
        if not in_scope(category, unit, occ, text):
            continue
        countries = occurrence_countries(unit, occ, text, exclude_from_lead=later, category=category)
        when = occurrence_date(unit, occ, reference) or frame
        for variant in _variants(occ, text, category, countries):
            events.append(_event(doc, unit, occ, variant, when, category))
    return events


def in_scope(category: str, unit: Unit, occ: Occurrence, text: str) -> bool:
    """Whether the occurrence is a security occurrence of its category (``scope`` in the rules file)."""
    scope = load_rules().scope.get(category)
    if scope is None:
        return True
    start, end = _evidence_span(occ)
    if scope.actor_kinds and any(actor_kind(m.actor) in scope.actor_kinds for m in unit.inside("actors", start, end)):
        return True
    if scope.disputed_places and any(is_disputed(p.name) for p in unit.inside("places", start, end)):
        return True
    lead = unit.segment.sentences[0] if unit.segment.sentences else (unit.segment.start, unit.segment.end)
    passages = [text[s.start : s.end] for s in occ.reporting] + [text[lead[0] : lead[1]], unit.segment.section or ""]
    matcher = _scope_matcher(category)
    return any(h.value for p in passages if p for h in matcher.find(p))


@lru_cache(maxsize=32)
def _scope_matcher(category: str) -> PhraseMatcher[str | None]:
    rules = load_rules()
    blockers: list[tuple[str, str | None]] = [(b, None) for b in rules.scope_blockers]
    return PhraseMatcher([*((w, w) for w in rules.scope[category].words), *blockers])


def occurrence_category(unit: Unit, occ: Occurrence, text: str) -> str:
    """The unit's category, unless a later occurrence has no cue of it and its own cues point elsewhere."""
    category = unit.classification.category if unit.classification else None
    assert category is not None
    if occ.first_of_unit:
        return category
    own = score_sentences(text, occ.reporting)
    if not own or own.get(category, 0.0) > 0:
        return category
    best = max(own, key=lambda k: (own[k], k))
    if own[best] < load_rules().weights["min_score"]:
        return category
    return apply_exclusions(best, unit, text, occ.reporting)[0]


# -- occurrences --------------------------------------------------------------------------------


def split_occurrences(unit: Unit, profiles: list[SentenceProfile], reference: date | None) -> list[Occurrence]:
    """The unit's sentences grouped into occurrences (see the module docstring, rule 2)."""
    if not profiles:
        return []
    headline = unit.segment.lead_end is not None
    current = _Grouping(unit, reference, Occurrence(first_of_unit=True, headline=headline))
    current.add(profiles[0])
    out = [current.occurrence]
    for s in profiles[1:]:
        if current.starts_new(s):
            current = _Grouping(unit, reference, Occurrence(headline=headline))
            out.append(current.occurrence)
        current.add(s)
    return out


@dataclass
class _Grouping:
    """The occurrence being grouped, with what its sentences so far report.

    Kept up to date as each sentence joins, so that deciding on the next sentence does not
    go through all the earlier ones again (a long paragraph would cost the square of its length).
    """

    unit: Unit
    reference: date | None
    occurrence: Occurrence
    body_reports: bool = False  # a reporting sentence other than the headline
    dated_report: bool = False  # ... with a date of the occurrence
    incidents: list[DateMention] = field(default_factory=list)  # incident dates of its reporting sentences
    words: set[str] = field(default_factory=set)  # lowercase cue words of its sentences
    things: set[str] = field(default_factory=set)  # actors, places and countries named in its sentences
    foreign: set[str] = field(default_factory=set)  # foreign countries named outside the lead

    def add(self, s: SentenceProfile) -> None:
        self.occurrence.sentences.append(s)
        dates = _occurrence_dates(self.unit, s)
        if s.reports and not (s.lead and self.occurrence.headline):
            self.body_reports = True
            self.dated_report = self.dated_report or bool(dates)
        if s.reports:
            self.incidents += [d for d in dates if _is_incident(d, self.reference)]
        words, things = _named(self.unit, s)
        self.words |= words
        self.things |= things
        if not s.lead:
            self.foreign |= _foreign_countries(self.unit, s)

    def starts_new(self, s: SentenceProfile) -> bool:
        """Whether the sentence reports another occurrence than the one grouped so far."""
        unit = self.unit
        foreign = _foreign_countries(unit, s)
        if not s.reports or (foreign and not s.china) or not self.body_reports:
            return False
        incidents = [d for d in _occurrence_dates(unit, s) if _is_incident(d, self.reference)]
        if incidents:
            if s.additive:
                return True
            words, things = _named(unit, s)
            if not (words - self.words or things - self.things):
                return False  # "The NPC approved the budget on 13 March": a later step of the same occurrence
            if self.incidents:
                return not any(_overlap(incidents[0], k) for k in self.incidents)
            return self.dated_report
        if s.additive and s.china:
            return bool(foreign - self.foreign) or bool(_activity_cues(unit, s))
        return False


def _named(unit: Unit, s: SentenceProfile) -> tuple[set[str], set[str]]:
    """The sentence's lowercase cue words, and the actors, places and foreign countries it names."""
    words = {w for phrase, _k in _sentence_cues(unit, s) if phrase.islower() for w in phrase.split()}
    things = {m.actor for m in unit.inside("actors", s.start, s.end)}
    things |= {pl.name for pl in unit.inside("places", s.start, s.end)}
    things |= _foreign_countries(unit, s)
    return words, things


def _sentence_cues(unit: Unit, s: SentenceProfile) -> list[tuple[str, str]]:
    """Cues as written in the sentence (names are compared as actors, places and countries instead)."""
    sentence = unit.segment.text[s.start - unit.segment.start : s.end - unit.segment.start]
    return cue_hits(sentence)


def _occurrence_dates(unit: Unit, s: SentenceProfile) -> list[DateMention]:
    """The sentence's dates, less one that only dates a statement ("confirmed in January that...")."""
    return [d for d in _dates_in(unit, s) if not _dates_statement(s, d)]


def _dates_statement(s: SentenceProfile, d: DateMention) -> bool:
    """Whether the date right after a reporting verb dates the statement ("said yesterday that...")."""
    return s.statement_at is not None and s.statement_at < d.start <= s.statement_at + 16


def _activity_cues(unit: Unit, s: SentenceProfile) -> list[str]:
    """Lowercase cues of any category in the sentence: words for something done ("donated", "rockets")."""
    sentence = unit.segment.text[s.start - unit.segment.start : s.end - unit.segment.start]
    return [phrase for phrase, _key in cue_hits(sentence, activities_only=True)]


# -- variants: one candidate per country or formation -------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One candidate out of an occurrence: all its countries, or one of them, or one formation."""

    countries: tuple[str, ...]
    label: str | None = None  # what distinguishes this variant in the headline and id


def _variants(occ: Occurrence, text: str, category: str, countries: list[str]) -> list[Variant]:
    if category in SPLIT_BY_COUNTRY and len(countries) >= 2 and _plural_event(occ, text, category):
        return [Variant((c,), country_name(c)) for c in countries]
    for s in occ.reporting:
        m = _ORDINALS.search(text, s.start, s.end)
        if m:
            numbers = re.findall(r"\d{1,3}(?=st|nd|rd|th)", m.group(0))
            return [Variant(tuple(countries), f"{n}{_suffix(int(n))}") for n in numbers]
    return [Variant(tuple(countries))]


def _plural_event(occ: Occurrence, text: str, category: str) -> bool:
    """Whether the occurrence speaks of several events of its kind ("port calls", two "medical team")."""
    if any(_MULTILATERAL.search(text, s.start, s.end) for s in occ.reporting):
        return False
    nouns = _event_nouns()
    hits = [
        h
        for s in occ.reporting
        for h in category_cue_hits(text[s.start : s.end], category)
        if h.lower().rsplit(" ", 1)[-1] in nouns  # "port calls", "medical team"; not "navies"
    ]
    return len(hits) >= 2 or any(h.lower().endswith("s") and not h.lower().endswith("ss") for h in hits)


@lru_cache(maxsize=1)
def _event_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in load_rules().sentences["event_nouns"])


def _suffix(n: int) -> str:
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


# -- fields of a candidate ----------------------------------------------------------------------


def occurrence_countries(
    unit: Unit,
    occ: Occurrence,
    text: str,
    exclude_from_lead: set[str] | frozenset[str] = frozenset(),
    category: str | None = None,
) -> list[str]:
    """Counterpart countries (sorted ISO3, never CHN) named in the occurrence's reporting sentences.

    The unit's lead counts for its first occurrence only, less the countries that later
    occurrences of the unit report themselves (a headline sums up every occurrence). For
    visits and deployments abroad (``HOSTED``), the country of a port, base or city where
    they took place is a counterpart too ("a port call at Colombo").
    """
    found: set[str] = set()
    for s in occ.reporting:
        if s.lead and occ.headline:
            if occ.first_of_unit:
                found |= _foreign_countries(unit, s, text) - set(exclude_from_lead)
        else:
            found |= _foreign_countries(unit, s, text)
        if category in HOSTED:
            found |= {p.iso3 for p in unit.inside("places", s.start, s.end) if p.kind in HOST_KINDS and p.iso3} - {
                "CHN"
            }
    return sorted(found)


def _foreign_countries(unit: Unit, s: SentenceProfile, text: str | None = None) -> set[str]:
    """Foreign countries named in the sentence; with `text`, not those naming a source ("British newspaper")."""
    return {
        m.iso3
        for m in unit.inside("countries", s.start, s.end)
        if m.iso3 != "CHN" and (text is None or not names_a_source(text, m.end))
    }


def _dates_in(unit: Unit, s: SentenceProfile) -> list[DateMention]:
    return [d for d in unit.inside("dates", s.start, s.end) if d.date_start is not None and not _is_dateline(unit, d)]


def _is_dateline(unit: Unit, d: DateMention) -> bool:
    """Whether the date sits in a news dateline ("MANILA, March 6 (Reuters) -"): it dates the report, not the event."""
    seg = unit.segment
    pos = d.start - seg.start
    # A dateline place is short: looking back further for the line's start would make a long
    # single-line text cost the square of its length.
    newline = seg.text.rfind("\n", max(0, pos - DATELINE_REACH), pos)
    if newline < 0 and pos > DATELINE_REACH:
        return False
    before = seg.text[newline + 1 : pos]
    return bool(_DATELINE_PLACE.fullmatch(before)) and bool(_DATELINE_END.match(seg.text, d.end - seg.start))


def _is_incident(d: DateMention, reference: date | None) -> bool:
    if d.date_start is None or d.date_end is None:
        return False
    return (d.date_end - d.date_start).days < INCIDENT_DAYS and not _is_background(d, reference)


def _is_background(d: DateMention, reference: date | None) -> bool:
    if d.date_end is None:
        return True  # "since 2017" opens a period; it does not date an occurrence
    return reference is not None and d.date_end < reference - timedelta(days=BACKGROUND_DAYS)


def _only_background(unit: Unit, occ: Occurrence, reference: date | None) -> bool:
    """Whether every date the occurrence's reporting sentences give lies long before the reference."""
    if reference is None:
        return False
    dates = [d for s in occ.reporting for d in _dates_in(unit, s)]
    limit = reference - timedelta(days=BACKGROUND_DAYS)
    return bool(dates) and all((d.date_end or d.date_start or limit) < limit for d in dates)


def _overlap(a: DateMention, b: DateMention) -> bool:
    assert a.date_start and a.date_end and b.date_start and b.date_end
    return a.date_start <= b.date_end and b.date_start <= a.date_end


def occurrence_date(unit: Unit, occ: Occurrence, reference: date | None) -> DateMention | None:
    """The date of the first reporting sentence that has one (the headline last), its most precise one.

    The sentence that introduces an occurrence dates it; later sentences add background or
    reactions ("The US ambassador said yesterday..."). Background and far-future dates never count.
    """
    ordered = sorted(occ.reporting, key=lambda s: (s.lead and occ.headline, s.start))
    for s in ordered:
        usable = [d for d in _dates_in(unit, s) if not _is_background(d, reference)]
        if reference is not None:
            usable = [d for d in usable if d.date_start and d.date_start <= reference + timedelta(days=45)]
        told = [d for d in usable if not _dates_speech(s, d)]  # "told reporters on Wednesday" dates the telling
        if not told and unit.segment.lead_end is None and unit.segment.kind == "paragraph":
            continue  # in running text, the day something was said does not date what was done
        if usable:
            return min(told or usable, key=lambda d: (_width(d), d.start))
    return None


def _dates_speech(s: SentenceProfile, d: DateMention) -> bool:
    """Whether the date right after a verb of saying dates the saying ("said on Sunday that...")."""
    return s.speech_at is not None and s.speech_at < d.start <= s.speech_at + STATEMENT_DATE_REACH


def _width(d: DateMention) -> int:
    return (d.date_end - d.date_start).days if d.date_end and d.date_start else 9999


def _period(unit: Unit, first: Occurrence, reference: date | None) -> DateMention | None:
    """The period the unit's first occurrence covers ("between January and June"), which frames the others."""
    periods = [
        d
        for s in first.reporting
        for d in _dates_in(unit, s)
        if not _is_background(d, reference) and _width(d) >= INCIDENT_DAYS
    ]
    return min(periods, key=lambda d: d.start) if periods else None


def _is_specific(unit: Unit, occ: Occurrence, text: str) -> bool:
    """Whether the occurrence names a date, number, place, counterpart or specific actor."""
    for s in occ.reporting:
        inside = unit.inside("dates", s.start, s.end) + unit.inside("quantities", s.start, s.end)
        places = [p for p in unit.inside("places", s.start, s.end) if _is_location(unit, p, text)]
        actors = {m.actor for m in unit.inside("actors", s.start, s.end)} - GENERIC_ACTORS
        if inside or places or actors or _foreign_countries(unit, s, text):
            return True
    return False


def _is_location(unit: Unit, place: PlaceMention, text: str) -> bool:
    """A place is a location unless its name stands for a government ("Beijing blocked...")."""
    metonym = any(c.form == "capital" for c in unit.inside("countries", place.start, place.start + 1))
    return not metonym or bool(_VENUE.search(text, max(0, place.start - 12), place.start))


def _evidence_span(occ: Occurrence) -> tuple[int, int]:
    """From the occurrence's first sentence to its last reporting one (trailing commentary left out)."""
    reporting = occ.reporting
    return occ.sentences[0].start, (reporting[-1].end if reporting else occ.sentences[0].end)


def _event(
    doc: AnalysedDocument, unit: Unit, occ: Occurrence, variant: Variant, when: DateMention | None, category: str
) -> Event:
    text = doc.document.text
    start, end = _evidence_span(occ)
    evidence = Evidence(start=start, end=end, text=text[start:end], document_id=doc.document.id)
    places = {p.name: p for p in unit.inside("places", start, end) if _is_location(unit, p, text)}
    classification = unit.classification
    assert classification is not None and classification.category is not None
    parts = [doc.document.id, f"{start}:{end}"] + ([variant.label] if variant.label else [])
    return Event(
        id=slug_id(*parts),
        headline=_headline(text, unit, occ, variant),
        category=category,
        date_start=when.date_start if when else None,
        date_end=when.date_end if when else None,
        date_precision=when.precision if when else Precision.unknown,
        actors=sorted({m.actor for m in unit.inside("actors", start, end)}),
        countries=list(variant.countries),
        locations=[Location(name=p.name, lat=p.lat, lon=p.lon, precision=p.precision) for p in places.values()],
        quantities=_quantities(unit, start, end),
        confidence=_confidence(classification.confidence, when, variant, places, unit, start, end),
        sources=[_source(doc, evidence)],
        codebook_version=load_codebook().version,
    )


def _quantities(unit: Unit, start: int, end: int) -> list[Quantity]:
    return [
        Quantity(value=q.value, unit=q.unit, item=q.item, text=q.text) for q in unit.inside("quantities", start, end)
    ]


def _confidence(
    base: float,
    when: DateMention | None,
    variant: Variant,
    places: Mapping[str, object],
    unit: Unit,
    start: int,
    end: int,
) -> float:
    """The classification's confidence, lowered by 0.1 for each of when, where and who that is missing."""
    who = bool(unit.inside("actors", start, end))
    missing = sum(1 for present in (when is not None, bool(variant.countries or places), who) if not present)
    return round(max(0.05, min(1.0, base) * (1.0 - 0.1 * missing)), 3)


def _headline(text: str, unit: Unit, occ: Occurrence, variant: Variant) -> str:
    lead_end = unit.segment.lead_end
    if occ.first_of_unit and lead_end is not None:
        base = text[unit.segment.start : lead_end]
    else:
        first = occ.reporting[0] if occ.reporting else occ.sentences[0]
        base = text[first.start : first.end]
    base = " ".join(base.split()).strip(" .:;")
    if len(base) > HEADLINE_CHARS:
        base = base[:HEADLINE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "..."
    if variant.label:
        base = f"{base} ({variant.label})"
    return base if len(base) >= 3 else f"{base} (event)"


def _source(doc: AnalysedDocument, evidence: Evidence) -> Source:
    d = doc.document
    title = d.title or (PurePath(d.path).name if d.path else None) or d.url or d.id
    return Source(title=title[:300], publisher=d.publisher, url=d.url, published=d.published, evidence=evidence)
