"""PDF files: the text layer via pypdf, page by page; a PDF without text is refused."""

from __future__ import annotations

import io
import logging
from datetime import date, datetime

from pypdf import PageObject, PdfReader
from pypdf.errors import PyPdfError

from sectracker.errors import SourceError
from sectracker.sources.records import Collected, new_document

PDF_SUFFIXES = (".pdf",)
PAGE_SEPARATOR = "\n\n"
# pypdf logs what it repairs in a malformed file ("EOF marker not found", "invalid pdf header"):
# with no logging configured those lines reach the terminal. What matters is reported as a
# SourceError or a warning of the document, so its log records stop here.
_PYPDF_LOG = logging.getLogger("pypdf")
_PYPDF_LOG.addHandler(logging.NullHandler())
_PYPDF_LOG.propagate = False


def read_pdf(
    data: bytes,
    *,
    source: str,
    url: str | None = None,
    path: str | None = None,
    fetched_at: datetime | None = None,
) -> Collected:
    """One PDF as a document: its pages' text joined by blank lines; title and date from its metadata."""
    warnings: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError("the PDF is encrypted with a password")
        pages = [_page_text(page, n, warnings) for n, page in enumerate(reader.pages, 1)]
        title, published = _metadata(reader)
    except SourceError:
        raise
    except PyPdfError as exc:
        raise SourceError(f"unreadable PDF: {exc}") from exc
    except Exception as exc:  # a malformed file can break pypdf in other ways (KeyError, ValueError...)
        raise SourceError(f"unreadable PDF: {type(exc).__name__}: {exc}") from exc
    text = PAGE_SEPARATOR.join(p for p in pages if p.strip())
    if not text.strip():
        raise SourceError(f"the PDF has no text layer ({len(pages)} page(s) of images or blank); OCR it first")
    doc = new_document(text, title=title, url=url, published=published, path=path, fetched_at=fetched_at)
    return Collected.success(source, doc, tuple(warnings))


def _page_text(page: PageObject, number: int, warnings: list[str]) -> str:
    try:
        return page.extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:  # one broken page should not lose the rest
        warnings.append(f"page {number}: text not extracted ({type(exc).__name__}: {exc})")
        return ""


def _metadata(reader: PdfReader) -> tuple[str | None, date | None]:
    try:
        info = reader.metadata
        if info is None:
            return None, None
        created = info.creation_date
        title = info.title if isinstance(info.title, str) and info.title.strip() else None
    except (PyPdfError, ValueError, TypeError):  # malformed dates in the info dictionary
        return None, None
    return title, created.date() if created else None
