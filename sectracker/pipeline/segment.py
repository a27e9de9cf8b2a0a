"""Stage *segment*: cut a document's text into units (headings, paragraphs, list items) and sentences.

Reads: ``doc.document.text``.
Adds: ``doc.units`` — one Unit per heading, paragraph or list item, in text order, each holding a
Segment whose ``start``/``end`` are Unicode code-point offsets into the original text
(``text[start:end] == segment.text``), whose ``sentences`` are absolute ``(start, end)`` spans of the
sentences inside it, whose ``lead_end`` marks the end of an item's headline sentence ("Headline. Body...")
and whose ``section`` is the text of the nearest preceding heading.

Layout rules, in the language of plain-text exports of reports, press releases and transcripts:

* a line starting with a bullet ("•", "-", "*", "1.", "a)", ...) opens a list item; deeper indentation
  nests; an indented paragraph after a blank line continues the item above it;
* a short line without final punctuation is a heading (as is a Markdown ``#`` line); a heading glued to
  the end of a paragraph by a lost line break ("...region.Cyber and Space") is split off;
* hard-wrapped text (most lines ending near one width) joins its lines into paragraphs; otherwise each
  line is a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sectracker.pipeline.records import AnalysedDocument, Segment, Unit

STAGE = "segment"
STAGE_VERSION = "1"


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_BULLET = re.compile(
    r"[ \t\u00a0\u3000]*"
    r"(?:[•◦▪▫●○■□‣⁃∙·\-–*+]|\(?\d{1,3}[.)]|\(?[a-z]\)|\([a-z]\)|\(?[ivx]{1,4}\))"
    r"[ \t\u00a0]+(?=\S)"
)
_MD_HEADING = re.compile(r"[ ]{0,3}#{1,6}[ \t]+(?=\S)")
_LEADING_WS = re.compile(r"[ \t\u00a0\u3000\ufeff]*")
_TRAILING_WS = re.compile(r"[\s\u00a0\u200b\ufeff]*$")
_HEADING_END_PUNCT = frozenset(".!?,;:")
_CLOSING = frozenset("\"'”’)]»")
_BOLD_LEAD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")

# A title-like tail glued to the previous sentence by a lost line break: "...the region.Cyber and Space".
_GLUED_HEADING = re.compile(r"(?<=[a-z)][.!?])([A-Z][\w’'\-]*(?:[ \u00a0]+[\w’'\-/&]+){0,7})[ \t\u00a0]*$")
_TITLE_SMALL_WORDS = _wordset("a an and as at by for from in of on or the to with & -")

# Sentence boundary candidates: terminal punctuation, optional closing quotes, whitespace, then a capital,
# digit or opening quote. A blank line inside a unit (an item's follow-on paragraph) is also a boundary.
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’)\]]*)(?=\s+[\"'“‘(\[]*[A-Z0-9])|\n[ \t\u00a0]*\n")
_WORD_BEFORE = re.compile(r"(\S+)$")
_WORD_AFTER = re.compile(r"\s+[\"'“‘(\[]*([\w’']+)")

_TITLES = _wordset(
    "mr mrs ms dr prof gen lt col maj capt cmdr cdr adm sgt cpl pvt rep sen gov pres amb hon rev st mt ft messrs "
    "mme brig gens fr sr jr"
)
_NUMBER_ABBREVIATIONS = _wordset("no nos vol art fig figs p pp para paras sec ch op ref tel nr")
_MONTH_ABBREVIATIONS = _wordset("jan feb mar apr jun jul aug sep sept oct nov dec")
_ALWAYS_JOIN = frozenset(["e.g", "i.e", "cf", "vs", "viz", "approx", "ca", "incl", "esp"])
_SENTENCE_STARTERS = _wordset(
    "The This That These Those It Its He His She Her They Their We Our I In On At As After Before But "
    "However Meanwhile Both A An There Since While When Although Yet Still And Also Such Some Most Many "
)
_MAX_HEADING_WORDS = 14
_MAX_HEADING_CHARS = 120
_LEAD_MAX_WORDS = 16
_LEAD_MAX_WORDS_NO_COMMA = 22


@dataclass
class _Line:
    start: int  # offset of the line's first character
    body: int  # offset of the content (after indentation and any bullet marker)
    end: int  # offset after the last non-space character
    indent: int  # width of the leading whitespace
    bullet: bool
    md_heading: bool


@dataclass
class _Block:
    kind: str  # "paragraph", "item" or "heading"
    start: int
    end: int
    indent: int
    lines: list[_Line] = field(default_factory=list)


def segment_text(text: str) -> list[Segment]:
    """Cut text into heading, paragraph and item segments with their sentence spans, in text order."""
    lines = _read_lines(text)
    blocks = _group_lines(lines, _is_hard_wrapped(lines))
    segments: list[Segment] = []
    section: str | None = None
    for block in _split_glued_headings(text, blocks):
        segment = _make_segment(text, block, section)
        if segment.kind == "heading":
            section = segment.text
        segments.append(segment)
    return segments


def add_segments(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill ``doc.units`` with one Unit per segment of the document's text."""
    units = [Unit(segment=s) for s in segment_text(doc.document.text)]
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets, trailing whitespace excluded) of ``text[start:end]``."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(1) is not None and not _is_sentence_end(text, m):
            continue
        stop = m.end() if m.group(1) is not None else m.start()
        _append_span(text, spans, cursor, stop)
        cursor = m.end()
    _append_span(text, spans, cursor, end)
    return spans


