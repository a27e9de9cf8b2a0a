"""Account operations: each runs in one transaction on the tracker database."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from sectracker.accounts.passwords import dummy_hash, hash_password, verify_password
from sectracker.accounts.roles import Role, User
from sectracker.clock import now
from sectracker.errors import Conflict, NotAuthenticated, NotFound, Problem, TooManyAttempts, ValidationFailed
from sectracker.store import Database
from sectracker.store import users as rows

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
TOKEN_PREFIX = "st_"


def digest(secret: str) -> str:
    """How a session id or API token is stored: its SHA-256, never the value itself."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _check_username(username: str) -> None:
    if not USERNAME.match(username):
        raise ValidationFailed(
            Problem("2-64 letters, digits, '.', '_' or '-', starting with a letter or digit", field="username")
        )


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"unknown role {role!r}; use viewer, analyst or admin", field="role")) from exc


def add_user(db: Database, username: str, password: str, role: str) -> User:
    """Create a user (Conflict if the name is taken)."""
    _check_username(username)
    checked = _role(role)
    hashed = hash_password(password)

    def work(conn: Connection) -> None:
        if rows.get_user_row(conn, username) is not None:
            raise Conflict(f"user {username!r} exists already")
        rows.insert_user(conn, username, hashed, checked.value, now())

    try:
        db.write(work)
    except IntegrityError as exc:
        raise Conflict(f"user {username!r} exists already") from exc
    return User(username, checked)


def remove_user(db: Database, username: str) -> None:
    """Delete a user with their sessions and tokens (NotFound if absent)."""
    if db.write(lambda conn: rows.delete_user(conn, username)) != 1:
        raise NotFound(f"no user {username!r}")


def set_password(db: Database, username: str, password: str) -> None:
    """Change a password and end every session of that user."""
    hashed = hash_password(password)

    def work(conn: Connection) -> int:
        n = rows.update_user(conn, username, password_hash=hashed, password_changed_at=now())
        rows.delete_sessions(conn, username=username)
        return n

    if db.write(work) != 1:
        raise NotFound(f"no user {username!r}")


def set_role(db: Database, username: str, role: str) -> None:
    checked = _role(role)
    if db.write(lambda conn: rows.update_user(conn, username, role=checked.value)) != 1:
        raise NotFound(f"no user {username!r}")


def list_users(db: Database) -> list[User]:
    with db.connect() as conn:
        return [User(r.username, Role(r.role)) for r in rows.list_user_rows(conn)]


def _throttle_keys(username: str, client: str) -> list[str]:
    return [f"user:{username.lower()}"[:200], f"ip:{client}"[:200]]


def _check_throttle(db: Database, keys: list[str], limit: int, window_s: float) -> None:
    at = now()
    since = at - timedelta(seconds=window_s)
    with db.connect() as conn:
        for key in keys:
            count, oldest = rows.count_attempts(conn, key, since)
            if count >= limit:
                wait = window_s - (at - oldest).total_seconds() if oldest is not None else window_s
                raise TooManyAttempts("too many failed logins; try again later", retry_after_s=max(1, int(wait)))


def authenticate(db: Database, username: str, password: str, *, client: str, limit: int, window_s: float) -> User:
    """The user for a name and password; NotAuthenticated or TooManyAttempts otherwise."""
    keys = _throttle_keys(username, client)
    _check_throttle(db, keys, limit, window_s)
    row = None
    if USERNAME.match(username):
        with db.connect() as conn:
            row = rows.get_user_row(conn, username)
    # Verify against a dummy hash for unknown users so that timing does not reveal names.
    ok = verify_password(row.password_hash if row else dummy_hash(), password) and row is not None
    if not ok or row is None:
        db.write(lambda conn: rows.record_attempts(conn, keys, now()))
        raise NotAuthenticated("wrong user name or password")
    db.write(lambda conn: rows.clear_attempts(conn, keys[:1]))
    return User(row.username, Role(row.role))


def start_session(db: Database, username: str, hours: float) -> tuple[str, str]:
    """A new session for a user: (session secret for the cookie, CSRF token for forms)."""
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now()

    def work(conn: Connection) -> None:
        rows.delete_expired_sessions(conn, at)
        rows.insert_session(conn, digest(secret), username, csrf, at, at + timedelta(hours=hours))

    db.write(work)
    return secret, csrf


def session_user(db: Database, secret: str) -> User | None:
    """The user of a live session, or None when it is unknown or expired."""
    with db.connect() as conn:
        row = rows.session_row(conn, digest(secret), now())
    return User(row.username, Role(row.role), row.csrf_token) if row else None


def end_session(db: Database, secret: str) -> None:
    db.write(lambda conn: rows.delete_sessions(conn, digest=digest(secret)))


def issue_token(db: Database, username: str, label: str = "api") -> str:
    """A new API token for scripts (shown once; only its digest is stored)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)

    def work(conn: Connection) -> None:
        if rows.get_user_row(conn, username) is None:
            raise NotFound(f"no user {username!r}")
        rows.insert_token(conn, digest(token), username, label[:100], now())

    db.write(work)
    return token


def token_user(db: Database, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    with db.connect() as conn:
        row = rows.token_user_row(conn, digest(token))
    return User(row.username, Role(row.role)) if row else None


def revoke_tokens(db: Database, username: str) -> int:
    """Delete every API token of a user; how many (NotFound if there is no such user)."""

    def work(conn: Connection) -> int:
        if rows.get_user_row(conn, username) is None:
            raise NotFound(f"no user {username!r}")
        return rows.delete_tokens(conn, username)

    return db.write(work)
