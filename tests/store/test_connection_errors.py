"""A database that cannot be reached gives one clear message naming it, never the password."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import ConfigError
from sectracker.settings import Settings
from sectracker.store import open_database
from tests.pg_cluster import PgCluster, free_port

runner = CliRunner()


def _message(url: str) -> str:
    with pytest.raises(ConfigError) as err:
        open_database(Settings(db=url))
    return str(err.value)


@pytest.mark.postgres
def test_wrong_password(pg_cluster: PgCluster) -> None:
    msg = _message(pg_cluster.url("postgres", password="not-the-password"))
    assert "password authentication failed" in msg
    assert f"127.0.0.1:{pg_cluster.port}" in msg and "'postgres'" in msg and "as postgres" in msg
    assert "not-the-password" not in msg


@pytest.mark.postgres
def test_unknown_database(pg_cluster: PgCluster) -> None:
    msg = _message(pg_cluster.url("no_such_db"))
    assert 'database "no_such_db" does not exist' in msg
    assert pg_cluster.password not in msg


def test_no_server_listening() -> None:
    msg = _message(f"postgresql+psycopg://u:secret@127.0.0.1:{free_port()}/tracker")
    assert "cannot connect to postgresql database 'tracker'" in msg and "refused" in msg
    assert "secret" not in msg


@pytest.mark.postgres
def test_the_cli_reports_it_without_a_traceback(pg_cluster: PgCluster) -> None:
    url = pg_cluster.url("postgres", password="wrong-pw")
    result = runner.invoke(app, ["--db", url, "list"])
    assert result.exit_code == 2
    assert "error: cannot connect to postgresql database 'postgres'" in result.output
    assert "Traceback" not in result.output and "wrong-pw" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("url", ["postgresql+nodriver://u@h/db", "notadb://x:pw@h/db"])
def test_unusable_urls(url: str) -> None:
    msg = _message(url)
    assert "pw@" not in msg


def test_missing_sqlite_folder(tmp_path: Path) -> None:
    msg = _message(str(tmp_path / "absent" / "t.sqlite"))
    assert "does not exist" in msg
