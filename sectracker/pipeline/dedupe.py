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
  least loosely alike (``LOOSE``); optionally (the ``embed`` setting, off by default) their
  evidence texts (all of an event's evidence, joined, as for rapidfuzz) have a sentence-embedding
  cosine similarity of at least ``SIMILAR_EMBEDDING`` (see ``embed.py``).

Within one document, a paragraph that follows up an earlier paragraph's report is the same
occurrence too, however differently worded (news articles tell an incident in a lead, then in
details, quotes and the other side's statement; a transcript in a question and its answer):
same category, compatible countries sharing one (or else an actor or a place), no two
different places, and compatible dates (one undated, or overlapping ranges, never two
different days). Only
separate plain paragraphs merge this way: occurrences split from one passage, or from list
items and headlined entries of a tracker, are distinct on purpose.

The richer event is kept as the merged record (the longer evidence; ties go to the higher
confidence, then to the earlier one); the other's sources are appended, its countries,
actors, places and quantities added, and its dates used when the kept one has none.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from sectracker.models import Event, Precision, Source
from sectracker.pipeline.embed import Embedder, configured_embedder
from sectracker.pipeline.records import Segment

STAGE = "dedupe"
STAGE_VERSION = "1"

SIMILAR = 85.0
SIMILAR_EVIDENCE = 80.0
LOOSE = 40.0
# Above the closest pair of distinct gold events that the other conditions would merge (0.713:
# two deliveries of one tank model in the seed edition), with a margin; see docs/evaluation.md.
SIMILAR_EMBEDDING = 0.75


@dataclass
class DedupeResult:
    """New events (each occurrence once) and existing events that gained evidence."""

    new: list[Event] = field(default_factory=list)
    updated: list[Event] = field(default_factory=list)
    merged: int = 0


def same_occurrence(a: Event, b: Event, embedder: Embedder | None = None) -> bool:
    """Whether two events report the same occurrence (see the module docstring); `embedder` adds meaning."""
    if a.category != b.category or _same_evidence(a, b):
        return False
    if not compatible(set(a.countries), a.date_start, a.date_end, set(b.countries), b.date_start, b.date_end):
        return False
    return _similar(a, b, embedder)


def compatible(
    countries_a: AbstractSet[str],
    start_a: date | None,
    end_a: date | None,
    countries_b: AbstractSet[str],
    start_b: date | None,
    end_b: date | None,
) -> bool:
    """Whether two reports' countries and dates allow one occurrence: one country set within the
    other, and date ranges that overlap (when both are known)."""
    if not (countries_a <= countries_b or countries_b <= countries_a):
        return False
    return not (start_a and start_b and end_a and end_b and (start_a > end_b or start_b > end_a))


def _same_evidence(a: Event, b: Event) -> bool:
    """Candidates split from one passage on purpose (one per country or formation) share their evidence."""
    ea = a.sources[0].evidence if a.sources else None
    eb = b.sources[0].evidence if b.sources else None
    return bool(ea and eb and (ea.document_id, ea.start, ea.end) == (eb.document_id, eb.start, eb.end))


def _similar(a: Event, b: Event, embedder: Embedder | None = None) -> bool:
    if fuzz.token_set_ratio(a.headline.lower(), b.headline.lower()) >= SIMILAR:
        return True
    ea, eb = _evidence_text(a), _evidence_text(b)
    if ea and eb and fuzz.token_set_ratio(ea.lower(), eb.lower()) >= SIMILAR_EVIDENCE:
        return True
    shared = {(q.value, (q.item or "").lower()) for q in a.quantities if q.item} & {
        (q.value, (q.item or "").lower()) for q in b.quantities if q.item
    }
    if shared and fuzz.token_set_ratio(ea.lower(), eb.lower()) >= LOOSE:
        return True
    return bool(embedder and ea and eb and embedder.similarity(ea, eb) >= SIMILAR_EMBEDDING)


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


def dedupe_events(
    candidates: Sequence[Event], existing: Sequence[Event] = (), *, embed: bool | None = None
) -> DedupeResult:
    """Merge candidates among themselves, then into matching existing events.

    `embed` switches the sentence-embedding similarity on or off (default: the `embed` setting).
    """
    embedder = configured_embedder(embed)
    if embedder is not None and (candidates or existing):
        embedder.embed([_evidence_text(e) for e in (*candidates, *existing)])  # one batch, then looked up
    result = DedupeResult()
    pending: list[Event] = []
    for cand in candidates:
        for i, kept in enumerate(pending):
            if same_occurrence(kept, cand, embedder):
                pending[i] = merge(kept, cand) if _weight(kept) >= _weight(cand) else merge(cand, kept)
                result.merged += 1
                break
        else:
            pending.append(cand)
    updated: dict[str, Event] = {}
    for cand in pending:
        match = next((e for e in existing if same_occurrence(updated.get(e.id, e), cand, embedder)), None)
        if match is None:
            result.new.append(cand)
        else:
            updated[match.id] = merge(updated.get(match.id, match), cand)
            result.merged += 1
    result.updated = list(updated.values())
    return result


def dedupe_document(
    candidates: Sequence[Event], segments: Sequence[Segment] = (), *, embed: bool | None = None
) -> list[Event]:
    """The candidates of one document with those reporting the same occurrence merged, in text order.

    With the document's `segments`, follow-up paragraphs are merged too (see the module docstring).
    `embed` as for `dedupe_events`.
    """
    merged = sorted(dedupe_events(candidates, embed=embed).new, key=_start)
    if segments:
        merged = _merge_follow_ups(merged, segments)
    return sorted(merged, key=_start)


def _start(e: Event) -> int:
    return e.sources[0].evidence.start if e.sources and e.sources[0].evidence else 0


def _merge_follow_ups(events: list[Event], segments: Sequence[Segment]) -> list[Event]:
    """Merge each candidate into an earlier one it follows up (plain paragraphs of one document only)."""
    starts = [s.start for s in segments]
    kept: list[tuple[int | None, Event]] = []
    for event in events:
        where = _plain_paragraph(event, segments, starts)
        for i, (place, earlier) in enumerate(kept):
            if where is not None and place is not None and place != where and follows_up(earlier, event):
                richer = _weight(earlier) >= _weight(event)
                kept[i] = (place, merge(earlier, event) if richer else merge(event, earlier))
                break
        else:
            kept.append((where, event))
    return [e for _place, e in kept]


def _plain_paragraph(event: Event, segments: Sequence[Segment], starts: list[int]) -> int | None:
    """The index of the plain paragraph (no list item, no headline) holding the event's evidence, if any."""
    start = _start(event)
    i = bisect.bisect_right(starts, start) - 1
    if i < 0 or segments[i].kind != "paragraph" or segments[i].lead_end is not None:
        return None
    return i


def follows_up(earlier: Event, later: Event) -> bool:
    """Whether a later paragraph's candidate reports the earlier one's occurrence (see the module docstring)."""
    if earlier.category != later.category:
        return False
    ca, cb = set(earlier.countries), set(later.countries)
    if not (ca <= cb or cb <= ca):
        return False
    if not ca & cb and not _share_actor_or_place(earlier, later):
        return False
    pa, pb = {p.name for p in earlier.locations}, {p.name for p in later.locations}
    if pa and pb and not pa & pb:
        return False  # somewhere else: another occurrence
    return _dates_compatible(earlier, later)


def _share_actor_or_place(a: Event, b: Event) -> bool:
    return bool(set(a.actors) & set(b.actors)) or bool({p.name for p in a.locations} & {p.name for p in b.locations})


def _dates_compatible(a: Event, b: Event) -> bool:
    if a.date_start is None or b.date_start is None or a.date_end is None or b.date_end is None:
        return True
    if a.date_start > b.date_end or b.date_start > a.date_end:
        return False
    both_days = a.date_precision == Precision.day and b.date_precision == Precision.day
    return not both_days or a.date_start == b.date_start
