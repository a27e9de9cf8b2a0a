"""Helpers for source tests: a fetcher on an injected transport, and generated PDFs."""

from __future__ import annotations

import io
from collections.abc import Callable

import httpx
import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from sectracker.settings import Settings
from sectracker.sources.http import Fetcher

PUBLIC_IP = "93.184.216.34"
Handler = Callable[[httpx.Request], httpx.Response]


def public_resolver(host: str, port: int) -> list[str]:
    """Every test host resolves to one public address, without asking DNS."""
    return [PUBLIC_IP]


def make_fetcher(handler: Handler, settings: Settings | None = None, **resolved: list[str]) -> Fetcher:
    """A Fetcher whose requests go to `handler`; hosts resolve to a public address unless given."""

    def resolver(host: str, port: int) -> list[str]:
        return resolved.get(host.replace(".", "_").replace("-", "_"), [PUBLIC_IP])

    return Fetcher(settings or Settings(), transport=httpx.MockTransport(handler), resolver=resolver)


def pdf_bytes(text: str | None, *, title: str | None = None, created: str | None = None) -> bytes:
    """A one-page PDF showing `text` in Helvetica (None: a blank page, i.e. no text layer)."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if text is not None:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    meta = {k: v for k, v in {"/Title": title, "/CreationDate": created}.items() if v}
    if meta:
        writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def small_settings() -> Settings:
    return Settings(max_file_bytes=1000, fetch_max_bytes=1000, fetch_max_redirects=2, fetch_timeout_s=5)
