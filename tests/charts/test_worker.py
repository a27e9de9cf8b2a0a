"""The chart worker gives the SVGs rendering in this process gives, and falls back to it when it cannot run."""

from __future__ import annotations

from typing import Any

import pytest

from sectracker.analysis.counts import count_events
from sectracker.charts import worker as worker_module
from sectracker.charts.bars import bar_chart
from sectracker.charts.choropleth import choropleth
from sectracker.charts.render import to_inline_svg
from sectracker.charts.worker import ChartWorker
from sectracker.countries.groups import package_reference
from sectracker.errors import ReportError
from tests.analysis.fixtures import sample_frame


@pytest.fixture(scope="module")
def charts() -> list[Any]:
    frame, ref = sample_frame(), package_reference()
    return [
        bar_chart(count_events(frame, None, ["category"], ref), "category", title="By category", period="2020"),
        choropleth(count_events(frame, None, ["country"], ref), title="Counterparts", period="2020"),
    ]


class Unrenderable:
    """A chart whose spec vl-convert rejects."""

    def to_dict(self, validate: bool = False) -> dict[str, Any]:
        return {"mark": "no-such-mark"}


def test_worker_svgs_are_the_ones_rendered_here(charts: list[Any]) -> None:
    with ChartWorker() as worker:
        text = "<p>" + "</p><p>".join(worker.inline_svg(c, f"x{n}-") for n, c in enumerate(charts)) + "</p>"
        assert "<svg" not in text
        filled = worker.fill(text)
    expected = "<p>" + "</p><p>".join(to_inline_svg(c, f"x{n}-") for n, c in enumerate(charts)) + "</p>"
    assert filled == expected


def test_charts_are_rendered_here_when_the_worker_cannot_start(
    charts: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker_module.sys, "executable", "/nonexistent/python")
    with ChartWorker() as worker:
        assert worker.fill(worker.inline_svg(charts[0], "x1-")) == to_inline_svg(charts[0], "x1-")


def test_charts_are_rendered_here_when_the_worker_stops(charts: list[Any]) -> None:
    with ChartWorker() as worker:
        worker._process.kill()  # type: ignore[union-attr]
        assert worker.fill(worker.inline_svg(charts[0], "x1-")) == to_inline_svg(charts[0], "x1-")


def test_a_chart_that_cannot_be_drawn_is_a_report_error(charts: list[Any]) -> None:
    with ChartWorker() as worker:
        bad, good = worker.inline_svg(Unrenderable(), "x1-"), worker.inline_svg(charts[0], "x2-")
        with pytest.raises(ReportError, match="could not be rendered"):
            worker.fill(bad)
        assert worker.fill(good) == to_inline_svg(charts[0], "x2-")  # the worker goes on after a failure
