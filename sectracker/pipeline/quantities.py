"""Stage *quantities*: find numbers with their unit and the thing counted.

Reads: ``doc.units`` (segments).
Adds: ``unit.quantities`` — one QuantityMention per number expression, with its exact span (document
offsets), its ``value`` (scale words applied: "1.27 trillion" is 1.27e12), a normalised ``unit``
("count", "percent", "times", an ISO 4217 currency code, "km", "m", "t", "year", ...) and the ``item``
counted or measured when the text names it ("62,000 masks" -> masks; "19,000 pieces of PPE" -> PPE;
"1.27 trillion CNY defense budget" -> defense budget; "330 meter-long pier" -> pier).

Not quantities: years ("in 2020"), dates ("June 20", "20 June"), ordinals ("34th"), times of day, and
designations — numbers glued to letters or hyphens ("VT-4", "AG600", "Covid-19", "Long March 3B") or
following a capitalised name or label ("Type 055", "Unit 78020", "No. 7", "Resolution 2231"). A lone
"one" and anaphoric counts ("the two sides") are skipped; a bare number with no unit or item is kept
only when it is large or exact enough to matter ("1,000", "2.5 million").

The layer is compiled regular expressions; quantulum3 is not used (its parser is far slower).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sectracker.pipeline.records import AnalysedDocument, QuantityMention
from sectracker.pipeline.wordtrie import word_trie

STAGE = "quantities"
STAGE_VERSION = "1"


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


def _words(words: str) -> list[str]:
    return words.split()


_UNITS_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "k": 1e3, "mn": 1e6, "m": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12,
}  # fmt: skip
# Vague plurals give their lower bound: "hundreds of thousands" is at least 100,000.
_VAGUE = {
    "dozens": 12, "hundreds": 100, "thousands": 1e3, "tens of thousands": 1e4, "hundreds of thousands": 1e5,
    "millions": 1e6, "tens of millions": 1e7, "hundreds of millions": 1e8, "billions": 1e9,
}  # fmt: skip


def _cased(words: str) -> str:
    """An alternation matching each word in lower case or with a capital first letter (cheaper than (?i))."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words.split())


_TENS = "(?:" + _cased("twenty thirty forty fifty sixty seventy eighty ninety") + ")"
_ONES = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUMBER_WORD = (
    rf"{_TENS}(?:[-\s]{_ONES})?|"
    + _cased("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen")
    + "|"
    + _cased("one two three four five six seven eight nine")
    + r"|[Hh]alf\s+a\s+dozen|[Aa]n?\s+(?:dozen|hundred|thousand|million|billion)|dozen"
    + r"|(?:[Tt]ens|[Hh]undreds)\s+of\s+(?:thousands|millions)|"
    + _cased("dozens hundreds thousands millions billions twice thrice")
)
_NUMBER = re.compile(
    r"(?<![\w.,:\-/])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?)"
    r"(?:(?P<range>\s*[-–]\s*|\s+to\s+)(?P<num2>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\w.]))?"
    rf"|\b(?P<word>{_NUMBER_WORD})\b"
)
_CURRENCY_BEFORE = re.compile(r"(?:(?:US|HK|NT|A|S|C)?\$|€|£|¥|\b(?:RMB|CNY|USD|EUR|GBP|JPY|INR)[ \u00a0]?)$")
_COUNT_WORDS = _words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety dozen dozens hundred hundreds thousand "
    "thousands million millions billion billions twice thrice tens"
)
_ARTICLE_SCALES = _wordset("dozen hundred thousand million billion")
# Digits or a number word; the full grammar (_NUMBER) is only tried at these places, which keeps the stage fast.
_TRIGGER = re.compile(r"\d+|\b" + word_trie(_COUNT_WORDS + [w.capitalize() for w in _COUNT_WORDS]) + r"\b")
_ARTICLE_BEFORE = re.compile(r"(?:\b[Hh]alf\s+a|\b[Aa]n?)\s+$")
_SCALE = re.compile(r"[\s-]?(hundred|thousand|million|billion|trillion)\b|(bn|mn|tn)\b", re.IGNORECASE)
_CURRENCY_SCALE = re.compile(r"\s?([kmb]|bn|mn|tn)\b", re.IGNORECASE)

