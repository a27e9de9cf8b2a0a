"""Ingest: collect documents, store each once, extract candidate events, store the new ones.

    inputs -> sources.collect -> documents (by content hash) -> pipeline.run.extract_events
           -> drop candidates already stored (same id, or same document + evidence span)
           -> merge candidates reporting a stored candidate's occurrence into it (pipeline.dedupe)
           -> store documents, candidates, merges and failures in one transaction per batch

Running it twice on the same input adds nothing: documents are keyed by the hash of their
text and candidates by a stable id and by their evidence span. A document that cannot be
read or processed is recorded as a failure with its reason, and the run goes on.

Merging across documents: a new candidate that reports the same occurrence as a stored
event of status *candidate* (same category, overlapping dates, similar wording: see
`sectracker.pipeline.dedupe`) is not added; its evidence is appended to the stored
candidate's sources (an audited "ingest-merge" edit). Verified and rejected events are
never changed by ingest: a candidate matching only those is added as a new candidate for
a reviewer to judge. Only dated candidates are merged across documents (with one another
in a batch, and with stored candidates within `MERGE_WINDOW` of their dates: an index
range scan, not the whole store); undated ones are deduplicated within their document only.

This module is the single-process engine and the writer both engines share;
`sectracker.distributed` runs the extraction on a Dask cluster and writes through
`write_batch` from one place.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, bindparam, func, select, update
from sqlalchemy.exc import OperationalError

from sectracker.clock import now
from sectracker.errors import ConfigError, Conflict, DatabaseBusy, SectrackerError, StoreError
from sectracker.models import Document, Event, Status
from sectracker.pipeline.dedupe import compatible, dedupe_events
from sectracker.settings import Settings
from sectracker.sources.collect import collect
from sectracker.sources.http import Fetcher
from sectracker.sources.records import Collected
from sectracker.store import documents as doc_store
from sectracker.store.audit import audit_row, write_audit
from sectracker.store.db import Database
from sectracker.store.documents import IngestFailure
from sectracker.store.events import CHUNK, event_row, existing_ids, insert_events, replace_children
from sectracker.store.queries import load_events
from sectracker.store.schema import event_countries, events

T = TypeVar("T")
Extractor = Callable[[Document, date | None], list[Event]]
BATCH_DOCUMENTS = 50
BATCH_CANDIDATES = 2000
STORE_PATIENCE_S = 60.0  # how long a batch waits for a database that went away (a restart) before the run stops
CONFLICT_RETRIES = 3  # a batch re-read and re-written when a reviewer edited a candidate it merges into
MERGE_WINDOW = timedelta(days=366)  # stored events starting this long before a candidate are not compared
MERGE_ACTION = "ingest-merge"
KNOWN_CANDIDATES = 20_000  # stored candidates an ingest run keeps in memory to merge into (a few MB)
# One statement for every merged event of a batch; a row not found at the version loaded means a concurrent edit.
_UPDATE_IF_VERSION = update(events).where(
    events.c.id == bindparam("old_id"), events.c.version == bindparam("old_version")
)


@dataclass
class IngestSummary:
    """What one ingest run did."""

    run_id: int
    documents_read: int = 0
    documents_new: int = 0
    documents_seen: int = 0
    candidates: int = 0
    merged: int = 0  # candidates merged into stored candidates (or into one another) instead of added
    failures: list[IngestFailure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, warning)
    batches: int = 0
    extract_seconds: float = 0.0  # time spent extracting, summed over workers
    write_seconds: float = 0.0  # time spent writing batches (the one writer)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class Batch:
    """What one transaction writes: documents, their candidates, and the failures met meanwhile."""

    documents: list[Document] = field(default_factory=list)
    candidates: list[Event] = field(default_factory=list)
    failures: list[IngestFailure] = field(default_factory=list)

    def full(self, size: int) -> bool:
        return len(self.documents) >= size or len(self.candidates) >= BATCH_CANDIDATES


class StoredCandidates:
    """Dated candidates as one ingest run stored them, so that merging into them again needs no reload.

    An entry serves only while the stored event has the version and update time it was written
    with: one edited since (by a reviewer, or another run) is loaded again. Entries are added once
    their batch is committed; beyond `limit` the least recently used go.
    """

    def __init__(self, limit: int = KNOWN_CANDIDATES) -> None:
        self.limit = limit
        self._events: OrderedDict[str, Event] = OrderedDict()

    def get(self, event_id: str, version: int, updated_at: datetime | None) -> Event | None:
        event = self._events.get(event_id)
        if event is None or (event.version, event.updated_at) != (version, updated_at):
            return None
        self._events.move_to_end(event_id)
        return event

    def remember(self, stored: Iterable[Event]) -> None:
        for event in stored:
            if event.date_start is not None and event.status == Status.candidate:
                self._events[event.id] = event
                self._events.move_to_end(event.id)
        while len(self._events) > self.limit:
            self._events.popitem(last=False)


def ingest(
    db: Database,
    inputs: Sequence[str],
    settings: Settings | None = None,
    *,
    progress: Callable[[Collected], None] | None = None,
    fetcher: Fetcher | None = None,
    extract: Extractor | None = None,
    batch_size: int | None = None,
) -> IngestSummary:
    """Collect the inputs into the store with their candidate events; failures are recorded, never raised.

    Raises DatabaseBusy only when the database stays unreachable for `STORE_PATIENCE_S`: the
    batches written so far are kept, and running the same ingest again finishes the job.
    """
    settings = settings or db.settings
    extract = extract or _pipeline_extractor()
    size = batch_size or BATCH_DOCUMENTS
    summary = start_ingest(db, inputs)
    try:
        known = StoredCandidates()
        batch = Batch()
        for item in collect(list(inputs), settings, fetcher=fetcher):
            if progress:
                progress(item)
            doc = note_collected(item, batch, summary)
            if doc is not None:
                started = time.perf_counter()
                add_extracted(item, extract_one(doc, extract), batch)
                summary.extract_seconds += time.perf_counter() - started
            if batch.full(size):
                write_batch(db, batch, summary, settings.user, known)
                batch = Batch()
        write_batch(db, batch, summary, settings.user, known)
    except BaseException as exc:  # an error or an interrupt: the run row must not stay unfinished
        abandon_ingest(db, summary, exc)
        raise
    finish_ingest(db, summary)
    return summary


def start_ingest(db: Database, inputs: Sequence[str]) -> IngestSummary:
    """A new ingest run row, and the summary that counts into it."""
    return IngestSummary(run_id=_write_patiently(db, lambda conn: doc_store.start_run(conn, inputs)))


def finish_ingest(db: Database, summary: IngestSummary) -> None:
    _write_patiently(db, lambda conn: doc_store.finish_run(conn, summary.run_id))


def abandon_ingest(db: Database, summary: IngestSummary, exc: BaseException) -> None:
    """End a run that stopped on `exc`: deleted if it wrote nothing, else marked finished with the reason.

    Called with the error still to be raised, so it never raises itself: a database that cannot
    be written now (the usual reason a run stops) is tried once, not waited for.
    """
    reason = f"run stopped: {type(exc).__name__}: {exc}" if str(exc) else f"run stopped: {type(exc).__name__}"
    with contextlib.suppress(Exception):  # the original error matters more than this one
        db.write(lambda conn: doc_store.abandon_run(conn, summary.run_id, reason))


def note_collected(item: Collected, batch: Batch, summary: IngestSummary) -> Document | None:
    """Count one collected record into the batch: its warnings, then its failure or its document (returned)."""
    summary.warnings.extend((_where(item), w) for w in item.warnings)
    if item.document is None:
        batch.failures.append(IngestFailure(item.source, item.reason or "unknown failure", item.line))
        return None
    summary.documents_read += 1
    batch.documents.append(item.document)
    return item.document


def extract_one(doc: Document, extract: Extractor) -> list[Event] | str:
    """The document's candidates, or the reason extraction failed (a pipeline bug must not end the run)."""
    try:
        return extract(doc, doc.published)
    except Exception as exc:
        return f"extraction failed: {type(exc).__name__}: {exc}"


