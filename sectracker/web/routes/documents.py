"""Stored source documents, shown as text with evidence highlighted from offsets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from sectracker.web import queue
from sectracker.web.deps import DB, Viewer
from sectracker.web.render import json_response, twin
from sectracker.web.routes.common import Format, Limit, Offset
from sectracker.web.schemas import DocumentList, DocumentView

router = APIRouter(tags=["documents"])
DocId = Annotated[str, Path(max_length=64)]
ForEvent = Annotated[str | None, Query(alias="event", max_length=100, description="Highlight one event's evidence.")]


@router.get("/api/v1/documents", response_model=DocumentList, summary="Stored documents, newest first")
def list_documents(request: Request, user: Viewer, db: DB, limit: Limit, offset: Offset = 0) -> Response:
    return json_response(request, queue.document_list(db, limit=limit, offset=offset))


@router.get("/api/v1/documents/{document_id}", response_model=DocumentView, summary="A document in pieces")
def get_document(request: Request, user: Viewer, db: DB, document_id: DocId, event: ForEvent = None) -> Response:
    return json_response(request, queue.document_view(db, document_id, only_event=event))


@router.get("/documents", response_class=HTMLResponse, summary="Documents page")
def documents_page(
    request: Request, user: Viewer, db: DB, limit: Limit, offset: Offset = 0, format: Format = "html"
) -> Response:
    data = queue.document_list(db, limit=limit, offset=offset)
    return twin(request, format, data, "documents.html", {"title": "Documents"})


@router.get("/documents/{document_id}", response_class=HTMLResponse, summary="Document page")
def document_page(
    request: Request, user: Viewer, db: DB, document_id: DocId, event: ForEvent = None, format: Format = "html"
) -> Response:
    data = queue.document_view(db, document_id)  # every event's evidence; `event` is only emphasised
    return twin(request, format, data, "document.html", {"title": data.title or data.id, "focus": event})
