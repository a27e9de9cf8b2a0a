"""Making, rebuilding and checking releases.

`make_release` freezes the verified events and the series of a period: it records a
manifest (each record's version and hash, the audit marks, every file's checksum) and
writes the files. `rebuild_release` writes them again from the store, reading each
record back at its recorded version, and compares the checksums: a release can be
reproduced byte for byte for as long as the store keeps its audit trail (and the same
sectracker and pyarrow versions write it; the manifest names them).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow
from sqlalchemy import Connection, func, select

import sectracker
from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.errors import Problem, ReportError, ValidationFailed
from sectracker.periods import parse_period, period_label
from sectracker.release import registry
from sectracker.release.changelog import build_changelog, changelog_json, changelog_markdown
from sectracker.release.files import write_release_files
from sectracker.release.snapshot import Snapshot, collect, event_hash, events_at, series_at, series_hash
from sectracker.store.db import Database
from sectracker.store.schema import audit_log
from sectracker.store.series import audit_mark
from sectracker.textfiles import missing_top

FORMAT = 1


@dataclass(frozen=True)
class ReleaseResult:
    number: int
    period: str
    folder: Path
    events: int
    series: int
    files: dict[str, str]
    changelog: str


@dataclass(frozen=True)
class RebuildResult:
    number: int
    folder: Path
    identical: bool
    differing: tuple[str, ...]


def package_name(number: int, period: str) -> str:
    return f"sectracker-{period.lower()}-r{number}"


def _manifest(snapshot: Snapshot, number: int, at: datetime, user: str, marks: dict[str, int]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "number": number,
        "period": snapshot.period,
        "created_at": at.isoformat(),
        "created_by": user,
        "audit_marks": marks,
        "events": {
            e.id: {"version": e.version, "sha256": event_hash(e), "headline": e.headline} for e in snapshot.events
        },
        "series": {s.id: {"version": s.version, "sha256": series_hash(s), "name": s.name} for s in snapshot.series},
        "software": {"sectracker": sectracker.__version__, "pyarrow": pyarrow.__version__,
                     "codebook": load_codebook().version},
    }  # fmt: skip


def _readme(manifest: dict[str, Any], snapshot: Snapshot) -> str:
    number, period = manifest["number"], manifest["period"]
    return (
        f"# sectracker release {number}: {period_label(snapshot.start, snapshot.end)}\n\n"
        f"{len(snapshot.events)} verified events and {len(snapshot.series)} indicator series of {period}, "
        f"frozen {manifest['created_at']} by {manifest['created_by']} "
        f"(codebook {manifest['software']['codebook']}).\n\n"
        "- `events.csv`, `events.json`, `events.parquet`, `events.geojson`: the events (GeoJSON: those with a place).\n"
        "- `series.csv`: each series value for a period overlapping this one, with the value before and the change;\n"
        "  `series.json`: the series up to the end of the period, every value with its provenance.\n"
        "- `codebook.md`: the categories; `datapackage.json`: the Frictionless descriptor.\n"
        "- `CHANGELOG.md` / `changelog.json`: what changed since the previous release of this period, and why.\n"
        "- `release.json`: the manifest (each record's version and hash); `SHA256SUMS`: file checksums.\n\n"
        f"Rebuild and compare with `sectracker release-check {number}`. Each event and value lists its sources:\n"
        "cite them, and the datasets they come from, when you use the data.\n"
    )


def _write(conn: Connection, snapshot: Snapshot, manifest: dict[str, Any], previous: dict[str, Any] | None,
           out: Path) -> tuple[dict[str, str], str]:  # fmt: skip
    log = build_changelog(conn, snapshot, manifest, previous)
    md = changelog_markdown(log, manifest["number"], snapshot.period)
    files = write_release_files(
        snapshot,
        out,
        name=package_name(manifest["number"], snapshot.period),
        readme=_readme(manifest, snapshot),
        changelog_md=md,
        changelog_json=changelog_json(log),
        meta=json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n",
    )
    return files, md


def _check_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise ValidationFailed(f"{out} exists and is not empty: choose a new folder for the release")


def make_release(db: Database, period: str, out: Path | None, *, user: str) -> ReleaseResult:
    """Freeze a period's verified events and series as the next numbered release."""
    period = period.strip().upper()  # " 2020-h1" is 2020-H1: one name per period, for the changelog
    parse_period(period)

    def work(conn: Connection) -> ReleaseResult:
        number = registry.next_number(conn)
        folder = out or Path("releases") / f"{number:03d}-{period}"
        _check_out(folder)
        snapshot = collect(conn, period)
        if not snapshot.events and not snapshot.series:
            raise ValidationFailed(f"no verified events and no series in {period}: nothing to release")
        marks = {"events": _event_mark(conn), "series": audit_mark(conn)}
        at = now()
        manifest = _manifest(snapshot, number, at, user, marks)
        prev = registry.previous_of(conn, period, number)
        with _cleanup_on_failure(folder):
            files, md = _write(conn, snapshot, manifest, prev.manifest if prev else None, folder)
            manifest_with_files = {**manifest, "files": files}
            registry.save(conn, registry.ReleaseRecord(number, period, at, user, manifest_with_files))
        return ReleaseResult(number, period, folder, len(snapshot.events), len(snapshot.series), files, md)

    return db.write(work)


