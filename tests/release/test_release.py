"""Releases: numbered, reproducible byte for byte, with a changelog from the audit log."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.exchange.readers import read_bundled
from sectracker.models import Status
from sectracker.release.files import to_parquet
from sectracker.release.publish import make_release, rebuild_release, verify_folder
from sectracker.series.files import read_bundled_series
from sectracker.series.models import Observation
from sectracker.store import Database, api
from sectracker.store.series import save_series

FILES = {
    "README.md", "CHANGELOG.md", "changelog.json", "codebook.md", "datapackage.json", "events.csv", "events.json",
    "events.geojson", "events.parquet", "release.json", "series.csv", "series.json", "SHA256SUMS",
}  # fmt: skip


def _load(db: Database) -> None:
    api.add_events(db, read_bundled(), user="coder")
    save_series(db, read_bundled_series(), user="coder")


def test_a_release_holds_every_format_and_rebuilds_byte_for_byte(any_db: Database, tmp_path: Path) -> None:
    _load(any_db)
    result = make_release(any_db, "2020-H1", tmp_path / "r1", user="editor")
    assert result.number == 1 and result.series == 8
    assert {p.name for p in (tmp_path / "r1").iterdir()} == FILES
    sums = dict(reversed(line.split("  ")) for line in (tmp_path / "r1" / "SHA256SUMS").read_text().splitlines())
    for name, digest in sums.items():
        assert hashlib.sha256((tmp_path / "r1" / name).read_bytes()).hexdigest() == digest
    verified = [e for e in read_bundled() if e.status is Status.verified]
    assert result.events == len([e for e in verified if e.date_start and str(e.date_start) <= "2020-06-30"
                                 and str(e.date_end) >= "2020-01-01"])  # fmt: skip
    rebuilt = rebuild_release(any_db, 1, tmp_path / "again")
    assert rebuilt.identical, rebuilt.differing


def test_the_package_describes_events_series_and_codebook(db: Database, tmp_path: Path) -> None:
    _load(db)
    make_release(db, "2020-H1", tmp_path / "r1", user="editor")
    package = json.loads((tmp_path / "r1" / "datapackage.json").read_text())
    names = {r["name"] for r in package["resources"]}
    assert {"events", "series", "codebook", "events-parquet"} <= names
    series_csv = (tmp_path / "r1" / "series.csv").read_text()
    budget = next(line for line in series_csv.splitlines() if line.startswith("chn.defence-budget,"))
    assert ",2020-12-31,1270000000000,exact,2019-12-31,1191369606003.75,6.60," in budget
    manifest = json.loads((tmp_path / "r1" / "release.json").read_text())
    assert manifest["events"]["2020h1-defense-budget"]["version"] == 1


def test_parquet_output_is_deterministic() -> None:
    events = read_bundled()
    assert to_parquet(events) == to_parquet(list(reversed(events)))


def test_the_changelog_lists_what_changed_and_why(db: Database, tmp_path: Path) -> None:
    _load(db)
    make_release(db, "2020-H1", tmp_path / "r1", user="editor")
    api.edit_event(db, "2020h1-defense-budget", {"significance": 5}, user="ana", reason="front-page figure")
    api.delete_event(db, "2020h1-mekong-joint-patrols", user="ana", reason="merged into another event")
    api.edit_event(db, "2020h1-exercise-tanzania", {"status": Status.candidate}, user="ana", reason="source unclear")
    extra = read_bundled()[0].model_copy(update={"id": "2020h1-new-event", "headline": "A newly coded event"})
    api.add_events(db, [extra], user="ana", reason="late report")
    budget = next(s for s in read_bundled_series() if s.id == "chn.defence-budget")
    official = Observation(date=budget.observations[1].date, value=1.268e12)
    corrected = budget.model_copy(update={"observations": [official]})
    save_series(db, [corrected], user="ana", reason="official figure")
    second = make_release(db, "2020-H1", tmp_path / "r2", user="editor")
    log = json.loads((tmp_path / "r2" / "changelog.json").read_text())
    assert log["previous"] == 1
    assert [e["id"] for e in log["added"]] == ["2020h1-new-event"]
    assert log["added"][0]["reasons"] == ["2026-01-01 create by ana: late report"]
    changed = {e["id"]: e for e in log["changed"]}
    assert changed["2020h1-defense-budget"]["fields"] == ["significance"]
    assert changed["2020h1-defense-budget"]["reasons"] == ["2026-01-01 edit by ana: front-page figure"]
    removed = {e["id"]: e["why"] for e in log["removed"]}
    assert removed == {"2020h1-mekong-joint-patrols": "deleted", "2020h1-exercise-tanzania": "status is now candidate"}
    assert [e["id"] for e in log["series_changed"]] == ["chn.defence-budget"]
    assert "merged into another event" in second.changelog
    # Release 1 still rebuilds exactly, from the audit trail, after all these changes.
    assert rebuild_release(db, 1, tmp_path / "r1-again").identical
    assert rebuild_release(db, 2, tmp_path / "r2-again").identical


def test_a_tampered_folder_is_detected(db: Database, tmp_path: Path) -> None:
    _load(db)
    make_release(db, "2020-H1", tmp_path / "r1", user="editor")
    assert verify_folder(db, 1, tmp_path / "r1") == ()
    with (tmp_path / "r1" / "events.csv").open("a") as f:
        f.write("\n")
    assert verify_folder(db, 1, tmp_path / "r1") == ("events.csv",)


def test_releases_need_data_and_a_fresh_folder(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="nothing to release"):
        make_release(db, "2020-H1", tmp_path / "empty", user="editor")
    _load(db)
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x.txt").write_text("x")
    with pytest.raises(ValidationFailed, match="not empty"):
        make_release(db, "2020-H1", tmp_path / "used", user="editor")
