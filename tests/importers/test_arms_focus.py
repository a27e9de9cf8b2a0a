"""A focus topic on real data: China's arms deliveries 1995-2024 by recipient group, in the PDF.

Imports the SIPRI register and the country reference data from ../shared/data, renders
tests/importers/data/arms_deliveries_focus.md (a map and three comparison tables, each
with its significance test) into the 2020-H1 edition, and reads the PDF back.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.countries.groups import load_reference
from sectracker.countries.imports import import_bri, import_income, import_unvotes
from sectracker.exchange.readers import read_bundled
from sectracker.importers.sipri import import_sipri
from sectracker.models import EventFilter, Status
from sectracker.report.edition import build_edition
from sectracker.report.focus import FocusSource, render_focus
from sectracker.report.publish import write_edition
from sectracker.store import Database, api

FOCUS = Path(__file__).parent / "data" / "arms_deliveries_focus.md"

pytestmark = pytest.mark.shared


@pytest.fixture
def loaded(db: Database, shared_dir: Path) -> Database:
    data = shared_dir / "data"
    import_sipri(db, data / "sipri" / "sipri_trade_register_1995_2025.csv", user="tester", skip_unknown=True)
    import_income(db, data / "wb_income" / "oghist_income_long_fy1989_2026.csv")
    import_bri(db, data / "bri" / "gfdc_bri_countries_2023-12.csv")
    import_unvotes(db, data / "unvotes" / "un_votes.csv", data / "unvotes" / "un_roll_calls.csv")
    return db


def test_arms_deliveries_by_recipient_group_render_into_the_pdf(loaded: Database, tmp_path: Path) -> None:
    deliveries = api.find_events(
        loaded, EventFilter(categories=["domestic.arms_trade"], statuses=[Status.verified]), limit=None
    )
    assert len(deliveries) == 1396
    assert min(e.date_start for e in deliveries).year == 1995 and max(e.date_start for e in deliveries).year == 2024
    focus = render_focus(FocusSource(FOCUS.read_text(encoding="utf-8"), FOCUS.name), deliveries, "1995-2024",
                         load_reference(loaded))  # fmt: skip
    assert focus.title.startswith("Chinese arms deliveries")
    assert focus.html.count("<svg") >= 1, "the map"
    assert focus.html.count('<table class="st-table"') == 3
    test_line = r"(Fisher(?:-Freeman-Halton)?(?:&#x27;s)? exact test|chi-square test): p = ([0-9.e-]+)"
    tests = re.findall(test_line, focus.html)
    assert len(tests) == 3, "each comparison carries its significance test"
    assert "not imported" not in focus.html, "income, BRI and UN-vote data were all used"
    income_p = float(tests[1][1])
    assert income_p < 0.01, "the income mix of recipients shifted between 1995-2012 and 2013-2024"

    edition = build_edition([e for e in read_bundled() if e.status is Status.verified], date(2020, 1, 1),
                            date(2020, 6, 30), codebook=load_codebook(), generated=now(), focus=focus)  # fmt: skip
    pdf = write_edition(edition, ["pdf"], tmp_path / "edition")[0]
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF back")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for caption in ("Exhibit 1: Deliveries of Chinese major conventional weapons", "Exhibit 2: Recipient countries",
                    "Exhibit 3: Deliveries by the recipient", "Exhibit 4: Deliveries by the recipient"):  # fmt: skip
        assert caption in text
    assert "Fisher's exact test" in text and "BRI participant" in text
