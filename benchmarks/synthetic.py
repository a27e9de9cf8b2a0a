"""Synthetic but plausible events for benchmarks (deterministic for a seed).

Text follows a Zipf law, as words in news text do: summaries draw from a vocabulary of
VOCABULARY_SIZE words (WORDS, the security terms that benchmark queries search for, at
ranks spread from 20 to 3,000, and made-up filler words at the other ranks) with the
probability of the word at rank r proportional to 1 / (r + 2.7). Headlines and source
titles draw from the same law. A query word then occurs in between about 0.1% and 15% of
events, as topical words in a news archive do.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Iterator
from datetime import date, timedelta

from sectracker.codebook import load_codebook
from sectracker.countries.codes import all_iso3
from sectracker.models import Event, Location, Precision, Quantity, Source, Status

WORDS = [
    "navy",
    "patrol",
    "exercise",
    "donation",
    "masks",
    "border",
    "talks",
    "minister",
    "visit",
    "port",
    "call",
    "escort",
    "drill",
    "satellite",
    "launch",
    "treaty",
    "veto",
    "peacekeepers",
    "medical",
    "team",
    "tanks",
    "missiles",
    "frigate",
    "destroyer",
    "coast",
    "guard",
    "survey",
    "ship",
    "reef",
    "base",
    "pier",
    "extradition",
    "police",
    "training",
    "cadets",
    "cyber",
    "hacking",
    "budget",
    "submarine",
    "carrier",
]
ACTORS = ["pla", "plan", "norinco"]
VOCABULARY_SIZE = 20_000
SUMMARY_WORDS = 25


def _filler_words(n: int) -> list[str]:
    """n distinct made-up words of two to four syllables (deterministic)."""
    rng = random.Random(20)
    onsets, vowels, codas = "bdfgklmnprstvz", "aeiou", ["", "", "n", "r", "s", "l"]
    seen: set[str] = set(WORDS)
    out: list[str] = []
    while len(out) < n:
        word = "".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def _vocabulary() -> tuple[list[str], list[float]]:
    """The words by rank and their cumulative Zipf weights."""
    # The query words sit at ranks spread evenly on a log scale between 20 and 3,000.
    ranks = {round(20 * math.exp(i * math.log(3000 / 20) / (len(WORDS) - 1))) for i in range(len(WORDS))}
    while len(ranks) < len(WORDS):  # rounding may merge two ranks
        ranks.add(max(ranks) + 1)
    filler = iter(_filler_words(VOCABULARY_SIZE - len(WORDS)))
    query = iter(WORDS)
    vocab = [next(query) if r in ranks else next(filler) for r in range(VOCABULARY_SIZE)]
    return vocab, list(itertools.accumulate(1 / (r + 2.7) for r in range(1, VOCABULARY_SIZE + 1)))


VOCABULARY, _CUMULATIVE = _vocabulary()


def zipf_words(rng: random.Random, k: int) -> list[str]:
    """k words drawn from the Zipf vocabulary."""
    total = _CUMULATIVE[-1]
    return [VOCABULARY[bisect.bisect_left(_CUMULATIVE, rng.random() * total)] for _ in range(k)]


def events(n: int, seed: int = 7, start_year: int = 2000, prefix: str = "syn") -> Iterator[Event]:
    """n events spread over categories, countries and 25 years."""
    rng = random.Random(seed)
    keys = load_codebook().keys
    countries = [c for c in all_iso3() if c != "CHN"]
    first = date(start_year, 1, 1)
    for i in range(n):
        day = first + timedelta(days=rng.randrange(25 * 365))
        words = zipf_words(rng, 6)
        yield Event(
            id=f"{prefix}-{i:07d}",
            headline=" ".join(words[:4]).capitalize() + f" {i}",
            summary=" ".join(zipf_words(rng, SUMMARY_WORDS)) + ".",
            category=rng.choice(keys),
            date_start=day,
            date_end=day + timedelta(days=rng.choice((0, 0, 0, 2, 30))),
            date_precision=rng.choice((Precision.day, Precision.day, Precision.month)),
            actors=[rng.choice(ACTORS)],
            countries=rng.sample(countries, rng.choice((1, 1, 1, 2, 3))),
            locations=[Location(name="Somewhere", lat=rng.uniform(-60, 60), lon=rng.uniform(-170, 170))]
            if rng.random() < 0.3
            else [],
            quantities=[Quantity(value=rng.randrange(1, 5000), unit="count", item=rng.choice(WORDS))]
            if rng.random() < 0.2
            else [],
            tags=rng.sample(("covid-19", "taiwan", "south-china-sea", "bri", "africa"), rng.choice((0, 1, 2))),
            significance=rng.randint(1, 5),
            highlight=rng.random() < 0.01,
            status=rng.choice((Status.verified, Status.verified, Status.candidate)),
            sources=[
                Source(title=f"Report {words[5]} {i % 997}", publisher=rng.choice(("MERICS", "Xinhua", "Reuters")))
            ],
        )
