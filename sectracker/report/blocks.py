"""Fenced `sectracker` blocks in a focus topic: an analysis or chart rendered in place.

A block is YAML inside a ```sectracker fence, e.g.::

    chart: choropleth
    where: category = diplomacy.aid_training
    caption: Recipients of PLA donations

Keys: ``chart`` (choropleth, bar, timeline, compare) or ``table`` (counts, compare,
top); ``where`` and ``versus`` (selections, docs/selections.md); ``by`` (a dimension:
region, income, bri, alignment, category, month ...); ``caption``; and optionally
``title``, ``unit`` (events, engagements, countries), ``labels`` (names for the two
sides of a comparison), ``n`` (rows of a top table), ``period`` (the span of a
timeline, e.g. 2020-H1) and ``source`` (the chart's source line).

`render_block` returns an HTML figure holding an inline SVG chart or a table, with a
numbered caption ("Exhibit 3: ..."). A malformed block raises ReportError naming
the file, block number and line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import polars as pl
import yaml

from sectracker.analysis.compare import Comparison, compare_pairs
from sectracker.analysis.counts import UNITS, complete_periods, count_pairs
from sectracker.analysis.dimensions import DIMENSIONS, TIME, columns_for, is_country_dimension
from sectracker.analysis.filters import select_events
from sectracker.analysis.loader import events_frame
from sectracker.analysis.top import top_pairs
from sectracker.countries.groups import Reference, package_reference
from sectracker.errors import AnalysisError, ReportError, SectrackerError, ValidationFailed
from sectracker.models import Event
from sectracker.periods import parse_period

if TYPE_CHECKING:
    from sectracker.charts.worker import ChartWorker


@dataclass(frozen=True)
class BlockContext:
    """What a block may use: the edition's events, country reference data, and where the block sits.

    `reference` carries the groups imported into the database (income, BRI, alignment);
    without it blocks use the groups shipped in the package. With `charts`, a chart block
    holds the worker's placeholder for its SVG (see `ChartWorker.fill`).
    """

    events: Sequence[Event]
    block_number: int
    source_name: str
    line: int
    period_label: str = ""
    reference: Reference | None = field(default=None, compare=False)
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)  # filled by render_block
    series: Sequence[Any] | None = field(default=None, compare=False)  # stored indicator series, if any
    charts: ChartWorker | None = field(default=None, compare=False)  # renders charts alongside, if given


# kind of block ("chart", "table", "analysis", ...) -> renderer(spec, context) -> HTML
BLOCK_RENDERERS: dict[str, Callable[[dict[str, Any], BlockContext], str]] = {}

CHARTS = ("choropleth", "bar", "timeline", "compare")
TABLES = ("counts", "compare", "top")
KEYS = ("chart", "table", "where", "versus", "by", "caption", "title", "unit", "labels", "n", "period", "source")
DEFAULT_SOURCE = "Source: sectracker event data"
DIMENSION_TITLES = {
    "category": "Category",
    "section": "Section",
    "actor": "Actor",
    "tag": "Tag",
    "month": "Month",
    "quarter": "Quarter",
    "half": "Half-year",
    "year": "Year",
    "country": "Country",
    "region": "Region (UN M49)",
    "subregion": "Sub-region (UN M49)",
    "continent": "Continent",
    "income": "World Bank income group",
    "bri": "Belt and Road participation",
    "alignment": "UN-vote agreement with China",
    "asean": "ASEAN membership",
    "sco": "SCO membership",
    "brics": "BRICS membership",
    "au": "African Union membership",
    "eu": "EU membership",
    "nato": "NATO membership",
    "oecd": "OECD membership",
    "g20": "G20 membership",
}


IMPORT_HINTS = {
    "income": ("World Bank income group", "sectracker countries import-income FILE"),
    "bri": ("Belt and Road participation", "sectracker countries import-bri FILE"),
    "alignment": ("UN-vote agreement with China", "sectracker countries import-unvotes VOTES ROLLCALLS"),
}


def _where(ctx: BlockContext, line: int | None = None) -> str:
    return f"{ctx.source_name}:{line or ctx.line} (block {ctx.block_number})"


def parse_block(text: str, ctx: BlockContext) -> dict[str, Any]:
    """The block's YAML as a mapping; ReportError names the block and line."""
    where = _where(ctx)
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = ctx.line + 1 + mark.line if mark is not None else None
        raise ReportError(f"{_where(ctx, line)}: the block is not valid YAML ({exc})") from exc
    if not isinstance(spec, dict):
        raise ReportError(f"{where}: the block must be 'key: value' lines")
    return spec