def add_extracted(item: Collected, outcome: list[Event] | str, batch: Batch) -> None:
    """Add one document's candidates to the batch, or its extraction failure (the document is still stored)."""
    if isinstance(outcome, str):
        batch.failures.append(IngestFailure(item.source, outcome, item.line))
    else:
        batch.candidates.extend(outcome)


def write_batch(
    db: Database, batch: Batch, summary: IngestSummary, user: str, known: StoredCandidates | None = None
) -> None:
    """Write one batch in one transaction; if the store refuses it, its documents become failures.

    A database that went away is waited for (DatabaseBusy after `STORE_PATIENCE_S`, which stops
    the run); a reviewer's concurrent edit of a merged candidate makes the batch run again.
    `known` (one per run) remembers the candidates written, once the transaction is committed.
    """
    if not (batch.documents or batch.failures):
        return
    started = time.perf_counter()
    try:
        written = _write_with_retries(db, batch, summary.run_id, user, known)
    except DatabaseBusy:
        raise
    except StoreError as exc:
        sources = [d.path or d.url or d.id for d in batch.documents]
        batch.failures.extend(IngestFailure(s, f"not stored: {exc}") for s in sources)
        _write_patiently(db, lambda conn: _write_failures(conn, batch.failures, summary.run_id))
        summary.failures.extend(batch.failures)
        return
    finally:
        summary.write_seconds += time.perf_counter() - started
    if known is not None:
        known.remember(written.events)
    summary.batches += 1
    summary.documents_new += written.documents_new
    summary.documents_seen += written.documents_seen
    summary.candidates += written.candidates
    summary.merged += written.merged
    summary.failures.extend(batch.failures)


