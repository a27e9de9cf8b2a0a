"""The edition as Markdown: CommonMark with GitHub-style footnotes and tables.

Reads an `Edition`; returns Markdown text. Text from events is escaped so that it
cannot turn into links, HTML or formatting. The focus topic goes in as the analyst
wrote it (with its rendered blocks as HTML).
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from sectracker.report.edition import Edition, Footnote, Item

TEMPLATE = "edition.md.j2"
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!{}])")
_BLOCK_START = re.compile(r"^(\d+)([.)])|^([-+=])")


# Stands in for the focus topic while blank lines are tidied; data cannot contain it, since "<" is escaped.
_FOCUS_MARK = "<sectracker-focus/>"


def escape_md(text: object) -> str:
    """Text with Markdown punctuation backslash-escaped, on one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def escape_md_line(text: object) -> str:
    """escape_md for text that opens a line, where "1." or "-" would start a list."""
    escaped = escape_md(text)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", escaped)


def _refs(item: Item) -> str:
    return "".join(f"[^{f.number}]" for f in item.footnotes)


def _citation(f: Footnote) -> str:
    text = escape_md(f.title)
    if f.publisher:
        text += f". {escape_md(f.publisher)}"
    if f.published:
        text += f", {escape_md(f.published)}"
    text += "."
    if f.link and not re.search(r"[\s<>]", f.link):
        text += f" <{f.link}>"
    elif f.url:
        text += f" {escape_md(f.url)}"
    return text


@lru_cache(maxsize=1)
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("sectracker.report", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape_md
    env.filters["md_line"] = escape_md_line
    env.globals.update(refs=_refs, citation=_citation)
    return env.get_template(TEMPLATE)


def render_markdown(edition: Edition) -> str:
    """The edition as a Markdown document ending in one newline."""
    text = _template().render(e=edition, focus_mark=_FOCUS_MARK)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.replace(_FOCUS_MARK, edition.focus.markdown.strip()) if edition.focus else text
