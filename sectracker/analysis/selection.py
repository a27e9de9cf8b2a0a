"""The selection syntax shared by the CLI, the API and focus-topic Markdown.

A selection is conditions joined by ``and``::

    category = diplomacy.aid_training and country in (NGA, PAK) and date >= 2020-03-01
    and group = bri and tag = covid-19

``parse_selection`` turns the text into a typed `Selection`, checking every field name,
operator and value (category keys, actors, countries, groups, dates); errors are
AnalysisError naming the position (1-based character) of the problem. The grammar and
every field are documented in docs/selections.md.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sectracker.countries.reference import countries_frame, find_country
from sectracker.errors import AnalysisError, ValidationFailed
from sectracker.models import Status
from sectracker.periods import parse_period

EQ = ("=", "!=", "in", "not in")
ORDER = ("=", "!=", "<", "<=", ">", ">=", "in", "not in")
INCOME_VALUES = ("low", "lower_middle", "upper_middle", "high")
ALIGNMENT_VALUES = ("q1", "q2", "q3", "q4")


@dataclass(frozen=True)
class FieldSpec:
    """A selectable field: what it describes (event or counterpart country), its type, its operators."""

    level: str  # "event", "country" or "setting"
    kind: str
    ops: tuple[str, ...]
    help: str


FIELDS: dict[str, FieldSpec] = {
    "category": FieldSpec("event", "category", EQ, "codebook category key, e.g. diplomacy.aid_training"),
    "section": FieldSpec("event", "section", EQ, "codebook section id: domestic, diplomacy, projection, architecture"),
    "actor": FieldSpec("event", "actor", EQ, "Chinese actor id from the actor list, e.g. pla"),
    "tag": FieldSpec("event", "text", EQ, "event tag, e.g. covid-19"),
    "status": FieldSpec("event", "status", EQ, "candidate, verified or rejected"),
    "id": FieldSpec("event", "text", EQ, "event id"),
    "date": FieldSpec("event", "date", ORDER, "the event's start date, YYYY-MM-DD"),
    "period": FieldSpec("event", "period", EQ, "start date within a period: 2020, 2020-H1, 2020-Q2, 2020-05"),
    "significance": FieldSpec("event", "number", ORDER, "significance 1-5"),
    "highlight": FieldSpec("event", "bool", ("=", "!="), "true or false"),
    "country": FieldSpec("country", "country", EQ, "counterpart country: ISO3, ISO2 or English name"),
    "region": FieldSpec("country", "region", EQ, "UN M49 region of the counterpart, e.g. Africa"),
    "subregion": FieldSpec("country", "subregion", EQ, "UN M49 sub-region, e.g. Sub-Saharan Africa"),
    "continent": FieldSpec("country", "continent", EQ, "continent, e.g. Asia"),
    "group": FieldSpec("country", "group", EQ, "membership on the event date: bri, asean, sco, brics, au, eu, ..."),
    "income": FieldSpec("country", "income", EQ, "World Bank income group on the event date: low ... high"),
    "alignment": FieldSpec("country", "alignment", ORDER, "UN-vote agreement with China: q1..q4, or a share"),
    "asof": FieldSpec("setting", "date", ("=",), "evaluate groups on this date instead of each event's date"),
}
GROUP_NAMES = ("bri", "asean", "sco", "brics", "au", "eu", "nato", "oecd", "g20")


@dataclass(frozen=True)
class Condition:
    """One condition: field, operator, typed values, and where it starts in the text."""

    field: str
    op: str
    values: tuple[Any, ...]
    position: int

    @property
    def level(self) -> str:
        return FIELDS[self.field].level


@dataclass(frozen=True)
class Selection:
    """A parsed selection: conditions that must all hold, and an optional as-of date."""

    text: str
    conditions: tuple[Condition, ...] = ()
    asof: date | None = None

    @property
    def is_all(self) -> bool:
        return not self.conditions

    def fields(self) -> set[str]:
        return {c.field for c in self.conditions}

    def __str__(self) -> str:
        return self.text or "all events"


@dataclass(frozen=True)
class Token:
    kind: str  # word, string, op, lparen, rparen, comma, end
    text: str
    position: int


_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<op><=|>=|!=|=|<|>)
      | (?P<lparen>\()
      | (?P<rparen>\))
      | (?P<comma>,)
      | (?P<string>"[^"]*"|'[^']*')
      | (?P<word>[^\s=<>!(),"']+)""",
    re.VERBOSE,
)


