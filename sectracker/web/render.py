"""Rendering: the Jinja2 environment (autoescaped), pages, and JSON twins with ETags."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pydantic import BaseModel

from sectracker.codebook import load_codebook
from sectracker.countries.codes import country_name
from sectracker.errors import CodebookError
from sectracker.models import AuditEntry

NAV = (
    ("/events", "Events"),
    ("/review", "Review"),
    ("/timeline", "Timeline"),
    ("/map", "Map"),
    ("/series", "Series"),
    ("/alerts", "Alerts"),
    ("/countries", "Countries"),
    ("/codebook", "Codebook"),
    ("/editions", "Editions"),
    ("/api", "API"),
)


def category_label(key: str) -> str:
    try:
        return load_codebook().category(key).label
    except CodebookError:
        return key


def _qs(params: dict[str, list[str]] | None = None, **extra: Any) -> str:
    pairs = [(k, v) for k, vs in (params or {}).items() for v in vs]
    pairs += [(k, str(v)) for k, v in extra.items() if v not in (None, "")]
    return urlencode(pairs)


def _day(value: date | None) -> str:
    return value.isoformat() if value else "undated"


def _web_link(url: str | None) -> str:
    """The URL if it is http(s), else "": stored URLs are user data and may say `javascript:`."""
    if not url:
        return ""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


SKIP_IN_DIFF = {"version", "updated_at", "created_at"}


def _short(value: Any, limit: int = 160) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def field_changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field an audited change touched."""
    before, after = entry.before or {}, entry.after or {}
    fields = sorted((set(before) | set(after)) - SKIP_IN_DIFF)
    if not before or not after:
        return []
    return [(f, _short(before.get(f)), _short(after.get(f))) for f in fields if before.get(f) != after.get(f)]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """Templates shipped in the package; every value is HTML-escaped unless a template says otherwise."""
    folder = resources.files("sectracker.web") / "templates"
    env = Environment(loader=FileSystemLoader(str(folder)), autoescape=True, undefined=StrictUndefined)
    env.filters.update(
        country=country_name, category=category_label, qs=_qs, day=_day, changes=field_changes, web_link=_web_link
    )
    env.globals.update(nav=NAV, qs=_qs, categories=load_codebook().categories)
    return env


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    return Jinja2Templates(env=environment())


def page(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """A page with the layout's common values: the user, their CSRF token, the mode."""
    user = getattr(request.state, "user", None)
    settings = request.app.state.settings
    common = {
        "user": user,
        "csrf": user.csrf_token if user and user.csrf_token else "",
        "public": settings.web_public,
        "path": request.url.path,
        "title": context.get("title", "sectracker"),
    }
    return templates().TemplateResponse(request, name, common | context, status_code=status, headers=headers)


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(request: Request, etag: str) -> bool:
    given = request.headers.get("if-none-match", "")
    tags = {t.strip().removeprefix("W/") for t in given.split(",")}
    return etag in tags or "*" in tags


def json_response(request: Request, model: BaseModel, *, status: int = 200, etag: str | None = None) -> Response:
    """The model as JSON with an ETag; 304 when the client already has this version."""
    body = model.model_dump_json().encode()
    tag = etag or etag_for(body)
    if status == 200 and request.method in ("GET", "HEAD") and not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, status_code=status, media_type="application/json", headers={"ETag": tag})


def twin(request: Request, fmt: str, model: BaseModel, name: str, context: dict[str, Any]) -> Response:
    """A page, or its JSON twin (`?format=json`) built from the same model."""
    if fmt == "json":
        return json_response(request, model)
    return page(request, name, {"data": model, **context})
