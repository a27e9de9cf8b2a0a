"""Watch rules kept as data (YAML), validated with errors naming the rule and the field.

Four kinds of rule::

    - id: first-aid-recipient            # first engagement of a category with a country
      kind: first_engagement
      category: diplomacy.aid_training
    - id: new-exercise-partner           # a country the PLA has not exercised with before
      kind: new_exercise_partner
    - id: southeast-asia-surge           # a month's count in a region above its baseline
      kind: count_above_baseline
      region: South-eastern Asia
      sigma: 2
    - id: budget-jump                    # an indicator's period-over-period change
      kind: indicator_change
      series: chn.defence-budget
      percent: 5
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, ValidationError, field_validator
from pydantic_core import ErrorDetails

from sectracker.codebook import load_codebook
from sectracker.countries.codes import is_iso3
from sectracker.countries.reference import all_countries
from sectracker.errors import Problem, ValidationFailed
from sectracker.models import EVENT_ID_PATTERN, Status
from sectracker.textfiles import read_text

DEFAULT_RULES = "rules.yaml"


class Direction(StrEnum):
    any = "any"
    up = "up"
    down = "down"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)
    # where the rule was read: the file and the line of each of its keys (for problems found later)
    _file: str | None = PrivateAttr(default=None)
    _lines: dict[str, int] = PrivateAttr(default_factory=dict)

    def where(self, field: str) -> tuple[str | None, int | None]:
        """The file the rule came from and the line of `field` in it (else of the rule)."""
        return self._file, self._lines.get(field, self._lines.get(""))

    id: str = Field(pattern=EVENT_ID_PATTERN)
    description: str = ""
    statuses: list[Status] = Field(default_factory=lambda: [Status.verified, Status.candidate])
    since: date | None = None

    @field_validator("category", check_fields=False)
    @classmethod
    def _category(cls, v: str | None) -> str | None:
        if v is not None and v not in load_codebook().key_set:
            raise ValueError(f"unknown category key {v!r}")
        return v

    @field_validator("countries", check_fields=False)
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        out = [c.strip().upper() for c in v]
        bad = [c for c in out if not is_iso3(c)]
        if bad:
            raise ValueError(f"unknown ISO3 code(s) {', '.join(bad)}")
        return out


class FirstEngagement(_Rule):
    """Fires when an event of `category` involves a country no earlier event of it involved."""

    kind: Literal["first_engagement"]
    category: str
    countries: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class NewExercisePartner(_Rule):
    """Fires when the PLA exercises with a country for the first time in the store's record."""

    kind: Literal["new_exercise_partner"]
    category: str = "diplomacy.exercises_port_calls"
    tags: list[str] = Field(default_factory=lambda: ["joint-exercise"])


class CountAboveBaseline(_Rule):
    """Fires when a month's event count in a region exceeds the mean of the months before by `sigma` SDs."""

    kind: Literal["count_above_baseline"]
    region: str | None = None
    countries: list[str] = Field(default_factory=list)
    category: str | None = None
    sigma: float = Field(gt=0, allow_inf_nan=False)
    baseline_months: int = Field(default=12, ge=3, le=120)
    min_count: int = Field(default=3, ge=1)

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is not None and v not in region_names():
            raise ValueError(f"unknown region {v!r}; known: {', '.join(sorted(region_names()))}")
        return v


class IndicatorChange(_Rule):
    """Fires when a series value differs from the previous period's by more than `percent`."""

    kind: Literal["indicator_change"]
    series: str = Field(min_length=1, description="A series id, or a pattern such as pko.chn.*")
    percent: float = Field(gt=0, allow_inf_nan=False)
    direction: Direction = Direction.any


Rule = Annotated[
    FirstEngagement | NewExercisePartner | CountAboveBaseline | IndicatorChange, Field(discriminator="kind")
]
_RULE = TypeAdapter(Rule)
KINDS = ("first_engagement", "new_exercise_partner", "count_above_baseline", "indicator_change")


