"""Shared fixtures: fresh migrated databases, the shared data folder, the seed.

Databases
---------
- ``db``: a migrated SQLite file in tmp_path (SQLite only).
- ``any_db``: a migrated database on each backend; a test using it runs twice, with ids
  ``[sqlite]`` and ``[postgres]``. Use it for anything that reads or writes the store::

      def test_edit_is_audited(any_db: Database) -> None:
          api.add_events(any_db, [...], user="tester")

  ``any_empty_db`` is the same without migrations (for migration tests); ``any_url``
  is just the URL of a fresh, empty database on each backend.
- ``pg_cluster``: one throwaway PostgreSQL server for the whole run (initdb into a
  temporary folder as the ``postgres`` user, a free port; stopped and deleted at the end).
  ``pg_url`` is a fresh database on it, dropped after the test. Tests needing it are
  skipped only when no PostgreSQL server binaries are installed (``apt install postgresql``);
  ``-m "not postgres"`` leaves them out on purpose.
"""

from __future__ import annotations

import os

# Rich fixes its width from COLUMNS when a console is created (xdist workers set 80):
# set a wide, fixed width before any sectracker console exists, so CLI output is the same everywhere.
os.environ["COLUMNS"] = "200"

from collections.abc import Iterator  # noqa: E402
from pathlib import Path

import pytest

from sectracker.settings import Settings
from sectracker.store import Database, open_database
from tests.pg_cluster import PgCluster, find_bin_dir, running_cluster

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


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL server for the whole test run (per xdist worker)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) found: install the 'postgresql' package")
    with running_cluster(bin_dir) as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: PgCluster) -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL database, dropped after the test."""
    with pg_cluster.database() as url:
        yield url


@pytest.fixture(scope="session")
def pg_migrated_template(pg_cluster: PgCluster) -> str:
    """The name of a database migrated once per run; `any_db` clones it (50 ms instead of 200)."""
    name = pg_cluster.create_database("migrated")
    database = open_database(Settings(db=pg_cluster.url(name)))
    database.migrate()
    database.close()
    return name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend a test runs on: "sqlite", then "postgres"."""
    return str(request.param)


@pytest.fixture
def any_url(backend: str, request: pytest.FixtureRequest, db_path: Path) -> str:
    """The URL of a fresh, empty database: a SQLite file, then a PostgreSQL database."""
    if backend == "sqlite":
        return f"sqlite:///{db_path}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def any_empty_db(any_url: str) -> Iterator[Database]:
    """An open database with no tables yet, on each backend."""
    database = open_database(Settings(db=any_url, user="tester"))
    yield database
    database.close()


@pytest.fixture
def any_db(backend: str, request: pytest.FixtureRequest, db_path: Path) -> Iterator[Database]:
    """A fresh database migrated to the newest schema, on each backend (SQLite, PostgreSQL)."""
    if backend == "sqlite":
        database = open_database(Settings(db=str(db_path), user="tester"))
        database.migrate()
        yield database
        database.close()
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    with cluster.database(template=request.getfixturevalue("pg_migrated_template")) as url:
        database = open_database(Settings(db=url, user="tester"))
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
