"""ISO 3166-1 codes: which alpha-3 codes exist, and names for them."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Codes in common use that ISO 3166-1 has not assigned (user-assigned range).
EXTRA_CODES = {"XKX": "Kosovo"}


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(EXTRA_CODES)
    names["TWN"] = "Taiwan"
    return names


def is_iso3(code: str) -> bool:
    """True when `code` is an ISO 3166-1 alpha-3 code (or Kosovo's XKX)."""
    return code in _names()


def country_name(code: str) -> str:
    """A short English name for an alpha-3 code (the code itself if unknown)."""
    return _names().get(code, code)


def all_iso3() -> list[str]:
    return sorted(_names())
