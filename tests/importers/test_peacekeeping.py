"""Peacekeeping contributions: China's personnel per mission and month as series."""

from __future__ import annotations

import csv
import time
from datetime import date
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.importers.peacekeeping import import_peacekeeping, load_missions
from sectracker.store import Database
from sectracker.store.series import get_series, list_series
from tests.importers.samples import gender_file, totals_file

ROWS = [
    ("2014-01-31", "CHN", "UNMISS", 350),
    ("2014-02-28", "CHN", "UNMISS", 356),
    ("2014-02-28", "CHN", "UNTSO", 4),
    ("2014-02-28", "PAK", "UNMISS", 1000),
]


def test_each_mission_becomes_a_monthly_series_with_its_country(db: Database, tmp_path: Path) -> None:
    report = import_peacekeeping(db, gender_file(tmp_path / "Gender.Full.csv", ROWS), user="tester")
    assert report.selected == 3 and sorted(report.series.created) == ["pko.chn.unmiss", "pko.chn.untso"]
    unmiss = get_series(db, "pko.chn.unmiss")
    assert [(o.date, o.value) for o in unmiss.observations] == [(date(2014, 1, 31), 350), (date(2014, 2, 28), 356)]
    assert (unmiss.country, unmiss.mission, unmiss.unit) == ("SSD", "UNMISS", "persons")
    untso = get_series(db, "pko.chn.untso")
    assert untso.country is None and "Israel" in untso.name, "a mission in several countries has no single one"
    again = import_peacekeeping(db, tmp_path / "Gender.Full.csv", user="tester")
    assert again.series.unchanged == ["pko.chn.unmiss", "pko.chn.untso"]


def test_dates_near_the_end_of_a_month_count_for_that_month(db: Database, tmp_path: Path) -> None:
    report = import_peacekeeping(db, gender_file(tmp_path / "g.csv", [("2012-02-28", "CHN", "UNMISS", 5)]), user="t")
    assert report.adjusted and get_series(db, "pko.chn.unmiss").observations[0].date == date(2012, 2, 29)


def test_an_unknown_mission_is_reported_and_skipped_only_when_asked(db: Database, tmp_path: Path) -> None:
    path = gender_file(tmp_path / "g.csv", [*ROWS, ("2014-02-28", "CHN", "UNMOON", 7)])
    with pytest.raises(ValidationFailed, match="unknown country or mission 'UNMOON' in 1 row"):
        import_peacekeeping(db, path, user="tester")
    assert list_series(db) == []
    report = import_peacekeeping(db, path, user="tester", skip_unknown=True)
    assert report.unknown == {"UNMOON": 1} and len(report.series.created) == 2


def test_country_totals_add_troops_police_and_experts(db: Database, tmp_path: Path) -> None:
    rows = [("China", "2014-03-31", "1969", "171", "37"), ("China", "2014-02-28", "1980", "NA", "35"),
            ("Chad", "2014-03-31", "1", "NA", "NA")]  # fmt: skip
    import_peacekeeping(db, totals_file(tmp_path / "t.csv", rows), user="tester")
    total = get_series(db, "pko.chn.total")
    assert [o.value for o in total.observations] == [2015, 2177]
    assert get_series(db, "pko.chn.police").observations[0].value == 0, "NA means none"


def test_a_file_in_another_layout_names_the_columns(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "missions.csv"
    path.write_text("Date,Mission,Troops\n2014-01-31,UNMISS,3\n")
    with pytest.raises(ValidationFailed) as err:
        import_peacekeeping(db, path, user="tester")
    assert "missing column(s): Contributor, Contributor ISO-3, Total Total" in str(err.value)
    assert "unexpected column(s): Troops" in str(err.value)


@pytest.mark.shared
def test_the_mission_table_agrees_with_the_ipi_data(shared_dir: Path) -> None:
    missions = load_missions()
    path = shared_dir / "data" / "peacekeeping" / "ipi_mission_month_1990_2017.csv"
    with path.open(encoding="utf-8") as f:
        ipi = {(r["Mission"], r["Country of Mission ISO-3"]) for r in csv.DictReader(f)}
    disagree = sorted((m, iso3) for m, iso3 in ipi if m not in missions or iso3 not in missions[m].countries)
    assert disagree == []


@pytest.mark.shared
def test_the_real_files_import_within_the_target(db: Database, shared_dir: Path) -> None:
    folder = shared_dir / "data" / "peacekeeping"
    timings = {}
    for name in ("ipi_tcc_mission_month_gender_2009_2014.csv", "ipi_tcc_mission_2014-03-31.csv",
                 "ipi_tcc_month_totals_1990_2014.csv"):  # fmt: skip
        started = time.perf_counter()
        import_peacekeeping(db, folder / name, user="tester")
        timings[name] = time.perf_counter() - started
    assert max(timings.values()) < 10, timings
    unmiss = {o.date: o.value for o in get_series(db, "pko.chn.unmiss").observations}
    assert unmiss[date(2014, 2, 28)] == 356 and unmiss[date(2014, 3, 31)] == 356
    total = {o.date: o.value for o in get_series(db, "pko.chn.total").observations}
    assert total[date(2014, 3, 31)] == 1969 + 171 + 37