@dataclass
class Written:
    """What one batch's transaction stored."""

    documents_new: int = 0
    documents_seen: int = 0
    candidates: int = 0  # candidates added
    merged: int = 0  # candidates merged into another instead
    events: list[Event] = field(default_factory=list)  # the events added or merged into, as stored


def _write_with_retries(db: Database, batch: Batch, run_id: int, user: str, known: StoredCandidates | None) -> Written:
    for attempt in range(CONFLICT_RETRIES):
        try:
            return _write_patiently(db, lambda conn: _write_batch(conn, batch, run_id, user, known))
        except Conflict:
            if attempt == CONFLICT_RETRIES - 1:
                raise
    raise AssertionError("unreachable")


def _write_batch(conn: Connection, batch: Batch, run_id: int, user: str, known: StoredCandidates | None) -> Written:
    new_ids = doc_store.insert_documents(conn, batch.documents)
    written = store_candidates(conn, batch.candidates, user, reason=f"ingest run {run_id}", known=known)
    written.documents_new, written.documents_seen = len(new_ids), len(batch.documents) - len(new_ids)
    doc_store.record_failures(conn, run_id, batch.failures)
    doc_store.add_to_run(
        conn,
        run_id,
        new=written.documents_new,
        seen=written.documents_seen,
        candidates=written.candidates,
        failures=len(batch.failures),
    )
    return written


def _write_failures(conn: Connection, failures: list[IngestFailure], run_id: int) -> None:
    doc_store.record_failures(conn, run_id, failures)
    doc_store.add_to_run(conn, run_id, failures=len(failures))


def _write_patiently(db: Database, work: Callable[[Connection], T]) -> T:
    """db.write, waiting out a database that cannot be reached (a server restart) for up to STORE_PATIENCE_S."""
    deadline = time.monotonic() + STORE_PATIENCE_S
    while True:
        try:
            return db.write(work)
        except StoreError as exc:
            lost = isinstance(exc, DatabaseBusy) or (isinstance(exc.__cause__, OperationalError) and _unreachable(db))
            if not lost:
                raise
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"{db.name} could not be reached for {STORE_PATIENCE_S:.0f} s ({exc}); the batches written "
                    "so far are kept: run the same ingest again to finish (nothing is stored twice)"
                ) from exc
            time.sleep(1.0)


def _unreachable(db: Database) -> bool:
    try:
        db.check_connection()
    except ConfigError:
        return True
    return False


# --- candidates: new ones added, repeats dropped, same occurrences merged --------------------


def store_candidates(
    conn: Connection, candidates: Sequence[Event], user: str, *, reason: str, known: StoredCandidates | None = None
) -> Written:
    """Store the candidates not stored yet, merging those that report a stored candidate's occurrence.

    `known` holds stored candidates as this run wrote them, used instead of loading them again.
    """
    fresh = new_candidates(conn, candidates)
    if not fresh:
        return Written()
    # Undated candidates are compared within their own document only (by the pipeline): across
    # documents an undated report matches too much, and the result would depend on batch sizes.
    dated = [e for e in fresh if e.date_start is not None]
    stored = mergeable_events(conn, dated, known)
    result = dedupe_events(dated, stored)
    result.new += [e for e in fresh if e.date_start is None]
    written = Written(candidates=len(result.new), merged=result.merged)
    if result.updated:
        before = {e.id: e for e in stored}
        written.events += rewrite_merged(conn, [(before[e.id], e) for e in result.updated], user, reason=reason)
    if result.new:
        written.events += insert_events(conn, result.new, user, action="ingest", reason=reason)
    return written


