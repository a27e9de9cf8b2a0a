"""Counterpart countries: the list with counts and one profile page per country."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response

from sectracker.web import explore
from sectracker.web.deps import DB, Reader
from sectracker.web.render import json_response, twin
from sectracker.web.routes.common import Format, Query_
from sectracker.web.schemas import CountryList, CountryProfile

router = APIRouter(tags=["countries"])
Iso3 = Annotated[str, Path(min_length=3, max_length=3)]


@router.get("/api/v1/countries", response_model=CountryList, summary="Counterpart countries by events")
def list_countries(request: Request, user: Reader, db: DB, query: Query_) -> Response:
    return json_response(request, explore.country_list(db, query, user))


@router.get("/api/v1/countries/{iso3}", response_model=CountryProfile, summary="Country profile")
def get_country(request: Request, user: Reader, db: DB, iso3: Iso3, query: Query_) -> Response:
    return json_response(request, explore.country_profile(db, iso3, query, user))


@router.get("/countries", response_class=HTMLResponse, summary="Countries page")
def countries_page(request: Request, user: Reader, db: DB, query: Query_, format: Format = "html") -> Response:
    data = explore.country_list(db, query, user)
    return twin(request, format, data, "countries.html", {"title": "Countries", "query": query})


@router.get("/countries/{iso3}", response_class=HTMLResponse, summary="Country profile page")
def country_page(
    request: Request, user: Reader, db: DB, iso3: Iso3, query: Query_, format: Format = "html"
) -> Response:
    data = explore.country_profile(db, iso3, query, user)
    return twin(request, format, data, "country.html", {"title": data.name, "query": query})
