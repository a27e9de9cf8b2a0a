"""Stage *dates*: find date expressions and resolve them to ranges with a precision.

Reads: ``doc.units`` (segments) and ``doc.published`` (the reference date for relative and year-less dates).
Adds: ``unit.dates`` — one DateMention per expression, with its exact span (document offsets), the first
and last day it may denote, and its precision (day, month, quarter, half-year, year, or unknown when it
cannot be resolved, e.g. a year-less date and no reference).

Resolution rules, as security reporting uses dates:

* a date without a year takes the reference year, or the previous year when that would put it more than
  ``FUTURE_TOLERANCE`` after the reference ("on December 5" in a July report means last December);
* "early/mid/late March" are days 1-10, 11-20 and 21-end, "end of June" its last ten days, all with
  month precision; "between January and June" is a range, with half-year or quarter precision when it
  covers exactly one; "since 2017" opens a range with no end (``date_end`` None);
* "the following day", "two days later" count from the last day-precise date found earlier in the same
  text (``find_dates`` is called once per unit, so the anchor never leaks across units);
* weekdays count back from the reference ("on Tuesday" is the latest Tuesday on or before it);
* impossible dates ("February 30") are skipped.

The grammar is compiled regular expressions; dateparser is not used: every form listed here is covered by
the grammar, and dateparser's search is orders of magnitude slower.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sectracker.models import Precision
from sectracker.pipeline.records import AnalysedDocument, DateMention
from sectracker.pipeline.wordtrie import word_trie

STAGE = "dates"
STAGE_VERSION = "1"


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _words(words: str) -> list[str]:
    return words.split()


FUTURE_TOLERANCE = timedelta(days=45)
# A reference date is moved by days, weeks and years ("last week", "a year ago"): one at the edge of
# the calendar (a corpus dated 0001-01-01 or 9999-12-31) would overflow, so such a date is not used.
EARLIEST_REFERENCE = date(2, 1, 1)
LATEST_REFERENCE = date(9998, 12, 31)

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sept", "Sep"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_ANY_MONTH = "(?:" + _FULL_MONTH + r"(?![A-Za-z])|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?![A-Za-z])\.?)"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = "(?:" + "|".join(_WEEKDAYS) + ")"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w])"
_YEAR_DIGITS = r"(?:1[89]\d\d|20\d\d)"
_YEAR = _YEAR_DIGITS + r"(?![\w])"
_RANGE_SEP = r"(?:\s*[-–—]\s*|\s+(?:to|until|till|through|and)\s+)"
_MOD = r"(?i:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle)\s+of)"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT = r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"

_GRAMMAR = re.compile(
    r"\b(?:"
    rf"(?P<iso>(?P<iso_y>{_YEAR_DIGITS})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?!\d))"
    rf"|(?P<mdy>(?:{_WEEKDAY},?\s+)?(?P<mdy_m>{_ANY_MONTH})\s+(?P<mdy_d>{_DAY})"
    rf"(?:(?P<mdy_sep>{_RANGE_SEP})(?:(?P<mdy_m2>{_ANY_MONTH})\s+)?(?P<mdy_d2>{_DAY}))?"
    rf"(?:,?\s+(?P<mdy_y>{_YEAR}))?)"
    rf"|(?P<dmy>(?:{_WEEKDAY},?\s+)?(?P<dmy_d>{_DAY})(?:(?P<dmy_sep>{_RANGE_SEP})(?P<dmy_d2>{_DAY}))?"
    rf"(?:\s+of)?\s+(?P<dmy_m>{_ANY_MONTH})(?:,?\s+(?P<dmy_y>{_YEAR}))?)"
    rf"|(?P<modm>(?P<modm_mod>{_MOD})(?:-|\s+)(?P<modm_m>{_FULL_MONTH})(?:,?\s+(?P<modm_y>{_YEAR}))?(?![\w]))"
    rf"|(?P<mody>(?P<mody_mod>{_MOD})(?:-|\s+)(?:(?P<mody_y>{_YEAR})|(?P<mody_rel>(?i:this|last|next|the))\s+year))"
    rf"|(?P<half>(?:(?i:the)\s+)?(?P<half_n>(?i:first|second|1st|2nd))\s+half"
    rf"(?:\s+of\s+(?:(?P<half_y>{_YEAR})|(?P<half_rel>(?i:this|last|next|the))\s+year))?"
    rf"|(?P<half_h>H[12])\s*(?P<half_y2>{_YEAR}))"
    rf"|(?P<qtr>(?:(?i:the)\s+)?(?P<qtr_n>(?i:first|second|third|fourth|final|1st|2nd|3rd|4th))\s+quarter"
    rf"(?:\s+of\s+(?:(?P<qtr_y>{_YEAR})|(?P<qtr_rel>(?i:this|last|next|the))\s+year))?"
    rf"|(?P<qtr_q>Q[1-4])(?:\s*(?P<qtr_y2>{_YEAR})|(?![\w])))"
    rf"|(?P<season>(?:(?P<season_det>(?i:this|last|next|the))\s+)?(?P<season_s>(?i:spring|summer|autumn|fall|winter))"
    rf"(?:\s+(?:of\s+)?(?P<season_y>{_YEAR}))?(?![\w]))"
    rf"|(?P<decade>(?:(?i:the)\s+)?(?P<dec_y>(?:1[89]|20)\d0)[’']?s(?![\w]))"
    rf"|(?P<relday>(?i:the\s+(?P<rd_a>following|next|previous|preceding|same)\s+day|the\s+day\s+(?P<rd_b>after|before)"
    rf"|(?P<rd_n>{_COUNT})\s+(?P<rd_u>days?|weeks?)\s+(?P<rd_c>later|earlier))(?![\w]))"
    rf"|(?P<ago>(?i:(?P<ago_n>{_COUNT})\s+(?P<ago_u>years?|months?|weeks?|days?)\s+ago)(?![\w]))"
    r"|(?P<rel>(?i:(?P<rel_mod>this|last|next|earlier\s+this|later\s+this|the\s+previous|the\s+past)"
    r"\s+(?P<rel_u>year|month|week)|(?P<rel_word>yesterday|today|tomorrow))(?![\w]))"
    rf"|(?P<mrel>(?P<mrel_pre>(?i:last|this|next))\s+(?P<mrel_m>{_FULL_MONTH})(?![\w])"
    rf"|(?P<mrel_m2>{_FULL_MONTH})\s+(?P<mrel_post>(?i:this|last|next))\s+year)"
    rf"|(?P<wd>(?:(?P<wd_mod>(?i:last|next|this\s+past|this\s+coming|this|coming|past))\s+)?(?P<wd_d>{_WEEKDAY}))"
    rf"|(?P<yr>(?P<yr_a>{_YEAR_DIGITS})\s*[-–—/]\s*(?P<yr_b>{_YEAR_DIGITS}|\d\d)(?![\w\-]))"
    rf"|(?P<mr>(?P<mr_a>{_FULL_MONTH})\s*[-–—]\s*(?P<mr_b>{_FULL_MONTH})(?:,?\s+(?P<mr_y>{_YEAR}))?(?![\w]))"
    rf"|(?P<my>(?P<my_m>{_ANY_MONTH}),?\s+(?:of\s+)?(?P<my_y>{_YEAR}))"
    rf"|(?P<bm>{_FULL_MONTH})(?![\w])"
    rf"|(?P<py>(?P<py_prep>(?i:in|since|by|until|till|from|during|throughout|before|after|of|through|between|and|"
    rf"to|for|around|circa|year|fiscal)|FY)\s+(?:(?i:the\s+year)\s+)?(?P<py_y>{_YEAR})(?!\s*[-–—/]\s*\d))"
    r")"
)


# Every grammar form contains one of these; the grammar is only tried at the few word starts before one,
# which keeps the stage fast on text with few dates.


_TRIGGER_WORDS = [
    *_FULL_MONTH[3:-1].split("|"),
    *_words("Jan Feb Mar Apr Jun Jul Aug Sept Sep Oct Nov Dec ago half quarter Q1 Q2 Q3 Q4 H1 H2"),
    *_WEEKDAYS,
    *(
        form
        for w in _words("year years month months week weeks day days today yesterday tomorrow")
        + _words("spring summer autumn fall winter")
        for form in (w, w.capitalize())
    ),
]
_TRIGGER = re.compile(r"\d+|\b" + word_trie(_TRIGGER_WORDS) + r"\b")
_WORD = re.compile(r"\b\w+")
# The words a grammar form can start with (besides month and weekday names, which are triggers themselves).
_START_WORDS = _wordset(
    "the early mid late end beginning start middle first second third fourth final 1st 2nd 3rd 4th this last next "
    "earlier later past coming a an one two three four five six seven eight nine ten eleven twelve in since by until "
    "till from during throughout before after of through between and to for around circa year fiscal fy h1 h2 q1 q2 "
    "q3 q4 spring summer autumn fall winter yesterday today tomorrow"
)
_MAX_PREFIX = 36  # the longest lead before a trigger: "the beginning of ", "the second half of "

# Words that may stand before a bare month name ("in April", "the June meeting") and a bare year.
_MONTH_CONTEXT = re.compile(
    r"(?i:\b(?:in|on|since|until|till|by|from|to|through|throughout|during|between|and|or|of|the|that|before|"
    r"after|around|for|than|as\s+of|each|every)\s+)$"
)
_SEASON_CONTEXT = re.compile(r"(?i:\b(?:in|during|over|through|throughout|by|until|since|before|after)\s+)$")
_BETWEEN_BEFORE = re.compile(r"(?i:\bbetween\s+)$")
_FROM_BEFORE = re.compile(r"(?i:\bfrom\s+)$")
_SINCE_BEFORE = re.compile(r"(?i:\bsince\s+)$")
_LONG_BEFORE = re.compile(r"\bLong\s+$")  # the Long March rocket family, not the month
_RANGE_GAP = re.compile(r"\s*[-–—]\s*|\s+(?:to|until|till|through|thru|and)\s+")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")
_NOT_COUNT_NOUNS = _wordset("was has is as this its his us thus plus")
_LOOKBEHIND = 24


@dataclass(frozen=True)
class _Resolved:
    start: date | None
    end: date | None
    precision: Precision


@dataclass(frozen=True)
class _Atom:
    """One date expression before resolution: its span and how to resolve it."""

    start: int
    end: int
    year: int | None  # explicit year, if written
    build: Callable[[int], tuple[date, date] | None] | None  # year -> first and last day (year-dependent forms)
    precision: Precision
    relative: Callable[[date | None, date | None], _Resolved | None] | None = None  # (reference, anchor) forms
    months: tuple[int, int] | None = None  # first and last month, for range year propagation
    open_end: bool = False
    is_range: bool = False  # a range written as one expression ("February 9-10", "March-June")


def find_dates(text: str, reference: date | None, base_offset: int = 0) -> list[DateMention]:
    """Date mentions in text, resolved against ``reference``; offsets are shifted by ``base_offset``."""
    atoms = _merge_ranges(text, [a for m in _grammar_matches(text) for a in _atoms(text, m)])
    mentions: list[DateMention] = []
    anchor: date | None = None
    for atom in atoms:
        resolved = _resolve(atom, reference, anchor)
        if resolved is None:
            continue  # an impossible date such as February 30
        if resolved.precision == Precision.day and resolved.end is not None:
            anchor = resolved.end
        mentions.append(
            DateMention(
                start=base_offset + atom.start,
                end=base_offset + atom.end,
                text=text[atom.start : atom.end],
                stage=STAGE,
                stage_version=STAGE_VERSION,
                date_start=resolved.start,
                date_end=None if atom.open_end else resolved.end,
                precision=resolved.precision,
            )
        )
    return mentions


def add_dates(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill each unit's ``dates`` with the date mentions of its segment."""
    units = [
        unit.model_copy(update={"dates": find_dates(unit.segment.text, doc.published, unit.segment.start)})
        for unit in doc.units
    ]
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})


