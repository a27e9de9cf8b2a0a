"""Synthetic but plausible events for benchmarks (deterministic for a seed)."""

from __future__ import annotations

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


def events(n: int, seed: int = 7, start_year: int = 2000, prefix: str = "syn") -> Iterator[Event]:
    """n events spread over categories, countries and 25 years."""
    rng = random.Random(seed)
    keys = load_codebook().keys
    countries = [c for c in all_iso3() if c != "CHN"]
    first = date(start_year, 1, 1)
    for i in range(n):
        day = first + timedelta(days=rng.randrange(25 * 365))
        words = rng.sample(WORDS, 6)
        yield Event(
            id=f"{prefix}-{i:07d}",
            headline=" ".join(words[:4]).capitalize() + f" {i}",
            summary=" ".join(rng.choices(WORDS, k=25)) + ".",
            category=rng.choice(keys),
            date_start=day,
            date_end=day + timedelta(days=rng.choice((0, 0, 0, 2, 30))),
            date_precision=rng.choice((Precision.day, Precision.day, Precision.month)),
            actors=[rng.choice(ACTORS)],
            countries=rng.sample(countries, rng.choice((1, 1, 1, 2, 3))),
            locations=[Location(name="Somewhere", lat=rng.uniform(-60, 60), lon=rng.uniform(-170, 170))]
            if rng.random() < 0.3
            else [],
            quantities=[Quantity(value=rng.randrange(1, 5000), unit="count", item=words[4])]
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
