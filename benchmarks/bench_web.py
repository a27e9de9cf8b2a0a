"""Web benchmark (issue 5): a real `sectracker serve` over loopback at 1M events, and Datasette on the same file.

    .venv/bin/python -m benchmarks.bench_web [--requests N] [--compare N]

Starts `sectracker serve --workers 2` (uvicorn, one process per core) on the 1M-event SQLite database
of bench_store.big_db() and sends N requests (default 10,000) from 20 concurrent clients (httpx,
asyncio), mixed evenly over:
the events page (HTML) and the events API, each with two facets and a text query; an event page; a
country profile page; the counts API. The clients authenticate with an API token of a viewer account
(created in the database), so every status is visible and the status facet is shown. Then the
same mix arrives at fixed rates (open loop, RATES), for the latency a site with that traffic sees.

Then the same facet request (counts by category and status, with a category and date-range filter,
a page of 50 rows) goes to our events API and to Datasette serving the same file, at the same
concurrency, and the latencies are compared. Every query has its own date range, so neither side
answers from a cache of earlier identical queries. Request loops are bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx

from benchmarks import synthetic
from benchmarks.bench_store import big_db
from benchmarks.results import Result, median, percentile, write_section
from sectracker import accounts
from sectracker.codebook import load_codebook
from sectracker.errors import Conflict
from sectracker.settings import load_settings
from sectracker.store.db import Database

CLIENTS = 20
REQUESTS = 10_000
COMPARE = 1_000
# Open-loop phases: the same mix arriving at a fixed rate (what a site with that traffic sees).
RATES = (10.0, 20.0)
PACED_REQUESTS = 600
TIME_LIMIT_S = 600.0  # per load phase
TIMEOUT_S = 30.0
WORKERS = 2  # server processes: one per core of this machine
BENCH_USER = "bench-web"
COUNTRIES = ["PAK", "NGA", "THA", "USA", "JPN", "VNM", "PHL", "KHM", "IND", "RUS"]


@dataclass
class Tally:
    """Latencies (ms) and errors per endpoint kind."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    unsent: int = 0


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api_token(db: Database) -> str:
    """A fresh API token of a viewer account made for the benchmark (earlier tokens revoked)."""
    try:
        accounts.add_user(db, BENCH_USER, os.urandom(16).hex(), "viewer")
    except Conflict:
        accounts.revoke_tokens(db, BENCH_USER)  # the account exists from an earlier run
    return accounts.issue_token(db, BENCH_USER, label="bench_web")


