"""Load and validate the codebook YAML; render it as Markdown.

Errors name the file and line of the offending entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

from sectracker.errors import CodebookError

DEFAULT_FILE = "codebook.yaml"
KEY_PATTERN = re.compile(r"^[a-z]+\.[a-z_]+$")


@dataclass(frozen=True)
class Category:
    """One codebook category, such as ``diplomacy.aid_training``."""

    key: str
    label: str
    section: str
    group: str | None
    definition: str
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """A top-level section of an edition, holding categories in order."""

    id: str
    label: str
    definition: str
    categories: tuple[Category, ...]


@dataclass(frozen=True)
class Codebook:  # frozen, but cached_property needs __dict__: no slots
    """The whole codebook: version, sections and categories in edition order."""

    version: str
    title: str
    sections: tuple[Section, ...]

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        return tuple(c for s in self.sections for c in s.categories)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.categories)

    @cached_property
    def key_set(self) -> frozenset[str]:
        return frozenset(self.keys)

    def category(self, key: str) -> Category:
        """The category with this key; CodebookError if there is none."""
        for c in self.categories:
            if c.key == key:
                return c
        raise CodebookError(f"unknown category key {key!r}; known: {', '.join(self.keys)}")

    def section_of(self, key: str) -> Section:
        for s in self.sections:
            if any(c.key == key for c in s.categories):
                return s
        raise CodebookError(f"unknown category key {key!r}")


class _Reader:
    """Reads YAML nodes while keeping line numbers for error messages."""

    def __init__(self, name: str):
        self.name = name

    def fail(self, node: yaml.Node | None, message: str) -> CodebookError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return CodebookError(f"{self.name}{line}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping")
        return {str(k.value): v for k, v in node.value}

    def text(self, m: dict[str, yaml.Node], key: str, owner: yaml.Node, *, optional: bool = False) -> Any:
        node = m.get(key)
        if node is None:
            if optional:
                return None
            raise self.fail(owner, f"missing required field {key!r}")
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            raise self.fail(node, f"field {key!r} must be non-empty text")
        return str(node.value).strip()

    def texts(self, m: dict[str, yaml.Node], key: str, owner: yaml.Node) -> tuple[str, ...]:
        node = m.get(key)
        if node is None:
            raise self.fail(owner, f"missing required field {key!r}")
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise self.fail(node, f"field {key!r} must be a non-empty list")
        out = []
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode) or not str(item.value).strip():
                raise self.fail(item, f"every entry of {key!r} must be non-empty text")
            out.append(str(item.value).strip())
        return tuple(out)


def parse_codebook(text: str, name: str = DEFAULT_FILE) -> Codebook:
    """Parse and validate codebook YAML text; CodebookError names file and line."""
    r = _Reader(name)
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise CodebookError(f"{name}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from exc
    if root is None:
        raise CodebookError(f"{name}: the file is empty")
    top = r.mapping(root, "the codebook")
    sections_node = top.get("sections")
    if not isinstance(sections_node, yaml.SequenceNode) or not sections_node.value:
        raise r.fail(sections_node or root, "'sections' must be a non-empty list")
    seen: set[str] = set()
    sections = tuple(_section(r, node, seen) for node in sections_node.value)
    return Codebook(
        version=r.text(top, "version", root),
        title=r.text(top, "title", root),
        sections=sections,
    )


def _section(r: _Reader, node: yaml.Node, seen: set[str]) -> Section:
    m = r.mapping(node, "a section")
    sid = r.text(m, "id", node)
    cats_node = m.get("categories")
    if not isinstance(cats_node, yaml.SequenceNode) or not cats_node.value:
        raise r.fail(cats_node or node, f"section {sid!r}: 'categories' must be a non-empty list")
    cats = tuple(_category(r, c, sid, seen) for c in cats_node.value)
    return Section(sid, r.text(m, "label", node), r.text(m, "definition", node), cats)


def _category(r: _Reader, node: yaml.Node, section: str, seen: set[str]) -> Category:
    m = r.mapping(node, "a category")
    key = r.text(m, "key", node)
    if not KEY_PATTERN.match(key) or not key.startswith(section + "."):
        raise r.fail(m["key"], f"category key {key!r} must look like '{section}.name'")
    if key in seen:
        raise r.fail(m["key"], f"duplicate category key {key!r}")
    seen.add(key)
    return Category(
        key=key,
        label=r.text(m, "label", node),
        section=section,
        group=r.text(m, "group", node, optional=True),
        definition=r.text(m, "definition", node),
        includes=r.texts(m, "includes", node),
        excludes=r.texts(m, "excludes", node),
        cues=r.texts(m, "cues", node),
    )


@lru_cache(maxsize=4)
def load_codebook(name: str = DEFAULT_FILE) -> Codebook:
    """The codebook shipped in the package (cached)."""
    text = resources.files("sectracker.codebook").joinpath(name).read_text(encoding="utf-8")
    return parse_codebook(text, f"sectracker/codebook/{name}")


def render_markdown(cb: Codebook) -> str:
    """The codebook as a Markdown document (docs/codebook.md is generated from this)."""
    out = [
        f"# {cb.title}",
        "",
        f"Codebook version **{cb.version}**. "
        "Generated by `sectracker codebook --format markdown`; do not edit by hand.",
        "",
    ]
    for s in cb.sections:
        out += [f"## {s.label} (`{s.id}`)", "", s.definition, ""]
        for c in s.categories:
            group = f" ({c.group})" if c.group else ""
            out += [f"### {c.label}{group}: `{c.key}`", "", c.definition, "", "In scope:", ""]
            out += [f"- {i}" for i in c.includes]
            out += ["", "Out of scope:", ""] + [f"- {e}" for e in c.excludes]
            out += ["", "Cue terms: " + ", ".join(c.cues), ""]
    return "\n".join(out).rstrip() + "\n"
