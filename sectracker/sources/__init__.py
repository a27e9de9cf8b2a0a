"""Collecting documents: one module per kind of input, and `collect` that picks among them.

files.py    .txt / .md files (UTF-8, replacement with a warning)
html.py     HTML pages: main text and metadata via trafilatura
pdf.py      PDF files: the text layer via pypdf
corpora.py  JSON Lines corpora: one document per line, streamed
feeds.py    RSS/Atom feeds: one document per entry
http.py     safe URL fetching (schemes, addresses, redirects, size, time)
collect.py  inputs (paths, directories, URLs, feeds) -> Collected records
"""

from sectracker.sources.records import Collected

__all__ = ["Collected"]
