"""Import times of the public datasets (`make bench`): full SIPRI register, peacekeeping files, ADIZ.

Each import runs into a fresh migrated SQLite file (first import), then again on the
same file (a re-import that finds nothing changed). Target: <= 10 s per file.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.results import Result, write_section
from sectracker.importers.adiz import import_adiz
from sectracker.importers.common import ImportReport
from sectracker.importers.peacekeeping import import_peacekeeping
from sectracker.importers.sipri import import_sipri
from sectracker.settings import Settings
from sectracker.store import Database, open_database

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
TARGET_S = 10.0
Importer = Callable[[Database, Path], ImportReport]

CASES: list[tuple[str, str, Importer]] = [
    ("SIPRI trade register 1995-2024 (25,024 rows)", "sipri/sipri_trade_register_1995_2025.csv",
     lambda db, p: import_sipri(db, p, user="bench", skip_unknown=True)),
    ("Peacekeeping, contributor x mission x month 2009-2014 (29,115 rows)",
     "peacekeeping/ipi_tcc_mission_month_gender_2009_2014.csv",
     lambda db, p: import_peacekeeping(db, p, user="bench")),
    ("Peacekeeping, contributor x month totals 1990-2014 (25,657 rows)",
     "peacekeeping/ipi_tcc_month_totals_1990_2014.csv", lambda db, p: import_peacekeeping(db, p, user="bench")),
    ("Peacekeeping, current month 2014-03 (573 rows)", "peacekeeping/ipi_tcc_mission_2014-03-31.csv",
     lambda db, p: import_peacekeeping(db, p, user="bench")),
    ("Taiwan ADIZ daily counts (2,768 rows)", "taiwan_pla_activity/merged_comprehensive_data_M.csv",
     lambda db, p: import_adiz(db, p, user="bench")),
]  # fmt: skip


def _timed(run: Importer, db: Database, path: Path) -> tuple[float, ImportReport]:
    started = time.perf_counter()
    report = run(db, path)
    return time.perf_counter() - started, report


def bench_case(label: str, relative: str, run: Importer, work: Path) -> list[Result]:
    db_path = work / (relative.replace("/", "_") + ".sqlite")
    db = open_database(Settings(db=str(db_path), user="bench"))
    db.migrate()
    first, report = _timed(run, db, SHARED / relative)
    again, _ = _timed(run, db, SHARED / relative)
    db.close()
    made = len(report.created) if report.series is None else report.series.values_added
    what = "events" if report.series is None else "series values"
    return [
        Result(f"{label}: first import", first, "s", f"<= {TARGET_S:g} s", first <= TARGET_S, f"{made} {what}"),
        Result(f"{label}: re-import, nothing changed", again, "s", f"<= {TARGET_S:g} s", again <= TARGET_S),
    ]


def main() -> None:
    if not SHARED.is_dir():
        print(f"[skip] {SHARED} is absent")
        return
    os.environ.setdefault("SECTRACKER_FIXED_CLOCK", "2026-01-01T00:00:00+00:00")
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, relative, run in CASES:
            results += bench_case(label, relative, run, Path(tmp))
    for r in results:
        print(f"{r.name}: {r.value:.3f} {r.unit} ({r.note})")
    write_section(
        "Importers (real datasets)",
        results,
        "Each file imported into a fresh migrated SQLite database, then imported again (idempotent re-import: "
        "every row compared, nothing written). Wall-clock time of one run each, including reading and validating "
        "the whole file.",
    )


if __name__ == "__main__":
    main()