_UNIT_TABLE: list[tuple[str, str]] = [
    (r"%|per\s?cent(?:age\s+points?)?|percent(?:age\s+points?)?|pct", "percent"),
    (r"(?:US\s+)?dollars?|USD|US\$", "USD"),
    (r"yuan|renminbi|RMB|CNY", "CNY"),
    (r"euros?|EUR", "EUR"),
    (r"(?:pounds?\s+sterling|GBP)", "GBP"),
    (r"rupees?|INR", "INR"),
    (r"yen|JPY", "JPY"),
    (r"r[ou]bles?|RUB", "RUB"),
    (r"square\s+kilomet(?:er|re)s?|sq\.?\s*km|km2|km²", "km2"),
    (r"nautical[\s-]+miles?|nmi", "nmi"),
    (r"kilomet(?:er|re)s?|km", "km"),
    (r"miles?", "mi"),
    (r"met(?:er|re)s?|m", "m"),
    (r"feet|foot|ft", "ft"),
    (r"tonnes?|tons?|t", "t"),
    (r"kilograms?|kg", "kg"),
    (r"hectares?|ha", "ha"),
    (r"years?", "year"),
    (r"months?", "month"),
    (r"weeks?", "week"),
    (r"days?", "day"),
    (r"hours?", "hour"),
    (r"minutes?|mins?", "minute"),
    (r"times", "times"),
]
_UNIT = re.compile(
    r"(?:\s+(?:consecutive|straight|successive|full)\s+|\s+|-|(?<=\d))(?:"
    + "|".join(f"(?P<u{i}>{pat})" for i, (pat, _) in enumerate(_UNIT_TABLE))
    + r")(?![\w])"
)
_UNIT_NAMES = [name for _, name in _UNIT_TABLE]
_CURRENCY_PREFIX = {"$": "USD", "US$": "USD", "HK$": "HKD", "NT$": "TWD", "A$": "AUD", "S$": "SGD", "C$": "CAD",
                    "€": "EUR", "£": "GBP", "¥": "CNY", "RMB": "CNY", "CNY": "CNY", "USD": "USD", "EUR": "EUR",
                    "GBP": "GBP", "JPY": "JPY", "INR": "INR"}  # fmt: skip
_CURRENCIES = frozenset(_CURRENCY_PREFIX.values())
_ADJECTIVAL = re.compile(r"-(?:long|wide|high|deep|tall|old|strong|thick)\b")
_MEASURE_WORDS = _wordset(
    "pieces piece units batches batch sets set boxes box rounds round items item bottles doses shipments packs "
    "cartons lots loads tons tonnes kilograms containers planeloads consignments"
)
_MASS_HEADS = _wordset(
    "personnel people police staff equipment aircraft militia crew PPE ammunition materiel matériel cattle "
    "livestock fish sheep deer infantry cavalry artillery"
)
_STOPWORDS = _wordset(
    "a an the of in on at to for from with by and or but as than that which who whom whose were was is are be "
    "been being have has had will would could should may might must can did do does not into onto over under "
    "between among during after before since until per each this these those it its their his her they them we "
    "our you your he she when where while if so about around across along against within without through via "
    "including included such more other additional further some different separate several many few most all "
    "also only just reportedly respectively each both either neither up down out off again last next"
)
_LEADING_FILLERS = _wordset("such more other additional further some different separate new")
_NP_WORD = re.compile(r"[ \u00a0]+([A-Za-z][\w’'\-/]*)")
_OF = re.compile(r"[ \u00a0]+(?:worth\s+)?(?:of|in)\b")
_MONTH_NAMES = _wordset(
    "January February March April May June July August September October November December "
    "Jan Jan. Feb Feb. Mar Mar. Apr Apr. Jun Jun. Jul Jul. Aug Aug. Sep Sep. Sept Sept. Oct Oct. Nov Nov. Dec Dec."
)
_PREV_WORD = re.compile(r"(\S+)[ \u00a0]+$")
_NEXT_TOKEN = re.compile(r"[ \u00a0]+(?:of[ \u00a0]+)?(\S+)")
_TIME_AFTER = re.compile(r":\d|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|hrs\b|GMT|UTC|h\b)")
_ATTACHED_BAD = re.compile(r"[A-Za-z\d]")
_ANAPHORIC = _wordset("the our these those both their its")
_SENTENCE_START = re.compile(r"(?:^|[^\w,’'\s]\s*)$")
_LOOKBACK = 40
_MAX_ITEM_WORDS = 4


