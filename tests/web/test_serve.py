"""`sectracker serve` starts uvicorn on the configured database; a real server answers over loopback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from sectracker.cli import app as cli
from sectracker.store import Database
from sectracker.web import create_app
from tests.web.server import running_server


def test_serve_runs_uvicorn_with_the_app(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, **kw))
    r = CliRunner().invoke(cli, ["--db", db.settings.db, "serve", "--host", "127.0.0.1", "--port", "8123", "--public"])
    assert r.exit_code == 0, r.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8123
    assert seen["app"].state.settings.web_public is True
    assert "http://127.0.0.1:8123/" in r.stdout and "public" in r.stdout


def test_serve_refuses_an_uninitialised_database(tmp_path: Any) -> None:
    r = CliRunner().invoke(cli, ["--db", str(tmp_path / "none.sqlite"), "serve"])
    assert r.exit_code != 0 and "sectracker init" in r.output


def test_a_real_server_over_loopback(seeded: Database) -> None:
    with running_server(create_app(db=seeded)) as base:
        health = httpx.get(f"{base}/api/v1/health")
        assert health.json() == {"status": "ok"}
        assert "script-src 'self'" in health.headers["content-security-policy"]
        assert httpx.get(f"{base}/api/v1/events").status_code == 401
        schema = httpx.get(f"{base}/api/v1/openapi.json").json()
        assert "/api/v1/events" in schema["paths"] and "/api/v1/candidates/{event_id}/merge" in schema["paths"]
