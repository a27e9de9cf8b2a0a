"""Events: the list with facets, the event page, create, edit, delete and restore."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from sectracker.errors import Conflict, NotFound, Problem, ValidationFailed
from sectracker.models import AuditEntry, Event, Status, slug_id
from sectracker.store import api
from sectracker.store.events import problems_from
from sectracker.web import explore
from sectracker.web.deps import DB, Admin, Analyst, Config, Reader, Viewer
from sectracker.web.forms import form_changes, form_values
from sectracker.web.render import json_response, page, twin
from sectracker.web.routes.common import (
    Cursor,
    Facets,
    Format,
    Limit,
    Notice,
    Query_,
    Sort,
    event_etag,
    form_version,
    page_facets,
    version_from,
)
from sectracker.web.schemas import EventChanges, EventDetail, EventListing, EventSummary

router = APIRouter(tags=["events"])
EventId = Annotated[str, Path(max_length=100)]


STORE_SET = {"version", "created_at", "updated_at"}
"""Fields of a new event that the store sets, never the client."""


def _visible(db: DB, event_id: str, user: Any) -> Event:
    """The event, unless it is deleted, or (for anonymous readers) not verified."""
    event = api.get_event(db, event_id)
    if explore.browse_deleted(db, event_id) or (user is None and event.status != Status.verified):
        raise NotFound(f"no event with id {event_id!r}")
    return event


@router.get("/api/v1/events", response_model=EventListing, summary="List events (filters, sort, cursor pages)")
def list_events(
    request: Request,
    user: Reader,
    db: DB,
    query: Query_,
    limit: Limit,
    sort: Sort = "date",
    cursor: Cursor = None,
    facet: Facets = None,
) -> Response:
    facets = page_facets(facet, default=())
    listing = explore.list_events(db, query, user, sort=sort, limit=limit, cursor=cursor, facets=facets)
    return json_response(request, listing)


@router.post("/api/v1/events", status_code=201, response_model=Event, summary="Create an event")
def create_event(request: Request, user: Analyst, db: DB, event: Event) -> Response:
    if fixed := sorted(STORE_SET & event.model_fields_set):
        raise ValidationFailed([Problem("set by the store; leave it out", field=f) for f in fixed])
    api.add_events(db, [event], user=user.username)
    stored = api.get_event(db, event.id)
    response = json_response(request, stored, status=201, etag=event_etag(stored.id, stored.version))
    response.headers["Location"] = f"/api/v1/events/{stored.id}"
    return response


@router.get("/api/v1/events/{event_id}", response_model=Event, summary="Get an event (ETag, If-None-Match)")
def get_event(request: Request, user: Reader, db: DB, event_id: EventId) -> Response:
    event = _visible(db, event_id, user)
    return json_response(request, event, etag=event_etag(event.id, event.version))


@router.patch("/api/v1/events/{event_id}", response_model=Event, summary="Change fields (If-Match or version)")
def update_event(
    request: Request, user: Analyst, db: DB, event_id: EventId, body: Annotated[EventChanges, Body()]
) -> Response:
    expected = version_from(request, event_id, body.version)
    _visible(db, event_id, user)
    updated = api.edit_event(
        db, event_id, body.changes, user=user.username, expected_version=expected, reason=body.reason
    )
    return json_response(request, updated, etag=event_etag(updated.id, updated.version))


@router.delete("/api/v1/events/{event_id}", status_code=204, summary="Delete an event (recoverable)")
def delete_event(user: Admin, db: DB, event_id: EventId) -> Response:
    api.delete_event(db, event_id, user=user.username, reason="deleted in the web interface")
    return Response(status_code=204)


@router.post("/api/v1/events/{event_id}/restore", response_model=Event, summary="Restore a deleted event")
def restore_event(request: Request, user: Admin, db: DB, event_id: EventId) -> Response:
    api.restore_event(db, event_id, user=user.username, reason="restored in the web interface")
    return json_response(request, api.get_event(db, event_id))


@router.get("/api/v1/events/{event_id}/history", response_model=list[AuditEntry], summary="Audit trail")
def event_history(user: Viewer, db: DB, event_id: EventId) -> list[AuditEntry]:
    return api.event_history(db, event_id)


@router.get("/api/v1/events/{event_id}/related", response_model=list[EventSummary], summary="Related events")
def related(user: Reader, db: DB, event_id: EventId) -> list[EventSummary]:
    return explore.event_detail(db, event_id, user).related


@router.get("/events", response_class=HTMLResponse, summary="Events page (JSON twin with format=json)")
def events_page(
    request: Request,
    user: Reader,
    db: DB,
    query: Query_,
    limit: Limit,
    sort: Sort = "date",
    cursor: Cursor = None,
    facet: Facets = None,
    format: Format = "html",
) -> Response:
    listing = explore.list_events(db, query, user, sort=sort, limit=limit, cursor=cursor, facets=page_facets(facet))
    context = {"title": "Events", "query": query, "sort": sort, "limit": limit, "cursor": cursor}
    return twin(request, format, listing, "events.html", context)


@router.get("/events/new", response_class=HTMLResponse, summary="Form for a new event")
def new_event_page(request: Request, user: Analyst) -> Response:
    return page(request, "edit.html", {"title": "New event", "event": None, "values": form_values(None)})


def _form(form: Any) -> dict[str, str]:
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _edit_failed(
    request: Request, event: Event | None, values: dict[str, str], exc: Exception, status: int
) -> Response:
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    context = {"title": "Edit event", "event": event, "values": values, "problems": problems, "message": str(exc)}
    return page(request, "edit.html", context, status=status)


@router.post("/events/new", response_class=HTMLResponse, summary="Create an event from the form")
async def create_event_form(request: Request, user: Analyst, db: DB) -> Response:
    values = _form(await request.form())
    try:
        data = form_changes(values)
        given_id = values.get("id", "").strip()
        data["id"] = given_id or slug_id(data.get("headline", ""), data.get("date_start") or "", data["category"])
        event = Event.model_validate(data)
        api.add_events(db, [event], user=user.username)
    except ValidationError as exc:
        return _edit_failed(request, None, values, ValidationFailed(problems_from(exc)), 400)
    except (ValidationFailed, Conflict) as exc:
        return _edit_failed(request, None, values, exc, exc.http_status)
    return RedirectResponse(f"/events/{event.id}?notice=created", status_code=303)


@router.get("/events/{event_id}", response_class=HTMLResponse, summary="Event page (JSON twin with format=json)")
def event_page(
    request: Request,
    user: Reader,
    db: DB,
    event_id: EventId,
    format: Format = "html",
    notice: Notice = None,
) -> Response:
    detail: EventDetail = explore.event_detail(db, event_id, user)
    context = {"title": detail.event.headline, "notice": notice or ""}
    return twin(request, format, detail, "event.html", context)


@router.get("/events/{event_id}/edit", response_class=HTMLResponse, summary="Edit form")
def edit_page(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    event = api.get_event(db, event_id)
    return page(request, "edit.html", {"title": "Edit event", "event": event, "values": form_values(event)})


@router.post("/events/{event_id}/edit", response_class=HTMLResponse, summary="Save the edit form")
async def edit_event_form(request: Request, user: Analyst, db: DB, event_id: EventId) -> Response:
    values = _form(await request.form())
    api.get_event(db, event_id)
    try:
        version = form_version(values)
        changes = form_changes(values)
        reason = values.get("reason", "").strip()[:2000] or None
        api.edit_event(db, event_id, changes, user=user.username, expected_version=version, reason=reason)
    except (ValidationFailed, Conflict) as exc:
        return _edit_failed(request, api.get_event(db, event_id), values, exc, exc.http_status)
    return RedirectResponse(f"/events/{event_id}?notice=saved", status_code=303)


@router.post("/events/{event_id}/delete", summary="Delete from the event page")
def delete_event_form(user: Admin, db: DB, event_id: EventId) -> Response:
    api.delete_event(db, event_id, user=user.username, reason="deleted in the web interface")
    return RedirectResponse(f"/events/{event_id}?notice=deleted", status_code=303)


@router.post("/events/{event_id}/restore", summary="Restore from the event page")
def restore_event_form(user: Admin, db: DB, event_id: EventId) -> Response:
    api.restore_event(db, event_id, user=user.username, reason="restored in the web interface")
    return RedirectResponse(f"/events/{event_id}?notice=restored", status_code=303)


__all__ = ["Config", "router"]
