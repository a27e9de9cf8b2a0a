"""The classification rules file (``gazetteers/classify_rules.yaml``), loaded and validated.

The classify, sentences and assemble stages read their weights, extra cues, features and
the word lists that tell reporting from commentary from this one data file, so that the
rules can be read and changed without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from sectracker.codebook import load_codebook
from sectracker.errors import CodebookError

DATA_FILE = "gazetteers/classify_rules.yaml"
SENTENCE_LISTS = (
    "hedges",
    "analysis_openers",
    "attributions",
    "plans",
    "statements",
    "additive",
    "irregular_past",
    "headline_verbs",
    "not_actions",
    "context_openers",
    "generic",
    "source_nouns",
    "sequence_openers",
    "speech",
    "positions",
    "china_topics",
    "china_partners",
    "china_destinations",
    "force_nouns",
    "event_nouns",
    "measures",
)
WEIGHT_KEYS = (
    "cue",
    "per_extra_word",
    "lead",
    "repeat_cap",
    "section",
    "definition_word",
    "min_score",
    "confident_score",
)


@dataclass(frozen=True)
class Feature:
    """A scoring feature beyond cues: actors and places found in the unit."""

    category: str
    weight: float
    why: str
    actors: frozenset[str] = frozenset()
    actor_kinds: frozenset[str] = frozenset()
    place_kinds: frozenset[str] = frozenset()
    place_disputed: bool = False
    foreign_country: bool = False
    no_foreign_country: bool = False
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exclusion:
    """A codebook scope note made operational: units showing `cues` (or no partner) go from one category to another."""

    source: str
    target: str
    why: str
    cues: tuple[str, ...] = ()
    no_partner_except: frozenset[str] | None = None
    no_place_kinds: frozenset[str] = frozenset()
    needs_partner: bool = False
    no_disputed_place: bool = False
    ignore_partners: frozenset[str] = frozenset()  # not partners here (the target of a drill is no partner)


@dataclass(frozen=True)
class Scope:
    """What makes an occurrence of a category a security occurrence: words or actor kinds."""

    words: tuple[str, ...]
    actor_kinds: frozenset[str] = frozenset()
    disputed_places: bool = False


@dataclass(frozen=True)
class Rules:
    version: str
    weights: dict[str, float]
    cue_weights: dict[str, float]
    extra_cues: dict[str, tuple[str, ...]]
    cue_blockers: tuple[str, ...]
    features: tuple[Feature, ...]
    sentences: dict[str, tuple[str, ...]]
    exclusions: tuple[Exclusion, ...] = ()
    scope: dict[str, Scope] = field(default_factory=dict)
    named_activities: frozenset[str] = frozenset()  # categories whose names (institutions, treaties) are activities
    scope_blockers: tuple[str, ...] = ()  # phrases holding a scope word that are not it ("General Assembly")


@lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The rules shipped in the package, validated against the codebook (cached)."""
    name = f"sectracker/pipeline/{DATA_FILE}"
    text = resources.files("sectracker.pipeline").joinpath(DATA_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    return parse_rules(data, name)


def parse_rules(data: Any, name: str = DATA_FILE) -> Rules:
    """Rules from parsed YAML; CodebookError names the file and the faulty entry."""
    if not isinstance(data, dict):
        raise CodebookError(f"{name}: expected a mapping")
    keys = set(load_codebook().keys)
    weights = {k: float(v) for k, v in (data.get("weights") or {}).items()}
    missing = [k for k in WEIGHT_KEYS if k not in weights]
    if missing:
        raise CodebookError(f"{name}: weights lack {missing}")
    extra = {str(k): tuple(str(c) for c in v or ()) for k, v in (data.get("extra_cues") or {}).items()}
    features = tuple(_feature(f, name) for f in data.get("features") or ())
    exclusions = tuple(_exclusion(x, name) for x in data.get("exclusions") or ())
    scope = {
        str(k): Scope(
            tuple(str(w) for w in v.get("words") or ()),
            frozenset(v.get("actor_kinds") or ()),
            bool(v.get("disputed_places", False)),
        )
        for k, v in (data.get("scope") or {}).items()
    }
    named_activities = frozenset(str(k) for k in data.get("named_activities") or ())
    named = [
        *extra, *scope, *named_activities, *(f.category for f in features),
        *(k for x in exclusions for k in (x.source, x.target)),
    ]  # fmt: skip
    for key in named:
        if key not in keys:
            raise CodebookError(f"{name}: unknown category key {key!r}")
    sentences = {str(k): tuple(str(w) for w in v or ()) for k, v in (data.get("sentences") or {}).items()}
    sentences["headline_verbs"] = _verb_forms(sentences.get("headline_verbs", ()))
    missing = [k for k in SENTENCE_LISTS if k not in sentences]
    if missing:
        raise CodebookError(f"{name}: sentences lack {missing}")
    return Rules(
        version=str(data.get("version", "1")),
        weights=weights,
        cue_weights={str(k): float(v) for k, v in (data.get("cue_weights") or {}).items()},
        extra_cues=extra,
        cue_blockers=tuple(str(b) for b in data.get("cue_blockers") or ()),
        features=features,
        sentences=sentences,
        exclusions=exclusions,
        scope=scope,
        named_activities=named_activities,
        scope_blockers=tuple(str(b) for b in data.get("scope_blockers") or ()),
    )


def _exclusion(entry: Any, name: str) -> Exclusion:
    if not isinstance(entry, dict) or "from" not in entry or "to" not in entry:
        raise CodebookError(f"{name}: an exclusion needs from and to ({entry!r})")
    partner = entry.get("no_partner_except")
    return Exclusion(
        source=str(entry["from"]),
        target=str(entry["to"]),
        why=str(entry.get("why", "")),
        cues=tuple(str(c) for c in entry.get("cues") or ()),
        no_partner_except=frozenset(partner) if partner is not None else None,
        no_place_kinds=frozenset(entry.get("no_place_kinds") or ()),
        needs_partner=bool(entry.get("needs_partner", False)),
        no_disputed_place=bool(entry.get("no_disputed_place", False)),
        ignore_partners=frozenset(entry.get("ignore_partners") or ()),
    )


def _verb_forms(lemmas: tuple[str, ...]) -> tuple[str, ...]:
    """Each verb and its third-person form ("dock", "docks"; "clash", "clashes"; "carry", "carries")."""
    forms: list[str] = []
    for v in lemmas:
        if v.endswith(("s", "x", "z", "ch", "sh")):
            third = v + "es"
        elif v.endswith("y") and v[-2:-1] not in ("a", "e", "i", "o", "u"):
            third = v[:-1] + "ies"
        else:
            third = v + "s"
        forms += [v, third]
    return tuple(dict.fromkeys(forms))


def _feature(entry: Any, name: str) -> Feature:
    if not isinstance(entry, dict) or "category" not in entry or "weight" not in entry:
        raise CodebookError(f"{name}: a feature needs category and weight ({entry!r})")
    return Feature(
        category=str(entry["category"]),
        weight=float(entry["weight"]),
        why=str(entry.get("why", "")),
        actors=frozenset(entry.get("actors") or ()),
        actor_kinds=frozenset(entry.get("actor_kinds") or ()),
        place_kinds=frozenset(entry.get("place_kinds") or ()),
        place_disputed=bool(entry.get("place_disputed", False)),
        foreign_country=bool(entry.get("foreign_country", False)),
        no_foreign_country=bool(entry.get("no_foreign_country", False)),
        words=tuple(str(w) for w in entry.get("words") or ()),
    )