def _grammar_matches(text: str) -> list[re.Match[str]]:
    """Non-overlapping grammar matches, leftmost first, each containing a trigger word or number.

    The grammar is tried only at the trigger and at the start words ("the", "early", "in", a number...) up to
    ``_MAX_PREFIX`` characters before it; each start is tried once however many triggers follow it.
    """
    out: list[re.Match[str]] = []
    done = 0
    scanned = 0  # start words before this offset are already in `window`
    window: list[int] = []
    tried: dict[int, re.Match[str] | None] = {}
    for trigger in _TRIGGER.finditer(text):
        at = trigger.start()
        if at < done:
            continue
        low = max(done, at - _MAX_PREFIX)
        window = [p for p in window if p >= low]
        for w in _WORD.finditer(text, max(low, scanned), at):
            if w.group(0).lower() in _START_WORDS or w.group(0)[0].isdigit():
                window.append(w.start())
        scanned = at
        for start in [*window, at]:
            if start not in tried:
                tried[start] = _GRAMMAR.match(text, start)
            m = tried[start]
            if m is not None and m.end() > at:
                out.append(m)
                done = m.end()
                break
        if len(tried) > 256:
            tried = {p: m for p, m in tried.items() if p >= low}
    return out


# -- resolution ------------------------------------------------------------------------------------------


