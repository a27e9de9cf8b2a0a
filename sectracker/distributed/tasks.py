"""What the Dask workers run: pure functions from documents to candidates or failure reasons.

Nothing here touches the store or the client's state, so a task can run twice (a worker
died, the scheduler retried it) without any effect but the time it takes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from sectracker.ingest import Extractor, extract_one
from sectracker.models import Document, Event

Outcome = list[Event] | str  # a document's candidates, or why extraction failed


@dataclass(frozen=True)
class ExtractedBatch:
    """The outcome of each document of a batch, in order, and the seconds the worker spent."""

    outcomes: list[Outcome]
    seconds: float


def extract_batch(documents: list[Document], extract: Extractor) -> ExtractedBatch:
    """Extract the candidates of every document; one failing document does not stop the others."""
    started = time.perf_counter()
    outcomes = [extract_one(doc, extract) for doc in documents]
    return ExtractedBatch(outcomes, time.perf_counter() - started)


def pipeline_extract(doc: Document, published: date | None) -> list[Event]:
    """The extraction pipeline, imported on the worker (the client never loads it)."""
    from sectracker.pipeline.run import extract_events

    return list(extract_events(doc, published=published))
