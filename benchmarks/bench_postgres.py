"""PostgreSQL benchmark (issue 6): load 1M events, list and search latency, 20 concurrent reviewing writers.

    .venv/bin/python -m benchmarks.bench_postgres [--events N] [--writers-seconds S] [--copy]

Runs on a throwaway PostgreSQL cluster (tests/pg_cluster.py: initdb into a temporary folder as the
`postgres` user, a free loopback port, stopped and deleted at the end). The events are loaded through
`sectracker.store.api.add_events` in batches of 50,000; `--copy` also times `copy_database` (what
`sectracker db copy` runs) from the SQLite 1M database of bench_store.big_db() into a second database.

Writers: 20 threads, each with its own engine, repeatedly read one of a few hot events and write
back its summary's counter plus one (`counter=K` -> `counter=K+1`) with `expected_version`, for a
minute. Stale versions must give Conflict (HTTP 409 in the API); afterwards every hot event must
show as many increments as successful edits, version 1 + successes, one audit entry per success,
and no counter value written twice (a lost update would write one twice).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from benchmarks import synthetic
from benchmarks.bench_store import BIG, big_db, random_filters, time_queries
from benchmarks.results import Result, median, percentile, write_section
from sectracker.errors import Conflict
from sectracker.settings import Settings
from sectracker.store import api, open_database
from sectracker.store.copy import copy_database
from sectracker.store.db import Database
from tests.pg_cluster import FAST_OPTIONS, PgCluster, find_bin_dir

CHUNK = 50_000
WRITERS = 20
HOT = 5
SECONDS = 60.0
# The tests' cluster options (no fsync: a throwaway server) with the memory settings that
# docs/deployment.md recommends for a tracker of this size.
MEMORY_OPTIONS = "-c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB"
SERVER_OPTIONS = FAST_OPTIONS.replace("-c shared_buffers=32MB", MEMORY_OPTIONS) + " -c max_connections=100"
_COUNTER = re.compile(r"counter=(\d+)")


class BenchCluster(PgCluster):
    """The tests' throwaway cluster, started with SERVER_OPTIONS."""

    def _start_server(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {SERVER_OPTIONS}"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")


def load_events(db: Database, n: int) -> float:
    """Insert n synthetic events through add_events in batches; returns seconds (ANALYZE not included)."""
    t0 = time.perf_counter()
    chunk = []
    for event in synthetic.events(n):
        chunk.append(event)
        if len(chunk) == CHUNK:
            api.add_events(db, chunk, user="bench")
            chunk = []
    if chunk:
        api.add_events(db, chunk, user="bench")
    return time.perf_counter() - t0


def analyze(db: Database) -> float:
    t0 = time.perf_counter()
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return time.perf_counter() - t0


def bench_queries(db: Database) -> list[Result]:
    rng = random.Random(11)  # the same query mix as the SQLite benchmark (bench_store)
    out = []
    for label, with_text in (("filtered list", False), ("full-text search with filters", True)):
        filters = random_filters(rng, 300, with_text)
        time_queries(db, filters[:20])  # warm the buffers for this kind of query
        samples = time_queries(db, filters)
        p95 = percentile(samples, 95)
        out.append(Result(f"{label}, page of 50: median", median(samples), "ms", "", None))
        out.append(Result(f"{label}, page of 50: p95", p95, "ms", "p95 <= 50 ms", p95 <= 50))
    return out


@dataclass
class WriterTally:
    written: list[tuple[str, int]] = field(default_factory=list)  # (event id, counter value) per success
    conflicts: int = 0
    others: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def counter_of(summary: str) -> int:
    m = _COUNTER.search(summary)
    return int(m.group(1)) if m else 0


def writer(url: str, hot: list[str], seed: int, stop: float, tally: WriterTally) -> None:
    db = open_database(Settings(db=url, user=f"writer{seed}"))
    rng = random.Random(seed)
    try:
        while time.monotonic() < stop:
            event_id = rng.choice(hot)
            t0 = time.perf_counter()
            try:
                event = api.get_event(db, event_id)
                value = counter_of(event.summary) + 1
                changes = {"summary": f"counter={value}"}
                api.edit_event(db, event_id, changes, user=f"writer{seed}", expected_version=event.version)
                outcome = ("ok", value)
            except Conflict:
                outcome = ("conflict", 0)
            except Exception as exc:  # counted and reported: the target is no error other than Conflict
                outcome = (type(exc).__name__, 0)
            with tally.lock:
                tally.latencies.append((time.perf_counter() - t0) * 1000)
                if outcome[0] == "ok":
                    tally.written.append((event_id, outcome[1]))
                elif outcome[0] == "conflict":
                    tally.conflicts += 1
                else:
                    tally.others[outcome[0]] += 1
    finally:
        db.close()