def _resolve(atom: _Atom, reference: date | None, anchor: date | None) -> _Resolved | None:
    if atom.relative is not None:
        resolved = atom.relative(reference, anchor)
        return resolved if resolved is not None else _Resolved(None, None, Precision.unknown)
    assert atom.build is not None
    if atom.year is not None:
        span = atom.build(atom.year)
        return None if span is None else _Resolved(span[0], span[1], atom.precision)
    if reference is None:
        return _Resolved(None, None, Precision.unknown) if _possible(atom.build) else None
    span = _infer_year(atom.build, reference)
    return None if span is None else _Resolved(span[0], span[1], atom.precision)


def _infer_year(build: Callable[[int], tuple[date, date] | None], reference: date) -> tuple[date, date] | None:
    """The span in the reference year, or the year before when that would lie far after the reference."""
    span = build(reference.year)
    if span is not None and span[0] <= reference + FUTURE_TOLERANCE:
        return span
    earlier = build(reference.year - 1)
    return earlier if earlier is not None else span


def _possible(build: Callable[[int], tuple[date, date] | None]) -> bool:
    """Whether a year-less date exists in some year (February 29 does, February 30 does not)."""
    return build(2000) is not None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_window(month: int, mod: str | None) -> Callable[[int], tuple[date, date] | None]:
    """Build the days of a month or of its early (1-10), mid (11-20) or late/end (21-last) part."""
    key = _mod_key(mod)

    def build(year: int) -> tuple[date, date] | None:
        last = _last_day(year, month)
        first_day, last_day = {"early": (1, 10), "mid": (11, 20), "late": (21, last)}.get(key, (1, last))
        return date(year, month, first_day), date(year, month, last_day)

    return build


