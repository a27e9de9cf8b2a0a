"""Store test fixtures: a second fresh database on the same backend as `any_db`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sectracker.settings import Settings
from sectracker.store import Database, open_database


@pytest.fixture
def another_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """Another migrated database, on the backend of this test run."""
    if backend == "sqlite":
        database = open_database(Settings(db=str(tmp_path / "other.sqlite"), user="tester"))
        database.migrate()
        yield database
        database.close()
        return
    cluster = request.getfixturevalue("pg_cluster")
    with cluster.database(template=request.getfixturevalue("pg_migrated_template")) as url:
        database = open_database(Settings(db=url, user="tester"))
        yield database
        database.close()
