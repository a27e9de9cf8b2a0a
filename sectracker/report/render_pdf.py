"""The edition as a PDF: the HTML page laid out by WeasyPrint with the print stylesheet.

Reads the edition's HTML (which carries its CSS inline); returns PDF bytes. The same
HTML and epoch give the same bytes. Each inline SVG chart goes to WeasyPrint as an image
holding the chart (`print_svg`) as a data: URL: WeasyPrint then reads it with its XML
parser rather than its pure-Python HTML tokenizer and keeps it out of the CSS cascade.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sectracker.errors import ReportError

_INLINE_SVG = re.compile(r"<svg\b[^>]*>.*?</svg>", re.S)
_STYLE = re.compile(r'\sstyle="[^"]*"')


def render_pdf(html: str, *, epoch: int = 0) -> bytes:
    """PDF bytes for an edition page; ReportError when WeasyPrint cannot run."""
    try:
        from weasyprint import HTML, urls
    except (ImportError, OSError) as exc:  # OSError: Pango or its libraries are missing
        raise ReportError(f"PDF output needs WeasyPrint and Pango ({exc}); try --format html,md") from exc
    refused = getattr(urls, "FatalURLFetchingError", ReportError)
    with _source_date(epoch):
        try:
            pdf = HTML(string=svg_as_images(html), url_fetcher=_page_only_fetcher()).write_pdf()
        except refused as exc:
            raise ReportError(f"the edition page asked for an outside resource ({exc})") from exc
    if pdf is None:
        raise ReportError("WeasyPrint produced no PDF")
    return bytes(pdf)


def load_weasyprint() -> None:
    """Import WeasyPrint ahead of `render_pdf` (about 0.4 s), e.g. while charts render elsewhere.

    A missing WeasyPrint or Pango is left for `render_pdf` to report.
    """
    with suppress(ImportError, OSError):
        import weasyprint  # noqa: F401


def svg_as_images(html: str) -> str:
    """The page with each inline <svg> as an <img> of the same style showing it from a data: URL."""
    return _INLINE_SVG.sub(_svg_image, html)


def _svg_image(m: re.Match[str]) -> str:
    from sectracker.charts.render import print_svg

    svg = m.group(0)
    root = svg[: svg.index(">") + 1]
    style = _STYLE.search(root)
    drawing = print_svg(svg.replace(style.group(0), "", 1) if style else svg)
    data = base64.b64encode(drawing.encode("utf-8")).decode("ascii")
    return f'<img{style.group(0) if style else ""} alt="" src="data:image/svg+xml;base64,{data}">'


def _page_only_fetcher() -> Any:
    """A fetcher of data: URLs only (the charts): the page must need nothing outside itself."""
    from weasyprint import urls

    if not hasattr(urls, "URLFetcher"):  # older WeasyPrint takes a function
        return _data_url_only
    try:
        return urls.URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    except TypeError:  # an older URLFetcher: a refused URL is a warning
        return urls.URLFetcher(allowed_protocols={"data"})


def _data_url_only(url: str, timeout: int = 10, ssl_context: object = None) -> Any:
    from weasyprint import default_url_fetcher

    if not url.startswith("data:"):
        raise ReportError(f"the edition page asked for an outside resource: {url}")
    return default_url_fetcher(url, timeout, ssl_context)


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
