"""The codebook: the tracker's taxonomy, kept as versioned data and validated on load."""

from sectracker.codebook.loader import (
    Category,
    Codebook,
    Section,
    load_codebook,
    parse_codebook,
    render_markdown,
)

__all__ = ["Category", "Codebook", "Section", "load_codebook", "parse_codebook", "render_markdown"]
