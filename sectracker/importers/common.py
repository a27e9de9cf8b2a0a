"""What every importer shares: reading and checking files, reporting, syncing events.

An importer reads a whole file, checks its layout and every row, and only then
writes, in one transaction: nothing is partly imported. Re-importing a file updates
what changed (audited, with the file named as the reason) and never duplicates.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from sectracker import textfiles
from sectracker.errors import CodebookError, Problem, ValidationFailed
from sectracker.models import Event
from sectracker.store.db import Database
from sectracker.store.events import insert_events, update_event
from sectracker.store.queries import load_events
from sectracker.store.schema import events as events_table
from sectracker.store.series import SaveSummary

CHUNK = 500
# Fields an importer owns on the events it creates; status, significance, highlight,
# actors and confidence are the analysts' and survive a re-import.
OWNED_FIELDS = (
    "headline",
    "summary",
    "category",
    "date_start",
    "date_end",
    "date_precision",
    "countries",
    "locations",
    "quantities",
    "tags",
    "sources",
)


@dataclass
class Row:
    """One data row of an input file with the line it was read from (1-based)."""

    line: int
    cells: dict[str, str]


@dataclass
class Table:
    """A parsed input file: where it came from, its header and its rows."""

    path: Path
    header: list[str]
    rows: list[Row]
    problems: list[Problem] = field(default_factory=list)

    def check_rows(self) -> None:
        """ValidationFailed for rows whose number of cells differs from the header's."""
        if self.problems:
            raise ValidationFailed(self.problems[:50])


@dataclass
class ImportReport:
    """What an import found and did, printed by the CLI and asserted by tests."""

    kind: str
    file: str
    rows: int = 0
    selected: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    left_alone: list[str] = field(default_factory=list)
    stale: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    unmapped: Counter[str] = field(default_factory=Counter)
    adjusted: Counter[str] = field(default_factory=Counter)
    series: SaveSummary | None = None
    dry_run: bool = False

    def lines(self) -> list[str]:
        """The report as lines of text."""
        verb = "Would import" if self.dry_run else "Imported"
        out = [f"{verb} {self.kind} from {self.file}: {self.rows} rows read, {self.selected} selected."]
        if self.series is None:
            out.append(
                f"Events: {len(self.created)} new, {len(self.updated)} updated, {self.unchanged} unchanged"
                + (f", {len(self.left_alone)} deleted in the store and left alone" if self.left_alone else "")
                + "."
            )
        else:
            s = self.series
            out.append(
                f"Series: {len(s.created)} new, {len(s.changed)} changed, {len(s.unchanged)} unchanged; "
                f"{s.values_added} values added, {s.values_changed} changed."
            )
        if self.stale:
            out.append(f"{self.stale} stored record(s) from earlier imports of this kind are not in this file (kept).")
        for reason, n in sorted(self.skipped.items()):
            out.append(f"Skipped {n} row(s): {reason}.")
        for reason, n in sorted(self.adjusted.items()):
            out.append(f"Adjusted {n} row(s): {reason}.")
        if self.unknown:
            listed = ", ".join(f"{name!r} ({n})" for name, n in self.unknown.most_common())
            out.append(f"Skipped {sum(self.unknown.values())} row(s) with unknown countries or missions: {listed}.")
        if self.unmapped:
            listed = ", ".join(f"{code} ({n})" for code, n in self.unmapped.most_common())
            out.append(f"Not imported, no codebook mapping: {sum(self.unmapped.values())} row(s): {listed}.")
        return out


# --- reading files -----------------------------------------------------------------


def read_text(path: Path) -> str:
    """A file's text (UTF-8, a byte-order mark dropped; a .zip's single member, as GDELT
    publishes its files); ValidationFailed if unreadable."""
    if path.suffix.lower() != ".zip":
        return textfiles.read_text(path)
    try:
        return textfiles.decode(_zip_member(path), str(path))
    except FileNotFoundError as exc:
        raise ValidationFailed(Problem("no such file", file=str(path))) from exc
    except OSError as exc:
        raise ValidationFailed(Problem(f"cannot read the file ({exc.strerror})", file=str(path))) from exc


