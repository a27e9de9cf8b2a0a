"""Memberships written by us: validated on load, answering "as of date D"."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.countries.groups import package_reference
from sectracker.countries.memberships import load_memberships, parse_memberships
from sectracker.errors import CodebookError


def test_sizes_today() -> None:
    ref = package_reference()
    today = date(2026, 1, 1)
    sizes = {g: len(ref.members(g, today)) for g in ("asean", "sco", "brics", "au", "eu", "nato", "oecd", "g20")}
    assert sizes == {"asean": 11, "sco": 10, "brics": 10, "au": 55, "eu": 27, "nato": 32, "oecd": 38, "g20": 19}


@pytest.mark.parametrize(
    ("group", "iso3", "day", "member"),
    [
        ("eu", "GBR", date(2020, 1, 31), True),
        ("eu", "GBR", date(2020, 2, 1), False),
        ("nato", "MKD", date(2020, 3, 26), False),
        ("nato", "MKD", date(2020, 3, 27), True),
        ("sco", "IND", date(2017, 6, 8), False),
        ("au", "MAR", date(2016, 12, 31), False),
        ("au", "MAR", date(2017, 1, 30), True),
        ("oecd", "COL", date(2020, 6, 30), True),
        ("brics", "EGY", date(2020, 6, 30), False),
    ],
)
def test_as_of(group: str, iso3: str, day: date, member: bool) -> None:
    assert (iso3 in package_reference().members(group, day)) is member


def test_every_group_names_its_source() -> None:
    data = load_memberships()
    assert all(o.source for o in data.organisations)
    assert all(m.source for m in data.memberships)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("groups:\n  x:\n    name: X\n    source: S\n    joined:\n      2020-01-01: [ZZZ]\n", ":6: unknown ISO"),
        (
            "groups:\n  x:\n    name: X\n    source: S\n    joined:\n      2020-13-01: [FRA]\n",
            ":6: '2020-13-01' is not",
        ),
        ("groups:\n  x:\n    name: X\n    joined:\n      2020-01-01: [FRA]\n", ":3: group 'x': missing 'source'"),
        ("groups:\n  x:\n    name: X\n    source: S\n    joined:\n      2020-01-01: [FRA, FRA]\n", "listed twice"),
    ],
)
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        parse_memberships(text, "m.yaml")
