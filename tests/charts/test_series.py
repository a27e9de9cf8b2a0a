"""Series charts: bars for yearly values, a line for monthly ones, title, unit and source shown; empty says so."""

from __future__ import annotations

from datetime import date

from sectracker.charts.render import to_spec, to_svg
from sectracker.charts.series import series_chart
from sectracker.series.files import read_bundled_series
from sectracker.series.models import Frequency, Observation, Provenance, Series
from tests.charts.test_charts import texts


def _monthly(values: dict[date, float]) -> Series:
    return Series(
        id="pko.chn.unmiss", name="Chinese personnel in UNMISS", unit="persons", frequency=Frequency.month,
        source=Provenance(source="IPI Peacekeeping Database", publisher="IPI"),
        observations=[Observation(date=d, value=v) for d, v in values.items()],
    )  # fmt: skip


def test_yearly_series_are_bars_with_title_unit_periods_and_source() -> None:
    budget = next(s for s in read_bundled_series() if s.id == "chn.defence-budget")
    spec = to_spec(series_chart(budget, period="2019-2020"))
    assert spec["vconcat"][0]["mark"]["type"] == "bar"
    words = texts(to_svg(series_chart(budget, period="2019-2020")))
    assert "China's national defence budget (CNY)" in words.replace("&#39;", "'")
    assert "2019" in words and "2020" in words and "Source: China Global Security Tracker No. 7 (MERICS)" in words
    assert "1.2T" in words or "1.0T" in words  # large values on the axis in SI units


def test_monthly_series_are_a_line_over_dates() -> None:
    chart = series_chart(_monthly({date(2020, 4, 30): 1073, date(2020, 5, 31): 1031}))
    layer = to_spec(chart)["vconcat"][0]
    assert layer["mark"]["type"] == "line" and layer["encoding"]["x"]["type"] == "temporal"
    assert "Source: IPI Peacekeeping Database (IPI)" in texts(to_svg(chart))


def test_a_series_without_values_says_so() -> None:
    words = texts(to_svg(series_chart(_monthly({}))))
    assert "no values" in words and "Chinese personnel in UNMISS (persons)" in words
