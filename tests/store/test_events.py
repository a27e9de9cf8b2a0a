"""Writing events on both backends: create, read, edit, delete, restore, each audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from sectracker.errors import Conflict, NotFound, ValidationFailed
from sectracker.models import EventFilter, Status
from sectracker.store import Database, api
from sectracker.store.schema import CHILD_TABLES, audit_log, events
from tests.store.sample import aware_utc, make_event, sample_events

CLOCK = datetime(2026, 1, 1, tzinfo=UTC)  # the fixed clock of tests/conftest.py


def _count(db: Database, table: object) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def _utc(value: datetime | None) -> datetime:
    """What the store gives back for a timestamp: the clock's time when unset, aware UTC always."""
    value = value or CLOCK
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def test_events_come_back_exactly(any_db: Database) -> None:
    stored = sample_events()
    api.add_events(any_db, stored, user="ana")
    for original in stored:
        got = api.get_event(any_db, original.id)
        assert got == original.model_copy(
            update={
                "codebook_version": got.codebook_version,
                "created_at": _utc(original.created_at),
                "updated_at": _utc(original.updated_at),
            }
        )
        assert aware_utc(got.created_at) and aware_utc(got.updated_at)
        assert got.codebook_version
        assert isinstance(got.highlight, bool)
    masks = api.get_event(any_db, "ev-masks")
    assert masks.created_at == datetime(2020, 3, 14, 1, 30, tzinfo=UTC)  # +08:00 stored as UTC
    assert api.get_event(any_db, "ev-tanks").confidence == 0.30000000000000004


def test_create_is_audited(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana", reason="import")
    (entry,) = api.event_history(any_db, "ev-one")
    assert (entry.action, entry.user, entry.reason, entry.before) == ("create", "ana", "import", None)
    assert entry.at == CLOCK and aware_utc(entry.at)
    assert entry.after is not None and entry.after["id"] == "ev-one"


def test_edit_delete_restore_are_audited(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one", tags=["a"])], user="ana")
    edited = api.edit_event(
        any_db, "ev-one", {"headline": "A better headline", "tags": ["b", "c"]}, user="bo", expected_version=1
    )
    assert edited.version == 2
    got = api.get_event(any_db, "ev-one")
    assert (got.headline, got.tags, got.version) == ("A better headline", ["b", "c"], 2)

    api.delete_event(any_db, "ev-one", user="cy", reason="duplicate")
    assert api.find_events(any_db, EventFilter()) == []
    assert [e.id for e in api.find_events(any_db, EventFilter(include_deleted=True))] == ["ev-one"]
    with pytest.raises(Conflict):
        api.delete_event(any_db, "ev-one", user="cy")
    api.restore_event(any_db, "ev-one", user="di", reason="not a duplicate")
    assert [e.id for e in api.find_events(any_db, EventFilter())] == ["ev-one"]
    with pytest.raises(Conflict):
        api.restore_event(any_db, "ev-one", user="di")

    history = api.event_history(any_db, "ev-one")
    actions = [(h.action, h.user) for h in history]
    assert actions == [("create", "ana"), ("edit", "bo"), ("delete", "cy"), ("restore", "di")]
    edit = history[1]
    assert edit.before is not None and edit.after is not None
    assert (edit.before["headline"], edit.after["headline"]) == ("Headline of ev-one", "A better headline")
    assert (edit.before["tags"], edit.after["tags"]) == (["a"], ["b", "c"])
    assert (edit.before["version"], edit.after["version"]) == (1, 2)
    assert history[2].reason == "duplicate" and history[3].reason == "not a duplicate"
    assert all(aware_utc(h.at) for h in history)
    assert api.get_event(any_db, "ev-one").version == 4


def test_stale_version_is_a_conflict_and_changes_nothing(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    api.edit_event(any_db, "ev-one", {"significance": 5}, user="ana", expected_version=1)
    with pytest.raises(Conflict, match="version 2"):
        api.edit_event(any_db, "ev-one", {"significance": 1}, user="bo", expected_version=1)
    got = api.get_event(any_db, "ev-one")
    assert (got.significance, got.version) == (5, 2)
    assert len(api.event_history(any_db, "ev-one")) == 2


def test_duplicate_id_is_a_conflict_and_writes_nothing(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    before = {t.name: _count(any_db, t) for t in (events, audit_log, *CHILD_TABLES)}
    batch = [make_event("ev-two", countries=["PAK"]), make_event("ev-one"), make_event("ev-three")]
    with pytest.raises(Conflict, match="ev-one"):
        api.add_events(any_db, batch, user="ana")
    assert {t.name: _count(any_db, t) for t in (events, audit_log, *CHILD_TABLES)} == before


def test_a_conflict_in_a_later_batch_rolls_back_the_earlier_ones(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-last")], user="ana")
    many = [make_event(f"ev-{i:05d}") for i in range(api.BATCH + 10)] + [make_event("ev-last")]
    with pytest.raises(Conflict):
        api.add_events(any_db, many, user="ana")
    assert _count(any_db, events) == 1
    assert _count(any_db, audit_log) == 1


def test_invalid_edit_and_unknown_ids(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    with pytest.raises(ValidationFailed):
        api.edit_event(any_db, "ev-one", {"category": "no.such"}, user="ana")
    with pytest.raises(ValidationFailed):
        api.edit_event(any_db, "ev-one", {"version": 9}, user="ana")
    with pytest.raises(NotFound):
        api.edit_event(any_db, "ev-none", {"significance": 1}, user="ana")
    with pytest.raises(NotFound):
        api.delete_event(any_db, "ev-none", user="ana")
    with pytest.raises(NotFound):
        api.get_event(any_db, "ev-none")
    assert api.get_event(any_db, "ev-one").version == 1


def test_booleans_and_statuses_filter_alike(any_db: Database) -> None:
    api.add_events(any_db, sample_events(), user="ana")
    flagged = api.find_events(any_db, EventFilter(highlight=True), sort="id")
    assert [e.id for e in flagged] == ["ev-masks", "ev-tanks"]
    unflagged = api.find_events(any_db, EventFilter(highlight=False), sort="id", limit=None)
    assert all(e.highlight is False for e in unflagged) and len(unflagged) == 5
    candidates = api.find_events(any_db, EventFilter(statuses=[Status.candidate, Status.rejected]), sort="id")
    assert [e.id for e in candidates] == ["ev-tanks", "ev-undated"]
