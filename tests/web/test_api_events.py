"""The events API: filters like the CLI, cursor pages, ETags, create/update/delete, one error shape."""

from __future__ import annotations

from typing import Any

import pytest

from sectracker import accounts
from sectracker.store import Database
from tests.web.conftest import Session, make_client


def _ids(body: dict[str, Any]) -> list[str]:
    return [e["id"] for e in body["events"]]


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "problems"}
    assert body["error"]["status"] == status
    return dict(body["error"])


def test_list_filters_like_the_cli(viewer: Session) -> None:
    c = viewer.client
    assert _ids(c.get("/api/v1/events?status=verified").json()) == [
        "ev-un-budget",
        "ev-djibouti-port",
        "ev-pak-masks",
        "ev-cambodia-exercise",
        "ev-2019-visit",
    ]
    assert _ids(c.get("/api/v1/events?category=projection.logistics").json()) == ["ev-djibouti-port"]
    assert set(_ids(c.get("/api/v1/events?country=pak").json())) == {"ev-pak-masks", "cand-pak-dup"}
    assert _ids(c.get("/api/v1/events?actor=plan").json()) == ["ev-djibouti-port"]
    assert _ids(c.get("/api/v1/events?period=2019-H2").json()) == ["ev-2019-visit"]
    assert _ids(c.get("/api/v1/events?from=2020-05-01&to=2020-12-31").json()) == ["ev-un-budget"]
    assert _ids(c.get("/api/v1/events?q=golden+dragon").json()) == ["ev-cambodia-exercise"]
    assert _ids(c.get("/api/v1/events?region=Eastern+Africa").json()) == ["ev-djibouti-port"]
    asean = c.get("/api/v1/events?group=asean&status=verified").json()
    assert _ids(asean) == ["ev-cambodia-exercise"]
    oldest = c.get("/api/v1/events?sort=-date&status=verified&limit=1").json()
    assert _ids(oldest) == ["ev-2019-visit"] and oldest["total"] == 5


def test_cursor_pages_and_facets(viewer: Session) -> None:
    c = viewer.client
    seen, url = [], "/api/v1/events?limit=3&facet=category&facet=status"
    first = c.get(url).json()
    assert {f["name"] for f in first["facets"]} == {"category", "status"}
    status = {v["value"]: v["count"] for v in next(f for f in first["facets"] if f["name"] == "status")["values"]}
    assert status == {"verified": 5, "candidate": 3}
    body = first
    while True:
        seen += _ids(body)
        if not body["next_cursor"]:
            break
        body = c.get(f"/api/v1/events?limit=3&cursor={body['next_cursor']}").json()
    assert len(seen) == len(set(seen)) == 8


@pytest.mark.parametrize(
    "query",
    [
        "category=projection.logistics&category=diplomacy.meetings&status=candidate",
        "status=verified&country=pak",
        "category=domestic.policy&status=verified&status=candidate&q=masks",
        "country=pak&country=khm&category=diplomacy.exercises_port_calls",
    ],
)
def test_facets_and_total_equal_counts_of_the_filtered_lists(viewer: Session, query: str) -> None:
    """Each facet counts the list without its own filter; the total counts the list itself."""
    c = viewer.client

    def ids(q: str) -> list[str]:
        return _ids(c.get(f"/api/v1/events?{q}&limit=500").json())

    body = c.get(f"/api/v1/events?{query}&facet=category&facet=status").json()
    assert body["total"] == len(ids(query))
    for facet in body["facets"]:
        others = "&".join(p for p in query.split("&") if not p.startswith(facet["name"] + "="))
        expected: dict[str, int] = {}
        for event in c.get(f"/api/v1/events?{others}&limit=500").json()["events"]:
            expected[event[facet["name"]]] = expected.get(event[facet["name"]], 0) + 1
        assert {v["value"]: v["count"] for v in facet["values"]} == expected


