"""Stage *countries*: find the countries a text names, in any of the forms reporting uses.

Reads: ``doc.units`` (segments) and the document text.
Adds: ``unit.countries`` — one CountryMention per country form found in the unit: names
(pycountry short, common and official names), our aliases ("the US", "UAE", "Britain"),
adjectives and demonyms ("Nigerian Army", "Filipinos") and capitals standing for their
governments ("Ankara", "Washington").

Rules, in the language of security reporting:

* matching is case-sensitive on word boundaries; the longest form wins ("Papua New Guinea",
  "South Sudan"); a blocker phrase ("Indian Ocean", "South China Sea") yields nothing;
* forms that are also personal names or other places ("Chad", "Jordan", "Georgia") count
  only when no capitalised name sits right next to them ("Jordan Peterson" is not Jordan);
* a capital counts as its country's government except after a preposition of place
  ("talks held in Vienna"): there it is a venue, which the *places* stage records;
* China is the actor, never a counterpart: China, Chinese, Beijing and PRC are still
  recorded (iso3 ``CHN``) so that later stages can see China's involvement, and the
  assemble stage never makes them counterparts. Taiwan is TWN, Hong Kong HKG, Macao MAC.

Sources of the forms: pycountry at load time and ``gazetteers/countries.yaml`` (our
additions); capitals come from ``gazetteers/places.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import pycountry
import yaml

from sectracker.countries.codes import is_iso3
from sectracker.errors import CodebookError
from sectracker.pipeline.phrases import PhraseMatcher, distribute_to_units, fold
from sectracker.pipeline.places import load_places
from sectracker.pipeline.records import AnalysedDocument, CountryMention

STAGE = "countries"
STAGE_VERSION = "1"
DATA_FILE = "gazetteers/countries.yaml"

Form = Literal["name", "official", "adjective", "demonym", "capital", "code", "other"]

# Prepositions after which a capital is where something happened, not who acted.
_VENUE_WORDS = frozenset({"in", "at", "near", "outside", "around", "inside", "across", "within"})
# Capitalised words that may follow an ambiguous country form without making it a name.
_INSTITUTION_WORDS = frozenset(
    [
        "Army",
        "Navy",
        "Air",
        "Armed",
        "Defence",
        "Defense",
        "Ministry",
        "Government",
        "Parliament",
        "President",
        "Prime",
        "King",
        "Queen",
        "Foreign",
        "Coast",
        "Border",
        "Police",
        "Embassy",
        "Military",
        "Forces",
        "Force",
        "National",
    ]
)
# Capitalised at a sentence start, these words do not make the next one a name ("In Jordan").
_FUNCTION_WORDS = frozenset(
    [
        "in",
        "the",
        "to",
        "from",
        "with",
        "and",
        "of",
        "for",
        "by",
        "at",
        "on",
        "as",
        "both",
        "neither",
        "either",
        "like",
        "unlike",
        "while",
        "after",
        "before",
        "since",
        "into",
        "near",
        "across",
        "against",
        "between",
        "via",
    ]
)
_PREV_WORD = re.compile(r"([A-Za-z][\w'.-]*)[\s,]*$")
_NEXT_WORD = re.compile(r"^[\s]*([A-Za-z][\w'-]*)")


@dataclass(frozen=True)
class CountryForm:
    """How one phrase names a country (iso3 is None for a blocker phrase)."""

    iso3: str | None
    form: Form
    ambiguous: bool = False


@dataclass(frozen=True)
class CountryGazetteer:
    matcher: PhraseMatcher[CountryForm]
    forms: int


@lru_cache(maxsize=1)
def load_country_gazetteer() -> CountryGazetteer:
    """Every country form from pycountry, our data file and the capitals list (cached)."""
    name = f"sectracker/pipeline/{DATA_FILE}"
    raw = resources.files("sectracker.pipeline").joinpath(DATA_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise CodebookError(f"{name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
        raise CodebookError(f"{name}: expected a mapping with a 'countries' mapping")
    forms = _standard_forms()
    for phrase, value in _our_forms(data["countries"], name).items():
        if forms.get(phrase, ("", ""))[0] != value[0]:
            forms[phrase] = value  # our file decides where a form is claimed by another country
    forms.update(_capital_forms())
    ambiguous = set(data.get("ambiguous") or [])
    entries: list[tuple[str, CountryForm]] = [
        (phrase, CountryForm(iso3, form, phrase in ambiguous)) for phrase, (iso3, form) in forms.items()
    ]
    entries += [(phrase, CountryForm(None, "other")) for phrase in data.get("blockers") or []]
    return CountryGazetteer(PhraseMatcher(entries), len(entries))


def _standard_forms() -> dict[str, tuple[str, Form]]:
    """pycountry's names; names with commas or brackets ("Korea, Republic of") are left to our file."""
    forms: dict[str, tuple[str, Form]] = {}
    for c in pycountry.countries:
        for attr, form in (("official_name", "official"), ("name", "name"), ("common_name", "name")):
            value = getattr(c, attr, None)
            if value and "," not in value and "(" not in value:
                forms[fold(value.removeprefix("the "))] = (c.alpha_3, form)  # type: ignore[assignment]
    return forms


