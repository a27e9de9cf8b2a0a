"""The shortcuts of a large import give what the general path gives: same errors, nothing half-stored."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sectracker.errors import Conflict
from sectracker.store import Database, api
from sectracker.store.schema import CHILD_TABLES, audit_log, events
from tests.store.sample import make_event


def _counts(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (events, audit_log, *CHILD_TABLES)
        }


def _import_with_a_repeated_id(db: Database) -> str:
    """Import five events whose last repeats the second, in batches of two; the Conflict's message."""
    batch = [make_event(f"ev-{n}", countries=["PAK"]) for n in range(4)] + [make_event("ev-1")]
    with pytest.raises(Conflict) as caught:
        api.add_events(db, batch, user="ana")
    return str(caught.value)


def test_an_id_repeated_in_a_later_batch_into_an_empty_store_is_a_conflict_and_stores_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api, "BATCH", 2)
    into_empty = _import_with_a_repeated_id(db)
    assert into_empty == "event id(s) already stored: ev-1"
    assert set(_counts(db).values()) == {0}
    # A store that holds an event looks the ids up instead, and says the same.
    api.add_events(db, [make_event("ev-other")], user="ana")
    before = _counts(db)
    assert _import_with_a_repeated_id(db) == into_empty
    assert _counts(db) == before


@pytest.mark.parametrize("stored", [False, True], ids=["into an empty store", "into a store with events"])
def test_an_id_repeated_within_one_batch_is_a_conflict_and_stores_nothing(db: Database, stored: bool) -> None:
    if stored:
        api.add_events(db, [make_event("ev-other")], user="ana")
    before = _counts(db)
    with pytest.raises(Conflict, match="given more than once: ev-one$"):
        api.add_events(db, [make_event("ev-one"), make_event("ev-two"), make_event("ev-one")], user="ana")
    assert _counts(db) == before


def test_a_deleted_event_keeps_its_id_from_a_later_import(db: Database) -> None:
    api.add_events(db, [make_event("ev-one")], user="ana")
    api.delete_event(db, "ev-one", user="ana")
    before = _counts(db)
    with pytest.raises(Conflict, match="already stored: ev-one"):
        api.add_events(db, [make_event("ev-two"), make_event("ev-one")], user="ana")
    assert _counts(db) == before
