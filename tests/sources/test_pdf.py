from __future__ import annotations

from datetime import date

import pytest

from sectracker.errors import SourceError
from sectracker.sources.pdf import read_pdf
from tests.sources.conftest import pdf_bytes


def test_text_layer_title_and_date_are_read() -> None:
    data = pdf_bytes("China donated 62,000 masks to Italy.", title="Donations", created="D:20200315120000Z")
    got = read_pdf(data, source="d.pdf", path="d.pdf")
    doc = got.document
    assert doc is not None
    assert doc.text == "China donated 62,000 masks to Italy."
    assert doc.title == "Donations" and doc.published == date(2020, 3, 15) and doc.path == "d.pdf"


def test_a_pdf_without_text_is_refused_with_a_clear_reason() -> None:
    with pytest.raises(SourceError, match=r"the PDF has no text layer \(1 page\(s\) of images or blank\); OCR it"):
        read_pdf(pdf_bytes(None), source="scan.pdf")


@pytest.mark.parametrize("data", [b"%PDF-1.7\nnot really", b"GIF89a\x00\x00"], ids=["truncated", "not-pdf"])
def test_a_broken_pdf_is_refused(data: bytes) -> None:
    with pytest.raises(SourceError, match="unreadable PDF"):
        read_pdf(data, source="broken.pdf")
