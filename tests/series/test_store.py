"""Storing series: merged, versioned, audited; any version readable again; on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.errors import Conflict
from sectracker.series.files import read_bundled_series
from sectracker.series.models import Frequency, Observation, Provenance, Series
from sectracker.store import Database
from sectracker.store.series import (
    get_series,
    list_series,
    save_series,
    series_at_version,
    series_history,
)

IPI = Provenance(source="IPI Peacekeeping Database")


def _unmiss(points: dict[date, float], source: Provenance = IPI) -> Series:
    return Series(
        id="pko.chn.unmiss", name="Chinese personnel in UNMISS (South Sudan)", unit="persons",
        frequency=Frequency.month, country="SSD", mission="UNMISS", source=source,
        observations=[Observation(date=d, value=v) for d, v in points.items()],
    )  # fmt: skip


def test_saving_again_changes_nothing_and_writes_no_audit(any_db: Database) -> None:
    bundled = read_bundled_series()
    first = save_series(any_db, bundled, user="tester")
    assert len(first.created) == len(bundled) and first.values_added == 10
    again = save_series(any_db, bundled, user="tester")
    assert again.created == again.changed == [] and len(again.unchanged) == len(bundled)
    assert len(series_history(any_db, "chn.defence-budget")) == 1
    assert get_series(any_db, "chn.defence-budget") == bundled[0].model_copy(
        update={"version": 1, "created_at": get_series(any_db, "chn.defence-budget").created_at,
                "updated_at": get_series(any_db, "chn.defence-budget").updated_at}
    )  # fmt: skip


def test_a_changed_value_makes_a_new_version_and_the_old_one_stays_readable(any_db: Database) -> None:
    save_series(any_db, [_unmiss({date(2014, 1, 31): 350, date(2014, 2, 28): 356})], user="tester")
    summary = save_series(any_db, [_unmiss({date(2014, 2, 28): 360, date(2014, 3, 31): 356})], user="editor",
                          reason="corrected report")  # fmt: skip
    assert summary.changed == ["pko.chn.unmiss"] and summary.values_added == 1 and summary.values_changed == 1
    s = get_series(any_db, "pko.chn.unmiss")
    assert s.version == 2
    assert [(o.date.month, o.value) for o in s.observations] == [(1, 350), (2, 360), (3, 356)], "merged, not replaced"
    last = series_history(any_db, "pko.chn.unmiss")[-1]
    assert last.user == "editor" and last.reason == "corrected report"
    assert last.before["values"]["2014-02-28"]["value"] == 356
    with any_db.connect() as conn:
        v1 = series_at_version(conn, "pko.chn.unmiss", 1)
    assert [o.value for o in v1.observations] == [350, 356]


def test_values_from_another_source_keep_their_own_provenance(any_db: Database) -> None:
    seed = next(s for s in read_bundled_series() if s.id == "pko.chn.unmiss")
    save_series(any_db, [seed], user="tester")
    save_series(any_db, [_unmiss({date(2014, 2, 28): 356})], user="tester")
    s = get_series(any_db, "pko.chn.unmiss")
    assert s.source.source == "China Global Security Tracker No. 7", "the stored series keeps its source"
    by_date = {o.date: o for o in s.observations}
    assert s.provenance_of(by_date[date(2014, 2, 28)]).source == "IPI Peacekeeping Database"
    assert s.provenance_of(by_date[date(2020, 5, 31)]).source == "China Global Security Tracker No. 7"
    info = {i.id: i for i in list_series(any_db)}["pko.chn.unmiss"]
    assert (info.values, info.first, info.last) == (2, date(2014, 2, 28), date(2020, 5, 31))


def test_a_series_cannot_change_its_unit(any_db: Database) -> None:
    save_series(any_db, [_unmiss({date(2014, 1, 31): 350})], user="tester")
    other = _unmiss({date(2014, 1, 31): 350}).model_copy(update={"unit": "troops"})
    with pytest.raises(Conflict, match="unit"):
        save_series(any_db, [other], user="tester")