@dataclass
class _Number:
    start: int
    end: int
    value: float
    exact_digits: bool  # written in digits
    has_scale: bool
    word: str | None  # the number word, if written as a word


def find_quantities(text: str, base_offset: int = 0) -> list[QuantityMention]:
    """Quantity mentions in text; offsets are shifted by ``base_offset``."""
    out: list[QuantityMention] = []
    for m in _number_matches(text):
        mention = _quantity(text, m)
        if mention is None or not math.isfinite(mention[2]):
            continue  # not a quantity, or a number too large for a float ("1e400", 400 digits): no value to store
        start, end, value, unit, item = mention
        out.append(
            QuantityMention(
                start=base_offset + start,
                end=base_offset + end,
                text=text[start:end],
                stage=STAGE,
                stage_version=STAGE_VERSION,
                value=value,
                unit=unit,
                item=item,
            )
        )
    return out


def _number_matches(text: str) -> list[re.Match[str]]:
    """Non-overlapping grammar matches at each trigger (or at "a"/"half a" just before a trigger word)."""
    out: list[re.Match[str]] = []
    done = 0
    for trigger in _TRIGGER.finditer(text):
        at = trigger.start()
        if at < done:
            continue
        m = None
        if trigger.group(0).lower() in _ARTICLE_SCALES:  # "a dozen", "half a dozen", "a hundred"
            article = _ARTICLE_BEFORE.search(text, max(done, at - 8), at)
            m = _NUMBER.match(text, article.start()) if article else None
        m = m or _NUMBER.match(text, at)
        if m is not None:
            out.append(m)
            done = m.end()
    return out


def add_quantities(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill each unit's ``quantities`` with the quantity mentions of its segment."""
    units = [
        unit.model_copy(update={"quantities": find_quantities(unit.segment.text, unit.segment.start)})
        for unit in doc.units
    ]
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})


# -- one number ------------------------------------------------------------------------------------------


def _quantity(text: str, m: re.Match[str]) -> tuple[int, int, float, str, str | None] | None:
    """(start, end, value, unit, item) for a number match, or None when it is not a quantity."""
    pre = _CURRENCY_BEFORE.search(text, max(0, m.start() - 4), m.start()) if m["num"] else None
    number = _read_number(text, m, pre is not None)
    if number is None:
        return None
    if pre is not None:
        return _currency_quantity(text, number, _CURRENCY_PREFIX[pre.group(0).strip()], pre.start())
    if number.word in ("twice", "thrice"):
        if text.startswith(" as", number.end):
            return None  # "twice as many"
        return number.start, number.end, number.value, "times", None
    unit_match = _UNIT.match(text, number.end)
    if unit_match is not None:
        return _unit_quantity(text, number, unit_match)
    return _count_quantity(text, number)


def _read_number(text: str, m: re.Match[str], has_currency: bool) -> _Number | None:
    if m["word"] is not None:
        return _read_word_number(text, m)
    digits = m["num"]
    start, end = m.start("num"), m.end()
    if _is_date_or_label(text, start, end, digits, has_currency):
        return None
    value = float(digits.replace(",", ""))
    scale = _CURRENCY_SCALE.match(text, end) if has_currency else None
    scale = scale or _SCALE.match(text, end)
    has_scale = scale is not None
    if scale is not None:
        value *= _SCALES[(scale.group(1) or scale.group(2)).lower()]
        end = scale.end()
    elif _ATTACHED_BAD.match(text, end) and not _UNIT.match(text, end):
        return None  # "3B", "34th", "1990s", "5G"
    return _Number(start, end, value, True, has_scale, None)