def _year_window(mod: str | None) -> tuple[Callable[[int], tuple[date, date] | None], Precision]:
    """Early (Jan-Apr), mid (May-Aug), late (Sep-Dec) thirds of a year; its beginning or end month."""
    key = _mod_key(mod)
    text = (mod or "").lower()
    if "beginning" in text or "start" in text:
        return (lambda y: (date(y, 1, 1), date(y, 1, 31))), Precision.month
    if "end" in text:
        return (lambda y: (date(y, 12, 1), date(y, 12, 31))), Precision.month
    months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[key]
    return (lambda y: (date(y, months[0], 1), date(y, months[1], _last_day(y, months[1])))), Precision.quarter


def _mod_key(mod: str | None) -> str:
    text = (mod or "").lower()
    if text.startswith("early") or "beginning" in text or "start" in text:
        return "early"
    if text.startswith("mid") or "middle" in text:
        return "mid"
    if text.startswith("late") or "end" in text:
        return "late"
    return ""


def _months_span(first: int, last: int) -> Callable[[int], tuple[date, date] | None]:
    return lambda y: (date(y, first, 1), date(y, last, _last_day(y, last)))


def _day_span(
    month: int, day: int, month2: int | None = None, day2: int | None = None
) -> Callable[[int], tuple[date, date] | None]:
    def build(year: int) -> tuple[date, date] | None:
        first = _safe_date(year, month, day)
        last = first if day2 is None else _safe_date(year, month2 or month, day2)
        if first is None or last is None:
            return None
        if last < first:  # "December 30 to January 2"
            last = _safe_date(year + 1, month2 or month, day2 or day)
        return None if last is None else (first, last)

    return build


def _relative_year(word: str | None, reference: date | None) -> int | None:
    if reference is None:
        return None
    w = (word or "this").lower()
    return reference.year + {"last": -1, "next": 1}.get(w, 0)


# -- atoms from grammar matches --------------------------------------------------------------------------


def _atoms(text: str, m: re.Match[str]) -> list[_Atom]:
    kind = m.lastgroup or ""
    return _BUILDERS[kind](text, m)


