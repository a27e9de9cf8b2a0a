"""Bad Belt and Road and income files: refused with file, line and field; nothing stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.countries import tables
from sectracker.countries.bri import read_bri
from sectracker.countries.income import read_income
from sectracker.errors import ValidationFailed
from sectracker.store.db import open_database

runner = CliRunner()
GFDC_HEADER = "country,iso3,likely_join_date,likely_exit_date\n"
LONG_HEADER = "code,economy,former_entity,fiscal_year,gni_data_year,income_code_raw,income_group\n"


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    db = tmp_path / "t.sqlite"
    assert run(db, "init").exit_code == 0
    return db


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems(call: Any) -> set[tuple[int | None, str | None]]:
    with pytest.raises(ValidationFailed) as info:
        call()
    return {(p.line, p.field) for p in info.value.problems}


def test_bri_exit_before_join_is_refused_and_nothing_stored(tmp_path: Path, db_file: Path) -> None:
    path = write(
        tmp_path, "gfdc_2023-12.csv", GFDC_HEADER + "Peru,PER,2019-04-01,\nAlbania,ALB,2017-05-01,2016-01-01\n"
    )
    out = run(db_file, "countries", "import-bri", str(path))
    assert out.exit_code == 2, out.output
    assert "gfdc_2023-12.csv:3 [likely_exit_date]" in out.output and "before the join date" in out.output
    assert tables.read_bri(open_database(db=str(db_file))).height == 0


def test_bri_conflicting_rows_name_both_lines(tmp_path: Path, db_file: Path) -> None:
    text = GFDC_HEADER + "Albania,ALB,2017-05-01,\nPeru,PER,2019-04-01,\nAlbania,ALB,2018-05-01,\n"
    path = write(tmp_path, "g.csv", text)
    out = run(db_file, "countries", "import-bri", str(path))
    assert out.exit_code == 2, out.output
    assert "g.csv:4 [likely_join_date]" in out.output and "lines 2 and 4" in out.output
    assert tables.read_bri(open_database(db=str(db_file))).height == 0
    # the same row twice is harmless: kept once
    same = write(tmp_path, "same.csv", GFDC_HEADER + "Albania,ALB,2017-05-01,\nAlbania,ALB,2017-05-01,\n")
    assert read_bri(same)["iso3"].to_list() == ["ALB"]


def test_bri_unknown_code_and_bad_year_have_a_line(tmp_path: Path) -> None:
    gfdc = write(tmp_path, "g.csv", GFDC_HEADER + "Albania,ALB,2017-05-01,\nNarnia,XXX,2018-05-01,\n")
    assert problems(lambda: read_bri(gfdc)) == {(3, "iso3")}
    lpv = write(tmp_path, "l.csv", "iso3,countryname_clean,bri_mou_year\nALB,Albania,2017\nPER,Peru,20190\n")
    assert problems(lambda: read_bri(lpv)) == {(3, "bri_mou_year")}


def test_income_unknown_code_year_and_group_are_refused(tmp_path: Path, db_file: Path) -> None:
    text = LONG_HEADER + (
        "NGA,Nigeria,0,2020,2018,LM,Lower middle income\n"
        "XXX,Nowhere,0,2020,2018,LM,Lower middle income\n"
        "NGA,Nigeria,0,99999,2018,LM,Lower middle income\n"
        "PER,Peru,0,2020,2018,Q,\n"
    )
    path = write(tmp_path, "long.csv", text)
    out = run(db_file, "countries", "import-income", str(path))
    assert out.exit_code == 2, out.output
    for where in ("long.csv:3 [code]", "long.csv:4 [fiscal_year]", "long.csv:5 [income_code_raw]"):
        assert where in out.output, where
    assert tables.read_income(open_database(db=str(db_file))).height == 0


def test_income_two_groups_for_one_economy_and_year_are_refused(tmp_path: Path) -> None:
    rows = "NGA,Nigeria,0,2020,2018,LM,Lower middle income\n"
    twice = write(tmp_path, "twice.csv", LONG_HEADER + rows + rows)
    assert read_income(twice).height == 1  # an identical repeat is kept once
    other = write(tmp_path, "other.csv", LONG_HEADER + rows + "NGA,Nigeria,0,2020,2018,L,Low income\n")
    with pytest.raises(ValidationFailed) as info:
        read_income(other)
    (problem,) = info.value.problems
    assert (problem.line, problem.field) == (3, "income_code_raw") and "on line 2" in problem.message


def test_income_wide_and_current_layouts_name_the_field(tmp_path: Path) -> None:
    wide = write(tmp_path, "wide.csv", "code,economy,FY89,FY90\nNGA,Nigeria,L,Q\nXXX,Nowhere,L,L\n")
    assert problems(lambda: read_income(wide)) == {(2, "FY90"), (3, "code")}
    current = write(tmp_path, "class.csv", "economy,code,income_group\nNigeria,NGA,Middling\n")
    assert problems(lambda: read_income(current, 2026)) == {(2, "income_group")}
    assert problems(lambda: read_income(current, 99999)) == {(None, "--fiscal-year")}


def test_income_keeps_world_bank_codes_of_former_economies(tmp_path: Path) -> None:
    text = LONG_HEADER + "CHI,Channel Islands,0,2020,2018,H,High income\nYUGf,Yugoslavia,1,1990,1988,UM,\n"
    assert read_income(write(tmp_path, "long.csv", text))["iso3"].to_list() == ["CHI", "YUGF"]


def test_non_utf8_files_name_the_encoding(tmp_path: Path, db_file: Path) -> None:
    income = write(tmp_path, "inc.csv", "code,fiscal_yéar,income_code_raw\nNGA,2020,L\n".encode("latin-1"))
    out = run(db_file, "countries", "import-income", str(income))
    assert out.exit_code == 2 and "inc.csv: not UTF-8 text" in out.output, out.output
    bri = write(tmp_path, "b.csv", (GFDC_HEADER + "Côte d'Ivoire,CIV,2018-09-01,\n").encode("latin-1"))
    out = run(db_file, "countries", "import-bri", str(bri))
    assert out.exit_code == 2 and "b.csv: not UTF-8 text" in out.output, out.output
    # a byte-order mark is dropped, not read into the first column's name
    bom = write(tmp_path, "bom.csv", b"\xef\xbb\xbf" + (GFDC_HEADER + "Peru,PER,2019-04-01,\n").encode())
    assert read_bri(bom)["iso3"].to_list() == ["PER"]
