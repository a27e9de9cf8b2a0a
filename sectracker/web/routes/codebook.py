"""The codebook: sections and categories with definitions, scope, cues and counts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sectracker.web import explore
from sectracker.web.deps import DB, Reader
from sectracker.web.render import json_response, twin
from sectracker.web.routes.common import Format
from sectracker.web.schemas import CodebookOut

router = APIRouter(tags=["codebook"])


@router.get("/api/v1/codebook", response_model=CodebookOut, summary="The codebook with event counts")
def get_codebook(request: Request, user: Reader, db: DB) -> Response:
    return json_response(request, explore.codebook_view(db, user))


@router.get("/codebook", response_class=HTMLResponse, summary="Codebook page")
def codebook_page(request: Request, user: Reader, db: DB, format: Format = "html") -> Response:
    return twin(request, format, explore.codebook_view(db, user), "codebook.html", {"title": "Codebook"})