def _read_word_number(text: str, m: re.Match[str]) -> _Number | None:
    phrase = " ".join(m["word"].lower().replace("-", " ").split())
    start, end = m.start("word"), m.end("word")
    if _after_name(text, start):
        return None  # "ASEAN Plus Three"
    if phrase in _VAGUE:
        if not text.startswith(" of", end) and "of" not in phrase:
            return None  # "hundreds" needs "hundreds of ..."
        return _Number(start, end, _VAGUE[phrase], False, True, phrase)
    value = _word_value(phrase)
    if value is None:
        return None
    scale = _SCALE.match(text, end)
    if scale is not None:
        value *= _SCALES[(scale.group(1) or scale.group(2)).lower()]
        end = scale.end()
    return _Number(start, end, value, False, scale is not None, phrase)


def _word_value(phrase: str) -> float | None:
    if phrase in ("twice", "thrice"):
        return 2.0 if phrase == "twice" else 3.0
    if phrase.endswith("dozen"):
        return 6.0 if phrase.startswith("half") else 12.0
    words = phrase.split()
    if words[0] in ("a", "an"):
        return _SCALES[words[1]]
    return float(sum(_UNITS_WORDS[w] for w in words))


def _is_date_or_label(text: str, start: int, end: int, digits: str, has_currency: bool) -> bool:
    """Years, days of a month, times of day and designations ("Type 055", "No. 7")."""
    if has_currency:
        return False
    plain = digits.isdigit()
    if plain and len(digits) == 4 and 1800 <= int(digits) <= 2099 and not _SCALE.match(text, end):
        after = _UNIT.match(text, end)
        if after is None or _UNIT_NAMES[_unit_index(after)] not in ("percent",):
            return True
    if _TIME_AFTER.match(text, end):
        return True
    prev = _PREV_WORD.search(text, max(0, start - _LOOKBACK), start)
    if prev is not None:
        word = prev.group(1)
        if word.rstrip(",") in _MONTH_NAMES:
            return True
        if _after_name(text, start) and _UNIT.match(text, end) is None:
            return True  # a designation after a name or label: "Type 055", "No. 7"
    following = _NEXT_TOKEN.match(text, end) if plain and len(digits) <= 2 else None
    return following is not None and following.group(1).rstrip(".,;") in _MONTH_NAMES  # "20 June"


def _after_name(text: str, start: int) -> bool:
    """Whether the word before ``start`` is a capitalised name or label (not a sentence's first word)."""
    prev = _PREV_WORD.search(text, max(0, start - _LOOKBACK), start)
    if prev is None:
        return False
    word = prev.group(1)
    return (
        word[:1].isupper()
        and not word.endswith(("'s", "’s"))
        and not _SENTENCE_START.search(text, max(0, prev.start() - 3), prev.start())
    )


def _unit_index(m: re.Match[str]) -> int:
    return int((m.lastgroup or "u0")[1:])


def _currency_quantity(
    text: str, number: _Number, currency: str, start: int
) -> tuple[int, int, float, str, str | None]:
    end = number.end
    item = _item_after(text, end, head_rule=False)
    if item is None:
        of = _OF.match(text, end)
        item = _item_after(text, of.end(), head_rule=False) if of else None
    return start, end, number.value, currency, item[0] if item else None