def render_block(text: str, ctx: BlockContext) -> str:
    """HTML for one fenced block; ReportError for an unknown or malformed block."""
    spec = parse_block(text, ctx)
    for kind, renderer in BLOCK_RENDERERS.items():
        if kind in spec:
            try:
                return renderer(spec, replace(ctx, key_lines=_key_lines(text, ctx)))
            except ReportError:
                raise
            except (AnalysisError, ValidationFailed) as exc:
                raise ReportError(f"{_where(ctx, _key_line(text, ctx, exc))}: {exc}") from exc
    known = ", ".join(sorted(BLOCK_RENDERERS)) or "none registered yet"
    raise ReportError(
        f"{ctx.source_name}:{ctx.line} (block {ctx.block_number}): the block names no known renderer (known: {known})"
    )


# --- block checking ---------------------------------------------------------------


def _key_lines(text: str, ctx: BlockContext) -> dict[str, int]:
    """Line in the file of each top-level key of the block (the fence is ctx.line)."""
    out: dict[str, int] = {}
    for i, line in enumerate(text.splitlines()):
        m = re.match(r"^([A-Za-z_]+)\s*:", line)
        if m:
            out.setdefault(m.group(1), ctx.line + 1 + i)
    return out


def _key_line(text: str, ctx: BlockContext, exc: Exception) -> int:
    """The line of the key an analysis error is about ('where' or 'versus' when named)."""
    lines = _key_lines(text, ctx)
    message = str(exc)
    for key in ("versus", "where", "by", "unit", "period"):
        if key in lines and (message.startswith(f"{key}:") or f"'{key}'" in message):
            return lines[key]
    return lines.get("where", ctx.line)


def _fail(ctx: BlockContext, key: str | None, message: str) -> ReportError:
    line = ctx.key_lines.get(key or "", ctx.line)
    return ReportError(f"{_where(ctx, line)}: {message}")


def _check_keys(spec: dict[str, Any], ctx: BlockContext) -> None:
    unknown = [k for k in spec if k not in KEYS]
    if unknown:
        raise _fail(ctx, unknown[0], f"unknown key {unknown[0]!r} (keys: {', '.join(KEYS)})")
    if "chart" in spec and "table" in spec:
        raise _fail(ctx, "table", "a block is either a chart or a table, not both")
    for key in ("where", "versus", "caption", "title", "source", "by", "unit", "period"):
        if key in spec and spec[key] is not None and not isinstance(spec[key], str | int):
            raise _fail(ctx, key, f"{key!r} must be text")


def _text(spec: dict[str, Any], key: str) -> str | None:
    value = spec.get(key)
    return None if value is None else str(value).strip()


def _by(spec: dict[str, Any], ctx: BlockContext, default: str, allowed: Sequence[str] = DIMENSIONS) -> str:
    by = _text(spec, "by") or default
    if by not in allowed:
        raise _fail(ctx, "by", f"'by: {by}' is not possible here (use one of: {', '.join(allowed)})")
    return by


