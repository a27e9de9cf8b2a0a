"""Pages and forms: every page renders, has a JSON twin, escapes what it shows, and reviews work."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sectracker.models import Status
from sectracker.store import Database, api
from tests.web.conftest import HTML, Session, make_client
from tests.web.seed import DOC_TEXT

PAGES = [
    "/events",
    "/events?category=diplomacy.aid_training&country=PAK&sort=-date",
    "/events/ev-pak-masks",
    "/review",
    "/review/cand-cambodia-video",
    "/codebook",
    "/countries",
    "/countries/PAK",
    "/timeline",
    "/map",
    "/series",
    "/series/chn.defence-budget",
    "/series/test.hostile",
    "/alerts",
    "/editions",
    "/documents",
    "/api",
]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_security_headers(analyst: Session, url: str) -> None:
    r = analyst.client.get(url, headers=HTML)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src == "script-src 'self'"  # no unsafe-inline, no unsafe-eval
    assert "frame-ancestors 'none'" in csp and r.headers["x-content-type-options"] == "nosniff"
    html = r.text
    assert '<meta name="viewport"' in html and 'href="#main"' in html
    # no inline scripts or handlers: every <script> has a src or is a JSON data block
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.IGNORECASE)


@pytest.mark.parametrize(
    "page,api_url",
    [
        ("/events?country=PAK&limit=5", "/api/v1/events?country=PAK&limit=5"),
        ("/codebook", "/api/v1/codebook"),
        ("/countries/PAK", "/api/v1/countries/PAK"),
        ("/timeline?status=verified", "/api/v1/timeline?status=verified"),
        ("/map", "/api/v1/map"),
        ("/editions", "/api/v1/editions"),
        ("/series", "/api/v1/series"),
        ("/series/pko.chn.unmiss", "/api/v1/series/pko.chn.unmiss"),
        ("/alerts?rule=big-change", "/api/v1/alerts?rule=big-change"),
    ],
)
def test_pages_have_a_json_twin_from_the_same_query(viewer: Session, page: str, api_url: str) -> None:
    twin = viewer.client.get(page + ("&" if "?" in page else "?") + "format=json").json()
    direct = viewer.client.get(api_url).json()
    if page.startswith("/events"):
        twin.pop("facets")  # the page counts its facets; the API only when asked
        direct.pop("facets")
    assert twin == direct


def test_event_page_shows_sources_history_and_related(analyst: Session) -> None:
    html = analyst.client.get("/events/ev-pak-masks", headers=HTML).text
    assert "PLA delivers masks to Pakistan&#39;s armed forces" in html
    assert "History" in html and "create" in html and "Related events" in html
    assert 'href="/events/cand-pak-dup"' in html
    assert "/audit/" in html and "Revert" in html


def test_anonymous_visitors_must_log_in_unless_public(anon: Any, public_app: Any) -> None:
    r = anon.get("/events?country=PAK", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fevents%3Fcountry%3DPAK"
    public = make_client(public_app)
    page = public.get("/events", headers=HTML)
    assert page.status_code == 200 and "cand-" not in page.text  # verified events only
    listing = public.get("/api/v1/events").json()
    assert listing["total"] == 5 and {e["status"] for e in listing["events"]} == {"verified"}
    assert public.get("/api/v1/events?status=candidate").json()["total"] == 5  # the status filter cannot widen
    assert public.get("/api/v1/events/cand-pak-dup").status_code == 404
    assert public.get("/review", headers=HTML, follow_redirects=False).status_code == 303
    assert public.get("/api/v1/documents").status_code == 401
    assert "History" not in public.get("/events/ev-pak-masks", headers=HTML).text
    csv = public.get("/api/v1/exports/all.csv").text
    assert "ev-pak-masks" in csv and "cand-" not in csv
    assert public.post("/api/v1/events", json={}).status_code == 401  # reading only


def test_login_rejects_bad_passwords_foreign_forms_and_open_redirects(app: Any) -> None:
    client = make_client(app)
    client.get("/login", headers=HTML)
    token = client.cookies.get("sectracker_login_csrf")
    bad = client.post("/login", data={"username": "analyst", "password": "nope nope nope", "csrf_token": token})
    assert bad.status_code == 401 and "wrong user name or password" in bad.text
    token = client.cookies.get("sectracker_login_csrf")
    forged = client.post(
        "/login",
        data={"username": "analyst", "password": "correct horse battery", "csrf_token": "forged"},
        headers=HTML,
    )
    assert forged.status_code == 403
    token = client.cookies.get("sectracker_login_csrf")
    ok = client.post(
        "/login",
        data={
            "username": "analyst",
            "password": "correct horse battery",
            "csrf_token": token,
            "next": "//evil.example/steal",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/events"
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax") and "Path=/" in cookie


def test_login_is_rate_limited(app: Any) -> None:
    client = make_client(app)
    statuses = []
    for _ in range(7):
        client.get("/login", headers=HTML)
        token = client.cookies.get("sectracker_login_csrf")
        r = client.post("/login", data={"username": "viewer", "password": "guess guess guess", "csrf_token": token})
        statuses.append(r.status_code)
    assert statuses == [401] * 5 + [429] * 2
    assert int(r.headers["retry-after"]) > 0


def test_logout_needs_csrf_and_ends_the_session(viewer: Session) -> None:
    assert viewer.client.post("/logout", data={"csrf_token": "x"}, headers=HTML).status_code == 403
    r = viewer.form("/logout")
    assert r.status_code == 303
    assert viewer.client.get("/api/v1/me").status_code == 401


def test_review_forms_accept_merge_reject_and_report_conflicts(analyst: Session, seeded: Database) -> None:
    page = analyst.client.get("/review", headers=HTML).text
    assert 'data-review data-event="cand-undated"' in page  # the neediest first
    assert "&lt;svg onload=alert(1)&gt;" in page and "<svg onload" not in page
    r = analyst.form("/review/cand-undated/reject", {"version": "1", "reason": "not an event"})
    assert r.status_code == 303 and r.headers["location"] == "/review?notice=rejected"
    page = analyst.client.get("/review?notice=rejected", headers=HTML).text
    assert "Rejected." in page and 'data-event="cand-pak-dup"' in page
    assert 'value="ev-pak-masks"' in page  # the duplicate is proposed as the merge target
    assert '<mark class="focus"' in page  # evidence highlighted in the source document
    r = analyst.form("/review/cand-pak-dup/merge", {"version": "1", "target": "ev-pak-masks"})
    assert r.status_code == 303
    r = analyst.form("/review/cand-cambodia-video/accept", {"version": "1"})
    assert r.status_code == 303
    assert api.get_event(seeded, "cand-cambodia-video").status == Status.verified
    stale = analyst.form("/review/cand-cambodia-video/accept", {"version": "1"})
    assert stale.status_code == 409 and "Nothing was saved" in stale.text
    missing = analyst.client.post("/review/cand-cambodia-video/accept", data={"version": "2"}, headers=HTML)
    assert missing.status_code == 403  # no CSRF token
    empty = analyst.client.get("/review", headers=HTML).text
    assert "The queue is empty" in empty


def test_edit_form_saves_validates_and_detects_stale_versions(analyst: Session, seeded: Database) -> None:
    form = analyst.client.get("/events/ev-un-budget/edit", headers=HTML).text
    assert 'name="version" value="1"' in form
    values = {
        "version": "1",
        "headline": "China pays its UN peacekeeping dues in full",
        "summary": "",
        "category": "architecture.un",
        "status": "verified",
        "date_start": "2020-05-20",
        "date_end": "",
        "date_precision": "day",
        "countries": "",
        "actors": "",
        "tags": "UN; budget",
        "significance": "4",
        "confidence": "",
        "locations": "",
        "quantities": "",
        "sources": "",
        "reason": "fuller headline",
    }
    r = analyst.form("/events/ev-un-budget/edit", values)
    assert r.status_code == 303 and r.headers["location"] == "/events/ev-un-budget?notice=saved"
    event = api.get_event(seeded, "ev-un-budget")
    assert event.headline.endswith("in full") and event.tags == ["budget", "un"] and event.version == 2
    stale = analyst.form("/events/ev-un-budget/edit", values | {"headline": "Another headline"})
    assert stale.status_code == 409 and "changed by someone else" in stale.text
    bad = analyst.form(
        "/events/ev-un-budget/edit", values | {"version": "2", "countries": "CHN", "locations": "[not json"}
    )
    assert bad.status_code == 400 and "locations" in bad.text
    assert api.get_event(seeded, "ev-un-budget").version == 2


def test_new_event_form_and_revert_from_the_event_page(analyst: Session, seeded: Database) -> None:
    values = {
        "headline": "<b>Bold</b> claim about <script>alert(1)</script>",
        "category": "domestic.policy",
        "status": "candidate",
        "date_precision": "unknown",
        "significance": "3",
    }
    r = analyst.form("/events/new", values)
    assert r.status_code == 303
    event_id = r.headers["location"].split("/")[2].split("?")[0]
    stored = api.get_event(seeded, event_id)
    assert stored.headline == values["headline"]  # stored exactly as typed
    html = analyst.client.get(f"/events/{event_id}", headers=HTML).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    api.edit_event(seeded, event_id, {"significance": 5}, user="someone")
    entry = api.event_history(seeded, event_id)[-1]
    r = analyst.form(f"/audit/{entry.id}/revert")
    assert r.status_code == 303 and api.get_event(seeded, event_id).significance == 3
    assert api.event_history(seeded, event_id)[-1].action == "revert"


def test_split_form(analyst: Session, seeded: Database) -> None:
    page = analyst.client.get("/review/cand-cambodia-video/split", headers=HTML)
    assert page.status_code == 200 and 'name="move_0"' in page.text
    r = analyst.form(
        "/review/cand-cambodia-video/split",
        {"version": "1", "headline": "A split-off event", "countries": "KHM", "move_0": "on"},
    )
    assert r.status_code == 303
    assert api.get_event(seeded, "cand-cambodia-video").sources == []


def test_document_page_highlights_evidence_from_offsets(viewer: Session, doc_id: str) -> None:
    html = viewer.client.get(f"/documents/{doc_id}?event=cand-pak-dup", headers=HTML).text
    assert (
        '<mark class="focus" title="evidence for cand-pak-dup">A PLA Air Force Y-20 transport landed in '
        "Islamabad</mark>" in html
    )
    assert '<mark class="other"' in html
    assert "&lt;script&gt;alert(&#39;doc&#39;)&lt;/script&gt;" in html and "<script>alert('doc')" not in html
    assert "PLA medical aid &lt;b&gt;report&lt;/b&gt;" in html
    data = viewer.client.get(f"/api/v1/documents/{doc_id}").json()
    assert "".join(p["text"] for p in data["pieces"]) == DOC_TEXT  # pieces put back give the text
    marked = [p for p in data["pieces"] if p["mark"]]
    assert [p["event_ids"] for p in marked] == [["cand-pak-dup"], ["cand-cambodia-video"]]


def test_vega_bundle_is_served_locally_and_cached(anon: Any) -> None:
    r = anon.get("/vendor/vega-bundle.js")
    assert r.status_code == 200 and "vegaEmbed" in r.text and r.headers["cache-control"].startswith("public")
    assert anon.get("/vendor/vega-bundle.js", headers={"if-none-match": r.headers["etag"]}).status_code == 304
    assert anon.get("/static/js/site.js").status_code == 200
