from __future__ import annotations

import json
import pickle
from pathlib import Path

import httpx

from sectracker.settings import Settings
from sectracker.sources.collect import Collected, Unread, collect, collect_unread, read_unread
from tests.sources.conftest import make_fetcher, pdf_bytes
from tests.sources.test_feeds import RSS


def no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request to {request.url}")


def offline(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("network is unreachable", request=request)


def tree(root: Path) -> None:
    (root / "b").mkdir(parents=True)
    (root / "a.txt").write_text("Alpha document.")
    (root / "b" / "c.md").write_text("# Gamma\nGamma document.")
    (root / "b" / "d.html").write_text("<html><body><ul><li>Delta document.</li></ul></body></html>")
    (root / "b" / "e.pdf").write_bytes(pdf_bytes("Epsilon document."))
    (root / "b" / "f.jsonl").write_text(json.dumps({"text": "Phi one."}) + "\n" + json.dumps({"text": "Phi two."}))
    (root / "b" / "g.rss").write_bytes(RSS)
    (root / "b" / "image.png").write_bytes(b"\x89PNG\r\n")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("Hidden.")
    (root / "z.txt").write_text("")


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    tree(tmp_path)
    got = list(collect([str(tmp_path)], Settings(), fetcher=make_fetcher(offline)))
    texts = [c.document.text if c.document else f"FAIL {c.reason}" for c in got]
    assert texts[:6] == [
        "Alpha document.",
        "# Gamma\nGamma document.",
        "Delta document.",
        "Epsilon document.",
        "Phi one.",
        "Phi two.",
    ]
    # the feed: entry 1 has content; entry 2 only a summary, used since its link cannot be fetched
    assert texts[6] == "The hospital ship Peace Ark arrived in Dili."
    assert texts[7] == "Short summary of a port call."
    assert texts[8] == "FAIL the entry has no content, no summary and no link"
    assert texts[9] == "FAIL empty file (no text)" and got[9].source == str(tmp_path / "z.txt")
    assert len(got) == 10  # image.png and .hidden are skipped


def test_unread_records_parsed_elsewhere_give_what_collect_gives(tmp_path: Path) -> None:
    tree(tmp_path)
    fetcher = make_fetcher(offline)
    records = [pickle.loads(pickle.dumps(r)) for r in collect_unread([str(tmp_path)], Settings(), fetcher=fetcher)]
    # files and corpus lines travel as bytes (a.txt, c.md, d.html, e.pdf, two lines of f.jsonl)
    assert [r.source for r in records if isinstance(r, Unread)] == [
        str(tmp_path / name) for name in ("a.txt", "b/c.md", "b/d.html", "b/e.pdf", "b/f.jsonl", "b/f.jsonl")
    ]
    parsed = [read_unread(r) if isinstance(r, Unread) else r for r in records]
    eager = list(collect([str(tmp_path)], Settings(), fetcher=fetcher))

    def described(c: Collected) -> tuple[object, ...]:
        doc = c.document.model_dump(exclude={"fetched_at"}) if c.document else None
        return c.source, c.line, c.reason, c.warnings, doc

    assert [described(c) for c in parsed] == [described(c) for c in eager]


def test_missing_and_unsupported_inputs_are_failures(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    got = list(collect([str(tmp_path / "nope.txt"), str(tmp_path / "x.docx")], Settings()))
    assert got[0].reason == "no such file or directory"
    assert got[1].reason is not None and got[1].reason.startswith("unsupported file type '.docx'")


def test_urls_are_read_by_what_comes_back() -> None:
    pages = {
        "/page": (b"<html><body><ul><li>China donated masks.</li></ul></body></html>", "text/html"),
        "/doc.pdf": (pdf_bytes("A PDF report."), "application/octet-stream"),
        "/notes": (b"Plain notes.", "text/plain"),
        "/feed": (RSS, "text/html"),  # a mislabelled feed is still seen as a feed
        "/2": (b"<html><body><ul><li>Linked article.</li></ul></body></html>", "text/html"),
        "/corpus.jsonl": (json.dumps({"text": "From a corpus."}).encode(), "application/octet-stream"),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        body, ctype = pages[request.url.path]
        return httpx.Response(200, content=body, headers={"content-type": ctype})

    base = "https://wire.example.org"
    inputs = [f"{base}{p}" for p in ("/page", "/doc.pdf", "/notes", "/feed", "/corpus.jsonl")]
    got = list(collect(inputs, Settings(), fetcher=make_fetcher(handler)))
    texts = [c.document.text if c.document else c.reason for c in got]
    assert texts == [
        "China donated masks.",
        "A PDF report.",
        "Plain notes.",
        "The hospital ship Peace Ark arrived in Dili.",
        "Linked article.",  # the summary-only entry's link was fetched
        "the entry has no content, no summary and no link",
        "From a corpus.",
    ]
    assert got[0].document is not None and got[0].document.url == f"{base}/page"


def test_a_feed_that_times_out_is_a_failure_and_collecting_goes_on(tmp_path: Path) -> None:
    (tmp_path / "after.txt").write_text("After the feed.")

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    got = list(collect(["https://wire.example.org/feed", str(tmp_path)], Settings(), fetcher=make_fetcher(handler)))
    assert got[0].source == "https://wire.example.org/feed" and got[0].reason is not None
    assert "timed out" in got[0].reason
    assert got[1].document is not None and got[1].document.text == "After the feed."


def test_unsafe_urls_are_failures_not_errors() -> None:
    inputs = ["file:///etc/passwd", "ftp://example.org/x", "http://127.0.0.1:8080/admin", "http://10.0.0.1/"]
    got = list(collect(inputs, Settings(), fetcher=make_fetcher(no_network)))
    assert [c.ok for c in got] == [False] * 4
    assert "only http and https" in (got[0].reason or "") and "non-public address" in (got[3].reason or "")


def test_an_unsupported_content_type_is_a_failure() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"\x89PNG", headers={"content-type": "image/png"})

    (got,) = list(collect(["https://x.example.org/i"], Settings(), fetcher=make_fetcher(handler)))
    assert got.source == "https://x.example.org/i"
    assert got.reason == "unsupported content type 'image/png'"  # the source is not repeated in the reason
