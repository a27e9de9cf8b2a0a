"""ACLED exports: rows with Chinese forces become candidate events; nothing is guessed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.importers.acled import import_acled
from sectracker.models import EventFilter, Precision, Status
from sectracker.store import Database, api
from tests.importers.samples import acled_file, acled_row

OLD_COLUMNS = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "timestamp", "iso3",
)  # fmt: skip


def _rows() -> list[dict[str, str]]:
    return [
        acled_row("IND12345"),
        acled_row("CHN555", country="China", iso="156", location="Aksai Chin", time_precision="3",
                  actor1="Military Forces of India (2014-)", actor2="Military Forces of China (2012-)"),
        acled_row("IND777", actor1="Protesters (India)", actor2="", event_type="Protests",
                  sub_event_type="Peaceful protest"),
        acled_row("IND888", event_type="Violence against civilians", sub_event_type="Attack"),
    ]  # fmt: skip


def test_rows_with_chinese_forces_become_candidates(db: Database, tmp_path: Path) -> None:
    report = import_acled(db, acled_file(tmp_path / "acled.csv", _rows()), user="tester")
    assert report.skipped == {"no Chinese state forces among the actors": 1}
    assert report.unmapped == {"Violence against civilians / Attack": 1}
    assert sorted(report.created) == ["acled-chn555", "acled-ind12345"]
    clash = api.get_event(db, "acled-ind12345")
    assert (clash.category, clash.countries, clash.status) == ("projection.deployments", ["IND"], Status.candidate)
    assert clash.quantities[0].value == 20 and clash.locations[0].name == "Galwan Valley"
    in_china = api.get_event(db, "acled-chn555")
    assert in_china.countries == ["IND"], "located in China: the counterpart is the other side's country"
    assert in_china.date_precision is Precision.month and str(in_china.date_start) == "2020-06-01"
    again = import_acled(db, tmp_path / "acled.csv", user="tester")
    assert again.unchanged == 2 and again.created == []


def test_the_older_export_layout_with_written_dates(db: Database, tmp_path: Path) -> None:
    row = acled_row("IND12345", event_date="15 June 2020", data_id="1", iso3="IND")
    import_acled(db, acled_file(tmp_path / "old.csv", [row], columns=OLD_COLUMNS), user="tester")
    assert str(api.get_event(db, "acled-ind12345").date_start) == "2020-06-15"


def test_unknown_countries_and_wrong_columns(db: Database, tmp_path: Path) -> None:
    rows = [acled_row("XXX1", country="Atlantis", iso="")]
    with pytest.raises(ValidationFailed, match="'Atlantis' in 1 row"):
        import_acled(db, acled_file(tmp_path / "a.csv", rows), user="tester")
    assert api.count_events(db, EventFilter()) == 0
    assert import_acled(db, tmp_path / "a.csv", user="tester", skip_unknown=True).unknown == {"Atlantis": 1}
    bad = tmp_path / "bad.csv"
    bad.write_text("event_id,date,type\n1,2020-01-01,Battles\n")
    with pytest.raises(ValidationFailed, match="missing column.s.: event_id_cnty, event_date"):
        import_acled(db, bad, user="tester")
