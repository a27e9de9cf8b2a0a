"""Country profile and partner network."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.analysis.filters import select_events
from sectracker.analysis.network import network_edges, network_nodes, partner_network
from sectracker.analysis.profile import country_events, country_profile
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError


def test_profile_by_half(frame: pl.DataFrame, ref: Reference) -> None:
    assert country_profile(frame, "PAK", ref).rows() == [
        ("2019-H2", "diplomacy.meetings", 1),
        ("2019-H2", "total", 1),
        ("2020-H1", "diplomacy.aid_training", 1),
        ("2020-H1", "diplomacy.exercises_port_calls", 1),
        ("2020-H1", "total", 2),
    ]


def test_profile_events_and_names(frame: pl.DataFrame, ref: Reference) -> None:
    listed = country_events(frame, "Pakistan", ref)
    assert listed.select("id", "with").rows() == [
        ("meet-pak-rus", "RUS"),
        ("exercise-tha", "NGA THA"),
        ("aid-nga-pak", "NGA"),
    ]
    with pytest.raises(AnalysisError, match="unknown country 'Atlantis'"):
        country_profile(frame, "Atlantis", ref)
    assert country_profile(frame, "BRA", ref).height == 0


def test_network_edges(frame: pl.DataFrame, ref: Reference) -> None:
    edges = partner_network(frame, None, ref)
    assert edges.select("source", "target", "weight").rows() == [
        ("NGA", "PAK", 2),
        ("NGA", "THA", 1),
        ("PAK", "RUS", 1),
        ("PAK", "THA", 1),
        ("TWN", "USA", 1),
    ]
    assert edges.row(0, named=True)["source_name"] == "Nigeria"
    assert partner_network(frame, None, ref, min_weight=2).select("source", "target").rows() == [("NGA", "PAK")]
    # a country selection picks events; all their countries take part
    assert partner_network(frame, "country = RUS", ref).select("source", "target").rows() == [("PAK", "RUS")]


def test_network_nodes(frame: pl.DataFrame, ref: Reference) -> None:
    pairs = select_events(frame, None, ref)
    nodes = network_nodes(pairs, network_edges(pairs, ref))
    pak = nodes.filter(pl.col("country") == "PAK").row(0, named=True)
    assert (pak["events"], pak["degree"], pak["strength"]) == (3, 3, 4)
    assert nodes.filter(pl.col("country") == "FRA").select("degree", "strength").row(0) == (0, 0)


def test_covariates(frame: pl.DataFrame, ref: Reference, bare_ref: Reference) -> None:
    from sectracker.analysis.covariates import covariates

    rows = covariates(frame, "id = exercise-tha", ref)
    assert rows.select("country", "income", "bri", "agreement", "alignment_quartile").rows() == [
        ("NGA", "lower_middle", True, 0.9, 4),
        ("PAK", "lower_middle", True, 0.95, 4),
        ("THA", "upper_middle", False, 0.8, 3),  # left the invented BRI list five days earlier
    ]
    bare = covariates(frame, "id = exercise-tha", bare_ref)
    assert bare["income"].null_count() == 3 and bare["bri"].null_count() == 3 and bare["agreement"].null_count() == 3
