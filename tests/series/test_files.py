"""The bundled series: the seed's figures, with changes computed rather than typed."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.errors import ValidationFailed
from sectracker.exchange.readers import read_bundled
from sectracker.series.change import latest_change
from sectracker.series.display import describe_latest
from sectracker.series.files import parse_series, read_bundled_series
from sectracker.series.models import Qualifier


@pytest.fixture(scope="module")
def bundled() -> dict:
    return {s.id: s for s in read_bundled_series()}


def test_defence_budget_change_is_computed_from_two_stored_values(bundled: dict) -> None:
    s = bundled["chn.defence-budget"]
    assert [o.date for o in s.observations] == [date(2019, 12, 31), date(2020, 12, 31)]
    assert s.observations[1].value == 1.27e12
    change = latest_change(s)
    assert change is not None and round(change.percent, 1) == 6.6
    assert describe_latest(s) == "China's national defence budget: 1.27 trillion CNY, +6.6% on 2019"


def test_a_derived_value_says_how_it_was_derived(bundled: dict) -> None:
    japan = bundled["jpn.scrambles-against-china"]
    fy2018 = japan.observations[0]
    assert fy2018.date == date(2019, 3, 31) and round(fy2018.value) == 638
    assert fy2018.qualifier is Qualifier.approximate
    assert "675 / 1.058" in japan.provenance_of(fy2018).derived
    assert round(latest_change(japan).percent, 1) == 5.8  # type: ignore[union-attr]
    typed = japan.observations[1]
    assert typed.value == 675 and japan.provenance_of(typed).derived is None


def test_the_seed_figures_are_all_there_with_provenance(bundled: dict) -> None:
    assert bundled["pko.chn.unmiss"].observations[0].date == date(2020, 5, 31)
    assert bundled["pko.chn.unmiss"].observations[0].value == 1073
    assert bundled["pko.chn.total"].observations[0].qualifier is Qualifier.approximate
    assert bundled["chn.mekong-joint-patrols"].observations[0].value == 94
    event_ids = {e.id for e in read_bundled()}
    for s in bundled.values():
        assert s.source.source == "China Global Security Tracker No. 7"
        assert s.source.event_id in event_ids, f"{s.id} links to an event that is not bundled"


def test_a_bad_series_file_names_file_line_and_field() -> None:
    text = """series:
  - id: test.bad
    name: A bad series
    unit: CNY
    frequency: yearly
    source: {source: x}
  - id: test.bad-derive
    name: Derived from nothing
    unit: CNY
    frequency: year
    source: {source: x}
    observations:
      - date: 2019-12-31
        derive: {from: 2020-12-31, change_percent: 6.6}
"""
    with pytest.raises(ValidationFailed) as err:
        parse_series(text, "bad.yaml")
    found = {(p.line, p.field) for p in err.value.problems}
    assert (2, "frequency") in found
    assert any(
        p.line == 13 and p.field == "observations.0.derive.from" and "no typed value dated 2020-12-31" in p.message
        for p in err.value.problems
    )
