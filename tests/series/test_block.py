"""The `series` focus-topic block: computed changes, never typed, in an exhibit."""

from __future__ import annotations

import pytest

from sectracker.errors import ReportError
from sectracker.report.blocks import BlockContext, render_block
from sectracker.series import block  # noqa: F401  (registers the renderer)


def _ctx() -> BlockContext:
    return BlockContext(events=[], block_number=2, source_name="focus.md", line=10)


def test_a_series_block_shows_the_value_and_its_computed_change() -> None:
    out = render_block("series: [chn.defence-budget, jpn.scrambles-against-china]\ncaption: Key figures\n", _ctx())
    assert "<td>1.27 trillion CNY</td><td>+6.6%</td>" in out
    assert "<td>FY2019</td><td>675 scrambles</td><td>+5.8%</td>" in out
    assert "Exhibit 2:</strong> Key figures" in out


def test_an_unknown_series_names_the_block() -> None:
    with pytest.raises(ReportError, match=r"focus.md:10 \(block 2\): no series chn.nothing"):
        render_block("series: chn.nothing\n", _ctx())
