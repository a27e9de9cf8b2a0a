"""HTML form fields <-> event field changes (lists split on ';', nested values as JSON)."""

from __future__ import annotations

import json
from typing import Any

from sectracker.errors import Problem, ValidationFailed
from sectracker.models import Event

TEXT_FIELDS = ("headline", "summary", "category", "date_start", "date_end", "date_precision", "status")
LIST_FIELDS = ("actors", "countries", "tags")
JSON_FIELDS = ("locations", "quantities", "sources")
MAX_FIELD = 100_000


def form_values(event: Event | None) -> dict[str, str]:
    """Text for each form field of an event (empty for a new one)."""
    if event is None:
        return {"significance": "3", "status": "candidate", "date_precision": "day", "highlight": ""}
    data = event.model_dump(mode="json")
    out = {f: "" if data[f] is None else str(data[f]) for f in TEXT_FIELDS}
    out |= {f: "; ".join(data[f]) for f in LIST_FIELDS}
    out |= {f: json.dumps(data[f], indent=1, ensure_ascii=False) if data[f] else "" for f in JSON_FIELDS}
    out |= {
        "significance": str(event.significance),
        "confidence": "" if event.confidence is None else str(event.confidence),
        "highlight": "on" if event.highlight else "",
    }
    return out


def _json(name: str, raw: str) -> Any:
    if not raw.strip():
        return []
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(Problem(f"not valid JSON ({exc.msg}, line {exc.lineno})", field=name)) from exc
    if not isinstance(value, list):
        raise ValidationFailed(Problem("expected a JSON list", field=name))
    return value


def form_changes(form: dict[str, str]) -> dict[str, Any]:
    """Event field changes from submitted form text; ValidationFailed names the field."""
    too_long = [Problem("too long", field=k) for k, v in form.items() if len(v) > MAX_FIELD]
    if too_long:
        raise ValidationFailed(too_long)
    changes: dict[str, Any] = {f: form.get(f, "").strip() for f in TEXT_FIELDS}
    for f in ("date_start", "date_end"):
        changes[f] = changes[f] or None
    changes |= {f: [v.strip() for v in form.get(f, "").split(";") if v.strip()] for f in LIST_FIELDS}
    problems = []
    for f in JSON_FIELDS:
        try:
            changes[f] = _json(f, form.get(f, ""))
        except ValidationFailed as exc:
            problems += exc.problems
    changes["highlight"] = form.get("highlight") == "on"
    changes["significance"] = form.get("significance", "3").strip() or "3"
    changes["confidence"] = form.get("confidence", "").strip() or None
    if problems:
        raise ValidationFailed(problems)
    return changes
