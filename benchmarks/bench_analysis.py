"""Analysis and chart benchmarks (issue 4): each analysis on 1,000,000 events, each demo chart.

A plain script: it builds synthetic events directly as the analysis DataFrame (no
database), with invented income, Belt and Road and alignment data for every country,
times each analysis (best of 3 runs, selection parsing and filtering included) and
renders every exhibit of the bundled 2020-H1 focus topic. Run it with
`python -m benchmarks.bench_analysis [N]`; `make bench` runs it too.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np
import polars as pl

from benchmarks.results import Result, write_section
from sectracker.analysis.change import change
from sectracker.analysis.compare import compare
from sectracker.analysis.counts import count_events
from sectracker.analysis.loader import EVENT_SCHEMA
from sectracker.analysis.network import partner_network
from sectracker.analysis.profile import country_profile
from sectracker.analysis.top import top_partners
from sectracker.codebook import load_codebook
from sectracker.countries.groups import Reference, build_reference
from sectracker.countries.income import GROUPS
from sectracker.countries.reference import all_countries
from sectracker.countries.tables import ALIGNMENT_SCHEMA, BRI_SCHEMA, INCOME_SCHEMA

N = 1_000_000
TARGET_S = 1.0
CHART_TARGET_S = 0.5
SEED = 4
AID = "category in (diplomacy.aid_training, diplomacy.exercises_port_calls, projection.humanitarian)"
DRILLS = "category = projection.deployments"


def synthetic_frame(n: int, seed: int = SEED) -> pl.DataFrame:
    """n events over 2015-2024, 1-3 counterpart countries each (70% one), random categories."""
    rng = np.random.default_rng(seed)
    keys = np.array(load_codebook().keys)
    codes = np.array([c for c in all_countries() if c not in ("CHN", "ATA")])
    start = rng.integers(date(2015, 1, 1).toordinal(), date(2024, 12, 31).toordinal(), n)
    span = rng.choice([0, 0, 0, 2, 30, 180], n)
    sizes = rng.choice([0, 1, 1, 1, 1, 1, 1, 2, 2, 3], n)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    flat = codes[rng.integers(0, len(codes), int(offsets[-1]))]
    countries = [sorted(set(flat[offsets[i] : offsets[i + 1]].tolist())) for i in range(n)]
    epoch = date(1970, 1, 1).toordinal()
    frame = pl.DataFrame(
        {
            "eid": np.arange(n, dtype=np.uint32),
            "id": [f"bench-{i:07d}" for i in range(n)],
            "headline": ["synthetic event"] * n,
            "category": keys[rng.integers(0, len(keys), n)],
            "date": (start - epoch).astype("int32"),
            "date_end": (start + span - epoch).astype("int32"),
            "significance": rng.integers(1, 6, n).astype("int8"),
            "highlight": rng.random(n) < 0.05,
            "status": ["verified"] * n,
            "actors": [["pla"] if r < 0.5 else ["plan"] for r in rng.random(n)],
            "tags": [["covid-19"] if r < 0.1 else [] for r in rng.random(n)],
            "countries": countries,
        }
    )
    frame = frame.with_columns(
        pl.col("date").cast(pl.Date),
        pl.col("date_end").cast(pl.Date),
        pl.col("category").str.split(".").list.first().alias("section"),
    )
    return frame.select(list(EVENT_SCHEMA)).cast(EVENT_SCHEMA)  # type: ignore[arg-type]


def synthetic_reference(seed: int = SEED) -> Reference:
    """Invented income groups (FY2014-2026), BRI joins and UN-vote agreement for every country."""
    rng = np.random.default_rng(seed)
    codes = [c for c in all_countries() if c != "CHN"]
    income = [
        {
            "iso3": c,
            "fiscal_year": fy,
            "income_group": GROUPS[int(rng.integers(0, 4))],
            "code_raw": "",
            "source": "synthetic",
        }
        for c in codes
        for fy in range(2014, 2027)
    ]
    bri = [
        {
            "iso3": c,
            "source": "gfdc-synthetic",
            "name_in_source": c,
            "join_date": date.fromordinal(
                int(rng.integers(date(2013, 9, 1).toordinal(), date(2023, 12, 1).toordinal()))
            ),
            "join_year": None,
            "exit_date": None,
            "listed_on": date(2023, 12, 31),
            "file": "synthetic",
        }
        for c in codes
        if rng.random() < 0.6
    ]
    alignment = [
        {"iso3": c, "basis": "year", "period": y, "agreement": float(rng.random()), "votes": 90, "source": "synthetic"}
        for c in codes
        for y in range(2008, 2025)
    ]
    return build_reference(
        pl.DataFrame(income, schema=INCOME_SCHEMA),
        pl.DataFrame(bri, schema=BRI_SCHEMA),
        pl.DataFrame(alignment, schema=ALIGNMENT_SCHEMA),
    )


def best_of(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def analysis_cases(frame: pl.DataFrame, ref: Reference) -> dict[str, Callable[[], Any]]:
    where = "section = diplomacy and date >= 2018-01-01 and group = bri"
    return {
        "counts by category x half": lambda: count_events(frame, None, ["category", "half"], ref),
        "counts by month, selection with a group": lambda: count_events(frame, where, ["month"], ref),
        "counts by region (countries)": lambda: count_events(frame, None, ["region"], ref, unit="countries"),
        "counts by income group": lambda: count_events(frame, None, ["income"], ref),
        "counts by alignment quartile": lambda: count_events(frame, None, ["alignment"], ref),
        "top 10 partners": lambda: top_partners(frame, None, ref, 10),
        "change 2020-H1 vs 2019-H2 by category": lambda: change(frame, None, ref, "2020-H1"),
        "compare by income (countries)": lambda: compare(frame, AID, DRILLS, "income", ref),
        "compare by BRI (events)": lambda: compare(frame, AID, DRILLS, "bri", ref, unit="events"),
        "country profile (PAK, by quarter)": lambda: country_profile(frame, "PAK", ref, "quarter"),
        "partner network (edge list)": lambda: partner_network(frame, None, ref),
    }


def bench_analyses(n: int) -> list[Result]:
    t0 = time.perf_counter()
    frame = synthetic_frame(n)
    ref = synthetic_reference()
    pairs = frame["countries"].list.len().sum()
    print(f"built {n:,} events ({pairs:,} event-country pairs) in {time.perf_counter() - t0:.1f} s")
    results = []
    for name, fn in analysis_cases(frame, ref).items():
        seconds, out = best_of(fn)
        rows = out.table.height if hasattr(out, "table") else out.height
        print(f"  {name}: {seconds:.3f} s ({rows} rows)")
        results.append(Result(f"{name}, {n:,} events", seconds, "s", f"<= {TARGET_S:g} s", seconds <= TARGET_S))
    return results


def shared_reference() -> Reference | None:
    """Income groups and Belt and Road lists from ../shared/data when present (as `make demo` imports them)."""
    from pathlib import Path

    from sectracker.countries.bri import read_bri
    from sectracker.countries.income import read_income

    data = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    if not data.is_dir():
        return None
    income = read_income(data / "wb_income" / "oghist_income_long_fy1989_2026.csv")
    bri = pl.concat(
        [read_bri(data / "bri" / "gfdc_bri_countries_2023-12.csv"), read_bri(data / "bri" / "lpv2026_bri_mou_year.csv")]
    )
    return build_reference(income, bri)


def bench_charts() -> list[Result]:
    """Render every exhibit of the bundled focus topic, as the demo edition does."""
    import re

    from sectracker.exchange.readers import read_bundled
    from sectracker.report.blocks import BlockContext, render_block
    from sectracker.report.focus import load_focus

    events = read_bundled()
    ref = shared_reference()
    source = load_focus(None, "2020-H1")
    assert source is not None
    blocks = re.findall(r"```sectracker\n(.*?)```", source.text, re.S)
    render_block("chart: bar", BlockContext(events, 0, "warm-up", 1))  # start vl-convert once
    results = []
    for number, text in enumerate(blocks, start=1):
        kind = text.splitlines()[0]
        ctx = BlockContext(events, number, source.name, 1, "January-June 2020", reference=ref)
        seconds, _ = best_of(lambda ctx=ctx, text=text: render_block(text, ctx), runs=3)  # type: ignore[misc]
        print(f"  exhibit {number} ({kind}): {seconds:.3f} s")
        if kind.startswith("chart"):
            results.append(
                Result(
                    f"exhibit {number} ({kind}) rendered to SVG",
                    seconds,
                    "s",
                    f"<= {CHART_TARGET_S:g} s",
                    seconds <= CHART_TARGET_S,
                )
            )
    return results


def main(n: int = N) -> None:
    analyses = bench_analyses(n)
    charts = bench_charts()
    write_section(
        "Analyses (1M events)",
        analyses,
        "Synthetic events built as the analysis DataFrame (benchmarks/bench_analysis.py): 1-3 counterpart "
        "countries for 90% of events, ten years of dates, invented income/BRI/alignment data for every country. "
        "Best of 3 runs; each time includes parsing and applying the selection and joining the groups as of each "
        "event's date.",
    )
    write_section(
        "Charts (demo focus topic)",
        charts,
        "Each chart exhibit of sectracker/report/focus/2020-H1.md built from the bundled events (with the income "
        "and Belt and Road tables of ../shared/data) and rendered to SVG with vl-convert (best of 3, after one "
        "warm-up render that starts vl-convert).",
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else N)
