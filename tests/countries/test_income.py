"""World Bank income groups: each layout, the fiscal year of a date, imports into the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sectracker.countries.groups import load_reference
from sectracker.countries.imports import import_income
from sectracker.countries.income import fiscal_year, read_income
from sectracker.errors import ValidationFailed
from sectracker.store import Database

LONG = """code,economy,former_entity,fiscal_year,gni_data_year,income_code_raw,income_group
NGA,Nigeria,0,2020,2018,LM,Lower middle income
NGA,Nigeria,0,2021,2019,LM,Lower middle income
VEN,Venezuela,0,2021,2019,..,
YEM,Yemen,0,1990,1988,LM*,Lower middle income
"""
WIDE = """code,economy,FY89,FY90,FY20,FY21
NGA,Nigeria,L,L,LM,LM
VEN,Venezuela,UM,UM,UM,
"""
PANEL = """economy,code,year_fiscal,year_release,year_data,region,region_code,region_pip,region_SSA,incgroup_historical
Nigeria,NGA,2020,2019,2018,SSA,SSF,SSA,,Lower middle income
"""
CURRENT = """economy,code,region,income_group,lending_category
Nigeria,NGA,Sub-Saharan Africa,Lower middle income,IDA
Ethiopia,ETH,Sub-Saharan Africa,,IDA
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_fiscal_year() -> None:
    assert fiscal_year(date(2020, 6, 30)) == 2020
    assert fiscal_year(date(2020, 7, 1)) == 2021


def test_long_layout(tmp_path: Path) -> None:
    rows = read_income(write(tmp_path, "long.csv", LONG))
    assert rows.select("iso3", "fiscal_year", "income_group").rows() == [
        ("NGA", 2020, "lower_middle"),
        ("NGA", 2021, "lower_middle"),
        ("VEN", 2021, None),
        ("YEM", 1990, "lower_middle"),
    ]
    assert "long layout" in rows["source"][0]


def test_wide_panel_and_current_layouts(tmp_path: Path) -> None:
    wide = read_income(write(tmp_path, "wide.csv", WIDE))
    assert wide.filter(wide["iso3"] == "NGA").select("fiscal_year", "income_group").rows() == [
        (1989, "low"),
        (1990, "low"),
        (2020, "lower_middle"),
        (2021, "lower_middle"),
    ]
    assert wide.filter((wide["iso3"] == "VEN") & (wide["fiscal_year"] == 2021))["income_group"].item() is None
    panel = read_income(write(tmp_path, "panel.csv", PANEL))
    assert panel.select("iso3", "fiscal_year", "income_group").rows() == [("NGA", 2020, "lower_middle")]
    current = read_income(write(tmp_path, "class_fy2026_current.csv", CURRENT))
    assert current.select("iso3", "fiscal_year", "income_group").rows() == [
        ("ETH", 2026, None),
        ("NGA", 2026, "lower_middle"),
    ]
    with pytest.raises(ValidationFailed, match="--fiscal-year"):
        read_income(write(tmp_path, "class.csv", CURRENT))
    assert read_income(write(tmp_path, "class.csv", CURRENT), year=2024)["fiscal_year"].unique().to_list() == [2024]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as info:
        read_income(write(tmp_path, "x.csv", "code,economy,year\nNGA,Nigeria,2020\n"))
    assert "missing column(s) fiscal_year, income_code_raw" in str(info.value)
    assert "x.csv:1" in str(info.value)


def test_import_and_as_of(any_db: Database, tmp_path: Path) -> None:
    db = any_db
    summary = import_income(db, write(tmp_path, "long.csv", LONG))
    assert summary.rows == 4
    ref = load_reference(db)
    facts = {g.group: g for g in ref.groups_of("NGA", date(2019, 12, 1))}
    assert facts["income"].value == "Lower middle income"
    assert facts["income"].label == "World Bank income group, FY2020"
    assert "long.csv" in facts["income"].source
    # importing again replaces the same fiscal years instead of failing on duplicates
    assert import_income(db, write(tmp_path, "long.csv", LONG)).rows == 4


def test_real_oghist_file(shared_dir: Path, db: Database) -> None:
    summary = import_income(db, shared_dir / "data" / "wb_income" / "oghist_income_long_fy1989_2026.csv")
    assert summary.rows == 8512
    ref = load_reference(db)
    # FY2026 counts as given in ../shared/data/wb_income/SOURCE.md: H 87, UM 54, LM 50, L 26, 1 unclassified.
    fy26 = ref.income.filter(ref.income["fiscal_year"] == 2026)["income_group"].value_counts()
    counts = dict(zip(fy26["income_group"].to_list(), fy26["count"].to_list(), strict=True))
    del counts[None]  # Venezuela and the six former entities (CSK, YUG, SUN ...) have no FY2026 group
    assert counts == {"high": 87, "upper_middle": 54, "lower_middle": 50, "low": 26}
    assert ref.groups_of("VEN", date(2025, 12, 1))[-1].value == "not classified"
