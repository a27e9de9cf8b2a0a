"""Stage dates: forms, resolution against the publication date, precision, ranges and offsets."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.models import Document, Precision
from sectracker.pipeline.dates import STAGE_VERSION, add_dates, find_dates
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments

REF = date(2020, 7, 15)  # a Wednesday
D = Precision.day
M = Precision.month
Q = Precision.quarter
H = Precision.half
Y = Precision.year
U = Precision.unknown


def _one(text: str, reference: date | None = REF) -> tuple[str, date | None, date | None, Precision]:
    mentions = find_dates(text, reference)
    assert len(mentions) == 1, [m.text for m in mentions]
    m = mentions[0]
    assert text[m.start : m.end] == m.text
    return m.text, m.date_start, m.date_end, m.precision


@pytest.mark.parametrize(
    ("text", "span", "start", "end", "precision"),
    [
        ("The frigate docked on April 8 after a long voyage.", "April 8", date(2020, 4, 8), date(2020, 4, 8), D),
        ("The agency said in late March that it had finished.", "late March", date(2020, 3, 21), date(2020, 3, 31), M),
        ("Talks resumed in early February.", "early February", date(2020, 2, 1), date(2020, 2, 10), M),
        ("A patrol ship visited in mid-January.", "mid-January", date(2020, 1, 11), date(2020, 1, 20), M),
        ("A patrol ship visited in mid January.", "mid January", date(2020, 1, 11), date(2020, 1, 20), M),
        ("He flew to Moscow at the end of June.", "the end of June", date(2020, 6, 21), date(2020, 6, 30), M),
        ("Forces rotated by end of May.", "end of May", date(2020, 5, 21), date(2020, 5, 31), M),
        ("Flights rose between January and June.", "between January and June", date(2020, 1, 1), date(2020, 6, 30), H),
        ("Drills ran between January and March.", "between January and March", date(2020, 1, 1), date(2020, 3, 31), Q),
        ("Calls were held between March and June.", "between March and June", date(2020, 3, 1), date(2020, 6, 30), M),
        (
            "Aid flew in the three months between March 13 and June 19.",
            "between March 13 and June 19",
            date(2020, 3, 13),
            date(2020, 6, 19),
            D,
        ),
        ("The request was sent in 2016.", "2016", date(2016, 1, 1), date(2016, 12, 31), Y),
        ("Ships exercised on February 9-10 near the island.", "February 9-10", date(2020, 2, 9), date(2020, 2, 10), D),
        ("Ships exercised on 9–10 February near the island.", "9–10 February", date(2020, 2, 9), date(2020, 2, 10), D),
        (
            "Jets scrambled between April 1, 2019 and March 31, 2020.",
            "between April 1, 2019 and March 31, 2020",
            date(2019, 4, 1),
            date(2020, 3, 31),
            D,
        ),
        ("The order was frozen in April.", "April", date(2020, 4, 1), date(2020, 4, 30), M),
        ("The order was placed in May 2019.", "May 2019", date(2019, 5, 1), date(2019, 5, 31), M),
        ("The standoff of last year ended.", "last year", date(2019, 1, 1), date(2019, 12, 31), Y),
        ("Spending will fall this year.", "this year", date(2020, 1, 1), date(2020, 12, 31), Y),
        ("The first half of 2020 was busy.", "The first half of 2020", date(2020, 1, 1), date(2020, 6, 30), H),
        ("Deliveries slipped to Q2.", "Q2", date(2020, 4, 1), date(2020, 6, 30), Q),
        ("Deliveries slipped to Q4 2019.", "Q4 2019", date(2019, 10, 1), date(2019, 12, 31), Q),
        ("Launches resume in the spring.", "the spring", date(2020, 3, 1), date(2020, 5, 31), Q),
        ("The minister said on Tuesday that talks went well.", "Tuesday", date(2020, 7, 14), date(2020, 7, 14), D),
        ("The envoy arrives next Friday.", "next Friday", date(2020, 7, 17), date(2020, 7, 17), D),
        ("The envoy left last Wednesday.", "last Wednesday", date(2020, 7, 8), date(2020, 7, 8), D),
        ("The notice is dated 2020-03-12.", "2020-03-12", date(2020, 3, 12), date(2020, 3, 12), D),
        ("The notice is dated 12 March 2020.", "12 March 2020", date(2020, 3, 12), date(2020, 3, 12), D),
        ("The notice is dated March 12th.", "March 12th", date(2020, 3, 12), date(2020, 3, 12), D),
        ("The notice is dated the 12th of March.", "12th of March", date(2020, 3, 12), date(2020, 3, 12), D),
        ("The notice is dated Mar. 12, 2018.", "Mar. 12, 2018", date(2018, 3, 12), date(2018, 3, 12), D),
        ("The base was built in October 2019.", "October 2019", date(2019, 10, 1), date(2019, 10, 31), M),
        ("As of late June 2020, patrols went on.", "late June 2020", date(2020, 6, 21), date(2020, 6, 30), M),
        ("The visit runs from May 12 to 16.", "from May 12 to 16", date(2020, 5, 12), date(2020, 5, 16), D),
        ("Trials took place in mid-2019.", "mid-2019", date(2019, 5, 1), date(2019, 8, 31), Q),
        ("Work finished at the end of the year.", "the end of the year", date(2020, 12, 1), date(2020, 12, 31), M),
        ("Exports grew in the 1990s.", "the 1990s", date(1990, 1, 1), date(1999, 12, 31), Y),
        ("Audits ran between 2015 and 2019.", "between 2015 and 2019", date(2015, 1, 1), date(2019, 12, 31), Y),
        ("The plan covers 2021-2025.", "2021-2025", date(2021, 1, 1), date(2025, 12, 31), Y),
        ("Drills were held in March-June 2019.", "March-June 2019", date(2019, 3, 1), date(2019, 6, 30), M),
        (
            "Deployments grew in the second half of the year.",
            "the second half of the year",
            date(2020, 7, 1),
            date(2020, 12, 31),
            H,
        ),  # fmt: skip
        ("It came into force in March this year.", "March this year", date(2020, 3, 1), date(2020, 3, 31), M),
        ("The envoy came yesterday.", "yesterday", date(2020, 7, 14), date(2020, 7, 14), D),
        ("Troops pulled back two years ago.", "two years ago", date(2018, 1, 1), date(2018, 12, 31), Y),
    ],
)
def test_forms(text: str, span: str, start: date, end: date, precision: Precision) -> None:
    assert _one(text) == (span, start, end, precision)


@pytest.mark.parametrize(
    ("text", "span", "start", "precision"),
    [
        ("Numbers have been stable since 2017.", "since 2017", date(2017, 1, 1), Y),
        ("Scuffles had occurred since early May.", "since early May", date(2020, 5, 1), M),
        ("The treaty has been in force since December 2014.", "since December 2014", date(2014, 12, 1), M),
    ],
)
def test_since_opens_a_range(text: str, span: str, start: date, precision: Precision) -> None:
    assert _one(text) == (span, start, None, precision)


def test_year_less_date_far_after_the_reference_is_last_year() -> None:
    assert _one("The ship was commissioned in December.")[1:3] == (date(2019, 12, 1), date(2019, 12, 31))
    assert _one("The ship was commissioned on November 20.")[1] == date(2019, 11, 20)
    # A date a few weeks ahead stays in the reference year (announced visits).
    assert _one("The minister will visit on August 3.")[1] == date(2020, 8, 3)
    assert _one("The crash happened on December 30.", reference=date(2021, 1, 4))[1] == date(2020, 12, 30)


def test_following_day_counts_from_the_last_day_in_the_same_text() -> None:
    text = "The law was passed on June 20 and took effect the following day. Two days later, drills began."
    mentions = find_dates(text, REF)
    assert [(m.text, m.date_start) for m in mentions] == [
        ("June 20", date(2020, 6, 20)),
        ("the following day", date(2020, 6, 21)),
        ("Two days later", date(2020, 6, 23)),
    ]


def test_following_day_without_an_anchor_is_unknown() -> None:
    assert _one("It took effect the following day.") == ("the following day", None, None, U)


def test_two_days_joined_by_and_are_two_mentions() -> None:
    mentions = find_dates("Talks were scheduled for June 22 and June 28.", REF)
    assert [(m.text, m.date_start) for m in mentions] == [
        ("June 22", date(2020, 6, 22)),
        ("June 28", date(2020, 6, 28)),
    ]


def test_between_uses_the_later_year_for_the_earlier_end() -> None:
    text = "Flights rose between November and February 2020."
    assert _one(text)[1:3] == (date(2019, 11, 1), date(2020, 2, 29))


@pytest.mark.parametrize(
    "text",
    [
        "The report is dated February 30.",
        "The report is dated 31 April 2019.",
        "The report is dated February 29, 2019.",
        "The report is dated 2019-02-30.",
    ],
)
def test_impossible_dates_are_skipped(text: str) -> None:
    assert find_dates(text, REF) == []


@pytest.mark.parametrize(
    "text",
    [
        "The Long March 5 rocket and the Long March 3B failed.",
        "May I ask a question about the drills?",
        "The 34th escort task force and 20 Indian soldiers.",
        "The Type 055 destroyer carries 112 cells.",
        "The Spring Festival travel rush began.",
        "They discussed the fall of the old regime.",
        "A 2018 decision upheld the ruling.",
        "USA TODAY reported the story.",
    ],
)
def test_not_dates(text: str) -> None:
    assert find_dates(text, REF) == []


def test_without_reference_year_less_dates_are_unknown_and_explicit_ones_resolve() -> None:
    mentions = find_dates("It docked on April 8 and left on 3 May 2019; it returns next week.", None)
    assert [(m.text, m.date_start, m.precision) for m in mentions] == [
        ("April 8", None, U),
        ("3 May 2019", date(2019, 5, 3), D),
        ("next week", None, U),
    ]


def test_weekday_in_parentheses_after_a_date_is_not_a_second_date() -> None:
    mentions = find_dates("The briefing resumes on July 20 (Monday).", REF)
    assert [m.text for m in mentions] == ["July 20"]


def test_base_offset_shifts_spans() -> None:
    (m,) = find_dates("on April 8", REF, base_offset=100)
    assert (m.start, m.end, m.text) == (103, 110, "April 8")


def test_add_dates_uses_units_and_the_publication_date() -> None:
    text = "Drills\n\nThe navy drilled on June 20.\n\nIt ended the following day.\n"
    doc = add_segments(AnalysedDocument(document=Document(id="doc-d", text=text), published=REF))
    out = add_dates(doc)
    found = [(m.text, m.date_start) for u in out.units for m in u.dates]
    # The anchor of "the following day" does not leak into the next unit.
    assert found == [("June 20", date(2020, 6, 20)), ("the following day", None)]
    for unit in out.units:
        for m in unit.dates:
            assert text[m.start : m.end] == m.text
    assert out.stages_run[-1] == f"dates@{STAGE_VERSION}"


def test_seed_dates_resolve(seed_text: str) -> None:
    mentions = find_dates(seed_text, date(2020, 7, 15))
    assert all(seed_text[m.start : m.end] == m.text for m in mentions)
    by_text = {m.text: m for m in mentions}
    assert by_text["between March 13 and June 19"].date_start == date(2020, 3, 13)
    assert by_text["February 9-10"].date_end == date(2020, 2, 10)
    assert by_text["the following day"].date_start == date(2020, 6, 21)
    assert by_text["late March"].precision == Precision.month
    assert by_text["between April 1, 2019 and March 31, 2020"].date_start == date(2019, 4, 1)
    assert by_text["since 2017"].date_end is None
