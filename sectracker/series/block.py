"""A `series` block for focus topics: indicator values with their computed change.

    ```sectracker
    series: [chn.defence-budget, jpn.scrambles-against-china]
    as_of: 2020-06-30
    caption: Figures of the period
    ```

The values come from `ctx.series` when the edition supplies stored series (a
`series` attribute on the block context), else from the bundled 2020-H1 series.
Importing this module registers the renderer in `report.blocks.BLOCK_RENDERERS`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from typing import Any

from sectracker.errors import ReportError
from sectracker.report.blocks import BLOCK_RENDERERS, BlockContext
from sectracker.series.change import latest_change
from sectracker.series.display import format_percent, format_value, period_label
from sectracker.series.files import read_bundled_series
from sectracker.series.models import Series

KEYS = ("series", "as_of", "caption")


def _available(ctx: BlockContext) -> dict[str, Series]:
    given: Sequence[Series] | None = getattr(ctx, "series", None)
    return {s.id: s for s in (given if given else read_bundled_series())}


def _as_of(spec: dict[str, Any], where: str) -> date | None:
    value = spec.get("as_of")
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ReportError(f"{where}: 'as_of' must be a date (YYYY-MM-DD)") from exc


def series_rows(items: Sequence[Series], as_of: date | None) -> list[list[str]]:
    """Indicator, period, value, change on the period before, source: one row per series."""
    rows = []
    for s in items:
        c = latest_change(s, as_of)
        if c is None:
            rows.append([s.name, "", "no value", "", s.source.source])
            continue
        obs = next(o for o in s.observations if o.date == c.date)
        rows.append(
            [
                s.name,
                period_label(c.date, s.frequency, s.year_start_month),
                format_value(c.value, s.unit, obs.qualifier),
                format_percent(c.percent) if c.percent is not None else "",
                s.provenance_of(obs).source,
            ]
        )
    return rows


def render_series(spec: dict[str, Any], ctx: BlockContext) -> str:
    """A table of series values with their change, in a numbered exhibit."""
    where = f"{ctx.source_name}:{ctx.line} (block {ctx.block_number})"
    unknown = [k for k in spec if k not in KEYS]
    if unknown:
        raise ReportError(f"{where}: unknown key {unknown[0]!r} in a series block (keys: {', '.join(KEYS)})")
    ids = spec["series"] if isinstance(spec["series"], list) else [spec["series"]]
    known = _available(ctx)
    missing = [str(i) for i in ids if str(i) not in known]
    if missing:
        raise ReportError(f"{where}: no series {', '.join(missing)} (see `sectracker series list`)")
    rows = series_rows([known[str(i)] for i in ids], _as_of(spec, where))
    head = "".join(f"<th>{h}</th>" for h in ("Indicator", "Period", "Value", "Change", "Source"))
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in rows)
    caption = html.escape(str(spec.get("caption") or "Indicators"))
    return (
        f'<figure class="st-exhibit st-series" id="exhibit-{ctx.block_number}">'
        f'<table class="st-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"<figcaption><strong>Exhibit {ctx.block_number}:</strong> {caption}</figcaption></figure>"
    )


BLOCK_RENDERERS["series"] = render_series
