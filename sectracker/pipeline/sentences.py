"""What each sentence of a unit does: report an occurrence, comment on one, or announce a plan.

Not a stage of its own: the classify and assemble stages both read units sentence by
sentence, and this module holds that reading so that both agree. A sentence *reports*
when it has an action verb and is neither commentary (a hedge such as "suggests" or
"seems" with nobody to attribute it to, or an analysis opener such as "Against the
background"), nor background ("Since 2017..."), nor a plan ("will", "plans to") unless a
reporting verb makes the statement itself the occurrence ("said it would respond"), nor
a question, nor a sentence whose subject is a foreign country with no Chinese actor in it
("The US has also stepped up its presence"): a China tracker reports what China does.

Saying is not doing. A sentence whose only verbs are verbs of saying ("said", "stressed",
"urged") reports an occurrence only when what it reports carries a date or a number of its
own ("reported 19 PLA aircraft ... on September 23"); a stated position ("China firmly
opposes...", "said it would respond") is not an occurrence, nor is a negated action ("did
not involve", "There has been no announcement"), nor a state in the present passive ("is
located", "are claimed"). China *acts* in a sentence when it, or a Chinese actor, is the
subject (named before the first deed), the agent or partner of one ("by", "with", "from"),
a named Chinese force or agency, or "Chinese" followed by a force ("Chinese vessels"); China
named only as a topic or target ("concern about Chinese activity", "criticised China") does
not act. The word lists live in ``gazetteers/classify_rules.yaml`` (``sentences``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from sectracker.pipeline.phrases import Hit, PhraseMatcher, hits_between
from sectracker.pipeline.records import CountryMention, Unit
from sectracker.pipeline.rules import load_rules

_ED_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}ed\b")
# A word before an -ed form that makes it an adjective ("its upgraded landing craft", "the disputed reef").
_DETERMINERS = frozenset(
    ("the", "a", "an", "its", "their", "his", "her", "our", "this", "these", "those", "newly", "recently", "fully")
    + ("most", "more")
)
# Progressive and perfect forms: "was carrying out", "have been taking place".
_NOT_GERUNDS = frozenset(
    ("during", "thing", "something", "anything", "nothing", "everything", "morning", "evening", "building")
    + ("meeting", "spring", "string", "bring", "king", "wing", "ring", "sing", "swing", "ceiling", "clothing")
    + ("ending", "setting", "wedding")
)
_PREPOSITIONS = frozenset(("of", "for", "with", "in", "on", "to", "from", "into", "about", "over", "amid", "despite"))
_PROGRESSIVE = re.compile(
    r"\b(?:is|are|was|were|has been|have been|had been)\s+"
    r"(?!(?:looking|seeking|hoping|planning|aiming|preparing|trying|expecting|going|considering|mulling)\b)[a-z]{3,}ing\b"
)  # intentions in the progressive ("is looking to") are plans, not deeds
# "planned" as a verb ("missions planned included", "was planned"), not as an adjective ("planned visits").
# Time relative to another occurrence: "one day after", "a few weeks later", "two months earlier".
_RELATIVE_TIME = re.compile(
    r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|\d{1,2})\s+"
    r"(?:days?|weeks?|months?)\s+(?:after|before|later|earlier)\b",
    re.I,
)
_PLANNED_VERB = re.compile(r"\bplanned\b(?!\s+(?!to\b|for\b)[a-z]+(?<!ed)\b)")
_LABEL = re.compile(r"\s?:\s")  # "Global Times: ..." names who asks or answers, not who acted
_WORD_AT = re.compile(r"[A-Za-z][a-z'-]*")
# Lists read word by word at a known place, not searched for in the whole text.
_LOOKED_UP_ELSEWHERE = frozenset(
    {"speech", "china_topics", "china_partners", "china_destinations", "force_nouns", "event_nouns", "measures"}
)
# "to" before a verb makes it an infinitive ("decision to quit"), not something done.
_INFINITIVE = re.compile(r"\bto\s+$", re.I)
# A participle with its agent and no auxiliary is a reduced relative clause ("an agreement endorsed by").
_AGENT_AFTER = re.compile(r"\s+by\b")
_ADVERB = r"(?:[a-z]+ly|not|never|also|already|still|just|then|later|first|since|once)"
_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|be|been|being|get|gets|got|has|have|had)\s+(?:" + _ADVERB + r"\s+)*$", re.I
)
# A past passive makes a verb of a word that is mostly an adjective ("port calls were limited to...").
_PAST_PASSIVE = re.compile(r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:" + _ADVERB + r"\s+)*$", re.I)
_STATIVE = frozenset(
    ("expected", "planned", "scheduled", "proposed", "supposed", "designed", "concerned", "interested", "required")
    + ("needed", "related", "based", "called", "dated", "aged", "alleged", "united")
)
# "China has been given", "Beijing was urged": China is the patient of a passive, not the agent.
_PASSIVE_AFTER = re.compile(
    r"\s+(?:has\s+been|have\s+been|had\s+been|was|were|is|are|being)\s+(?:[a-z]+ly\s+)?[a-z]+(?:ed|en|wn)\b"
)
_SUBJECT_REACH = 24  # a deed this close after China's name has China as its subject ("Beijing has set up")
# A negation right before the first deed ("did not involve", "has never sent"), or a sentence denying one.
_NEGATED = re.compile(r"\b(?:not|never|no longer|neither|nor|n't)\s+(?:[a-z]+\s+){0,2}$", re.I)
_MEASURE_AFTER = re.compile(r"(?:'s|’s)?(?:[ \t]+[A-Za-z-]+){1,3}")  # the three words after a country's name
_HOST = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
_SUBORDINATE = re.compile(r"\b(?:which|who|whom|that|where|when|although|though|while|but|because|as)\b", re.I)
_NONE_OPENER = re.compile(r"^(?:There\s+(?:has|have|had)\s+been\s+no|There\s+(?:is|are|was|were)\s+no|No)\b")
# A present passive or state ("is located", "are claimed", "remains deployed"): a state, not an occurrence.
_PRESENT_PASSIVE = re.compile(r"\b(?:is|are|am|remains|remain|seems|seem)\s+(?:[a-z]+ly\s+)?$")
_DETERMINER_OR_NUMBER = re.compile(r"(?:\b(?:a|an|the|its|their|two|three|four|five|six|\d[\d,]*)\s+)*$", re.I)
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
    deed: bool = True  # an action verb other than a verb of saying ("sent", "clashed"; not "said")
    speech_content: bool = False  # a verb of saying whose reported clause has a date or number of its own
    position: bool = False  # words of a stated position ("firmly opposes", "stands ready") before any deed
    negated: bool = False  # the first deed is negated ("did not involve") or denied ("There has been no")
    speech_at: int | None = None  # absolute offset of the first verb of saying ("said", "told"), if any

    @property
    def plain(self) -> bool:
        """Not commentary, a question, background, or a foreign actor's own doing."""
        return not (self.commentary or self.question or self.context or self.foreign_subject or self.negated)

    @property
    def reports(self) -> bool:
        """Whether the sentence reports an occurrence (not commentary, a plan, a question or a stated position)."""
        if self.question or self.commentary or self.context or self.foreign_subject or self.negated:
            return False
        if not self.action or self.plan or self.position:
            return False
        return self.deed or self.speech_content


