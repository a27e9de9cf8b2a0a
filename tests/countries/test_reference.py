"""Country codes, names, aliases, UN regions and continents."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.countries.reference import (
    _converter_rows,
    all_countries,
    countries_frame,
    country,
    find_country,
    resolve_country,
)
from sectracker.errors import AnalysisError


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("NGA", "NGA"),
        ("ng", "NGA"),
        ("566", "NGA"),
        ("Nigeria", "NGA"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Burma", "MMR"),
        ("South Korea", "KOR"),
        ("DPRK", "PRK"),
        ("Kosovo", "XKX"),
        ("XK", "XKX"),
        ("Taiwan", "TWN"),
        ("Russian Federation", "RUS"),
        ("Viet Nam", "VNM"),
        ("united states of america", "USA"),
    ],
)
def test_codes_and_names_resolve(text: str, iso3: str) -> None:
    assert resolve_country(text) == iso3


def test_unknown_country_is_an_analysis_error() -> None:
    assert find_country("Narnia") is None
    with pytest.raises(AnalysisError, match="unknown country 'Narnia'"):
        resolve_country("Narnia")


def test_every_iso_country_with_regions() -> None:
    countries = all_countries()
    assert len(countries) == 250  # 249 ISO 3166-1 entries + Kosovo
    nga = country("NGA")
    assert (nga.iso2, nga.numeric, nga.region, nga.subregion, nga.intermediate_region, nga.continent) == (
        "NG",
        "566",
        "Africa",
        "Sub-Saharan Africa",
        "Western Africa",
        "Africa",
    )
    assert country("DEU").subregion == "Western Europe"
    assert country("BRA").subregion == "Latin America and the Caribbean"
    kosovo = country("XKX")
    assert (kosovo.numeric, kosovo.region) == (None, "Europe")
    frame = countries_frame()
    assert frame.filter(pl.col("region").is_null())["iso3"].to_list() == ["ATA"]
    assert sorted(frame["region"].drop_nulls().unique().to_list()) == [
        "Africa",
        "Americas",
        "Asia",
        "Europe",
        "Oceania",
    ]


def test_converter_table_read_as_text_is_the_one_country_converter_loads() -> None:
    import country_converter as coco  # loads pandas, which the package itself avoids

    columns = ["ISO3", "name_short", "name_official", "UNregion", "continent"]
    loaded = {str(r["ISO3"]): r for r in coco.CountryConverter().data[columns].to_dict("records")}
    read = {iso3: {c: row[c] for c in columns} for iso3, row in _converter_rows().items()}
    assert read == loaded
