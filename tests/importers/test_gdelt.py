"""GDELT 2.0 events: Chinese actors, CAMEO codes mapped through the table, FIPS places to ISO."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from sectracker.countries.codes import is_iso3
from sectracker.errors import ValidationFailed
from sectracker.importers.common import read_data_csv
from sectracker.importers.gdelt import import_gdelt
from sectracker.models import EventFilter
from sectracker.store import Database, api
from tests.importers.samples import gdelt_file, gdelt_row


def _rows() -> list[list[str]]:
    return [
        gdelt_row("1001"),
        gdelt_row("1002", EventCode="0622", EventBaseCode="062", Actor2Code="", Actor2Name="",
                  Actor2CountryCode="", ActionGeo_CountryCode="RP", ActionGeo_FullName="Manila, Philippines"),
        gdelt_row("1003", EventCode="190", Actor2CountryCode="", ActionGeo_CountryCode="PG",
                  ActionGeo_FullName="Spratly Islands"),
        gdelt_row("1004", EventCode="010"),
        gdelt_row("1005", Actor1Type1Code="GOV"),
        gdelt_row("1006", Actor1CountryCode="USA", Actor1Name="UNITED STATES"),
    ]  # fmt: skip


def test_chinese_actors_with_mapped_codes_become_candidates(db: Database, tmp_path: Path) -> None:
    report = import_gdelt(db, gdelt_file(tmp_path / "20200612101500.export.CSV", _rows()), user="tester")
    assert sorted(report.created) == ["gdelt-1001", "gdelt-1002", "gdelt-1003"]
    assert report.unmapped == {"CAMEO 010 (MIL)": 1, "CAMEO 042 (GOV)": 1}, "reported, never guessed"
    assert report.skipped == {"first actor not Chinese": 1}
    visit = api.get_event(db, "gdelt-1001")
    assert (visit.category, visit.countries) == ("diplomacy.meetings", ["PAK"])
    assert visit.sources[0].url == "https://example.org/news/pla-visit"
    assert api.get_event(db, "gdelt-1002").countries == ["PHL"], "FIPS RP is the Philippines"
    assert api.get_event(db, "gdelt-1003").countries == [], "the Spratlys are no country"
    assert import_gdelt(db, tmp_path / "20200612101500.export.CSV", user="tester").unchanged == 3


def test_unknown_fips_codes_and_files_with_a_header(db: Database, tmp_path: Path) -> None:
    rows = [gdelt_row("2001", Actor2CountryCode="", ActionGeo_CountryCode="ZZ")]
    with pytest.raises(ValidationFailed, match="'FIPS ZZ' in 1 row"):
        import_gdelt(db, gdelt_file(tmp_path / "x.CSV", rows), user="tester")
    assert api.count_events(db, EventFilter()) == 0
    import_gdelt(db, gdelt_file(tmp_path / "h.csv", [gdelt_row("2002")], header=True), user="tester")
    assert api.get_event(db, "gdelt-2002").countries == ["PAK"]


def test_a_gdelt_1_file_is_named_as_such(db: Database, tmp_path: Path) -> None:
    row = [c for c, name in zip(gdelt_row("3001"), range(61), strict=True) if name not in (29, 37, 45)]
    with pytest.raises(ValidationFailed, match="58 columns: a GDELT 1.0 file.*Actor1Geo_ADM2Code"):
        import_gdelt(db, gdelt_file(tmp_path / "old.CSV", [row]), user="tester")


def test_the_fips_crosswalk_maps_to_real_codes() -> None:
    table = {r["fips"]: r["iso3"] for r in read_data_csv("fips_iso3.csv")}
    assert all(is_iso3(v) for v in table.values() if v)
    assert (table["CH"], table["SZ"], table["UK"], table["GM"], table["RS"], table["AS"], table["SF"]) == (
        "CHN", "CHE", "GBR", "DEU", "RUS", "AUS", "ZAF"
    )  # fmt: skip


def test_zipped_files_as_gdelt_publishes_them(db: Database, tmp_path: Path) -> None:
    plain = gdelt_file(tmp_path / "20200612101500.export.CSV", [gdelt_row("4001")])
    with zipfile.ZipFile(tmp_path / "20200612101500.export.CSV.zip", "w") as archive:
        archive.write(plain, plain.name)
    assert import_gdelt(db, tmp_path / "20200612101500.export.CSV.zip", user="tester").created == ["gdelt-4001"]
