"""Store benchmarks (issue 2): import speed, filtered list and search latency at 1M events."""

from __future__ import annotations

import os
import random
import time
from datetime import date
from pathlib import Path

from benchmarks import synthetic
from benchmarks.results import Result, median, percentile, write_section
from sectracker.codebook import load_codebook
from sectracker.exchange.readers import read_events
from sectracker.exchange.writers import to_jsonl
from sectracker.models import EventFilter, Status
from sectracker.settings import Settings
from sectracker.store import api, open_database
from sectracker.store.db import Database

WORK = Path(__file__).resolve().parent / ".work"
BIG = 1_000_000


def fresh_db(path: Path) -> Database:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    db = open_database(Settings(db=str(path), user="bench"))
    db.migrate()
    return db


def bench_import(n: int = 100_000) -> Result:
    """Read, validate and store n events from a JSON Lines file, as `sectracker import` does."""
    WORK.mkdir(exist_ok=True)
    src = WORK / "import.jsonl"
    src.write_text(to_jsonl(list(synthetic.events(n, prefix="imp"))), encoding="utf-8")
    db = fresh_db(WORK / "import.sqlite")
    t0 = time.perf_counter()
    batch = read_events(src)
    api.add_events(db, batch, user="bench")
    elapsed = time.perf_counter() - t0
    rate = n / elapsed
    return Result(
        f"import {n:,} events from JSONL (validate + store)", rate, "events/s", ">= 20,000 events/s", rate >= 20_000
    )


def big_db() -> Database:
    """A 1M-event SQLite database, built once and kept in benchmarks/.work."""
    path = WORK / "big.sqlite"
    if path.exists():
        db = open_database(Settings(db=str(path), user="bench"))
        if api.count_events(db, EventFilter()) == BIG:
            return db
    db = fresh_db(path)
    chunk: list = []
    for e in synthetic.events(BIG):
        chunk.append(e)
        if len(chunk) == 50_000:
            api.add_events(db, chunk, user="bench")
            chunk = []
    if chunk:
        api.add_events(db, chunk, user="bench")
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return db


def random_filters(rng: random.Random, n: int, with_text: bool) -> list[EventFilter]:
    keys = load_codebook().keys
    countries = ["PAK", "NGA", "THA", "USA", "JPN", "VNM", "PHL", "KHM", "IND", "RUS"]
    words = synthetic.WORDS
    out = []
    for _ in range(n):
        year = rng.randrange(2000, 2025)
        out.append(
            EventFilter(
                categories=[rng.choice(keys)] if rng.random() < 0.7 else [],
                countries=[rng.choice(countries)] if rng.random() < 0.6 else [],
                statuses=[Status.verified] if rng.random() < 0.5 else [],
                date_from=date(year, 1, 1),
                date_to=date(year, 12, 31) if rng.random() < 0.8 else None,
                text=" ".join(rng.sample(words, rng.choice((1, 2)))) if with_text else None,
            )
        )
    return out


def time_queries(db: Database, filters: list[EventFilter]) -> list[float]:
    samples = []
    for f in filters:
        t0 = time.perf_counter()
        api.find_events(db, f, limit=50)
        samples.append((time.perf_counter() - t0) * 1000)
    return samples


def bench_queries() -> list[Result]:
    db = big_db()
    rng = random.Random(11)
    out = []
    # The import before leaves ~300 MB for the OS to write back: let it finish, so that the
    # queries are timed on their own; then 30 queries of each kind, not counted, warm the caches.
    os.sync()
    for with_text in (False, True):
        time_queries(db, random_filters(random.Random(3), 30, with_text))
    for label, with_text in (("filtered list", False), ("full-text search with filters", True)):
        samples = time_queries(db, random_filters(rng, 300, with_text))
        p95 = percentile(samples, 95)
        out.append(Result(f"{label}, 1M events, page of 50: median", median(samples), "ms", "", None))
        out.append(Result(f"{label}, 1M events, page of 50: p95", p95, "ms", "p95 <= 50 ms", p95 <= 50))
    return out


def main() -> None:
    results = [bench_import()] + bench_queries()
    for r in results:
        print(f"{r.name}: {r.value:,.1f} {r.unit} (target {r.target or '-'})")
    write_section(
        "Event store (SQLite)",
        results,
        "Synthetic events (benchmarks/synthetic.py); queries draw random category, country, status, year and "
        "one or two of the security terms of the synthetic vocabulary. Each query loads the full records of "
        "its page of 50. The queries start once the import's writes are on disk (os.sync), after 30 queries "
        "of each kind that are not counted (until 2026-11-29 07:50 they followed the import at once; one "
        "such run gave list p95 39 ms and search p95 59 ms against 15 and 40 ms in the run before it, "
        "probably because the OS was still writing the import's pages back). Summaries, headlines and "
        "source titles draw words from "
        "a 20,000-word vocabulary by a Zipf law, so a query word occurs in 0.1% to 14% of events, as "
        "topical words do in a news archive "
        "(until 2026-11-28 the text drew from 40 words, each in half of all events, and search p95 was 597 "
        "ms). Import: one JSON Lines file, every row validated, then one transaction writing the events, "
        "their links, sources, the search index and one audit entry each; on SQLite an import at least as "
        "large as the store drops the plain indexes of the event tables and makes them again at the end by "
        "sorting (from the DDL stored in the database), and lets the search index and the page cache hold the "
        "new data in memory until then. Profiled after that change (100,000 events): reading and validating "
        "1.8 s of CPU, full-text inserts 1.3-1.6 s, other inserts 1.6 s, index rebuild 1.1-1.4 s, commit "
        "0.8-1.3 s (about 0.9 s of it the automatic WAL checkpoint that copies the new pages into the "
        "database file), Python row and JSON building 2-2.5 s; 20,000 events/s allows 5 s in all. "
        "The figures move with the speed of this shared machine more than with small code changes: on "
        "2026-11-29 the import measured between 9,000 and 12,400 events/s at different hours, and search "
        "p95 between 31 and 47 ms, so compare runs made minutes apart (alternating old and new code) "
        "rather than runs of different days.",
    )


if __name__ == "__main__":
    main()
