"""Stage *classify*: score each unit against the codebook categories, or abstain.

Reads: ``doc.units`` with their segments, countries, actors and places (run those stages first).
Adds: ``unit.classification`` — the best category (None to abstain), its score, a confidence
in 0-1, every category's score, and the list of cues that fired, so that every decision can
be read and argued with.

How a unit is scored (weights in ``gazetteers/classify_rules.yaml``):

0. A unit that names neither China nor a Chinese actor, and sits under no tracker heading,
   abstains before anything is scored: a China tracker reports what China does.
1. Only sentences that *report* count (see ``sentences.py``): commentary ("suggests",
   "seems", "could be seen as"), background, plans and questions add nothing. A unit with
   no reporting sentence abstains: analysis is not an event.
2. Each codebook cue (and each extra cue of the rules file) found in a reporting sentence
   adds its weight: 1 for a one-word cue, plus 0.5 per further word, unless the rules give
   the cue its own weight ("policy" 0.3). Cues in the lead sentence (an item's headline or
   a paragraph's first sentence) count double. A cue counts at most twice per unit.
3. Distinctive words of a category's definition and includes add a little (0.25 each).
4. A heading that names a category ("Port calls and joint exercises") adds 3 to it.
5. Features add their weight: a coast guard ship near a disputed place points to force
   deployments, a Chinese arms firm with a foreign country to the arms trade, and so on.
6. Names say where or who, not what: a category is only chosen when a lowercase cue (a word
   for what was done), a feature naming an actor, or a tracker heading supports it; a
   category scored by names alone ("South China Sea", "NORINCO") is left out, except the
   institutions and treaties of the security architecture (``named_activities``).
   Units with nothing that could ground a category abstain before their sentences are read.
7. Below ``min_score`` the unit abstains. Confidence blends the absolute score
   (saturating at ``confident_score``) with the margin over the runner-up.
8. The codebook's scope notes (``excludes``) are applied as rules ("exclusions"): a unit
   coded counter-piracy that reports port calls goes to port calls; "exercises" with no
   foreign partner but Taiwan go to force deployments.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from sectracker.codebook import load_codebook
from sectracker.pipeline.actors import actor_kind
from sectracker.pipeline.phrases import Hit, PhraseMatcher, fold, hits_between
from sectracker.pipeline.places import is_disputed
from sectracker.pipeline.records import AnalysedDocument, Classification, Unit
from sectracker.pipeline.rules import Exclusion, Feature, Rules, load_rules
from sectracker.pipeline.sentences import SentenceProfile, profile_sentence, profile_unit

STAGE = "classify"
STAGE_VERSION = "1"

_WORD = re.compile(r"(?<![\w'’])[a-z][a-z-]{4,}")  # lowercase in the source: no names
_STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "their",
        "there",
        "these",
        "those",
        "which",
        "while",
        "where",
        "other",
        "others",
        "under",
        "being",
        "between",
        "including",
        "china",
        "chinese",
        "china's",
        "foreign",
        "their",
        "abroad",
        "through",
        "and",
        "the",
        "with",
        "from",
        "into",
        "onto",
        "that",
        "this",
    ]
)


@dataclass(frozen=True)
class Cue:
    """A cue phrase that points to a category, with its weight (None category: a blocker)."""

    phrase: str
    category: str | None
    weight: float
    source: str  # "codebook", "rules" or "definition"


@lru_cache(maxsize=1)
def _cue_matcher() -> PhraseMatcher[Cue]:
    rules = load_rules()
    entries: list[tuple[str, Cue]] = []
    for cat in load_codebook().categories:
        for source, cues in (("codebook", cat.cues), ("rules", rules.extra_cues.get(cat.key, ()))):
            for c in cues:
                cue = Cue(c, cat.key, _cue_weight(c, rules), source)
                entries += [(c, cue)] + [(p, cue) for p in _plural(c)]
    cued = {fold(p).lower() for p, _ in entries}
    for category, words in _definition_words().items():
        weight = rules.weights["definition_word"]
        entries += [(w, Cue(w, category, weight, "definition")) for w in words if w not in cued]
    entries += [(b, Cue(b, None, 0.0, "blocker")) for b in rules.cue_blockers]
    unique: dict[tuple[str, str | None], tuple[str, Cue]] = {}
    for phrase, cue in entries:  # one entry per phrase and category: a cue listed twice counts once
        key = (fold(phrase), cue.category)
        if key not in unique or unique[key][1].weight < cue.weight:
            unique[key] = (phrase, cue)
    return PhraseMatcher(unique.values())


@lru_cache(maxsize=2)
def _document_cues(text: str) -> tuple[list[Hit[Cue]], list[int]]:
    """Every cue of the document, found in one pass (units and sentences look up their share)."""
    hits = [h for h in _cue_matcher().find(text) if h.value.category is not None]
    return hits, [h.start for h in hits]


def _plural(cue: str) -> list[str]:
    """The plural of a lowercase cue ("rocket" -> "rockets"), so that both forms count."""
    last = cue.rsplit(" ", 1)[-1]
    if cue != cue.lower() or not last.isalpha() or last.endswith("s") or len(last) < 3:
        return []
    if last.endswith(("x", "ch", "sh")):
        return [cue + "es"]
    if last.endswith("y") and last[-2] not in "aeiou":
        return [cue[:-1] + "ies"]
    return [cue + "s"]


def _cue_weight(cue: str, rules: Rules) -> float:
    if cue in rules.cue_weights:
        return rules.cue_weights[cue]
    extra_words = len(cue.split()) - 1
    return rules.weights["cue"] + rules.weights["per_extra_word"] * extra_words


@lru_cache(maxsize=1)
def _definition_words() -> dict[str, set[str]]:
    """Words of each category's definition and includes that no other category uses."""
    words: dict[str, set[str]] = {}
    for cat in load_codebook().categories:
        text = " ".join([cat.definition, *cat.includes])
        words[cat.key] = {w for w in _WORD.findall(text) if w not in _STOPWORDS}
    counts = Counter(w for ws in words.values() for w in ws)
    return {k: {w for w in ws if counts[w] == 1} for k, ws in words.items()}


