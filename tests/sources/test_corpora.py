from __future__ import annotations

import io
import json
from datetime import date
from itertools import islice
from pathlib import Path

from sectracker.settings import Settings
from sectracker.sources.corpora import read_corpus, read_corpus_file

MFA_EN = "data/mfa_press/mfa_press_conferences_en.jsonl"
MFA_ZH = "data/mfa_press/mfa_press_conferences_zh.jsonl"
SEA = "data/sea_news_china/sea_media_china_articles_2023_2024.jsonl"


def corpus(*lines: str | bytes) -> io.BytesIO:
    return io.BytesIO(b"\n".join(line.encode() if isinstance(line, str) else line for line in lines) + b"\n")


def test_fields_are_mapped_and_lines_numbered() -> None:
    line = json.dumps(
        {"url": "https://x.example/a", "title": "T", "date": "2020-06-19", "lang": "en", "text": "China sent ships."}
    )
    got = list(read_corpus(corpus(line, "", line.replace("ships", "aircraft")), source="c.jsonl", settings=Settings()))
    assert [c.line for c in got] == [1, 3]  # the blank line is skipped but counted
    doc = got[0].document
    assert doc is not None
    assert (doc.title, doc.url, doc.published, doc.language) == ("T", "https://x.example/a", date(2020, 6, 19), "en")
    assert doc.publisher == "x.example" and doc.path == "c.jsonl:1"


def test_bad_lines_are_failures_naming_the_line_and_reading_goes_on() -> None:
    good = json.dumps({"text": "China donated masks."})
    stream = corpus("{not json", "[1, 2]", json.dumps({"title": "no text"}), json.dumps({"text": "  "}), good)
    got = list(read_corpus(stream, source="c.jsonl", settings=Settings()))
    assert [(c.line, c.reason) for c in got[:4]] == [
        (1, "invalid JSON: Expecting property name enclosed in double quotes (column 2)"),
        (2, "not a JSON object but list"),
        (3, "no text (none of the fields text, content, body)"),
        (4, "no text (none of the fields text, content, body)"),
    ]
    assert all(c.source == "c.jsonl" for c in got)
    assert got[4].ok and got[4].line == 5


def test_impossible_date_is_a_warning_and_the_document_is_kept() -> None:
    got = list(read_corpus(corpus(json.dumps({"text": "x y", "date": "2020-02-30"})), source="c", settings=Settings()))
    assert got[0].document is not None and got[0].document.published is None
    assert got[0].warnings == ("publication date ignored: impossible or unreadable date '2020-02-30'",)


def test_invalid_utf8_in_a_line_is_replaced_with_a_warning() -> None:
    got = list(read_corpus(corpus(b'{"text": "China \xff donated"}'), source="c", settings=Settings()))
    assert got[0].document is not None and got[0].document.text == "China \ufffd donated"
    assert "invalid UTF-8" in got[0].warnings[0]


def test_an_overlong_line_is_skipped_without_being_held_whole() -> None:
    long_line = json.dumps({"text": "x" * 5000})
    stream = corpus(long_line, json.dumps({"text": "short"}))
    got = list(read_corpus(stream, source="c", settings=Settings(max_file_bytes=1000)))
    assert got[0].reason == "line longer than 1,000 bytes (max_file_bytes)" and got[0].line == 1
    assert got[1].document is not None and got[1].document.text == "short" and got[1].line == 2


def test_the_corpus_is_streamed_line_by_line() -> None:
    stream = corpus(*[json.dumps({"text": f"document {i}"}) for i in range(10_000)])
    first = next(iter(read_corpus(stream, source="c", settings=Settings())))
    assert first.document is not None and first.document.text == "document 0"
    assert stream.tell() < 100  # only the first line was read


def test_mfa_english_transcripts(shared_dir: Path) -> None:
    got = list(islice(read_corpus_file(shared_dir / MFA_EN, Settings()), 20))
    assert len(got) == 20 and all(c.ok for c in got)
    doc = got[0].document
    assert doc is not None
    assert doc.title == "Foreign Ministry Spokesperson Geng Shuang's Regular Press Conference on May 11, 2018"
    assert doc.published == date(2018, 5, 11) and doc.language == "en"
    assert doc.url is not None and doc.url.startswith("https://www.fmprc.gov.cn/mfa_eng/")
    assert doc.publisher == "www.fmprc.gov.cn"
    assert doc.text.startswith("At the invitation of President Julius Maada Wonie Bio")


def test_mfa_chinese_transcripts(shared_dir: Path) -> None:
    got = list(islice(read_corpus_file(shared_dir / MFA_ZH, Settings()), 5))
    docs = [c.document for c in got if c.document]
    assert len(docs) == 5 and {d.language for d in docs} == {"zh"}
    assert docs[0].published == date(2016, 11, 15) and docs[0].title is not None and "外交部" in docs[0].title


def test_sea_news_uses_content_and_outlet(shared_dir: Path) -> None:
    got = list(islice(read_corpus_file(shared_dir / SEA, Settings()), 50))
    docs = [c.document for c in got if c.document]
    assert len(docs) == 50
    assert docs[0].published is None  # its date field is empty
    assert docs[0].publisher == "inquirer" and docs[0].text.startswith("Standing over a meter in height")
    assert any(d.published is not None for d in docs) and all(d.language == "en" for d in docs)
