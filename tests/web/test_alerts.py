"""Alerts: the page (newest first, rule, kind, evidence links), its JSON twin, the Atom feed,
public mode (no alerts resting on unverified events) and escaping."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree as ET

from sectracker.models import Status
from sectracker.store import Database, api
from tests.web.conftest import HTML, Session, make_client

ATOM = "{http://www.w3.org/2005/Atom}"


def test_alerts_page_lists_alerts_newest_first_with_evidence_links(viewer: Session) -> None:
    html = viewer.client.get("/alerts", headers=HTML).text
    assert 'type="application/atom+xml"' in html and 'href="/alerts.atom"' in html
    budget = html.index("China&#39;s national defence budget: 1.27 trillion CNY, +6.6% on 2019")
    djibouti = html.index("First out-of-area logistics event with Djibouti")
    cambodia = html.index("Cambodian military doctors")
    assert budget < djibouti < cambodia  # newest first
    assert '<a href="/series/chn.defence-budget">series chn.defence-budget</a>' in html
    assert '<a href="/events/ev-djibouti-port">event ev-djibouti-port</a>' in html
    assert '<a href="/alerts?rule=first-aid"><code>first-aid</code></a> · first_engagement' in html
    data = viewer.client.get("/api/v1/alerts").json()
    ids = [a["id"] for a in data["alerts"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 6
    djibouti_alert = next(a for a in data["alerts"] if a["rule_id"] == "first-port-call")
    assert djibouti_alert["links"] == [{"kind": "event", "id": "ev-djibouti-port", "url": "/events/ev-djibouti-port"}]
    assert djibouti_alert["evidence"]["country"] == "DJI"


def test_alerts_filter_by_rule_and_limit(viewer: Session) -> None:
    data = viewer.client.get("/api/v1/alerts?rule=first-aid").json()
    assert {a["rule_id"] for a in data["alerts"]} == {"first-aid"} and len(data["alerts"]) == 2
    assert len(viewer.client.get("/api/v1/alerts?limit=2").json()["alerts"]) == 2
    assert viewer.client.get("/api/v1/alerts?rules=x").status_code == 400  # unknown parameters are refused
    assert viewer.client.get("/api/v1/alerts?rule=nothing").json()["alerts"] == []
    assert "No alerts of this rule" in viewer.client.get("/alerts?rule=nothing", headers=HTML).text


def test_atom_feed_carries_the_same_alerts(viewer: Session) -> None:
    r = viewer.client.get("/alerts.atom")
    assert r.status_code == 200 and r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(r.content)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    listed = [a["title"] for a in viewer.client.get("/api/v1/alerts").json()["alerts"]]
    assert titles == listed
    assert titles[0] == "<script>alert(1)</script> patrols: 20 <i>units</i>, +100.0% on 2020-04"  # escaped XML
    assert b"<script>" not in r.content
    link = feed.find(f"{ATOM}link")
    assert link is not None and link.get("href") == "http://testserver/alerts"
    again = viewer.client.get("/alerts.atom", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304
    one = ET.fromstring(viewer.client.get("/alerts.atom?rule=first-port-call").content)
    assert len(list(one.iter(f"{ATOM}entry"))) == 1


def test_public_mode_hides_alerts_resting_on_unverified_events(public_app: Any, seeded: Database) -> None:
    public = make_client(public_app)
    rules = [a["rule_id"] for a in public.get("/api/v1/alerts").json()["alerts"]]
    assert rules == ["big-change"] * 3 + ["first-port-call"]
    html = public.get("/alerts", headers=HTML).text
    assert "Cambodian military doctors" not in html and "not yet verified are not shown" in html
    feed = public.get("/alerts.atom").text
    assert "Cambodian" not in feed and "Djibouti" in feed
    api.edit_event(seeded, "cand-cambodia-video", {"status": Status.verified}, user="ana")
    assert "first-aid" in [a["rule_id"] for a in public.get("/api/v1/alerts").json()["alerts"]]
    api.delete_event(seeded, "ev-djibouti-port", user="ana")
    assert "first-port-call" not in [a["rule_id"] for a in public.get("/api/v1/alerts").json()["alerts"]]


def test_alerts_need_a_login_unless_public(app: Any) -> None:
    anon = make_client(app)
    assert anon.get("/api/v1/alerts").status_code == 401
    assert anon.get("/alerts.atom").status_code == 401
    r = anon.get("/alerts", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Falerts"


def test_alert_evidence_is_escaped(viewer: Session) -> None:
    html = viewer.client.get("/alerts", headers=HTML).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; patrols: 20 &lt;i&gt;units&lt;/i&gt;" in html
    assert "&#34;&gt;&lt;svg onload=alert(1)&gt; Ministry" in html
    assert "<script>alert(1)" not in html and "<svg onload" not in html
