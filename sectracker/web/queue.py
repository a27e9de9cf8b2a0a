"""What the review queue shows: candidates by need, each beside its source documents."""

from __future__ import annotations

from sectracker.errors import NotFound
from sectracker.store import Database, browse, documents, review
from sectracker.web.highlight import split_pieces, window
from sectracker.web.schemas import (
    DocumentList,
    DocumentSummaryOut,
    DocumentView,
    EventSummary,
    QueueEntry,
    ReviewItem,
    ReviewQueue,
    ScoredEvent,
)

QUEUE_WINDOW = 1000


def queue_page(db: Database, *, limit: int = 50, offset: int = 0) -> ReviewQueue:
    items = review.review_queue(db, limit=limit, offset=offset)
    return ReviewQueue(
        items=[QueueEntry(event=i.event, need=i.need, reasons=i.reasons) for i in items],
        total=review.count_candidates(db),
        offset=offset,
        limit=limit,
    )


def document_view(db: Database, document_id: str, *, only_event: str | None = None) -> DocumentView:
    """A document split into pieces around the evidence spans (of one event, or of all)."""
    doc = documents.get_document(db, document_id)
    spans = [
        (s.start, s.end, s.event_id)
        for s in browse.document_evidence(db, document_id)
        if only_event is None or s.event_id == only_event
    ]
    text, offset = window(doc.text, spans)
    shifted = [(s - offset, e - offset, i) for s, e, i in spans]
    return DocumentView(
        id=doc.id,
        title=doc.title,
        url=doc.url,
        publisher=doc.publisher,
        published=doc.published,
        length=len(doc.text),
        pieces=split_pieces(text, shifted),
    )


def document_list(db: Database, *, limit: int, offset: int) -> DocumentList:
    rows = documents.list_documents(db, limit=limit, offset=offset)
    summaries = [
        DocumentSummaryOut(
            id=r.id, title=r.title, url=r.url, publisher=r.publisher, published=r.published, length=r.chars
        )
        for r in rows
    ]
    return DocumentList(documents=summaries, total=documents.count_documents(db), offset=offset, limit=limit)


def review_item(db: Database, event_id: str | None) -> ReviewItem | None:
    """The candidate `event_id` (or the neediest one) with duplicates and documents; None if the queue is empty."""
    ids = review.queue_ids(db, limit=QUEUE_WINDOW)
    if event_id is None:
        if not ids:
            return None
        event_id = ids[0]
    item = review.queue_item(db, event_id)
    position = ids.index(event_id) if event_id in ids else -1
    doc_ids = list(
        dict.fromkeys(s.evidence.document_id for s in item.event.sources if s.evidence and s.evidence.document_id)
    )
    docs = []
    for doc_id in doc_ids:
        try:
            docs.append(document_view(db, doc_id))
        except NotFound:
            continue  # a source may name a document that was never stored
    duplicates = [ScoredEvent(event=EventSummary.of(e), score=s) for e, s in review.possible_duplicates(db, item.event)]
    return ReviewItem(
        entry=QueueEntry(event=item.event, need=item.need, reasons=item.reasons),
        duplicates=duplicates,
        documents=docs,
        position=position + 1,
        total=review.count_candidates(db),
        previous_id=ids[position - 1] if position > 0 else None,
        next_id=ids[position + 1] if 0 <= position < len(ids) - 1 else None,
    )
