"""An edition as a typed record: events laid out in codebook order with numbered footnotes.

Reads verified events, the codebook, a period and an optional rendered focus topic;
produces an `Edition` that every renderer (HTML, PDF, Markdown) draws from. All the
ordering and numbering decisions live here, so the renderers stay dumb and agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby

from sectracker.codebook import Category, Codebook, Section
from sectracker.countries.codes import country_name
from sectracker.errors import ReportError
from sectracker.models import Event, Precision, Source
from sectracker.periods import period_label

DEFAULT_TITLE = "China Global Security Tracker"
MAX_FLAGGED_HIGHLIGHTS = 6
FALLBACK_HIGHLIGHTS = 5
# Fixed English names: strftime("%B") would follow the machine's locale.
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Footnote:
    """One numbered reference to a source; numbers run through the whole edition."""

    number: int
    title: str
    publisher: str | None
    published: str | None
    url: str | None

    @property
    def link(self) -> str | None:
        """The URL when it is safe to link to (http or https only; event data is untrusted)."""
        url = (self.url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) and " " not in url else None


@dataclass(frozen=True)
class Item:
    """One event as printed: headline, summary, when, with whom, and its footnotes."""

    event_id: str
    headline: str
    paragraphs: tuple[str, ...]
    when: str
    countries: tuple[str, ...]
    footnotes: tuple[Footnote, ...]

    @property
    def anchor(self) -> str:
        return f"ev-{self.event_id}"

    @property
    def lead(self) -> str:
        """The headline as the opening sentence of the item."""
        return self.headline if self.headline.endswith((".", "?", "!")) else self.headline + "."


@dataclass(frozen=True)
class CategoryPart:
    key: str
    label: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class GroupPart:
    """Consecutive categories sharing a subheading (label None: no subheading)."""

    label: str | None
    categories: tuple[CategoryPart, ...]


@dataclass(frozen=True)
class SectionPart:
    id: str
    label: str
    groups: tuple[GroupPart, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(i for g in self.groups for c in g.categories for i in c.items)

    @property
    def footnotes(self) -> tuple[Footnote, ...]:
        return tuple(f for i in self.items for f in i.footnotes)


@dataclass(frozen=True)
class Highlight:
    event_id: str
    headline: str

    @property
    def anchor(self) -> str:
        return f"ev-{self.event_id}"


@dataclass(frozen=True)
class FocusTopic:
    """The analyst's focus article, already rendered (HTML) and re-assembled (Markdown)."""

    title: str
    html: str
    markdown: str
    source_name: str


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Annex:
    by_category: tuple[CountRow, ...]
    by_country: tuple[CountRow, ...]
    total: int


@dataclass(frozen=True)
class Edition:
    """Everything an edition shows, in the order it shows it."""

    title: str
    label: str
    period_start: date
    period_end: date
    generated: str
    codebook_version: str
    highlights: tuple[Highlight, ...]
    focus: FocusTopic | None
    sections: tuple[SectionPart, ...]
    annex: Annex
    overview_html: str = ""  # the overview map, rendered by report.charts_for_edition
    section_charts: tuple[tuple[str, str], ...] = ()  # (section id, chart HTML)

    def section_chart(self, section_id: str) -> str:
        return next((html for sid, html in self.section_charts if sid == section_id), "")

    @property
    def event_count(self) -> int:
        return self.annex.total


def build_edition(
    events: Iterable[Event],
    start: date,
    end: date,
    *,
    codebook: Codebook,
    generated: datetime,
    focus: FocusTopic | None = None,
    title: str | None = None,
) -> Edition:
    """Lay out events in codebook order; sections and categories without events are left out."""
    ordered = sort_events(events)
    by_category = _by_category(ordered, codebook)
    numbering = _Numbering()
    sections = tuple(s for s in (_section(sec, by_category, numbering) for sec in codebook.sections) if s.groups)
    return Edition(
        title=title or DEFAULT_TITLE,
        label=period_label(start, end),
        period_start=start,
        period_end=end,
        generated=generated.date().isoformat(),
        codebook_version=codebook.version,
        highlights=select_highlights(ordered),
        focus=focus,
        sections=sections,
        annex=build_annex(ordered, codebook),
    )


