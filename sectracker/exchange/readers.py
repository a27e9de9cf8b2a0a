"""Reading event files (CSV, JSON, JSON Lines, YAML): every row validated before any write.

A reader yields (line, fields) pairs; `read_events` validates them all and raises
ValidationFailed listing every problem with file, line and field.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sectracker import textfiles
from sectracker.errors import Problem, ValidationFailed
from sectracker.exchange.columns import unflatten
from sectracker.models import Event
from sectracker.store.events import collection_paused, problems_from

FORMATS = ("csv", "json", "jsonl", "yaml")
TOO_DEEP = "nested too deeply to be an event"
BUNDLED = "events_2020h1.yaml"

Rows = Iterator[tuple[int, Any]]


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so pydantic reports bad ones per field."""


_PlainLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def detect_format(path: Path) -> str:
    ext = path.suffix.lower().lstrip(".")
    fmt = {"yml": "yaml", "ndjson": "jsonl"}.get(ext, ext)
    if fmt not in FORMATS:
        raise ValidationFailed(
            Problem(f"unknown file type {path.suffix!r}; use one of .csv .json .jsonl .yaml", file=str(path))
        )
    return fmt


def _csv_rows(text: str, name: str) -> Rows:
    reader = csv.DictReader(io.StringIO(text), strict=True)
    start = 1  # the line the row being read starts on (a quoted cell may span lines)
    try:
        if not reader.fieldnames or "id" not in reader.fieldnames:
            raise ValidationFailed(Problem("the header must name the columns, including 'id'", file=name, line=1))
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        hint = "; a quote is probably not closed" if "end of data" in str(exc) else ""
        raise ValidationFailed(Problem(f"not valid CSV ({exc}{hint})", file=name, line=start)) from exc


def _jsonl_rows(text: str, name: str) -> Rows:
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield n, _json_line(line, name, n)


def _json_line(line: str, name: str, n: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(Problem(f"not valid JSON ({exc.msg})", file=name, line=n)) from exc
    except RecursionError as exc:
        raise ValidationFailed(Problem(TOO_DEEP, file=name, line=n)) from exc


def _json_rows(text: str, name: str) -> Rows:
    """Items of a JSON array (or {"events": [...]}) with the line each starts on."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(Problem(f"not valid JSON ({exc.msg})", file=name, line=exc.lineno)) from exc
    except RecursionError as exc:
        raise ValidationFailed(Problem(TOO_DEEP, file=name)) from exc
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        data = data["events"]
    if not isinstance(data, list):
        raise ValidationFailed(Problem("expected a list of events", file=name, line=1))
    lines = _item_lines(text, len(data))
    yield from zip(lines, data, strict=True)


def _item_lines(text: str, count: int) -> list[int]:
    """The line where each top-level array item starts (scanning with raw_decode)."""
    decoder = json.JSONDecoder()
    start = text.find("[", text.find('"events"') if text.lstrip().startswith("{") else 0)
    pos, lines = start + 1, []
    for _ in range(count):
        while text[pos] in " \t\r\n,":
            pos += 1
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
    return lines


def _yaml_rows(text: str, name: str) -> Rows:
    try:
        root = yaml.compose(text)
    except RecursionError as exc:
        raise ValidationFailed(Problem(TOO_DEEP, file=name)) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ValidationFailed(
            Problem(f"not valid YAML ({getattr(exc, 'problem', exc)})", file=name, line=mark.line + 1 if mark else None)
        ) from exc
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "events"), None)
    if not isinstance(root, yaml.SequenceNode):
        raise ValidationFailed(Problem("expected a list of events (or an 'events' list)", file=name))
    for node in root.value:
        line = node.start_mark.line + 1
        try:
            yield line, yaml.load(yaml.serialize(node), Loader=_PlainLoader)  # noqa: S506
        except yaml.YAMLError as exc:  # e.g. a !!python tag: plain data only
            reason = getattr(exc, "problem", None) or str(exc)
            raise ValidationFailed(Problem(f"not plain YAML data ({reason})", file=name, line=line)) from exc


READERS = {"csv": _csv_rows, "jsonl": _jsonl_rows, "json": _json_rows, "yaml": _yaml_rows}


def _jsonl_events(text: str, name: str) -> Iterator[tuple[int, Event | list[Problem]]]:
    """Each JSON Lines line validated straight from its text by pydantic's JSON parser.

    A line that fails is read again the slow way, which names the problem exactly as
    for the other formats (and stops at text that is not JSON at all).
    """
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield n, Event.model_validate_json(line)
            except ValidationError:
                yield n, _validated(_json_line(line, name, n), "jsonl", name, n)


def _validated(raw: Any, fmt: str, name: str, line: int) -> Event | list[Problem]:
    """One row as an Event, or the problems that keep it from being one."""
    try:
        fields = unflatten(raw) if fmt == "csv" else raw
        if not isinstance(fields, dict):
            raise ValueError("an event must be an object with named fields")
        return Event.model_validate(fields)
    except ValidationError as exc:
        return problems_from(exc, file=name, line=line)
    except ValueError as exc:
        return [Problem(str(exc), file=name, line=line)]


def _row_events(text: str, fmt: str, name: str) -> Iterator[tuple[int, Event | list[Problem]]]:
    """(line, event or its problems) for every row of a file."""
    if fmt == "jsonl":
        return _jsonl_events(text, name)
    return ((line, _validated(raw, fmt, name, line)) for line, raw in READERS[fmt](text, name))


def parse_events(text: str, fmt: str, name: str) -> list[Event]:
    """Validate every row; ValidationFailed lists all problems (file, line, field)."""
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ValidationFailed(Problem("a NUL character (0x00) is in the text; remove it", file=name, line=line))
    problems: list[Problem] = []
    out: list[Event] = []
    seen: dict[str, int] = {}
    with collection_paused(keep=True):
        for line, event in _row_events(text, fmt, name):
            if isinstance(event, list):
                problems += event
                continue
            if event.id in seen:
                problems.append(
                    Problem(
                        f"duplicate id {event.id!r} (first on line {seen[event.id]})", file=name, line=line, field="id"
                    )
                )
                continue
            seen[event.id] = line
            out.append(event)
    if problems:
        raise ValidationFailed(problems)
    if not out:
        raise ValidationFailed(Problem("the file holds no events", file=name))
    return out


def read_events(path: Path, fmt: str | None = None) -> list[Event]:
    """Events from a file, all validated (ValidationFailed names file, line and field)."""
    fmt = (fmt or detect_format(path)).lower()
    if fmt not in FORMATS:
        raise ValidationFailed(Problem(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", field="--format"))
    return parse_events(textfiles.read_text(path), fmt, str(path))


def read_bundled() -> list[Event]:
    """The bundled, hand-coded dataset of the 2020-H1 edition."""
    ref = resources.files("sectracker.dataset").joinpath(BUNDLED)
    return parse_events(ref.read_text(encoding="utf-8"), "yaml", f"sectracker/dataset/{BUNDLED}")
