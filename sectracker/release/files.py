"""The files of a release, written the same way byte for byte every time.

CSV, JSON and GeoJSON come from `sectracker.exchange.writers` (sorted keys, events in
id order); the Frictionless package from `write_datapackage`, extended with the series
and the other formats. Parquet is written with fixed settings (no compression
dictionary guesswork, fixed row-group size, statistics on, zstd level 3); its footer
names the pyarrow version, which the manifest records.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from sectracker.exchange.writers import to_geojson, to_json, write_datapackage
from sectracker.models import Event
from sectracker.release.snapshot import Snapshot, covers
from sectracker.series.change import changes
from sectracker.series.models import Series

SERIES_COLUMNS = (
    "series_id", "name", "unit", "frequency", "country", "mission", "date", "value", "qualifier",
    "previous_date", "previous_value", "change_percent", "source", "publisher", "url", "locator", "derived", "note",
)  # fmt: skip
EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("headline", pa.string()), ("summary", pa.string()), ("category", pa.string()),
        ("date_start", pa.date32()), ("date_end", pa.date32()), ("date_precision", pa.string()),
        ("actors", pa.list_(pa.string())), ("countries", pa.list_(pa.string())), ("locations", pa.string()),
        ("quantities", pa.string()), ("tags", pa.list_(pa.string())), ("significance", pa.int8()),
        ("highlight", pa.bool_()), ("status", pa.string()), ("confidence", pa.float64()), ("sources", pa.string()),
        ("codebook_version", pa.string()), ("created_at", pa.timestamp("s", tz="UTC")),
        ("updated_at", pa.timestamp("s", tz="UTC")), ("version", pa.int32()),
    ]
)  # fmt: skip
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": False,
    "write_statistics": True,
    "row_group_size": 100_000,
    "version": "2.6",
    "data_page_version": "1.0",
}


def _json_cell(value: Any) -> str | None:
    return json.dumps(value, sort_keys=True, ensure_ascii=False) if value else None


def to_parquet(events: Sequence[Event]) -> bytes:
    """Events as a Parquet file (typed columns; nested records as JSON text)."""
    rows = []
    for e in sorted(events, key=lambda x: x.id):
        d = e.model_dump()
        d["date_precision"], d["status"] = e.date_precision.value, e.status.value
        d["locations"] = _json_cell(e.model_dump(mode="json")["locations"])
        d["quantities"] = _json_cell(e.model_dump(mode="json")["quantities"])
        d["sources"] = _json_cell(e.model_dump(mode="json")["sources"])
        rows.append({name: d[name] for name in EVENT_SCHEMA.names})
    table = pa.Table.from_pylist(rows, schema=EVENT_SCHEMA)
    buf = io.BytesIO()
    pq.write_table(table, buf, **PARQUET_OPTIONS)
    return buf.getvalue()


def series_rows(series: Sequence[Series], snapshot: Snapshot) -> list[dict[str, str]]:
    """One row per value whose period overlaps the release's, with its change on the period before."""
    rows = []
    for s in series:
        by_date = {o.date: o for o in s.observations}
        for c in changes(s):
            if not covers(s, c.date, snapshot.start, snapshot.end):
                continue
            o, p = by_date[c.date], s.provenance_of(by_date[c.date])
            rows.append(
                {
                    "series_id": s.id, "name": s.name, "unit": s.unit, "frequency": s.frequency.value,
                    "country": s.country or "", "mission": s.mission or "", "date": c.date.isoformat(),
                    "value": f"{c.value:.15g}", "qualifier": o.qualifier.value,
                    "previous_date": c.previous_date.isoformat() if c.previous_date else "",
                    "previous_value": f"{c.previous_value:.15g}" if c.previous_value is not None else "",
                    "change_percent": f"{c.percent:.2f}" if c.percent is not None else "",
                    "source": p.source, "publisher": p.publisher or "", "url": p.url or "", "locator": p.locator or "",
                    "derived": p.derived or "", "note": o.note,
                }
            )  # fmt: skip
    return rows


def series_csv(rows: Sequence[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(SERIES_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def series_json(series: Sequence[Series]) -> str:
    data = {"series": [s.model_dump(mode="json") for s in series]}
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _package(out: Path, name: str, series_text: str) -> None:
    """Add the series and the other formats to the data package descriptor."""
    path = out / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    fields = [{"name": c, "type": "string"} for c in SERIES_COLUMNS]
    for f in fields:
        if f["name"] in ("date", "previous_date"):
            f["type"] = "date"
        elif f["name"] in ("value", "previous_value", "change_percent"):
            f["type"] = "number"
    package["name"] = name
    package["resources"] += [
        {
            "name": "series", "path": "series.csv", "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(series_text.encode()).hexdigest(),
            "schema": {"fields": fields, "primaryKey": ["series_id", "date"]},
        },
        {"name": "events-json", "path": "events.json", "format": "json", "mediatype": "application/json"},
        {"name": "events-geojson", "path": "events.geojson", "format": "geojson", "mediatype": "application/geo+json"},
        {"name": "events-parquet", "path": "events.parquet", "format": "parquet",
         "mediatype": "application/vnd.apache.parquet"},
        {"name": "series-json", "path": "series.json", "format": "json", "mediatype": "application/json"},
        {"name": "changelog", "path": "CHANGELOG.md", "format": "md", "mediatype": "text/markdown"},
    ]  # fmt: skip
    path.write_text(json.dumps(package, sort_keys=True, indent=2) + "\n", encoding="utf-8")


def write_release_files(
    snapshot: Snapshot, out: Path, *, name: str, readme: str, changelog_md: str, changelog_json: str, meta: str
) -> dict[str, str]:
    """Write every file of a release into `out`; returns {file name: sha256}, SHA256SUMS included."""
    out.mkdir(parents=True, exist_ok=True)
    events, series = list(snapshot.events), list(snapshot.series)
    write_datapackage(events, out, name=name)
    rows = series_rows(series, snapshot)
    texts = {
        "README.md": readme,
        "events.json": to_json(events),
        "events.geojson": to_geojson(events),
        "series.csv": series_csv(rows),
        "series.json": series_json(series),
        "CHANGELOG.md": changelog_md,
        "changelog.json": changelog_json,
        "release.json": meta,
    }
    for fname, text in texts.items():
        (out / fname).write_text(text, encoding="utf-8", newline="\n")
    (out / "events.parquet").write_bytes(to_parquet(events))
    _package(out, name, texts["series.csv"])
    sums = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir()) if p.is_file()}
    sums.pop("SHA256SUMS", None)
    (out / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in sorted(sums.items())), encoding="utf-8")
    return sums