def bench_writers(db: Database, url: str, seconds: float) -> tuple[list[Result], str]:
    hot = [f"syn-{i:07d}" for i in range(HOT)]
    start_versions = {e: api.get_event(db, e).version for e in hot}
    start_counters = {e: counter_of(api.get_event(db, e).summary) for e in hot}
    tally = WriterTally()
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=writer, args=(url, hot, i, stop, tally)) for i in range(WRITERS)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    lost, problems = 0, []
    per_event = Counter(e for e, _ in tally.written)
    for e in hot:
        final = api.get_event(db, e)
        n = per_event[e]
        values = sorted(v for x, v in tally.written if x == e)
        audits = sum(1 for h in api.event_history(db, e) if h.action == "edit")
        expected_values = list(range(start_counters[e] + 1, start_counters[e] + n + 1))
        lost += len(values) - len(set(values))
        if values != expected_values or counter_of(final.summary) != start_counters[e] + n:
            problems.append(f"{e}: counter {counter_of(final.summary)} after {n} successful edits")
        if final.version != start_versions[e] + n:
            problems.append(f"{e}: version {final.version}, expected {start_versions[e] + n}")
        if audits != n + (start_versions[e] - 1):
            problems.append(f"{e}: {audits} audit entries for {n} edits")
    ok, others = len(tally.written), sum(tally.others.values())
    results = [
        Result(f"{WRITERS} writers on {HOT} hot events for {elapsed:.0f} s: successful edits", ok, "edits", "", None),
        Result("  conflicts (stale version, clean 409)", tally.conflicts, "conflicts", "", None),
        Result("  other errors", others, "errors", "0", others == 0),
        Result("  lost updates (counter value written twice)", lost, "updates", "0", lost == 0),
        Result("  checks failed (counter, version, audit count per event)", len(problems), "events", "0", not problems),
        Result("  edit attempts per second", (ok + tally.conflicts + others) / elapsed, "attempts/s", "", None),
        Result("  read + edit attempt p95", percentile(tally.latencies, 95), "ms", "", None),
    ]
    notes = "Other errors: " + (", ".join(f"{k} x{v}" for k, v in tally.others.items()) or "none") + ". "
    notes += "Failed checks: " + ("; ".join(problems) if problems else "none") + "."
    return results, notes


def bench_copy(cluster: PgCluster) -> Result:
    source = big_db()
    name = cluster.create_database("copy")
    target = open_database(Settings(db=cluster.url(name), user="bench"))
    t0 = time.perf_counter()
    checks = copy_database(source, target)
    elapsed = time.perf_counter() - t0
    target.close()
    cluster.drop_database(name)
    verified = all(c.ok for c in checks)
    rate = BIG / elapsed
    return Result(
        f"copy_database SQLite -> PostgreSQL, {BIG:,} events (verified: {verified})",
        rate,
        "events/s",
        "",
        None,
        f"{elapsed:.0f} s",
    )


def main(n: int = BIG, seconds: float = SECONDS, with_copy: bool = False) -> None:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    cluster = BenchCluster(bin_dir)
    try:
        cluster.start()
        url = cluster.url(cluster.create_database("bench"))
        db = open_database(Settings(db=url, user="bench"))
        db.migrate()
        load_s = load_events(db, n)
        analyze_s = analyze(db)
        results = [
            Result(
                f"load {n:,} events through add_events (batches of {CHUNK:,})",
                n / load_s,
                "events/s",
                "",
                None,
                f"{load_s:.0f} s, then VACUUM ANALYZE {analyze_s:.0f} s",
            ),
        ]
        results += bench_queries(db)
        writer_results, writer_notes = bench_writers(db, url, seconds)
        results += writer_results
        db.close()
        if with_copy:
            results.append(bench_copy(cluster))
        version = _server_version(cluster)
    finally:
        cluster.stop()
    for r in results:
        print(f"{r.name}: {r.value:,.1f} {r.unit} (target {r.target or '-'}) {r.note}")
    notes = (
        f"PostgreSQL {version} started by the benchmark (tests/pg_cluster.py) with `{SERVER_OPTIONS}`; "
        f"client and server on the same 2-core machine, over loopback TCP. Synthetic events "
        f"(benchmarks/synthetic.py); queries: the same random mix as the SQLite benchmark (category, country, "
        f"status, year, one or two words), 300 of each kind, full records of a page of 50. {writer_notes} "
        f"Load average at the end: {os.getloadavg()[0]:.1f}."
    )
    write_section("Event store (PostgreSQL)", results, notes)


def _server_version(cluster: PgCluster) -> str:
    with cluster._admin() as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "?"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=BIG)
    parser.add_argument("--writers-seconds", type=float, default=SECONDS)
    parser.add_argument("--copy", action="store_true", help="also time copy_database from the SQLite 1M database")
    args = parser.parse_args()
    main(args.events, args.writers_seconds, args.copy)
