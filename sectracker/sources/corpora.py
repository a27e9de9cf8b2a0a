"""JSON Lines corpora: one document per line, streamed (the file is never loaded whole).

Field names follow the corpora in ../shared/data (mfa_press: url, title, date, lang, text;
sea_news_china: url, outlet, date, title, content) and common variants:

    text       text | content | body
    title      title | headline
    url        url | link
    published  date | published | published_at   (ISO date; empty = unknown)
    language   lang | language                   (else detected from the text)
    publisher  publisher | outlet | source | sitename   (else the URL's host)

A line that is not a JSON object or has no text is a failure naming the file and line;
an impossible date is a warning (the document is kept, undated). Each line may be at most
`max_file_bytes` long; the corpus as a whole has no size limit since it is streamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from sectracker.clock import now
from sectracker.errors import SourceError
from sectracker.settings import Settings
from sectracker.sources.files import decode_text
from sectracker.sources.records import Collected, Unread, metadata_date, new_document

CORPUS_SUFFIXES = (".jsonl", ".ndjson")
CORPUS_LINE = "corpus-line"  # the kind of the Unread records `corpus_lines` yields
TEXT_FIELDS = ("text", "content", "body")
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
DATE_FIELDS = ("date", "published", "published_at")
LANGUAGE_FIELDS = ("lang", "language")
PUBLISHER_FIELDS = ("publisher", "outlet", "source", "sitename")
_SKIP_CHUNK = 1 << 20


def read_corpus_file(path: Path, settings: Settings) -> Iterator[Collected]:
    """Every document of a JSON Lines file, streamed line by line."""
    for record in corpus_file_lines(path, settings):
        yield record if isinstance(record, Collected) else read_unread_line(record)


def corpus_file_lines(path: Path, settings: Settings) -> Iterator[Collected | Unread]:
    """Every line of a JSON Lines file as `corpus_lines` yields them, streamed."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    with stream:
        yield from corpus_lines(stream, source=str(path), settings=settings)


def read_corpus(stream: IO[bytes], *, source: str, settings: Settings) -> Iterator[Collected]:
    """Every document of a JSON Lines stream; a bad line yields a failure and reading goes on."""
    for record in corpus_lines(stream, source=source, settings=settings):
        yield record if isinstance(record, Collected) else read_unread_line(record)


def corpus_lines(stream: IO[bytes], *, source: str, settings: Settings) -> Iterator[Collected | Unread]:
    """Every non-blank line of a JSON Lines stream, not parsed yet; a line over the size cap is a failure."""
    cap = settings.max_file_bytes
    number = 0
    while True:
        raw = stream.readline(cap + 1)
        if not raw:
            return
        number += 1
        if len(raw) > cap and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield Collected.failure(source, f"line longer than {cap:,} bytes (max_file_bytes)", line=number)
            continue
        if not raw.isspace():  # the same test as raw.strip(), without copying the line
            yield Unread(CORPUS_LINE, source, raw, line=number, fetched_at=now())


def read_unread_line(record: Unread) -> Collected:
    """The document of a line that `corpus_lines` read, or a failure saying what is wrong with it."""
    return read_line(record.data, source=record.source, line=record.line or 0, fetched_at=record.fetched_at)


def read_line(raw: bytes, *, source: str, line: int, fetched_at: datetime | None = None) -> Collected:
    """One corpus line as a document, or a failure saying what is wrong with it."""
    text, warnings = decode_text(raw)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return Collected.failure(source, f"invalid JSON: {exc.msg} (column {exc.colno})", line=line)
    if not isinstance(record, dict):
        return Collected.failure(source, f"not a JSON object but {type(record).__name__}", line=line)
    body = _first(record, TEXT_FIELDS)
    if body is not None and not isinstance(body, str):
        name = next(n for n in TEXT_FIELDS if record.get(n) not in (None, ""))
        return Collected.failure(source, f"field {name!r} is {type(body).__name__}, not text", line=line)
    if not isinstance(body, str) or not body.strip():
        return Collected.failure(source, f"no text (none of the fields {', '.join(TEXT_FIELDS)})", line=line)
    url = _text(record, URL_FIELDS)
    doc = new_document(
        body,
        title=_text(record, TITLE_FIELDS),
        url=url,
        publisher=_text(record, PUBLISHER_FIELDS) or _host(url),
        published=metadata_date(_first(record, DATE_FIELDS), warnings),
        language=_text(record, LANGUAGE_FIELDS),
        path=f"{source}:{line}",
        fetched_at=fetched_at,
    )
    return Collected(source=source, document=doc, line=line, warnings=tuple(warnings))


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _text(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    value = _first(record, names)
    return value.strip() or None if isinstance(value, str) else None


def _host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).hostname
    except ValueError:  # "http://[bad": a malformed URL names no host (the URL is still kept as written)
        return None
