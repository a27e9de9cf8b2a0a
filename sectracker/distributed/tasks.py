"""What the Dask workers run: pure functions from collected records to documents and candidates.

The client sends each record as collected: a file's or corpus line's bytes not parsed yet
(`Unread`), or a document it had to parse itself (a fetched page, a feed entry). The worker
parses the bytes (decoding, JSON, hashing, language detection) and extracts, so the client
only reads bytes and writes results. Nothing here touches the store or the client's state,
so a task can run twice (a worker died, the scheduler retried it) without any effect but the
time it takes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sectracker.ingest import Extractor, extract_one
from sectracker.models import Document, Event
from sectracker.sources.collect import read_unread
from sectracker.sources.records import Collected, Unread

Outcome = list[Event] | str  # a document's candidates, or why extraction failed
Record = Collected | Unread  # what the client sends: a document (or failure), or bytes to parse


@dataclass(frozen=True)
class ExtractedBatch:
    """Each record of a batch as read, the outcome of each document among them, and the worker's seconds."""

    read: list[Collected]  # one per record sent, in order: its document or why it has none
    outcomes: list[Outcome]  # one per record of `read` with a document, in order
    seconds: float


def extract_batch(records: list[Record], extract: Extractor) -> ExtractedBatch:
    """Read and extract every record; one failing record does not stop the others."""
    started = time.perf_counter()
    read = [read_record(record) for record in records]
    outcomes = [extract_one(c.document, extract) for c in read if c.document is not None]
    return ExtractedBatch(read, outcomes, time.perf_counter() - started)


def read_record(record: Record) -> Collected:
    """The record's document (or failure); a reader's bug fails this one record, not its batch."""
    return record if isinstance(record, Collected) else read_unread(record)  # read_unread fails the record itself


def pipeline_extract(doc: Document, published: date | None) -> list[Event]:
    """The extraction pipeline, imported on the worker (the client never loads it)."""
    from sectracker.pipeline.run import extract_events

    return list(extract_events(doc, published=published))