def cue_hits(sentence: str, *, activities_only: bool = False) -> list[tuple[str, str]]:
    """(phrase as written, category) of every cue found in a sentence.

    With `activities_only`, only lowercase cues count: words for what was done ("port calls",
    "rockets"), not names of who did it ("NDU", "NORINCO").
    """
    return [
        (h.phrase, h.value.category)
        for h in _cue_matcher().find(sentence)
        if h.value.category is not None and (not activities_only or h.value.phrase == h.value.phrase.lower())
    ]


def category_cue_hits(sentence: str, category: str, *, activities_only: bool = False) -> list[str]:
    """The cue phrases of one category found in a sentence, as written in the sentence."""
    return [phrase for phrase, key in cue_hits(sentence, activities_only=activities_only) if key == category]


def classify_unit(unit: Unit, text: str) -> Classification:
    """The classification of one unit of `text` (the whole document text)."""
    segment = unit.segment
    if segment.kind == "heading":
        return _abstain(["heading: not an event"])
    if segment.text.rstrip().endswith(":") and len(segment.sentences) <= 1:
        return _abstain(["list introduction: not an event"])
    if not involves_china(unit):
        return _abstain(["China not named: a China tracker reports what China does"])
    rules = load_rules()
    if not _may_score(unit, text, rules):
        return _abstain(["no cue in a reporting sentence, no feature, no tracker heading: nothing to score"])
    profiles = profile_unit(unit, text)
    if not any(p.reports for p in profiles):
        return _abstain(["no reporting sentence (commentary, plan, background or no action)"])
    headline = segment.lead_end is not None
    reporting = [p for p in profiles if p.reports or (p.lead and headline and p.plain)]
    scores: dict[str, float] = defaultdict(float)
    fired: list[str] = []
    grounded: set[str] = set()
    _score_cues(text, reporting, rules, scores, fired, grounded)
    _score_section(segment.section, rules, scores, fired, grounded)
    _score_features(unit, rules, scores, fired, grounded)
    decided = _decide(_only_grounded(scores, grounded, fired), fired, rules)
    return _apply_exclusions(decided, unit, text, reporting, rules)


def _only_grounded(scores: dict[str, float], grounded: set[str], fired: list[str]) -> dict[str, float]:
    """The scores of categories with a word for what was done, a telling actor or a tracker heading.

    A place or a name alone ("South China Sea", "NORINCO") says where or who, not what happened:
    a category scored only by names is left out.
    """
    names_only = sorted(k for k in scores if k not in grounded)
    if names_only:
        fired.append(f"names only, no activity: {', '.join(names_only)} left out")
    return {k: v for k, v in scores.items() if k in grounded}


def involves_china(unit: Unit) -> bool:
    """Whether China may act in the unit: China or a Chinese actor named, or a tracker heading implies it."""
    if any(m.iso3 == "CHN" for m in unit.countries) or unit.actors:
        return True
    return section_category(unit.segment.section) is not None


