"""Editions: the report HTML built for each period, served from the editions folder."""

from __future__ import annotations

import re
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from sectracker.errors import NotFound, ValidationFailed
from sectracker.periods import parse_period, period_label
from sectracker.settings import Settings
from sectracker.web.deps import Config, Reader
from sectracker.web.render import twin
from sectracker.web.routes.common import Format
from sectracker.web.schemas import Edition, EditionList

router = APIRouter(tags=["editions"])
PERIOD = re.compile(r"^\d{4}(-(H[12]|Q[1-4]|\d{2}))?$")
SERVED = {".html", ".css", ".png", ".svg", ".jpg", ".pdf", ".md", ".json", ".csv", ".woff2"}
PeriodName = Annotated[str, Path(max_length=10)]


def _editions(settings: Settings) -> list[Edition]:
    root = FsPath(settings.web_editions_dir)
    if not root.is_dir():
        return []
    out = []
    for folder in sorted(root.iterdir(), reverse=True):
        if not (PERIOD.match(folder.name) and (folder / "index.html").is_file()):
            continue
        try:
            label = period_label(*parse_period(folder.name))
        except ValidationFailed:
            continue
        files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in SERVED)
        out.append(Edition(period=folder.name, label=label, files=files))
    return out


def _file(settings: Settings, period: str, name: str) -> FsPath:
    """A file inside one edition's folder; NotFound for anything else (no '..', no links out)."""
    if not PERIOD.match(period):
        raise NotFound(f"no edition {period[:10]!r}")
    base = (FsPath(settings.web_editions_dir) / period).resolve()
    target = (base / name).resolve()
    if not target.is_relative_to(base) or not target.is_file() or target.suffix not in SERVED:
        raise NotFound(f"no file {name[:60]!r} in edition {period}")
    return target


@router.get("/api/v1/editions", response_model=EditionList, summary="Built editions by period")
def list_editions(user: Reader, settings: Config) -> EditionList:
    return EditionList(editions=_editions(settings))


@router.get("/editions", response_class=HTMLResponse, summary="Editions page")
def editions_page(request: Request, user: Reader, settings: Config, format: Format = "html") -> Response:
    data = EditionList(editions=_editions(settings))
    return twin(request, format, data, "editions.html", {"title": "Editions"})


@router.get("/editions/{period}", summary="An edition (redirects to its index.html)")
def edition(user: Reader, settings: Config, period: PeriodName) -> Response:
    _file(settings, period, "index.html")
    return RedirectResponse(f"/editions/{period}/index.html", status_code=307)


@router.get("/editions/{period}/{name:path}", summary="A file of an edition")
def edition_file(
    user: Reader, settings: Config, period: PeriodName, name: Annotated[str, Path(max_length=200)]
) -> Response:
    return FileResponse(_file(settings, period, name))
