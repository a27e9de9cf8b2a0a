"""Focus-topic blocks: charts and tables with numbered captions; bad blocks name file, block and line."""

from __future__ import annotations

import re

import pytest

from sectracker.countries.groups import package_reference
from sectracker.errors import ReportError
from sectracker.exchange.readers import read_bundled
from sectracker.report.blocks import BlockContext, render_block
from sectracker.report.focus import load_focus, render_focus
from tests.analysis.fixtures import full_reference, sample_events

EVENTS = sample_events()


def ctx(number: int = 3, line: int = 20, **kw: object) -> BlockContext:
    return BlockContext(EVENTS, number, "focus.md", line, "January-June 2020", **kw)  # type: ignore[arg-type]


def cells(html: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]


def test_chart_block_is_a_numbered_figure_with_inline_svg() -> None:
    html = render_block("chart: bar\nby: category\ncaption: What China did", ctx())
    assert html.startswith('<figure class="st-exhibit st-chart" id="exhibit-3"')
    assert "<figcaption><strong>Exhibit 3:</strong> What China did</figcaption>" in html
    assert "<svg " in html and "\n\n" not in html
    assert "Force Deployments" in html  # codebook label, not the key
    assert re.search(r'id="(?!x3-)', html.split("<svg", 1)[1]) is None  # every id prefixed for this figure


def test_every_chart_kind_renders() -> None:
    blocks = [
        "chart: choropleth\nwhere: section = diplomacy",
        "chart: timeline\nperiod: 2020-H1",
        "chart: compare\nwhere: section = diplomacy\nversus: section = projection\nby: oecd\nlabels: [Help, Push]",
        "chart: bar\nwhere: country = BRA",
    ]
    for n, text in enumerate(blocks, start=1):
        html = render_block(text, ctx(n))
        assert f"Exhibit {n}" in html and "<svg" in html
    assert "no events" in render_block(blocks[-1], ctx())


def test_counts_and_top_tables() -> None:
    counts = cells(render_block("table: counts\nby: region\ncaption: By region", ctx()))
    assert counts[0] == ["Region (UN M49)", "Events", "Share"]
    assert counts[1:] == [
        ["Asia", "6", "86%"],
        ["Africa", "2", "29%"],
        ["Europe", "2", "29%"],
        ["Americas", "1", "14%"],
    ]
    top = cells(render_block("table: top\nn: 2", ctx()))
    assert top[1:] == [
        ["1", "Pakistan", "3", "43%", "Military aid and training"],
        ["2", "Nigeria", "2", "29%", "Military aid and training"],
    ]


def test_compare_table_with_test_note() -> None:
    html = render_block(
        "table: compare\nwhere: category in (diplomacy.aid_training, diplomacy.exercises_port_calls)\n"
        "versus: category = projection.deployments\nby: oecd\nlabels: [Aid, Drills]",
        ctx(),
    )
    assert cells(html)[1:] == [
        ["OECD member", "1", "20%", "2", "67%", "-47"],
        ["not OECD member", "4", "80%", "1", "33%", "+47"],
    ]
    assert "Fisher&#x27;s exact test: p = 0.464; odds ratio 0.12" in html


def test_imported_groups_come_from_the_context() -> None:
    text = "table: counts\nby: income"
    assert "does not hold yet" in render_block(text, ctx(reference=package_reference()))
    rows = cells(render_block(text, ctx(reference=full_reference())))
    assert ["High income", "3", "43%"] in rows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("chart: pie", "focus.md:21 (block 3): unknown chart 'pie' (charts: choropleth, bar, timeline, compare)"),
        ("table: counts\ncolour: red", "focus.md:22 (block 3): unknown key 'colour'"),
        (
            "chart: bar\nwhere: country = Narnia",
            "focus.md:22 (block 3): where: selection 'country = Narnia', "
            "position 11: country: unknown country 'Narnia'",
        ),
        ("chart: bar\nwhere: group = nato\nby: colour", "focus.md:23 (block 3): 'by: colour' is not possible"),
        ("chart: compare\nwhere: tag = covid-19", "focus.md:20 (block 3): a comparison needs 'versus"),
        ("chart: compare\nwhere: tag = x\nversus: contry = NGA", "focus.md:23 (block 3): versus: selection"),
        ("chart: bar\nwhere: [1, 2", "focus.md:22 (block 3): the block is not valid YAML"),
        ("just text", "focus.md:20 (block 3): the block must be 'key: value' lines"),
        ("caption: no kind", "the block names no known renderer"),
        ("chart: bar\ntable: counts", "focus.md:22 (block 3): a block is either a chart or a table"),
        ("table: top\nn: -1", "focus.md:22 (block 3): 'n' must be a whole number"),
        ("chart: bar\nwhere: group = bri", "focus.md:22 (block 3): where: no bri data in this database yet"),
    ],
)
def test_bad_blocks_name_file_block_and_line(text: str, message: str) -> None:
    with pytest.raises(ReportError) as info:
        render_block(text, ctx())
    assert message in str(info.value)


def test_bundled_focus_topic_renders_with_the_bundled_events() -> None:
    source = load_focus(None, "2020-H1")
    assert source is not None
    topic = render_focus(source, read_bundled(), "January-June 2020")
    html = topic.html
    assert topic.title.startswith("Masks, medics and manoeuvres")
    assert [int(n) for n in re.findall(r'id="exhibit-(\d+)"', html)] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert html.count('class="st-exhibit st-chart"') == 5 and html.count('class="st-exhibit st-table"') == 2
    assert 'aria-roledescription="geoshape"' in html  # the map
    # the indicators exhibit computes the budget's change from the two stored values
    assert "<td>1.27 trillion CNY</td><td>+6.6%</td>" in html


def test_focus_topic_claims_hold_for_the_bundled_data() -> None:
    from sectracker.analysis.compare import compare
    from sectracker.analysis.loader import events_frame

    frame = events_frame(read_bundled())
    help_ = (
        "category in (diplomacy.aid_training, diplomacy.exercises_port_calls, projection.humanitarian, "
        "projection.peacekeeping)"
    )
    result = compare(frame, help_, "category = projection.deployments", "oecd", package_reference())
    assert result.table.select("key", "a").rows()[0] == ("OECD member", 0)  # "not one ... belongs to the OECD"
    pressure = compare(frame, help_, "category = projection.deployments", "country", package_reference())
    pushed = set(pressure.table.filter(pressure.table["b"] > 0)["key"])
    assert pushed == {"JPN", "USA", "TWN", "VNM", "MYS", "IND"}
    regions = compare(frame, help_, "category = projection.deployments", "region", package_reference()).table
    africa = regions.filter(regions["key"] == "Africa").row(0, named=True)
    assert africa["a"] > 0 and africa["b"] == 0  # "Africa appears only on the cooperative side"
