"""Evidence highlighting from character offsets: text is split into pieces, never marked up.

Templates escape each piece and wrap marked pieces in <mark>; no HTML from a
document ever reaches a page as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence

from sectracker.web.schemas import Piece

MAX_CHARS = 300_000


def split_pieces(text: str, spans: Sequence[tuple[int, int, str]]) -> list[Piece]:
    """Pieces of `text`: plain runs and marked runs with the ids of the events they support.

    Spans are (start, end, event_id) code-point offsets, end exclusive; they may
    overlap, and out-of-range offsets are clipped.
    """
    n = len(text)
    clipped = [(max(0, min(s, n)), max(0, min(e, n)), i) for s, e, i in spans]
    clipped = [(s, e, i) for s, e, i in clipped if e > s]
    cuts = sorted({0, n, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        ids = sorted({i for s, e, i in clipped if s <= a and b <= e})
        if pieces and pieces[-1].event_ids == ids:
            pieces[-1].text += text[a:b]
            continue
        pieces.append(Piece(text=text[a:b], mark=bool(ids), event_ids=ids))
    return pieces


def window(text: str, spans: Sequence[tuple[int, int, str]], limit: int = MAX_CHARS) -> tuple[str, int]:
    """A window of a long text around its spans: (text, offset of the window's start)."""
    if len(text) <= limit:
        return text, 0
    first = min((s for s, _, _ in spans), default=0)
    start = max(0, min(first - limit // 10, len(text) - limit))
    return text[start : start + limit], start
