"""Review decisions in the store, on SQLite and PostgreSQL: audited, locked, revertible."""

from __future__ import annotations

import pytest

from sectracker.errors import Conflict, NotFound, ValidationFailed
from sectracker.models import EventFilter, Status
from sectracker.store import Database, api, review
from tests.web.seed import seed


@pytest.fixture
def store(any_db: Database) -> Database:
    seed(any_db)
    return any_db


def test_queue_puts_the_neediest_candidates_first(store: Database) -> None:
    items = review.review_queue(store)
    assert [i.event.id for i in items] == ["cand-undated", "cand-pak-dup", "cand-cambodia-video"]
    undated, dup, video = items
    assert {"low confidence", "no date", "no country", "no source"} <= set(undated.reasons)
    assert dup.reasons == ["possible duplicate"]  # confident, but the same as ev-pak-masks
    assert video.reasons == ["low confidence"]
    assert undated.need > dup.need > video.need
    assert review.count_candidates(store) == 3
    assert review.queue_ids(store) == [i.event.id for i in items]


def test_possible_duplicates_finds_the_verified_twin(store: Database) -> None:
    dup = api.get_event(store, "cand-pak-dup")
    found = review.possible_duplicates(store, dup)
    assert found[0][0].id == "ev-pak-masks" and found[0][1] >= 1.2


def test_accept_and_reject_are_audited_with_optimistic_locking(store: Database) -> None:
    accepted = review.accept(store, "cand-cambodia-video", user="ana", expected_version=1)
    assert accepted.status == Status.verified and accepted.version == 2
    with pytest.raises(Conflict, match="changed by someone else"):
        review.reject(store, "cand-cambodia-video", user="bob", reason="dup", expected_version=1)
    with pytest.raises(ValidationFailed) as err:
        review.reject(store, "cand-undated", user="bob", reason="  ")
    assert err.value.problems[0].field == "reason"
    rejected = review.reject(store, "cand-undated", user="bob", reason="not an event", expected_version=1)
    assert rejected.status == Status.rejected
    last = api.event_history(store, "cand-undated")[-1]
    assert (last.action, last.user, last.reason) == ("reject", "bob", "not an event")
    with pytest.raises(Conflict, match="already verified"):
        review.accept(store, "cand-cambodia-video", user="ana")
    with pytest.raises(NotFound):
        review.accept(store, "no-such-event", user="ana")


def test_merge_moves_sources_and_revert_undoes_both_halves(store: Database) -> None:
    target = review.merge(store, "cand-pak-dup", "ev-pak-masks", user="ana", expected_version=1, target_version=1)
    assert len(target.sources) == 2 and target.sources[1].evidence is not None
    assert api.get_event(store, "cand-pak-dup").status == Status.rejected
    entry = api.event_history(store, "cand-pak-dup")[-1]
    assert (entry.action, entry.reason) == ("merge", "merged into ev-pak-masks")
    assert api.event_history(store, "ev-pak-masks")[-1].action == "merge-in"
    assert entry.id is not None
    review.revert(store, entry.id, user="bob")
    assert api.get_event(store, "cand-pak-dup").status == Status.candidate
    assert len(api.get_event(store, "ev-pak-masks").sources) == 1
    assert [h.action for h in api.event_history(store, "ev-pak-masks")][-1] == "revert"


def test_merge_refuses_itself_and_stale_targets(store: Database) -> None:
    with pytest.raises(ValidationFailed):
        review.merge(store, "cand-pak-dup", "cand-pak-dup", user="ana")
    api.edit_event(store, "ev-pak-masks", {"significance": 5}, user="other")
    with pytest.raises(Conflict):
        review.merge(store, "cand-pak-dup", "ev-pak-masks", user="ana", target_version=1)
    # nothing half-written: the candidate is untouched
    assert api.get_event(store, "cand-pak-dup").version == 1


