from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from sectracker.errors import NotFound
from sectracker.sources.records import new_document
from sectracker.store import Database
from sectracker.store import documents as store
from sectracker.store.documents import IngestFailure


def test_documents_are_stored_once_by_content_hash(db: Database) -> None:
    a = new_document("China donated masks.", title="A", published=date(2020, 3, 1), path="a.txt")
    b = new_document("China sent ships.", title="B")
    assert db.write(lambda c: store.insert_documents(c, [a, b, a])) == [a.id, b.id]
    assert db.write(lambda c: store.insert_documents(c, [a, new_document("China donated masks.")])) == []
    assert store.count_documents(db) == 2
    got = store.get_document(db, a.id)
    assert (got.text, got.title, got.published, got.path) == (a.text, "A", date(2020, 3, 1), "a.txt")
    listed = store.list_documents(db)
    assert [d.id for d in listed] == [a.id, b.id]  # dated first
    assert listed[0].chars == len(a.text)


def test_missing_document_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound, match="no document with id 'doc-nope'"):
        store.get_document(db, "doc-nope")


def test_runs_count_and_keep_their_failures(db: Database) -> None:
    run_id = db.write(lambda c: store.start_run(c, ["in.txt", "https://x.example/feed"]))
    failures = [IngestFailure("c.jsonl", "invalid JSON", 3), IngestFailure("x.pdf", "no text layer")]
    db.write(lambda c: store.record_failures(c, run_id, failures))
    db.write(lambda c: store.add_to_run(c, run_id, new=2, seen=1, candidates=5, failures=2))
    db.write(lambda c: store.add_to_run(c, run_id, new=1))
    db.write(lambda c: store.finish_run(c, run_id))
    run = store.get_run(db, run_id)
    assert run.inputs == ["in.txt", "https://x.example/feed"]
    assert (run.documents_new, run.documents_seen, run.candidates, run.failures) == (3, 1, 5, 2)
    assert run.finished_at is not None
    got = store.list_failures(db, run_id)
    assert [(f.source, f.line, f.reason) for f in got] == [
        ("c.jsonl", 3, "invalid JSON"),
        ("x.pdf", None, "no text layer"),
    ]
    assert str(got[0]) == "c.jsonl:3: invalid JSON"


def test_migration_0002_goes_up_and_down(db: Database) -> None:
    def tables() -> set[str]:
        with db.connect() as conn:
            return set(inspect(conn).get_table_names())

    assert {"ingest_runs", "ingest_failures"} <= tables()
    db.downgrade("0001")
    assert not {"ingest_runs", "ingest_failures"} & tables()
    db.migrate()
    assert {"ingest_runs", "ingest_failures"} <= tables()
