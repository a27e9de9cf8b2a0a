"""Run every benchmark and rewrite its section of docs/benchmarks.md (`make bench`).

Pass module names to run only some: `python -m benchmarks.run bench_store`.
"""

from __future__ import annotations

import importlib
import sys
import time

MODULES = (
    "bench_store",
    "bench_report",
    "bench_pipeline",
    "bench_analysis",
    "bench_web",
    "bench_postgres",
    "bench_importers",
    "bench_ingest",
)


def main(names: list[str]) -> int:
    chosen = names or list(MODULES)
    failed = []
    for name in chosen:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"benchmarks.{name}":
                print(f"[skip] {name}: not written yet")
                continue
            raise
        print(f"== {name}")
        t0 = time.perf_counter()
        try:
            module.main()
        except Exception as exc:  # a failing benchmark must not hide the others' figures
            failed.append(name)
            print(f"[fail] {name}: {exc!r}")
        print(f"   ({time.perf_counter() - t0:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
