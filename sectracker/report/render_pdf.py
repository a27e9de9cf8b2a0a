"""The edition as a PDF: the HTML page laid out by WeasyPrint with the print stylesheet.

Reads the edition's HTML (which carries its CSS inline); returns PDF bytes. The same
HTML and epoch give the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sectracker.errors import ReportError


def render_pdf(html: str, *, epoch: int = 0) -> bytes:
    """PDF bytes for an edition page; ReportError when WeasyPrint cannot run."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries are missing
        raise ReportError(f"PDF output needs WeasyPrint and Pango ({exc}); try --format html,md") from exc
    # A fetcher that refuses everything: the page must need nothing outside itself.
    with _source_date(epoch):
        pdf = HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    if pdf is None:
        raise ReportError("WeasyPrint produced no PDF")
    return bytes(pdf)


@contextmanager
def _source_date(epoch: int) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH while rendering, unless the caller's environment already does.

    fontTools stamps subset fonts with the current time otherwise, so no two PDFs match.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    raise ReportError(f"the edition page asked for an outside resource: {url}")
