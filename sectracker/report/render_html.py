"""The edition as one self-contained HTML page: CSS inlined, text escaped, no scripts.

Reads an `Edition`; returns HTML text. The same edition always gives the same text.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, Template

from sectracker.report.edition import Edition

TEMPLATE = "edition.html.j2"
STYLESHEET = "edition.css"


@lru_cache(maxsize=1)
def _template() -> Template:
    # Autoescape on: headlines, summaries and source titles are untrusted text.
    env = Environment(
        loader=PackageLoader("sectracker.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(TEMPLATE)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The edition's CSS (screen and print)."""
    return resources.files("sectracker.report").joinpath("templates", STYLESHEET).read_text(encoding="utf-8")


def render_html(edition: Edition) -> str:
    """The edition as an HTML document."""
    return _template().render(e=edition, css=stylesheet().strip())
