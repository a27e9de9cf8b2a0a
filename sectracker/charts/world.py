"""World geometry for choropleths, with every feature's ISO3 code attached.

Features are joined to our country table on their ISO numeric id; the three without
one (Kosovo, Northern Cyprus, Somaliland) are matched by name from `map_names`.
Antarctica is dropped: no tracker event is set there and it eats a fifth of the map.
"""

from __future__ import annotations

import json
from copy import deepcopy
from functools import lru_cache
from importlib import resources
from typing import Any

from sectracker.countries.reference import map_names, numeric_to_iso3

ATLAS_PACKAGE = "sectracker.charts.world_atlas"
ATLAS_FILE = "countries-110m.json"
OBJECT = "countries"
WORLD_DATA = "sectracker-world-110m"
DROPPED = {"010"}  # Antarctica


@lru_cache(maxsize=1)
def _atlas() -> dict[str, Any]:
    text = resources.files(ATLAS_PACKAGE).joinpath(ATLAS_FILE).read_text(encoding="utf-8")
    topo = json.loads(text)
    by_numeric = numeric_to_iso3()
    by_name = map_names()
    kept = []
    for geom in topo["objects"][OBJECT]["geometries"]:
        fid = geom.get("id")
        if fid in DROPPED:
            continue
        props = geom.setdefault("properties", {})
        props["iso3"] = by_numeric.get(fid) if fid else by_name.get(props.get("name", ""))
        kept.append(geom)
    topo["objects"][OBJECT]["geometries"] = kept
    topo["objects"].pop("land", None)
    return topo


def world_topology(*, copy: bool = True) -> dict[str, Any]:
    """The TopoJSON topology with `properties.iso3` on every feature: a fresh copy, or with
    `copy=False` the cached one, which the caller must not change."""
    return deepcopy(_atlas()) if copy else _atlas()


def mapped_iso3() -> set[str]:
    """ISO3 codes that have a shape on the map (small states such as Singapore do not)."""
    return {g["properties"]["iso3"] for g in _atlas()["objects"][OBJECT]["geometries"] if g["properties"].get("iso3")}
