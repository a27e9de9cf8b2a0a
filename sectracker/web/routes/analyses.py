"""Analyses: counts, period comparisons, the monthly timeline and the map."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from sectracker.web import explore
from sectracker.web.deps import DB, Reader
from sectracker.web.render import json_response, page
from sectracker.web.routes.common import Format, Query_
from sectracker.web.schemas import ChartData, Comparison, Counts

router = APIRouter(tags=["analyses"])
By = Annotated[str, Query(max_length=20, description=f"One of: {', '.join(explore.COUNT_BY)}.")]
PeriodParam = Annotated[str, Query(max_length=20, description="A period: 2020, 2020-H1, 2020-Q2, 2020-05.")]


class MapData(BaseModel):
    points: ChartData
    countries: ChartData


@router.get("/api/v1/counts", response_model=Counts, summary="Event counts by a facet")
def counts(request: Request, user: Reader, db: DB, query: Query_, by: By = "category") -> Response:
    return json_response(request, explore.counts(db, query, user, by))


@router.get("/api/v1/comparisons", response_model=Comparison, summary="Counts in two periods, compared")
def comparisons(
    request: Request, user: Reader, db: DB, query: Query_, a: PeriodParam, b: PeriodParam, by: By = "category"
) -> Response:
    return json_response(request, explore.compare(db, query, user, by, a, b))


@router.get("/api/v1/timeline", response_model=ChartData, summary="Monthly counts with a Vega-Lite spec")
def timeline(request: Request, user: Reader, db: DB, query: Query_) -> Response:
    return json_response(request, explore.timeline(db, query, user))


@router.get("/api/v1/map", response_model=MapData, summary="Located events and countries with Vega-Lite specs")
def event_map(request: Request, user: Reader, db: DB, query: Query_) -> Response:
    points, countries = explore.event_map(db, query, user)
    return json_response(request, MapData(points=points, countries=countries))


@router.get("/timeline", response_class=HTMLResponse, summary="Timeline page")
def timeline_page(request: Request, user: Reader, db: DB, query: Query_, format: Format = "html") -> Response:
    data = explore.timeline(db, query, user)
    if format == "json":
        return json_response(request, data)
    return page(request, "timeline.html", {"title": "Timeline", "data": data, "query": query})


@router.get("/map", response_class=HTMLResponse, summary="Map page")
def map_page(request: Request, user: Reader, db: DB, query: Query_, format: Format = "html") -> Response:
    points, countries = explore.event_map(db, query, user)
    if format == "json":
        return json_response(request, MapData(points=points, countries=countries))
    context = {"title": "Map", "points": points, "countries": countries, "query": query}
    return page(request, "map.html", context)
