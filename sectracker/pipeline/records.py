"""Typed records passed between pipeline stages.

Every extracted value is a Mention: a character span of the document's text (Unicode
code-point offsets, end exclusive) plus the stage and stage version that found it.
A stage takes an AnalysedDocument and returns it with one thing added.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from sectracker.models import Document, LocationPrecision, Precision


class Mention(BaseModel):
    """A span of the document text found by one stage."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    stage: str
    stage_version: str = "1"


class CountryMention(Mention):
    iso3: str
    form: Literal["name", "official", "adjective", "demonym", "capital", "code", "other"] = "name"


class ActorMention(Mention):
    actor: str  # an id from sectracker/actors/actors.yaml


class PlaceMention(Mention):
    name: str
    lat: float
    lon: float
    precision: LocationPrecision = LocationPrecision.approximate
    kind: str = "place"  # sea, strait, island, reef, base, port, border, city, ...
    iso3: str | None = None


class DateMention(Mention):
    date_start: date | None
    date_end: date | None
    precision: Precision


class QuantityMention(Mention):
    value: float
    unit: str
    item: str | None = None


class Classification(BaseModel):
    """The codebook category chosen for a unit (None = abstain), with the cues that scored."""

    category: str | None
    score: float
    confidence: float = Field(ge=0, le=1)
    cues: list[str] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)
    stage: str = "classify"
    stage_version: str = "1"


class Segment(BaseModel):
    """A unit of text: a paragraph, a list item (lead sentence and body together) or a sentence."""

    kind: Literal["heading", "paragraph", "item", "sentence"]
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    lead_end: int | None = None  # end offset of an item's bold-style lead sentence, if any
    sentences: list[tuple[int, int]] = Field(default_factory=list)  # sentence spans inside the unit
    section: str | None = None  # the heading this unit falls under, if any


MentionKind = Literal["countries", "actors", "places", "dates", "quantities"]


class Unit(BaseModel):
    """One segment with everything the stages found in it."""

    segment: Segment
    classification: Classification | None = None
    countries: list[CountryMention] = Field(default_factory=list)
    actors: list[ActorMention] = Field(default_factory=list)
    places: list[PlaceMention] = Field(default_factory=list)
    dates: list[DateMention] = Field(default_factory=list)
    quantities: list[QuantityMention] = Field(default_factory=list)
    # Per kind: the list indexed, its mentions' start offsets in order, and their list positions.
    _by_start: dict[str, tuple[list[Any], list[int], list[int]]] = PrivateAttr(default_factory=dict)

    def inside(self, kind: MentionKind, start: int, end: int) -> list[Any]:
        """The mentions of `kind` that start in [start, end), in list order.

        Found by bisection on an index built once per list, so that asking for every sentence
        of a long unit costs n log n rather than n times the unit's mentions.
        """
        items: list[Any] = getattr(self, kind)
        cached = self._by_start.get(kind)
        if cached is None or cached[0] is not items or len(cached[2]) != len(items):
            order = sorted(range(len(items)), key=lambda i: items[i].start)
            cached = (items, [items[i].start for i in order], order)
            self._by_start[kind] = cached
        _, starts, order = cached
        picked = order[bisect_left(starts, start) : bisect_left(starts, end)]
        return [items[i] for i in sorted(picked)]


class AnalysedDocument(BaseModel):
    """A document moving through the pipeline: its units and what each stage added."""

    document: Document
    published: date | None = None  # reference date for resolving relative dates
    units: list[Unit] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    stages_run: list[str] = Field(default_factory=list)