def _zip_member(path: Path) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            if len(names) != 1:
                raise ValidationFailed(Problem(f"the archive holds {len(names)} files, expected one", file=str(path)))
            return archive.read(names[0])
    except zipfile.BadZipFile as exc:
        raise ValidationFailed(Problem(f"not a readable zip archive ({exc})", file=str(path))) from exc


def parse_table(
    path: Path, text: str, *, header_line: int = 1, delimiter: str = ",", header: Sequence[str] | None = None
) -> Table:
    """Rows of a delimited text as dicts keyed by the header (`header` for files without one).

    `header_line` is the 1-based line holding the header; lines before it are skipped.
    A row with more or fewer cells than the header is left out and noted in `problems`
    (raised by `check_columns`, after the header itself was checked).
    """
    lines = text.splitlines()[header_line - 1 :]
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    names = list(header) if header is not None else [c.strip() for c in next(reader, [])]
    first = header_line if header is None else header_line - 1
    rows: list[Row] = []
    problems: list[Problem] = []
    for n, cells in enumerate(reader, start=first + 1):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            problems.append(Problem(f"{len(cells)} cells, the header has {len(names)} columns", str(path), n))
            continue
        rows.append(Row(n, dict(zip(names, cells, strict=True))))
    return Table(path, names, rows, problems)


def check_columns(
    table: Table, required: Iterable[str], *, allowed: Iterable[str] = (), what: str, line: int = 1
) -> None:
    """ValidationFailed naming the missing and the unexpected columns of a file's header."""
    header = [c for c in table.header if c]
    known = set(required) | set(allowed)
    missing = [c for c in required if c not in header]
    unexpected = [c for c in header if c not in known]
    if not missing and not unexpected:
        table.check_rows()
        return
    parts = []
    if not header:
        raise ValidationFailed(Problem(f"the file is empty: no {what} header", file=str(table.path), line=line))
    if len(header) == 1 and missing:
        found = next((d for d in (";", "\t", "|", ",") if d in header[0]), None)
        if found is not None:
            name = {";": "semicolons", "\t": "tabs", "|": "bars", ",": "commas"}[found]
            message = f"not in the {what} layout: the header is one column separated by {name}; wrong delimiter?"
            raise ValidationFailed(Problem(message, file=str(table.path), line=line))
    if missing:
        parts.append(f"missing column(s): {', '.join(missing)}")
    if unexpected:
        parts.append(f"unexpected column(s): {', '.join(unexpected)}")
    raise ValidationFailed(Problem(f"not in the {what} layout: {'; '.join(parts)}", file=str(table.path), line=line))


def read_data_csv(name: str) -> list[dict[str, str]]:
    """A CSV data file shipped in sectracker/importers/data ('#' lines are comments)."""
    text = resources.files("sectracker.importers").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in r.items()} for r in csv.DictReader(lines)]


def data_error(name: str, key: str, message: str) -> CodebookError:
    return CodebookError(f"sectracker/importers/data/{name}: {key}: {message}")


# --- checking cells -----------------------------------------------------------------


def parse_number(
    text: str,
    problems: list[Problem],
    *,
    file: str,
    line: int,
    field: str,
    integer: bool = False,
    minimum: float | None = 0,
) -> float | None:
    """A finite number (a whole one if `integer`, at least `minimum`), or None with a Problem noted."""
    t = text.strip()
    try:
        value = float(t)
    except ValueError:
        problems.append(Problem(f"{t!r} is not a number", file=file, line=line, field=field))
        return None
    if not math.isfinite(value) or abs(value) >= 1e15:
        problems.append(Problem(f"{t!r} is not a usable number", file=file, line=line, field=field))
        return None
    if integer and not value.is_integer():
        problems.append(Problem(f"{t!r} is not a whole number", file=file, line=line, field=field))
        return None
    if minimum is not None and value < minimum:
        problems.append(Problem(f"{t!r} is below {minimum:g}", file=file, line=line, field=field))
        return None
    return value


def latest_day() -> date:
    """The last day data may be dated: tomorrow in UTC (any time zone's today)."""
    return datetime.now(UTC).date() + timedelta(days=1)


