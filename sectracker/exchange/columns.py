"""The flat (CSV) form of an event: one column per field, lists joined, nested as JSON."""

from __future__ import annotations

import json
from typing import Any

from sectracker.models import Event

FLAT_COLUMNS = (
    "id",
    "headline",
    "summary",
    "category",
    "date_start",
    "date_end",
    "date_precision",
    "actors",
    "countries",
    "locations",
    "quantities",
    "tags",
    "significance",
    "highlight",
    "status",
    "confidence",
    "sources",
    "codebook_version",
    "created_at",
    "updated_at",
    "version",
)
LIST_COLUMNS = ("actors", "countries", "tags")
JSON_COLUMNS = ("locations", "quantities", "sources")
LIST_SEPARATOR = ";"


def flatten(e: Event) -> dict[str, str]:
    """An event as CSV cell texts (lists joined with ';', nested records as JSON)."""
    data = e.model_dump(mode="json")
    row: dict[str, str] = {}
    for col in FLAT_COLUMNS:
        value = data[col]
        if col in LIST_COLUMNS:
            row[col] = LIST_SEPARATOR.join(value)
        elif col in JSON_COLUMNS:
            row[col] = json.dumps(value, sort_keys=True, ensure_ascii=False) if value else ""
        elif isinstance(value, bool):
            row[col] = "true" if value else "false"
        else:
            row[col] = "" if value is None else str(value)
    return row


def unflatten(row: dict[str, str]) -> dict[str, Any]:
    """CSV cell texts back to event fields; JSON errors raise ValueError naming the column."""
    data: dict[str, Any] = {}
    for col, raw in row.items():
        if col is None:
            raise ValueError("the row has more cells than the header has columns")
        if raw is None:
            raise ValueError(f"the row has fewer cells than the header has columns (none for {col!r})")
        text = raw.strip()
        if col in LIST_COLUMNS:
            data[col] = [p.strip() for p in text.split(LIST_SEPARATOR) if p.strip()]
        elif col in JSON_COLUMNS:
            try:
                data[col] = json.loads(text) if text else []
            except json.JSONDecodeError as exc:
                raise ValueError(f"column {col!r} is not valid JSON ({exc.msg})") from exc
        elif text == "":
            continue
        else:
            data[col] = text
    return data
