"""Rendering chart specs offline with vl-convert: SVG, PNG, the spec, a self-contained page.

Several SVGs inlined in one HTML page must not share element ids, so `to_svg` can
prefix every id (and every reference to it) with a figure-specific string.
`print_svg` trims an SVG to what a PDF draws.
"""

from __future__ import annotations

import json
import re
from typing import Any

import vl_convert as vlc

from sectracker.charts.world import WORLD_DATA, world_topology
from sectracker.errors import ReportError

_XML_DECLARATION = re.compile(r"^<\?xml[^>]*>\s*")


def to_spec(chart: Any) -> dict[str, Any]:
    """The Vega-Lite spec as a dict (data inline, so it is self-contained)."""
    return _spec(chart, shared=False)


def _spec(chart: Any, *, shared: bool) -> dict[str, Any]:
    """The spec; with `shared`, the world geometry is the cached one (for vl-convert, which only reads it)."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    if f'"{WORLD_DATA}"' in json.dumps(spec):
        spec.setdefault("datasets", {})[WORLD_DATA] = world_topology(copy=not shared)
    return spec


def to_json(chart: Any) -> str:
    """The Vega-Lite spec as JSON text with sorted keys (same chart, same bytes)."""
    return json.dumps(to_spec(chart), sort_keys=True, ensure_ascii=False)


def to_spec_json(chart: Any) -> str:
    """The spec as JSON text for vl-convert (keys in the chart's order, as `to_svg` passes them)."""
    return json.dumps(_spec(chart, shared=True), ensure_ascii=False)


def to_svg(chart: Any, id_prefix: str | None = None) -> str:
    """The chart as SVG text; ids made unique with `id_prefix` when it will be inlined."""
    svg = svg_from_spec(_spec(chart, shared=True))
    return prefix_ids(svg, id_prefix) if id_prefix else svg


def svg_from_spec(spec: dict[str, Any]) -> str:
    """SVG text for a Vega-Lite spec, without the XML declaration.

    A dict, not JSON text: vl-convert's JSON parser may round a float one bit differently.
    """
    try:
        svg: str = vlc.vegalite_to_svg(spec)
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError from Rust
        raise ReportError(f"the chart could not be rendered: {exc}") from exc
    return _XML_DECLARATION.sub("", svg)


def to_inline_svg(chart: Any, id_prefix: str) -> str:
    """SVG for inlining in HTML: ids prefixed, and sized by its viewBox so it scales to the page."""
    return inline_svg_from(to_svg(chart), id_prefix)


def inline_svg_from(svg: str, id_prefix: str) -> str:
    """`svg` made ready for inlining: ids prefixed, and sized by its viewBox so it scales to the page.

    The root's width and height become a max-width; with them fixed, WeasyPrint keeps the
    full height while shrinking the drawing, leaving empty bands above and below.
    """
    svg = prefix_ids(svg, id_prefix)
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
        png: bytes = vlc.vegalite_to_png(_spec(chart, shared=True), scale=scale)
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


# Attributes that only label the drawing for screen readers and browsers; a PDF draws none of them.
_UNDRAWN_ATTRIBUTE = re.compile(r'\s(?:aria-[a-z]+|role|class|pointer-events)="[^"]*"')
# Marks vega hides by opacity 0 (axis labels that would overlap), written out all the same.
_HIDDEN_MARK = re.compile(r'<(text|line)\b[^>]*\sopacity="0"[^>]*(?:/>|>[^<]*</\1>)')
_PATH_DATA = re.compile(r'\sd="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def print_svg(svg: str) -> str:
    """The SVG with only what a PDF draws.

    Screen-reader labels and marks hidden by vega go, and path coordinates are rounded to a
    tenth of a pixel (about 0.03 mm on the page): WeasyPrint's time grows with the nodes,
    attributes and digits it reads.
    """
    svg = _UNDRAWN_ATTRIBUTE.sub("", svg).replace(' transform="translate(0,0)"', "")
    svg = _HIDDEN_MARK.sub("", svg)
    return _PATH_DATA.sub(lambda m: f' d="{_DECIMAL.sub(_tenth, m.group(1))}"', svg)


def _tenth(m: re.Match[str]) -> str:
    text = f"{float(m.group(0)):.1f}".removesuffix(".0")
    return "0" if text == "-0" else text
