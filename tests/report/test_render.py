"""report/render_html.py, render_md.py and render_pdf.py: escaped, self-contained, deterministic."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from sectracker.charts.bars import bar_chart
from sectracker.charts.render import to_inline_svg
from sectracker.codebook import load_codebook
from sectracker.errors import ReportError
from sectracker.models import Event, Source
from sectracker.report.edition import Edition, FocusTopic, build_edition
from sectracker.report.render_html import render_html
from sectracker.report.render_md import escape_md_line, render_markdown
from sectracker.report.render_pdf import render_pdf, svg_as_images
from tests.report.events import make_event, sample_events

START, END = date(2020, 1, 1), date(2020, 6, 30)


def edition_of(events: list[Event], focus: FocusTopic | None = None) -> Edition:
    generated = datetime(2026, 1, 1, tzinfo=UTC)
    return build_edition(events, START, END, codebook=load_codebook(), generated=generated, focus=focus)


def hostile() -> Event:
    return make_event(
        "ev-hostile",
        "architecture.un",
        date(2020, 5, 29),
        headline="Veto <script>alert('x')</script> & more",
        summary='Summary with <img src=x onerror="alert(1)"> and [a](javascript:alert(1)).',
        sources=[Source(title="<b>Title</b>", url="javascript:alert(1)")],
    )


def test_html_has_every_headline_section_and_footnote() -> None:
    events = sample_events()
    html = render_html(edition_of(events))
    for e in events:
        assert html.count(f'id="ev-{e.id}"') == 1
        assert e.headline in html
    for label in ("Domestic Developments", "Security Diplomacy", "Force Projection"):
        assert f'<h2 class="section-title">{label}</h2>' in html
    assert "Global Security Architecture" not in html
    assert re.findall(r'<li id="fn-(\d+)">', html) == [str(n) for n in range(1, 9)]
    assert '<h3 class="group">Defense Diplomacy</h3>' in html
    assert "January-June 2020" in html and "Generated 2026-01-01" in html


def test_html_escapes_event_text() -> None:
    html = render_html(edition_of([hostile()]))
    assert "<script>alert" not in html
    assert "Veto &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in html
    assert "<img" not in html and "<b>Title</b>" not in html
    assert 'href="javascript:' not in html


def test_html_is_self_contained() -> None:
    html = render_html(edition_of(sample_events()))
    assert "<script" not in html
    assert not re.search(r"<(link|img|iframe)\b|src=|@import|url\(", html)
    assert "<style>" in html and "@page" in html
    assert not re.search(r'href="(?!#|https?://example\.org)', html)


def test_focus_topic_is_rendered_in_place() -> None:
    focus = FocusTopic("Masks", "<p>Analysis <em>here</em>.</p>\n", "Analysis *here*.\n", "f.md")
    html = render_html(edition_of(sample_events(), focus))
    assert "Focus topic: Masks" in html and "<p>Analysis <em>here</em>.</p>" in html
    assert html.index("Highlights") < html.index("Focus topic: Masks") < html.index("Domestic Developments")
    md = render_markdown(edition_of(sample_events(), focus))
    assert "## Focus topic: Masks\n\nAnalysis *here*.\n\n## Domestic Developments" in md


def test_same_data_same_bytes() -> None:
    events = sample_events()
    assert render_html(edition_of(events)) == render_html(edition_of(list(reversed(events))))
    assert render_markdown(edition_of(events)) == render_markdown(edition_of(list(reversed(events))))


def test_markdown_items_footnotes_and_escaping() -> None:
    md = render_markdown(edition_of(sample_events() + [hostile()]))
    assert "- **Headline of ev-budget.** What happened in ev-budget.[^3]" in md
    assert "[^1]: Tracker edition. Think tank, 1 July 2020." in md
    assert "[^2]: Ministry statement. Ministry. <https://example.org/mod>" in md
    assert "\\<script\\>" in md and "<script>" not in md
    assert "\\[a\\](javascript:alert(1))" in md
    assert "## Global Security Architecture\n\n### Influence in the UN" in md
    assert "\n\n\n" not in md and md.endswith("\n")


def test_markdown_line_start_cannot_open_a_list() -> None:
    assert escape_md_line("1. first") == "1\\. first"
    assert escape_md_line("- dash") == "\\- dash"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_opens_and_holds_the_headlines(tmp_path: Path) -> None:
    events = sample_events()
    html = render_html(edition_of(events))
    pdf = render_pdf(html, epoch=1767225600)
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "edition.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for e in events:
        assert e.headline in flat
    assert "Page 1 of" in flat
    assert render_pdf(html, epoch=1767225600) == pdf


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_draws_the_inline_charts(tmp_path: Path) -> None:
    counts = pl.DataFrame({"category": ["a", "b"], "events": [3, 1], "share": [0.75, 0.25]})
    svg = to_inline_svg(bar_chart(counts, "category", title="Charted in print", period="H1 2020"), "x1-")
    html = f"<!doctype html><html><body><figure>{svg}</figure><p>After the chart.</p></body></html>"
    page = svg_as_images(html)
    assert "<svg" not in page and page.count('<img style="width:100%;max-width:') == 1
    path = tmp_path / "chart.pdf"
    path.write_bytes(render_pdf(html))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Charted in print" in text and "H1 2020" in text and "After the chart." in text


def test_pdf_refuses_outside_resources() -> None:
    with pytest.raises(ReportError, match="outside resource"):
        render_pdf('<!doctype html><html><body><img src="https://example.org/logo.png"></body></html>')