@lru_cache(maxsize=1)
def _word_lists() -> PhraseMatcher[str]:
    lists = load_rules().sentences
    return PhraseMatcher(
        (phrase, name) for name, phrases in lists.items() if name not in _LOOKED_UP_ELSEWHERE for phrase in phrases
    )


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


class _ProfileCache:
    """Sentence profiles of the document being read: classify and assemble read the same sentences.

    A profile depends on the text and on the mentions the earlier stages found in it, which are
    the same for the same text; the cache holds one document at a time.
    """

    def __init__(self) -> None:
        self.text: str | None = None
        self.profiles: dict[tuple[int, int, bool, bool], SentenceProfile] = {}

    def get(self, text: str, key: tuple[int, int, bool, bool]) -> SentenceProfile | None:
        if self.text is not text:
            self.text, self.profiles = text, {}
        return self.profiles.get(key)


_CACHE = _ProfileCache()


def _counterparts_of_the_lead(unit: Unit, text: str, profiles: list[SentenceProfile]) -> list[SentenceProfile]:
    """Body sentences whose subject is a country the lead names beside China tell China's occurrence
    from the other side ("China delivers drones to Serbia. The Serbian Air Force received...")."""
    if not profiles or not profiles[0].china:
        return profiles
    lead = profiles[0]
    partners = {m.iso3 for m in unit.inside("countries", lead.start, lead.end) if m.iso3 != "CHN"}
    if not partners:
        return profiles
    out = [lead]
    for p in profiles[1:]:
        subjects = {m.iso3 for m in unit.inside("countries", p.start, p.end) if m.iso3 != "CHN"}
        out.append(replace(p, foreign_subject=False) if p.foreign_subject and subjects <= partners else p)
    return out