def rewrite_merged(conn: Connection, changed: Sequence[tuple[Event, Event]], user: str, *, reason: str) -> list[Event]:
    """Store candidates that gained evidence (before, after): version + 1, child rows, one audit entry each.

    The bulk twin of `store.events.update_event` for ingest, which merges into hundreds of
    stored candidates per batch: the events were loaded in this transaction, and the version
    check in each UPDATE makes a reviewer's concurrent edit a Conflict (the batch runs again).
    """
    at = now()
    after = [e.model_copy(update={"version": old.version + 1, "updated_at": at}) for old, e in changed]
    _update_versions(conn, [old for old, _ in changed], after)
    replace_children(conn, after)
    audit = [
        audit_row(new.id, MERGE_ACTION, user, at, old.model_dump(mode="json"), new.model_dump(mode="json"), reason)
        for (old, _), new in zip(changed, after, strict=True)
    ]
    write_audit(conn, audit)
    return after


def _update_versions(conn: Connection, before: Sequence[Event], after: Sequence[Event]) -> None:
    """UPDATE each event's row where its version is still the one loaded (one statement for all)."""
    params: list[dict[str, Any]] = []
    for old, new in zip(before, after, strict=True):
        row = event_row(new)
        del row["id"]  # the SET clause takes every column but the key
        params.append(row | {"old_id": old.id, "old_version": old.version})
    done = conn.execute(_UPDATE_IF_VERSION, params)
    if done.rowcount != len(params):
        raise Conflict(
            f"event {_changed_meanwhile(conn, after)!r} was changed by someone else while ingest merged into it"
        )


def _changed_meanwhile(conn: Connection, after: Sequence[Event]) -> str:
    """The first of the events that the UPDATE did not find at the version it expected."""
    ids = [e.id for e in after]
    versions = {
        row.id: row.version for row in conn.execute(select(events.c.id, events.c.version).where(events.c.id.in_(ids)))
    }
    return next((e.id for e in after if versions.get(e.id) != e.version), ids[0])


def new_candidates(conn: Connection, candidates: Sequence[Event]) -> list[Event]:
    """The candidates not stored yet: neither their id nor any of their evidence spans is known."""
    doc_ids = sorted({d for e in candidates for d, _, _ in _spans(e)})
    known_spans = doc_store.evidence_spans(conn, doc_ids)
    known_ids = existing_ids(conn, [e.id for e in candidates])
    fresh: list[Event] = []
    for e in candidates:
        spans = _spans(e)
        if e.id in known_ids or spans & known_spans:
            continue
        fresh.append(e)
        known_ids.add(e.id)
        known_spans |= spans
    return fresh


def mergeable_events(
    conn: Connection, candidates: Sequence[Event], known: StoredCandidates | None = None
) -> list[Event]:
    """Stored, undeleted events of status candidate that may report the same occurrence as a dated candidate.

    Same category, a date range overlapping the candidate's that starts at most MERGE_WINDOW
    before it, and countries one set within the other: what `pipeline.dedupe.same_occurrence`
    checks before the wording, read from index columns, so that only these events are loaded
    whole (every stored event of the categories and dates, with all its sources, cost more
    than the rest of a batch's writing); those in `known` at their stored version are not
    loaded at all. `dedupe_events` then decides.
    """
    windows = _date_windows(candidates)
    if not windows:
        return []
    stored: dict[str, _Stored] = {}
    for category, start, end in windows:
        bounds = {"category": category, "earliest": start - MERGE_WINDOW, "start": start, "end": end}
        stored.update((row.id, _Stored(category, *row[1:])) for row in conn.execute(_IN_WINDOW, bounds))
    ids = sorted(stored)  # the order of `dedupe_events`' search: by id, as the database sorts keys
    countries = _country_sets(conn, ids)
    ranges = _ranges_by_category(candidates)
    wanted = [i for i in ids if _may_match(stored[i], countries.get(i, frozenset()), ranges)]
    found = {i: e for i in wanted if known and (e := known.get(i, stored[i].version, stored[i].updated_at))}
    found.update((e.id, e) for e in load_events(conn, [i for i in wanted if i not in found]))
    return [found[i] for i in wanted if i in found]