def test_get_has_an_etag_and_answers_if_none_match(viewer: Session) -> None:
    r = viewer.client.get("/api/v1/events/ev-pak-masks")
    assert r.status_code == 200 and r.headers["etag"] == '"ev-pak-masks@1"'
    again = viewer.client.get("/api/v1/events/ev-pak-masks", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    listing = viewer.client.get("/api/v1/events")
    same = viewer.client.get("/api/v1/events", headers={"if-none-match": listing.headers["etag"]})
    assert same.status_code == 304
    _error(viewer.client.get("/api/v1/events/no-such-event"), 404)


def test_create_update_with_locking_and_delete(analyst: Session, admin: Session) -> None:
    new = {
        "id": "ev-new-one",
        "headline": "PLA hospital ship visits Fiji",
        "category": "projection.humanitarian",
        "countries": ["FJI"],
        "date_start": "2020-06-01",
    }
    r = analyst.api("POST", "/api/v1/events", json=new)
    assert r.status_code == 201 and r.headers["location"] == "/api/v1/events/ev-new-one"
    assert r.json()["status"] == "candidate" and r.headers["etag"] == '"ev-new-one@1"'
    assert _error(analyst.api("POST", "/api/v1/events", json=new), 409)["code"] == "conflict"
    changed = analyst.api(
        "PATCH",
        "/api/v1/events/ev-new-one",
        json={"changes": {"significance": 5}},
        headers={"if-match": '"ev-new-one@1"'},
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = analyst.api("PATCH", "/api/v1/events/ev-new-one", json={"changes": {"significance": 1}, "version": 1})
    assert "changed by someone else" in _error(stale, 409)["message"]
    missing = analyst.api("PATCH", "/api/v1/events/ev-new-one", json={"changes": {"significance": 1}})
    assert _error(missing, 400)["problems"][0]["field"] == "version"
    unknown = analyst.api("PATCH", "/api/v1/events/ev-new-one", json={"changes": {"colour": "red"}, "version": 2})
    assert _error(unknown, 400)["problems"][0]["field"] == "colour"
    bad = analyst.api("PATCH", "/api/v1/events/ev-new-one", json={"changes": {"countries": ["CHN"]}, "version": 2})
    assert _error(bad, 400)["problems"][0]["field"] == "countries"
    assert analyst.client.get("/api/v1/events/ev-new-one").json()["significance"] == 5  # nothing half-written
    assert _error(analyst.api("DELETE", "/api/v1/events/ev-new-one"), 403)["code"] == "forbidden"
    assert admin.api("DELETE", "/api/v1/events/ev-new-one").status_code == 204
    _error(admin.client.get("/api/v1/events/ev-new-one"), 404)
    assert admin.api("POST", "/api/v1/events/ev-new-one/restore").json()["id"] == "ev-new-one"
    history = [h["action"] for h in admin.client.get("/api/v1/events/ev-new-one/history").json()]
    assert history == ["create", "edit", "delete", "restore"]


@pytest.mark.parametrize(
    "query,field",
    [
        ("category=nope", "category"),
        ("country=XYZ", "country"),
        ("status=maybe", "status"),
        ("from=2020-13-01", "from"),
        ("from=2020-06-01&to=2020-01-01", "to"),
        ("period=2020-H3", "period"),
        ("sort=random()", "sort"),
        ("limit=0", "limit"),
        ("limit=100000", "limit"),
        ("limit=ten", "limit"),
        ("cursor=abc", "cursor"),
        ("region=Atlantis", "region"),
        ("group=warsaw_pact", "group"),
        ("facet=headline", "facet"),
        ("categry=diplomacy.meetings", "categry"),
        ("q=" + "x" * 201, "q"),
        ("limit=1&limit=2", "limit"),
        ("from=2020-01-01&category=architecture.un&from=2019-01-01", "from"),
    ],
)
def test_bad_values_give_400_naming_the_field(viewer: Session, query: str, field: str) -> None:
    err = _error(viewer.client.get(f"/api/v1/events?{query}"), 400)
    assert field in [p["field"] for p in err["problems"]], err


def test_bearer_tokens_for_scripts(seeded: Database, app: Any) -> None:
    token = accounts.issue_token(seeded, "analyst", "script")
    client = make_client(app)
    auth = {"authorization": f"Bearer {token}"}
    assert client.get("/api/v1/me", headers=auth).json() == {"username": "analyst", "role": "analyst"}
    # no CSRF token needed with a bearer token
    r = client.post("/api/v1/candidates/cand-undated/accept", json={"version": 1}, headers=auth)
    assert r.status_code == 200, r.text
    assert _error(client.get("/api/v1/me", headers={"authorization": "Bearer st_forged"}), 401)["code"]
    assert _error(client.get("/api/v1/events"), 401)["code"] == "not_authenticated"


def test_session_api_writes_need_the_csrf_header(analyst: Session) -> None:
    r = analyst.client.post("/api/v1/candidates/cand-undated/accept", json={"version": 1})
    assert _error(r, 403)["message"].startswith("the form has expired")
    assert analyst.api("POST", "/api/v1/candidates/cand-undated/accept", json={"version": 1}).status_code == 200


def test_counts_comparisons_countries_and_exports(viewer: Session) -> None:
    c = viewer.client
    counts = c.get("/api/v1/counts?by=category&status=verified").json()
    assert counts["total"] == 5 and sum(x["count"] for x in counts["counts"]) == 5
    assert c.get("/api/v1/counts?by=group&status=verified").json()["counts"][0]["key"]
    cmp = c.get("/api/v1/comparisons?by=country&a=2019&b=2020&status=verified").json()
    rows = {r["key"]: (r["a"], r["b"], r["change"]) for r in cmp["rows"]}
    assert rows == {"NGA": (1, 0, -1), "PAK": (0, 1, 1), "KHM": (0, 1, 1), "DJI": (0, 1, 1)}
    profile = c.get("/api/v1/countries/PAK").json()
    assert profile["name"] == "Pakistan" and profile["total"] == 2 and profile["region"] == "Southern Asia"
    _error(c.get("/api/v1/countries/CHN"), 404)
    csv = c.get("/api/v1/exports/pakistan.csv?country=PAK")
    assert csv.headers["content-disposition"] == 'attachment; filename="pakistan.csv"'
    assert csv.text.count("\n") == 3 and "ev-pak-masks" in csv.text
    geo = c.get("/api/v1/exports/all.geojson?status=verified").json()
    assert len(geo["features"]) == 2
    assert c.get("/api/v1/codebook").json()["version"]
    assert c.get("/api/v1/timeline").json()["rows"]
    assert c.get("/api/v1/map").json()["points"]["rows"]
