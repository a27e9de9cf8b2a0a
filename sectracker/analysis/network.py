"""The partner network: counterpart countries linked through the events they share.

Two countries are linked when one event names both; the weight is the number of
such events. Edges are undirected, listed once with `source` < `target`. A selection
picks events; every counterpart country of a picked event takes part, so
`country = PAK` gives Pakistan's partners.
"""

from __future__ import annotations

import polars as pl

from sectracker.analysis.filters import event_mask, select_events
from sectracker.analysis.selection import Selection, parse_selection
from sectracker.countries.groups import Reference

EDGE_SCHEMA = {
    "source": pl.String,
    "target": pl.String,
    "weight": pl.Int64,
    "source_name": pl.String,
    "target_name": pl.String,
}


def network_edges(pairs: pl.DataFrame, ref: Reference, min_weight: int = 1) -> pl.DataFrame:
    """Edge list of already-selected pairs: source, target, weight (shared events), names."""
    nodes = pairs.filter(pl.col("country").is_not_null()).select("eid", "country")
    if not nodes.height:
        return pl.DataFrame(schema=EDGE_SCHEMA)
    # Work on small integer codes: joining and grouping them is several times faster than strings.
    codes = sorted(nodes["country"].unique().to_list())
    index = {c: i for i, c in enumerate(codes)}
    coded = nodes.select("eid", pl.col("country").replace_strict(index, return_dtype=pl.UInt16).alias("c")).unique()
    multi = coded.group_by("eid").len().filter(pl.col("len") > 1).select("eid")
    shared = coded.join(multi, on="eid", how="semi")
    edges = (
        shared.join(shared, on="eid", suffix="_b")
        .filter(pl.col("c") < pl.col("c_b"))
        .group_by("c", "c_b")
        .agg(pl.len().cast(pl.Int64).alias("weight"))
        .filter(pl.col("weight") >= min_weight)
        .select(
            pl.col("c").replace_strict(dict(enumerate(codes)), return_dtype=pl.String).alias("source"),
            pl.col("c_b").replace_strict(dict(enumerate(codes)), return_dtype=pl.String).alias("target"),
            "weight",
        )
    )
    names = ref.countries.select("iso3", "name")
    return (
        edges.join(names.rename({"iso3": "source", "name": "source_name"}), on="source", how="left")
        .join(names.rename({"iso3": "target", "name": "target_name"}), on="target", how="left")
        .sort(["weight", "source", "target"], descending=[True, False, False])
        .select(list(EDGE_SCHEMA))
    )


def network_nodes(pairs: pl.DataFrame, edges: pl.DataFrame) -> pl.DataFrame:
    """Node list: country, events, degree (number of linked partners), strength (sum of weights)."""
    events = (
        pairs.filter(pl.col("country").is_not_null())
        .group_by("country")
        .agg(pl.col("eid").n_unique().cast(pl.Int64).alias("events"))
    )
    ends = pl.concat(
        [
            edges.select(pl.col("source").alias("country"), "weight"),
            edges.select(pl.col("target").alias("country"), "weight"),
        ]
    )
    links = ends.group_by("country").agg(
        pl.len().cast(pl.Int64).alias("degree"), pl.col("weight").sum().cast(pl.Int64).alias("strength")
    )
    return (
        events.join(links, on="country", how="left")
        .with_columns(pl.col("degree").fill_null(0), pl.col("strength").fill_null(0))
        .sort(["strength", "country"], descending=[True, False])
    )


def partner_network(
    frame: pl.DataFrame, selection: Selection | str | None, ref: Reference, min_weight: int = 1
) -> pl.DataFrame:
    """Edge list of the countries linked through the selected events (all of each event's countries)."""
    sel = selection if isinstance(selection, Selection) else parse_selection(selection)
    if any(c.level == "country" for c in sel.conditions):
        kept = select_events(frame, sel, ref)["eid"].unique().implode()
        keep: pl.Series | None = frame.select(pl.col("eid").is_in(kept)).to_series()
    else:
        keep = event_mask(frame, sel)
    chosen = frame.select("eid", "countries") if keep is None else frame.select("eid", "countries").filter(keep)
    slim = chosen.filter(pl.col("countries").list.len() > 1).explode("countries").rename({"countries": "country"})
    return network_edges(slim, ref, min_weight)
