"""Indicator series: the list with each series' newest value, and one page per series."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from sectracker.web import indicators
from sectracker.web.deps import DB, Reader
from sectracker.web.render import json_response, twin
from sectracker.web.routes.common import Format
from sectracker.web.schemas import SeriesDetail, SeriesList

router = APIRouter(tags=["series"])
SeriesId = Annotated[str, Path(max_length=100)]


@router.get("/api/v1/series", response_model=SeriesList, summary="Indicator series with their newest values")
def list_series(request: Request, user: Reader, db: DB) -> Response:
    return json_response(request, indicators.series_list(db))


@router.get("/api/v1/series/{series_id}", response_model=SeriesDetail, summary="One series: values, changes, chart")
def get_series(request: Request, user: Reader, db: DB, series_id: SeriesId) -> Response:
    return json_response(request, indicators.series_detail(db, series_id, user))


@router.get("/series", response_class=HTMLResponse, summary="Series page")
def series_page(request: Request, user: Reader, db: DB, format: Format = "html") -> Response:
    return twin(request, format, indicators.series_list(db), "series_list.html", {"title": "Indicator series"})


@router.get("/series/{series_id}", response_class=HTMLResponse, summary="Page of one series")
def one_series_page(request: Request, user: Reader, db: DB, series_id: SeriesId, format: Format = "html") -> Response:
    data = indicators.series_detail(db, series_id, user)
    return twin(request, format, data, "series.html", {"title": data.series.name})