def profile_sentence(
    unit: Unit, text: str, start: int, end: int, *, lead: bool, headline: bool = False
) -> SentenceProfile:
    """What the sentence text[start:end] of `unit` does; `headline` admits headline verbs ("China delivers")."""
    key = (start, end, lead, headline)
    cached = _CACHE.get(text, key)
    if cached is None:
        cached = _CACHE.profiles[key] = _profile_sentence(unit, text, start, end, lead=lead, headline=headline)
    return cached


def _profile_sentence(unit: Unit, text: str, start: int, end: int, *, lead: bool, headline: bool) -> SentenceProfile:
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
    actions = _actions(sentence, found, headline)
    first_action = actions[0] if actions else None
    deeds = [a for a in actions if not _is_speech(sentence, a)]
    first_deed = deeds[0] if deeds else None
    return SentenceProfile(
        start=start,
        end=end,
        lead=lead,
        commentary=hedged or "analysis_openers" in openers,
        plan=_is_plan(sentence, found, first_deed),
        statement="statements" in found,
        action=first_action is not None,
        question=sentence.rstrip().endswith("?"),
        context="context_openers" in openers,
        china=_china_acts(unit, text, start, end, [start + d for d in deeds]),
        foreign_subject=_foreign_subject(unit, text, start, end, first_action, found),
        additive="additive" in found or "sequence_openers" in openers or bool(_RELATIVE_TIME.search(sentence)),
        statement_at=start + min(found["statements"]) if "statements" in found else None,
        cues=tuple(sorted(found)),
        deed=first_deed is not None,
        speech_content=first_deed is None
        and first_action is not None
        and _has_content(unit, text, start + first_action, end),
        position="positions" in found and (first_deed is None or min(found["positions"]) < first_deed),
        negated=_is_negated(sentence, first, first_deed),
        speech_at=next((start + a for a in actions if _is_speech(sentence, a)), None),
    )


def _after_determiner(sentence: str, pos: int) -> bool:
    """Whether the word before `pos` makes an -ed form an adjective ("its upgraded fleet", "China's disputed")."""
    before = sentence[max(0, pos - 20) : pos].split()
    if not before:
        return False
    word = before[-1].lower()
    if word in _PREPOSITIONS or (before[-1].islower() and word.endswith("ing") and word not in _NOT_GERUNDS):
        return True  # "of continued", "providing continued assistance"
    return word in _DETERMINERS or word.endswith(("'s", "’s"))


def _is_plan(sentence: str, found: dict[str, list[int]], first_deed: int | None) -> bool:
    """A plan or intention: a plan word ("will", "plans to") before any deed of the sentence.

    A verb of saying does not make a plan an occurrence ("said it would respond"); a deed
    before the plan word does ("announced it would join").
    """
    marks = list(found.get("plans", []))
    planned = _PLANNED_VERB.search(sentence)
    if planned:
        marks.append(planned.start())
    if not marks:
        return False
    return first_deed is None or min(marks) < first_deed


def _actions(sentence: str, found: dict[str, list[int]], headline: bool) -> list[int]:
    """Offsets (in the sentence) of the action verbs, in order."""
    positions = list(found.get("irregular_past", [])) + list(found.get("statements", []))
    if headline:
        positions += found.get("headline_verbs", [])
    skip = _not_actions()
    positions += [
        m.start()
        for m in _ED_WORD.finditer(sentence)
        if (m.group(0).lower() not in skip or _passive_verb(sentence, m.start(), m.group(0).lower()))
        and not _after_determiner(sentence, m.start())
        and not _PRESENT_PASSIVE.search(sentence, max(0, m.start() - 24), m.start())
        and not _reduced_relative(sentence, m.start(), m.end())
    ]
    positions += [m.start() for m in _PROGRESSIVE.finditer(sentence)]
    return sorted(p for p in set(positions) if not _INFINITIVE.search(sentence, max(0, p - 4), p))