def region_names() -> set[str]:
    """UN M49 regions, sub-regions and intermediate regions, and continents."""
    names: set[str] = set()
    for c in all_countries().values():
        names.update(n for n in (c.region, c.subregion, c.intermediate_region, c.continent) if n)
    return names


def region_members(name: str) -> set[str]:
    return {
        c.iso3 for c in all_countries().values() if name in (c.region, c.subregion, c.intermediate_region, c.continent)
    }


class _Loader(yaml.SafeLoader):
    """Dates stay text so that pydantic reports a bad one against its field."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_rules(text: str, name: str) -> list[Rule]:
    """Every rule of a YAML text; ValidationFailed names each bad rule, its line and field."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ValidationFailed(Problem(f"not valid YAML ({exc})", file=name)) from exc
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "rules"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise ValidationFailed(Problem("expected a 'rules' list", file=name))
    rules: list[Rule] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for node in root.value:
        line = node.start_mark.line + 1
        raw = yaml.load(yaml.serialize(node), Loader=_Loader)  # noqa: S506
        label = f"rule {raw.get('id')!r}" if isinstance(raw, dict) and raw.get("id") else f"rule on line {line}"
        try:
            rule = _RULE.validate_python(raw)
        except ValidationError as exc:
            problems += [_problem(label, err, name, _field_line(node, err, line)) for err in exc.errors()]
            continue
        if rule.id in seen:
            problems.append(Problem(f"{label}: the id is used twice", name, line, "id"))
        seen.add(rule.id)
        rule._file = name
        rule._lines = {"": line} | _key_lines(node)
        rules.append(rule)
    if problems:
        raise ValidationFailed(problems)
    return rules


def _key_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): int(key.start_mark.line) + 1 for key, _value in node.value}


def check_series(rules: Sequence[Rule], series_ids: Iterable[str]) -> None:
    """ValidationFailed naming every indicator rule whose `series` matches no stored series."""
    ids = list(series_ids)
    problems = []
    for rule in rules:
        if isinstance(rule, IndicatorChange) and not fnmatch.filter(ids, rule.series):
            file, line = rule.where("series")
            what = "pattern" if any(ch in rule.series for ch in "*?[") else "id"
            problems.append(
                Problem(
                    f"rule {rule.id!r}: no stored series matches the {what} {rule.series!r}"
                    + (" (no series are stored: import them with `sectracker series import`)" if not ids else ""),
                    file=file,
                    line=line,
                    field="series",
                )
            )
    if problems:
        raise ValidationFailed(problems)


def _field_line(node: yaml.Node, err: ErrorDetails, default: int) -> int:
    """The line of the offending key inside a rule, else the rule's first line."""
    keys = [str(p) for p in err["loc"] if str(p) not in KINDS]
    if keys and isinstance(node, yaml.MappingNode):
        for key, _value in node.value:
            if key.value == keys[0]:
                return int(key.start_mark.line) + 1
    return default


def _problem(label: str, err: ErrorDetails, name: str, line: int) -> Problem:
    loc = [str(p) for p in err["loc"]]
    if loc and loc[0] in KINDS:
        loc = loc[1:]  # the discriminator's branch name, not a field
    field = ".".join(loc) or None
    if err["type"] == "extra_forbidden":
        message = f"{label}: unknown field {field!r}"
    elif err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        message = f"{label}: 'kind' must be one of {', '.join(KINDS)}"
        field = "kind"
    else:
        message = f"{label}: {err['msg'].removeprefix('Value error, ')}"
    return Problem(message, file=name, line=line, field=field)


def read_rules(path: Path | None = None) -> list[Rule]:
    """Rules from a file, or the rules shipped with sectracker."""
    if path is None:
        text = resources.files("sectracker.watch").joinpath(DEFAULT_RULES).read_text(encoding="utf-8")
        return parse_rules(text, f"sectracker/watch/{DEFAULT_RULES}")
    return parse_rules(read_text(path), str(path))
