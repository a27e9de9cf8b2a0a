"""The importers by kind, as `sectracker import-data KIND FILE` names them."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from sectracker.importers.acled import import_acled
from sectracker.importers.adiz import import_adiz
from sectracker.importers.common import ImportReport
from sectracker.importers.gdelt import import_gdelt
from sectracker.importers.peacekeeping import import_peacekeeping
from sectracker.importers.sipri import import_sipri
from sectracker.store.db import Database


class Kind(StrEnum):
    sipri = "sipri"
    peacekeeping = "peacekeeping"
    adiz = "adiz"
    acled = "acled"
    gdelt = "gdelt"


def import_file(
    db: Database,
    kind: Kind,
    path: Path,
    *,
    user: str,
    skip_unknown: bool = False,
    dry_run: bool = False,
    contributor: str = "CHN",
) -> ImportReport:
    """Run one importer on one file (all or nothing)."""
    if kind is Kind.sipri:
        return import_sipri(db, path, user=user, skip_unknown=skip_unknown, dry_run=dry_run)
    if kind is Kind.peacekeeping:
        return import_peacekeeping(
            db, path, user=user, contributor=contributor, skip_unknown=skip_unknown, dry_run=dry_run
        )
    if kind is Kind.adiz:
        return import_adiz(db, path, user=user, dry_run=dry_run)
    if kind is Kind.acled:
        return import_acled(db, path, user=user, skip_unknown=skip_unknown, dry_run=dry_run)
    return import_gdelt(db, path, user=user, skip_unknown=skip_unknown, dry_run=dry_run)
