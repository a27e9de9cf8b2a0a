"""Watch rules are data: the shipped file is valid; a typo names the rule and the field."""

from __future__ import annotations

import pytest

from sectracker.errors import ValidationFailed
from sectracker.watch.rules import CountAboveBaseline, IndicatorChange, parse_rules, read_rules


def test_the_shipped_rules_cover_every_kind() -> None:
    kinds = {r.kind for r in read_rules()}
    assert kinds == {"first_engagement", "new_exercise_partner", "count_above_baseline", "indicator_change"}


def test_a_typo_names_the_rule_the_field_and_the_line() -> None:
    text = """rules:
  - id: sea-surge
    kind: count_above_baseline
    region: South-eastern Asia
    sigmma: 2
"""
    with pytest.raises(ValidationFailed) as err:
        parse_rules(text, "mine.yaml")
    problems = {(p.line, p.field, p.message) for p in err.value.problems}
    assert (5, "sigmma", "rule 'sea-surge': unknown field 'sigmma'") in problems
    assert (2, "sigma", "rule 'sea-surge': Field required") in problems


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ("kind: first_engagment\n    category: domestic.arms_trade", "kind", "'kind' must be one of"),
        ("kind: first_engagement\n    category: domestic.arms", "category", "unknown category key 'domestic.arms'"),
        ("kind: count_above_baseline\n    region: Southeast Asia\n    sigma: 2", "region", "unknown region"),
        ("kind: indicator_change\n    series: chn.*\n    percent: -5", "percent", "greater than 0"),
        ("kind: first_engagement\n    category: domestic.arms_trade\n    countries: [XYZ]", "countries", "XYZ"),
    ],
)
def test_each_bad_field_is_named(rule: str, field: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        parse_rules(f"rules:\n  - id: my-rule\n    {rule}\n", "mine.yaml")
    found = [p for p in err.value.problems if p.field == field]
    assert found and message in found[0].message and "rule 'my-rule'" in found[0].message


def test_rules_have_defaults() -> None:
    rules = parse_rules(
        "rules:\n  - {id: surge, kind: count_above_baseline, countries: [vnm, PHL], sigma: 1.5}\n"
        "  - {id: budget, kind: indicator_change, series: chn.defence-budget, percent: 5}\n",
        "mine.yaml",
    )
    surge, budget = rules
    assert isinstance(surge, CountAboveBaseline) and surge.countries == ["VNM", "PHL"] and surge.baseline_months == 12
    assert isinstance(budget, IndicatorChange) and budget.direction == "any"
