"""Phrase matching for the gazetteer stages: Aho-Corasick over the text, on word boundaries.

Every gazetteer stage (countries, actors, places) and the classifier's cue lists look up
thousands of phrases in long texts. `PhraseMatcher` scans a text once with pyahocorasick
and keeps, among the matches that sit on word boundaries, the longest non-overlapping ones,
so "Papua New Guinea" wins over "Guinea" and a blocker phrase ("Indian Ocean") can hide
the shorter form inside it.

Case: a phrase written with a capital or a digit (a name, "US", "PLA") matches only with
exactly that case, so "US" never matches "us"; an all-lowercase phrase ("port call")
matches in any case. Typography is folded before matching without changing offsets:
no-break and other spaces and line breaks count as spaces, curly apostrophes and
quotes as straight ones, and dashes as hyphens.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import ahocorasick

from sectracker.pipeline.records import Mention, Unit

T = TypeVar("T")

_FOLD = str.maketrans(
    {
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u3000": " ",
        "\n": " ",
        "\r": " ",
        "\t": " ",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)


_FOLDED = re.compile("[" + "".join(re.escape(chr(c)) for c in _FOLD) + "]")


@lru_cache(maxsize=4)
def fold(text: str) -> str:
    """The text with typographic variants folded; always the same length as `text`."""
    return _FOLDED.sub(lambda m: _FOLD[ord(m.group())], text)  # type: ignore[return-value]


def lower_same_length(text: str) -> str:
    """Lowercase `text` without changing its length (a few characters lowercase to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def on_boundaries(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is not glued to letters or digits on either side."""
    if start > 0 and is_word_char(text[start - 1]) and is_word_char(text[start]):
        return False
    return not (end < len(text) and is_word_char(text[end]) and is_word_char(text[end - 1]))


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One phrase found in a text: its span (end exclusive), the phrase and its payload."""

    start: int
    end: int
    phrase: str
    value: T


class PhraseMatcher(Generic[T]):
    """Finds the longest non-overlapping phrases of a list in a text, on word boundaries."""

    def __init__(self, entries: Iterable[tuple[str, T]]):
        self._exact: ahocorasick.Automaton = ahocorasick.Automaton()
        self._folded: ahocorasick.Automaton = ahocorasick.Automaton()
        exact: dict[str, list[tuple[str, T]]] = {}
        folded: dict[str, list[tuple[str, T]]] = {}
        for phrase, value in entries:
            key = fold(phrase.strip())
            if not key:
                continue
            if key == key.lower():
                folded.setdefault(key, []).append((key, value))
            else:
                exact.setdefault(key, []).append((key, value))
        self._has_exact = bool(exact)
        self._has_folded = bool(folded)
        for key, values in exact.items():
            self._exact.add_word(key, values)
        for key, values in folded.items():
            self._folded.add_word(key, values)
        if self._has_exact:
            self._exact.make_automaton()
        if self._has_folded:
            self._folded.make_automaton()

    def find(self, text: str, *, folded_text: str | None = None) -> list[Hit[T]]:
        """Longest non-overlapping matches on word boundaries, in text order.

        A phrase listed with several payloads yields one Hit per payload at the same span.
        Pass `folded_text` (``fold(text)``) when matching several lists against one text.
        """
        ftext = folded_text if folded_text is not None else fold(text)
        raw: list[tuple[int, int, str, list[tuple[str, T]]]] = []
        if self._has_exact:
            for end_index, values in self._exact.iter(ftext):
                start = end_index - len(values[0][0]) + 1
                if on_boundaries(ftext, start, end_index + 1):
                    raw.append((start, end_index + 1, values[0][0], values))
        if self._has_folded:
            for end_index, values in self._folded.iter(lower_same_length(ftext)):
                start = end_index - len(values[0][0]) + 1
                if on_boundaries(ftext, start, end_index + 1):
                    raw.append((start, end_index + 1, values[0][0], values))
        return _longest_first(raw, text)


def hits_between(hits: Sequence[Hit[T]], starts: Sequence[int], start: int, end: int) -> list[Hit[T]]:
    """The hits (sorted by start, with `starts` their start offsets) that lie inside [start, end)."""
    i = bisect.bisect_left(starts, start)
    out: list[Hit[T]] = []
    while i < len(hits) and hits[i].start < end:
        if hits[i].end <= end:
            out.append(hits[i])
        i += 1
    return out


def _longest_first(raw: list[tuple[int, int, str, list[tuple[str, T]]]], text: str) -> list[Hit[T]]:
    """Greedy choice of the longest matches that do not overlap, returned in text order."""
    raw.sort(key=lambda r: (-(r[1] - r[0]), r[0]))
    taken = bytearray(len(text) + 1)
    chosen: list[Hit[T]] = []
    for start, end, _phrase, values in raw:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.extend(Hit(start, end, text[start:end], v) for _p, v in values)
    chosen.sort(key=lambda h: (h.start, h.end))
    return chosen


M = TypeVar("M", bound=Mention)


def distribute_to_units(units: list[Unit], mentions: Sequence[M], field: str) -> list[Unit]:
    """Copies of `units` with `field` set to the mentions that fall inside each unit's segment."""
    starts = [u.segment.start for u in units]
    buckets: list[list[M]] = [[] for _ in units]
    for m in mentions:
        i = bisect.bisect_right(starts, m.start) - 1
        if i >= 0 and m.end <= units[i].segment.end:
            buckets[i].append(m)
    return [
        u.model_copy(update={field: bucket}) if bucket or getattr(u, field) else u
        for u, bucket in zip(units, buckets, strict=True)
    ]
