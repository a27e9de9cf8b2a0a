"""Load and validate the actor list (actors.yaml); errors name file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from sectracker.errors import CodebookError

KINDS = {"party", "military", "service", "agency", "ministry", "firm", "ship", "official", "media", "institution"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")


@dataclass(frozen=True)
class Actor:
    """One Chinese actor with the names it is reported under."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    parent: str | None = None
    role: str | None = None


def parse_actors(text: str, name: str = "actors.yaml") -> dict[str, Actor]:
    """Parse actor YAML text into {id: Actor}; CodebookError names file and line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    items = None
    if isinstance(root, yaml.MappingNode):
        items = next((v for k, v in root.value if k.value == "actors"), None)
    if not isinstance(items, yaml.SequenceNode):
        raise CodebookError(f"{name}: expected a mapping with an 'actors' list")
    actors: dict[str, Actor] = {}
    for node in items.value:
        actor = _actor(node, name)
        if actor.id in actors:
            raise CodebookError(f"{name}:{node.start_mark.line + 1}: duplicate actor id {actor.id!r}")
        actors[actor.id] = actor
    for a in actors.values():
        if a.parent and a.parent not in actors:
            raise CodebookError(f"{name}: actor {a.id!r} has unknown parent {a.parent!r}")
    return actors


def _actor(node: yaml.Node, name: str) -> Actor:
    line = node.start_mark.line + 1
    data = yaml.safe_load(yaml.serialize(node))
    if not isinstance(data, dict):
        raise CodebookError(f"{name}:{line}: an actor must be a mapping")
    for key in ("id", "name", "kind"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise CodebookError(f"{name}:{line}: actor is missing text field {key!r}")
    if not ID_PATTERN.match(data["id"]):
        raise CodebookError(f"{name}:{line}: actor id {data['id']!r} must be lower_snake_case")
    if data["kind"] not in KINDS:
        raise CodebookError(f"{name}:{line}: actor kind {data['kind']!r} is not one of {sorted(KINDS)}")
    unknown = set(data) - {"id", "name", "kind", "aliases", "parent", "role"}
    if unknown:
        raise CodebookError(f"{name}:{line}: unknown actor field(s) {sorted(unknown)}")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CodebookError(f"{name}:{line}: 'aliases' must be a list of text")
    return Actor(data["id"], data["name"], data["kind"], tuple(aliases), data.get("parent"), data.get("role"))


@lru_cache(maxsize=1)
def load_actors() -> dict[str, Actor]:
    """The actor list shipped in the package (cached)."""
    text = resources.files("sectracker.actors").joinpath("actors.yaml").read_text(encoding="utf-8")
    return parse_actors(text, "sectracker/actors/actors.yaml")
