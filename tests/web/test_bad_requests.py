"""Odd and malformed requests: a 4xx naming what is wrong, never a 500, and nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from sectracker.models import EventFilter
from sectracker.store import Database, api
from tests.web.conftest import HTML, Session


def _error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    return dict(r.json()["error"])


def _fields(r: Any, status: int = 400) -> list[str | None]:
    return [p["field"] for p in _error(r, status)["problems"]]


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/counts?by=category", "/api/v1/timeline"])
def test_year_zero_is_refused_and_year_one_works(viewer: Session, path: str) -> None:
    sep = "&" if "?" in path else "?"
    assert _fields(viewer.client.get(f"{path}{sep}period=0000")) == ["period"]
    assert viewer.client.get(f"{path}{sep}from=0001-01-01").status_code == 200
    assert viewer.client.get(f"{path}{sep}period=0001").status_code == 200


def test_comparison_of_year_zero_names_the_side(viewer: Session) -> None:
    assert _fields(viewer.client.get("/api/v1/comparisons?by=category&a=0000&b=2020")) == ["a"]


def test_a_query_of_punctuation_alone_is_refused(viewer: Session) -> None:
    err = _error(viewer.client.get('/api/v1/events?q="*('), 400)
    assert err["problems"][0]["field"] == "q" and "no words" in err["problems"][0]["message"]


def test_body_that_is_not_json_says_so(analyst: Session) -> None:
    broken = analyst.api("POST", "/api/v1/events", content=b'{"id": "x",', headers={"content-type": "application/json"})
    err = _error(broken, 400)
    assert err["problems"][0]["field"] == "body" and "not valid JSON" in err["problems"][0]["message"]
    deep = analyst.api("POST", "/api/v1/events", content=b"[" * 5000, headers={"content-type": "application/json"})
    assert _fields(deep) == ["body"]
    plain = analyst.api("POST", "/api/v1/events", content=b'{"id": "x"}', headers={"content-type": "text/plain"})
    assert "application/json" in _error(plain, 415)["message"]


def test_create_names_the_end_date_and_refuses_store_fields(analyst: Session, seeded: Database) -> None:
    new = {"id": "ev-new-two", "headline": "PLA Navy visit", "category": "diplomacy.meetings"}
    backwards = analyst.api("POST", "/api/v1/events", json=new | {"date_start": "2020-06-02", "date_end": "2020-06-01"})
    assert _fields(backwards) == ["date_end"]
    preset = analyst.api("POST", "/api/v1/events", json=new | {"version": 99, "created_at": "2020-01-01T00:00:00Z"})
    assert _fields(preset) == ["created_at", "version"]
    assert api.count_events(seeded, EventFilter(ids=["ev-new-two"])) == 0


def test_review_api_needs_the_version_seen(analyst: Session, seeded: Database) -> None:
    url = "/api/v1/candidates/cand-cambodia-video"
    assert _fields(analyst.api("POST", f"{url}/accept", json={})) == ["version"]
    assert _fields(analyst.api("POST", f"{url}/split", json={"parts": [{"source_indexes": [0]}]})) == ["version"]
    ok = analyst.api("POST", f"{url}/accept", json={}, headers={"if-match": '"cand-cambodia-video@1"'})
    assert ok.status_code == 200 and ok.json()["events"][0]["status"] == "verified"


def test_an_empty_patch_is_refused(analyst: Session, seeded: Database) -> None:
    r = analyst.api("PATCH", "/api/v1/events/ev-un-budget", json={"changes": {}, "version": 1})
    assert _fields(r) == ["changes"]
    assert api.get_event(seeded, "ev-un-budget").version == 1


def test_forms_with_odd_digits_are_refused_not_crashed(analyst: Session, seeded: Database) -> None:
    edit = analyst.form("/events/ev-un-budget/edit", {"version": "²", "headline": "China pays its UN dues"})
    assert edit.status_code == 400 and "version" in edit.text
    split = analyst.form("/review/cand-cambodia-video/split", {"version": "1", "move_" + "9" * 5000: "on"})
    assert split.status_code == 303  # the field is not a source number, so it is ignored
    assert api.get_event(seeded, "ev-un-budget").version == 1
    assert len(api.get_event(seeded, "cand-cambodia-video").sources) == 1


def test_a_deleted_candidate_is_not_offered_for_review(admin: Session) -> None:
    assert admin.api("DELETE", "/api/v1/events/cand-pak-dup").status_code == 204
    assert "deleted" in _error(admin.client.get("/api/v1/candidates/cand-pak-dup"), 404)["message"]
    assert admin.client.get("/review/cand-pak-dup", headers=HTML).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/events/ev-un-budget", "/events", "/static/favicon.svg"])
def test_head_answers_like_get_without_a_body(viewer: Session, path: str) -> None:
    get, head = viewer.client.get(path, headers=HTML), viewer.client.head(path, headers=HTML)
    assert head.status_code == get.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("etag") == get.headers.get("etag")


def test_list_parameters_may_repeat(viewer: Session) -> None:
    r = viewer.client.get(
        "/api/v1/events?category=architecture.un&category=projection.logistics&facet=category&facet=status"
    )
    assert r.status_code == 200 and {e["category"] for e in r.json()["events"]} == {
        "architecture.un",
        "projection.logistics",
    }


def test_period_with_from_or_to_is_refused(viewer: Session) -> None:
    assert _fields(viewer.client.get("/api/v1/events?period=2020-H1&from=2020-03-01")) == ["period"]


def test_errors_come_as_json_when_html_is_refused(viewer: Session) -> None:
    page = viewer.client.get("/events/no-such-event", headers={"accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    refused = viewer.client.get("/events/no-such-event", headers={"accept": "text/html;q=0, application/json"})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
