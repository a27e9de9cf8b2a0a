"""The focus topic: an analyst's Markdown article rendered into the edition.

Reads Markdown text (a file given on the command line, or the bundled
`focus/<period>.md`); adds a `FocusTopic` holding the article as HTML and as Markdown.
A leading `# heading` becomes the topic's title; the other headings move one level
down so they sit under the edition's "Focus topic" heading. Each ```sectracker fenced
block is numbered and sent to `report.blocks.render_block`, whose HTML replaces it.
Raw HTML in the Markdown is escaped, not passed through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from sectracker import textfiles
from sectracker.countries.groups import Reference
from sectracker.errors import Problem, ReportError, ValidationFailed
from sectracker.models import Event
from sectracker.report.blocks import BlockContext, render_block
from sectracker.report.edition import FocusTopic
from sectracker.series import block as _series_block  # noqa: F401  (registers the `series` block)

if TYPE_CHECKING:
    from sectracker.charts.worker import ChartWorker

BLOCK_INFO = "sectracker"
DEFAULT_TITLE = "Focus topic"


class FocusError(ReportError):
    """A focus file's block is malformed: the user's input, so exit code 2."""

    exit_code = 2
    http_status = 400


@dataclass(frozen=True)
class FocusSource:
    """Focus Markdown and the name used for it in messages."""

    text: str
    name: str


def load_focus(path: Path | None, period: str | None) -> FocusSource | None:
    """The focus file given, else the bundled one for the period, else None."""
    if path is not None:
        if not path.is_file():
            problem = "is a folder, not a file" if path.is_dir() else "focus file not found"
            raise ValidationFailed(Problem(problem, file=str(path), field="--focus"))
        text = textfiles.read_text(path)
        if "\x00" in text:
            raise ValidationFailed(Problem("not a text file (it holds NUL bytes)", file=str(path), field="--focus"))
        if not text.strip():
            raise ValidationFailed(Problem("the focus file is empty", file=str(path), field="--focus"))
        return FocusSource(text, str(path))
    if not period:
        return None
    bundled = resources.files("sectracker.report").joinpath("focus", f"{period.upper()}.md")
    if not bundled.is_file():
        return None
    return FocusSource(bundled.read_text(encoding="utf-8"), f"sectracker/report/focus/{period.upper()}.md")


def render_focus(
    source: FocusSource,
    events: Sequence[Event],
    period_label: str = "",
    reference: Reference | None = None,
    series: Sequence[Any] | None = None,
    charts: ChartWorker | None = None,
) -> FocusTopic:
    """Render focus Markdown; ReportError (from the block hook) names a bad block and its line.

    With `charts`, the topic holds the worker's placeholders for its charts' SVGs.
    """
    md = _markdown()
    tokens = md.parse(source.text)
    lines = source.text.splitlines()
    edits: dict[int, tuple[int, list[str]]] = {}
    title = _take_title(tokens, edits)
    _shift_headings(tokens, edits)
    context = BlockContext(events, 0, source.name, 0, period_label, reference, series=series, charts=charts)
    try:
        _render_blocks(tokens, edits, context)
    except FocusError:
        raise
    except ReportError as exc:
        raise FocusError(str(exc)) from exc
    html = md.renderer.render(tokens, md.options, {})
    return FocusTopic(
        title=title or DEFAULT_TITLE,
        html=html,
        markdown=_apply_edits(lines, edits),
        source_name=source.name,
    )


def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _inline_text(token: Token) -> str:
    """Plain text of an inline token (markup such as emphasis dropped)."""
    parts = [c.content for c in token.children or [] if c.type in ("text", "code_inline")]
    return "".join(parts).strip() if parts else token.content.strip()


def _take_title(tokens: list[Token], edits: dict[int, tuple[int, list[str]]]) -> str | None:
    """Remove a leading level-1 heading and return its text."""
    if len(tokens) < 3 or tokens[0].type != "heading_open" or tokens[0].tag != "h1":
        return None
    title = _inline_text(tokens[1])
    if tokens[0].map:
        start, end = tokens[0].map
        edits[start] = (end, [])
    del tokens[:3]
    return title


def _shift_headings(tokens: list[Token], edits: dict[int, tuple[int, list[str]]]) -> None:
    """Move every heading one level down (h2 -> h3), in the HTML and the Markdown."""
    for i, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        level = min(int(token.tag[1]) + 1, 6)
        token.tag = f"h{level}"
        if token.type == "heading_open" and token.level == 0 and token.map:
            start, end = token.map
            edits[start] = (end, ["#" * level + " " + tokens[i + 1].content.replace("\n", " ")])


def _render_blocks(tokens: list[Token], edits: dict[int, tuple[int, list[str]]], context: BlockContext) -> None:
    """Replace each ```sectracker fence with the HTML its renderer returns."""
    number = 0
    for i, token in enumerate(tokens):
        if token.type != "fence" or token.info.strip() != BLOCK_INFO:
            continue
        number += 1
        start, end = token.map or (0, 0)
        ctx = replace(context, block_number=number, line=start + 1)
        html = render_block(token.content, ctx).strip() + "\n"
        tokens[i] = Token("html_block", "", 0, content=html, block=True, map=token.map, level=token.level)
        if token.level == 0 and token.map:
            # A Markdown HTML block ends at a blank line, so the fragment must have none.
            edits[start] = (end, [line for line in html.splitlines() if line.strip()])


def _apply_edits(lines: list[str], edits: dict[int, tuple[int, list[str]]]) -> str:
    """The Markdown with line ranges [start, end) replaced; a replacement stands between blank lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i not in edits:
            out.append(lines[i])
            i += 1
            continue
        end, replacement = edits[i]
        if replacement:
            out += ([""] if out and out[-1].strip() else []) + replacement + [""]
        i = max(end, i + 1)
        while i < len(lines) and i not in edits and not lines[i].strip():
            i += 1
    return "\n".join(out).strip("\n") + "\n"
