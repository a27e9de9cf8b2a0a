"""Query parameters and helpers shared by several route modules."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from sectracker.errors import Problem, ValidationFailed
from sectracker.settings import Settings
from sectracker.store.browse import SORT_KEYS
from sectracker.web.deps import get_settings
from sectracker.web.explore import DEFAULT_FACETS
from sectracker.web.params import EventQuery, event_query

Format = Annotated[Literal["html", "json"], Query(alias="format", description="html (the page) or json (its twin).")]
SortName = Literal["date", "-date", "updated", "significance", "category", "id"]
Sort = Annotated[SortName, Query(description="date (newest first), -date, updated, significance, category, id.")]
Cursor = Annotated[str | None, Query(max_length=1000, description="`next_cursor` of the previous page.")]
FacetName = Literal["category", "country", "region", "group", "period", "status", "actor", "tag"]
Facets = Annotated[list[FacetName] | None, Query(alias="facet", max_length=10, description="Facets to count.")]
Query_ = Annotated[EventQuery, Depends(event_query)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
assert set(SORT_KEYS) == set(SortName.__args__)  # type: ignore[attr-defined]


def page_size(
    request: Request, limit: Annotated[int | None, Query(ge=1, le=10_000, description="Page size.")] = None
) -> int:
    """The page size asked for (default and maximum from the settings)."""
    settings: Settings = get_settings(request)
    if limit is None:
        return settings.web_page_size
    if limit > settings.web_max_page_size:
        raise ValidationFailed(Problem(f"at most {settings.web_max_page_size} per page", field="limit"))
    return limit


Limit = Annotated[int, Depends(page_size)]


def page_facets(facets: list[FacetName] | None, default: tuple[str, ...] = DEFAULT_FACETS) -> tuple[str, ...]:
    return tuple(dict.fromkeys(facets or [])) or default


_ETAG = re.compile(r'^(?:W/)?"(?P<id>[a-z0-9._-]+)@(?P<version>\d{1,9})"$')


def event_etag(event_id: str, version: int) -> str:
    return f'"{event_id}@{version}"'


def version_from(request: Request, event_id: str, body_version: int | None) -> int:
    """The version the client edited: If-Match (an ETag of this event) or `version` in the body."""
    header = request.headers.get("if-match")
    if header:
        m = _ETAG.match(header.strip())
        if not m or m.group("id") != event_id:
            raise ValidationFailed(Problem("not an ETag of this event", field="If-Match"))
        return int(m.group("version"))
    if body_version is None:
        raise ValidationFailed(Problem("send If-Match or `version` (the version you edited)", field="version"))
    return body_version


Notice = Annotated[str | None, Query(max_length=40, description="A message code shown after an action.")]


def is_number(text: str, max_digits: int) -> bool:
    """True for 1 to `max_digits` ASCII digits (str.isdigit alone also takes '²' and other scripts' digits)."""
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()


def form_version(values: dict[str, str]) -> int:
    """The `version` field of a form (the version the user edited)."""
    raw = values.get("version", "").strip()
    if not is_number(raw, 9):
        raise ValidationFailed(Problem("the form has no valid version; reload the page", field="version"))
    return int(raw)
