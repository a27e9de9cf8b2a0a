"""SIPRI register: China's deliveries become arms-trade events, idempotently, all or nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.importers.sipri import import_sipri
from sectracker.models import EventFilter, Precision
from sectracker.store import Database, api
from tests.importers.samples import SIPRI_ROWS, sipri_register


def _ids(db: Database) -> list[str]:
    return sorted(e.id for e in api.find_events(db, EventFilter(), sort="id", limit=None))


def test_deliveries_become_events_with_estimates_as_precision(db: Database, tmp_path: Path) -> None:
    report = import_sipri(db, sipri_register(tmp_path / "register.csv"), user="tester")
    assert report.selected == 4, "the German delivery is not China's"
    assert _ids(db) == ["sipri-90001-2020", "sipri-90001-2021", "sipri-90002-2016", "sipri-90003-2019"]
    firm, estimated = api.get_event(db, "sipri-90001-2020"), api.get_event(db, "sipri-90001-2021")
    assert firm.category == "domestic.arms_trade" and firm.countries == ["NGA"]
    assert firm.date_precision is Precision.year and str(firm.date_start) == "2020-01-01"
    assert estimated.date_precision is Precision.unknown
    assert {"delivery-year-estimated", "numbers-estimated", "sipri-deal-90001"} <= set(estimated.tags)
    units, tiv = firm.quantities[0], firm.quantities[1]
    assert (units.value, units.item, tiv.value, tiv.unit) == (17, "VT-4", 17 * 5.5, "TIV million")
    assert api.get_event(db, "sipri-90003-2019").countries == ["ARE"], "SIPRI's 'UAE' via the name crosswalk"


def test_reimport_updates_changed_rows_and_never_duplicates(db: Database, tmp_path: Path) -> None:
    path = sipri_register(tmp_path / "register.csv")
    import_sipri(db, path, user="tester")
    api.edit_event(db, "sipri-90002-2016", {"significance": 5}, user="analyst")
    again = import_sipri(db, path, user="tester")
    assert (again.created, again.updated, again.unchanged) == ([], [], 4)
    rows = [("90002", *SIPRI_ROWS[2][1:7], "10", *SIPRI_ROWS[2][8:])] + [r for r in SIPRI_ROWS if r[0] != "90002"]
    changed = import_sipri(db, sipri_register(tmp_path / "register-2.csv", rows), user="tester")
    assert changed.updated == ["sipri-90002-2016"] and len(_ids(db)) == 4
    event = api.get_event(db, "sipri-90002-2016")
    assert event.quantities[0].value == 10
    assert event.significance == 5, "the analyst's own field survives a re-import"
    last = api.event_history(db, "sipri-90002-2016")[-1]
    assert last.action == "import" and last.reason == "import-data sipri register-2.csv"


def test_unknown_recipients_are_counted_and_skipped_only_when_asked(db: Database, tmp_path: Path) -> None:
    rows = [*SIPRI_ROWS, ("90005", "Houthi rebels (Yemen)*", "C-802", "anti-ship missile", "Missiles", "2015",
                          "Yes", "2", "Yes", "2016", "Yes", "New", "0.9")]  # fmt: skip
    path = sipri_register(tmp_path / "register.csv", rows)
    with pytest.raises(ValidationFailed) as err:
        import_sipri(db, path, user="tester")
    assert "1 row(s) name a country" in str(err.value) and "Houthi rebels (Yemen)*" in str(err.value)
    assert _ids(db) == [], "nothing is imported"
    report = import_sipri(db, path, user="tester", skip_unknown=True)
    assert report.unknown == {"Houthi rebels (Yemen)*": 1} and len(report.created) == 4


def test_a_bad_row_stops_the_whole_import(db: Database, tmp_path: Path) -> None:
    rows = [*SIPRI_ROWS[:3], ("90003", "UAE", "X", "y", "Aircraft", "2017", "Yes", "five", "Yes", "2019", "Yes",
                              "New", "7")]  # fmt: skip
    with pytest.raises(ValidationFailed, match=r"register.csv:9 \[Numbers delivered\]: 'five' is not a number"):
        import_sipri(db, sipri_register(tmp_path / "register.csv", rows), user="tester")
    assert _ids(db) == []


def test_a_file_in_another_layout_names_missing_and_unexpected_columns(db: Database, tmp_path: Path) -> None:
    path = sipri_register(tmp_path / "register.csv", extra=",Comments")
    with pytest.raises(ValidationFailed, match="unexpected column.s.: Comments"):
        import_sipri(db, path, user="tester")
    path.write_text(path.read_text().replace("TIV delivery values,", ""))
    with pytest.raises(ValidationFailed, match="missing column.s.: TIV delivery values"):
        import_sipri(db, path, user="tester")
    other = tmp_path / "other.csv"
    other.write_text("id,name\n1,x\n")
    with pytest.raises(ValidationFailed, match="no header line starting 'SIPRI AT Database ID'"):
        import_sipri(db, other, user="tester")


@pytest.mark.shared
def test_the_real_register_imports_within_the_target(db: Database, shared_dir: Path) -> None:
    path = shared_dir / "data" / "sipri" / "sipri_trade_register_1995_2025.csv"
    started = time.perf_counter()
    report = import_sipri(db, path, user="tester", skip_unknown=True)
    elapsed = time.perf_counter() - started
    assert report.selected == 1399 and len(report.created) == 1396
    assert set(report.unknown) == {"African Union**", "United Wa State (Myanmar)*", "unknown recipient(s)"}
    nigeria = api.get_event(db, "sipri-64249-2020")
    assert nigeria.countries == ["NGA"] and "ZTL-09" in nigeria.headline
    assert elapsed < 10, f"{elapsed:.1f} s"
    again = import_sipri(db, path, user="tester", skip_unknown=True)
    assert (again.created, again.updated, again.unchanged) == ([], [], 1396)


def test_import_and_reimport_on_each_backend(any_db: Database, tmp_path: Path) -> None:
    path = sipri_register(tmp_path / "register.csv")
    assert len(import_sipri(any_db, path, user="tester").created) == 4
    assert import_sipri(any_db, path, user="tester").unchanged == 4
    assert _ids(any_db)[0] == "sipri-90001-2020"