def _unit(spec: dict[str, Any], ctx: BlockContext, default: str) -> str:
    unit = _text(spec, "unit") or default
    if unit not in UNITS:
        raise _fail(ctx, "unit", f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    return unit


def _labels(spec: dict[str, Any], ctx: BlockContext, where: str | None, versus: str | None) -> tuple[str, str]:
    value = spec.get("labels")
    if value is None:
        return (where or "all events", versus or "all events")
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(ctx, "labels", "'labels' must be a list of two names, e.g. [PLA, Government]")
    return (value[0].strip(), value[1].strip())


# --- data ---------------------------------------------------------------------------

_FRAMES: dict[int, tuple[Sequence[Event], pl.DataFrame]] = {}


def _frame(ctx: BlockContext) -> pl.DataFrame:
    """The events frame for the edition (built once per events list)."""
    key = id(ctx.events)
    cached = _FRAMES.get(key)
    if cached is None or cached[0] is not ctx.events:
        _FRAMES.clear()
        cached = (ctx.events, events_frame(list(ctx.events)))
        _FRAMES[key] = cached
    return cached[1]


def _reference(ctx: BlockContext) -> Reference:
    return ctx.reference or package_reference()


def _selected(spec: dict[str, Any], key: str, ctx: BlockContext) -> pl.DataFrame:
    text = _text(spec, key)
    try:
        return select_events(_frame(ctx), text, _reference(ctx), columns_for([_text(spec, "by") or ""]))
    except SectrackerError as exc:
        raise _fail(ctx, key, f"{key}: {exc}") from exc


def _category_labels() -> dict[str, str]:
    from sectracker.codebook import load_codebook

    cb = load_codebook()
    labels = {c.key: c.label for c in cb.categories}
    labels.update({s.id: s.label for s in cb.sections})
    return labels


def _comparison(spec: dict[str, Any], ctx: BlockContext) -> Comparison:
    if not _text(spec, "versus"):
        raise _fail(ctx, "versus", "a comparison needs 'versus: <selection>' as well as 'where'")
    by = _by(spec, ctx, "region", [d for d in DIMENSIONS if d not in TIME])
    unit = _unit(spec, ctx, "countries" if is_country_dimension(by) else "events")
    a, b = _selected(spec, "where", ctx), _selected(spec, "versus", ctx)
    labels = _labels(spec, ctx, _text(spec, "where"), _text(spec, "versus"))
    return compare_pairs(a, b, by, _reference(ctx), unit, labels)


# --- HTML ---------------------------------------------------------------------------


def _figure(kind: str, ctx: BlockContext, spec: dict[str, Any], body: str, note: str = "") -> str:
    caption = _text(spec, "caption") or ""
    label = f"Exhibit {ctx.block_number}"
    cap = f"<strong>{label}:</strong> {html.escape(caption)}" if caption else f"<strong>{label}</strong>"
    note_html = f'<p class="st-note" style="font-size:0.85em;color:#555;margin:0.3em 0 0">{note}</p>' if note else ""
    opening = (
        f'<figure class="st-exhibit st-{kind}" id="exhibit-{ctx.block_number}" '
        'style="margin:1.2em 0;break-inside:avoid;page-break-inside:avoid">'
    )
    parts = [opening, body, note_html, f"<figcaption>{cap}</figcaption>", "</figure>"]
    return "\n".join(p for p in parts if p)


def _table_html(columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = "".join(
            f'<td style="text-align:right">{html.escape(v)}</td>' if i in numeric else f"<td>{html.escape(v)}</td>"
            for i, v in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}">no events</td></tr>')
    return (
        '<table class="st-table" style="border-collapse:collapse;width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:.0f}%"


# --- charts -------------------------------------------------------------------------


def _missing(spec: dict[str, Any], ctx: BlockContext) -> str | None:
    """A note when the block groups by data this database has not imported (None when it has)."""
    by = _text(spec, "by")
    if by in IMPORT_HINTS and not _reference(ctx).has(by):
        what, command = IMPORT_HINTS[by]
        return (
            f"This exhibit groups countries by {what}, which this database does not hold yet "
            f"(import them with <code>{html.escape(command)}</code>)."
        )
    return None


def render_chart(spec: dict[str, Any], ctx: BlockContext) -> str:
    """A chart block: the chart as inline SVG in a numbered figure."""
    from sectracker.charts.render import to_inline_svg

    _check_keys(spec, ctx)
    kind = _text(spec, "chart")
    if kind not in CHARTS:
        raise _fail(ctx, "chart", f"unknown chart {kind!r} (charts: {', '.join(CHARTS)})")
    missing = _missing(spec, ctx)
    if missing:
        return _figure("chart", ctx, spec, "", missing)
    chart = _CHART_BUILDERS[kind](spec, ctx)
    prefix = f"x{ctx.block_number}-"
    svg = ctx.charts.inline_svg(chart, prefix) if ctx.charts else to_inline_svg(chart, prefix)
    return _figure("chart", ctx, spec, svg)


def _title(spec: dict[str, Any], default: str) -> str:
    return _text(spec, "title") or _text(spec, "caption") or default


def _chart_choropleth(spec: dict[str, Any], ctx: BlockContext) -> Any:
    from sectracker.charts.choropleth import choropleth

    unit = _unit(spec, ctx, "events")
    counts = count_pairs(_selected(spec, "where", ctx), ["country"], _reference(ctx), unit)
    return choropleth(
        counts,
        title=_title(spec, "Counterpart countries"),
        period=ctx.period_label,
        value=unit,
        source=_text(spec, "source") or DEFAULT_SOURCE,
    )


def _chart_bar(spec: dict[str, Any], ctx: BlockContext) -> Any:
    from sectracker.charts.bars import bar_chart

    by = _by(spec, ctx, "category")
    unit = _unit(spec, ctx, "events")
    counts = count_pairs(_selected(spec, "where", ctx), [by], _reference(ctx), unit)
    labels = _category_labels() if by in ("category", "section") else None
    return bar_chart(
        counts,
        by,
        title=_title(spec, f"Events by {by}"),
        period=ctx.period_label,
        value=unit,
        source=_text(spec, "source") or DEFAULT_SOURCE,
        labels=labels,
        axis_title=DIMENSION_TITLES.get(by, by),
    )


def _chart_timeline(spec: dict[str, Any], ctx: BlockContext) -> Any:
    from sectracker.charts.timeline import timeline_chart

    by = _by(spec, ctx, "month", TIME)
    unit = _unit(spec, ctx, "events")
    counts = count_pairs(_selected(spec, "where", ctx), [by], _reference(ctx), unit)
    period = _text(spec, "period")
    if period:
        try:
            first, last = parse_period(period)
        except ValidationFailed as exc:
            raise _fail(ctx, "period", str(exc)) from exc
        counts = complete_periods(counts, by, first, last, unit)
    return timeline_chart(
        counts,
        by,
        title=_title(spec, f"Events per {by}"),
        period=ctx.period_label,
        value=unit,
        source=_text(spec, "source") or DEFAULT_SOURCE,
    )


def _chart_compare(spec: dict[str, Any], ctx: BlockContext) -> Any:
    from sectracker.charts.comparison import comparison_chart

    comparison = _comparison(spec, ctx)
    return comparison_chart(
        comparison,
        title=_title(spec, "Comparison"),
        period=ctx.period_label,
        source=_text(spec, "source") or DEFAULT_SOURCE,
        axis_title=DIMENSION_TITLES.get(comparison.by),
    )


_CHART_BUILDERS: dict[str, Callable[[dict[str, Any], BlockContext], Any]] = {
    "choropleth": _chart_choropleth,
    "bar": _chart_bar,
    "timeline": _chart_timeline,
    "compare": _chart_compare,
}


# --- tables -------------------------------------------------------------------------


def render_table(spec: dict[str, Any], ctx: BlockContext) -> str:
    """A table block: counts, a comparison or top partners, in a numbered figure."""
    _check_keys(spec, ctx)
    kind = _text(spec, "table")
    if kind not in TABLES:
        raise _fail(ctx, "table", f"unknown table {kind!r} (tables: {', '.join(TABLES)})")
    missing = _missing(spec, ctx)
    if missing:
        return _figure("table", ctx, spec, "", missing)
    body, note = _TABLE_BUILDERS[kind](spec, ctx)
    return _figure("table", ctx, spec, body, note)


def _display(by: str, value: str, labels: dict[str, str], ref: Reference) -> str:
    if by in ("category", "section"):
        return labels.get(value, value)
    if by == "country":
        match = ref.countries.filter(pl.col("iso3") == value)
        return str(match["name"][0]) if match.height else value
    return value


def _table_counts(spec: dict[str, Any], ctx: BlockContext) -> tuple[str, str]:
    by = _by(spec, ctx, "category")
    unit = _unit(spec, ctx, "events")
    ref = _reference(ctx)
    counts = count_pairs(_selected(spec, "where", ctx), [by], ref, unit).sort([unit, by], descending=[True, False])
    labels = _category_labels()
    rows = [
        [_display(by, str(r[by]), labels, ref), str(r[unit]), _pct(r["share"])] for r in counts.iter_rows(named=True)
    ]
    table = _table_html([DIMENSION_TITLES.get(by, by), unit.capitalize(), "Share"], rows, {1, 2})
    return table, html.escape(_text(spec, "source") or DEFAULT_SOURCE)


def _table_top(spec: dict[str, Any], ctx: BlockContext) -> tuple[str, str]:
    n = spec.get("n", 10)
    if not isinstance(n, int) or n < 1:
        raise _fail(ctx, "n", "'n' must be a whole number of at least 1")
    by = _by(spec, ctx, "country", [d for d in DIMENSIONS if is_country_dimension(d)])
    top = top_pairs(_selected(spec, "where", ctx), _reference(ctx), n, by)
    labels = _category_labels()
    rows = [
        [str(r["rank"]), str(r["name"]), str(r["events"]), _pct(r["share"]), labels.get(r["top_category"], "")]
        for r in top.iter_rows(named=True)
    ]
    table = _table_html(
        ["Rank", DIMENSION_TITLES.get(by, by), "Events", "Share", "Most frequent category"], rows, {0, 2, 3}
    )
    return table, html.escape(_text(spec, "source") or DEFAULT_SOURCE)


def _table_compare(spec: dict[str, Any], ctx: BlockContext) -> tuple[str, str]:
    from sectracker.charts.comparison import describe_test

    comparison = _comparison(spec, ctx)
    a, b = comparison.labels
    rows = [
        [str(r["key"]), str(r["a"]), _pct(r["a_share"]), str(r["b"]), _pct(r["b_share"]), f"{r['difference_pp']:+.0f}"]
        for r in comparison.table.iter_rows(named=True)
    ]
    unit = comparison.unit
    columns = [
        DIMENSION_TITLES.get(comparison.by, comparison.by),
        f"{a}: {unit}",
        f"{a}: share",
        f"{b}: {unit}",
        f"{b}: share",
        "Difference (points)",
    ]
    note = (
        html.escape(describe_test(comparison.test, unit))
        + "<br>"
        + html.escape(_text(spec, "source") or DEFAULT_SOURCE)
    )
    return _table_html(columns, rows, {1, 2, 3, 4, 5}), note


_TABLE_BUILDERS: dict[str, Callable[[dict[str, Any], BlockContext], tuple[str, str]]] = {
    "counts": _table_counts,
    "top": _table_top,
    "compare": _table_compare,
}

BLOCK_RENDERERS["chart"] = render_chart
BLOCK_RENDERERS["table"] = render_table
