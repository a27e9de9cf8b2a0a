"""Regions and country groups for facets, filters and profiles, from sectracker.countries.

Regions are the finest UN M49 regions of the country table (e.g. Eastern Africa); groups are the memberships the
package ships plus what was imported into the database (e.g. Belt and Road), as of a
date. The reference data is cached per database for a few minutes.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import date
from functools import lru_cache

from sectracker.countries.groups import Reference, load_reference
from sectracker.countries.reference import all_countries
from sectracker.store import Database

CACHE_SECONDS = 300.0
_lock = threading.Lock()
_references: dict[str, tuple[float, Reference]] = {}


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """ISO3 code -> the finest UN M49 region: intermediate region, else sub-region, else region."""
    return {c.iso3: r for c in all_countries().values() if (r := c.intermediate_region or c.subregion or c.region)}


def region_members(name: str) -> list[str]:
    return sorted(code for code, region in regions().items() if region == name)


def region_of(iso3: str) -> str | None:
    return regions().get(iso3)


def reference(db: Database) -> Reference:
    """Country reference data for this database (cached for CACHE_SECONDS)."""
    return _loaded(db)[1]


def reference_stamp(db: Database) -> float:
    """When this database's reference data was loaded (changes whenever it is reloaded)."""
    return _loaded(db)[0]


def _loaded(db: Database) -> tuple[float, Reference]:
    """(when loaded, reference data) for this database, loaded again after CACHE_SECONDS."""
    key = db.settings.database_url
    with _lock:
        cached = _references.get(key)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached
    loaded = (time.monotonic(), load_reference(db))
    with _lock:
        _references[key] = loaded
    return loaded


def group_names(db: Database) -> tuple[str, ...]:
    return reference(db).group_names


def group_label(db: Database, group: str) -> str:
    """A short label: the organisation's name without its parenthesised note."""
    return re.sub(r"\s*\(.*\)\s*$", "", reference(db).label(group))


_members: dict[tuple[str, float, date], dict[str, frozenset[str]]] = {}


def groups(db: Database, as_of: date) -> dict[str, frozenset[str]]:
    """Group id -> member ISO3 codes on `as_of` (kept as long as the reference data it came from)."""
    stamp, ref = _loaded(db)
    key = (db.settings.database_url, stamp, as_of)
    with _lock:
        found = _members.get(key)
    if found is None:
        found = {g: frozenset(ref.members(g, as_of)) for g in ref.group_names}
        with _lock:
            if len(_members) >= 64:
                _members.clear()
            _members[key] = found
    return found


def groups_of(db: Database, iso3: str, as_of: date) -> list[str]:
    """Labels of the groups a country belongs to on `as_of`."""
    return [group_label(db, g) for g, members in groups(db, as_of).items() if iso3 in members]
