"""Screenshots of the main web pages for the README: events list, event page, review queue, map.

Serves the bundled 2020-H1 dataset plus a few made-up candidates (with a short made-up
source document) from a temporary database, and drives Debian's Chromium:

    .venv/bin/python scripts/web_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sectracker import accounts  # noqa: E402
from sectracker.exchange.readers import read_bundled  # noqa: E402
from sectracker.models import Document, Event, Evidence, Source  # noqa: E402
from sectracker.settings import Settings  # noqa: E402
from sectracker.store import Database, api, documents, open_database  # noqa: E402
from sectracker.web import create_app  # noqa: E402
from tests.web.server import running_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "screenshots only"
# A made-up wire report, so that the review screenshot shows evidence highlighting.
REPORT = (
    "BEIJING, June 12 (Example Wire) -- A Chinese Air Force Y-20 transport aircraft landed in Bangkok on "
    "Thursday carrying masks, protective suits and testing kits donated to the Royal Thai Armed Forces, "
    "the Chinese embassy said.\n\nThe same week, PLA medical experts held a video conference with military "
    "doctors from Laos to share their experience of treating Covid-19 patients.\n\nSeparately, a PLA Navy "
    "escort task group arrived in the Gulf of Aden to take over counter-piracy duties."
)


def _evidence(doc_id: str, needle: str) -> Source:
    start = REPORT.index(needle)
    end = start + len(needle)
    return Source(
        title="Example Wire",
        publisher="Example Wire",
        published=date(2020, 6, 12),
        evidence=Evidence(start=start, end=end, text=REPORT[start:end], document_id=doc_id),
    )


def build(db: Database) -> None:
    api.add_events(db, read_bundled(), user="import")
    doc = Document(
        id=Document.id_for(REPORT),
        text=REPORT,
        title="PLA sends medical aid to Thailand",
        publisher="Example Wire",
        published=date(2020, 6, 12),
        fetched_at=datetime(2020, 6, 13, tzinfo=UTC),
    )
    db.write(lambda conn: documents.insert_documents(conn, [doc]))
    candidates = [
        Event(
            id="cand-thai-masks",
            headline="PLA Air Force delivers medical supplies to Thailand's armed forces",
            category="diplomacy.aid_training",
            date_start=date(2020, 6, 11),
            countries=["THA"],
            actors=["pla"],
            confidence=0.58,
            sources=[_evidence(doc.id, "A Chinese Air Force Y-20 transport aircraft landed in Bangkok")],
        ),
        Event(
            id="cand-laos-video",
            headline="PLA medical experts hold video conference with Lao military doctors",
            category="diplomacy.aid_training",
            date_start=date(2020, 6, 11),
            countries=["LAO"],
            confidence=0.71,
            sources=[_evidence(doc.id, "PLA medical experts held a video conference with military doctors from Laos")],
        ),
        Event(
            id="cand-aden-escort",
            headline="New PLA Navy escort task group reaches the Gulf of Aden",
            category="projection.counter_piracy",
            confidence=0.44,
            sources=[_evidence(doc.id, "a PLA Navy escort task group arrived in the Gulf of Aden")],
        ),
    ]
    api.add_events(db, candidates, user="pipeline")
    accounts.add_user(db, "analyst", PASSWORD, "analyst")


def shoot(base: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
        page.goto("/login")
        page.fill("input[name=username]", "analyst")
        page.fill("input[name=password]", PASSWORD)
        page.press("input[name=password]", "Enter")
        page.wait_for_url("**/events")
        event = next(e.id for e in read_bundled() if e.locations and len(e.sources) >= 1 and e.countries)
        shots = {
            "events": "/events?period=2020-H1",
            "event": f"/events/{event}",
            "review": "/review/cand-thai-masks",
            "map": "/map?period=2020-H1",
        }
        for name, url in shots.items():
            page.goto(url)
            if name == "map":
                page.wait_for_selector("#map-chart[data-rendered]", timeout=30000)
            page.screenshot(path=str(out / f"{name}.png"), full_page=name in ("map", "review"))
            print(f"wrote {out / (name + '.png')}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("SECTRACKER_FIXED_CLOCK", "2020-07-01T09:00:00+00:00")
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Settings(db=str(Path(tmp) / "demo.sqlite")))
        db.migrate()
        build(db)
        with running_server(create_app(db=db)) as base:
            shoot(base, args.out)
        db.close()


if __name__ == "__main__":
    main()
