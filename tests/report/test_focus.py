"""report/focus.py: the analyst's Markdown rendered in place, fenced blocks sent to the hook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sectracker.errors import ReportError, ValidationFailed
from sectracker.report import blocks
from sectracker.report.blocks import BlockContext
from sectracker.report.focus import FocusSource, load_focus, render_focus
from tests.report.events import sample_events

FOCUS = """# The PLA's quiet *mask* diplomacy

Donations went to **defence ministries**, not to the public. <b>raw</b>

## Who received them

```sectracker
table: recipients
```

More text.

```sectracker
table: second
```
"""


@pytest.fixture
def seen() -> Iterator[list[BlockContext]]:
    """Registers a `table` renderer that records what it was given."""
    calls: list[BlockContext] = []

    def render(spec: dict[str, Any], ctx: BlockContext) -> str:
        calls.append(ctx)
        return f'<figure class="test-block">\n\n<p>{spec["table"]} {len(ctx.events)}</p>\n</figure>'

    saved = dict(blocks.BLOCK_RENDERERS)
    blocks.BLOCK_RENDERERS["table"] = render
    yield calls
    blocks.BLOCK_RENDERERS.clear()
    blocks.BLOCK_RENDERERS.update(saved)


def test_title_heading_shift_and_markdown(seen: list[BlockContext]) -> None:
    focus = render_focus(FocusSource(FOCUS, "focus.md"), sample_events(), "January-June 2020")
    assert focus.title == "The PLA's quiet mask diplomacy"
    assert "<strong>defence ministries</strong>" in focus.html
    assert "<h3>Who received them</h3>" in focus.html
    assert "<h1>" not in focus.html and "<h2>" not in focus.html
    assert focus.markdown.startswith("Donations went to")
    assert "### Who received them" in focus.markdown


def test_raw_html_in_the_markdown_is_escaped(seen: list[BlockContext]) -> None:
    focus = render_focus(FocusSource(FOCUS, "focus.md"), [], "")
    assert "&lt;b&gt;raw&lt;/b&gt;" in focus.html and "<b>raw</b>" not in focus.html


def test_blocks_are_numbered_and_rendered_in_place(seen: list[BlockContext]) -> None:
    events = sample_events()
    focus = render_focus(FocusSource(FOCUS, "focus.md"), events, "January-June 2020")
    assert [(c.block_number, c.line, c.source_name) for c in seen] == [(1, 7, "focus.md"), (2, 13, "focus.md")]
    assert all(len(c.events) == len(events) and c.period_label == "January-June 2020" for c in seen)
    assert focus.html.index("recipients 8") < focus.html.index("More text") < focus.html.index("second 8")
    assert "```" not in focus.markdown
    # In Markdown the fragment must have no blank line, or it would stop being one HTML block.
    assert '<figure class="test-block">\n<p>recipients 8</p>\n</figure>' in focus.markdown


def test_malformed_block_names_the_block_and_line(seen: list[BlockContext]) -> None:
    text = "Intro.\n\n```sectracker\ntable: [unclosed\n```\n"
    # The line is the fence's (3) or, when the YAML parser knows it, the line inside the block.
    with pytest.raises(ReportError, match=r"bad\.md:[345] \(block 1\).*not valid YAML"):
        render_focus(FocusSource(text, "bad.md"), [], "")


def test_block_that_is_not_a_mapping_names_the_fence_line(seen: list[BlockContext]) -> None:
    text = "# T\n\nIntro.\n\n```sectracker\njust words\n```\n"
    with pytest.raises(ReportError, match=r"bad\.md:5 \(block 1\)"):
        render_focus(FocusSource(text, "bad.md"), [], "")


def test_block_naming_no_renderer_is_an_error(seen: list[BlockContext]) -> None:
    text = "```sectracker\ntable: ok\n```\n\n```sectracker\nwidget: map\n```\n"
    with pytest.raises(ReportError, match=r"x\.md:5 \(block 2\).*no known renderer"):
        render_focus(FocusSource(text, "x.md"), [], "")


def test_other_code_fences_stay_code(seen: list[BlockContext]) -> None:
    focus = render_focus(FocusSource("```python\nx = 1\n```\n", "c.md"), [], "")
    assert '<code class="language-python">x = 1' in focus.html and not seen
    assert focus.title == "Focus topic"


def test_load_focus_file_missing_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="focus file not found"):
        load_focus(tmp_path / "nope.md", "2020-H1")


def test_load_focus_reads_the_given_file(tmp_path: Path) -> None:
    path = tmp_path / "topic.md"
    path.write_text("# T\n\nBody\n", encoding="utf-8")
    source = load_focus(path, None)
    assert source is not None and source.text.startswith("# T") and source.name == str(path)


def test_no_bundled_focus_for_a_period_gives_none() -> None:
    assert load_focus(None, "1999-H2") is None
    assert load_focus(None, None) is None
