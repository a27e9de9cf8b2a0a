"""Reading series files (YAML): every series validated, errors naming file, line and field.

A value may be typed or derived from a stated change, as in the seed's "675 scrambles,
up 5.8 percent": the earlier value is then computed here, never typed by hand::

    observations:
      - {date: 2020-03-31, value: 675}
      - date: 2019-03-31
        derive: {from: 2020-03-31, change_percent: 5.8}
"""

from __future__ import annotations

import math
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sectracker.errors import Problem, ValidationFailed
from sectracker.series.display import format_number
from sectracker.series.models import Qualifier, Series
from sectracker.store.events import problems_from
from sectracker.textfiles import read_text

BUNDLED = "series_2020h1.yaml"


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so pydantic reports bad ones per field."""


_PlainLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _nodes(text: str, name: str) -> list[yaml.Node]:
    try:
        root = yaml.compose(text, Loader=_PlainLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationFailed(
            Problem(f"not valid YAML ({getattr(exc, 'problem', exc)})", file=name, line=mark.line + 1 if mark else None)
        ) from exc
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "series"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise ValidationFailed(Problem("expected a 'series' list", file=name))
    return list(root.value)


def parse_series(text: str, name: str) -> list[Series]:
    """Validate every series of a YAML text; ValidationFailed lists all problems."""
    problems: list[Problem] = []
    out: list[Series] = []
    seen: dict[str, int] = {}
    for node in _nodes(text, name):
        line = node.start_mark.line + 1
        lines = _observation_lines(node)
        raw = yaml.load(yaml.serialize(node), Loader=_PlainLoader)  # noqa: S506
        try:
            series = Series.model_validate(_with_derived(raw))
        except ValidationError as exc:
            problems += [_at_observation(p, lines) for p in problems_from(exc, file=name, line=line)]
            continue
        except DeriveError as exc:
            problems.append(Problem(exc.message, name, lines.get(exc.index, line), exc.field))
            continue
        except ValueError as exc:
            problems.append(Problem(str(exc), file=name, line=line))
            continue
        if series.id in seen:
            problems.append(Problem(f"duplicate id {series.id!r} (first on line {seen[series.id]})", name, line, "id"))
            continue
        seen[series.id] = line
        out.append(series)
    if problems:
        raise ValidationFailed(problems)
    return out


class DeriveError(ValueError):
    """A `derive:` that cannot be computed: which observation, which field, and why."""

    def __init__(self, index: int, field: str, message: str) -> None:
        self.index, self.field, self.message = index, field, message
        super().__init__(f"{field}: {message}")


def _observation_lines(node: yaml.Node) -> dict[int, int]:
    """The line of each item of a series' `observations` list, by index."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    for key, value in node.value:
        if key.value == "observations" and isinstance(value, yaml.SequenceNode):
            return {i: item.start_mark.line + 1 for i, item in enumerate(value.value)}
    return {}


def _at_observation(problem: Problem, lines: dict[int, int]) -> Problem:
    """The problem placed on its observation's line when its field is `observations.N...`."""
    parts = (problem.field or "").split(".")
    if len(parts) > 1 and parts[0] == "observations" and parts[1].isdigit() and int(parts[1]) in lines:
        return Problem(problem.message, problem.file, lines[int(parts[1])], problem.field)
    return problem


def _with_derived(raw: Any) -> Any:
    """The series with every `derive:` value computed from the value it refers to."""
    if not isinstance(raw, dict) or not isinstance(raw.get("observations"), list):
        return raw
    typed = {str(o.get("date")): o for o in raw["observations"] if isinstance(o, dict) and "derive" not in o}
    observations = []
    for i, o in enumerate(raw["observations"]):
        observations.append(_derive(i, o, typed, raw.get("source")) if isinstance(o, dict) and "derive" in o else o)
    return {**raw, "observations": observations}


def _derive(i: int, o: dict[str, Any], typed: dict[str, Any], source: Any) -> dict[str, Any]:
    """The earlier value that a later value and its stated change imply: later / (1 + p/100)."""
    spec = o["derive"]
    where = f"observations.{i}.derive"
    if not isinstance(spec, dict) or set(spec) != {"from", "change_percent"}:
        raise DeriveError(i, where, "give exactly 'from' (a date of this series) and 'change_percent'")
    base = typed.get(str(spec["from"]))
    if base is None or "value" not in base:
        raise DeriveError(i, f"{where}.from", f"this series has no typed value dated {spec['from']}")
    later = _finite(base["value"])
    if later is None:
        raise DeriveError(i, f"{where}.from", f"the value dated {spec['from']} is not a finite number")
    percent = _finite(spec["change_percent"])
    if percent is None:
        raise DeriveError(i, f"{where}.change_percent", f"{spec['change_percent']!r} is not a finite number")
    if percent <= -100:
        raise DeriveError(
            i,
            f"{where}.change_percent",
            f"a change of {percent:g}% cannot be undone: an earlier value is derivable only from a change above -100%",
        )
    try:
        date.fromisoformat(str(o.get("date")))
    except ValueError as exc:
        raise DeriveError(i, f"observations.{i}.date", f"{o.get('date')!r} is not a date (YYYY-MM-DD)") from exc
    value = round(later / (1 + percent / 100), 6)
    if not math.isfinite(value):
        raise DeriveError(i, f"{where}.change_percent", f"the derived value ({value}) is not a finite number")
    provenance = dict(o.get("provenance") or base.get("provenance") or source or {})
    provenance["derived"] = (
        f"{format_number(later)} / {1 + percent / 100:g}: the value for {spec['from']} and its stated change "
        f"of {percent:+g}%"
    )
    rest = {k: v for k, v in o.items() if k != "derive"}
    return {
        **rest,
        "value": value,
        "qualifier": rest.get("qualifier", Qualifier.approximate.value),
        "provenance": provenance,
    }


def _finite(value: Any) -> float | None:
    """The value as a finite float, or None when it is not a number or is infinite or NaN."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def read_series_file(path: Path) -> list[Series]:
    """Series from a YAML file, all validated."""
    return parse_series(read_text(path), str(path))


def read_bundled_series() -> list[Series]:
    """The series the 2020-H1 edition reports, coded from it with their provenance."""
    ref = resources.files("sectracker.dataset").joinpath(BUNDLED)
    return parse_series(ref.read_text(encoding="utf-8"), f"sectracker/dataset/{BUNDLED}")
