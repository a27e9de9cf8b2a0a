"""What each sentence of a unit does: report an occurrence, comment on one, or announce a plan.

Not a stage of its own: the classify and assemble stages both read units sentence by
sentence, and this module holds that reading so that both agree. A sentence *reports*
when it has an action verb and is neither commentary (a hedge such as "suggests" or
"seems" with nobody to attribute it to, or an analysis opener such as "Against the
background"), nor background ("Since 2017..."), nor a plan ("will", "plans to") unless a
reporting verb makes the statement itself the occurrence ("said it would respond"), nor
a question, nor a sentence whose subject is a foreign country with no Chinese actor in it
("The US has also stepped up its presence"): a China tracker reports what China does.
The word lists live in ``gazetteers/classify_rules.yaml`` (``sentences``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from sectracker.pipeline.phrases import Hit, PhraseMatcher, hits_between
from sectracker.pipeline.records import Unit
from sectracker.pipeline.rules import load_rules

_ED_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}ed\b")
# A word before an -ed form that makes it an adjective ("its upgraded landing craft", "the disputed reef").
_DETERMINERS = frozenset(
    ("the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "newly", "recently", "fully")
    + ("most", "more")
)
# Progressive and perfect forms: "was carrying out", "have been taking place".
_PROGRESSIVE = re.compile(r"\b(?:is|are|was|were|has been|have been|had been)\s+[a-z]{3,}ing\b")
# "planned" as a verb ("missions planned included", "was planned"), not as an adjective ("planned visits").
# Time relative to another occurrence: "one day after", "a few weeks later", "two months earlier".
_RELATIVE_TIME = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|\d{1,2})\s+"
    r"(?:days?|weeks?|months?)\s+(?:after|before|later|earlier)\b",
    re.I,
)
_PLANNED_VERB = re.compile(r"\bplanned\b(?!\s+(?!to\b|for\b)[a-z]+(?<!ed)\b)")
_LABEL = re.compile(r"\s?:\s")  # "Global Times: ..." names who asks or answers, not who acted
_LEADING = re.compile(r"^[\s\"'“‘(\[•*-]*")


@dataclass(frozen=True)
class SentenceProfile:
    """One sentence of a unit (absolute offsets) and what it does."""

    start: int
    end: int
    lead: bool
    commentary: bool
    plan: bool
    statement: bool
    action: bool
    question: bool
    context: bool
    china: bool
    foreign_subject: bool
    additive: bool
    statement_at: int | None = None  # absolute offset of the first reporting verb ("said", "announced")
    cues: tuple[str, ...] = ()

    @property
    def plain(self) -> bool:
        """Not commentary, a question, background, or a foreign actor's own doing."""
        return not (self.commentary or self.question or self.context or self.foreign_subject)

    @property
    def reports(self) -> bool:
        """Whether the sentence reports an occurrence (rather than commenting, planning or asking)."""
        if self.question or self.commentary or self.context or self.foreign_subject or not self.action:
            return False
        return self.statement or not self.plan


@lru_cache(maxsize=1)
def _word_lists() -> PhraseMatcher[str]:
    lists = load_rules().sentences
    return PhraseMatcher((phrase, name) for name, phrases in lists.items() for phrase in phrases)


@lru_cache(maxsize=2)
def _document_words(text: str) -> tuple[list[Hit[str]], list[int]]:
    """Every word-list phrase of the document, found in one pass (sentences then look up their share)."""
    hits = _word_lists().find(text)
    return hits, [h.start for h in hits]


@lru_cache(maxsize=1)
def _not_actions() -> frozenset[str]:
    return frozenset(w.lower() for w in load_rules().sentences["not_actions"])


def profile_unit(unit: Unit, text: str) -> list[SentenceProfile]:
    """Profiles of the unit's sentences, in order; the first sentence is the lead."""
    spans = unit.segment.sentences or [(unit.segment.start, unit.segment.end)]
    item = unit.segment.kind == "item"
    profiles = [
        profile_sentence(unit, text, start, end, lead=i == 0, headline=item and i == 0)
        for i, (start, end) in enumerate(spans)
    ]
    return _counterparts_of_the_lead(unit, text, profiles)


def _counterparts_of_the_lead(unit: Unit, text: str, profiles: list[SentenceProfile]) -> list[SentenceProfile]:
    """Body sentences whose subject is a country the lead names beside China tell China's occurrence
    from the other side ("China delivers drones to Serbia. The Serbian Air Force received...")."""
    if not profiles or not profiles[0].china:
        return profiles
    lead = profiles[0]
    partners = {m.iso3 for m in unit.countries if lead.start <= m.start < lead.end and m.iso3 != "CHN"}
    if not partners:
        return profiles
    out = [lead]
    for p in profiles[1:]:
        subjects = {m.iso3 for m in unit.countries if p.start <= m.start < p.end and m.iso3 != "CHN"}
        out.append(replace(p, foreign_subject=False) if p.foreign_subject and subjects <= partners else p)
    return out


