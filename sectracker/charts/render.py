"""Rendering chart specs offline with vl-convert: SVG, PNG, the spec, a self-contained page.

Several SVGs inlined in one HTML page must not share element ids, so `to_svg` can
prefix every id (and every reference to it) with a figure-specific string.
"""

from __future__ import annotations

import json
import re
from typing import Any

import vl_convert as vlc

from sectracker.charts.world import WORLD_DATA, world_topology
from sectracker.errors import ReportError


def to_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec as a dict (data inline, so it is self-contained)."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    if f'"{WORLD_DATA}"' in json.dumps(spec):
        spec.setdefault("datasets", {})[WORLD_DATA] = world_topology()
    return spec


def to_json(chart: Any) -> str:
    """The Vega-Lite spec as JSON text with sorted keys (same chart, same bytes)."""
    return json.dumps(to_spec(chart), sort_keys=True, ensure_ascii=False)


def to_svg(chart: Any, id_prefix: str | None = None) -> str:
    """The chart as SVG text; ids made unique with `id_prefix` when it will be inlined."""
    try:
        svg: str = vlc.vegalite_to_svg(to_spec(chart))
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError from Rust
        raise ReportError(f"the chart could not be rendered: {exc}") from exc
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return prefix_ids(svg, id_prefix) if id_prefix else svg


def to_inline_svg(chart: Any, id_prefix: str) -> str:
    """SVG for inlining in HTML: ids prefixed, and sized by its viewBox so it scales to the page.

    The root's width and height become a max-width; with them fixed, WeasyPrint keeps the
    full height while shrinking the drawing, leaving empty bands above and below.
    """
    svg = to_svg(chart, id_prefix)
    root = re.match(r"<svg[^>]*>", svg)
    if root is None:
        return svg
    tag = root.group(0)
    width = re.search(r'\swidth="([\d.]+)"', tag)
    new = re.sub(r'\s(?:width|height)="[\d.]+"', "", tag)
    style = f"width:100%;max-width:{width.group(1)}px;height:auto" if width else "width:100%;height:auto"
    new = new.replace("<svg", f'<svg style="{style}" role="img"', 1)
    return new + svg[len(tag) :]


def to_png(chart: Any, scale: float = 2.0) -> bytes:
    try:
        png: bytes = vlc.vegalite_to_png(to_spec(chart), scale=scale)
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError from Rust
        raise ReportError(f"the chart could not be rendered: {exc}") from exc
    return png


def to_html(chart: Any) -> str:
    """A self-contained interactive page (Vega bundled by vl-convert, no network needed)."""
    html: str = vlc.vegalite_to_html(to_spec(chart), bundle=True)
    return html


_ID = re.compile(r'\bid="([^"]+)"')


def prefix_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an SVG and every url(#id) / href="#id" pointing at one."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg

    def ref(m: re.Match[str]) -> str:
        name = m.group(2)
        return f"{m.group(1)}{prefix}{name}" if name in ids else m.group(0)

    svg = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', svg)
    return re.sub(r'(url\(#|href="#)([^)"]+)', ref, svg)
