"""Roles and what each may do: viewer reads, analyst reviews and edits, admin also deletes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    viewer = "viewer"
    analyst = "analyst"
    admin = "admin"


RANK = {Role.viewer: 1, Role.analyst: 2, Role.admin: 3}


def allows(role: Role | None, needed: Role) -> bool:
    """True when `role` (None: an anonymous visitor) has at least the rights of `needed`."""
    return role is not None and RANK[role] >= RANK[needed]


@dataclass(frozen=True)
class User:
    """Who is making a request; `csrf_token` is set for browser sessions only."""

    username: str
    role: Role
    csrf_token: str | None = None

    def can(self, needed: Role) -> bool:
        return allows(self.role, needed)
