"""Belt and Road lists: the GFDC and year-of-MoU layouts, sources kept, membership as of a date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from sectracker.countries.bri import bri_members, read_bri
from sectracker.countries.groups import load_reference
from sectracker.countries.imports import import_bri
from sectracker.errors import ValidationFailed
from sectracker.store import Database

GFDC = """country,iso3,region,income_group_gfdc,likely_join_date,join_year,likely_exit_date,exit_year
"China, P.R.",CHN,East Asia & Pacific,Upper middle income,2013-12-01,2013,,
Italy,ITA,Europe & Central Asia,High income,2019-03-01,2019,2023-06-12,2023
Pakistan,PAK,South Asia,Lower middle income,2013-12-01,2013,,
Russian Federation,RUS,Europe & Central Asia,Upper middle income,,,,
"""
LPV = """iso3,countryname_raw,countryname_clean,bri_mou_year,region_lpv
RUS,Russia,Russia,2015,Europe
PAK,Pakistan,Pakistan,2017,Asia
NER,Niger,Niger,2019,Africa
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_gfdc_layout(tmp_path: Path) -> None:
    rows = read_bri(write(tmp_path, "gfdc_bri_countries_2023-12.csv", GFDC))
    assert rows.select("iso3", "join_date", "exit_date").rows() == [
        ("ITA", date(2019, 3, 1), date(2023, 6, 12)),
        ("PAK", date(2013, 12, 1), None),
        ("RUS", None, None),
    ]  # China itself dropped
    assert set(rows["source"]) == {"gfdc-2023-12"}
    assert set(rows["listed_on"]) == {date(2023, 12, 31)}


def test_lpv_layout(tmp_path: Path) -> None:
    rows = read_bri(write(tmp_path, "lpv_bri_mou_year.csv", LPV), source="lpv2026")
    assert rows.select("iso3", "join_year", "source").rows() == [
        ("NER", 2019, "lpv2026"),
        ("PAK", 2017, "lpv2026"),
        ("RUS", 2015, "lpv2026"),
    ]
    assert set(rows["listed_on"]) == {date(2019, 12, 31)}


def test_members_take_dates_from_the_first_list_that_has_one(tmp_path: Path) -> None:
    rows = pl.concat(
        [
            read_bri(write(tmp_path, "gfdc_2023-12.csv", GFDC)),
            read_bri(write(tmp_path, "lpv.csv", LPV)),
        ]
    )
    members = bri_members(rows)
    assert members.rows() == [
        ("ITA", date(2019, 3, 1), date(2023, 6, 11), "gfdc-2023-12", "gfdc-2023-12"),
        ("PAK", date(2013, 12, 1), None, "gfdc-2023-12", "gfdc-2023-12"),
        ("RUS", date(2015, 12, 31), None, "gfdc-2023-12", "lpv"),
    ]  # Niger is only on the second list, so not a member by the preferred one
    by_lpv = bri_members(rows, preferred="lpv")
    assert by_lpv.filter(pl.col("iso3") == "PAK")["since"].item() == date(2017, 12, 31)
    with pytest.raises(ValidationFailed, match="no Belt and Road list named 'dvx'"):
        bri_members(rows, preferred="dvx")


def test_import_shows_every_source(any_db: Database, tmp_path: Path) -> None:
    db = any_db
    import_bri(db, write(tmp_path, "gfdc_2023-12.csv", GFDC))
    ref = load_reference(db)
    assert ref.has("bri")
    assert "RUS" not in ref.members("bri", date(2015, 6, 1))  # only the GFDC list: undated, counts from its date
    assert "RUS" in ref.members("bri", date(2024, 1, 1))
    import_bri(db, write(tmp_path, "lpv.csv", LPV))
    ref = load_reference(db)
    assert "RUS" in ref.members("bri", date(2016, 1, 1))
    assert "ITA" in ref.members("bri", date(2020, 1, 1)) and "ITA" not in ref.members("bri", date(2023, 6, 12))
    fact = next(g for g in ref.groups_of("RUS", date(2020, 1, 1)) if g.group == "bri")
    assert fact.source == "gfdc-2023-12 (join date from lpv)"
    assert ref.bri_sources_of("RUS")["source"].to_list() == ["gfdc-2023-12", "lpv"]


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="missing column\\(s\\) likely_join_date, likely_exit_date"):
        read_bri(write(tmp_path, "b.csv", "country,iso3\nItaly,ITA\n"))
    with pytest.raises(ValidationFailed, match="'2019-31-01' is not a date"):
        read_bri(write(tmp_path, "c.csv", GFDC.replace("2019-03-01", "2019-31-01")))
    with pytest.raises(ValidationFailed, match="unknown ISO3 code 'XXX'"):
        read_bri(write(tmp_path, "d.csv", GFDC.replace("PAK", "XXX")))


def test_real_gfdc_list(shared_dir: Path) -> None:
    rows = read_bri(shared_dir / "data" / "bri" / "gfdc_bri_countries_2023-12.csv")
    assert rows.height == 150  # 151 rows less China, per SOURCE.md
    assert rows.filter(pl.col("join_date").is_null())["iso3"].sort().to_list() == ["AUT", "COG", "NER", "RUS"]
