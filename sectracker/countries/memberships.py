"""Memberships of international organisations (ASEAN, SCO, BRICS, AU, EU, NATO, OECD, G20).

Reads `memberships.yaml` (written by us, sources in its header and per group) and
validates it on load: errors name the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import polars as pl
import yaml

from sectracker.countries.codes import is_iso3
from sectracker.errors import CodebookError

MEMBERSHIPS_FILE = "memberships.yaml"


@dataclass(frozen=True)
class Organisation:
    """One organisation whose membership we track."""

    id: str
    name: str
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Membership:
    """A country's membership of one organisation: from `joined` to `left` (inclusive)."""

    group: str
    iso3: str
    joined: date
    left: date | None
    source: str


@dataclass(frozen=True)
class MembershipData:
    organisations: tuple[Organisation, ...]
    memberships: tuple[Membership, ...]

    def frame(self) -> pl.DataFrame:
        """One row per membership: group, iso3, since, until, source."""
        return pl.DataFrame(
            {
                "group": [m.group for m in self.memberships],
                "iso3": [m.iso3 for m in self.memberships],
                "since": [m.joined for m in self.memberships],
                "until": [m.left for m in self.memberships],
                "source": [m.source for m in self.memberships],
            },
            schema={"group": pl.String, "iso3": pl.String, "since": pl.Date, "until": pl.Date, "source": pl.String},
        )


class _Reader:
    def __init__(self, name: str) -> None:
        self.name = name

    def fail(self, node: yaml.Node, message: str) -> CodebookError:
        return CodebookError(f"{self.name}:{node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> list[tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"{what} must be non-empty text")
        return str(node.value).strip()

    def day(self, node: yaml.Node) -> date:
        text = self.scalar(node, "a date")
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise self.fail(node, f"{text!r} is not a date (YYYY-MM-DD)") from None

    def code(self, node: yaml.Node) -> str:
        code = self.scalar(node, "a country code")
        if not is_iso3(code):
            raise self.fail(node, f"unknown ISO 3166-1 alpha-3 code {code!r}")
        return code


def parse_memberships(text: str, name: str = MEMBERSHIPS_FILE) -> MembershipData:
    """Parse and validate the memberships file; CodebookError names file and line."""
    r = _Reader(name)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    if root is None:
        raise CodebookError(f"{name}: the file is empty")
    top = dict((r.scalar(k, "a key"), v) for k, v in r.mapping(root, "the file"))
    if "groups" not in top:
        raise r.fail(root, "missing 'groups'")
    orgs: list[Organisation] = []
    members: list[Membership] = []
    for key, node in r.mapping(top["groups"], "'groups'"):
        org, rows = _group(r, r.scalar(key, "a group id"), node)
        orgs.append(org)
        members += rows
    return MembershipData(tuple(orgs), tuple(members))


def _group(r: _Reader, gid: str, node: yaml.Node) -> tuple[Organisation, list[Membership]]:
    fields = {r.scalar(k, "a key"): v for k, v in r.mapping(node, f"group {gid!r}")}
    for required in ("name", "source", "joined"):
        if required not in fields:
            raise r.fail(node, f"group {gid!r}: missing {required!r}")
    source = r.scalar(fields["source"], "source")
    note = r.scalar(fields["note"], "note") if "note" in fields else None
    left = {r.code(k): r.day(v) for k, v in r.mapping(fields["left"], "'left'")} if "left" in fields else {}
    rows: list[Membership] = []
    seen: set[str] = set()
    for day_node, codes in r.mapping(fields["joined"], "'joined'"):
        joined = r.day(day_node)
        if not isinstance(codes, yaml.SequenceNode):
            raise r.fail(codes, "members must be a list of ISO3 codes")
        for code_node in codes.value:
            code = r.code(code_node)
            if code in seen:
                raise r.fail(code_node, f"group {gid!r}: {code} is listed twice")
            seen.add(code)
            until = left.get(code)
            if until is not None and until < joined:
                raise r.fail(code_node, f"group {gid!r}: {code} leaves before it joins")
            rows.append(Membership(gid, code, joined, until, source))
    return Organisation(gid, r.scalar(fields["name"], "name"), source, note), rows


@lru_cache(maxsize=1)
def load_memberships() -> MembershipData:
    """The memberships shipped in the package (cached)."""
    text = resources.files("sectracker.countries").joinpath(MEMBERSHIPS_FILE).read_text(encoding="utf-8")
    return parse_memberships(text, f"sectracker/countries/{MEMBERSHIPS_FILE}")