def _int(m: re.Match[str], group: str) -> int | None:
    value = m.group(group)
    return int(value) if value else None


def _day_number(value: str) -> int:
    return int(value.rstrip("stndrh"))


def _month_number(value: str) -> int:
    return _MONTHS[value.rstrip(".")]


def _iso(text: str, m: re.Match[str]) -> list[_Atom]:
    y, mo, d = int(m["iso_y"]), int(m["iso_m"]), int(m["iso_d"])
    return [_Atom(m.start(), m.end(), y, _day_span(mo, d), Precision.day, months=(mo, mo))]


def _mdy(text: str, m: re.Match[str]) -> list[_Atom]:
    if _LONG_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return []
    month = _month_number(m["mdy_m"])
    day = _day_number(m["mdy_d"])
    if m["mdy_d2"] is None:
        return [
            _Atom(m.start(), m.end(), _int(m, "mdy_y"), _day_span(month, day), Precision.day, months=(month, month))
        ]
    month2 = _month_number(m["mdy_m2"]) if m["mdy_m2"] else month
    day2 = _day_number(m["mdy_d2"])
    if m["mdy_sep"].strip() == "and" and not _BETWEEN_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        first = _Atom(m.start(), m.end("mdy_d"), _int(m, "mdy_y"), _day_span(month, day), Precision.day)
        second_start = m.start("mdy_m2") if m["mdy_m2"] else m.start("mdy_d2")
        second = _Atom(second_start, m.end(), _int(m, "mdy_y"), _day_span(month2, day2), Precision.day)
        return [first, second]
    build = _day_span(month, day, month2, day2)
    return [_Atom(m.start(), m.end(), _int(m, "mdy_y"), build, Precision.day, months=(month, month2), is_range=True)]


def _dmy(text: str, m: re.Match[str]) -> list[_Atom]:
    month = _month_number(m["dmy_m"])
    day = _day_number(m["dmy_d"])
    year = _int(m, "dmy_y")
    if m["dmy_d2"] is None:
        return [_Atom(m.start(), m.end(), year, _day_span(month, day), Precision.day, months=(month, month))]
    day2 = _day_number(m["dmy_d2"])
    if m["dmy_sep"].strip() == "and" and not _BETWEEN_BEFORE.search(text, max(0, m.start() - 12), m.start()):
        first = _Atom(m.start(), m.end("dmy_d"), year, _day_span(month, day), Precision.day)
        second = _Atom(m.start("dmy_d2"), m.end(), year, _day_span(month, day2), Precision.day)
        return [first, second]
    build = _day_span(month, day, month, day2)
    return [_Atom(m.start(), m.end(), year, build, Precision.day, months=(month, month), is_range=True)]


def _modm(text: str, m: re.Match[str]) -> list[_Atom]:
    month = _month_number(m["modm_m"])
    build = _month_window(month, m["modm_mod"])
    return [_Atom(m.start(), m.end(), _int(m, "modm_y"), build, Precision.month, months=(month, month))]


def _mody(text: str, m: re.Match[str]) -> list[_Atom]:
    build, precision = _year_window(m["mody_mod"])
    if m["mody_y"]:
        return [_Atom(m.start(), m.end(), int(m["mody_y"]), build, precision)]
    rel = m["mody_rel"]

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        year = _relative_year(rel if rel.lower() != "the" else "this", reference)
        span = None if year is None else build(year)
        return None if span is None else _Resolved(span[0], span[1], precision)

    return [_Atom(m.start(), m.end(), None, None, precision, relative=relative)]


def _year_part(
    text: str, m: re.Match[str], first: int, last: int, precision: Precision, year: int | None, rel: str | None
) -> list[_Atom]:
    """An atom for months first..last of an explicit, relative ("this year") or inferred year."""
    build = _months_span(first, last)
    if year is not None or rel is None:
        return [_Atom(m.start(), m.end(), year, build, precision, months=(first, last))]

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        y = _relative_year(rel if rel.lower() != "the" else "this", reference)
        span = None if y is None else build(y)
        return None if span is None else _Resolved(span[0], span[1], precision)

    return [_Atom(m.start(), m.end(), None, None, precision, relative=relative)]