def _fail(text: str, position: int, message: str) -> AnalysisError:
    return AnalysisError(f"selection {text!r}, position {position}: {message}")


def tokenize(text: str) -> list[Token]:
    """Words, quoted strings, operators, brackets and commas, each with its 1-based position."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:
            quote = text[i] in "\"'"
            raise _fail(text, i + 1, "unclosed quote" if quote else f"unexpected character {text[i]!r}")
        kind = m.lastgroup or "space"
        if kind != "space":
            value = m.group()[1:-1] if kind == "string" else m.group()
            tokens.append(Token(kind, value, i + 1))
        i = m.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def fail(self, token: Token, message: str) -> AnalysisError:
        return _fail(self.text, token.position, message)

    @staticmethod
    def describe(token: Token) -> str:
        return "the end of the selection" if token.kind == "end" else repr(token.text)

    def keyword(self, word: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text.lower() == word:
            self.i += 1
            return True
        return False

    def parse(self) -> Selection:
        if self.peek().kind == "end":
            return Selection(self.text)
        conditions = [self.condition()]
        while self.peek().kind != "end":
            token = self.peek()
            if not self.keyword("and"):
                raise self.fail(token, f"expected 'and' between conditions, found {self.describe(token)}")
            conditions.append(self.condition())
        asof = [c for c in conditions if c.field == "asof"]
        if len(asof) > 1:
            raise _fail(self.text, asof[1].position, "'asof' is given twice")
        return Selection(
            self.text,
            tuple(c for c in conditions if c.field != "asof"),
            asof[0].values[0] if asof else None,
        )

    def condition(self) -> Condition:
        start = self.take()
        if start.kind != "word":
            raise self.fail(start, f"expected a field name, found {self.describe(start)}")
        name = start.text.lower()
        spec = FIELDS.get(name)
        if spec is None:
            raise self.fail(
                start, f"unknown field {start.text!r}{_suggest(name, FIELDS)} (fields: {', '.join(FIELDS)})"
            )
        op, op_token = self.operator()
        if op not in spec.ops:
            raise self.fail(op_token, f"field {name!r} does not take {op!r} (it takes: {', '.join(spec.ops)})")
        raw = self.values() if op in ("in", "not in") else [self.value()]
        values = tuple(_convert(self, name, spec, op, token) for token in raw)
        return Condition(name, op, values, start.position)

    def operator(self) -> tuple[str, Token]:
        token = self.peek()
        if token.kind == "op":
            self.i += 1
            return token.text, token
        if self.keyword("in"):
            return "in", token
        if self.keyword("not"):
            if not self.keyword("in"):
                raise self.fail(self.peek(), f"expected 'in' after 'not', found {self.describe(self.peek())}")
            return "not in", token
        raise self.fail(token, f"expected an operator (=, !=, <, <=, >, >=, in, not in), found {self.describe(token)}")

    def value(self) -> Token:
        token = self.take()
        if token.kind not in ("word", "string"):
            raise self.fail(token, f"expected a value, found {self.describe(token)}")
        return token

    def values(self) -> list[Token]:
        token = self.take()
        if token.kind != "lparen":
            raise self.fail(token, f"expected '(' to open a list of values, found {self.describe(token)}")
        out = [self.value()]
        while self.peek().kind == "comma":
            self.i += 1
            out.append(self.value())
        token = self.take()
        if token.kind != "rparen":
            raise self.fail(token, f"expected ',' or ')' in the list of values, found {self.describe(token)}")
        return out


def _suggest(word: str, known: Any) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _convert(p: _Parser, field: str, spec: FieldSpec, op: str, token: Token) -> Any:
    """A token's value typed and checked for its field."""
    value = token.text.strip()
    try:
        return _CONVERTERS[spec.kind](value, op)
    except (ValueError, ValidationFailed, AnalysisError) as exc:
        message = exc.args[0] if exc.args else str(exc)
        raise p.fail(token, f"{field}: {message}") from None