def _passive_verb(sentence: str, start: int, word: str) -> bool:
    """Whether a mostly adjectival -ed form is a past passive verb here ("were limited to")."""
    return word not in _STATIVE and bool(_PAST_PASSIVE.search(sentence, max(0, start - 30), start))


def _reduced_relative(sentence: str, start: int, end: int) -> bool:
    """Whether an -ed form is a participle after a noun ("an agreement endorsed by the UN"), not a verb."""
    return bool(_AGENT_AFTER.match(sentence, end)) and not _AUXILIARY.search(sentence, max(0, start - 30), start)


def _is_speech(sentence: str, pos: int) -> bool:
    """Whether the verb at `pos` is a verb of saying ("said", "stressed"), which reports but does nothing."""
    return _word_in(sentence, pos, "speech")


def _word_in(text: str, pos: int, word_list: str) -> bool:
    """Whether the word at `pos` is in one of the sentence rules' word lists ("speech", "measures")."""
    word = _WORD_AT.match(text, pos)
    return word is not None and word.group(0).lower() in _rule_words(word_list)


@lru_cache(maxsize=8)
def _rule_words(word_list: str) -> frozenset[str]:
    return frozenset(w.lower() for w in load_rules().sentences[word_list])


def _has_content(unit: Unit, text: str, verb: int, end: int) -> bool:
    """Whether the clause after a verb of saying reports China acting, with a date or number of its own.

    "Taiwan's defence ministry reported 19 PLA aircraft ... on September 23" reports an occurrence;
    "China noted the joint exercise of the US and the ROK starting yesterday" does not.
    """
    clause = verb + 20  # past the verb and its own date ("said yesterday that...")
    if not any(clause <= m.start < end for m in (*unit.dates, *unit.quantities)):
        return False
    return _china_acts(unit, text, verb + 1, end, [], forces_only=True)


def _is_negated(sentence: str, first: int, first_deed: int | None) -> bool:
    """Whether the sentence denies an occurrence ("There has been no...") or negates its first deed."""
    if _NONE_OPENER.match(sentence, first):
        return True
    if first_deed is None or not _NEGATED.search(sentence, max(0, first_deed - 40), first_deed):
        return False
    return not _SUBORDINATE.search(sentence, first, first_deed)  # "..., which were not interrupted" is a side remark


def _chinese_between(unit: Unit, start: int, end: int) -> bool:
    """Whether China or a Chinese actor is named in text[start:end] (a speaker label "Xinhua:" is not)."""
    text = unit.segment.text
    base = unit.segment.start

    def acts(m_end: int) -> bool:
        return not _LABEL.match(text, m_end - base)

    return any(m.iso3 == "CHN" and acts(m.end) for m in unit.inside("countries", start, end)) or any(
        acts(m.end) for m in unit.inside("actors", start, end)
    )


def _china_acts(unit: Unit, text: str, start: int, end: int, deeds: list[int], *, forces_only: bool = False) -> bool:
    """Whether China or a Chinese actor acts in text[start:end], whose deeds start at `deeds` (see the docstring).

    A Chinese capital as the venue counts ("met ... in Beijing"): China is the host. With
    `forces_only`, only a named Chinese actor or force counts ("19 PLA aircraft", "Chinese vessels").
    """
    base = unit.segment.start
    chinese = [c for c in unit.inside("countries", start, end) if c.iso3 == "CHN"]
    for m, actor in [*((c, False) for c in chinese), *((a, True) for a in unit.inside("actors", start, end))]:
        if _LABEL.match(unit.segment.text, m.end - base):
            continue
        before = text[max(start, m.start - 40) : m.start]
        if _topic_word().search(before):
            continue  # "concern about Chinese activity", "criticised China"
        force = bool(_force_noun().match(text, m.end))
        if forces_only:
            if actor or force:
                return True
            continue
        if not (actor or force) and (_destination_word().search(before) or _PASSIVE_AFTER.match(text, m.end)):
            continue  # "Sullivan's visit to China", "China has been given a deadline"
        if isinstance(m, CountryMention) and m.form == "capital" and _HOST.search(before):
            return True  # China hosts it ("met ... in Beijing")
        if actor or force or not deeds or m.start < deeds[0] or _partner_word().search(before):
            return True
        if any(0 <= d - m.end <= _SUBJECT_REACH for d in deeds):
            return True  # the subject of a later clause ("one day after Beijing set up...")
    return False


