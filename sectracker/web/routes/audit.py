"""The audit log: read one entry, revert the change it records."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import RedirectResponse, Response

from sectracker.models import AuditEntry
from sectracker.store import review
from sectracker.web.deps import DB, Analyst, Viewer
from sectracker.web.schemas import Changed

router = APIRouter(tags=["audit"])
EntryId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("/api/v1/audit/{entry_id}", response_model=AuditEntry, summary="One audit entry")
def get_entry(user: Viewer, db: DB, entry_id: EntryId) -> AuditEntry:
    return review.audit_entry(db, entry_id)


@router.post("/api/v1/audit/{entry_id}/revert", response_model=Changed, summary="Revert an audited change")
def revert(user: Analyst, db: DB, entry_id: EntryId) -> Changed:
    return Changed(events=review.revert(db, entry_id, user=user.username))


@router.post("/audit/{entry_id}/revert", summary="Revert from the event page")
def revert_form(user: Analyst, db: DB, entry_id: EntryId) -> Response:
    changed = review.revert(db, entry_id, user=user.username)
    return RedirectResponse(f"/events/{changed[0].id}?notice=reverted", status_code=303)
