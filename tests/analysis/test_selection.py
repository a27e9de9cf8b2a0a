"""The selection syntax: parsing into typed conditions, and errors that name the position."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.analysis.selection import Condition, parse_selection
from sectracker.errors import AnalysisError


def test_parses_the_documented_example() -> None:
    sel = parse_selection(
        "category = diplomacy.aid_training and country in (NGA, PAK) and date >= 2020-03-01 "
        "and group = bri and tag = covid-19"
    )
    assert sel.conditions == (
        Condition("category", "=", ("diplomacy.aid_training",), 1),
        Condition("country", "in", ("NGA", "PAK"), 39),
        Condition("date", ">=", (date(2020, 3, 1),), 65),
        Condition("group", "=", ("bri",), 88),
        Condition("tag", "=", ("covid-19",), 104),
    )
    assert sel.asof is None


def test_values_are_typed_and_resolved() -> None:
    sel = parse_selection(
        'country = "South Korea" and income = lower-middle and alignment >= 0.8 and period = 2020-H1 '
        "and highlight = true and asof = 2020-06-30 and country not in (Nigeria, fr)"
    )
    values = {c.field: c.values for c in sel.conditions}
    assert values["income"] == ("lower_middle",)
    assert values["alignment"] == (0.8,)
    assert values["period"] == ((date(2020, 1, 1), date(2020, 6, 30)),)
    assert values["highlight"] == (True,)
    assert sel.conditions[0].values == ("KOR",)
    assert sel.conditions[-1] == Condition("country", "not in", ("NGA", "FRA"), 140)
    assert sel.asof == date(2020, 6, 30)


def test_empty_selection_selects_everything() -> None:
    assert parse_selection("").is_all
    assert parse_selection(None).is_all
    assert parse_selection("   ").is_all


@pytest.mark.parametrize(
    ("text", "position", "words"),
    [
        ("contry = NGA", 1, "unknown field 'contry' (did you mean 'country'?)"),
        ("category = diplomacy.aid", 12, "did you mean 'diplomacy.aid_training'?"),
        ("country in (NGA, Narnia)", 18, "unknown country 'Narnia'"),
        ("category = diplomacy.aid_training country = NGA", 35, "expected 'and' between conditions"),
        ("date >= 2020-13-01", 9, "is not a date"),
        ("country in NGA", 12, "expected '(' to open a list"),
        ("country in (NGA", 16, "expected ',' or ')'"),
        ("highlight > true", 11, "does not take '>'"),
        ("tag = 'covid-19", 7, "unclosed quote"),
        ("group = brix", 9, "unknown group 'brix'"),
        ("alignment = q5", 13, "not a quartile"),
        ("period = 2020-H3", 10, "2020-H3"),
        ("country =", 10, "expected a value, found the end of the selection"),
        ("= NGA", 1, "expected a field name"),
        ("country ~ NGA", 9, "expected an operator (=, !=, <, <=, >, >=, in, not in), found '~'"),
        ("asof = 2020-01-01 and asof = 2020-02-01", 23, "'asof' is given twice"),
        ("region = Atlantis", 10, "unknown region 'Atlantis'"),
        ("actor = nobody", 9, "unknown actor 'nobody'"),
    ],
)
def test_errors_name_the_position(text: str, position: int, words: str) -> None:
    with pytest.raises(AnalysisError) as info:
        parse_selection(text)
    message = str(info.value)
    assert f"position {position}:" in message
    assert words in message
    assert repr(text) in message


def test_every_field_and_dimension_is_documented() -> None:
    from pathlib import Path

    from sectracker.analysis.dimensions import DIMENSIONS
    from sectracker.analysis.selection import FIELDS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "selections.md").read_text(encoding="utf-8")
    for name in (*FIELDS, *DIMENSIONS):
        assert f"`{name}`" in doc, name
