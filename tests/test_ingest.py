"""ingest(): documents stored once, candidates stored once, failures recorded and the run going on.

Most tests use `line_extractor`, a stand-in for the extraction pipeline that makes one
candidate per line mentioning China: it is deterministic, so the storing, batching and
de-duplication of ingest can be checked exactly. The tests at the end run the real
pipeline (sectracker.pipeline.run) and are skipped while it is absent.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from sectracker import ingest as ingest_module
from sectracker.ingest import ingest
from sectracker.models import Document, Event, Evidence, Source, slug_id
from sectracker.settings import Settings
from sectracker.store import Database
from sectracker.store import documents as doc_store
from sectracker.store.schema import documents, events, ingest_failures, ingest_runs, sources
from tests.sources.conftest import make_fetcher, pdf_bytes


def line_extractor(doc: Document, published: date | None, *, salt: str = "") -> list[Event]:
    """One candidate per line that mentions China, with that line as its evidence."""
    out: list[Event] = []
    offset = 0
    for line in doc.text.splitlines(keepends=True):
        if "China" in line:
            end = offset + len(line.rstrip("\n"))
            out.append(
                Event(
                    id=slug_id(salt, doc.id, str(offset)),
                    headline=line.strip()[:200],
                    category="projection.humanitarian",
                    date_start=published,
                    sources=[
                        Source(
                            title=doc.title or doc.id,
                            url=doc.url,
                            published=published,
                            evidence=Evidence(start=offset, end=end, text=doc.text[offset:end], document_id=doc.id),
                        )
                    ],
                )
            )
        offset += len(line)
    return out


def counts(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in (documents, events, sources)
        }


def good_inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("China donated masks to Italy.\nUnrelated line.\nChina sent a ship to Djibouti.\n")
    (folder / "b.md").write_text("# Notes\nChina held a drill with Pakistan.\n")
    (folder / "c.jsonl").write_text(
        json.dumps({"text": "China and Thailand held talks.", "date": "2020-05-04", "title": "Talks"})
        + "\n"
        + json.dumps({"text": "China donated masks to Italy.\nUnrelated line.\nChina sent a ship to Djibouti."})
        + "\n"
    )
    return folder


def test_documents_and_candidates_are_stored_with_their_evidence(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    summary = ingest(db, [str(folder)], extract=line_extractor)
    assert summary.ok and summary.failures == []
    # c.jsonl line 2 has the same text as a.txt: one document, seen twice
    assert (summary.documents_read, summary.documents_new, summary.documents_seen) == (4, 3, 1)
    assert summary.candidates == 4
    assert counts(db) == {"documents": 3, "events": 4, "sources": 4}
    with db.connect() as conn:
        row = conn.execute(select(sources).where(sources.c.ev_start == 46)).one()
        stored = doc_store.get_document(db, row.document_id)
        assert stored.text[row.ev_start : row.ev_end] == "China sent a ship to Djibouti." == row.ev_text
        statuses = set(conn.execute(select(events.c.status)).scalars())
        assert statuses == {"candidate"}
    talks = [d for d in doc_store.list_documents(db) if d.title == "Talks"]
    assert talks[0].published == date(2020, 5, 4)
    run = doc_store.get_run(db, summary.run_id)
    assert (run.documents_new, run.documents_seen, run.candidates, run.failures) == (3, 1, 4, 0)


def test_ingesting_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    first = ingest(db, [str(folder)], extract=line_extractor)
    before = counts(db)
    second = ingest(db, [str(folder)], extract=line_extractor)
    assert counts(db) == before
    assert (second.documents_new, second.documents_seen, second.candidates) == (0, 4, 0)
    assert second.run_id == first.run_id + 1


def test_a_candidate_with_a_new_id_but_a_known_evidence_span_is_not_added(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    ingest(db, [str(folder)], extract=line_extractor)
    before = counts(db)
    summary = ingest(db, [str(folder)], extract=lambda d, p: line_extractor(d, p, salt="pipeline v2"))
    assert summary.candidates == 0 and counts(db) == before


def test_small_batches_give_the_same_result(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "BATCH_DOCUMENTS", 1)
    summary = ingest(db, [str(good_inputs(tmp_path / "in"))], extract=line_extractor)
    assert (summary.documents_new, summary.candidates) == (3, 4)
    assert counts(db) == {"documents": 3, "events": 4, "sources": 4}


def bad_inputs(folder: Path) -> list[str]:
    """Every kind of bad input in the issue, next to one good document."""
    folder.mkdir()
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("China donated 200 caf\xe9 machines.\n".encode("latin-1"))
    (folder / "scripts.html").write_text("<html><body>" + "<script>var a = 'China';</script>" * 100 + "</body></html>")
    (folder / "scan.pdf").write_bytes(pdf_bytes(None))
    with (folder / "huge.txt").open("wb") as f:
        f.truncate(10_000)  # over the small max_file_bytes below; sparse
    (folder / "dates.jsonl").write_text(
        json.dumps({"text": "On February 30 China sent a ship.", "date": "2020-02-30"}) + "\n{broken\n"
    )
    (folder / "good.txt").write_text("China sent medical teams to Serbia.\n")
    return [str(folder), "https://feeds.example.org/slow.rss", "ftp://example.org/x.txt"]


def timing_out(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("the feed did not answer", request=request)


def test_bad_input_never_crashes_and_every_failure_is_recorded_with_its_reason(db: Database, tmp_path: Path) -> None:
    inputs = bad_inputs(tmp_path / "bad")
    settings = Settings(db=db.settings.db, max_file_bytes=5000, fetch_timeout_s=1)
    summary = ingest(db, inputs, settings, fetcher=make_fetcher(timing_out, settings), extract=line_extractor)
    folder = tmp_path / "bad"
    reasons = {(f.source, f.line): f.reason for f in summary.failures}
    assert reasons == {
        (str(folder / "binary.txt"), None): "binary file (contains NUL bytes), not text",
        (str(folder / "dates.jsonl"), 2): "invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        (str(folder / "empty.txt"), None): "empty file (no text)",
        (str(folder / "huge.txt"), None): "too large: 10,000 bytes (the limit is max_file_bytes = 5,000)",
        (str(folder / "scan.pdf"), None): "the PDF has no text layer (1 page(s) of images or blank); OCR it first",
        (str(folder / "scripts.html"), None): "no text in the HTML (empty, or only scripts and styles)",
        ("https://feeds.example.org/slow.rss", None): "timed out after 1 s (ReadTimeout)",
        ("ftp://example.org/x.txt", None): "only http and https URLs are fetched (not 'ftp')",
    }
    assert not summary.ok
    # the good, the mis-encoded and the impossibly dated documents are kept, with warnings
    assert (summary.documents_read, summary.documents_new, summary.candidates) == (3, 3, 3)
    warned = dict(summary.warnings)
    assert "invalid UTF-8" in warned[str(folder / "latin1.txt")]
    assert (
        warned[f"{folder / 'dates.jsonl'}:1"] == "publication date ignored: impossible or unreadable date '2020-02-30'"
    )
    with db.connect() as conn:
        stored = conn.execute(select(ingest_failures.c.source, ingest_failures.c.reason)).all()
        run = conn.execute(select(ingest_runs)).one()
    assert len(stored) == 8 and run.failures == 8 and run.finished_at is not None


def test_an_extraction_error_is_a_failure_and_the_run_goes_on(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")

    def flaky(doc: Document, published: date | None) -> list[Event]:
        if doc.title == "Notes":
            raise ValueError("stage 'dates' broke")
        return line_extractor(doc, published)

    summary = ingest(db, [str(folder)], extract=flaky)
    assert [(f.source, f.reason) for f in summary.failures] == [
        (str(folder / "b.md"), "extraction failed: ValueError: stage 'dates' broke")
    ]
    assert summary.candidates == 3 and summary.documents_new == 3  # the document itself is kept
    # once the pipeline is fixed, running again extracts from the stored document
    again = ingest(db, [str(folder)], extract=line_extractor)
    assert again.ok and again.candidates == 1


# --- with the real extraction pipeline --------------------------------------------------


@pytest.fixture
def real_pipeline() -> None:
    pytest.importorskip("sectracker.pipeline.run", reason="the extraction pipeline (sectracker.pipeline.run) is absent")


SEED_PARAGRAPH = (
    "On April 8, the PLA Navy hospital ship Peace Ark arrived in Dili, Timor-Leste, for a ten-day medical visit.\n\n"
    "On March 21, China donated 62,000 masks and 2,000 test kits to the Serbian Armed Forces.\n"
)


@pytest.mark.usefixtures("real_pipeline")
def test_real_pipeline_candidates_are_stored_once(db: Database, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "news.txt").write_text(SEED_PARAGRAPH)
    first = ingest(db, [str(tmp_path / "in")])
    assert first.ok and first.documents_new == 1 and first.candidates >= 1
    before = counts(db)
    assert before["events"] == first.candidates and before["sources"] >= first.candidates
    second = ingest(db, [str(tmp_path / "in")])
    assert second.candidates == 0 and counts(db) == before


@pytest.mark.usefixtures("real_pipeline")
def test_real_pipeline_on_bad_input_never_crashes(db: Database, tmp_path: Path) -> None:
    inputs = bad_inputs(tmp_path / "bad")
    settings = Settings(db=db.settings.db, max_file_bytes=5000, fetch_timeout_s=1)
    summary = ingest(db, inputs, settings, fetcher=make_fetcher(timing_out, settings))
    assert len(summary.failures) == 8 and summary.documents_read == 3


@pytest.mark.shared
@pytest.mark.usefixtures("real_pipeline")
def test_real_pipeline_on_the_first_transcripts(db: Database, tmp_path: Path, shared_dir: Path) -> None:
    source = shared_dir / "data/mfa_press/mfa_press_conferences_en.jsonl"
    sample = tmp_path / "sample.jsonl"
    with source.open("rb") as f:
        sample.write_bytes(b"".join(next(f) for _ in range(5)))
    first = ingest(db, [str(sample)])
    assert first.ok and first.documents_new == 5
    second = ingest(db, [str(sample)])
    assert (second.documents_seen, second.candidates) == (5, 0)
