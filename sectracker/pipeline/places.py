"""Stage *places*: find security-relevant places and world cities, with coordinates.

Reads: ``doc.units`` (segments) and the document text.
Adds: ``unit.places`` — one PlaceMention per place name found: seas, straits, islands,
reefs and shoals, border areas, bases, ports, launch and test sites, capitals and major
cities, each with its coordinates, kind, host country (when one is undisputed) and the
precision of its coordinates.

Matching is case-sensitive on word boundaries (so "Ream" the naval base never matches
"ream" of paper), the longest name wins ("Gulf of Aden" over "Aden"), and names that
are also common words or names elsewhere ("Victoria", "Male", "Kingston") count only
when no capitalised name sits right next to them. The gazetteer is data:
``gazetteers/places.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from sectracker.countries.codes import is_iso3
from sectracker.errors import CodebookError
from sectracker.models import LocationPrecision
from sectracker.pipeline.phrases import PhraseMatcher, distribute_to_units
from sectracker.pipeline.records import AnalysedDocument, PlaceMention

STAGE = "places"
STAGE_VERSION = "1"
DATA_FILE = "gazetteers/places.yaml"

FIELDS = {
    "name",
    "aliases",
    "kind",
    "lat",
    "lon",
    "iso3",
    "disputed",
    "capital_of",
    "precision",
    "metonym",
    "ambiguous",
}
_NEIGHBOUR_NAME = re.compile(r"^ [A-Z][a-z]")
_PREV_NAME = re.compile(r"[A-Z][a-z]+ $")


@dataclass(frozen=True)
class Place:
    """One gazetteer entry."""

    name: str
    kind: str
    lat: float
    lon: float
    aliases: tuple[str, ...] = ()
    iso3: str | None = None
    disputed: bool = False
    capital_of: str | None = None
    precision: LocationPrecision = LocationPrecision.approximate
    ambiguous: bool = False


@lru_cache(maxsize=1)
def load_places() -> tuple[Place, ...]:
    """The place gazetteer shipped in the package, validated (cached)."""
    name = f"sectracker/pipeline/{DATA_FILE}"
    text = resources.files("sectracker.pipeline").joinpath(DATA_FILE).read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    items = None
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if k.value == "places"), None)
    if not isinstance(items, yaml.SequenceNode):
        raise CodebookError(f"{name}: expected a mapping with a 'places' list")
    return tuple(_place(node, name) for node in items.value)


def _place(node: yaml.Node, name: str) -> Place:
    where = f"{name}:{node.start_mark.line + 1}"
    data = yaml.safe_load(yaml.serialize(node))
    if not isinstance(data, dict) or not all(k in data for k in ("name", "kind", "lat", "lon")):
        raise CodebookError(f"{where}: a place needs name, kind, lat and lon")
    unknown = set(data) - FIELDS
    if unknown:
        raise CodebookError(f"{where}: unknown field(s) {sorted(unknown)}")
    lat, lon = float(data["lat"]), float(data["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise CodebookError(f"{where}: coordinates out of range ({lat}, {lon})")
    for key in ("iso3", "capital_of"):
        if data.get(key) is not None and not is_iso3(str(data[key])):
            raise CodebookError(f"{where}: {key} {data[key]!r} is not an ISO3 code")
    capital = data.get("capital_of") if data.get("metonym", True) else None
    return Place(
        name=str(data["name"]),
        kind=str(data["kind"]),
        lat=lat,
        lon=lon,
        aliases=tuple(str(a) for a in data.get("aliases") or ()),
        iso3=data.get("iso3"),
        disputed=bool(data.get("disputed", False)),
        capital_of=capital,
        precision=LocationPrecision(data.get("precision", "approximate")),
        ambiguous=bool(data.get("ambiguous", False)),
    )


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[Place]:
    return PhraseMatcher((phrase, p) for p in load_places() for phrase in (p.name, *p.aliases))


def find_places(text: str, base_offset: int = 0) -> list[PlaceMention]:
    """Place mentions in `text`; offsets are shifted by `base_offset`."""
    out: list[PlaceMention] = []
    for hit in _matcher().find(text):
        place = hit.value
        if place.ambiguous and _next_to_a_name(text, hit.start, hit.end):
            continue
        out.append(
            PlaceMention(
                start=hit.start + base_offset,
                end=hit.end + base_offset,
                text=hit.phrase,
                stage=STAGE,
                stage_version=STAGE_VERSION,
                name=place.name,
                lat=place.lat,
                lon=place.lon,
                precision=place.precision,
                kind=place.kind,
                iso3=place.iso3,
            )
        )
    return out


def _next_to_a_name(text: str, start: int, end: int) -> bool:
    return bool(_NEIGHBOUR_NAME.match(text[end : end + 3]) or _PREV_NAME.search(text[max(0, start - 20) : start]))


def is_disputed(name: str) -> bool:
    """Whether the gazetteer marks the place with this canonical name as disputed."""
    return name in _disputed_names()


@lru_cache(maxsize=1)
def _disputed_names() -> frozenset[str]:
    return frozenset(p.name for p in load_places() if p.disputed)


def add_places(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill ``unit.places`` for every unit, scanning the document text once."""
    mentions = find_places(doc.document.text)
    units = distribute_to_units(doc.units, mentions, "places")
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})