def score_sentences(text: str, sentences: list[SentenceProfile]) -> dict[str, float]:
    """Cue scores of some reporting sentences alone (no section, no features), for one occurrence."""
    scores: dict[str, float] = defaultdict(float)
    grounded: set[str] = set()
    _score_cues(text, [p for p in sentences if p.reports or p.lead], load_rules(), scores, [], grounded)
    return {k: v for k, v in scores.items() if k in grounded}


def _apply_exclusions(
    decided: Classification, unit: Unit, text: str, reporting: list[SentenceProfile], rules: Rules
) -> Classification:
    """Move the unit to another category when it shows what a codebook scope note excludes."""
    if decided.category is None:
        return decided
    target, note = apply_exclusions(decided.category, unit, text, reporting)
    if target == decided.category:
        return decided
    cues = [*decided.cues, note]
    return decided.model_copy(
        update={"category": target, "confidence": round(decided.confidence * 0.9, 3), "cues": cues}
    )


def apply_exclusions(category: str, unit: Unit, text: str, sentences: list[SentenceProfile]) -> tuple[str, str]:
    """The category after the codebook's scope notes, and a note saying which one applied (if any)."""
    for x in load_rules().exclusions:
        if category == x.source and _shows(x, unit, text, sentences):
            return x.target, f"exclusion: {x.source} excludes {x.why} -> {x.target}"
    return category, ""


def _shows(x: Exclusion, unit: Unit, text: str, reporting: list[SentenceProfile]) -> bool:
    chosen = {id(p) for s in reporting for p in unit.inside("places", s.start, s.end)}
    inside = [p for p in unit.places if id(p) in chosen]
    if x.no_place_kinds and any(p.kind in x.no_place_kinds for p in inside):
        return False
    if x.no_disputed_place and any(is_disputed(p.name) for p in inside):
        return False
    partners = {m.iso3 for p in reporting for m in unit.inside("countries", p.start, p.end) if m.iso3 != "CHN"}
    partners |= {pl.iso3 for pl in inside if pl.iso3 and pl.iso3 != "CHN" and pl.kind in ("port", "base", "city")}
    partners -= x.ignore_partners
    if x.needs_partner and not partners:
        return False
    if x.no_partner_except is not None and not partners <= x.no_partner_except:
        return False
    if x.cues:
        matcher = _exclusion_matcher(x.cues)
        return any(matcher.find(text[p.start : p.end]) for p in reporting)
    return True


@lru_cache(maxsize=64)
def _exclusion_matcher(cues: tuple[str, ...]) -> PhraseMatcher[str]:
    return PhraseMatcher((c, c) for c in cues)


def _score_cues(
    text: str,
    reporting: list[SentenceProfile],
    rules: Rules,
    scores: dict[str, float],
    fired: list[str],
    grounded: set[str],
) -> None:
    seen: Counter[str] = Counter()
    cap = int(rules.weights["repeat_cap"])
    hits, starts = _document_cues(text)
    for p in reporting:
        for hit in hits_between(hits, starts, p.start, p.end):
            cue = hit.value
            if cue.category is None or seen[cue.phrase + cue.category] >= cap:
                continue
            seen[cue.phrase + cue.category] += 1
            weight = cue.weight * (rules.weights["lead"] if p.lead else 1.0)
            scores[cue.category] += weight
            if _grounds(cue, rules):
                grounded.add(cue.category)  # a word for what was done, not a name
            where = "lead" if p.lead else "body"
            fired.append(f"{where} {cue.source} cue '{hit.phrase}' -> {cue.category} +{weight:g}")


def _score_section(
    section: str | None, rules: Rules, scores: dict[str, float], fired: list[str], grounded: set[str]
) -> None:
    """A heading that names a category's label counts for that category."""
    key = section_category(section)
    if key is not None and section is not None:
        scores[key] += rules.weights["section"]
        grounded.add(key)
        fired.append(f"section '{section.strip()}' -> {key} +{rules.weights['section']:g}")


@lru_cache(maxsize=256)
def section_category(section: str | None) -> str | None:
    """The category whose label the heading names ("Port calls and joint exercises"), if any."""
    if not section:
        return None
    for cat in load_codebook().categories:
        if fuzz.ratio(section.strip().lower(), cat.label.lower()) >= 90:
            return cat.key
    return None