def test_split_moves_sources_to_a_new_candidate_and_reverts(store: Database) -> None:
    review.merge(store, "cand-cambodia-video", "ev-pak-masks", user="ana")
    original, new = review.split(
        store,
        "ev-pak-masks",
        [{"headline": "PLA video call with Cambodia", "countries": ["KHM"], "source_indexes": [1]}],
        user="ana",
        expected_version=2,
    )
    assert len(original.sources) == 1 and len(new.sources) == 1
    assert new.status == Status.candidate and new.countries == ["KHM"]
    assert api.event_history(store, new.id)[0].reason == "split from ev-pak-masks"
    with pytest.raises(ValidationFailed) as err:
        review.split(store, "ev-pak-masks", [{"source_indexes": [7]}], user="ana")
    assert err.value.problems[0].field == "parts.0.source_indexes"
    split_entry = api.event_history(store, "ev-pak-masks")[-1]
    assert split_entry.id is not None
    review.revert(store, split_entry.id, user="ana")
    assert len(api.get_event(store, "ev-pak-masks").sources) == 2
    assert api.find_events(store, EventFilter(ids=[new.id])) == []  # the split-off event is deleted


def test_revert_refuses_when_the_event_changed_since(store: Database) -> None:
    review.accept(store, "cand-cambodia-video", user="ana")
    accept_entry = api.event_history(store, "cand-cambodia-video")[-1]
    api.edit_event(store, "cand-cambodia-video", {"significance": 1}, user="bob")
    assert accept_entry.id is not None
    with pytest.raises(Conflict, match="revert the later changes first"):
        review.revert(store, accept_entry.id, user="ana")
    edit_entry = api.event_history(store, "cand-cambodia-video")[-1]
    assert edit_entry.id is not None
    review.revert(store, edit_entry.id, user="ana")
    review.revert(store, accept_entry.id, user="ana")
    assert api.get_event(store, "cand-cambodia-video").status == Status.candidate


def test_revert_create_deletes_and_revert_delete_restores(store: Database) -> None:
    created = api.event_history(store, "ev-un-budget")[0]
    assert created.id is not None and created.action == "create"
    review.revert(store, created.id, user="ana")
    assert api.find_events(store, EventFilter(ids=["ev-un-budget"])) == []
    deleted = api.event_history(store, "ev-un-budget")[-1]
    assert deleted.id is not None and deleted.action == "delete"
    review.revert(store, deleted.id, user="ana")
    assert len(api.find_events(store, EventFilter(ids=["ev-un-budget"]))) == 1
    with pytest.raises(NotFound):
        review.revert(store, 10**9, user="ana")


def test_split_refuses_a_source_in_two_parts_and_a_status(store: Database) -> None:
    review.merge(store, "cand-cambodia-video", "ev-pak-masks", user="ana")
    twice = [{"source_indexes": [1]}, {"source_indexes": [1]}]
    with pytest.raises(ValidationFailed) as err:
        review.split(store, "ev-pak-masks", twice, user="ana")
    assert err.value.problems[0].field == "parts.1" and "already move" in err.value.problems[0].message
    with pytest.raises(ValidationFailed) as err:
        review.split(store, "ev-pak-masks", [{"source_indexes": [1], "status": "verified"}], user="ana")
    assert err.value.problems[0].field == "parts.0.status"
    assert len(api.get_event(store, "ev-pak-masks").sources) == 2  # nothing moved


def test_deleted_events_are_neither_reviewed_nor_reverted_until_restored(store: Database) -> None:
    api.edit_event(store, "cand-pak-dup", {"significance": 1}, user="bob")
    edit_entry = api.event_history(store, "cand-pak-dup")[-1]
    assert edit_entry.id is not None
    api.delete_event(store, "cand-pak-dup", user="admin")
    with pytest.raises(Conflict, match="restore it first"):
        review.revert(store, edit_entry.id, user="ana")
    with pytest.raises(NotFound, match="deleted"):
        review.queue_item(store, "cand-pak-dup")
    api.restore_event(store, "cand-pak-dup", user="admin")
    review.revert(store, edit_entry.id, user="ana")
    assert api.get_event(store, "cand-pak-dup").significance != 1


def test_an_edit_must_change_something(store: Database) -> None:
    with pytest.raises(ValidationFailed) as err:
        api.edit_event(store, "ev-un-budget", {}, user="bob")
    assert err.value.problems[0].field == "changes"
    assert [h.action for h in api.event_history(store, "ev-un-budget")] == ["create"]