def _half(text: str, m: re.Match[str]) -> list[_Atom]:
    if m["half_h"]:
        first = 1 if m["half_h"] == "H1" else 7
        return _year_part(text, m, first, first + 5, Precision.half, int(m["half_y2"]), None)
    if m["half_y"] is None and m["half_rel"] is None and text.startswith(" of", m.end()):
        return []  # "the first half of the match"
    first = 1 if m["half_n"].lower() in ("first", "1st") else 7
    return _year_part(text, m, first, first + 5, Precision.half, _int(m, "half_y"), m["half_rel"])


def _qtr(text: str, m: re.Match[str]) -> list[_Atom]:
    if m["qtr_q"]:
        q = int(m["qtr_q"][1])
        return _year_part(text, m, 3 * q - 2, 3 * q, Precision.quarter, _int(m, "qtr_y2"), None)
    if m["qtr_y"] is None and m["qtr_rel"] is None and text.startswith(" of", m.end()):
        return []  # "the first quarter of the century"
    n = m["qtr_n"].lower()
    q = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(n, 4)
    return _year_part(text, m, 3 * q - 2, 3 * q, Precision.quarter, _int(m, "qtr_y"), m["qtr_rel"])


_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}


def _season(text: str, m: re.Match[str]) -> list[_Atom]:
    name = m["season_s"].lower()
    det = (m["season_det"] or "").lower()
    year = _int(m, "season_y")
    following = _NEXT_WORD.match(text, m.end())
    if following and following.group(1)[:1].isupper() and year is None:
        return []  # "Spring Festival", "Winter Olympics"
    in_context = det == "the" and _SEASON_CONTEXT.search(text, max(0, m.start() - _LOOKBEHIND), m.start())
    if year is None and det not in ("this", "last", "next") and not in_context:
        return []  # "the fall of", a bare "spring"
    first, last = _SEASONS[name]

    def build(y: int) -> tuple[date, date] | None:
        end_year = y + 1 if last < first else y
        return date(y, first, 1), date(end_year, last, _last_day(end_year, last))

    if year is not None or det in ("the", ""):
        return [_Atom(m.start(), m.end(), year, build, Precision.quarter, months=(first, last))]

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        y = _relative_year(det, reference)
        span = None if y is None else build(y)
        return None if span is None else _Resolved(span[0], span[1], Precision.quarter)

    return [_Atom(m.start(), m.end(), None, None, Precision.quarter, relative=relative)]


def _decade(text: str, m: re.Match[str]) -> list[_Atom]:
    first = int(m["dec_y"])
    return [_Atom(m.start(), m.end(), first, lambda y: (date(y, 1, 1), date(y + 9, 12, 31)), Precision.year)]


def _relday(text: str, m: re.Match[str]) -> list[_Atom]:
    word = (m["rd_a"] or m["rd_b"] or "").lower()
    if word:
        shift = {"following": 1, "next": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(word, 0)
    else:
        n = _count(m["rd_n"]) * (7 if m["rd_u"].lower().startswith("week") else 1)
        shift = n if m["rd_c"].lower() == "later" else -n

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        if anchor is None:
            return None
        day = anchor + timedelta(days=shift)
        return _Resolved(day, day, Precision.day)

    return [_Atom(m.start(), m.end(), None, None, Precision.day, relative=relative)]


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def _ago(text: str, m: re.Match[str]) -> list[_Atom]:
    n = _count(m["ago_n"])
    unit = m["ago_u"].lower().rstrip("s")

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        if reference is None:
            return None
        if unit == "year":
            y = reference.year - n
            return _Resolved(date(y, 1, 1), date(y, 12, 31), Precision.year)
        if unit == "month":
            y, mo = divmod(reference.year * 12 + reference.month - 1 - n, 12)
            return _Resolved(date(y, mo + 1, 1), date(y, mo + 1, _last_day(y, mo + 1)), Precision.month)
        day = reference - timedelta(days=n * (7 if unit == "week" else 1))
        return _week(day) if unit == "week" else _Resolved(day, day, Precision.day)

    return [_Atom(m.start(), m.end(), None, None, Precision.unknown, relative=relative)]


def _week(day: date) -> _Resolved:
    monday = day - timedelta(days=day.weekday())
    return _Resolved(monday, monday + timedelta(days=6), Precision.day)


def _rel(text: str, m: re.Match[str]) -> list[_Atom]:
    word = (m["rel_word"] or "").lower()
    mod = " ".join((m["rel_mod"] or "").lower().split())
    unit = (m["rel_u"] or "").lower()

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        if reference is None:
            return None
        if word:
            day = reference + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(word, 0))
            return _Resolved(day, day, Precision.day)
        if mod == "the past":
            span = {"year": 365, "month": 30, "week": 7}[unit]
            prec = Precision.year if unit == "year" else Precision.month if unit == "month" else Precision.day
            return _Resolved(reference - timedelta(days=span), reference, prec)
        shift = {"last": -1, "the previous": -1, "next": 1}.get(mod, 0)
        if unit == "year":
            y = reference.year + shift
            return _Resolved(date(y, 1, 1), date(y, 12, 31), Precision.year)
        if unit == "month":
            y, mo = divmod(reference.year * 12 + reference.month - 1 + shift, 12)
            return _Resolved(date(y, mo + 1, 1), date(y, mo + 1, _last_day(y, mo + 1)), Precision.month)
        return _week(reference + timedelta(days=7 * shift))

    return [_Atom(m.start(), m.end(), None, None, Precision.unknown, relative=relative)]