@lru_cache(maxsize=1)
def _topic_word() -> re.Pattern[str]:
    words = load_rules().sentences["china_topics"]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternatives + r")\s+" + _DETERMINER_OR_NUMBER.pattern, re.I)


@lru_cache(maxsize=1)
def _destination_word() -> re.Pattern[str]:
    words = load_rules().sentences["china_destinations"]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternatives + r")\s+" + _DETERMINER_OR_NUMBER.pattern, re.I)


@lru_cache(maxsize=1)
def _partner_word() -> re.Pattern[str]:
    words = load_rules().sentences["china_partners"]
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"\b(?:" + alternatives + r")\s+" + _DETERMINER_OR_NUMBER.pattern, re.I)


@lru_cache(maxsize=1)
def _force_noun() -> re.Pattern[str]:
    nouns = sorted(load_rules().sentences["force_nouns"], key=len, reverse=True)
    alternatives = "|".join(re.escape(n) for n in nouns)
    return re.compile(r"(?:'s|’s)?(?:\s+(?:and\s+)?[\w-]+){0,2}?\s+(?:" + alternatives + r")(?:s|es)?\b", re.I)


def _foreign_subject(
    unit: Unit, text: str, start: int, end: int, first_action: int | None, found: dict[str, list[int]]
) -> bool:
    """Whether the sentence tells what a foreign country did or said, not what China did.

    A foreign country named before the first verb, with no Chinese actor before it, is the
    subject. The sentence is still China's when China acts later in it ("A Japanese destroyer
    collided with a Chinese fishing boat"), unless the verb is a foreign statement whose
    reported clause gives no date or number of its own ("The US ambassador said that China...",
    but not "Taiwan's ministry reported 19 PLA aircraft... on September 23"), or a measure taken
    against China ("The US sanctioned two Chinese firms", "Senators introduced a bill").
    """
    if first_action is None:
        return False
    if _foreign_measure(unit, text, start, end):
        return True
    verb = start + first_action
    foreign_first = any(
        m.iso3 != "CHN" and not names_a_source(text, m.end) for m in unit.inside("countries", start, verb)
    )
    if not foreign_first or _chinese_between(unit, start, verb):
        return False
    if not _chinese_between(unit, verb, end) or _is_measure(text, verb):
        return True  # nothing Chinese after the verb, or a measure against China ("The US sanctioned...")
    if first_action not in found.get("statements", []) and first_action not in found.get("attributions", []):
        return False
    clause = verb + 20  # what follows the verb and its own date ("said yesterday that...")
    return not (unit.inside("dates", clause, end) or unit.inside("quantities", clause, end))


def _foreign_measure(unit: Unit, text: str, start: int, end: int) -> bool:
    """Whether a foreign country right before a measure verb takes it ("a report said the US expelled...")."""
    for m in unit.inside("countries", start, end):
        if m.iso3 == "CHN" or _chinese_between(unit, start, m.start):
            continue  # China acting first makes the sentence China's ("Chinese ships entered...; Jakarta summoned...")
        after = _MEASURE_AFTER.match(text, m.end)
        if after and any(w.lower() in _rule_words("measures") for w in after.group(0).split()):
            return True
    return False


def _is_measure(text: str, pos: int) -> bool:
    return _word_in(text, pos, "measures")


def names_a_source(text: str, end: int) -> bool:
    """Whether the country form ending at `end` qualifies a source ("British newspaper", "a US cyber security firm")."""
    return bool(_source_noun().match(text, end))


@lru_cache(maxsize=1)
def _source_noun() -> re.Pattern[str]:
    nouns = sorted(load_rules().sentences["source_nouns"], key=len, reverse=True)
    return re.compile(r"\s+(?:[a-z-]+\s+)?(?:" + "|".join(re.escape(n) for n in nouns) + r")\b", re.I)
