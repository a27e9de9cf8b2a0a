"""Candidates and the review queue: accept, edit, merge, split and reject, with keyboard shortcuts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sectracker.errors import Problem, ValidationFailed
from sectracker.store import api, review
from sectracker.web import queue
from sectracker.web.deps import DB, Analyst, Viewer
from sectracker.web.render import json_response, page, twin
from sectracker.web.routes.common import Format, Limit, Notice, Offset, form_version, is_number, version_from
from sectracker.web.schemas import (
    Changed,
    Decision,
    MergeDecision,
    RejectDecision,
    ReviewItem,
    ReviewQueue,
    SplitDecision,
)

router = APIRouter(tags=["candidates"])
EventId = Annotated[str, Path(max_length=100)]
NOTICES = {"accepted", "rejected", "merged", "split", "saved"}


@router.get("/api/v1/candidates", response_model=ReviewQueue, summary="Candidates, neediest first")
def list_candidates(request: Request, user: Viewer, db: DB, limit: Limit, offset: Offset = 0) -> Response:
    return json_response(request, queue.queue_page(db, limit=limit, offset=offset))


@router.get("/api/v1/candidates/{event_id}", response_model=ReviewItem, summary="A candidate with its documents")
def get_candidate(request: Request, user: Viewer, db: DB, event_id: EventId) -> Response:
    item = queue.review_item(db, event_id)
    assert item is not None
    return json_response(request, item)


@router.post("/api/v1/candidates/{event_id}/accept", response_model=Changed, summary="Accept (verify)")
def accept(request: Request, user: Analyst, db: DB, event_id: EventId, body: Decision) -> Changed:
    version = version_from(request, event_id, body.version)
    done = review.accept(db, event_id, user=user.username, expected_version=version, reason=body.reason)
    return Changed(events=[done])


@router.post("/api/v1/candidates/{event_id}/reject", response_model=Changed, summary="Reject with a reason")
def reject(request: Request, user: Analyst, db: DB, event_id: EventId, body: RejectDecision) -> Changed:
    version = version_from(request, event_id, body.version)
    done = review.reject(db, event_id, user=user.username, reason=body.reason, expected_version=version)
    return Changed(events=[done])


@router.post("/api/v1/candidates/{event_id}/merge", response_model=Changed, summary="Merge into another event")
def merge(request: Request, user: Analyst, db: DB, event_id: EventId, body: MergeDecision) -> Changed:
    target = review.merge(
        db,
        event_id,
        body.target,
        user=user.username,
        expected_version=version_from(request, event_id, body.version),
        target_version=body.target_version,
    )
    return Changed(events=[target, api.get_event(db, event_id)])


@router.post("/api/v1/candidates/{event_id}/split", response_model=Changed, summary="Split events off")
def split(request: Request, user: Analyst, db: DB, event_id: EventId, body: SplitDecision) -> Changed:
    parts = [p.model_dump() for p in body.parts]
    version = version_from(request, event_id, body.version)
    return Changed(events=review.split(db, event_id, parts, user=user.username, expected_version=version))


@router.get("/review", response_class=HTMLResponse, summary="Review queue (first candidate)")
def review_page(request: Request, user: Viewer, db: DB, format: Format = "html", notice: Notice = None) -> Response:
    return _review(request, db, None, format, notice)


@router.get("/review/{event_id}", response_class=HTMLResponse, summary="Review one candidate")
def review_event_page(
    request: Request, user: Viewer, db: DB, event_id: EventId, format: Format = "html", notice: Notice = None
) -> Response:
    return _review(request, db, event_id, format, notice)


def _review(request: Request, db: DB, event_id: str | None, fmt: str, notice: str | None) -> Response:
    item = queue.review_item(db, event_id)
    listing = queue.queue_page(db, limit=30)
    context = {"title": "Review", "queue": listing, "notice": notice if notice in NOTICES else ""}
    if item is None:
        return twin(request, fmt, listing, "review.html", {**context, "item": None})
    return twin(request, fmt, item, "review.html", {**context, "item": item})


async def _form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _done(notice: str) -> Response:
    return RedirectResponse(f"/review?notice={notice}", status_code=303)


@router.post("/review/{event_id}/accept", summary="Accept from the review page")
async def accept_form(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    form = await _form(request)
    review.accept(db, event_id, user=user.username, expected_version=form_version(form))
    return _done("accepted")


@router.post("/review/{event_id}/reject", summary="Reject from the review page")
async def reject_form(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    form = await _form(request)
    reason = form.get("reason", "")[:2000]
    review.reject(db, event_id, user=user.username, reason=reason, expected_version=form_version(form))
    return _done("rejected")


@router.post("/review/{event_id}/merge", summary="Merge from the review page")
async def merge_form(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    form = await _form(request)
    target = form.get("target", "").strip()[:100]
    if not target:
        raise ValidationFailed(Problem("choose the event to merge into", field="target"))
    review.merge(db, event_id, target, user=user.username, expected_version=form_version(form))
    return _done("merged")


@router.get("/review/{event_id}/split", response_class=HTMLResponse, summary="Split form")
def split_page(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    event = api.get_event(db, event_id)
    return page(request, "split.html", {"title": "Split event", "event": event, "problems": []})


def _split_part(form: dict[str, str], event_sources: int) -> dict[str, Any]:
    indexes = [int(k[5:]) for k in form if k.startswith("move_") and is_number(k[5:], 6)]
    part: dict[str, Any] = {"source_indexes": [i for i in indexes if i < event_sources]}
    for name in ("headline", "summary"):
        if form.get(name, "").strip():
            part[name] = form[name].strip()[:2000]
    if form.get("countries", "").strip():
        part["countries"] = [c.strip() for c in form["countries"].split(";") if c.strip()][:50]
    if form.get("category", "").strip():
        part["category"] = form["category"].strip()[:64]
    return part


@router.post("/review/{event_id}/split", response_class=HTMLResponse, summary="Split from the form")
async def split_form(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    form = await _form(request)
    event = api.get_event(db, event_id)
    try:
        part = _split_part(form, len(event.sources))
        review.split(db, event_id, [part], user=user.username, expected_version=form_version(form))
    except ValidationFailed as exc:
        context = {"title": "Split event", "event": event, "problems": exc.problems}
        return page(request, "split.html", context, status=400)
    return _done("split")
