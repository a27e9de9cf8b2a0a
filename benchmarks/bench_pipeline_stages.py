"""Speed of the segment, dates and quantities stages over the MFA press-conference transcripts.

A plain script, never run by pytest:

    .venv/bin/python -m benchmarks.bench_pipeline_stages [PATH.jsonl] [--repeat N]

Prints MB/s per core (UTF-8 bytes of document text per CPU second of this single-threaded process, so a
busy machine does not skew it; wall seconds are shown too) for each stage as the pipeline runs it
(``add_*`` on an AnalysedDocument, per unit) and for the plain text functions on whole documents.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sectracker.models import Document
from sectracker.pipeline.dates import add_dates, find_dates
from sectracker.pipeline.quantities import add_quantities, find_quantities
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments, segment_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "mfa_press" / "mfa_press_conferences_en.jsonl"


def load(path: Path) -> list[tuple[str, date | None]]:
    docs = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            published = date.fromisoformat(row["date"]) if row.get("date") else None
            docs.append((row.get("text") or "", published))
    return docs


def best_of(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """Least CPU seconds (this process, one core) and least wall seconds over ``repeat`` runs."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = load(args.path)
    megabytes = sum(len(text.encode("utf-8")) for text, _ in docs) / 1e6
    print(f"{len(docs)} documents, {megabytes:.2f} MB of text ({args.path.name}); best of {args.repeat} runs")

    records = [
        AnalysedDocument(document=Document(id=f"doc-{i}", text=text), published=published)
        for i, (text, published) in enumerate(docs)
    ]
    segmented = [add_segments(r) for r in records]
    stage_work: dict[str, Callable[[], object]] = {
        "segment (add_segments)": lambda: [add_segments(r) for r in records],
        "dates (add_dates, per unit)": lambda: [add_dates(r) for r in segmented],
        "quantities (add_quantities, per unit)": lambda: [add_quantities(r) for r in segmented],
        "all three stages": lambda: [add_quantities(add_dates(add_segments(r))) for r in records],
        "segment_text (whole text)": lambda: [segment_text(t) for t, _ in docs],
        "find_dates (whole text)": lambda: [find_dates(t, p) for t, p in docs],
        "find_quantities (whole text)": lambda: [find_quantities(t) for t, _ in docs],
    }
    print(f"  {'stage':40s} {'CPU s':>7s} {'MB/s/core':>10s} {'wall s':>7s}")
    for name, work in stage_work.items():
        cpu, wall = best_of(args.repeat, work)
        print(f"  {name:40s} {cpu:7.3f} {megabytes / cpu:10.2f} {wall:7.3f}")


if __name__ == "__main__":
    main()
