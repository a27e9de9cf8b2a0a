"""Documents (stored once, keyed by the hash of their text), ingest runs and their failures."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sectracker.clock import now
from sectracker.errors import NotFound
from sectracker.models import Document
from sectracker.store.db import Database
from sectracker.store.schema import documents, ingest_failures, ingest_runs, sources

CHUNK = 500
RUN_STOPPED = "(ingest run)"  # the source of the failure recorded when a run stops on an error


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document without its text: what a listing shows."""

    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: date | None
    language: str | None
    path: str | None
    fetched_at: datetime
    chars: int


@dataclass(frozen=True)
class IngestFailure:
    """A document that could not be read or processed, and why."""

    source: str
    reason: str
    line: int | None = None
    run_id: int | None = None
    at: datetime | None = None

    @property
    def where(self) -> str:
        """The source, with the line number when there is one."""
        return f"{self.source}:{self.line}" if self.line is not None else self.source

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(frozen=True)
class IngestRun:
    """One ingest run and its counts."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    inputs: list[str]
    documents_new: int
    documents_seen: int
    candidates: int
    failures: int


# --- writing, inside a caller's transaction -------------------------------------------


def stored_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    """Which of these document ids are stored already."""
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        found.update(conn.execute(select(documents.c.id).where(documents.c.id.in_(ids[i : i + CHUNK]))).scalars())
    return found


def insert_documents(conn: Connection, docs: Sequence[Document]) -> list[str]:
    """Store the documents not stored yet (by content hash); the ids actually inserted."""
    unique = list({d.id: d for d in docs}.values())
    known = stored_ids(conn, [d.id for d in unique])
    new = [d for d in unique if d.id not in known]
    if new:
        conn.execute(insert(documents), [_document_row(d) for d in new])
    return [d.id for d in new]


def evidence_spans(conn: Connection, document_ids: Sequence[str]) -> set[tuple[str, int, int]]:
    """(document id, start, end) of every evidence span already linked to these documents."""
    spans: set[tuple[str, int, int]] = set()
    c = sources.c
    for i in range(0, len(document_ids), CHUNK):
        rows = conn.execute(
            select(c.document_id, c.ev_start, c.ev_end).where(
                c.document_id.in_(document_ids[i : i + CHUNK]), c.ev_start.is_not(None), c.ev_end.is_not(None)
            )
        )
        spans.update((r.document_id, r.ev_start, r.ev_end) for r in rows)
    return spans


def start_run(conn: Connection, inputs: Sequence[str]) -> int:
    """A new ingest run row; its id."""
    result = conn.execute(insert(ingest_runs).values(started_at=now(), inputs=json.dumps(list(inputs))))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def record_failures(conn: Connection, run_id: int, failures: Iterable[IngestFailure]) -> int:
    """Store failures under a run; how many."""
    at = now()
    rows = [
        {"run_id": run_id, "source": f.source, "line": f.line, "reason": f.reason, "at": f.at or at} for f in failures
    ]
    if rows:
        conn.execute(insert(ingest_failures), rows)
    return len(rows)


def add_to_run(
    conn: Connection, run_id: int, *, new: int = 0, seen: int = 0, candidates: int = 0, failures: int = 0
) -> None:
    """Add to a run's counts (called once per batch, inside the batch's transaction)."""
    c = ingest_runs.c
    conn.execute(
        update(ingest_runs)
        .where(c.id == run_id)
        .values(
            documents_new=c.documents_new + new,
            documents_seen=c.documents_seen + seen,
            candidates=c.candidates + candidates,
            failures=c.failures + failures,
        )
    )


def finish_run(conn: Connection, run_id: int) -> None:
    conn.execute(update(ingest_runs).where(ingest_runs.c.id == run_id).values(finished_at=now()))


def abandon_run(conn: Connection, run_id: int, reason: str) -> bool:
    """End a run that stopped on an error: never left unfinished.

    A run that wrote nothing yet is deleted (the store is as it was); one that wrote batches is
    marked finished, with the reason it stopped recorded as one more failure. True if deleted.
    """
    c = ingest_runs.c
    row = conn.execute(select(ingest_runs).where(c.id == run_id)).first()
    if row is None:
        return True
    wrote = row.documents_new or row.documents_seen or row.candidates or row.failures
    failures = conn.execute(
        select(func.count()).select_from(ingest_failures).where(ingest_failures.c.run_id == run_id)
    ).scalar_one()
    if not wrote and not failures:
        conn.execute(delete(ingest_runs).where(c.id == run_id))
        return True
    record_failures(conn, run_id, [IngestFailure(RUN_STOPPED, reason)])
    add_to_run(conn, run_id, failures=1)
    finish_run(conn, run_id)
    return False


# --- reading ---------------------------------------------------------------------------


def get_document(db: Database, document_id: str) -> Document:
    """One stored document with its text; NotFound when there is none with that id."""
    with db.connect() as conn:
        row = conn.execute(select(documents).where(documents.c.id == document_id)).first()
    if row is None:
        raise NotFound(f"no document with id {document_id!r}")
    return Document.model_validate(row._asdict())


def list_documents(db: Database, *, limit: int | None = 50, offset: int = 0) -> list[DocumentInfo]:
    """Stored documents without their text, newest publication first."""
    c = documents.c
    query = (
        select(c.id, c.title, c.url, c.publisher, c.published, c.language, c.path, c.fetched_at)
        .add_columns(func.length(c.text).label("chars"))
        .order_by(c.published.desc().nulls_last(), c.id)
        .limit(limit)
        .offset(offset)
    )
    with db.connect() as conn:
        return [DocumentInfo(**row._asdict()) for row in conn.execute(query)]


def count_documents(db: Database) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


def list_failures(db: Database, run_id: int | None = None) -> list[IngestFailure]:
    """Recorded failures, of one run or of all runs, oldest first."""
    c = ingest_failures.c
    query = select(c.source, c.reason, c.line, c.run_id, c.at).order_by(c.id)
    if run_id is not None:
        query = query.where(c.run_id == run_id)
    with db.connect() as conn:
        return [IngestFailure(**row._asdict()) for row in conn.execute(query)]


def get_run(db: Database, run_id: int) -> IngestRun:
    with db.connect() as conn:
        row = conn.execute(select(ingest_runs).where(ingest_runs.c.id == run_id)).first()
    if row is None:
        raise NotFound(f"no ingest run with id {run_id}")
    values = row._asdict()
    values["inputs"] = json.loads(values["inputs"])
    return IngestRun(**values)


def _document_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "title": d.title,
        "url": d.url,
        "publisher": d.publisher,
        "published": d.published,
        "language": d.language,
        "path": d.path,
        "text": d.text,
        "fetched_at": d.fetched_at or now(),
    }
