"""Password hashing with argon2id (argon2-cffi's RFC 9106 low-memory profile)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sectracker.errors import Problem, ValidationFailed

MIN_LENGTH = 10
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def check_password_rules(password: str) -> None:
    """ValidationFailed when a new password is too short or absurdly long."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(Problem(f"a password needs at least {MIN_LENGTH} characters", field="password"))
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(Problem(f"a password has at most {MAX_LENGTH} characters", field="password"))


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the user does not exist (same timing either way)."""
    return _hasher().hash("not-a-real-password-" + "x" * 16)


def needs_rehash(stored_hash: str) -> bool:
    return _hasher().check_needs_rehash(stored_hash)
