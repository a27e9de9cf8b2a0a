"""Every ISO 3166 country with its codes, names, aliases, UN M49 region and continent.

Built at run time from pycountry (ISO 3166-1 codes and names) and country_converter
(UN M49 sub-regions, continents, short names), plus our additions in `extra.yaml`
(Kosovo, aliases in common use, map names). `resolve_country` turns any code or
name into an alpha-3 code, or raises AnalysisError naming the text.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import polars as pl
import pycountry
import yaml

from sectracker.errors import AnalysisError, CodebookError

EXTRA_FILE = "extra.yaml"
CONVERTER_PACKAGE = "country_converter"
CONVERTER_FILE = "country_data.tsv"

# UN M49: sub-region (or, in Africa and the Americas, intermediate region) -> region.
M49_REGION = {
    "Northern Africa": "Africa",
    "Eastern Africa": "Africa",
    "Middle Africa": "Africa",
    "Southern Africa": "Africa",
    "Western Africa": "Africa",
    "Caribbean": "Americas",
    "Central America": "Americas",
    "South America": "Americas",
    "Northern America": "Americas",
    "Central Asia": "Asia",
    "Eastern Asia": "Asia",
    "South-eastern Asia": "Asia",
    "Southern Asia": "Asia",
    "Western Asia": "Asia",
    "Eastern Europe": "Europe",
    "Northern Europe": "Europe",
    "Southern Europe": "Europe",
    "Western Europe": "Europe",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}
# M49 groups intermediate regions into these two sub-regions.
M49_SUBREGION = {
    "Eastern Africa": "Sub-Saharan Africa",
    "Middle Africa": "Sub-Saharan Africa",
    "Southern Africa": "Sub-Saharan Africa",
    "Western Africa": "Sub-Saharan Africa",
    "Caribbean": "Latin America and the Caribbean",
    "Central America": "Latin America and the Caribbean",
    "South America": "Latin America and the Caribbean",
}


@dataclass(frozen=True)
class Country:
    """One country or territory: codes, names, and where it sits in the world."""

    iso3: str
    iso2: str
    numeric: str | None
    name: str
    official_name: str
    aliases: tuple[str, ...]
    region: str | None
    subregion: str | None
    intermediate_region: str | None
    continent: str | None


def _fold(text: str) -> str:
    """Lower-case, accents and punctuation dropped: the key for name look-ups."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _read_extra() -> dict[str, Any]:
    name = f"sectracker/countries/{EXTRA_FILE}"
    text = resources.files("sectracker.countries").joinpath(EXTRA_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not {"countries", "aliases", "map_names"} <= set(data):
        raise CodebookError(f"{name}: needs the keys countries, aliases and map_names")
    return data


def _converter_rows() -> dict[str, dict[str, Any]]:
    """country_converter's table by ISO3, the rows `CountryConverter().data` holds.

    Obsolete rows are left out and, where a name repeats, the later row wins. The file is
    read as text: importing country_converter would load pandas (about 0.5 s).
    """
    spec = find_spec(CONVERTER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"No module named {CONVERTER_PACKAGE!r}", name=CONVERTER_PACKAGE)
    path = Path(next(iter(spec.submodule_search_locations)), CONVERTER_FILE)
    with path.open(encoding="utf-8", newline="") as f:
        records = [r for r in csv.DictReader(f, delimiter="\t") if not r["obsolete"].strip()]
    for unique in ("name_short", "name_official", "regex"):
        last = {r[unique]: i for i, r in enumerate(records)}
        records = [r for i, r in enumerate(records) if last[r[unique]] == i]
    return {r["ISO3"]: r for r in records}


def _from_pycountry(c: Any, conv: dict[str, Any], extra_aliases: list[str]) -> Country:
    iso_name = str(getattr(c, "common_name", None) or c.name)
    short = str(conv.get("name_short") or iso_name)
    official = str(getattr(c, "official_name", None) or conv.get("name_official") or c.name)
    sub = conv.get("UNregion")
    sub = str(sub) if isinstance(sub, str) and sub in M49_REGION else None
    continent = conv.get("continent")
    names = {short, iso_name, str(c.name), official, *(str(a) for a in extra_aliases)}
    if c.alpha_3 == "TWN":
        short, official = "Taiwan", "Taiwan"
    return Country(
        iso3=c.alpha_3,
        iso2=c.alpha_2,
        numeric=c.numeric,
        name=short,
        official_name=official,
        aliases=tuple(sorted(n for n in names if n and n != short)),
        region=M49_REGION.get(sub) if sub else None,
        subregion=M49_SUBREGION.get(sub, sub) if sub else None,
        intermediate_region=sub if sub in M49_SUBREGION else None,
        continent=str(continent) if isinstance(continent, str) and continent != "Antarctica" else None,
    )


@lru_cache(maxsize=1)
def all_countries() -> dict[str, Country]:
    """Every country keyed by alpha-3 code (ISO 3166-1 plus our additions)."""
    extra = _read_extra()
    conv = _converter_rows()
    aliases: dict[str, list[str]] = {k: list(v) for k, v in (extra["aliases"] or {}).items()}
    out = {
        c.alpha_3: _from_pycountry(c, conv.get(c.alpha_3, {}), aliases.get(c.alpha_3, [])) for c in pycountry.countries
    }
    for rec in extra["countries"]:
        iso3 = str(rec["iso3"])
        out[iso3] = Country(
            iso3=iso3,
            iso2=str(rec["iso2"]),
            numeric=rec.get("numeric"),
            name=str(rec["name"]),
            official_name=str(rec.get("official_name") or rec["name"]),
            aliases=tuple(a for a in aliases.get(iso3, []) if a != rec["name"]),
            region=rec.get("region"),
            subregion=rec.get("subregion"),
            intermediate_region=rec.get("intermediate_region"),
            continent=rec.get("continent"),
        )
    return dict(sorted(out.items()))


@lru_cache(maxsize=1)
def map_names() -> dict[str, str]:
    """Map feature name -> alpha-3 code, for features that carry no ISO numeric id."""
    return {str(k): str(v) for k, v in _read_extra()["map_names"].items()}


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in all_countries().values():
        for text in (c.name, c.official_name, *c.aliases):
            table.setdefault(_fold(text), c.iso3)
    for c in all_countries().values():  # codes win over names
        table[_fold(c.iso3)] = c.iso3
        table[_fold(c.iso2)] = c.iso3
    return table


def find_country(text: str) -> str | None:
    """The alpha-3 code for a code (alpha-3, alpha-2, numeric) or name; None if unknown."""
    key = _fold(text)
    if not key:
        return None
    if key.isdigit():
        return numeric_to_iso3().get(key.zfill(3))
    return _lookup().get(key)


def resolve_country(text: str) -> str:
    """The alpha-3 code for a code or name; AnalysisError naming the text if unknown."""
    code = find_country(text)
    if code is None:
        raise AnalysisError(f"unknown country {text!r}: use an ISO 3166 code (NGA, NG) or an English name")
    return code


def country(iso3: str) -> Country:
    """The record for an alpha-3 code; AnalysisError if there is none."""
    found = all_countries().get(iso3.upper())
    if found is None:
        raise AnalysisError(f"unknown country code {iso3!r}")
    return found


@lru_cache(maxsize=1)
def numeric_to_iso3() -> dict[str, str]:
    return {c.numeric: c.iso3 for c in all_countries().values() if c.numeric}


def countries_frame() -> pl.DataFrame:
    """One row per country: iso3, iso2, numeric, name, region, subregion, continent."""
    rows = [
        {
            "iso3": c.iso3,
            "iso2": c.iso2,
            "numeric": c.numeric,
            "name": c.name,
            "region": c.region,
            "subregion": c.subregion,
            "intermediate_region": c.intermediate_region,
            "continent": c.continent,
        }
        for c in all_countries().values()
    ]
    return pl.DataFrame(rows, schema=_FRAME_SCHEMA)


_FRAME_SCHEMA = {
    "iso3": pl.String,
    "iso2": pl.String,
    "numeric": pl.String,
    "name": pl.String,
    "region": pl.String,
    "subregion": pl.String,
    "intermediate_region": pl.String,
    "continent": pl.String,
}
