"""Exports are deterministic and read back into the same events."""

import json
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.exchange.readers import parse_events
from sectracker.exchange.writers import export_events, to_csv, to_geojson, to_json, to_jsonl
from sectracker.models import Event, Location, Quantity, Source


def _events() -> list[Event]:
    return [
        Event(
            id="ev-b",
            headline='Tanks, delivered "on time"',
            summary="Line one;\nline two.",
            category="domestic.arms_trade",
            date_start="2020-04-08",
            date_precision="day",
            countries=["NGA"],
            actors=["norinco"],
            status="verified",
            significance=4,
            locations=[Location(name="Lagos", lat=6.45, lon=3.39)],
            quantities=[Quantity(value=2, unit="count", item="tanks", text="two tanks")],
            sources=[Source(title="Tracker No. 7", publisher="MERICS")],
            tags=["Arms"],
        ),
        Event(id="ev-a", headline="Séance at the UN", category="architecture.un", highlight=True),
    ]


@pytest.mark.parametrize("fmt,writer", [("csv", to_csv), ("json", to_json), ("jsonl", to_jsonl)])
def test_round_trip(fmt: str, writer: object) -> None:
    original = _events()
    text = writer(original)  # type: ignore[operator]
    again = parse_events(text, fmt, f"x.{fmt}")
    assert sorted(again, key=lambda e: e.id) == sorted(original, key=lambda e: e.id)
    assert writer(again) == text  # type: ignore[operator]


def test_geojson_has_one_point_per_location() -> None:
    data = json.loads(to_geojson(_events()))
    assert [f["geometry"]["coordinates"] for f in data["features"]] == [[3.39, 6.45]]
    assert data["features"][0]["properties"]["id"] == "ev-b"


def test_datapackage_lists_resources_with_hash(tmp_path: Path) -> None:
    paths = export_events(_events(), "datapackage", tmp_path / "pkg")
    assert isinstance(paths, list)
    package = json.loads((tmp_path / "pkg" / "datapackage.json").read_text())
    res = package["resources"][0]
    assert res["path"] == "events.csv" and res["schema"]["primaryKey"] == "id"
    assert {f["name"] for f in res["schema"]["fields"]} >= {"id", "category", "countries", "sources"}
    assert (tmp_path / "pkg" / "codebook.md").read_text().startswith("# ")
    csv_text = (tmp_path / "pkg" / "events.csv").read_text()
    import hashlib

    assert res["hash"] == "sha256:" + hashlib.sha256(csv_text.encode()).hexdigest()


def test_unknown_format_and_package_without_folder() -> None:
    with pytest.raises(ValidationFailed, match="unknown export format"):
        export_events(_events(), "xlsx", None)
    with pytest.raises(ValidationFailed, match="--out DIR"):
        export_events(_events(), "datapackage", None)