# -- lines and blocks ------------------------------------------------------------------------------------


def _read_lines(text: str) -> list[_Line | None]:
    """One entry per line: None for a blank line, else its offsets, indentation and bullet marker."""
    out: list[_Line | None] = []
    pos = 0
    for raw in text.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        stripped = raw.rstrip()
        if not stripped.strip():
            out.append(None)
            continue
        lead = _LEADING_WS.match(raw)
        ws = lead.end() if lead else 0
        indent = len(raw[:ws].expandtabs(4))
        bullet = _BULLET.match(raw)
        heading = None if bullet else _MD_HEADING.match(raw)
        body = bullet.end() if bullet else heading.end() if heading else ws
        end = line_start + len(stripped.rstrip("\u00a0\u200b\ufeff \t\r"))
        out.append(_Line(line_start, line_start + body, end, indent, bullet is not None, heading is not None))
    return out


def _is_hard_wrapped(lines: list[_Line | None]) -> bool:
    """Whether most lines end near one width, as in text wrapped at a fixed column."""
    widths = sorted(ln.end - ln.start for ln in lines if ln is not None)
    if len(widths) < 4:
        return False
    width = widths[int(len(widths) * 0.9) - 1]
    if width > 110 or width < 30:
        return False
    near = sum(1 for w in widths if w >= 0.75 * width)
    return near >= 0.5 * len(widths)


def _group_lines(lines: list[_Line | None], wrapped: bool) -> list[_Block]:
    """Group lines into blocks: items (with continuation lines and follow-on paragraphs) and paragraphs."""
    blocks: list[_Block] = []
    current: _Block | None = None
    after_blank = False
    wrap_width = _wrap_width(lines) if wrapped else 0
    for line in lines:
        if line is None:
            after_blank = True
            if current is not None and current.kind != "item":
                current = None
            continue
        if line.bullet or line.md_heading:
            current = _Block("heading" if line.md_heading else "item", line.body, line.end, line.indent, [line])
            blocks.append(current)
        elif current is not None and _continues(current, line, after_blank, wrapped, wrap_width):
            current.end = line.end
            current.lines.append(line)
        else:
            current = _Block("paragraph", line.body, line.end, line.indent, [line])
            blocks.append(current)
        after_blank = False
    return blocks


def _wrap_width(lines: list[_Line | None]) -> int:
    widths = sorted(ln.end - ln.start for ln in lines if ln is not None)
    return widths[int(len(widths) * 0.9) - 1] if widths else 0


def _continues(block: _Block, line: _Line, after_blank: bool, wrapped: bool, wrap_width: int) -> bool:
    """Whether a non-bullet line belongs to the open block rather than starting a paragraph."""
    if block.kind == "heading":
        return False
    if block.kind == "item":
        if line.indent > block.indent and (after_blank or not wrapped):
            return True  # an indented follow-on paragraph or a hanging-indent continuation
        if after_blank:
            return False
    elif after_blank:
        return False
    last = block.lines[-1]
    return wrapped and (last.end - last.start) >= 0.6 * wrap_width


