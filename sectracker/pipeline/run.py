"""Run the whole pipeline on one document: from text to deduplicated candidate events.

    segment -> countries -> actors -> places -> dates -> quantities -> classify
            -> assemble -> dedupe (within the document; optionally with sentence embeddings, embed.py)

`analyse_document` runs the stages that annotate the document; `extract_events` adds
assemble and dedupe and returns the candidates. Dates without a year ("on April 8") are
resolved against a reference date: the `published` argument, else the document's own
publication date, else one inferred from the text's own fully written dates (the latest
day of the most-written year; a warning says so). A plain text with no written year at
all keeps its year-less dates unresolved (precision unknown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from sectracker.models import Document, Event, Precision
from sectracker.pipeline.actors import add_actors
from sectracker.pipeline.assemble import assemble_events
from sectracker.pipeline.classify import add_classifications
from sectracker.pipeline.countries import add_countries
from sectracker.pipeline.dates import add_dates, find_dates, usable_reference
from sectracker.pipeline.dedupe import dedupe_document
from sectracker.pipeline.places import add_places
from sectracker.pipeline.quantities import add_quantities
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments

Stage = Callable[[AnalysedDocument], AnalysedDocument]
STAGES: tuple[Stage, ...] = (
    add_segments,
    add_countries,
    add_actors,
    add_places,
    add_dates,
    add_quantities,
    add_classifications,
)


def analyse_document(doc: Document, published: date | None = None) -> AnalysedDocument:
    """The document with every annotating stage run, in order."""
    reference = published or doc.published
    warnings: list[str] = []
    if reference is None:
        reference = infer_reference_date(doc.text)
        if reference is not None:
            warnings.append(
                f"no publication date: year-less dates resolved against {reference}, inferred from the text"
            )
    if reference is not None and usable_reference(reference) is None:
        warnings.append(f"reference date {reference} ignored: too close to the limits of the calendar (years 1-9999)")
        reference = None
    analysed = AnalysedDocument(document=doc, published=reference, warnings=warnings)
    for stage in STAGES:
        analysed = stage(analysed)
    return analysed


def extract_events(doc: Document, published: date | None = None, *, embed: bool | None = None) -> list[Event]:
    """Deduplicated candidate events of one document, in text order.

    `embed` switches on sentence embeddings in dedupe (default: the `embed` setting, off).
    """
    analysed = analyse_document(doc, published)
    return dedupe_document(assemble_events(analysed), [u.segment for u in analysed.units], embed=embed)


def infer_reference_date(text: str) -> date | None:
    """The last day of the most-written year's latest fully dated mention, or None without written years.

    Only dates whose year is written out count (nothing is guessed to find the guess): the year
    written most often is taken as the document's year, and the latest written date within it
    (its last day) as the reference. Ties between years go to the later year.
    """
    spans = [
        (d.date_start, d.date_end)
        for d in find_dates(text, None)
        if d.precision != Precision.unknown and d.date_start is not None and d.date_end is not None
    ]
    years = Counter(start.year for start, end in spans if start.year == end.year)
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    in_year = [end for start, end in spans if start.year == year]
    precise = [d for d in in_year if d.month != 12 or d.day != 31]
    return max(precise) if precise else max(in_year)


def candidate_record(event: Event, shift: int = 0) -> dict[str, Any]:
    """One candidate in the stable output contract of ``sectracker extract`` (see docs/evaluation.md).

    Evidence offsets are Unicode code points into the text as read; `shift` adds what the
    Document dropped in front of it (leading whitespace). `also_in` lists the evidence of
    candidates merged into this one.
    """
    evidence = [s.evidence for s in event.sources if s.evidence]
    main = evidence[0] if evidence else None
    return {
        "id": event.id,
        "category": event.category,
        "countries": list(event.countries),
        "date_start": event.date_start.isoformat() if event.date_start else None,
        "date_end": event.date_end.isoformat() if event.date_end else None,
        "date_precision": event.date_precision.value,
        "actors": list(event.actors),
        "places": [{"name": p.name, "lat": p.lat, "lon": p.lon} for p in event.locations],
        "quantities": [{"value": q.value, "unit": q.unit, "item": q.item, "text": q.text} for q in event.quantities],
        "headline": event.headline,
        "confidence": event.confidence if event.confidence is not None else 0.0,
        "evidence": {"start": main.start + shift, "end": main.end + shift, "text": main.text} if main else None,
        "also_in": [{"start": e.start + shift, "end": e.end + shift} for e in evidence[1:]],
    }