def _our_forms(countries: dict[str, Any], name: str) -> dict[str, tuple[str, Form]]:
    forms: dict[str, tuple[str, Form]] = {}
    for iso3, entry in countries.items():
        if not is_iso3(str(iso3)) or not isinstance(entry, dict):
            raise CodebookError(f"{name}: {iso3!r} is not an ISO3 code with a mapping of forms")
        for alias in entry.get("names") or []:
            forms[fold(alias)] = (iso3, "code" if _is_code(alias) else "name")
        for adj in entry.get("adj") or []:
            forms.setdefault(fold(adj), (iso3, "adjective"))
            plural = _plural(adj)
            if plural:
                forms.setdefault(fold(plural), (iso3, "demonym"))
        for dem in entry.get("dem") or []:
            forms[fold(dem)] = (iso3, "demonym")
    return forms


def _capital_forms() -> dict[str, tuple[str, Form]]:
    forms: dict[str, tuple[str, Form]] = {}
    for place in load_places():
        if place.capital_of:
            for phrase in (place.name, *place.aliases):
                forms[fold(phrase)] = (place.capital_of, "capital")
    return forms


def _is_code(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isupper() and len(letters) <= 5


def _plural(adj: str) -> str | None:
    """The plural demonym of an adjective ("Nigerian" -> "Nigerians"), or None ("Chinese", "Swiss")."""
    if adj.isupper() or adj.endswith(("ese", "ish", "ch", "sh", "ss", "x", "s")):
        return None
    return adj + "s"


def find_countries(text: str, base_offset: int = 0) -> list[CountryMention]:
    """Country mentions in `text`; offsets are shifted by `base_offset`."""
    gazetteer = load_country_gazetteer()
    out: list[CountryMention] = []
    for hit in gazetteer.matcher.find(text):
        form = hit.value
        if form.iso3 is None:
            continue
        if form.ambiguous and _looks_like_a_name(text, hit.start, hit.end):
            continue
        if form.form == "capital" and form.iso3 != "CHN" and _is_venue(text, hit.start):
            continue
        out.append(
            CountryMention(
                start=hit.start + base_offset,
                end=hit.end + base_offset,
                text=hit.phrase,
                stage=STAGE,
                stage_version=STAGE_VERSION,
                iso3=form.iso3,
                form=form.form,
            )
        )
    return out


def _looks_like_a_name(text: str, start: int, end: int) -> bool:
    """Whether a capitalised name sits right before or after the form ("Michael Jordan", "Chad Smith")."""
    nxt = _NEXT_WORD.match(text[end : end + 40])
    if nxt and text[end : end + 1] == " " and nxt.group(1)[:1].isupper() and nxt.group(1) not in _INSTITUTION_WORDS:
        return True
    before = text[max(0, start - 40) : start]
    prev = _PREV_WORD.search(before)
    if not prev or not before.endswith(" ") or not prev.group(1)[:1].isupper():
        return False
    return prev.group(1).lower() not in _FUNCTION_WORDS


def _is_venue(text: str, start: int) -> bool:
    prev = _PREV_WORD.search(text[max(0, start - 20) : start])
    return bool(prev and prev.group(1).lower() in _VENUE_WORDS)


def add_countries(doc: AnalysedDocument) -> AnalysedDocument:
    """Fill ``unit.countries`` for every unit, scanning the document text once."""
    text = doc.document.text
    mentions = find_countries(text)
    units = distribute_to_units(doc.units, mentions, "countries")
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})
