"""The record every source yields, and the metadata helpers they share.

A source yields `Collected` records: a Document with any warnings, or a failure naming
the source (file, file:line, URL) and the reason. Readers of one document return a
Document and raise SourceError; `collect` turns that into a failure record.

An `Unread` record is one document's bytes, read from its source but not parsed yet:
`collect.collect_unread` yields them so that the Dask engine can have its workers decode,
parse and hash the documents (`collect.read_unread`), not the one client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sectracker.clock import now
from sectracker.models import Document

# CJK Unified Ideographs (+ extension A), kana and hangul: enough to tell Chinese text apart.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3040-\u30ff\uac00-\ud7af]")
_LETTER = re.compile(r"[^\W\d_]")
LANGUAGE_SAMPLE = 5000


@dataclass(frozen=True)
class Collected:
    """One outcome of collecting: a document (maybe with warnings) or a failure with its reason."""

    source: str
    document: Document | None = None
    reason: str | None = None
    line: int | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.document is not None

    @classmethod
    def success(cls, source: str, document: Document, warnings: tuple[str, ...] = ()) -> Collected:
        return cls(source=source, document=document, warnings=warnings)

    @classmethod
    def failure(cls, source: str, reason: str, line: int | None = None) -> Collected:
        return cls(source=source, reason=reason, line=line)


@dataclass(frozen=True)
class Unread:
    """The bytes of one document as read from its source, with what parsing them needs."""

    kind: str  # which reader parses the bytes (`collect.read_unread` knows them: corpus line, text, HTML, PDF)
    source: str
    data: bytes
    line: int | None = None
    path: str | None = None
    fetched_at: datetime | None = None  # when the bytes were read (the parsed document's fetched_at)


def detect_language(text: str) -> str:
    """A cheap guess: "zh" when CJK characters are at least a fifth of the letters, else "en"."""
    sample = text[:LANGUAGE_SAMPLE]
    if _CJK.search(sample) is None:  # the common case, answered without listing every letter (20x faster)
        return "en"
    letters = len(_LETTER.findall(sample))
    if not letters:
        return "en"
    return "zh" if len(_CJK.findall(sample)) / letters >= 0.2 else "en"


def normalise_language(tag: str | None) -> str | None:
    """A primary language subtag ("en-US" -> "en", "zh_CN" -> "zh"), or None when unusable."""
    if not tag:
        return None
    primary = re.split(r"[-_]", tag.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def parse_date(value: object) -> date | None:
    """A date from metadata (date, datetime, ISO text); None when empty; ValueError when impossible."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise ValueError(f"impossible or unreadable date {value!r}") from None


def metadata_date(value: object, warnings: list[str]) -> date | None:
    """parse_date, turning an impossible date into a warning (the document is still kept)."""
    try:
        return parse_date(value)
    except ValueError as exc:
        warnings.append(f"publication date ignored: {exc}")
        return None


def new_document(
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    publisher: str | None = None,
    published: date | None = None,
    language: str | None = None,
    path: str | None = None,
    fetched_at: datetime | None = None,
) -> Document:
    """A Document keyed by the hash of its text; language detected unless metadata gives it.

    The text is stripped first, as the Document model strips it, so that the id is the hash of
    the stored text and evidence offsets point into exactly that text.
    """
    text = text.strip()
    return Document(
        id=Document.id_for(text),
        text=text,
        title=_clip(title),
        url=url or None,
        publisher=_clip(publisher),
        published=published,
        language=normalise_language(language) or detect_language(text),
        path=path,
        fetched_at=fetched_at or now(),
    )


def first_line_title(text: str, limit: int = 200) -> str | None:
    """The first non-empty line, without Markdown heading marks, as a title."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:limit]
    return None


def _clip(value: str | None, limit: int = 500) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value[:limit] or None
