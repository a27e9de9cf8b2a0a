"""The edition's own exhibits: an overview map of counterpart countries and a chart per section.

They are rendered through the same block renderers as focus-topic exhibits and numbered
after them, so every exhibit of an edition has a distinct number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from sectracker.countries.groups import Reference
from sectracker.models import Event
from sectracker.report.blocks import BlockContext, render_block
from sectracker.report.edition import Edition

if TYPE_CHECKING:
    from sectracker.charts.worker import ChartWorker

MIN_SECTION_CATEGORIES = 2  # a bar chart of one category says nothing the heading does not


def add_edition_charts(
    edition: Edition, events: Sequence[Event], reference: Reference | None, charts: ChartWorker | None = None
) -> Edition:
    """The edition with its overview map and per-section category charts.

    With `charts`, the charts are the worker's placeholders for their SVGs.
    """
    if not events:
        return edition
    number = len(re.findall(r'id="exhibit-\d+"', edition.focus.html)) if edition.focus else 0
    ctx = BlockContext(events, number + 1, "edition", 0, edition.label, reference, charts=charts)
    overview = render_block(
        "chart: choropleth\ntitle: Counterpart countries\n"
        "caption: Counterpart countries named in the events of this edition.\n",
        ctx,
    )
    per_section = []
    for section in edition.sections:
        keys = sorted({c.key for g in section.groups for c in g.categories})
        if len(keys) < MIN_SECTION_CATEGORIES:
            continue
        ctx = replace(ctx, block_number=ctx.block_number + 1)
        spec = (
            f"chart: bar\nby: category\nwhere: category in ({', '.join(keys)})\n"
            f"title: {json.dumps(section.label + ': events per category')}\n"
            f"caption: {json.dumps('Events per category in ' + section.label + '.')}\n"
        )
        per_section.append((section.id, render_block(spec, ctx)))
    return replace(edition, overview_html=overview, section_charts=tuple(per_section))
