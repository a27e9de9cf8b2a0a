"""Every route, for every role, and with hostile input: access rules hold and nothing leaks or runs.

The tables below must list every route of the app, so a new route cannot ship untested.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute

from sectracker import accounts
from sectracker.accounts import passwords
from sectracker.models import Document
from sectracker.settings import Settings
from sectracker.store import open_database
from sectracker.web import create_app
from sectracker.web.app import ROUTERS
from tests.web.conftest import PASSWORD, Session, log_in, make_client
from tests.web.seed import DOC_TEXT, HOSTILE_SERIES, seed

# Who may call each route: open (anyone), reader (anyone in public mode, else logged in),
# viewer (logged in), analyst, admin.
ACCESS = {
    ("GET", "/"): "open",
    ("GET", "/api/v1/health"): "open",
    ("GET", "/vendor/vega-bundle.js"): "open",
    ("GET", "/login"): "open",
    ("POST", "/login"): "open",
    ("GET", "/api"): "reader",
    ("POST", "/logout"): "viewer",
    ("GET", "/api/v1/me"): "viewer",
    ("GET", "/api/v1/users"): "admin",
    ("GET", "/api/v1/events"): "reader",
    ("POST", "/api/v1/events"): "analyst",
    ("GET", "/api/v1/events/{event_id}"): "reader",
    ("PATCH", "/api/v1/events/{event_id}"): "analyst",
    ("DELETE", "/api/v1/events/{event_id}"): "admin",
    ("POST", "/api/v1/events/{event_id}/restore"): "admin",
    ("GET", "/api/v1/events/{event_id}/history"): "viewer",
    ("GET", "/api/v1/events/{event_id}/related"): "reader",
    ("GET", "/events"): "reader",
    ("GET", "/events/new"): "analyst",
    ("POST", "/events/new"): "analyst",
    ("GET", "/events/{event_id}"): "reader",
    ("GET", "/events/{event_id}/edit"): "analyst",
    ("POST", "/events/{event_id}/edit"): "analyst",
    ("POST", "/events/{event_id}/delete"): "admin",
    ("POST", "/events/{event_id}/restore"): "admin",
    ("GET", "/api/v1/candidates"): "viewer",
    ("GET", "/api/v1/candidates/{event_id}"): "viewer",
    ("POST", "/api/v1/candidates/{event_id}/accept"): "analyst",
    ("POST", "/api/v1/candidates/{event_id}/reject"): "analyst",
    ("POST", "/api/v1/candidates/{event_id}/merge"): "analyst",
    ("POST", "/api/v1/candidates/{event_id}/split"): "analyst",
    ("GET", "/review"): "viewer",
    ("GET", "/review/{event_id}"): "viewer",
    ("POST", "/review/{event_id}/accept"): "analyst",
    ("POST", "/review/{event_id}/reject"): "analyst",
    ("POST", "/review/{event_id}/merge"): "analyst",
    ("GET", "/review/{event_id}/split"): "analyst",
    ("POST", "/review/{event_id}/split"): "analyst",
    ("GET", "/api/v1/audit/{entry_id}"): "viewer",
    ("POST", "/api/v1/audit/{entry_id}/revert"): "analyst",
    ("POST", "/audit/{entry_id}/revert"): "analyst",
    ("GET", "/api/v1/documents"): "viewer",
    ("GET", "/api/v1/documents/{document_id}"): "viewer",
    ("GET", "/documents"): "viewer",
    ("GET", "/documents/{document_id}"): "viewer",
    ("GET", "/api/v1/codebook"): "reader",
    ("GET", "/codebook"): "reader",
    ("GET", "/api/v1/countries"): "reader",
    ("GET", "/api/v1/countries/{iso3}"): "reader",
    ("GET", "/countries"): "reader",
    ("GET", "/countries/{iso3}"): "reader",
    ("GET", "/api/v1/counts"): "reader",
    ("GET", "/api/v1/comparisons"): "reader",
    ("GET", "/api/v1/timeline"): "reader",
    ("GET", "/api/v1/map"): "reader",
    ("GET", "/timeline"): "reader",
    ("GET", "/map"): "reader",
    ("GET", "/api/v1/series"): "reader",
    ("GET", "/api/v1/series/{series_id}"): "reader",
    ("GET", "/series"): "reader",
    ("GET", "/series/{series_id}"): "reader",
    ("GET", "/api/v1/alerts"): "reader",
    ("GET", "/alerts"): "reader",
    ("GET", "/alerts.atom"): "reader",
    ("GET", "/api/v1/exports/{name}"): "reader",
    ("GET", "/api/v1/editions"): "reader",
    ("GET", "/editions"): "reader",
    ("GET", "/editions/{period}"): "reader",
    ("GET", "/editions/{period}/{name:path}"): "reader",
}
RANK = {"open": 0, "reader": 1, "viewer": 2, "analyst": 3, "admin": 4}
WHO = ("anonymous", "public-anonymous", "viewer", "analyst", "admin")
PATH_VALUES = {
    "event_id": "cand-cambodia-video",
    "entry_id": "1",
    "document_id": Document.id_for(DOC_TEXT),
    "iso3": "PAK",
    "series_id": HOSTILE_SERIES,
    "name": "events.csv",
    "period": "2020-H1",
    "name:path": "index.html",
}
EXTRA_QUERY = {"/api/v1/comparisons": "a=2019&b=2020"}
HTML = {"accept": "text/html"}


def _url(path: str, values: dict[str, str]) -> str:
    url = re.sub(r"\{([^}]+)\}", lambda m: values[m.group(1)], path)
    extra = EXTRA_QUERY.get(path)
    return f"{url}?{extra}" if extra else url


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One seeded database with an edition folder, apps in private and public mode, a session per role."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SECTRACKER_FIXED_CLOCK", "2026-01-01T00:00:00+00:00")
        fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        mp.setattr(passwords, "_hasher", lambda: fast)
        root = tmp_path_factory.mktemp("routes")
        (root / "out" / "2020-H1").mkdir(parents=True)
        (root / "out" / "2020-H1" / "index.html").write_text("<h1>Edition 2020-H1</h1>", encoding="utf-8")
        (root / "secret.txt").write_text("TOP-SECRET-FILE", encoding="utf-8")
        settings = Settings(db=str(root / "t.sqlite"), web_editions_dir=str(root / "out"))
        db = open_database(settings)
        db.migrate()
        seed(db)
        for role in ("viewer", "analyst", "admin"):
            accounts.add_user(db, role, PASSWORD, role)
        private = create_app(settings, db=db)
        public = create_app(
            Settings(db=settings.db, web_editions_dir=settings.web_editions_dir, web_public=True), db=db
        )
        sessions = {role: log_in(private, role) for role in ("viewer", "analyst", "admin")}
        yield {"private": private, "public": public, "sessions": sessions, "root": root, "db": db}
        db.close()


def _api_routes() -> list[APIRoute]:
    return [r for module in ROUTERS for r in module.router.routes if isinstance(r, APIRoute)]


def test_the_access_table_lists_every_route(world: dict[str, Any]) -> None:
    assert {(m, r.path) for r in _api_routes() for m in r.methods} == set(ACCESS)
    paths = world["private"].openapi()["paths"]
    documented = {
        (m.upper(), p.replace("{name}", "{name:path}") if "editions" in p else p)
        for p, ops in paths.items()
        for m in ops
    }
    assert documented <= set(ACCESS)


def _call(world: dict[str, Any], who: str, method: str, url: str, **kw: Any) -> Any:
    if who in WHO[:2]:
        client = make_client(world["public" if who == "public-anonymous" else "private"])
        return client.request(method, url, follow_redirects=False, **kw)
    # Logging out ends the session: use a fresh one so the other cases keep theirs.
    session: Session = log_in(world["private"], who) if url == "/logout" else world["sessions"][who]
    headers = {"x-csrf-token": session.csrf, **kw.pop("headers", {})}
    return session.client.request(method, url, follow_redirects=False, headers=headers, **kw)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("method,path", sorted(ACCESS, key=lambda k: (k[0] == "DELETE", k[1], k[0])))
def test_every_route_for_every_role(world: dict[str, Any], who: str, method: str, path: str) -> None:
    need = ACCESS[(method, path)]
    url = _url(path, PATH_VALUES)
    headers = HTML if not path.startswith("/api/") else {}
    r = _call(world, who, method, url, headers=headers)
    denied_anonymously = r.status_code == 401 or (
        r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    )
    rank = {"anonymous": 0, "public-anonymous": 1 if need == "reader" else 0}.get(who, RANK.get(who, 0))
    if who in ("anonymous", "public-anonymous") and rank < RANK[need]:
        assert denied_anonymously, (r.status_code, r.text[:200])
    elif who not in ("anonymous", "public-anonymous") and RANK[who] < RANK[need]:
        assert r.status_code == 403, (r.status_code, r.text[:200])
        assert "role" in (r.json()["error"]["message"] if not headers else r.text)
    else:
        assert r.status_code < 500 and r.status_code not in (401, 403), (r.status_code, r.text[:300])
        assert not denied_anonymously


HOSTILE = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "' OR 1=1; DROP TABLE events; --",
    "../../../../etc/passwd",
    "%00\x00",
    "x" * 2000,
]


def _query_names(route: APIRoute) -> list[str]:
    names: list[str] = []
    stack = [route.dependant]
    while stack:
        d = stack.pop()
        names += [p.alias for p in d.query_params]
        stack += d.dependencies
    return sorted(set(names))


def _assert_safe(r: Any, payload: str) -> None:
    assert r.status_code < 500, r.text[:300]
    body = r.text
    assert "Traceback" not in body and "root:x:0:0" not in body and "TOP-SECRET-FILE" not in body
    if "text/html" in r.headers.get("content-type", ""):
        for raw in ("<script>alert(1)", "<svg onload"):
            assert raw not in body, f"unescaped payload in {r.url}"


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_on_every_endpoint(world: dict[str, Any], payload: str) -> None:
    admin: Session = world["sessions"]["admin"]
    for route in _api_routes():
        params = re.findall(r"\{([^}]+)\}", route.path)
        path_values = {**PATH_VALUES, **{p: quote(payload[:300], safe="") for p in params}}
        query = {name: payload for name in _query_names(route)}
        for method in route.methods:
            headers = {"x-csrf-token": admin.csrf, **(HTML if not route.path.startswith("/api/") else {})}
            url = re.sub(r"\{([^}]+)\}", lambda m, pv=path_values: pv[m.group(1)], route.path)
            kw: dict[str, Any] = {"params": query}
            if method in ("POST", "PATCH"):
                fields = [
                    "username",
                    "password",
                    "headline",
                    "summary",
                    "category",
                    "countries",
                    "reason",
                    "target",
                    "version",
                    "sources",
                    "locations",
                    "next",
                    "csrf_token",
                    "id",
                ]
                if route.path.startswith("/api/"):
                    kw["json"] = {f: payload for f in fields if f not in ("csrf_token",)}
                else:
                    kw["data"] = {f: payload for f in fields if f != "csrf_token"} | {"csrf_token": admin.csrf}
            r = admin.client.request(method, url, headers=headers, follow_redirects=False, **kw)
            _assert_safe(r, payload)
            if r.status_code in (301, 302, 303, 307):
                assert r.headers["location"].startswith("/"), r.headers["location"]


def test_path_traversal_never_reads_outside(world: dict[str, Any]) -> None:
    viewer: Session = world["sessions"]["viewer"]
    for url in (
        "/api/v1/exports/..%2F..%2Fsecret.txt",
        "/api/v1/exports/../../secret.csv",
        "/api/v1/exports/.htaccess.csv",
        "/editions/2020-H1/..%2F..%2Fsecret.txt",
        "/editions/2020-H1/../../secret.txt",
        "/editions/..%2F/secret.txt",
        "/editions/2020-H1/%2e%2e/%2e%2e/secret.txt",
        "/static/..%2F..%2Fsecret.txt",
    ):
        r = viewer.client.get(url)
        assert r.status_code in (400, 404), (url, r.status_code)
        assert "TOP-SECRET" not in r.text
    good = viewer.client.get("/editions/2020-H1/index.html")
    assert good.status_code == 200 and "Edition 2020-H1" in good.text
    assert viewer.client.get("/editions/2020-H1", follow_redirects=False).status_code == 307
    assert Path(world["root"], "secret.txt").read_text() == "TOP-SECRET-FILE"


def test_huge_parameters_and_bodies_are_refused_cleanly(world: dict[str, Any]) -> None:
    analyst: Session = world["sessions"]["analyst"]
    r = analyst.client.get("/api/v1/events", params={"q": "war " * 15000})
    assert r.status_code == 400 and r.json()["error"]["problems"][0]["field"] == "q"
    r = analyst.client.get("/api/v1/events", params=[("category", "architecture.un")] * 200)
    assert r.status_code == 400 and r.json()["error"]["problems"][0]["field"] == "category"
    big = {"changes": {"summary": "y" * 6_000_000}, "version": 1}
    r = analyst.api("PATCH", "/api/v1/events/ev-un-budget", json=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    r = analyst.form("/review/cand-undated/reject", {"version": "1", "reason": "z" * 6_000_000})
    assert r.status_code == 413
