"""Stage *actors*: find the Chinese actors of the curated list (``sectracker/actors/actors.yaml``).

Reads: ``doc.units`` (segments) and the document text.
Adds: ``unit.actors`` — one ActorMention per name or alias found (services, agencies,
ministries, firms, ships, officials, media), with the actor's id.

Matching is on word boundaries with the longest name winning ("PLA Navy" over "PLA").
An alias written with a capital ("PLA", "China Coast Guard") matches only with that
exact case, so "PLAN" never matches "plan"; an all-lowercase alias ("escort task force")
matches in any case. Names with a bracketed gloss ("Liaoning (aircraft carrier)") are
matched through their aliases only: a bare "Liaoning" is also a province.
"""

from __future__ import annotations

from functools import lru_cache

from sectracker.actors import Actor, load_actors
from sectracker.pipeline.phrases import PhraseMatcher, distribute_to_units
from sectracker.pipeline.records import ActorMention, AnalysedDocument

STAGE = "actors"
STAGE_VERSION = "1"


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher[Actor]:
    entries: list[tuple[str, Actor]] = []
    for actor in load_actors().values():
        names = set(actor.aliases)
        if "(" not in actor.name:
            names.add(actor.name)
        entries += [(name, actor) for name in names]
    return PhraseMatcher(entries)


def find_actors(text: str, base_offset: int = 0) -> list[ActorMention]:
    """Actor mentions in `text`; offsets are shifted by `base_offset`."""
    return [
        ActorMention(
            start=hit.start + base_offset,
            end=hit.end + base_offset,
            text=hit.phrase,
            stage=STAGE,
            stage_version=STAGE_VERSION,
            actor=hit.value.id,
        )
        for hit in _matcher().find(text)
    ]


def actor_kind(actor_id: str) -> str | None:
    """The kind of an actor (military, service, agency, firm, ship, official, media...)."""
    actor = load_actors().get(actor_id)
    return actor.kind if actor else None


def add_actors(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill ``unit.actors`` for every unit, scanning the document text once."""
    mentions = find_actors(doc.document.text)
    units = distribute_to_units(doc.units, mentions, "actors")
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})
