"""Benchmark results: a typed record, the machine description, and docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
import re
import statistics
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


@dataclass(frozen=True)
class Result:
    """One measured figure and the target it is held to."""

    name: str
    value: float
    unit: str
    target: str
    met: bool | None
    note: str = ""


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def machine() -> str:
    cpu = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        m = re.search(r"model name\s*:\s*(.+)", info)
        cpu = m.group(1).strip() if m else ""
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f"{kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    sqlite = subprocess.run(
        ["python3", "-c", "import sqlite3; print(sqlite3.sqlite_version)"], capture_output=True, text=True
    ).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores, {mem}; Python {platform.python_version()}; SQLite {sqlite}"


def write_section(section: str, results: list[Result], notes: str = "") -> None:
    """Replace (or add) one section of docs/benchmarks.md with fresh figures."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## {section}", "", f"Measured {stamp} on {machine()}.", ""]
    lines += ["| measure | value | target | met |", "| --- | --- | --- | --- |"]
    for r in results:
        met = "n/a" if r.met is None else ("yes" if r.met else "**no**")
        note = f" ({r.note})" if r.note else ""
        lines.append(f"| {r.name}{note} | {r.value:,.3f} {r.unit} | {r.target} | {met} |")
    if notes:
        lines += ["", notes.strip()]
    body = "\n".join(lines) + "\n"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else _header()
    pattern = re.compile(rf"^## {re.escape(section)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: body + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + body
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")


def _header() -> str:
    return (
        "# Benchmarks\n\n"
        "Figures written by `make bench` (each section by its own benchmark module in `benchmarks/`).\n"
        "Every number here was measured; the date and machine are given per section.\n"
    )
