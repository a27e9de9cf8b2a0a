"""Taiwan ADIZ daily counts: a daily series, aggregated to months on demand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sectracker.errors import ValidationFailed
from sectracker.importers.adiz import SERIES_ID, import_adiz
from sectracker.series.change import aggregate
from sectracker.series.models import Frequency
from sectracker.store import Database
from sectracker.store.series import get_series

HEADER = ("\ufeffdate,year,month,day,year_month,weekday,weekday_zh,pla_aircraft_sorties,china_carrier_present,"
          "country1,country2,US_Taiwan_interaction,Political_statement,Foreign_battleship,sentiment_score,"
          "sentiment_label,與那國,宮古,大禹,對馬,國家\n")  # fmt: skip


def _dashboard(path: Path, rows: list[tuple[str, str]]) -> Path:
    blank = "," * 13
    body = "".join(f"{d},,,,,,,{n}{blank}\n" for d, n in rows) + ",,,,NaT,,,,,,,,,,,,,,,,\n"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_daily_counts_and_their_monthly_totals(db: Database, tmp_path: Path) -> None:
    rows = [("2020/6/9", "1.0"), ("2020/6/12", "2.0"), ("2020/6/12", "2.0"), ("2020/6/13", ""), ("2020/7/1", "5.0")]
    report = import_adiz(db, _dashboard(tmp_path / "merged.csv", rows), user="tester")
    assert report.selected == 3
    assert report.skipped == {"blank row": 1, "no aircraft count (no report that day)": 1,
                              "the same day reported twice with the same count": 1}  # fmt: skip
    s = get_series(db, SERIES_ID)
    assert (s.frequency, s.country) == (Frequency.day, "TWN")
    assert [(a.period_end, a.value, a.count) for a in aggregate(s, Frequency.month)] == [
        (date(2020, 6, 30), 3, 2),
        (date(2020, 7, 31), 5, 1),
    ]
    assert import_adiz(db, tmp_path / "merged.csv", user="tester").series.unchanged == [SERIES_ID]


def test_the_plain_layout_and_conflicting_days(db: Database, tmp_path: Path) -> None:
    plain = tmp_path / "counts.csv"
    plain.write_text("date,aircraft\n2020-09-18,18\n2020-09-19,19\n2020-09-18,17\n")
    with pytest.raises(ValidationFailed, match="2020-09-18 has 18 on line 2, 17 here"):
        import_adiz(db, plain, user="tester")
    plain.write_text("date,aircraft,type\n2020-09-18,18,J-16\n")
    with pytest.raises(ValidationFailed, match="unexpected column.s.: type"):
        import_adiz(db, plain, user="tester")


@pytest.mark.shared
def test_the_real_daily_table(db: Database, shared_dir: Path) -> None:
    path = shared_dir / "data" / "taiwan_pla_activity" / "merged_comprehensive_data_M.csv"
    report = import_adiz(db, path, user="tester")
    s = get_series(db, SERIES_ID)
    assert len(s.observations) == report.selected == 1942
    june_2020 = next(a for a in aggregate(s, Frequency.month) if a.period_end == date(2020, 6, 30))
    assert (june_2020.count, june_2020.value) == (11, 14), "June 2020: 11 days with a count, 14 aircraft"