def _mrel(text: str, m: re.Match[str]) -> list[_Atom]:
    month = _month_number(m["mrel_m"] or m["mrel_m2"])
    word = (m["mrel_pre"] or m["mrel_post"]).lower()
    explicit_year = m["mrel_post"] is not None
    build = _month_window(month, None)

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        if reference is None:
            return None
        year = reference.year + {"last": -1, "next": 1}.get(word, 0)
        if not explicit_year and word == "last" and month < reference.month:
            year += 1  # "last March" in June is this year's March
        if not explicit_year and word == "next" and month > reference.month:
            year -= 1
        span = build(year)
        return None if span is None else _Resolved(span[0], span[1], Precision.month)

    return [_Atom(m.start(), m.end(), None, None, Precision.month, relative=relative, months=(month, month))]


def _wd(text: str, m: re.Match[str]) -> list[_Atom]:
    if text[m.start() - 1 : m.start()] == "(" and text[m.end() : m.end() + 1] == ")":
        return []  # "June 18 (Monday)" annotates the date before it
    target = _WEEKDAYS.index(m["wd_d"])
    mod = " ".join((m["wd_mod"] or "").lower().split())

    def relative(reference: date | None, anchor: date | None) -> _Resolved | None:
        if reference is None:
            return None
        today = reference.weekday()
        if mod in ("next", "coming", "this coming"):
            delta = (target - today) % 7 or 7
        elif mod == "this":
            delta = target - today
        elif mod in ("last", "past", "this past"):
            delta = -((today - target) % 7 or 7)
        else:
            delta = -((today - target) % 7)
        day = reference + timedelta(days=delta)
        return _Resolved(day, day, Precision.day)

    return [_Atom(m.start(), m.end(), None, None, Precision.day, relative=relative)]


def _yr(text: str, m: re.Match[str]) -> list[_Atom]:
    first = int(m["yr_a"])
    second = m["yr_b"]
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if last <= first or last - first > 50:
        return []
    build = _years_span(last)
    return [_Atom(m.start(), m.end(), first, build, Precision.year, is_range=True)]


def _years_span(last: int) -> Callable[[int], tuple[date, date] | None]:
    return lambda y: (date(y, 1, 1), date(last, 12, 31))


def _mr(text: str, m: re.Match[str]) -> list[_Atom]:
    first, last = _month_number(m["mr_a"]), _month_number(m["mr_b"])
    if last <= first:
        return []
    precision = _aligned_precision(first, last, Precision.month)
    build = _months_span(first, last)
    return [_Atom(m.start(), m.end(), _int(m, "mr_y"), build, precision, months=(first, last), is_range=True)]


def _my(text: str, m: re.Match[str]) -> list[_Atom]:
    if _LONG_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return []
    month = _month_number(m["my_m"])
    return [
        _Atom(m.start(), m.end(), int(m["my_y"]), _month_window(month, None), Precision.month, months=(month, month))
    ]


def _bm(text: str, m: re.Match[str]) -> list[_Atom]:
    if not _MONTH_CONTEXT.search(text, max(0, m.start() - _LOOKBEHIND), m.start()):
        return []
    if _LONG_BEFORE.search(text, max(0, m.start() - 8), m.start()):
        return []
    month = _month_number(m["bm"])
    return [_Atom(m.start(), m.end(), None, _month_window(month, None), Precision.month, months=(month, month))]


