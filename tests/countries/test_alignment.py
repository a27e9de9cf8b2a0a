"""UN-vote agreement with China: hand-computed on a tiny vote file, checked against the published scores."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from sectracker.countries.alignment import agreement, quartiles, read_votes, window_agreement
from sectracker.countries.groups import load_reference
from sectracker.countries.imports import import_unvotes
from sectracker.errors import ValidationFailed
from sectracker.store import Database

# rcid 1 (2019): CN yes, US no, FR yes, PK yes; rcid 2 (2019): CN abstain, US abstain, FR no, PK abstain;
# rcid 3 (2018): CN no, US yes, FR no, PK absent; rcid 4 (2019): China absent, so it is not counted.
VOTES = """rcid,country,country_code,vote
1,China,CN,yes
1,United States,US,no
1,France,FR,yes
1,Pakistan,PK,yes
2,China,CN,abstain
2,United States,US,abstain
2,France,FR,no
2,Pakistan,PK,abstain
3,China,CN,no
3,United States,US,yes
3,France,FR,no
4,United States,US,yes
4,France,FR,yes
"""
CALLS = """rcid,session,importantvote,date,unres
1,74,0,2019-10-01,R/74/1
2,74,0,2019-11-01,R/74/2
3,73,0,2018-10-01,R/73/3
4,74,0,2019-12-01,R/74/4
"""


@pytest.fixture
def votes(tmp_path: Path) -> pl.DataFrame:
    (tmp_path / "v.csv").write_text(VOTES, encoding="utf-8")
    (tmp_path / "r.csv").write_text(CALLS, encoding="utf-8")
    return read_votes(tmp_path / "v.csv", tmp_path / "r.csv")


def test_agreement_per_year(votes: pl.DataFrame) -> None:
    yearly = agreement(votes, "year")
    assert yearly.rows() == [
        ("FRA", 2018, 1.0, 1),
        ("FRA", 2019, 0.5, 2),
        ("PAK", 2019, 1.0, 2),  # abstaining with China counts as agreeing
        ("USA", 2018, 0.0, 1),
        ("USA", 2019, 0.5, 2),
    ]
    assert agreement(votes, "session").filter(pl.col("period") == 74)["agreement"].to_list() == [0.5, 1.0, 0.5]


def test_window_pools_votes_and_quartiles(votes: pl.DataFrame) -> None:
    pooled = window_agreement(agreement(votes, "year"), 2018, 2019)
    assert pooled.rows() == [("FRA", pytest.approx(2 / 3), 3), ("PAK", 1.0, 2), ("USA", pytest.approx(1 / 3), 3)]
    # ranks 1..3 of 3 -> ceil(4 r / 3) = 2, 3, 4
    assert quartiles(pooled).sort("agreement")["quartile"].to_list() == [2, 3, 4]


def test_missing_columns_are_named(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("id,country,ballot\n1,China,yes\n", encoding="utf-8")
    (tmp_path / "r.csv").write_text(CALLS, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_votes(tmp_path / "v.csv", tmp_path / "r.csv")
    assert "missing column(s) rcid, country_code, vote" in str(info.value)
    assert "v.csv:1" in str(info.value)
    (tmp_path / "v2.csv").write_text(VOTES, encoding="utf-8")
    (tmp_path / "r2.csv").write_text("rcid,when\n1,2019\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="missing column\\(s\\) session, date"):
        read_votes(tmp_path / "v2.csv", tmp_path / "r2.csv")


def test_bad_vote_value(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text(VOTES.replace("1,France,FR,yes", "1,France,FR,maybe"), encoding="utf-8")
    (tmp_path / "r.csv").write_text(CALLS, encoding="utf-8")
    with pytest.raises(ValidationFailed, match="v.csv:4 \\[vote\\]: vote 'maybe'"):
        read_votes(tmp_path / "v.csv", tmp_path / "r.csv")


def test_import_and_quartile_as_of(any_db: Database, tmp_path: Path) -> None:
    db = any_db
    (tmp_path / "v.csv").write_text(VOTES, encoding="utf-8")
    (tmp_path / "r.csv").write_text(CALLS, encoding="utf-8")
    import_unvotes(db, tmp_path / "v.csv", tmp_path / "r.csv")
    ref = load_reference(db)
    from datetime import date

    scores = ref.alignment_as_of(date(2020, 3, 1))  # window ends 2019, the last year before 2020
    assert scores.filter(pl.col("iso3") == "PAK").select("agreement", "quartile", "first_year", "last_year").row(0) == (
        1.0,
        4,
        2015,
        2019,
    )


# Sessions whose roll calls the unvotes package (2021) and the June 2024 ideal-point release share:
# there the published ChinaAgree is reproduced to its 7 significant digits for every country.
EXACT_SESSIONS = [35, 36, 38, 39, 40, 43, 44, 45, 46, 48, 49, 50, 68, 70, 73, 74]


@pytest.mark.shared
def test_matches_published_china_agree(shared_dir: Path) -> None:
    votes = read_votes(shared_dir / "data/unvotes/un_votes.csv", shared_dir / "data/unvotes/un_roll_calls.csv")
    ours = agreement(votes, "session")
    published = pl.read_csv(
        shared_dir / "data/unga_idealpoints/IdealpointestimatesAll_Jun2024.csv", null_values="NA"
    ).select(pl.col("iso3c").alias("iso3"), pl.col("session").cast(pl.Int32).alias("period"), "ChinaAgree")
    both = ours.join(published, on=["iso3", "period"]).drop_nulls("ChinaAgree")
    diff = (both["agreement"] - both["ChinaAgree"]).abs()
    assert both.height > 8000
    exact = both.filter(pl.col("period").is_in(EXACT_SESSIONS))
    assert exact.height > 2500
    assert ((exact["agreement"] - exact["ChinaAgree"]).abs() <= 1e-6).all()
    # Elsewhere the two releases' roll-call sets differ; the whole overlap stays close:
    assert diff.median() <= 0.005  # type: ignore[operator]
    assert diff.mean() <= 0.02  # type: ignore[operator]
    assert (diff <= 0.01).mean() >= 0.6
