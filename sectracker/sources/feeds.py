"""RSS and Atom feeds (feedparser): each entry becomes a document.

An entry's own content is used when it has some; only an entry without content has its
link read, through the `read_link` callback that `collect` gives (it fetches with the
http module's checks). When the link cannot be read the entry's summary is used with a
warning, and without a summary the entry is a failure. The feed is always parsed from
bytes already in hand: feedparser is never given a URL, so it never fetches anything.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import feedparser

from sectracker.errors import SourceError
from sectracker.sources.html import visible_text
from sectracker.sources.records import Collected, new_document

FEED_SUFFIXES = (".rss", ".atom", ".xml")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")
LinkReader = Callable[[str], Collected]


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS, RDF or Atom document."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    while head.startswith(b"<!--"):
        head = head[head.find(b"-->") + 3 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))


def read_feed(data: bytes, *, source: str, read_link: LinkReader | None = None) -> Iterator[Collected]:
    """Every entry of a feed as a document (or a failure naming the entry)."""
    if not data.strip():
        raise SourceError("not a readable RSS/Atom feed: empty")
    parsed = feedparser.parse(data)
    if not parsed.get("entries") and (parsed.get("bozo") or not parsed.get("version")):
        problem = parsed.get("bozo_exception") or "no RSS or Atom structure"
        raise SourceError(f"not a readable RSS/Atom feed: {problem}")
    feed = parsed.get("feed", {})
    for number, entry in enumerate(parsed.get("entries", []), 1):
        yield read_entry(entry, feed, source=f"{source}#entry-{number}", read_link=read_link)


def read_entry(entry: Any, feed: Any, *, source: str, read_link: LinkReader | None) -> Collected:
    """One entry: its content, else its linked page, else its summary."""
    warnings: list[str] = []
    published = _entry_date(entry, warnings)
    link = entry.get("link") or None
    meta: dict[str, Any] = {
        "title": entry.get("title") or None,
        "url": link,
        "publisher": feed.get("title") or None,
        "published": published,
        "language": _language(entry, feed),
    }
    text = _content_text(entry)
    link_problem: str | None = None
    if not text and link and read_link is not None:
        linked = read_link(link)
        if linked.document is not None:
            return _from_linked(linked, meta, warnings, source)
        link_problem = linked.reason
    if not text:
        text = _html_text(entry.get("summary", ""), entry.get("summary_detail", {}).get("type", "text/html"))
        if text and link_problem:
            warnings.append(f"linked page not read ({link_problem}); the entry's summary was used")
    if not text:
        return Collected.failure(link or source, _no_text_reason(link, link_problem))
    return Collected.success(link or source, new_document(text, **meta), tuple(warnings))


def _no_text_reason(link: str | None, link_problem: str | None) -> str:
    if link_problem:
        return f"the entry has no content or summary, and its link could not be read: {link_problem}"
    if link:
        return "the entry has no content or summary (its link was not followed)"
    return "the entry has no content, no summary and no link"


def _from_linked(linked: Collected, meta: dict[str, Any], warnings: list[str], source: str) -> Collected:
    """The linked page's document, with the entry's title, date and URL where the page lacks them."""
    assert linked.document is not None
    doc = linked.document
    update = {
        "title": doc.title or meta["title"],
        "url": meta["url"] or doc.url,
        "publisher": doc.publisher or meta["publisher"],
        "published": meta["published"] or doc.published,
    }
    return Collected.success(meta["url"] or source, doc.model_copy(update=update), (*warnings, *linked.warnings))


def _content_text(entry: Any) -> str:
    parts = [_html_text(c.get("value", ""), c.get("type", "text/html")) for c in entry.get("content", [])]
    return "\n\n".join(p for p in parts if p)


def _html_text(value: str, kind: str) -> str:
    if not value or not value.strip():
        return ""
    return value.strip() if kind == "text/plain" else visible_text(value)


def _entry_date(entry: Any, warnings: list[str]) -> date | None:
    for key in ("published", "updated", "created"):
        parsed: time.struct_time | None = entry.get(f"{key}_parsed")
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except ValueError:
                pass
        if entry.get(key):
            warnings.append(f"publication date ignored: impossible or unreadable date {entry.get(key)!r}")
            return None
    return None


def _language(entry: Any, feed: Any) -> str | None:
    for detail in (entry.get("content", [{}])[0] if entry.get("content") else {}, entry.get("title_detail", {})):
        if detail.get("language"):
            return str(detail["language"])
    return feed.get("language") or None