def _py(text: str, m: re.Match[str]) -> list[_Atom]:
    following = _NEXT_WORD.match(text, m.end())
    if following:
        word = following.group(1)
        if word.islower() and word.endswith("s") and word not in _NOT_COUNT_NOUNS:
            return []  # "of 2000 troops" is a count, not a year
    y = int(m["py_y"])
    return [_Atom(m.start("py_y"), m.end("py_y"), y, lambda yy: (date(yy, 1, 1), date(yy, 12, 31)), Precision.year)]


_BUILDERS: dict[str, Callable[[str, re.Match[str]], list[_Atom]]] = {
    "iso": _iso,
    "mdy": _mdy,
    "dmy": _dmy,
    "modm": _modm,
    "mody": _mody,
    "half": _half,
    "qtr": _qtr,
    "season": _season,
    "decade": _decade,
    "relday": _relday,
    "ago": _ago,
    "rel": _rel,
    "mrel": _mrel,
    "wd": _wd,
    "yr": _yr,
    "mr": _mr,
    "my": _my,
    "bm": _bm,
    "py": _py,
}


# -- ranges ----------------------------------------------------------------------------------------------


def _merge_ranges(text: str, atoms: list[_Atom]) -> list[_Atom]:
    """Join "between A and B", "from A to B", "A-B" into one range atom; mark "since A" as open-ended."""
    out: list[_Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        lookbehind = max(0, atom.start - 12)
        if i + 1 < len(atoms) and atom.build is not None and atoms[i + 1].build is not None:
            merged = _try_range(text, atom, atoms[i + 1], lookbehind)
            if merged is not None:
                out.append(merged)
                i += 2
                continue
        since = _SINCE_BEFORE.search(text, lookbehind, atom.start)
        opener = (
            (_BETWEEN_BEFORE.search(text, lookbehind, atom.start) or _FROM_BEFORE.search(text, lookbehind, atom.start))
            if atom.is_range
            else None
        )
        if since:
            atom = replace(atom, start=since.start(), open_end=True)
        elif opener:
            atom = replace(atom, start=opener.start())
        out.append(atom)
        i += 1
    return out


def _try_range(text: str, first: _Atom, second: _Atom, lookbehind: int) -> _Atom | None:
    gap = _RANGE_GAP.fullmatch(text, first.end, second.start)
    if gap is None:
        return None
    between = _BETWEEN_BEFORE.search(text, lookbehind, first.start)
    if gap.group(0).strip() == "and" and between is None:
        return None
    opener = between or _FROM_BEFORE.search(text, lookbehind, first.start)
    start = opener.start() if opener else first.start
    assert first.build is not None and second.build is not None
    build_a, build_b = first.build, second.build
    year_a, year_b = first.year, second.year
    crosses = first.months is not None and second.months is not None and first.months[0] > second.months[0]

    def year_of_first(y_b: int) -> int:
        return y_b - 1 if crosses else y_b

    def build(y_b: int) -> tuple[date, date] | None:
        a = build_a(year_a if year_a is not None else year_of_first(y_b))
        b = build_b(y_b)
        return None if a is None or b is None or b[1] < a[0] else (a[0], b[1])

    if year_b is None and year_a is not None:
        year_b = year_a + 1 if crosses else year_a
    precision = _coarser(first.precision, second.precision)
    if first.months and second.months and precision == Precision.month:
        precision = _aligned_precision(first.months[0], second.months[1], precision)
    return _Atom(start, second.end, year_b, build, precision)


_ORDER = [Precision.day, Precision.month, Precision.quarter, Precision.half, Precision.year, Precision.unknown]


def _coarser(a: Precision, b: Precision) -> Precision:
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def _aligned_precision(first_month: int, last_month: int, default: Precision) -> Precision:
    """Half-year, quarter or year when months first..last cover exactly one."""
    if (first_month, last_month) == (1, 12):
        return Precision.year
    if (first_month, last_month) in ((1, 6), (7, 12)):
        return Precision.half
    if last_month - first_month == 2 and first_month % 3 == 1:
        return Precision.quarter
    return default


def usable_reference(reference: date | None) -> date | None:
    """The reference date, or None when it is too close to the calendar's limits to compute with."""
    if reference is None or not EARLIEST_REFERENCE <= reference <= LATEST_REFERENCE:
        return None
    return reference
