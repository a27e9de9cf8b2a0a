from __future__ import annotations

from datetime import date

import pytest

from sectracker.errors import SourceError
from sectracker.sources.html import read_html, visible_text

ARTICLE = """<!doctype html>
<html lang="en-GB"><head>
<title>Navy news</title>
<meta property="og:title" content="PLA Navy escort task force arrives in Djibouti">
<meta property="og:site_name" content="Example Defence News">
<meta property="article:published_time" content="2020-04-08T09:00:00Z">
<script>var tracking = "China Italy masks";</script>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>PLA Navy escort task force arrives in Djibouti</h1>
<p>The 35th escort task force of the PLA Navy arrived at the support base in Djibouti on April 8
after completing its mission in the Gulf of Aden, the Ministry of National Defense said.</p>
<p>The task force escorted 48 ships during its four months in the area and conducted joint drills
with the Pakistani Navy before returning home through the Indian Ocean.</p>
</article>
<footer>Copyright 2020</footer>
</body></html>"""


def test_main_text_and_metadata_come_from_trafilatura() -> None:
    got = read_html(ARTICLE.encode(), source="page.html", url="https://news.example.org/a")
    doc = got.document
    assert doc is not None and got.warnings == ()
    assert doc.title == "PLA Navy escort task force arrives in Djibouti"
    assert doc.published == date(2020, 4, 8)
    assert doc.publisher == "Example Defence News"
    assert doc.language == "en"
    assert doc.url == "https://news.example.org/a"
    assert "escorted 48 ships" in doc.text
    assert "tracking" not in doc.text and "Copyright" not in doc.text


def test_a_page_with_only_scripts_is_refused() -> None:
    page = "<html><head><script>" + "var x = 1;" * 500 + "</script></head><body>"
    page += "<script>document.write('China sends ships');</script>" * 200 + "<style>p{}</style></body></html>"
    with pytest.raises(SourceError, match="no text in the HTML"):
        read_html(page, source="scripts.html")


@pytest.mark.parametrize("page", ["", "   ", "<html></html>", "<html><body>\n</body></html>"])
def test_an_empty_page_is_refused(page: str) -> None:
    with pytest.raises(SourceError, match="no text in the HTML"):
        read_html(page, source="empty.html")


def test_a_fragment_too_short_for_trafilatura_falls_back_to_visible_text() -> None:
    got = read_html("<ul><li>China donated masks.</li></ul><style>p{}</style>", source="frag.html")
    assert got.document is not None and got.document.text == "China donated masks."
    assert got.warnings == ("no main text found; the page's visible text was used",)


def test_visible_text_keeps_blocks_on_their_own_lines() -> None:
    assert visible_text("<ul><li>One <b>bold</b></li><li>Two</li></ul><style>x{}</style>") == "One bold\nTwo"