@contextmanager
def _cleanup_on_failure(folder: Path) -> Iterator[None]:
    """On an exception, remove what was written: the folder if it was new, else its new contents."""
    top = missing_top(folder)
    try:
        yield
    except BaseException:
        if top is not None:
            shutil.rmtree(top, ignore_errors=True)
        elif folder.is_dir():  # it was empty (checked before)
            for p in folder.iterdir():
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
        raise


def _event_mark(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar_one())


def rebuild_release(db: Database, number: int, out: Path | None = None) -> RebuildResult:
    """Write release `number` again from the store and compare every file's checksum."""
    with db.connect() as conn:
        record = registry.get(conn, number)
        m = record.manifest
        if m.get("format") != FORMAT:
            raise ReportError(f"release {number} has manifest format {m.get('format')}, this sectracker reads {FORMAT}")
        start, end = parse_period(record.period)
        versions = {i: v["version"] for i, v in m["events"].items()}
        events = events_at(conn, versions, m["audit_marks"]["events"])
        series = series_at(conn, {i: v["version"] for i, v in m["series"].items()}, end)
        snapshot = Snapshot(record.period, start, end, tuple(events), tuple(series))
        _check_hashes(snapshot, m)
        prev = registry.previous_of(conn, record.period, number)
        manifest = {k: v for k, v in m.items() if k != "files"}
        folder = out or Path(tempfile.mkdtemp(prefix=f"sectracker-release-{number}-"))
        _check_out(folder)
        with _cleanup_on_failure(folder):
            files, _ = _write(conn, snapshot, manifest, prev.manifest if prev else None, folder)
    differing = tuple(sorted(n for n in set(files) | set(m["files"]) if files.get(n) != m["files"].get(n)))
    return RebuildResult(number, folder, not differing, differing)


def _check_hashes(snapshot: Snapshot, m: dict[str, Any]) -> None:
    bad = [e.id for e in snapshot.events if event_hash(e) != m["events"][e.id]["sha256"]]
    bad += [s.id for s in snapshot.series if series_hash(s) != m["series"][s.id]["sha256"]]
    if bad:
        raise ReportError(f"records rebuilt differently from the release: {', '.join(bad[:10])}")


def verify_folder(db: Database, number: int, folder: Path) -> tuple[str, ...]:
    """Names of the entries of a release folder that differ from the manifest (or are missing)."""
    return tuple(d.split(" (", 1)[0].removesuffix("/") for d in folder_differences(db, number, folder))


def folder_differences(db: Database, number: int, folder: Path) -> tuple[str, ...]:
    """Entries of a release folder that differ from the manifest, each with what is wrong.

    "events.csv (changed)", "events.json (missing)", "notes.txt (not in the release)";
    SHA256SUMS is checked against the checksums the manifest records.
    """
    with db.connect() as conn:
        files: dict[str, str] = registry.get(conn, number).manifest["files"]
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "no such folder"
        raise ValidationFailed(Problem(what, file=str(folder), field="--folder"))
    found: dict[str, str | None] = {}
    for p in folder.iterdir():
        found[p.name] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None
    sums = "".join(f"{h}  {n}\n" for n, h in sorted(files.items())).encode("utf-8")
    expected = {**files, "SHA256SUMS": hashlib.sha256(sums).hexdigest()}
    out = []
    for name in sorted(set(expected) | set(found)):
        if name not in found:
            out.append(f"{name} (missing)")
        elif name not in expected:
            out.append(
                f"{name} (not in the release)" if found[name] is not None else f"{name}/ (a folder, not in the release)"
            )
        elif found[name] != expected[name]:
            out.append(f"{name} (changed)")
    return tuple(out)


def list_releases(db: Database) -> list[registry.ReleaseRecord]:
    with db.connect() as conn:
        return registry.all_releases(conn)