def _may_score(unit: Unit, text: str, rules: Rules) -> bool:
    """Whether the unit can be coded at all, read cheaply: a grounding cue in a reporting sentence, a
    grounding feature or a tracker heading (see ``_only_grounded``).

    Only the sentences holding a grounding cue are read here (most sentences hold none), so that
    units which could only abstain do so without reading every sentence.
    """
    if section_category(unit.segment.section) is not None or _any_grounding_feature(unit, rules):
        return True
    hits, starts = _document_cues(text)
    spans = unit.segment.sentences or [(unit.segment.start, unit.segment.end)]
    item = unit.segment.kind == "item"
    for i, (start, end) in enumerate(spans):
        if any(_grounds(h.value, rules) for h in hits_between(hits, starts, start, end)):
            p = profile_sentence(unit, text, start, end, lead=i == 0, headline=item and i == 0)
            if p.reports or (p.lead and unit.segment.lead_end is not None and p.plain):
                return True
    return False


def _grounds(cue: Cue, rules: Rules) -> bool:
    """Whether a cue names what was done (a lowercase cue, or an institution of the architecture)."""
    if cue.category is None or cue.source == "definition":
        return False
    return cue.phrase == cue.phrase.lower() or cue.category in rules.named_activities


def _grounding(feature: Feature) -> bool:
    """Whether a feature names who or what (an actor or words), not only where."""
    return bool(feature.actors or feature.actor_kinds or feature.words)


def _any_grounding_feature(unit: Unit, rules: Rules) -> bool:
    facts = _UnitFacts.of(unit)
    return any(_grounding(f) and facts.satisfy(f, unit) for f in rules.features)


def _score_features(unit: Unit, rules: Rules, scores: dict[str, float], fired: list[str], grounded: set[str]) -> None:
    facts = _UnitFacts.of(unit)
    for feature in rules.features:
        if facts.satisfy(feature, unit):
            scores[feature.category] += feature.weight
            if _grounding(feature):
                grounded.add(feature.category)  # a telling actor or word, not a place alone
            fired.append(f"feature {feature.why} -> {feature.category} +{feature.weight:g}")


@dataclass(frozen=True)
class _UnitFacts:
    """What the features look at in a unit, gathered once."""

    actors: frozenset[str]
    kinds: frozenset[str | None]
    place_kinds: frozenset[str]
    disputed: bool
    foreign: bool

    @staticmethod
    def of(unit: Unit) -> _UnitFacts:
        actors = frozenset(m.actor for m in unit.actors)
        return _UnitFacts(
            actors=actors,
            kinds=frozenset(actor_kind(a) for a in actors),
            place_kinds=frozenset(p.kind for p in unit.places),
            disputed=any(is_disputed(p.name) for p in unit.places),
            foreign=any(m.iso3 != "CHN" for m in unit.countries),
        )

    def satisfy(self, f: Feature, unit: Unit) -> bool:
        """Whether every condition of the feature holds (the costly word search last)."""
        if (f.actors and not self.actors & f.actors) or (f.actor_kinds and not self.kinds & f.actor_kinds):
            return False
        if (f.place_kinds and not self.place_kinds & f.place_kinds) or (f.place_disputed and not self.disputed):
            return False
        if (f.foreign_country and not self.foreign) or (f.no_foreign_country and self.foreign):
            return False
        return not f.words or bool(_exclusion_matcher(f.words).find(unit.segment.text))


def _decide(scores: dict[str, float], fired: list[str], rules: Rules) -> Classification:
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    rounded = {k: round(v, 3) for k, v in ranked}
    if not ranked or ranked[0][1] < rules.weights["min_score"]:
        best = ranked[0][1] if ranked else 0.0
        return Classification(
            category=None, score=round(best, 3), confidence=0.0, cues=[*fired, "below min_score: abstain"],
            scores=rounded, stage_version=STAGE_VERSION,
        )  # fmt: skip
    top, top_score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    absolute = min(1.0, top_score / rules.weights["confident_score"])
    margin = (top_score - second) / top_score
    confidence = round(0.5 * absolute + 0.5 * margin, 3)
    return Classification(
        category=top, score=round(top_score, 3), confidence=confidence, cues=fired, scores=rounded,
        stage_version=STAGE_VERSION,
    )  # fmt: skip


def _abstain(why: list[str]) -> Classification:
    return Classification(category=None, score=0.0, confidence=0.0, cues=why, stage_version=STAGE_VERSION)


def add_classifications(doc: AnalysedDocument) -> AnalysedDocument:
    """Set ``unit.classification`` on every unit."""
    text = doc.document.text
    units = [u.model_copy(update={"classification": classify_unit(u, text)}) for u in doc.units]
    return doc.model_copy(update={"units": units, "stages_run": [*doc.stages_run, f"{STAGE}@{STAGE_VERSION}"]})