def _category(value: str, _op: str) -> str:
    from sectracker.codebook import load_codebook

    keys = load_codebook().keys
    if value not in keys:
        raise ValueError(f"unknown category {value!r}{_suggest(value, keys)}")
    return value


def _section(value: str, _op: str) -> str:
    from sectracker.codebook import load_codebook

    ids = [s.id for s in load_codebook().sections]
    if value not in ids:
        raise ValueError(f"unknown section {value!r} (sections: {', '.join(ids)})")
    return value


def _actor(value: str, _op: str) -> str:
    from sectracker.actors import load_actors

    actors = load_actors()
    if value not in actors:
        raise ValueError(f"unknown actor {value!r}{_suggest(value, actors)}")
    return value


def _status(value: str, _op: str) -> str:
    try:
        return Status(value.lower()).value
    except ValueError:
        raise ValueError(f"unknown status {value!r} (candidate, verified, rejected)") from None


def _day(value: str, _op: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _period(value: str, _op: str) -> tuple[date, date]:
    return parse_period(value)


def _number(value: str, _op: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None


def _bool(value: str, _op: str) -> bool:
    if value.lower() not in ("true", "false", "yes", "no"):
        raise ValueError(f"{value!r} is not true or false")
    return value.lower() in ("true", "yes")


def _country(value: str, _op: str) -> str:
    code = find_country(value)
    if code is None:
        raise ValueError(f"unknown country {value!r}: use an ISO 3166 code (NGA, NG) or an English name")
    return code


def _place(column: str) -> Any:
    def convert(value: str, _op: str) -> str:
        known = sorted(countries_frame()[column].drop_nulls().unique().to_list())
        for k in known:
            if k.lower() == value.lower():
                return str(k)
        raise ValueError(f"unknown {column} {value!r} (known: {', '.join(known)})")

    return convert


def _group(value: str, _op: str) -> str:
    if value.lower() not in GROUP_NAMES:
        raise ValueError(
            f"unknown group {value!r}{_suggest(value.lower(), GROUP_NAMES)} (groups: {', '.join(GROUP_NAMES)})"
        )
    return value.lower()


def _income(value: str, _op: str) -> str:
    key = re.sub(r"[\s-]+", "_", value.lower()).removesuffix("_income")
    if key not in INCOME_VALUES:
        raise ValueError(f"unknown income group {value!r} (use: {', '.join(INCOME_VALUES)})")
    return key


def _alignment(value: str, op: str) -> str | float:
    if op in ("=", "!=", "in", "not in"):
        if value.lower() not in ALIGNMENT_VALUES:
            raise ValueError(f"{value!r} is not a quartile (q1 = least aligned .. q4 = most aligned)")
        return value.lower()
    share = _number(value, op)
    if not 0 <= share <= 1:
        raise ValueError(f"an agreement share is between 0 and 1, not {value}")
    return share


def _text(value: str, _op: str) -> str:
    if not value:
        raise ValueError("the value is empty")
    return value.lower() if value.isascii() else value


_CONVERTERS: dict[str, Any] = {
    "category": _category,
    "section": _section,
    "actor": _actor,
    "status": _status,
    "date": _day,
    "period": _period,
    "number": _number,
    "bool": _bool,
    "country": _country,
    "region": _place("region"),
    "subregion": _place("subregion"),
    "continent": _place("continent"),
    "group": _group,
    "income": _income,
    "alignment": _alignment,
    "text": _text,
}


def parse_selection(text: str | None) -> Selection:
    """Parse selection text (empty or None selects every event); AnalysisError names the position."""
    return _Parser((text or "").strip()).parse()
