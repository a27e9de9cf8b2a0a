"""Watch alerts: the list (newest first), its JSON twin and the Atom feed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sectracker.watch.feed import atom_feed
from sectracker.web import alerting
from sectracker.web.deps import DB, Reader
from sectracker.web.render import etag_for, json_response, not_modified, twin
from sectracker.web.routes.common import Format, Limit
from sectracker.web.schemas import AlertList

router = APIRouter(tags=["alerts"])
Rule = Annotated[str | None, Query(max_length=100, description="Only this rule's alerts.")]
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@router.get("/api/v1/alerts", response_model=AlertList, summary="Watch alerts, newest first, with their evidence")
def list_alerts(request: Request, user: Reader, db: DB, limit: Limit, rule: Rule = None) -> Response:
    alerts = alerting.visible_alerts(db, user, rule=rule, limit=limit)
    return json_response(request, alerting.alert_list(alerts, rule=rule, limit=limit))


@router.get("/alerts", response_class=HTMLResponse, summary="Alerts page")
def alerts_page(
    request: Request, user: Reader, db: DB, limit: Limit, rule: Rule = None, format: Format = "html"
) -> Response:
    alerts = alerting.visible_alerts(db, user, rule=rule, limit=limit)
    data = alerting.alert_list(alerts, rule=rule, limit=limit)
    return twin(request, format, data, "alerts.html", {"title": "Watch alerts"})


@router.get(
    "/alerts.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}}},
    summary="Watch alerts as an Atom feed",
)
def alerts_feed(request: Request, user: Reader, db: DB, limit: Limit, rule: Rule = None) -> Response:
    alerts = alerting.visible_alerts(db, user, rule=rule, limit=limit)
    body = atom_feed(alerts, link=str(request.base_url).rstrip("/") + "/alerts").encode("utf-8")
    etag = etag_for(body)
    if not_modified(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type=ATOM_TYPE, headers={"ETag": etag})
