"""`sectracker serve` starts uvicorn on the configured database; a real server answers over loopback."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from typer.testing import CliRunner

from sectracker.cli import app as cli
from sectracker.errors import ConfigError
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


def test_the_server_works_on_as_many_requests_at_once_as_configured(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    r = CliRunner().invoke(cli, ["--db", db.settings.db, "serve", "--threads", "3"])
    assert r.exit_code == 0, r.output

    async def pool_size_while_serving(app: Any) -> int:
        async with app.router.lifespan_context(app):
            return int(anyio.to_thread.current_default_thread_limiter().total_tokens)

    assert anyio.run(pool_size_while_serving, seen["app"]) == 3
    assert anyio.run(pool_size_while_serving, create_app(db=db)) == 4  # the default
    assert CliRunner().invoke(cli, ["--db", db.settings.db, "serve", "--threads", "0"]).exit_code == 2
    with pytest.raises(ConfigError, match="SECTRACKER_WEB_THREADS"):
        create_app(db.settings.with_overrides(web_threads=0), db=db)


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


def test_several_worker_processes_serve_the_same_database(seeded: Database) -> None:
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "sectracker"
    cmd = [str(exe), "--db", seeded.settings.db, "serve", "--port", str(port), "--workers", "2", "--public"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, events = time.monotonic() + 60, None
        while time.monotonic() < deadline and events is None:
            try:
                events = httpx.get(f"http://127.0.0.1:{port}/api/v1/events?limit=5", timeout=5)
            except httpx.TransportError:
                assert proc.poll() is None, proc.communicate()[1]
                time.sleep(0.3)
        assert events is not None and events.status_code == 200
        assert len(events.json()["events"]) == 5  # the public settings reached the worker processes
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    assert "2 processes" in out and "public" in out