def profile_sentence(
    unit: Unit, text: str, start: int, end: int, *, lead: bool, headline: bool = False
) -> SentenceProfile:
    """What the sentence text[start:end] of `unit` does; `headline` admits headline verbs ("China delivers")."""
    sentence = text[start:end]
    body_offset = _LEADING.match(sentence)
    first = body_offset.end() if body_offset else 0
    found: dict[str, list[int]] = {}
    hits, starts = _document_words(text)
    for hit in hits_between(hits, starts, start, end):
        found.setdefault(hit.value, []).append(hit.start - start)
    openers = {
        name for name in ("analysis_openers", "context_openers", "sequence_openers") if first in found.get(name, [])
    }
    hedged = ("hedges" in found and "attributions" not in found) or "generic" in found
    first_action = _first_action(sentence, found, headline)
    china = _chinese_between(unit, start, end)
    return SentenceProfile(
        start=start,
        end=end,
        lead=lead,
        commentary=hedged or "analysis_openers" in openers,
        plan=_is_plan(sentence, found, first_action),
        statement="statements" in found,
        action=first_action is not None,
        question=sentence.rstrip().endswith("?"),
        context="context_openers" in openers,
        china=china,
        foreign_subject=_foreign_subject(unit, text, start, end, first_action, found),
        additive="additive" in found or "sequence_openers" in openers or bool(_RELATIVE_TIME.search(sentence)),
        statement_at=start + min(found["statements"]) if "statements" in found else None,
        cues=tuple(sorted(found)),
    )


def _after_determiner(sentence: str, pos: int) -> bool:
    """Whether the word before `pos` makes an -ed form an adjective ("its upgraded fleet", "China's disputed")."""
    before = sentence[max(0, pos - 20) : pos].split()
    if not before:
        return False
    word = before[-1].lower()
    return word in _DETERMINERS or word.endswith(("'s", "’s"))


def _is_plan(sentence: str, found: dict[str, list[int]], first_action: int | None) -> bool:
    """A plan or intention: a plan word ("will", "plans to") before any action verb of the sentence."""
    marks = list(found.get("plans", []))
    planned = _PLANNED_VERB.search(sentence)
    if planned:
        marks.append(planned.start())
    if not marks:
        return False
    return first_action is None or min(marks) < first_action


def _first_action(sentence: str, found: dict[str, list[int]], headline: bool) -> int | None:
    """Offset (in the sentence) of the first action verb, or None."""
    positions = list(found.get("irregular_past", [])) + list(found.get("statements", []))
    if headline:
        positions += found.get("headline_verbs", [])
    skip = _not_actions()
    positions += [
        m.start()
        for m in _ED_WORD.finditer(sentence)
        if m.group(0).lower() not in skip and not _after_determiner(sentence, m.start())
    ]
    positions += [m.start() for m in _PROGRESSIVE.finditer(sentence)]
    return min(positions) if positions else None


def _chinese_between(unit: Unit, start: int, end: int) -> bool:
    """Whether China or a Chinese actor is named in text[start:end] (a speaker label "Xinhua:" is not)."""
    text = unit.segment.text
    base = unit.segment.start

    def acts(m_start: int, m_end: int) -> bool:
        return start <= m_start < end and not _LABEL.match(text, m_end - base)

    return any(acts(m.start, m.end) and m.iso3 == "CHN" for m in unit.countries) or any(
        acts(m.start, m.end) for m in unit.actors
    )


def _foreign_subject(
    unit: Unit, text: str, start: int, end: int, first_action: int | None, found: dict[str, list[int]]
) -> bool:
    """Whether the sentence tells what a foreign country did or said, not what China did.

    A foreign country named before the first verb, with no Chinese actor before it, is the
    subject. The sentence is still China's when China acts later in it ("A Japanese destroyer
    collided with a Chinese fishing boat"), unless the verb is a foreign statement whose
    reported clause gives no date or number of its own ("The US ambassador said that China...",
    but not "Taiwan's ministry reported 19 PLA aircraft... on September 23").
    """
    if first_action is None:
        return False
    verb = start + first_action
    foreign_first = any(
        start <= m.start < verb and m.iso3 != "CHN" and not names_a_source(text, m.end) for m in unit.countries
    )
    if not foreign_first or _chinese_between(unit, start, verb):
        return False
    if not _chinese_between(unit, verb, end):
        return True
    if first_action not in found.get("statements", []) and first_action not in found.get("attributions", []):
        return False
    clause = verb + 20  # what follows the verb and its own date ("said yesterday that...")
    return not any(clause <= m.start < end for m in (*unit.dates, *unit.quantities))


def names_a_source(text: str, end: int) -> bool:
    """Whether the country form ending at `end` qualifies a source ("British newspaper", "a US cyber security firm")."""
    return bool(_source_noun().match(text, end))


@lru_cache(maxsize=1)
def _source_noun() -> re.Pattern[str]:
    nouns = sorted(load_rules().sentences["source_nouns"], key=len, reverse=True)
    return re.compile(r"\s+(?:[a-z-]+\s+)?(?:" + "|".join(re.escape(n) for n in nouns) + r")\b", re.I)
