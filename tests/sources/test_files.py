from __future__ import annotations

from pathlib import Path

import pytest

from sectracker.errors import SourceError
from sectracker.settings import Settings
from sectracker.sources.files import read_capped, read_text_file


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_file_becomes_a_document_titled_by_its_first_line(tmp_path: Path) -> None:
    path = write(tmp_path, "note.md", b"\n# Navy visit\n\nThe PLA Navy visited Djibouti.\n")
    got = read_text_file(path, Settings())
    doc = got.document
    assert doc is not None and got.warnings == ()
    assert doc.title == "Navy visit"
    assert doc.text == "# Navy visit\n\nThe PLA Navy visited Djibouti."
    assert doc.id == doc.id_for(doc.text)
    assert doc.language == "en" and doc.path == str(path)


def test_chinese_text_is_detected_as_zh(tmp_path: Path) -> None:
    path = write(tmp_path, "zh.txt", "中国海军舰艇编队访问吉布提。".encode())
    doc = read_text_file(path, Settings()).document
    assert doc is not None and doc.language == "zh"


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", b"China \xff\xfe donated masks \xc3 to Italy.")
    got = read_text_file(path, Settings())
    assert got.document is not None
    assert got.document.text.count("\ufffd") == 3
    assert "donated masks" in got.document.text
    assert len(got.warnings) == 1 and "invalid UTF-8" in got.warnings[0] and "byte 6" in got.warnings[0]


def test_utf8_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.txt", b"\xef\xbb\xbfHello")
    doc = read_text_file(path, Settings()).document
    assert doc is not None and doc.text == "Hello"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(256)) * 4,
        b"\xff\xfe" + bytes([1, 0, 2, 0, 3, 0, 4, 0, 5, 0]),
    ],
    ids=["png", "all-bytes", "utf16-bom-then-junk"],
)
def test_binary_files_are_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SourceError, match="binary file"):
        read_text_file(write(tmp_path, "blob.txt", data), Settings())


@pytest.mark.parametrize("data", [b"", b"  \n\t\n"], ids=["empty", "whitespace"])
def test_empty_files_are_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(SourceError, match="empty file"):
        read_text_file(write(tmp_path, "empty.txt", data), Settings())


def test_huge_file_is_refused_from_its_size_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(1_000_000_000)  # a sparse 1 GB file: no disk used
    opened: list[Path] = []
    real_open = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    with pytest.raises(SourceError, match=r"too large: 1,000,000,000 bytes \(the limit is max_file_bytes = 1,000\)"):
        read_capped(path, Settings(max_file_bytes=1000))
    assert opened == []


def test_file_at_the_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "edge.txt", b"x" * 1000)
    assert len(read_capped(path, Settings(max_file_bytes=1000))) == 1000