@contextmanager
def server(cmd: list[str], port: int, probe: str) -> Iterator[str]:
    """Run a server process on a loopback port until the block ends; yields its base URL."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[0]} exited: {proc.stderr.read() if proc.stderr else ''}")
            try:
                if httpx.get(base + probe, timeout=5).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{cmd[0]} did not answer within 120 s")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sectracker_cmd(db_path: Path, port: int, workers: int) -> list[str]:
    exe = Path(sys.executable).parent / "sectracker"
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--private", "--workers", str(workers)]
    return [str(exe), "--db", str(db_path), *serve]


def datasette_cmd(db_path: Path, port: int) -> list[str]:
    exe = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    # Limits raised so that facets over 1M rows are computed rather than abandoned; no facet
    # suggestions, so both servers do the same work: one page, the total and two facet counts.
    settings = ["facet_time_limit_ms", "20000", "sql_time_limit_ms", "20000", "suggest_facets", "off"]
    flags = [x for i in range(0, len(settings), 2) for x in ("--setting", settings[i], settings[i + 1])]
    return [exe, "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port), *flags]


def event_ids(db_path: Path, rng: random.Random, n: int) -> list[str]:
    """Ids of n existing, not deleted events (sampled by number from the synthetic ids)."""
    wanted = [f"syn-{rng.randrange(1_000_000):07d}" for _ in range(n)]
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        marks = ",".join("?" * len(wanted))
        rows = conn.execute(f"SELECT id FROM events WHERE deleted_at IS NULL AND id IN ({marks})", wanted)
        found = {r[0] for r in rows}
    return [i for i in wanted if i in found]


def _year_range(rng: random.Random) -> dict[str, str]:
    start = date(2000, 1, 1) + timedelta(days=rng.randrange(24 * 365))
    return {"from": start.isoformat(), "to": (start + timedelta(days=365)).isoformat()}


def mixed_requests(rng: random.Random, n: int, ids: list[str]) -> list[tuple[str, str]]:
    """n (kind, path) pairs, evenly over the five endpoint kinds, in random order."""
    keys = load_codebook().keys
    kinds = ["events page (HTML)", "events API", "event page (HTML)", "country profile (HTML)", "counts API"]
    out = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind in ("events page (HTML)", "events API"):
            params = [("category", rng.choice(keys)), ("country", rng.choice(COUNTRIES))]
            params += [("q", rng.choice(synthetic.WORDS)), ("facet", "category"), ("facet", "status")]
            path = ("/events?" if kind.startswith("events page") else "/api/v1/events?") + urlencode(params)
        elif kind == "event page (HTML)":
            path = f"/events/{rng.choice(ids)}"
        elif kind == "country profile (HTML)":
            path = f"/countries/{rng.choice(COUNTRIES)}"
        else:
            params = [("by", rng.choice(("category", "country", "status", "year"))), *_year_range(rng).items()]
            if rng.random() < 0.5:
                params.append(("category", rng.choice(keys)))
            path = "/api/v1/counts?" + urlencode(params)
        out.append((kind, path))
    rng.shuffle(out)
    return out


def facet_requests(rng: random.Random, n: int, datasette: bool) -> list[tuple[str, str]]:
    """The same facet query for both servers: category and status counts under a category and a year range."""
    keys = load_codebook().keys
    out = []
    for _ in range(n):
        category, span = rng.choice(keys), _year_range(rng)
        if datasette:
            params = [("category", category), ("date_start__gte", span["from"]), ("date_start__lte", span["to"])]
            params += [("_facet", "category"), ("_facet", "status"), ("_size", "50"), ("_sort_desc", "date_start")]
            out.append(("facets (Datasette)", "/big/events.json?" + urlencode(params)))
        else:
            params = [("category", category), *span.items(), ("facet", "category"), ("facet", "status")]
            out.append(("facets (sectracker)", "/api/v1/events?" + urlencode(params + [("limit", "50")])))
    return out


async def _drive(base: str, work: list[tuple[str, str]], headers: dict[str, str], tally: Tally, clients: int) -> None:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in work:
        queue.put_nowait(item)
    deadline = time.monotonic() + TIME_LIMIT_S
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=TIMEOUT_S, limits=limits) as client:

        async def one_client() -> None:
            while not queue.empty() and time.monotonic() < deadline:
                kind, path = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    response = await client.get(path)
                    ok, what = response.status_code == 200, f"HTTP {response.status_code}"
                    if ok and "datasette" in kind.lower() and response.json().get("facets_timed_out"):
                        ok, what = False, "facet timed out"
                except httpx.HTTPError as exc:
                    ok, what = False, type(exc).__name__
                tally.samples.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
                if not ok:
                    tally.errors[kind] = tally.errors.get(kind, 0) + 1
                    if len(tally.examples) < 3:
                        tally.examples.append(f"{what} {path}")

        t0 = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(clients)))
        tally.wall_s = time.perf_counter() - t0
    tally.unsent = queue.qsize()


def run_load(base: str, work: list[tuple[str, str]], headers: dict[str, str], clients: int = CLIENTS) -> Tally:
    """Send `work` from `clients` concurrent clients (bounded by TIME_LIMIT_S); latencies and errors."""
    tally = Tally()
    asyncio.run(_drive(base, work, headers, tally, clients))
    return tally


async def _paced(base: str, work: list[tuple[str, str]], headers: dict[str, str], rate: float, tally: Tally) -> None:
    """Open loop: request i is due at i / rate seconds whatever the answers before it; its latency
    counts from when it was due, so waiting for a free connection counts too."""
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=TIMEOUT_S, limits=limits) as client:
        start = time.perf_counter()

        async def one(i: int, path: str) -> None:
            due = start + i / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            try:
                ok = (await client.get(path)).status_code == 200
            except httpx.HTTPError:
                ok = False
            tally.samples.setdefault("all kinds", []).append((time.perf_counter() - due) * 1000)
            if not ok:
                tally.errors["all kinds"] = tally.errors.get("all kinds", 0) + 1

        await asyncio.gather(*(one(i, path) for i, (_, path) in enumerate(work)))
        tally.wall_s = time.perf_counter() - start


def run_paced(base: str, work: list[tuple[str, str]], headers: dict[str, str], rate: float) -> Tally:
    tally = Tally()
    asyncio.run(_paced(base, work, headers, rate, tally))
    return tally


def summarise(tally: Tally, target: bool, label: str = "") -> list[Result]:
    out = []
    for kind, samples in tally.samples.items():
        p95 = percentile(samples, 95)
        errors = tally.errors.get(kind, 0)
        note = f"{len(samples):,} requests, {errors} errors"
        out.append(Result(f"{kind}{label}: p50", median(samples), "ms", "", None, note))
        met = (p95 <= 100 and errors == 0) if target else None
        out.append(Result(f"{kind}{label}: p95", p95, "ms", "p95 <= 100 ms, no errors" if target else "", met, note))
    return out


def compare_facets(base: str, headers: dict[str, str], compare: int, datasette: bool) -> tuple[Tally, Tally]:
    """The facet query from one client (50 requests), then at CLIENTS concurrency, on a fresh server.

    One client goes first: requests that time out under load leave work behind on the server.
    """
    run_load(base, facet_requests(random.Random(2), 10, datasette), headers, clients=1)  # warm-up, not counted
    alone = run_load(base, facet_requests(random.Random(10), 50, datasette), headers, clients=1)
    loaded = run_load(base, facet_requests(random.Random(9), compare, datasette), headers)
    return loaded, alone


def main(requests: int = REQUESTS, compare: int = COMPARE, workers: int = WORKERS) -> None:
    db = big_db()
    db_path = Path(db.engine.url.database or "")
    headers = {"Authorization": f"Bearer {api_token(db)}"}
    db.engine.dispose()
    rng = random.Random(5)
    ids = event_ids(db_path, rng, 2_000)
    # A fresh server per phase: work left behind by timed-out requests must not slow the next phase.
    port = free_port()
    with server(sectracker_cmd(db_path, port, workers), port, "/api/v1/codebook") as base:
        run_load(base, mixed_requests(random.Random(1), 100, ids), headers)  # warm-up, not counted
        load_before = os.getloadavg()[0]
        mixed = run_load(base, mixed_requests(rng, requests, ids), headers)
        paced = [(rate, run_paced(base, mixed_requests(rng, PACED_REQUESTS, ids), headers, rate)) for rate in RATES]
    port = free_port()
    with server(sectracker_cmd(db_path, port, workers), port, "/api/v1/codebook") as base:
        ours = compare_facets(base, headers, compare, datasette=False)
    port = free_port()
    with server(datasette_cmd(db_path, port), port, "/-/versions.json") as base:
        ds = compare_facets(base, {}, compare, datasette=True)
    results = report(mixed, ours, ds, requests)
    for rate, tally in paced:
        results += summarise(tally, target=False, label=f", paced at {rate:g} requests/s")
    for r in results:
        print(f"{r.name}: {r.value:,.1f} {r.unit} (target {r.target or '-'}) {r.note}")
    text = notes(mixed, ours, ds, requests, compare, load_before, workers)
    write_section("Web server (1M events)", results, text)


def report(mixed: Tally, ours: tuple[Tally, Tally], ds: tuple[Tally, Tally], requests: int) -> list[Result]:
    results = summarise(mixed, target=True)
    answered = sum(len(s) for s in mixed.samples.values())
    errors = sum(mixed.errors.values())
    results.append(Result("mixed load: requests sent", answered, "requests", f"{requests:,}", answered == requests))
    results.append(Result("mixed load: errors", errors, "errors", "0", errors == 0))
    for loaded, alone in (ours, ds):
        results += summarise(loaded, target=False, label=f", {CLIENTS} clients")
        results += summarise(alone, target=False, label=", 1 client")
    for i, label in ((0, f"{CLIENTS} clients"), (1, "1 client")):
        mine, theirs = _ok(ours[i]), _ok(ds[i])
        if mine and theirs:
            for name, fn in (("p50", median), ("p95", lambda x: percentile(x, 95))):
                ratio = fn(mine) / fn(theirs)
                results.append(Result(f"facet latency sectracker / Datasette, {label}, {name}", ratio, "x", "", None))
    return results


def _ok(tally: Tally) -> list[float]:
    """Latencies of a one-kind tally, or nothing when any request failed (a ratio would mislead)."""
    samples = next(iter(tally.samples.values()), [])
    return samples if samples and not tally.errors else []


def notes(
    mixed: Tally,
    ours: tuple[Tally, Tally],
    ds: tuple[Tally, Tally],
    requests: int,
    compare: int,
    load_before: float,
    workers: int,
) -> str:
    sent = sum(len(s) for s in mixed.samples.values())
    text = (
        f"`sectracker serve --workers {workers}` (uvicorn, {workers} process(es) of {load_settings().web_threads} "
        f"threads) on the 1M-event SQLite file, "
        f"{CLIENTS} concurrent httpx clients on the same 2-core machine, 30 s client timeout (a timeout counts as "
        f"an error); {sent:,} of {requests:,} requests sent in {mixed.wall_s:.0f} s (each load phase stops "
        f"after {TIME_LIMIT_S:.0f} s), after 100 "
        f"warm-up requests. Events page and API: a category, a country and a one-word text query (one of the "
        f"security terms of benchmarks/synthetic.py, each in 0.1% to 14% of events), facets category and status. "
        f"Counts API: by category, country, status or year over a random year-long range, half of them with "
        f"a category. Then the same mix paced (open loop) at "
        f"{' and '.join(f'{r:g}' for r in RATES)} requests/s, {PACED_REQUESTS} requests each, latency counted from "
        f"when each request was due.\n\n"
        f"Facet comparison, each server started afresh: Datasette {_datasette_version()} `/big/events.json` with "
        f"`_facet=category&_facet=status`, a category, `date_start` within a random year and `_size=50` (facet and SQL "
        f"time limits raised to 20 s so that no facet is abandoned, facet suggestions off), against our "
        f"`/api/v1/events` with the same category and year, `facet=category&facet=status`, `limit=50`. Not the same "
        f"work: our facets count each facet without its own filter (the category facet counts every category) and "
        f"our date filter is an overlap (`date_end >= from and date_start <= to`). 50 requests from one client, "
        f"then {compare:,} at {CLIENTS} clients. Load average before the run: {load_before:.1f}; after: "
        f"{os.getloadavg()[0]:.1f}."
    )
    examples = mixed.examples + ours[0].examples + ds[0].examples
    return text + ("\n\nFirst errors: " + "; ".join(examples) if examples else "")


def _datasette_version() -> str:
    from importlib.metadata import version

    return version("datasette")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--compare", type=int, default=COMPARE)
    parser.add_argument("--workers", type=int, default=WORKERS, help="sectracker serve processes")
    args = parser.parse_args()
    main(args.requests, args.compare, args.workers)
