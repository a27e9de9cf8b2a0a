"""Publishing an edition: select verified events, build the edition, write the files.

The `report` command calls `publish_edition`; tests and benchmarks can call
`make_edition` and `write_edition` with events that never touched a database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from sectracker import clock
from sectracker.charts.worker import ChartWorker
from sectracker.codebook import load_codebook
from sectracker.countries.groups import Reference, load_reference
from sectracker.errors import Problem, ValidationFailed
from sectracker.models import Event, EventFilter, Status
from sectracker.periods import period_label
from sectracker.report.edition import Edition, build_edition
from sectracker.report.focus import FocusSource, load_focus, render_focus
from sectracker.report.overview import add_edition_charts
from sectracker.report.render_html import render_html
from sectracker.report.render_md import render_markdown
from sectracker.report.render_pdf import load_weasyprint, render_pdf
from sectracker.series.models import Series
from sectracker.store import Database, api
from sectracker.store.series import load_series
from sectracker.textfiles import missing_top

# Output format -> file name inside the edition folder, in writing order.
OUTPUT_FILES = {"html": "index.html", "pdf": "edition.pdf", "md": "edition.md"}


@dataclass(frozen=True)
class EditionRequest:
    """What to publish: a date range, optionally named (2020-H1), and where to put it."""

    start: date
    end: date
    period: str | None = None
    focus_path: Path | None = None
    formats: tuple[str, ...] = tuple(OUTPUT_FILES)
    out_dir: Path | None = None
    title: str | None = None
    charts: bool = True  # the overview map and a chart per section

    @property
    def folder(self) -> Path:
        """The output folder: as given, else out/<period> or out/<start>_<end>."""
        if self.out_dir is not None:
            return self.out_dir
        name = self.period.upper() if self.period else f"{self.start.isoformat()}_{self.end.isoformat()}"
        return Path("out") / name


def parse_formats(text: str) -> tuple[str, ...]:
    """'html,pdf' as a tuple in writing order; ValidationFailed names an unknown format."""
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [a for a in asked if a not in OUTPUT_FILES]
    known = ", ".join(OUTPUT_FILES)
    if not asked:
        raise ValidationFailed(Problem(f"no format given; use one or more of {known}", field="--format"))
    if unknown or not asked:
        raise ValidationFailed(Problem(f"unknown format {', '.join(unknown) or text!r}; use {known}", field="--format"))
    return tuple(f for f in OUTPUT_FILES if f in asked)


def select_events(db: Database, start: date, end: date) -> list[Event]:
    """Verified events whose dates overlap the range."""
    f = EventFilter(statuses=[Status.verified], date_from=start, date_to=end)
    return api.find_events(db, f, sort="date", limit=None)


def make_edition(events: Sequence[Event], request: EditionRequest, reference: Reference | None = None) -> Edition:
    """The edition for these events, with the request's focus topic rendered in place."""
    return edition_with_focus(events, request, load_focus(request.focus_path, request.period), reference)


def edition_with_focus(
    events: Sequence[Event],
    request: EditionRequest,
    source: FocusSource | None,
    reference: Reference | None,
    series: Sequence[Series] | None = None,
    charts: ChartWorker | None = None,
) -> Edition:
    """The edition for these events with this focus Markdown.

    Blocks use `reference` for country groups and `series` for indicator values (without
    them, the package's own groups and bundled series). With `charts`, the edition holds the
    worker's placeholders for its charts until `fill_charts`.
    """
    label = period_label(request.start, request.end)
    focus = render_focus(source, events, label, reference, series, charts) if source else None
    edition = build_edition(
        events,
        request.start,
        request.end,
        codebook=load_codebook(),
        generated=clock.now(),
        focus=focus,
        title=request.title,
    )
    return add_edition_charts(edition, events, reference, charts) if request.charts else edition