def _by_category(events: Sequence[Event], codebook: Codebook) -> dict[str, list[Event]]:
    """Events per category key; ReportError rather than silently dropping an uncoded event."""
    by_category: dict[str, list[Event]] = {}
    for e in events:
        by_category.setdefault(e.category, []).append(e)
    unknown = sorted(set(by_category) - set(codebook.keys))
    if unknown:
        ids = ", ".join(e.id for key in unknown for e in by_category[key][:5])
        raise ReportError(f"categories not in codebook {codebook.version}: {', '.join(unknown)} (events {ids})")
    return by_category


def sort_events(events: Iterable[Event]) -> list[Event]:
    """Events by start date then id (undated events last), each id once."""
    unique = {e.id: e for e in events}
    return sorted(unique.values(), key=lambda e: (e.date_start or date.max, e.id))


def select_highlights(events: Sequence[Event]) -> tuple[Highlight, ...]:
    """Flagged events (most significant first), else the most significant events."""
    flagged = [e for e in events if e.highlight]
    pool, limit = (flagged, MAX_FLAGGED_HIGHLIGHTS) if flagged else (list(events), FALLBACK_HIGHLIGHTS)
    ranked = sorted(pool, key=lambda e: (-e.significance, e.date_start or date.max, e.id))
    return tuple(Highlight(e.id, e.headline) for e in ranked[:limit])


class _Numbering:
    """Hands out footnote numbers in reading order."""

    def __init__(self) -> None:
        self.next = 1

    def footnote(self, source: Source) -> Footnote:
        note = Footnote(
            number=self.next,
            title=source.title,
            publisher=source.publisher,
            published=_long_date(source.published) if source.published else None,
            url=source.url,
        )
        self.next += 1
        return note


def _section(section: Section, by_category: dict[str, list[Event]], numbering: _Numbering) -> SectionPart:
    parts = [_category(c, by_category.get(c.key, []), numbering) for c in section.categories]
    present = [(c, p) for c, p in zip(section.categories, parts, strict=True) if p.items]
    groups = tuple(
        GroupPart(label, tuple(p for _, p in members))
        for label, members in groupby(present, key=lambda cp: cp[0].group)
    )
    return SectionPart(section.id, section.label, groups)


def _category(category: Category, events: Sequence[Event], numbering: _Numbering) -> CategoryPart:
    items = tuple(_item(e, numbering) for e in events)
    return CategoryPart(category.key, category.label, items)


def _item(event: Event, numbering: _Numbering) -> Item:
    return Item(
        event_id=event.id,
        headline=event.headline,
        paragraphs=split_paragraphs(event.summary),
        when=date_label(event),
        countries=tuple(sorted(country_name(c) for c in event.countries)),
        footnotes=tuple(numbering.footnote(s) for s in event.sources),
    )


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Paragraphs of a summary (separated by blank lines), each on one line."""
    blocks = (" ".join(p.split()) for p in text.replace("\r\n", "\n").split("\n\n"))
    return tuple(b for b in blocks if b)


def build_annex(events: Sequence[Event], codebook: Codebook) -> Annex:
    """Event counts per category (codebook order) and per counterpart country (most first)."""
    per_category = Counter(e.category for e in events)
    by_category = tuple(
        CountRow(c.key, c.label, per_category[c.key]) for c in codebook.categories if per_category[c.key]
    )
    per_country = Counter(code for e in events for code in e.countries)
    rows = (CountRow(code, country_name(code), n) for code, n in per_country.items())
    by_country = tuple(sorted(rows, key=lambda r: (-r.count, r.label, r.key)))
    return Annex(by_category, by_country, len(events))


def date_label(event: Event) -> str:
    """The event's date as precisely as it is known: '15 June 2020', 'June 2020', 'Q2 2020'."""
    start, end = event.date_start, event.date_end or event.date_start
    if start is None or end is None or event.date_precision is Precision.unknown:
        return ""
    first, last = _point_label(start, event.date_precision), _point_label(end, event.date_precision)
    return first if first == last else f"{first} to {last}"


def _point_label(day: date, precision: Precision) -> str:
    if precision is Precision.day:
        return _long_date(day)
    if precision is Precision.month:
        return f"{MONTHS[day.month - 1]} {day.year}"
    if precision is Precision.quarter:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision is Precision.half:
        return f"H{1 if day.month <= 6 else 2} {day.year}"
    return str(day.year)


def _long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
