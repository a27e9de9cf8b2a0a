"""Fenced `sectracker` blocks in a focus topic: an analysis or chart rendered in place.

A block is YAML inside a ```sectracker fence, e.g.::

    chart: choropleth
    where: category = diplomacy.aid_training
    caption: Recipients of PLA donations

`render_block` returns an HTML fragment (a figure or table) for it. The analysis
engine registers renderers in BLOCK_RENDERERS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from sectracker.errors import ReportError
from sectracker.models import Event


@dataclass(frozen=True)
class BlockContext:
    """What a block may use: the edition's events and where the block sits."""

    events: Sequence[Event]
    block_number: int
    source_name: str
    line: int
    period_label: str = ""


# kind of block ("chart", "table", "analysis", ...) -> renderer(spec, context) -> HTML
BLOCK_RENDERERS: dict[str, Callable[[dict[str, Any], BlockContext], str]] = {}


def parse_block(text: str, ctx: BlockContext) -> dict[str, Any]:
    """The block's YAML as a mapping; ReportError names the block and line."""
    where = f"{ctx.source_name}:{ctx.line} (block {ctx.block_number})"
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReportError(f"{where}: the block is not valid YAML ({exc})") from exc
    if not isinstance(spec, dict):
        raise ReportError(f"{where}: the block must be 'key: value' lines")
    return spec


def render_block(text: str, ctx: BlockContext) -> str:
    """HTML for one fenced block; ReportError for an unknown or malformed block."""
    spec = parse_block(text, ctx)
    for kind, renderer in BLOCK_RENDERERS.items():
        if kind in spec:
            return renderer(spec, ctx)
    known = ", ".join(sorted(BLOCK_RENDERERS)) or "none registered yet"
    raise ReportError(
        f"{ctx.source_name}:{ctx.line} (block {ctx.block_number}): the block names no known renderer (known: {known})"
    )