def fill_charts(edition: Edition, charts: ChartWorker) -> Edition:
    """The edition with the worker's placeholders replaced by its charts."""
    focus = edition.focus
    if focus is not None:
        focus = replace(focus, html=charts.fill(focus.html), markdown=charts.fill(focus.markdown))
    return replace(
        edition,
        focus=focus,
        overview_html=charts.fill(edition.overview_html),
        section_charts=tuple((sid, charts.fill(html)) for sid, html in edition.section_charts),
    )


def render_files(edition: Edition, formats: Sequence[str]) -> dict[str, bytes]:
    """The bytes of each asked format's file, by file name, in writing order."""
    html = render_html(edition) if {"html", "pdf"} & set(formats) else ""
    out: dict[str, bytes] = {}
    for fmt in formats:
        if fmt == "html":
            out[OUTPUT_FILES[fmt]] = html.encode("utf-8")
        elif fmt == "pdf":
            out[OUTPUT_FILES[fmt]] = render_pdf(html, epoch=_epoch(edition))
        else:
            out[OUTPUT_FILES[fmt]] = render_markdown(edition).encode("utf-8")
    return out


def _check_folder(folder: Path) -> None:
    """ValidationFailed when the output folder is a file, or holds a folder where an edition file goes."""
    if folder.exists() and not folder.is_dir():
        raise ValidationFailed(
            Problem("a file is there; give a folder for the edition", file=str(folder), field="--out")
        )
    for name in OUTPUT_FILES.values():
        if (folder / name).is_dir():
            raise ValidationFailed(Problem(f"{name} in it is a folder", file=str(folder), field="--out"))


def write_edition(edition: Edition, formats: Sequence[str], folder: Path) -> list[Path]:
    """Write the asked formats into folder; returns the files written.

    Every file is rendered before anything is written, then written under a temporary
    name and renamed into place: a failure leaves the folder as it was (and removes it
    if this call created it). Other files in an existing folder are left alone.
    """
    _check_folder(folder)
    contents = render_files(edition, formats)
    created = _make_folder(folder)
    temps: list[Path] = []
    try:
        for name, data in contents.items():
            temp = folder / f".{name}.{os.getpid()}.tmp"
            temps.append(temp)
            temp.write_bytes(data)
        for temp, name in zip(temps, contents, strict=True):
            temp.replace(folder / name)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        if created is not None:
            shutil.rmtree(created, ignore_errors=True)
        raise
    return [folder / name for name in contents]


def _make_folder(folder: Path) -> Path | None:
    """Create the folder (and missing parents); the top-most folder created, or None if it existed."""
    top = missing_top(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return top


def _epoch(edition: Edition) -> int:
    """The edition's generation day as a Unix time (stamped into the PDF's fonts)."""
    day = date.fromisoformat(edition.generated)
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Published:
    """What publishing produced: the files written and how many events they hold."""

    files: list[Path]
    event_count: int


def stored_series(db: Database) -> list[Series]:
    """Every indicator series in the database (focus `series` blocks compute their changes from these)."""
    with db.connect() as conn:
        return list(load_series(conn).values())


def publish_edition(db: Database, request: EditionRequest) -> Published:
    """Build the edition for the request from the database and write its files.

    A worker process renders the charts (vl-convert) while this one queries the database,
    computes the exhibits and loads WeasyPrint.
    """
    source = load_focus(request.focus_path, request.period)
    _check_folder(request.folder)
    with ChartWorker() if request.charts or source else nullcontext() as charts:
        events = select_events(db, request.start, request.end)
        # Country groups imported into the database; only focus blocks use them.
        reference = load_reference(db) if source else None
        series = stored_series(db) if source else None
        edition = edition_with_focus(events, request, source, reference, series, charts)
        if charts is not None:
            if "pdf" in request.formats:
                load_weasyprint()  # while the worker finishes the charts
            edition = fill_charts(edition, charts)
    return Published(write_edition(edition, request.formats, request.folder), edition.event_count)
