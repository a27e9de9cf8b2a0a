"""The current time, or a fixed one so that outputs are reproducible."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def now() -> datetime:
    """UTC now, unless SECTRACKER_FIXED_CLOCK holds an ISO timestamp."""
    fixed = os.environ.get("SECTRACKER_FIXED_CLOCK", "").strip()
    if fixed:
        value = datetime.fromisoformat(fixed)
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.now(UTC).replace(microsecond=0)
