"""Stage *dedupe*: merge candidates that report the same occurrence, keeping all their evidence.

Reads: candidate Events (from *assemble*, of one document or many) and, optionally, the
events already in the store.
Returns: a DedupeResult: the new events (merged among themselves), and the existing events
that gained evidence from a candidate (with the candidate's sources added), so that the
caller stores each occurrence once.

Two events report the same occurrence when all of these hold:

* same codebook category, and not two candidates split on purpose from one passage
  (one per country or formation: they share their evidence span);
* compatible countries: the same set, or one set contained in the other (a summary line
  that names no country repeats the full report that does);
* compatible dates: overlapping ranges, or at least one undated;
* similar wording: the headlines or evidence texts are close (rapidfuzz token-set ratio
  of at least ``SIMILAR`` on headlines, ``SIMILAR_EVIDENCE`` on evidence), or they share a
  telling quantity (same value and item, e.g. "46 countries") and their wording is at
  least loosely alike (``LOOSE``).

The richer event is kept as the merged record (the longer evidence; ties go to the higher
confidence, then to the earlier one); the other's sources are appended, its countries,
actors, places and quantities added, and its dates used when the kept one has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from sectracker.models import Event, Source

STAGE = "dedupe"
STAGE_VERSION = "1"

SIMILAR = 85.0
SIMILAR_EVIDENCE = 80.0
LOOSE = 40.0


@dataclass
class DedupeResult:
    """New events (each occurrence once) and existing events that gained evidence."""

    new: list[Event] = field(default_factory=list)
    updated: list[Event] = field(default_factory=list)
    merged: int = 0


def same_occurrence(a: Event, b: Event) -> bool:
    """Whether two events report the same occurrence (see the module docstring)."""
    if a.category != b.category or _same_evidence(a, b):
        return False
    ca, cb = set(a.countries), set(b.countries)
    if not (ca <= cb or cb <= ca):
        return False
    if (
        a.date_start
        and b.date_start
        and a.date_end
        and b.date_end
        and (a.date_start > b.date_end or b.date_start > a.date_end)
    ):
        return False
    return _similar(a, b)


def _same_evidence(a: Event, b: Event) -> bool:
    """Candidates split from one passage on purpose (one per country or formation) share their evidence."""
    ea = a.sources[0].evidence if a.sources else None
    eb = b.sources[0].evidence if b.sources else None
    return bool(ea and eb and (ea.document_id, ea.start, ea.end) == (eb.document_id, eb.start, eb.end))


def _similar(a: Event, b: Event) -> bool:
    if fuzz.token_set_ratio(a.headline.lower(), b.headline.lower()) >= SIMILAR:
        return True
    ea, eb = _evidence_text(a), _evidence_text(b)
    if ea and eb and fuzz.token_set_ratio(ea.lower(), eb.lower()) >= SIMILAR_EVIDENCE:
        return True
    shared = {(q.value, (q.item or "").lower()) for q in a.quantities if q.item} & {
        (q.value, (q.item or "").lower()) for q in b.quantities if q.item
    }
    return bool(shared) and fuzz.token_set_ratio(ea.lower(), eb.lower()) >= LOOSE


def _evidence_text(e: Event) -> str:
    return " ".join(s.evidence.text for s in e.sources if s.evidence)


def _weight(e: Event) -> tuple[int, float]:
    length = max((s.evidence.end - s.evidence.start for s in e.sources if s.evidence), default=0)
    return length, e.confidence or 0.0


def merge(keep: Event, other: Event) -> Event:
    """`keep` with `other`'s evidence and details added (no evidence is ever dropped)."""
    sources = list(keep.sources) + [s for s in other.sources if not _has_source(keep.sources, s)]
    update: dict[str, object] = {
        "sources": sources,
        "countries": sorted(set(keep.countries) | set(other.countries)),
        "actors": sorted(set(keep.actors) | set(other.actors)),
        "locations": keep.locations + [loc for loc in other.locations if loc not in keep.locations],
        "quantities": keep.quantities + [q for q in other.quantities if q not in keep.quantities],
        "confidence": max(keep.confidence or 0.0, other.confidence or 0.0),
    }
    if keep.date_start is None and other.date_start is not None:
        update |= {"date_start": other.date_start, "date_end": other.date_end, "date_precision": other.date_precision}
    return keep.model_copy(update=update)


def _has_source(sources: Sequence[Source], s: Source) -> bool:
    return any(x.title == s.title and x.url == s.url and x.evidence == s.evidence for x in sources)


def dedupe_events(candidates: Sequence[Event], existing: Sequence[Event] = ()) -> DedupeResult:
    """Merge candidates among themselves, then into matching existing events."""
    result = DedupeResult()
    pending: list[Event] = []
    for cand in candidates:
        for i, kept in enumerate(pending):
            if same_occurrence(kept, cand):
                pending[i] = merge(kept, cand) if _weight(kept) >= _weight(cand) else merge(cand, kept)
                result.merged += 1
                break
        else:
            pending.append(cand)
    updated: dict[str, Event] = {}
    for cand in pending:
        match = next((e for e in existing if same_occurrence(updated.get(e.id, e), cand)), None)
        if match is None:
            result.new.append(cand)
        else:
            updated[match.id] = merge(updated.get(match.id, match), cand)
            result.merged += 1
    result.updated = list(updated.values())
    return result


def dedupe_document(candidates: Sequence[Event]) -> list[Event]:
    """The candidates of one document with those reporting the same occurrence merged, in text order."""
    merged = dedupe_events(candidates).new
    return sorted(merged, key=lambda e: e.sources[0].evidence.start if e.sources and e.sources[0].evidence else 0)
