"""An edition carries an overview map and a category chart for each section with several categories."""

import re
from datetime import date

from sectracker.exchange.readers import read_bundled
from sectracker.report.publish import EditionRequest, make_edition
from sectracker.report.render_html import render_html


def test_overview_map_and_section_charts_follow_the_focus_exhibits() -> None:
    events = [e for e in read_bundled() if e.status.value == "verified"]
    edition = make_edition(events, EditionRequest(date(2020, 1, 1), date(2020, 6, 30), "2020-H1"))
    html = render_html(edition)
    assert 'id="overview"' in html and 'aria-roledescription="geoshape"' in edition.overview_html
    numbers = [int(n) for n in re.findall(r'id="exhibit-(\d+)"', html)]
    assert numbers == list(range(1, len(numbers) + 1))  # one numbering through focus and edition exhibits
    charted = {sid for sid, _ in edition.section_charts}
    several = {s.id for s in edition.sections if len({c.key for g in s.groups for c in g.categories}) > 1}
    assert charted == several and charted
    for section_id in charted:
        chunk = html[html.index(f'id="sec-{section_id}"') :]
        assert "events per category" in chunk[: chunk.index("</h2>") + 20000]


def test_charts_can_be_left_out() -> None:
    events = read_bundled()[:5]
    edition = make_edition(events, EditionRequest(date(2020, 1, 1), date(2020, 6, 30), charts=False))
    assert edition.overview_html == "" and edition.section_charts == ()
