"""Evaluate extracted candidates against a gold file: offsets and codes only, no copied text.

A gold file (JSON, documented in docs/evaluation.md) lists a document's events, each with
one or more evidence spans (code-point offsets into the document text as read), its
category, counterpart countries and the date range within which a correct date must lie.
Events marked ``optional`` are occurrences a careful coder may or may not code separately:
finding them is not required, and a candidate that finds one is not a false positive.

Matching: a candidate matches a gold event when its evidence overlaps one of the event's
spans by at least half of the shorter of the two. Candidates and gold events are paired
one to one, best pairs first (overlap, then agreement on category, countries and dates).

* detection recall: paired required gold events / required gold events;
* precision: candidates that match some gold event / all candidates;
* duplicate rate: candidates that match only gold events already paired with another
  candidate / candidates that match some gold event;
* category accuracy, country F1 (micro, over the paired required events) and date
  accuracy (both ends of the candidate's date inside the gold range, over paired required
  events whose gold has a date range).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sectracker.codebook import load_codebook
from sectracker.countries.codes import is_iso3
from sectracker.errors import Problem, ValidationFailed
from sectracker.models import Event
from sectracker.textfiles import read_text

MIN_OVERLAP = 0.5


@dataclass(frozen=True)
class GoldEvent:
    id: str
    spans: tuple[tuple[int, int], ...]
    category: str
    countries: frozenset[str]
    date_start: date | None
    date_end: date | None
    optional: bool = False


@dataclass(frozen=True)
class Gold:
    document: str
    sha256: str | None
    published: date | None
    events: tuple[GoldEvent, ...]
    file: str = ""


@dataclass(frozen=True)
class Candidate:
    """What evaluation needs of a candidate event: its evidence span and its codes."""

    start: int
    end: int
    category: str
    countries: frozenset[str]
    date_start: date | None
    date_end: date | None

    @staticmethod
    def of(event: Event, shift: int = 0) -> Candidate:
        """The candidate of an event; `shift` moves its offsets (text the document dropped in front)."""
        evidence = next((s.evidence for s in event.sources if s.evidence), None)
        start, end = (evidence.start + shift, evidence.end + shift) if evidence else (0, 0)
        return Candidate(start, end, event.category, frozenset(event.countries), event.date_start, event.date_end)


@dataclass
class Pair:
    candidate: int
    gold: str
    category_ok: bool
    countries: tuple[list[str], list[str]]
    date_ok: bool | None


@dataclass
class EvaluationReport:
    """Figures of one evaluation, plus the pairs and misses to read them by."""

    document: str
    candidates: int
    gold_required: int
    gold_optional: int
    found: int
    recall: float
    precision: float
    duplicate_rate: float
    category_accuracy: float
    country_f1: float
    country_precision: float
    country_recall: float
    date_accuracy: float
    dated_pairs: int
    missed: list[str] = field(default_factory=list)
    false_positives: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        keys = ("candidates", "gold_required", "found", "recall", "precision", "duplicate_rate",
                "category_accuracy", "country_f1", "date_accuracy")  # fmt: skip
        return {k: getattr(self, k) for k in keys}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_gold(path: Path) -> Gold:
    """A gold file, validated; ValidationFailed lists every problem with its place."""
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(Problem(f"not valid JSON ({exc.msg})", file=str(path), line=exc.lineno)) from exc
    return parse_gold(data, str(path))


def parse_gold(data: Any, name: str = "gold") -> Gold:
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise ValidationFailed(Problem("a gold file is an object with an 'events' list", file=name))
    problems: list[Problem] = []
    published = _date(data.get("published"), "published", "the gold file", name, problems)
    events = [e for i, raw in enumerate(data["events"]) if (e := _gold_event(raw, i, name, problems))]
    first: dict[str, int] = {}
    for i, raw in enumerate(data["events"]):
        if isinstance(raw, dict) and "id" in raw:
            key = str(raw["id"])
            if key in first:
                problems.append(
                    Problem(
                        f"event {key!r}: the id is used twice (first by events[{first[key]}])",
                        name,
                        None,
                        f"events[{i}].id",
                    )  # fmt: skip
                )
            first.setdefault(key, i)
    if problems:
        raise ValidationFailed(problems)
    return Gold(
        document=str(data.get("document", "")),
        sha256=data.get("sha256"),
        published=published,
        events=tuple(events),
        file=name,
    )


def _date(value: Any, field: str, label: str, name: str, problems: list[Problem]) -> date | None:
    """The value as a date (None when absent); a Problem naming the field when it is not one."""
    if value is None or value == "":
        return None
    try:
        if isinstance(value, str):
            return date.fromisoformat(value)
    except ValueError:
        pass
    problems.append(Problem(f"{label}: {value!r} is not a date (YYYY-MM-DD)", file=name, field=field))
    return None


def _gold_event(raw: Any, i: int, name: str, problems: list[Problem]) -> GoldEvent | None:
    where = f"events[{i}]"
    if not isinstance(raw, dict):
        problems.append(Problem("a gold event is an object", file=name, field=where))
        return None
    label = f"event {raw['id']!r}" if "id" in raw else f"event {where}"
    before = len(problems)
    for key in ("evidence", "category"):
        if key not in raw:
            problems.append(Problem(f"{label}: the field {key!r} is missing", file=name, field=f"{where}.{key}"))
    spans = _spans(raw.get("evidence", []), label, f"{where}.evidence", name, problems)
    countries = raw.get("countries") or []
    if not isinstance(countries, list) or not all(isinstance(c, str) for c in countries):
        problems.append(Problem(f"{label}: countries is a list of ISO3 codes", file=name, field=f"{where}.countries"))
        countries = []
    start = _date(raw.get("date_start"), f"{where}.date_start", label, name, problems)
    end = _date(raw.get("date_end"), f"{where}.date_end", label, name, problems)
    if start and end and end < start:
        problems.append(
            Problem(f"{label}: date_end {end} is before date_start {start}", file=name, field=f"{where}.date_end")
        )
    if len(problems) > before:
        return None
    event = GoldEvent(
        id=str(raw.get("id", i)),
        spans=spans,
        category=str(raw["category"]),
        countries=frozenset(countries),
        date_start=start,
        date_end=end,
        optional=bool(raw.get("optional", False)),
    )
    if event.category not in load_codebook().keys:
        problems.append(Problem(f"{label}: unknown category {event.category!r}", file=name, field=f"{where}.category"))
    bad = [c for c in event.countries if not is_iso3(c) or c == "CHN"]
    if bad:
        problems.append(Problem(f"{label}: not counterpart ISO3 codes: {bad}", file=name, field=f"{where}.countries"))
    if not spans or any(e <= s for s, e in spans):
        problems.append(
            Problem(f"{label}: every evidence span needs start < end", file=name, field=f"{where}.evidence")
        )
    return event


def _spans(raw: Any, label: str, where: str, name: str, problems: list[Problem]) -> tuple[tuple[int, int], ...]:
    if not isinstance(raw, list):
        problems.append(Problem(f"{label}: evidence is a list of {{start, end}} spans", file=name, field=where))
        return ()
    out = []
    for j, span in enumerate(raw):
        field = f"{where}[{j}]"
        if not isinstance(span, dict) or not all(k in span for k in ("start", "end")):
            problems.append(Problem(f"{label}: an evidence span needs 'start' and 'end'", file=name, field=field))
            continue
        bounds = [span["start"], span["end"]]
        if not all(isinstance(b, int) and not isinstance(b, bool) and b >= 0 for b in bounds):
            problems.append(
                Problem(f"{label}: span offsets must be whole numbers >= 0 (got {bounds})", file=name, field=field)
            )
            continue
        out.append((int(span["start"]), int(span["end"])))
    return tuple(out)


def check_document(gold: Gold, text: str) -> list[str]:
    """Warnings when the document differs from the one the gold was made for.

    ValidationFailed names every gold event whose evidence runs past the end of the text.
    """
    problems = [
        Problem(
            f"event {g.id!r}: evidence span {s}-{e} runs past the end of the document text ({len(text)} characters)",
            file=gold.file or None,
            field=f"events[{i}].evidence[{j}]",
        )
        for i, g in enumerate(gold.events)
        for j, (s, e) in enumerate(g.spans)
        if e > len(text)
    ]
    if problems:
        raise ValidationFailed(problems)
    if gold.sha256 and hashlib.sha256(text.encode("utf-8")).hexdigest() != gold.sha256:
        return ["the document's text differs from the one the gold file was made for: offsets may not match"]
    return []


def _overlap(c: Candidate, span: tuple[int, int]) -> float:
    inter = min(c.end, span[1]) - max(c.start, span[0])
    shorter = min(c.end - c.start, span[1] - span[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _date_ok(c: Candidate, g: GoldEvent) -> bool | None:
    if g.date_start is None or g.date_end is None:
        return None
    if c.date_start is None or c.date_end is None:
        return False
    return g.date_start <= c.date_start <= g.date_end and g.date_start <= c.date_end <= g.date_end


def _pair_score(c: Candidate, g: GoldEvent) -> float:
    overlap = max(_overlap(c, s) for s in g.spans)
    if overlap < MIN_OVERLAP:
        return 0.0
    union = c.countries | g.countries
    jaccard = len(c.countries & g.countries) / len(union) if union else 1.0
    return overlap + (c.category == g.category) + 0.5 * jaccard + 0.25 * bool(_date_ok(c, g)) + 0.1 * (not g.optional)


def evaluate(candidates: list[Candidate], gold: Gold, document: str = "") -> EvaluationReport:
    """Compare candidates with the gold events of one document."""
    scored = sorted(
        ((s, ci, g) for ci, c in enumerate(candidates) for g in gold.events if (s := _pair_score(c, g)) > 0),
        key=lambda t: (-t[0], t[1], t[2].id),
    )
    matched = {ci for _s, ci, _g in scored}
    taken_c: set[int] = set()
    taken_g: dict[str, int] = {}
    for _s, ci, g in scored:
        if ci not in taken_c and g.id not in taken_g:
            taken_c.add(ci)
            taken_g[g.id] = ci
    by_id = {g.id: g for g in gold.events}
    required = [g for g in gold.events if not g.optional]
    pairs = [_pair(candidates[ci], by_id[gid], ci) for gid, ci in taken_g.items() if not by_id[gid].optional]
    return _report(candidates, gold, required, pairs, matched, taken_c, taken_g, document)


def _pair(c: Candidate, g: GoldEvent, ci: int) -> Pair:
    return Pair(ci, g.id, c.category == g.category, (sorted(c.countries), sorted(g.countries)), _date_ok(c, g))


def _report(
    candidates: list[Candidate],
    gold: Gold,
    required: list[GoldEvent],
    pairs: list[Pair],
    matched: set[int],
    taken_c: set[int],
    taken_g: dict[str, int],
    document: str,
) -> EvaluationReport:
    tp = sum(len(set(p.countries[0]) & set(p.countries[1])) for p in pairs)
    fp = sum(len(set(p.countries[0]) - set(p.countries[1])) for p in pairs)
    fn = sum(len(set(p.countries[1]) - set(p.countries[0])) for p in pairs)
    c_prec = tp / (tp + fp) if tp + fp else 1.0
    c_rec = tp / (tp + fn) if tp + fn else 1.0
    dated = [p for p in pairs if p.date_ok is not None]
    duplicates = sorted(matched - taken_c)
    return EvaluationReport(
        document=document or gold.document,
        candidates=len(candidates),
        gold_required=len(required),
        gold_optional=len(gold.events) - len(required),
        found=len(pairs),
        recall=_ratio(len(pairs), len(required)),
        precision=_ratio(len(matched), len(candidates)),
        duplicate_rate=_ratio(len(duplicates), len(matched), empty=0.0),
        category_accuracy=_ratio(sum(p.category_ok for p in pairs), len(pairs)),
        country_f1=round(2 * c_prec * c_rec / (c_prec + c_rec), 3) if c_prec + c_rec else 0.0,
        country_precision=round(c_prec, 3),
        country_recall=round(c_rec, 3),
        date_accuracy=_ratio(sum(bool(p.date_ok) for p in dated), len(dated)),
        dated_pairs=len(dated),
        missed=[g.id for g in required if g.id not in taken_g],
        false_positives=[i for i in range(len(candidates)) if i not in matched],
        duplicates=duplicates,
        pairs=pairs,
    )


def _ratio(num: int, den: int, empty: float = 1.0) -> float:
    return round(num / den, 3) if den else empty
