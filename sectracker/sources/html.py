"""HTML pages: the main text and metadata (title, date, site name, language) via trafilatura.

When trafilatura finds no main text (a short page, a fragment), the visible text of the
page with scripts and styles removed is used instead; a page with no visible text at all
(empty, or nothing but scripts) is refused with that reason.
"""

from __future__ import annotations

import re
from datetime import datetime
from html.parser import HTMLParser
from typing import Any

import lxml.html
import trafilatura
from lxml.etree import ParserError
from lxml_html_clean import Cleaner

from sectracker.errors import SourceError
from sectracker.sources.records import Collected, metadata_date, new_document

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_BLOCKS = (
    *("p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th"),
    *("section", "article", "blockquote", "pre", "dd", "dt"),
)
_HIDDEN = ("script", "style", "noscript", "template", "head")
_CLEANER = Cleaner(scripts=True, javascript=True, style=True, comments=True, forms=False, page_structure=False)
_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z_-]{2,12})", re.IGNORECASE)


def visible_text(markup: str | bytes) -> str:
    """The text a reader sees in HTML (a whole page or a fragment), one line per block."""
    if not (markup.strip() if isinstance(markup, str) else markup.strip()):
        return ""
    try:
        tree = lxml.html.fromstring(markup)
    except (ParserError, ValueError):
        return ""
    tree = _CLEANER.clean_html(tree)
    for element in tree.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    text = _lines(tree.text_content())
    if not text:
        return _streamed_text(markup.decode("utf-8", errors="replace") if isinstance(markup, bytes) else markup)
    return text


def _lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


class _TextCollector(HTMLParser):
    """The text outside scripts and styles, read tag by tag: no tree, so no limit on nesting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _streamed_text(markup: str) -> str:
    """The visible text when lxml keeps none: libxml2 drops what is nested deeper than it allows (256 levels)."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return _lines("".join(collector.parts))


def read_html(
    data: bytes | str,
    *,
    source: str,
    url: str | None = None,
    path: str | None = None,
    fetched_at: datetime | None = None,
) -> Collected:
    """One HTML page as a document: trafilatura's main text, or the visible text as a fallback."""
    warnings: list[str] = []
    extracted = _extract(data, url)
    text = (extracted.get("text") or "") if extracted else ""
    if not text.strip():
        text = visible_text(data)
        if text.strip():
            warnings.append("no main text found; the page's visible text was used")
    if not text.strip():
        raise SourceError("no text in the HTML (empty, or only scripts and styles)")
    meta = extracted or {}
    doc = new_document(
        text,
        title=meta.get("title"),
        url=url or meta.get("url"),
        publisher=meta.get("sitename") or meta.get("hostname"),
        published=metadata_date(meta.get("date"), warnings),
        language=_declared_language(data),
        path=path,
        fetched_at=fetched_at,
    )
    return Collected.success(source, doc, tuple(warnings))


def _extract(data: bytes | str, url: str | None) -> dict[str, Any] | None:
    try:
        result = trafilatura.bare_extraction(data, url=url, with_metadata=True, include_comments=False)
    except (ValueError, TypeError, ParserError) as exc:  # trafilatura lets parser errors through on odd input
        raise SourceError(f"unreadable HTML: {exc}") from exc
    if result is None:
        return None
    return result if isinstance(result, dict) else result.as_dict()


def _declared_language(data: bytes | str) -> str | None:
    head = (data.encode("utf-8", "replace") if isinstance(data, str) else data)[:4096]
    match = _LANG.search(head)
    return match.group(1).decode() if match else None
