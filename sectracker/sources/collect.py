"""From inputs (files, directories, URLs, feeds) to a stream of Collected records.

The kind of a file is chosen by its extension; the kind of a URL by what comes back
(content type, and the body's first bytes for feeds and PDFs). Directories are walked
recursively in sorted order; inside them hidden entries and files of other types are
skipped, while a file of another type named as an input is a failure. Nothing here
raises for a bad input: every problem becomes a failure record and collecting goes on.

`collect_unread` is `collect` with the parsing of files and corpus lines left undone: their
bytes come as Unread records, which `read_unread` turns into documents wherever it runs (the
Dask engine's workers). Fetched pages and feeds are always parsed here, where they are fetched.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from sectracker.clock import now
from sectracker.errors import SourceError
from sectracker.settings import Settings
from sectracker.sources.corpora import CORPUS_LINE, CORPUS_SUFFIXES, corpus_file_lines, corpus_lines, read_unread_line
from sectracker.sources.feeds import FEED_SUFFIXES, FEED_TYPES, looks_like_feed, read_feed
from sectracker.sources.files import TEXT_SUFFIXES, read_capped, text_file_document, text_from_bytes
from sectracker.sources.html import HTML_SUFFIXES, read_html
from sectracker.sources.http import Fetched, Fetcher
from sectracker.sources.pdf import PDF_SUFFIXES, read_pdf
from sectracker.sources.records import Collected, Unread, first_line_title, new_document

__all__ = ["Collected", "SUPPORTED_SUFFIXES", "Unread", "collect", "collect_unread", "is_url", "read_unread"]

SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES + CORPUS_SUFFIXES + FEED_SUFFIXES
TEXT_FILE, HTML_FILE, PDF_FILE = "text-file", "html-file", "pdf-file"  # kinds of Unread records, with CORPUS_LINE
FILE_KINDS = {
    **dict.fromkeys(TEXT_SUFFIXES, TEXT_FILE),
    **dict.fromkeys(HTML_SUFFIXES, HTML_FILE),
    **dict.fromkeys(PDF_SUFFIXES, PDF_FILE),
}
CORPUS_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines")


def collect(inputs: list[str], settings: Settings, *, fetcher: Fetcher | None = None) -> Iterator[Collected]:
    """Every document (or failure) from the inputs, in input order; directories in sorted order."""
    for record in collect_unread(inputs, settings, fetcher=fetcher):
        yield read_unread(record) if isinstance(record, Unread) else record


def collect_unread(
    inputs: list[str], settings: Settings, *, fetcher: Fetcher | None = None
) -> Iterator[Collected | Unread]:
    """What `collect` yields, in the same order, with each file's and corpus line's bytes not parsed yet."""
    fetcher = fetcher or Fetcher(settings)
    for name in inputs:
        if is_url(name):
            yield from _guarded(name, partial(_collect_url, name, settings, fetcher))
        else:
            yield from _collect_path(Path(name), settings, fetcher, explicit=True)


def read_unread(record: Unread) -> Collected:
    """The document an Unread record's bytes make, or a failure saying why they make none."""
    try:
        return _parse(record)
    except SourceError as exc:
        return Collected.failure(record.source, str(exc), record.line)
    except Exception as exc:  # a reader's bug on odd input must fail this document only, not the run
        return Collected.failure(record.source, f"reading failed: {type(exc).__name__}: {exc}", record.line)


def _parse(record: Unread) -> Collected:
    source, data, at = record.source, record.data, record.fetched_at
    if record.kind == CORPUS_LINE:
        return read_unread_line(record)
    if record.kind == TEXT_FILE:
        return text_file_document(data, source, fetched_at=at)
    if record.kind == HTML_FILE:
        return read_html(data, source=source, path=record.path, fetched_at=at)
    if record.kind == PDF_FILE:
        return read_pdf(data, source=source, path=record.path, fetched_at=at)
    raise ValueError(f"unknown kind of unread record {record.kind!r}")


def is_url(name: str) -> bool:
    """True for anything with a URL scheme (http://, ftp://, file://...), which the fetcher then checks."""
    return "://" in name


