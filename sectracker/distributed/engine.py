"""A Dask ingest run: batches out to the workers, results back in completion order, one writer.

The client collects records and submits them in batches of `batch_size` documents; at most a
few batches per worker are in flight, so the client's memory stays flat however long the input.
Files and corpus lines travel as bytes and are parsed on the workers (`tasks.read_record`),
which send back the documents with their candidates: the one client only reads and writes.
Each finished batch is written in one transaction (documents, candidates, merges, failures)
by `sectracker.ingest.write_batch`, so a run killed at any point leaves whole batches only,
and running it again stores what is missing and nothing twice.

A worker that dies mid-batch is replaced and the batch is run again by the scheduler. A
batch that keeps killing its workers (Dask's KilledWorker) is split into one task per
document, run one at a time; a document that still kills its worker is recorded as a
failure and the run goes on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from sectracker.distributed.cluster import worker_slots
from sectracker.distributed.tasks import ExtractedBatch, Outcome, Record, extract_batch, pipeline_extract, read_record
from sectracker.ingest import (
    Batch,
    Extractor,
    IngestSummary,
    StoredCandidates,
    abandon_ingest,
    add_extracted,
    finish_ingest,
    note_collected,
    start_ingest,
    write_batch,
)
from sectracker.settings import Settings
from sectracker.sources.collect import collect_unread
from sectracker.sources.http import Fetcher
from sectracker.sources.records import Collected, Unread
from sectracker.store.db import Database

if TYPE_CHECKING:
    from distributed import Client, Future

IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: enough to keep it busy while the client writes
# Documents per task and per transaction: 4x the single-process batch, because each task and each
# commit costs the one client a fixed time (measured in benchmarks/bench_ingest.py).
DASK_BATCH_DOCUMENTS = 200


def ingest_on_dask(
    db: Database,
    inputs: Sequence[str],
    client: Client,
    settings: Settings | None = None,
    *,
    progress: Callable[[Collected], None] | None = None,
    fetcher: Fetcher | None = None,
    extract: Extractor | None = None,
    batch_size: int | None = None,
) -> IngestSummary:
    """Ingest the inputs with extraction on the cluster behind `client`; same result as `sectracker.ingest.ingest`."""
    settings = settings or db.settings
    summary = start_ingest(db, inputs)
    known = StoredCandidates()
    flow = _Flow(client, extract or pipeline_extract)
    window = IN_FLIGHT_PER_WORKER * worker_slots(client)

    def write(items: list[Record], result: ExtractedBatch) -> None:
        summary.extract_seconds += result.seconds
        collected = _as_read(items, result.read)
        write_batch(db, _batch(collected, result.outcomes, summary), summary, settings.user, known)
        if progress:
            for item in collected:
                progress(item)

    records = collect_unread(list(inputs), settings, fetcher=fetcher)
    try:
        for items in _batches(records, batch_size or DASK_BATCH_DOCUMENTS):
            flow.submit(items)
            while flow.pending >= window:
                flow.finish_next(write)
        while flow.pending:
            flow.finish_next(write)
    except BaseException as exc:
        abandon_ingest(db, summary, exc)  # no run left unfinished
        raise
    finally:
        flow.cancel()
    finish_ingest(db, summary)
    return summary


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Records in groups of `size` for the workers (failures met meanwhile ride along with the next group)."""
    items: list[Record] = []
    documents = 0
    for item in records:
        items.append(item)
        documents += _sent(item)
        if documents >= size:
            yield items
            items, documents = [], 0
    if items:
        yield items


def _sent(item: Record) -> bool:
    """Whether the record goes to a worker: bytes to read, or a document to extract (failures stay here)."""
    return isinstance(item, Unread) or item.document is not None


def _as_read(items: list[Record], read: list[Collected]) -> list[Collected]:
    """The batch's records with each one sent to a worker replaced by what the worker read from it."""
    results = iter(read)
    return [item if isinstance(item, Collected) and item.document is None else next(results) for item in items]


def _batch(items: list[Collected], outcomes: list[Outcome], summary: IngestSummary) -> Batch:
    """The batch to write: every record counted, and each document's candidates or extraction failure."""
    batch = Batch()
    results = iter(outcomes)
    for item in items:
        if note_collected(item, batch, summary) is not None:
            add_extracted(item, next(results), batch)
    return batch


class _Flow:
    """Batches in flight on the cluster, handed back in the order they finish.

    Documents of a batch that kept killing its workers are *suspects*: they run one task per
    document and one at a time, so that a document that kills its worker cannot take an
    innocent suspect down with it (a task queued on a dying worker counts as a failure too).
    """

    def __init__(self, client: Client, extract: Extractor) -> None:
        from distributed import as_completed

        self.client = client
        self.extract = extract
        self.futures: dict[Future, list[Record]] = {}
        self.finished = as_completed()
        self.suspects: deque[list[Record]] = deque()
        self.suspect: Future | None = None

    @property
    def pending(self) -> int:
        return len(self.futures) + len(self.suspects)

    def submit(self, items: list[Record]) -> Future:
        sent = [item for item in items if _sent(item)]
        future = self.client.submit(extract_batch, sent, self.extract, pure=False)
        self.futures[future] = items
        self.finished.add(future)
        return future

    def finish_next(self, write: Callable[[list[Record], ExtractedBatch], None]) -> None:
        """Wait for the next batch to finish and write it; a batch whose workers died is split or failed."""
        from distributed import KilledWorker

        future = next(self.finished)
        items = self.futures.pop(future)
        if future is self.suspect:
            self.suspect = None
        try:
            result = future.result()
        except KilledWorker as exc:
            if sum(map(_sent, items)) > 1:
                self.suspects.extend(_one_document_each(items))
                return
            result = _failed(items, f"extraction failed: the worker process died on this document ({exc})")
        except Exception as exc:  # the cluster could not run the task at all: its documents fail, the run goes on
            result = _failed(items, f"extraction failed on the cluster: {type(exc).__name__}: {exc}")
        finally:
            future.release()
            if self.suspect is None and self.suspects:
                self.suspect = self.submit(self.suspects.popleft())
        write(items, result)

    def cancel(self) -> None:
        """Drop the batches still in flight (after an error): the next run does them again."""
        if self.futures:
            self.client.cancel(list(self.futures))
            self.futures.clear()
        self.suspects.clear()


def _one_document_each(items: list[Record]) -> list[list[Record]]:
    """One group per record sent to the workers; the failures met meanwhile join the first group."""
    groups: list[list[Record]] = [[item] for item in items if _sent(item)]
    groups[0].extend(item for item in items if not _sent(item))
    return groups


def _failed(items: list[Record], reason: str) -> ExtractedBatch:
    """The batch with extraction failed for each document: the records are read here, so the documents are kept."""
    read = [read_record(item) for item in items if _sent(item)]
    outcomes: list[Outcome] = [reason for c in read if c.document is not None]
    return ExtractedBatch(read, outcomes, 0.0)
