"""The reference docs are generated from the code and kept in step with it."""

from pathlib import Path

from sectracker.cli import app
from sectracker.cli.reference import cli_reference, settings_reference
from sectracker.codebook import load_codebook
from sectracker.settings import describe_settings

DOCS = Path(__file__).resolve().parent.parent / "docs"
STALE = "docs/{} is stale: run `make docs`"


def test_cli_reference_is_current() -> None:
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == cli_reference(app), STALE.format("cli.md")


def test_settings_reference_is_current() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    assert text == settings_reference(), STALE.format("settings.md")
    for var, *_ in describe_settings():
        assert f"`{var}`" in text


def test_every_command_and_category_is_documented() -> None:
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    for name in ("init", "import", "export", "list", "search", "show", "edit", "delete", "restore", "report"):
        assert f"## `sectracker {name}`" in cli
    codebook = (DOCS / "codebook.md").read_text(encoding="utf-8")
    for key in load_codebook().keys:
        assert f"`{key}`" in codebook
