"""Shared fixtures: a fresh migrated SQLite database, the shared data folder, the seed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sectracker.settings import Settings
from sectracker.store import Database, open_database

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed" / "000_b5431f1753da667a.txt"


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECTRACKER_FIXED_CLOCK", "2026-01-01T00:00:00+00:00")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tracker.sqlite"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh SQLite file in tmp_path, migrated to the newest schema."""
    database = open_database(Settings(db=str(db_path), user="tester"))
    database.migrate()
    yield database
    database.close()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: this test needs the shared real data")
    return SHARED


@pytest.fixture
def seed_text(shared_dir: Path) -> str:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is absent")
    return SEED.read_text(encoding="utf-8")
