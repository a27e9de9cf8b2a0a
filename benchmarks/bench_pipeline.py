"""Extraction benchmark (issue 3): speed over the MFA transcripts, the off-the-shelf baseline, streaming memory.

    .venv/bin/python -m benchmarks.bench_pipeline            # everything, writes docs/benchmarks.md
    .venv/bin/python -m benchmarks.bench_pipeline --stream PATH   # (internal) stream one corpus, print peak RSS

Speed is MB of document text (UTF-8) per CPU second of this single-threaded process ("per core"), so
other load on the machine skews it little; wall-clock MB/s is given too. The baseline
(benchmarks/baseline_pipeline.py) is much slower, so it runs on a fixed subset (every tenth document)
and our pipeline is timed on the same subset for the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.baseline_pipeline import _dates, _quantities, build_nlp, extract_baseline
from benchmarks.results import Result, write_section
from sectracker.models import Document
from sectracker.pipeline.run import extract_events
from sectracker.settings import Settings
from sectracker.sources.collect import collect
from sectracker.sources.corpora import read_corpus_file

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "mfa_press" / "mfa_press_conferences_en.jsonl"
WORK = Path(__file__).resolve().parent / ".work"
STREAM_MB = 100
SUBSET_STEP = 10


def load_documents(path: Path = CORPUS) -> list[Document]:
    return [c.document for c in read_corpus_file(path, Settings()) if c.document is not None]


def megabytes(docs: list[Document]) -> float:
    return sum(len(d.text.encode("utf-8")) for d in docs) / 1e6


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """CPU seconds of this process and wall seconds of one run of `work`."""
    c0, w0 = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - c0, time.perf_counter() - w0


def ours(docs: list[Document]) -> int:
    return sum(len(extract_events(d)) for d in docs)


def baseline(docs: list[Document]) -> int:
    return sum(len(extract_baseline(d.text, d.published)) for d in docs)


def bench_speed() -> tuple[list[Result], str]:
    docs = load_documents()
    mb = megabytes(docs)
    extract_events(docs[0])  # load gazetteers and codebook before timing
    build_nlp()
    runs = [timed(lambda: ours(docs)) for _ in range(2)]
    cpu, wall = min(r[0] for r in runs), min(r[1] for r in runs)
    candidates = ours(docs)
    subset = docs[::SUBSET_STEP]
    sub_mb = megabytes(subset)
    our_sub_cpu, _ = min((timed(lambda: ours(subset)) for _ in range(2)), key=lambda r: r[0])
    base_cpu, base_wall = timed(lambda: baseline(subset))
    base_candidates = baseline(subset)
    parts = {
        "spaCy (tokenizer, sentencizer, entity ruler, cue matcher)": lambda: spacy_only(subset),
        "dateparser.search_dates": lambda: [_dates(d.text, d.published) for d in subset],
        "quantulum3.parse": lambda: [_quantities(d.text) for d in subset],
    }
    split = {name: timed(work)[0] for name, work in parts.items()}
    ratio = (sub_mb / our_sub_cpu) / (sub_mb / base_cpu)
    results = [
        Result(
            f"ours, {len(docs)} transcripts ({mb:.2f} MB), CPU", mb / cpu, "MB/s per core", ">= 1 MB/s", mb / cpu >= 1
        ),
        Result("ours, same run, wall clock", mb / wall, "MB/s", "", None),
        Result(
            f"ours, subset of {len(subset)} transcripts ({sub_mb:.2f} MB), CPU",
            sub_mb / our_sub_cpu,
            "MB/s per core",
            "",
            None,
        ),
        Result("off-the-shelf baseline, same subset, CPU", sub_mb / base_cpu, "MB/s per core", "", None),
        Result("off-the-shelf baseline, same subset, wall clock", sub_mb / base_wall, "MB/s", "", None),
        Result("speed ratio ours / baseline (CPU, same subset)", ratio, "x", ">= 10x", ratio >= 10),
    ]
    notes = (
        f"Our pipeline: `sectracker.pipeline.run.extract_events` on every document read by "
        f"`sectracker.sources` ({candidates} candidates over the corpus; best of 2 runs, after one warm-up "
        f'document). Baseline (benchmarks/baseline_pipeline.py): spaCy {_spacy_version()} `blank("en")` with a '
        f"sentencizer, an entity_ruler over the same gazetteers and a PhraseMatcher over the codebook cues, "
        f"`dateparser.search.search_dates(languages=['en'])` and `quantulum3.parser.parse` (no classifier), "
        f"one run over every {SUBSET_STEP}th transcript ({base_candidates} candidates): "
        + ", ".join(f"{name} {sec:.1f} s CPU" for name, sec in split.items())
        + f", of {base_cpu:.1f} s in all."
    )
    return results, notes


def spacy_only(docs: list[Document]) -> None:
    nlp, cues = build_nlp()
    for d in docs:
        cues(nlp(d.text))


def _spacy_version() -> str:
    import spacy

    return str(spacy.__version__)


def repeated_corpus(target_mb: int = STREAM_MB) -> Path:
    """The transcripts file repeated until it holds at least `target_mb` MB (built once in .work)."""
    path = WORK / f"mfa_en_x{target_mb}mb.jsonl"
    if path.exists() and path.stat().st_size >= target_mb * 1_000_000:
        return path
    WORK.mkdir(exist_ok=True)
    raw = CORPUS.read_bytes()
    copies = -(-target_mb * 1_000_000 // len(raw))
    with path.open("wb") as fh:
        for _ in range(copies):
            fh.write(raw)
    return path


def stream(path: Path) -> dict[str, float]:
    """Extract every document of a corpus, keeping nothing; RSS (MB) along the way and at the peak."""
    import psutil

    proc = psutil.Process()
    size = path.stat().st_size
    text_bytes, docs, candidates, samples = 0, 0, 0, []
    next_mark = size / 10
    c0 = time.process_time()
    for collected in collect([str(path)], Settings()):
        if collected.document is None:
            continue
        candidates += len(extract_events(collected.document))
        docs += 1
        text_bytes += len(collected.document.text.encode("utf-8"))
        if text_bytes >= next_mark:
            samples.append(proc.memory_info().rss / 1e6)
            next_mark += size / 10
    return {
        "documents": docs,
        "candidates": candidates,
        "text_mb": text_bytes / 1e6,
        "cpu_s": time.process_time() - c0,
        "rss_first_tenth_mb": samples[0] if samples else 0.0,
        "rss_last_mb": proc.memory_info().rss / 1e6,
        "peak_rss_mb": peak_rss_mb(),
    }


def peak_rss_mb() -> float:
    """Peak RSS of this process image: VmHWM (getrusage's maxrss keeps the parent's peak across fork + exec)."""
    try:
        status = Path("/proc/self/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")) * 1024 / 1e6
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def bench_memory() -> tuple[list[Result], str]:
    path = repeated_corpus()
    cmd = [sys.executable, "-m", "benchmarks.bench_pipeline", "--stream", str(path)]
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=root, env={**os.environ}, timeout=3600)
    m = json.loads(done.stdout.strip().splitlines()[-1])
    file_mb = path.stat().st_size / 1e6
    results = [
        Result(
            f"peak RSS streaming a {file_mb:.0f} MB corpus ({m['text_mb']:.0f} MB of text)",
            m["peak_rss_mb"],
            "MB",
            "<= 500 MB",
            m["peak_rss_mb"] <= 500,
        ),
        Result("RSS after the first tenth of the stream", m["rss_first_tenth_mb"], "MB", "", None),
        Result("RSS at the end of the stream", m["rss_last_mb"], "MB", "", None),
        Result("speed while streaming, CPU", m["text_mb"] / m["cpu_s"], "MB/s per core", "", None),
    ]
    notes = (
        f"Memory: a separate process streams the transcripts file repeated to {file_mb:.0f} MB "
        f"({m['documents']:,} documents) through `sectracker.sources.collect.collect` and `extract_events`, keeping "
        f"only counts ({m['candidates']:,} candidates); peak RSS is the child's VmHWM (/proc/self/status), RSS "
        f"sampled with psutil at each tenth of the stream."
    )
    return results, notes


def main() -> None:
    speed, speed_notes = bench_speed()
    memory, memory_notes = bench_memory()
    results = speed + memory
    for r in results:
        print(f"{r.name}: {r.value:,.3f} {r.unit} (target {r.target or '-'})")
    load = os.getloadavg()
    notes = "\n\n".join([speed_notes, memory_notes, f"Load average at the end: {load[0]:.1f} (2 cores)."])
    write_section("Extraction pipeline (MFA transcripts)", results, notes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, help="stream this corpus and print RSS figures as JSON")
    args = parser.parse_args()
    if args.stream:
        print(json.dumps(stream(args.stream)))
    else:
        main()
