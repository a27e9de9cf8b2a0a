"""Plain-text and Markdown files: UTF-8 text, with guards against binary, empty and huge files.

Invalid UTF-8 bytes are decoded as U+FFFD with a warning (the document is kept); a UTF-8
byte-order mark is dropped; UTF-16 with a byte-order mark is decoded with a warning.
Binary files (NUL bytes or mostly control characters) and empty files are refused, and a
file larger than `max_file_bytes` is refused from its size alone, before it is read.
"""

from __future__ import annotations

import codecs
from datetime import datetime
from pathlib import Path

from sectracker.errors import SourceError
from sectracker.settings import Settings
from sectracker.sources.records import Collected, first_line_title, new_document

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
SNIFF_BYTES = 8192
_CONTROL = set(range(0, 9)) | {11, 12} | set(range(14, 32)) | {127}


def read_capped(path: Path, settings: Settings) -> bytes:
    """The bytes of a file, refusing a missing, huge or empty one without reading it whole."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    cap = settings.max_file_bytes
    if size > cap:
        raise SourceError(f"too large: {size:,} bytes (the limit is max_file_bytes = {cap:,})")
    try:
        with path.open("rb") as f:
            data = f.read(cap + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > cap:  # the file grew while we looked
        raise SourceError(f"too large: more than {cap:,} bytes (max_file_bytes)")
    if not data.strip():
        raise SourceError("empty file (no text)")
    return data


def binary_reason(data: bytes) -> str | None:
    """Why the bytes look binary rather than text, or None when they look like text."""
    head = data[:SNIFF_BYTES]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    control = sum(1 for b in head if b in _CONTROL)
    if head and control / len(head) > 0.1:
        return f"binary file ({control} control bytes in the first {len(head)}), not text"
    return None


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """Text from bytes as UTF-8, replacing invalid sequences; the warnings say what was done."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), ["decoded as UTF-16 (byte-order mark found)"]
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd") - data.count("\ufffd".encode())
        return text, [f"invalid UTF-8 (first at byte {exc.start}): {max(replaced, 1)} sequence(s) replaced with U+FFFD"]


def text_from_bytes(data: bytes) -> tuple[str, list[str]]:
    """Decoded text, refusing binary data and data with no text."""
    reason = binary_reason(data)
    if reason:
        raise SourceError(reason)
    text, warnings = decode_text(data)
    if not text.strip():
        raise SourceError("empty file (no text)")
    if _mostly_control(text[:SNIFF_BYTES]):  # e.g. binary data behind a UTF-16 byte-order mark
        raise SourceError("binary file (control characters after decoding), not text")
    return text, warnings


def _mostly_control(sample: str) -> bool:
    control = sum(1 for ch in sample if ord(ch) in _CONTROL)
    return bool(sample) and ("\x00" in sample or control / len(sample) > 0.1)


def read_text_file(path: Path, settings: Settings) -> Collected:
    """One .txt/.md file as a document titled by its first line."""
    return text_file_document(read_capped(path, settings), str(path))


def text_file_document(data: bytes, path: str, fetched_at: datetime | None = None) -> Collected:
    """The document of a .txt/.md file's bytes, titled by its first line (else the file's name)."""
    text, warnings = text_from_bytes(data)
    doc = new_document(text, title=first_line_title(text) or Path(path).stem, path=path, fetched_at=fetched_at)
    return Collected.success(path, doc, tuple(warnings))
