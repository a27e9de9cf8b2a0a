"""Web fixtures: a seeded database with one user per role, the app, and logged-in clients."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from argon2 import PasswordHasher

from sectracker import accounts
from sectracker.accounts import passwords
from sectracker.models import Document
from sectracker.settings import Settings
from sectracker.store import Database
from sectracker.web import create_app
from tests.web.seed import DOC_TEXT, seed

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "admin")


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fast argon2 parameters in tests (the production profile is tested on its own)."""
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", lambda: fast)


@dataclass
class Session:
    """A logged-in test client and the CSRF token of its session."""

    client: TestClient
    csrf: str
    username: str

    def form(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        """POST a form with the session's CSRF token, as a browser would."""
        body = {"csrf_token": self.csrf, **(data or {})}
        return self.client.post(url, data=body, follow_redirects=False, headers={"accept": "text/html"}, **kw)

    def api(self, method: str, url: str, **kw: Any) -> Any:
        headers = {"x-csrf-token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kw)


def make_client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://testserver")


def log_in(app: Any, username: str, password: str = PASSWORD) -> Session:
    client = make_client(app)
    page = client.get("/login", headers={"accept": "text/html"})
    assert page.status_code == 200
    token = client.cookies.get("sectracker_login_csrf")
    r = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": "/events"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return Session(client, _csrf_of(client), username)


def _csrf_of(client: TestClient) -> str:
    html = client.get("/events", headers={"accept": "text/html"}).text
    marker = 'name="csrf_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


@pytest.fixture
def seeded(db: Database) -> Database:
    """The test events, candidates and document, plus users viewer, analyst and admin."""
    seed(db)
    for role in ROLES:
        accounts.add_user(db, role, PASSWORD, role)
    return db


@pytest.fixture
def doc_id(seeded: Database) -> str:
    return Document.id_for(DOC_TEXT)


@pytest.fixture
def app(seeded: Database) -> Any:
    return create_app(db=seeded)


@pytest.fixture
def public_app(seeded: Database) -> Any:
    settings = Settings(db=seeded.settings.db, web_public=True)
    return create_app(settings, db=seeded)


@pytest.fixture
def anon(app: Any) -> Iterator[TestClient]:
    with make_client(app) as client:
        yield client


@pytest.fixture
def viewer(app: Any) -> Session:
    return log_in(app, "viewer")


@pytest.fixture
def analyst(app: Any) -> Session:
    return log_in(app, "analyst")


@pytest.fixture
def admin(app: Any) -> Session:
    return log_in(app, "admin")


HTML = {"accept": "text/html"}