def _split_glued_headings(text: str, blocks: list[_Block]) -> list[_Block]:
    """Split a title glued to the end of a block by a lost line break into its own heading block."""
    out: list[_Block] = []
    for block in blocks:
        last = block.lines[-1]
        m = _GLUED_HEADING.search(text, last.body, last.end)
        if m and m.start(1) > block.start and _is_title(m.group(1)):
            head_end = m.start(1) + len(m.group(1).rstrip())
            out.append(_Block(block.kind, block.start, m.start(1), block.indent, block.lines))
            out.append(_Block("heading", m.start(1), head_end, block.indent, [last]))
        else:
            out.append(block)
    return out


def _is_title(candidate: str) -> bool:
    words = candidate.split()
    capitals = sum(1 for w in words if w[:1].isupper())
    return (
        len(words) >= 2 and all(w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words) and (capitals >= 2)
    )


# -- segments --------------------------------------------------------------------------------------------


def _make_segment(text: str, block: _Block, section: str | None) -> Segment:
    body = text[block.start : block.end]
    kind = block.kind
    sentences = split_sentences(text, block.start, block.end)
    if kind == "paragraph" and len(block.lines) == 1 and len(sentences) == 1 and _looks_like_heading(body):
        kind = "heading"
    lead_end = _lead_end(text, block, sentences) if kind in ("item", "paragraph") else None
    return Segment(
        kind=kind,  # type: ignore[arg-type]
        start=block.start,
        end=block.end,
        text=body,
        lead_end=lead_end,
        sentences=sentences,
        section=section,
    )


def _looks_like_heading(line: str) -> bool:
    """A short line starting with a capital or digit and ending without sentence punctuation."""
    if len(line) > _MAX_HEADING_CHARS or len(line.split()) > _MAX_HEADING_WORDS:
        return False
    first = next((c for c in line if c.isalnum()), "")
    if not first or not (first.isupper() or first.isdigit()):
        return False
    last = line.rstrip("".join(_CLOSING))[-1:] if line[-1] in _CLOSING else line[-1]
    return last not in _HEADING_END_PUNCT


def _lead_end(text: str, block: _Block, sentences: list[tuple[int, int]]) -> int | None:
    """End offset of a headline-style first sentence: bold markup, or (in items) a short first sentence."""
    bold = _BOLD_LEAD.match(text, block.start, block.end)
    if bold:
        return bold.end()
    if block.kind != "item" or len(sentences) < 2:
        return None
    first = text[sentences[0][0] : sentences[0][1]]
    words = len(first.split())
    if words <= _LEAD_MAX_WORDS or (words <= _LEAD_MAX_WORDS_NO_COMMA and "," not in first):
        return sentences[0][1]
    return None


def _append_span(text: str, spans: list[tuple[int, int]], start: int, stop: int) -> None:
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    if stop > start:
        spans.append((start, stop))


def _is_sentence_end(text: str, m: re.Match[str]) -> bool:
    """Whether a terminal-punctuation match ends a sentence, or is an abbreviation, initial or number label."""
    if m.group(1) != "." or m.group(2):
        return True
    before = _WORD_BEFORE.search(text, max(0, m.start() - 30), m.start())
    if before is None:
        return True
    token = before.group(1).lstrip("(\"'“‘[")
    key = token.lower()
    after = _WORD_AFTER.match(text, m.end())
    next_word = after.group(1) if after else ""
    if key in _TITLES or key in _ALWAYS_JOIN or (len(token) == 1 and token.isupper()):
        return False
    if key in _NUMBER_ABBREVIATIONS or key in _MONTH_ABBREVIATIONS:
        return not next_word[:1].isdigit()
    if key in ("co", "corp") and next_word.lower().startswith(("ltd", "limited", "inc")):
        return False
    if "." in token and all(len(part) <= 2 and part.isalpha() for part in token.split(".")):
        return next_word in _SENTENCE_STARTERS  # "U.S. Navy" continues; "...the U.S. The ministry" ends
    return True
