"""End to end in real headless Chromium against a real server: log in, filter, open, review, audit, export."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sectracker.store import Database, api
from sectracker.web import create_app
from tests.web.conftest import PASSWORD
from tests.web.server import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def server(seeded: Database) -> Iterator[str]:
    with running_server(create_app(db=seeded)) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, accept_downloads=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors and CSP violations seen on any page
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    yield page
    context.close()


def _log_in(page: Any, user: str = "analyst") -> None:
    page.goto("/events")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/events")


def test_log_in_filter_open_review_audit_export(page: Any, seeded: Database, tmp_path: Path) -> None:
    _log_in(page)
    # filter: a facet click, then a text search; the URL carries the filters
    page.click(".facets a:has-text('Pakistan')")
    page.wait_for_url("**/events?country=PAK")
    assert page.locator("table.events tbody tr").count() == 2
    page.keyboard.press("/")
    page.keyboard.type("masks")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=masks**")
    assert page.locator("p.summary strong").inner_text() == "2"
    # open one event
    page.click('a.event-link:has-text("Pakistan\'s armed forces")')
    page.wait_for_url("**/events/ev-pak-masks")
    assert page.locator("h1").inner_text() == "PLA delivers masks to Pakistan's armed forces"

    # review three candidates with the keyboard: reject, merge, accept (neediest first)
    page.goto("/review")
    assert page.locator("[data-review]").get_attribute("data-event") == "cand-undated"
    page.keyboard.press("r")
    page.keyboard.type("not a real event")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review?notice=rejected")
    assert page.locator("[data-review]").get_attribute("data-event") == "cand-pak-dup"
    assert page.locator("mark.focus").first.inner_text().startswith("A PLA Air Force Y-20")
    page.keyboard.press("m")
    assert page.evaluate("document.activeElement.id") == "merge-target"
    assert page.input_value("#merge-target") == "ev-pak-masks"
    page.keyboard.press("Enter")
    page.wait_for_url("**/review?notice=merged")
    assert page.locator("[data-review]").get_attribute("data-event") == "cand-cambodia-video"
    page.keyboard.press("a")
    page.wait_for_url("**/review?notice=accepted")
    assert "The queue is empty" in page.content()
    statuses = {
        e: api.get_event(seeded, e).status.value for e in ("cand-undated", "cand-pak-dup", "cand-cambodia-video")
    }
    assert statuses == {"cand-undated": "rejected", "cand-pak-dup": "rejected", "cand-cambodia-video": "verified"}

    # the audit trail on the event page
    page.goto("/events/ev-pak-masks")
    history = page.locator("table.history").inner_text()
    assert "merge-in" in history and "merged from cand-pak-dup" in history and "analyst" in history
    page.goto("/events/cand-undated")
    assert "not a real event" in page.locator("table.history").inner_text()

    # export the current selection as CSV
    page.goto("/events?country=PAK")
    with page.expect_download() as info:
        page.click("a:has-text('CSV')")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert download.suggested_filename == "events.csv"
    assert "ev-pak-masks" in text and "ev-djibouti-port" not in text
    assert page.problems == []


def test_charts_render_under_the_csp_without_network(page: Any) -> None:
    _log_in(page)
    for url in ("/timeline", "/series/chn.defence-budget", "/series/pko.chn.unmiss", "/map"):
        page.goto(url)
        page.wait_for_selector(".chart[data-rendered]", timeout=20000)
        assert page.locator(".chart svg").count() >= 1
    assert page.locator("#map-chart svg path").count() > 0
    assert page.problems == []


def test_phone_layout_and_keyboard_help(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    _log_in(page)
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#shortcuts").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # no sideways scrolling on a phone
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    context.close()


def test_screenshots_of_the_main_pages(page: Any, tmp_path: Path) -> None:
    _log_in(page)
    for name, url in (("events", "/events"), ("event", "/events/ev-pak-masks"), ("review", "/review"), ("map", "/map")):
        page.goto(url)
        if name == "map":
            page.wait_for_selector(".chart[data-rendered]", timeout=20000)
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists()
