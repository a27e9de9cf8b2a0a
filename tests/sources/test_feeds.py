from __future__ import annotations

from datetime import date

import httpx
import pytest

from sectracker.errors import SourceError
from sectracker.sources.feeds import looks_like_feed, read_feed
from sectracker.sources.records import Collected, new_document

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Defence Wire</title><link>https://wire.example.org/</link><language>en-us</language>
<item><title>Hospital ship visits Timor-Leste</title><link>https://wire.example.org/1</link>
<pubDate>Wed, 08 Apr 2020 09:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The hospital ship Peace Ark arrived in Dili.</p><script>x()</script>]]></content:encoded>
</item>
<item><title>Summary only</title><link>https://wire.example.org/2</link>
<pubDate>Sun, 30 Feb 2020 09:00:00 GMT</pubDate>
<description>Short summary of a port call.</description></item>
<item><title>Nothing at all</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN"><title>Atom Wire</title>
<entry><title>Entry</title><link href="https://atom.example.org/e1"/><updated>2020-06-19T00:00:00Z</updated>
<content type="html">&lt;p&gt;China and Pakistan held a joint patrol.&lt;/p&gt;</content></entry>
</feed>"""


def test_entries_with_content_become_documents_without_fetching() -> None:
    fetched: list[str] = []
    got = list(read_feed(RSS, source="wire.rss", read_link=lambda u: fetched.append(u) or Collected.failure(u, "x")))
    first = got[0].document
    assert first is not None
    assert first.text == "The hospital ship Peace Ark arrived in Dili."
    assert (first.title, first.url, first.publisher) == (
        "Hospital ship visits Timor-Leste",
        "https://wire.example.org/1",
        "Defence Wire",
    )
    assert first.published == date(2020, 4, 8) and first.language == "en"
    assert "https://wire.example.org/1" not in fetched


def test_an_entry_without_content_has_its_link_read() -> None:
    page = new_document("Full article text about the port call.", title=None, publisher="Wire site")
    got = list(read_feed(RSS, source="wire.rss", read_link=lambda url: Collected.success(url, page)))
    second = got[1].document
    assert second is not None
    assert second.text == "Full article text about the port call."
    assert second.title == "Summary only" and second.url == "https://wire.example.org/2"
    assert second.publisher == "Wire site"


def test_impossible_entry_date_is_a_warning() -> None:
    got = list(read_feed(RSS, source="wire.rss", read_link=None))
    assert got[1].document is not None and got[1].document.published is None
    assert any("impossible or unreadable date 'Sun, 30 Feb 2020" in w for w in got[1].warnings)


def test_when_the_link_fails_the_summary_is_used_with_a_warning() -> None:
    got = list(read_feed(RSS, source="wire.rss", read_link=lambda url: Collected.failure(url, "timed out")))
    assert got[1].document is not None and got[1].document.text == "Short summary of a port call."
    assert "linked page not read (timed out); the entry's summary was used" in got[1].warnings


def test_an_entry_with_nothing_is_a_failure_naming_the_entry() -> None:
    got = list(read_feed(RSS, source="wire.rss", read_link=None))
    assert got[2].source == "wire.rss#entry-3"
    assert got[2].reason == "the entry has no content, no summary and no link"


def test_atom_entries_with_language() -> None:
    (got,) = list(read_feed(ATOM, source="a.atom"))
    assert got.document is not None and got.document.text == "China and Pakistan held a joint patrol."
    assert got.document.published == date(2020, 6, 19) and got.document.language == "zh"


@pytest.mark.parametrize("data", [b"<html><body>not a feed</body></html>", b"\x00\x01garbage", b""])
def test_something_that_is_not_a_feed_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match="not a readable RSS/Atom feed"):
        list(read_feed(data, source="x.xml"))


def test_feedparser_is_never_given_a_url() -> None:
    # A URL as bytes is just an invalid feed: feedparser must not fetch it.
    with pytest.raises(SourceError):
        list(read_feed(b"http://127.0.0.1:9/feed", source="x"))


def test_looks_like_feed() -> None:
    assert looks_like_feed(RSS) and looks_like_feed(ATOM)
    assert looks_like_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><rdf:RDF>")
    assert not looks_like_feed(b"<!doctype html><html>")


def test_a_link_read_through_the_fetcher_can_time_out() -> None:
    from tests.sources.conftest import make_fetcher

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    fetcher = make_fetcher(handler)

    def read_link(url: str) -> Collected:
        try:
            fetcher.fetch(url)
        except SourceError as exc:
            return Collected.failure(url, str(exc))
        raise AssertionError("fetched")

    got = list(read_feed(RSS, source="wire.rss", read_link=read_link))
    assert got[1].ok and "timed out" in got[1].warnings[-1]