def _unit_quantity(
    text: str, number: _Number, unit_match: re.Match[str]
) -> tuple[int, int, float, str, str | None] | None:
    unit = _UNIT_NAMES[_unit_index(unit_match)]
    if number.word == "one" and unit == "times":
        return None
    end = unit_match.end()
    item: tuple[str, int] | None = None
    adjectival = _ADJECTIVAL.match(text, end)
    if adjectival is not None:
        item = _item_after(text, adjectival.end(), head_rule=False)
    elif text.startswith("-", unit_match.start()):  # "12-month period", "five-year campaign"
        item = _item_after(text, end, head_rule=False)
    elif unit == "percent":
        item = _item_after(text, end, head_rule=False, max_words=1)
    elif unit in _CURRENCIES:
        item = _item_after(text, end, head_rule=False)
        of = None if item else _OF.match(text, end)
        item = item or (_item_after(text, of.end(), head_rule=False) if of else None)
    elif unit in ("t", "kg"):
        of = _OF.match(text, end)
        item = _item_after(text, of.end(), head_rule=False) if of else None
        return number.start, item[1] if item else end, number.value, unit, item[0] if item else None
    if item is not None and (adjectival is not None or text.startswith("-", unit_match.start())):
        end = item[1]  # "330 meter-long pier": the phrase ends with the thing measured
    return number.start, end, number.value, unit, item[0] if item else None


def _count_quantity(text: str, number: _Number) -> tuple[int, int, float, str, str | None] | None:
    if number.word == "one" or (number.word in _UNITS_WORDS and _anaphoric(text, number.start)):
        return None
    after = number.end
    if number.word in _VAGUE:
        of = _OF.match(text, after)
        after = of.end() if of else after  # "thousands of troops"
    item = _item_after(text, after, head_rule=True)
    if item is not None and item[0].split()[0].lower() in _MEASURE_WORDS:
        of = _OF.match(text, item[1])
        measured = _item_after(text, of.end(), head_rule=True) if of and item[0].count(" ") == 0 else None
        if measured is not None:
            item = measured
    if item is None:
        if not (
            number.has_scale
            or (
                number.exact_digits
                and ("," in text[number.start : number.end] or "." in text[number.start : number.end])
            )
        ):
            return None
        return number.start, number.end, number.value, "count", None
    if item[0].split()[-1].lower() == "unit" and number.value >= 100 and number.exact_digits:
        return None  # "the 78020 unit": a military unit designator
    return number.start, item[1], number.value, "count", item[0]


def _anaphoric(text: str, start: int) -> bool:
    """ "the two sides", "our three countries": a reference to things already named, not a count."""
    prev = _PREV_WORD.search(text, max(0, start - 12), start)
    return prev is not None and prev.group(1).lower() in _ANAPHORIC


def _item_after(text: str, pos: int, head_rule: bool, max_words: int = _MAX_ITEM_WORDS) -> tuple[str, int] | None:
    """The noun phrase right after ``pos``: (text, end offset), or None.

    With ``head_rule`` (counts), the phrase ends at its first plural or mass noun ("20 Indian soldiers died").
    """
    words: list[tuple[str, int, int]] = []
    cursor = pos
    while len(words) < max_words:
        w = _NP_WORD.match(text, cursor)
        if w is None:
            break
        low = w.group(1).lower()
        if not words and low in _LEADING_FILLERS:
            cursor = w.end()
            continue
        if low in _STOPWORDS or (words and low.endswith("ed") and w.group(1).islower()):
            break  # a function word, or a past-tense verb after the noun ("20 soldiers died")
        words.append((w.group(1), w.start(1), w.end(1)))
        cursor = w.end()
        if text.startswith(("'s", "’s"), cursor):
            break
    if not words:
        return None
    if head_rule:
        head = next((i for i, (w, _, _) in enumerate(words) if _is_plural_or_mass(w)), None)
        while head is not None and head + 1 < len(words) and _is_plural(words[head + 1][0]):
            head += 1  # "aircraft carriers": a mass noun used as a modifier
        if head is None:
            return None
        words = words[: head + 1]
    first, last = words[0][1], words[-1][2]
    return text[first:last], last


def _is_plural_or_mass(word: str) -> bool:
    return word in _MASS_HEADS or word.lower() in _MASS_HEADS or _is_plural(word)


def _is_plural(word: str) -> bool:
    low = word.lower()
    return len(low) > 2 and low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s"))
