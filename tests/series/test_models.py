"""The series model: period-end dates, changes on the period before, aggregation, display."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sectracker.series.change import Aggregation, aggregate, changes, latest_change, previous_period_end
from sectracker.series.display import describe_latest, format_value, period_label
from sectracker.series.models import Frequency, Observation, Provenance, Qualifier, Series

SRC = Provenance(source="test")


def _series(frequency: Frequency, points: dict[date, float], **kw: object) -> Series:
    obs = [Observation(date=d, value=v) for d, v in points.items()]
    return Series(id="test.series", name="A test series", unit="units", frequency=frequency, source=SRC,
                  observations=obs, **kw)  # type: ignore[arg-type]  # fmt: skip


def test_values_are_dated_by_the_end_of_their_period() -> None:
    with pytest.raises(ValidationError, match="not the last day of a month"):
        _series(Frequency.month, {date(2020, 5, 30): 1})
    with pytest.raises(ValidationError, match="year period"):
        _series(Frequency.year, {date(2020, 12, 31): 1}, year_start_month=4)
    assert _series(Frequency.year, {date(2020, 3, 31): 1}, year_start_month=4)


def test_two_values_for_one_date_are_refused() -> None:
    obs = [Observation(date=date(2020, 1, 31), value=1), Observation(date=date(2020, 1, 31), value=2)]
    with pytest.raises(ValidationError, match="two values"):
        Series(id="test.dup", name="dup test", unit="u", frequency=Frequency.month, source=SRC, observations=obs)


def test_change_is_against_the_previous_period_only() -> None:
    s = _series(Frequency.month, {date(2020, 1, 31): 100, date(2020, 2, 29): 110, date(2020, 4, 30): 121})
    c = changes(s)
    assert c[0].percent is None
    assert c[1].previous_date == date(2020, 1, 31) and c[1].percent == pytest.approx(10.0)
    assert c[2].percent is None, "March is missing: April has no previous period to compare with"


def test_irregular_series_compare_with_the_previous_value() -> None:
    s = _series(Frequency.irregular, {date(2020, 1, 5): 80, date(2020, 6, 20): 94})
    assert latest_change(s).percent == pytest.approx(17.5)  # type: ignore[union-attr]


def test_fiscal_years_step_back_twelve_months() -> None:
    assert previous_period_end(date(2020, 3, 31), Frequency.year) == date(2019, 3, 31)
    assert period_label(date(2020, 3, 31), Frequency.year, 4) == "FY2019"
    assert period_label(date(2020, 12, 31), Frequency.year) == "2020"


def test_daily_counts_aggregate_to_months_without_inventing_zeros() -> None:
    s = _series(Frequency.day, {date(2020, 6, 9): 1, date(2020, 6, 12): 2, date(2020, 7, 1): 5})
    months = aggregate(s, Frequency.month)
    assert [(a.period_end, a.value, a.count) for a in months] == [(date(2020, 6, 30), 3, 2), (date(2020, 7, 31), 5, 1)]
    assert aggregate(s, Frequency.month, Aggregation.max)[0].value == 2
    fiscal = aggregate(_series(Frequency.day, {date(2020, 3, 31): 1, date(2020, 4, 1): 1}, year_start_month=4),
                       Frequency.year)  # fmt: skip
    assert [a.period_end for a in fiscal] == [date(2020, 3, 31), date(2021, 3, 31)]


def test_values_read_as_people_write_them() -> None:
    assert format_value(1.27e12, "CNY") == "1.27 trillion CNY"
    assert format_value(2500, "persons", Qualifier.approximate) == "about 2,500 persons"
    assert format_value(40000, "persons", Qualifier.at_least) == "over 40,000 persons"
    s = _series(Frequency.year, {date(2019, 12, 31): 1.0e12, date(2020, 12, 31): 1.1e12})
    assert describe_latest(s) == "A test series: 1.1 trillion units, +10.0% on 2019"