_IN_WINDOW = select(events.c.id, events.c.date_start, events.c.date_end, events.c.version, events.c.updated_at).where(
    events.c.status == Status.candidate.value,
    events.c.deleted_at.is_(None),
    events.c.category == bindparam("category"),
    events.c.date_start >= bindparam("earliest"),
    events.c.date_start <= bindparam("end"),
    func.coalesce(events.c.date_end, events.c.date_start) >= bindparam("start"),
)
Ranges = dict[str, list[tuple[date, date | None, frozenset[str]]]]  # category -> (start, end, countries)


class _Stored(NamedTuple):
    """What the merge window query reads of a stored candidate."""

    category: str
    date_start: date
    date_end: date | None
    version: int
    updated_at: datetime


def _country_sets(conn: Connection, ids: list[str]) -> dict[str, frozenset[str]]:
    """The countries of each event (events without countries are left out)."""
    links = event_countries.c
    found: dict[str, set[str]] = {}
    for i in range(0, len(ids), CHUNK):
        rows = conn.execute(select(links.event_id, links.iso3).where(links.event_id.in_(ids[i : i + CHUNK])))
        for event_id, iso3 in rows:
            found.setdefault(event_id, set()).add(iso3)
    return {event_id: frozenset(codes) for event_id, codes in found.items()}


def _ranges_by_category(candidates: Sequence[Event]) -> Ranges:
    ranges: Ranges = {}
    for e in candidates:
        if e.date_start is not None:
            ranges.setdefault(e.category, []).append((e.date_start, e.date_end, frozenset(e.countries)))
    return ranges


def _may_match(stored: _Stored, countries: frozenset[str], ranges: Ranges) -> bool:
    """Whether some candidate has the stored event's category, compatible dates and compatible countries."""
    return any(
        compatible(countries, stored.date_start, stored.date_end, c_countries, c_start, c_end)
        for c_start, c_end, c_countries in ranges.get(stored.category, ())
    )


def _date_windows(candidates: Sequence[Event]) -> list[tuple[str, date, date]]:
    """(category, first day, last day) covering the dated candidates, overlapping ranges joined."""
    ranges = sorted(
        (e.category, e.date_start, e.date_end or e.date_start) for e in candidates if e.date_start is not None
    )
    windows: list[tuple[str, date, date]] = []
    for category, start, end in ranges:
        if windows and windows[-1][0] == category and start <= windows[-1][2] + timedelta(days=1):
            windows[-1] = (category, windows[-1][1], max(windows[-1][2], end))
        else:
            windows.append((category, start, end))
    return windows


def _spans(e: Event) -> set[tuple[str, int, int]]:
    return {
        (s.evidence.document_id, s.evidence.start, s.evidence.end)
        for s in e.sources
        if s.evidence is not None and s.evidence.document_id
    }


def _where(item: Collected) -> str:
    return f"{item.source}:{item.line}" if item.line is not None else item.source


def _pipeline_extractor() -> Extractor:
    """The extraction pipeline's entry point, imported only when ingesting."""
    try:
        from sectracker.pipeline.run import extract_events
    except ImportError as exc:
        raise SectrackerError(f"the extraction pipeline is not available: {exc}") from exc

    def extract(doc: Document, published: date | None) -> list[Event]:
        return list(extract_events(doc, published=published))

    return extract


def summary_json(summary: IngestSummary) -> str:
    """The summary as sorted JSON (for scripts)."""
    data = {
        "run_id": summary.run_id,
        "documents_read": summary.documents_read,
        "documents_new": summary.documents_new,
        "documents_seen": summary.documents_seen,
        "candidates": summary.candidates,
        "merged": summary.merged,
        "failures": [{"source": f.source, "line": f.line, "reason": f.reason} for f in summary.failures],
        "warnings": [{"source": s, "warning": w} for s, w in summary.warnings],
    }
    return json.dumps(data, sort_keys=True, indent=2)
