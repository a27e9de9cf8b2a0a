"""Building and rendering tracker editions (HTML, PDF, Markdown)."""
