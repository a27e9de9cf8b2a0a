"""Writing events out: CSV, JSON, JSON Lines, GeoJSON and a Frictionless data package.

Outputs are deterministic: sorted keys, events in id order, no timestamps of our own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sectracker.codebook import load_codebook, render_markdown
from sectracker.errors import ValidationFailed
from sectracker.exchange.columns import FLAT_COLUMNS, flatten
from sectracker.models import Event

EXPORT_FORMATS = ("csv", "json", "jsonl", "geojson", "datapackage")


def _sorted(events: Sequence[Event]) -> list[Event]:
    return sorted(events, key=lambda e: e.id)


def to_csv(events: Sequence[Event]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(FLAT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for e in _sorted(events):
        writer.writerow(flatten(e))
    return buf.getvalue()


def to_json(events: Sequence[Event]) -> str:
    data = {"events": [e.model_dump(mode="json") for e in _sorted(events)]}
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def to_jsonl(events: Sequence[Event]) -> str:
    return "".join(
        json.dumps(e.model_dump(mode="json"), sort_keys=True, ensure_ascii=False) + "\n" for e in _sorted(events)
    )


def to_geojson(events: Sequence[Event]) -> str:
    """One Point feature per event location; events without a location are left out."""
    features: list[dict[str, Any]] = []
    for e in _sorted(events):
        for loc in e.locations:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [loc.lon, loc.lat]},
                    "properties": {
                        "id": e.id,
                        "headline": e.headline,
                        "category": e.category,
                        "date_start": e.date_start.isoformat() if e.date_start else None,
                        "date_end": e.date_end.isoformat() if e.date_end else None,
                        "countries": e.countries,
                        "place": loc.name,
                        "location_precision": loc.precision.value,
                    },
                }
            )
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, sort_keys=True, indent=2, ensure_ascii=False)
        + "\n"
    )


TEXT_WRITERS = {"csv": to_csv, "json": to_json, "jsonl": to_jsonl, "geojson": to_geojson}

_FIELD_TYPES = {
    "date_start": "date",
    "date_end": "date",
    "significance": "integer",
    "highlight": "boolean",
    "confidence": "number",
    "version": "integer",
    "created_at": "datetime",
    "updated_at": "datetime",
}
_FIELD_HELP = {
    "category": "Codebook category key (see codebook.md).",
    "countries": "Counterpart countries, ISO 3166-1 alpha-3 codes joined with ';'.",
    "actors": "Chinese actor ids from the sectracker actor list, joined with ';'.",
    "locations": "JSON list of {name, lat, lon, precision}.",
    "quantities": "JSON list of {value, unit, item, text}.",
    "sources": "JSON list of {title, publisher, url, published, evidence}.",
    "date_precision": "day, month, quarter, half-year, year or unknown.",
}


def _readme(count: int) -> str:
    cb = load_codebook()
    return (
        "# sectracker event data\n\n"
        f"{count} events coded against codebook version {cb.version}.\n\n"
        "- `events.csv`: one row per event (see `datapackage.json` for the columns).\n"
        "- `codebook.md`: the categories, their definitions and scope.\n\n"
        "Each event lists its sources; cite the original sources when you use an event.\n"
    )


def write_datapackage(events: Sequence[Event], out: Path, name: str = "sectracker-events") -> list[Path]:
    """A Frictionless data package folder: events.csv, codebook.md, README.md, datapackage.json."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "events.csv": to_csv(events),
        "codebook.md": render_markdown(load_codebook()),
        "README.md": _readme(len(events)),
    }
    for fname, text in files.items():
        (out / fname).write_text(text, encoding="utf-8")
    schema_fields = [
        {
            "name": c,
            "type": _FIELD_TYPES.get(c, "string"),
            **({"description": _FIELD_HELP[c]} if c in _FIELD_HELP else {}),
        }
        for c in FLAT_COLUMNS
    ]
    package = {
        "name": name,
        "profile": "tabular-data-package",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            {
                "name": "events",
                "path": "events.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "hash": "sha256:" + hashlib.sha256(files["events.csv"].encode()).hexdigest(),
                "schema": {"fields": schema_fields, "primaryKey": "id"},
            },
            {"name": "codebook", "path": "codebook.md", "format": "md", "mediatype": "text/markdown"},
        ],
        "sectracker": {"codebook_version": load_codebook().version},
    }
    (out / "datapackage.json").write_text(json.dumps(package, sort_keys=True, indent=2) + "\n", encoding="utf-8")
    return [out / f for f in (*files, "datapackage.json")]


def export_events(events: Sequence[Event], fmt: str, out: Path | None) -> str | list[Path]:
    """Export in a format: text (or write it to `out`), or a data package folder."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationFailed(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "datapackage":
        if out is None:
            raise ValidationFailed("a data package is a folder: give --out DIR")
        return write_datapackage(events, out)
    text = TEXT_WRITERS[fmt](events)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        return [out]
    return text
