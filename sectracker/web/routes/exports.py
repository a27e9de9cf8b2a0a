"""Exports of the current selection as CSV, JSON or GeoJSON (the file name is checked, never used as a path)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from sectracker.errors import Problem, ValidationFailed
from sectracker.exchange.writers import to_csv, to_geojson, to_json
from sectracker.store import api
from sectracker.web.deps import DB, Config, Reader
from sectracker.web.routes.common import Query_

router = APIRouter(tags=["exports"])
WRITERS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "json": (to_json, "application/json"),
    "geojson": (to_geojson, "application/geo+json"),
}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}\.(csv|json|geojson)$")
ExportName = Annotated[str, Path(max_length=100, description="File name ending in .csv, .json or .geojson.")]


@router.get(
    "/api/v1/exports/{name}",
    summary="Export the selected events",
    responses={200: {"content": {"text/csv": {}, "application/json": {}, "application/geo+json": {}}}},
)
def export(user: Reader, db: DB, settings: Config, name: ExportName, query: Query_) -> Response:
    m = NAME.match(name)
    if not m:
        raise ValidationFailed(
            Problem("use letters, digits, '-' or '_' and end in .csv, .json or .geojson", field="name")
        )
    f = query.to_filter(user)
    total = api.count_events(db, f)
    if total > settings.web_export_max:
        raise ValidationFailed(
            Problem(
                f"{total} events is more than a web export holds ({settings.web_export_max}); narrow the "
                "selection or use `sectracker export`",
                field="limit",
            )
        )
    writer, media_type = WRITERS[m.group(1)]
    body = writer(api.find_events(db, f, sort="id", limit=None))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)