def check_day(day: date, problems: list[Problem], *, file: str, line: int, field: str) -> bool:
    """False, with a Problem noted, for a day in the future or before 1900."""
    if day > latest_day():
        problems.append(Problem(f"{day} is in the future", file=file, line=line, field=field))
        return False
    if day.year < 1900:
        problems.append(Problem(f"{day} is before 1900", file=file, line=line, field=field))
        return False
    return True


# --- unknown countries ---------------------------------------------------------------


def reject_unknown(report: ImportReport, first_lines: dict[str, int], skip_unknown: bool) -> None:
    """ValidationFailed listing unknown names with their counts, unless they may be skipped."""
    if not report.unknown or skip_unknown:
        return
    problems = [
        Problem(
            f"unknown country or mission {name!r} in {n} row(s); pass --skip-unknown to skip them",
            file=report.file,
            line=first_lines.get(name),
        )
        for name, n in report.unknown.most_common()
    ]
    total = sum(report.unknown.values())
    problems.insert(0, Problem(f"{total} row(s) name a country or mission sectracker does not know", report.file))
    raise ValidationFailed(problems)


# --- syncing events ----------------------------------------------------------------


@dataclass
class EventPlan:
    """What a sync would do: insert these, change those, leave the rest."""

    new: list[Event] = field(default_factory=list)
    changed: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unchanged: int = 0
    left_alone: list[str] = field(default_factory=list)
    stale: int = 0


def _deleted_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    out: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        stmt = select(events_table.c.id).where(events_table.c.id.in_(chunk), events_table.c.deleted_at.is_not(None))
        out.update(conn.execute(stmt).scalars())
    return out


def _stale_count(conn: Connection, prefix: str, ids: set[str]) -> int:
    stmt = select(events_table.c.id).where(events_table.c.id.like(prefix + "%"))
    return sum(1 for i in conn.execute(stmt).scalars() if i not in ids)


def plan_events(conn: Connection, incoming: Sequence[Event], prefix: str) -> EventPlan:
    """Compare incoming events with the stored ones on the fields importers own."""
    ids = [e.id for e in incoming]
    stored = {e.id: e for e in load_events(conn, ids, include_deleted=True)}
    deleted = _deleted_ids(conn, ids)
    plan = EventPlan(stale=_stale_count(conn, prefix, set(ids)))
    for e in incoming:
        old = stored.get(e.id)
        if old is None:
            plan.new.append(e)
        elif e.id in deleted:
            plan.left_alone.append(e.id)
        else:
            changes = _owned_changes(old, e)
            if changes:
                plan.changed.append((e.id, changes))
            else:
                plan.unchanged += 1
    return plan


def _owned_changes(old: Event, new: Event) -> dict[str, Any]:
    before, after = old.model_dump(include=set(OWNED_FIELDS)), new.model_dump(include=set(OWNED_FIELDS))
    return {k: after[k] for k in OWNED_FIELDS if before[k] != after[k]}


def apply_plan(conn: Connection, plan: EventPlan, user: str, reason: str) -> None:
    insert_events(conn, plan.new, user, action="import", reason=reason)
    for event_id, changes in plan.changed:
        update_event(conn, event_id, changes, user, reason=reason, action="import")


def sync_events(
    db: Database, incoming: Sequence[Event], report: ImportReport, *, prefix: str, user: str, dry_run: bool
) -> None:
    """Insert new events and update changed ones in one transaction; fill in the report."""
    reason = f"import-data {report.kind} {Path(report.file).name}"

    def work(conn: Connection) -> EventPlan:
        plan = plan_events(conn, incoming, prefix)
        if not dry_run:
            apply_plan(conn, plan, user, reason)
        return plan

    if dry_run:
        with db.connect() as conn:
            plan = work(conn)
    else:
        plan = db.write(work)
    report.created = [e.id for e in plan.new]
    report.updated = [i for i, _ in plan.changed]
    report.unchanged = plan.unchanged
    report.left_alone = plan.left_alone
    report.stale = plan.stale


@lru_cache(maxsize=8)
def crosswalk(name: str, key: str, value: str) -> dict[str, str]:
    """A two-column mapping from a shipped data file (empty values kept as '')."""
    return {r[key]: r[value] for r in read_data_csv(name)}
