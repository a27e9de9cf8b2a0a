"""Series pages: the list with newest values, one page per series (values, changes, provenance, chart,
history), JSON twins, 404s, public mode, and escaping of what users stored."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from sectracker.series.models import Observation
from sectracker.store import Database
from sectracker.store.series import get_series, save_series
from tests.web.conftest import HTML, Session, make_client


def _spec(html: str) -> dict[str, Any]:
    block = re.search(r'<script type="application/json" id="series-chart-spec">(.*?)</script>', html, re.S)
    assert block is not None
    spec: dict[str, Any] = json.loads(block.group(1))
    return spec


def test_list_shows_each_series_with_its_latest_value_change_and_source(viewer: Session) -> None:
    html = viewer.client.get("/series", headers=HTML).text
    row = html[html.index('href="/series/chn.defence-budget"') :].split("</tr>")[0]
    assert "China&#39;s national defence budget" in row and "1.27 trillion CNY" in row and "+6.6%" in row
    assert "China Global Security Tracker No. 7 · MERICS" in row and "China" in row
    unmiss = html[html.index('href="/series/pko.chn.unmiss"') :].split("</tr>")[0]
    assert "1,073 persons" in unmiss and "UNMISS" in unmiss and "South Sudan" in unmiss
    data = viewer.client.get("/api/v1/series").json()
    budget = next(s for s in data["series"] if s["id"] == "chn.defence-budget")
    assert budget["unit"] == "CNY" and budget["frequency"] == "year" and budget["values"] == 2
    assert round(budget["latest"]["change_percent"], 1) == 6.6 and budget["latest"]["change_display"] == "+6.6%"
    assert budget["latest"]["provenance"]["publisher"] == "MERICS"


def test_series_page_has_values_changes_provenance_chart_and_history(viewer: Session) -> None:
    html = viewer.client.get("/series/chn.defence-budget", headers=HTML).text
    assert "<td>2020</td>" in html and "<td>2019</td>" in html and "+6.6%" in html
    assert "1.27 trillion CNY" in html and "≈" in html  # the 2019 value is derived from the stated change
    assert 'href="/events/2020h1-defense-budget"' in html  # provenance names the event it was coded from
    assert 'src="/vendor/vega-bundle.js"' in html and 'data-spec="series-chart-spec"' in html
    spec = _spec(html)
    assert spec["vconcat"][0]["mark"]["type"] == "bar"
    assert [v["period"] for v in spec["data"]["values"]] == ["2019", "2020"]
    assert "Version history" in html and "<td>seed</td>" in html
    data = viewer.client.get("/api/v1/series/chn.defence-budget").json()
    assert [v["date"] for v in data["observations"]] == ["2019-12-31", "2020-12-31"]
    first, second = data["observations"]
    assert first["change_percent"] is None and first["provenance"]["derived"].startswith("1.27 trillion / 1.066")
    assert round(second["change_percent"], 1) == 6.6 and second["previous_date"] == "2019-12-31"
    assert data["history"][0]["version"] == 1 and data["history"][0]["action"] == "create"
    assert data["spec"] == spec


def test_a_monthly_series_is_drawn_as_a_line(viewer: Session) -> None:
    spec = viewer.client.get("/api/v1/series/test.hostile").json()["spec"]
    assert spec["vconcat"][0]["mark"]["type"] == "line"
    assert spec["vconcat"][0]["encoding"]["x"]["field"] == "date"


def test_a_new_version_shows_in_the_history(viewer: Session, seeded: Database) -> None:
    changed = get_series(seeded, "pko.chn.unmiss")
    changed = changed.model_copy(
        update={"observations": [*changed.observations, Observation(date=date(2020, 6, 30), value=1031)]}
    )
    save_series(seeded, [changed], user="ana", action="import", reason="June figure")
    data = viewer.client.get("/api/v1/series/pko.chn.unmiss").json()
    newest = data["history"][-1]
    assert newest["version"] == 2 and newest["user"] == "ana" and newest["changed_values"] == ["2020-06-30"]
    assert data["series"]["latest"]["display"] == "1,031 persons" and data["series"]["latest"]["change_display"]
    html = viewer.client.get("/series/pko.chn.unmiss", headers=HTML).text
    assert "June figure" in html and "1 value: 2020-06-30" in html


def test_unknown_series_is_404_everywhere(viewer: Session) -> None:
    for url in ("/api/v1/series/no.such", "/series/no.such?format=json"):
        r = viewer.client.get(url)
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    page = viewer.client.get("/series/%3Cscript%3Ealert(1)%3C%2Fscript%3E", headers=HTML)
    assert page.status_code == 404 and "<script>alert(1)" not in page.text


def test_stored_markup_is_escaped_and_only_web_links_are_links(viewer: Session) -> None:
    for url in ("/series", "/series/test.hostile"):
        html = viewer.client.get(url, headers=HTML).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; patrols" in html
        assert "<script>alert(1)" not in html and "<svg onload" not in html and "<i>units</i>" not in html
        assert 'href="javascript:' not in html
    html = viewer.client.get("/series/test.hostile", headers=HTML).text
    assert "javascript:alert(1)" in html  # shown as text, not as a link
    assert 'href="https://example.org/a?b=1&amp;c=&lt;2&gt;"' in html
    assert "&lt;b&gt;bold&lt;/b&gt; 10 * 2" in html and "analyst &lt;b&gt;" in html
    assert "\\u003cscript\\u003ealert(1)" in html  # the chart title inside the JSON block


def test_public_mode_shows_series_but_not_their_audit_trail(public_app: Any, app: Any) -> None:
    public = make_client(public_app)
    assert public.get("/series", headers=HTML).status_code == 200
    page = public.get("/series/chn.defence-budget", headers=HTML)
    assert page.status_code == 200 and "+6.6%" in page.text and "Version history" not in page.text
    assert "Log in</a> to see the version history" in page.text
    assert public.get("/api/v1/series/chn.defence-budget").json()["history"] is None
    private = make_client(app)
    assert private.get("/api/v1/series").status_code == 401
    r = private.get("/series", headers=HTML, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fseries"


def test_navigation_links_to_series_and_alerts(viewer: Session) -> None:
    html = viewer.client.get("/series", headers=HTML).text
    assert '<a href="/series" aria-current="page">Series</a>' in html and '<a href="/alerts">Alerts</a>' in html
