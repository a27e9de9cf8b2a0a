"""The full-text index: what text of an event is indexed, and rebuilding the index from the tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, select

from sectracker.store import dialect
from sectracker.store.schema import events, sources


def sources_text(titles_publishers: Iterable[tuple[str, str | None]]) -> str:
    """The indexed text of an event's sources: each title followed by its publisher."""
    return " ".join(title + (" " + publisher if publisher else "") for title, publisher in titles_publishers)


def rebuild_search_index(conn: Connection, batch_size: int = 2000) -> int:
    """Index every stored event again from the events and sources tables; returns the count."""
    dialect.clear_search_index(conn)
    total = 0
    last = ""
    while True:
        rows = list(
            conn.execute(
                select(events.c.id, events.c.headline, events.c.summary)
                .where(events.c.id > last)
                .order_by(events.c.id)
                .limit(batch_size)
            )
        )
        if not rows:
            return total
        ids = [r.id for r in rows]
        titles: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
        stmt = (
            select(sources.c.event_id, sources.c.title, sources.c.publisher)
            .where(sources.c.event_id.in_(ids))
            .order_by(sources.c.event_id, sources.c.position)
        )
        for s in conn.execute(stmt):
            titles[s.event_id].append((s.title, s.publisher))
        search_rows = [(r.id, r.headline, r.summary, sources_text(titles[r.id])) for r in rows]
        dialect.write_search_values(conn, search_rows, new=True)
        total += len(rows)
        last = ids[-1]