def _guarded(source: str, produce: Callable[[], Iterator[Collected | Unread]]) -> Iterator[Collected | Unread]:
    """The records `produce` yields, ending with a failure record if it raises SourceError."""
    try:
        yield from produce()
    except SourceError as exc:
        yield Collected.failure(source, str(exc).removeprefix(f"{source}: "))  # the record names the source
    except Exception as exc:  # a reader's bug on odd input must fail this input only, not the run
        yield Collected.failure(source, f"reading failed: {type(exc).__name__}: {exc}")


def _collect_path(path: Path, settings: Settings, fetcher: Fetcher, *, explicit: bool) -> Iterator[Collected | Unread]:
    if path.is_dir():
        yield from _walk(path, settings, fetcher)
    elif path.is_file():
        yield from _guarded(str(path), partial(_read_file, path, settings, fetcher, explicit=explicit))
    elif explicit:
        yield Collected.failure(str(path), "no such file or directory")


def _walk(folder: Path, settings: Settings, fetcher: Fetcher) -> Iterator[Collected | Unread]:
    try:
        children = sorted(folder.iterdir())
    except OSError as exc:
        yield Collected.failure(str(folder), f"cannot list the folder: {exc.strerror or exc}")
        return
    for child in children:
        if child.name.startswith(".") or child.is_symlink():  # hidden files, and no symlink loops
            continue
        yield from _collect_path(child, settings, fetcher, explicit=False)


def _read_file(path: Path, settings: Settings, fetcher: Fetcher, *, explicit: bool) -> Iterator[Collected | Unread]:
    suffix = path.suffix.lower()
    source = str(path)
    if suffix in FILE_KINDS:
        yield Unread(FILE_KINDS[suffix], source, read_capped(path, settings), path=source, fetched_at=now())
    elif suffix in CORPUS_SUFFIXES:
        yield from corpus_file_lines(path, settings)
    elif suffix in FEED_SUFFIXES:
        yield from read_feed(read_capped(path, settings), source=source, read_link=_link_reader(settings, fetcher))
    elif explicit:
        supported = " ".join(SUPPORTED_SUFFIXES)
        raise SourceError(f"unsupported file type {suffix or '(no extension)'!r} (supported: {supported})")


def _collect_url(url: str, settings: Settings, fetcher: Fetcher) -> Iterator[Collected | Unread]:
    fetched = fetcher.fetch(url)
    kind = response_kind(fetched)
    if kind == "feed":
        yield from read_feed(fetched.body, source=fetched.url, read_link=_link_reader(settings, fetcher))
    elif kind == "corpus":
        yield from corpus_lines(io.BytesIO(fetched.body), source=fetched.url, settings=settings)
    else:
        yield _read_page(fetched, kind)


def response_kind(fetched: Fetched) -> str:
    """feed, corpus, pdf, html or text, from the body's first bytes and the content type."""
    body, ctype = fetched.body, fetched.content_type
    if ctype == "application/pdf" or body.startswith(b"%PDF-"):
        return "pdf"
    if looks_like_feed(body) or ctype in FEED_TYPES or "rss" in ctype or "atom" in ctype:
        return "feed"
    if ctype in CORPUS_TYPES or urlsplit(fetched.url).path.lower().endswith(CORPUS_SUFFIXES):
        return "corpus"
    head = body[:1024].lstrip().lower()
    if "html" in ctype or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if ctype.startswith("text/") or not ctype:
        return "text"
    raise SourceError(f"{fetched.url}: unsupported content type {ctype!r}")


def _read_page(fetched: Fetched, kind: str) -> Collected:
    """One document from a fetched page (HTML, PDF or plain text)."""
    if kind == "pdf":
        return read_pdf(fetched.body, source=fetched.url, url=fetched.url)
    if kind == "html":
        return read_html(fetched.body, source=fetched.url, url=fetched.url)
    if kind == "text":
        text, warnings = text_from_bytes(fetched.body)
        host = urlsplit(fetched.url).hostname
        doc = new_document(text, title=first_line_title(text), url=fetched.url, publisher=host)
        return Collected.success(fetched.url, doc, tuple(warnings))
    raise SourceError(f"{fetched.url}: a {kind} where a single page was expected")


def _link_reader(settings: Settings, fetcher: Fetcher) -> Callable[[str], Collected]:
    """Reads a feed entry's link through the fetcher (with all its checks); failures are records."""

    def read(url: str) -> Collected:
        try:
            fetched = fetcher.fetch(url)
            return _read_page(fetched, response_kind(fetched))
        except SourceError as exc:
            return Collected.failure(url, str(exc))

    return read
