"""Accounts tables: users, login sessions, API tokens and failed login attempts.

Secrets are never stored: sessions and tokens are kept as SHA-256 digests of the
random value handed to the client, passwords as argon2 hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sectracker.store.schema import api_tokens, login_attempts, sessions, users


def get_user_row(conn: Connection, username: str) -> Any | None:
    return conn.execute(select(users).where(users.c.username == username)).first()


def list_user_rows(conn: Connection) -> list[Any]:
    return list(conn.execute(select(users).order_by(users.c.username)))


def insert_user(conn: Connection, username: str, password_hash: str, role: str, at: datetime) -> None:
    conn.execute(
        insert(users).values(
            username=username, password_hash=password_hash, role=role, created_at=at, password_changed_at=at
        )
    )


def delete_user(conn: Connection, username: str) -> int:
    # Children first: SQLite enforces ON DELETE CASCADE only with foreign keys on.
    conn.execute(delete(sessions).where(sessions.c.username == username))
    conn.execute(delete(api_tokens).where(api_tokens.c.username == username))
    return conn.execute(delete(users).where(users.c.username == username)).rowcount


def update_user(conn: Connection, username: str, **values: Any) -> int:
    return conn.execute(update(users).where(users.c.username == username).values(**values)).rowcount


def insert_session(conn: Connection, digest: str, username: str, csrf: str, at: datetime, expires: datetime) -> None:
    conn.execute(
        insert(sessions).values(id=digest, username=username, csrf_token=csrf, created_at=at, expires_at=expires)
    )


def session_row(conn: Connection, digest: str, at: datetime) -> Any | None:
    """The live session with this digest, joined with its user."""
    stmt = (
        select(sessions.c.csrf_token, sessions.c.expires_at, users.c.username, users.c.role)
        .join(users, users.c.username == sessions.c.username)
        .where(sessions.c.id == digest, sessions.c.expires_at > at)
    )
    return conn.execute(stmt).first()


def delete_sessions(conn: Connection, *, digest: str | None = None, username: str | None = None) -> int:
    stmt = delete(sessions)
    if digest is not None:
        stmt = stmt.where(sessions.c.id == digest)
    if username is not None:
        stmt = stmt.where(sessions.c.username == username)
    return conn.execute(stmt).rowcount


def delete_expired_sessions(conn: Connection, at: datetime) -> int:
    return conn.execute(delete(sessions).where(sessions.c.expires_at <= at)).rowcount


def insert_token(conn: Connection, digest: str, username: str, label: str, at: datetime) -> None:
    conn.execute(insert(api_tokens).values(id=digest, username=username, label=label, created_at=at))


def token_user_row(conn: Connection, digest: str) -> Any | None:
    stmt = (
        select(users.c.username, users.c.role)
        .join(api_tokens, api_tokens.c.username == users.c.username)
        .where(api_tokens.c.id == digest)
    )
    return conn.execute(stmt).first()


def delete_tokens(conn: Connection, username: str) -> int:
    return conn.execute(delete(api_tokens).where(api_tokens.c.username == username)).rowcount


def record_attempts(conn: Connection, keys: list[str], at: datetime) -> None:
    conn.execute(insert(login_attempts), [{"key": k, "at": at} for k in keys])


def count_attempts(conn: Connection, key: str, since: datetime) -> tuple[int, datetime | None]:
    """Failed attempts for `key` after `since`, and the oldest of them."""
    stmt = select(func.count(), func.min(login_attempts.c.at)).where(
        login_attempts.c.key == key, login_attempts.c.at > since
    )
    n, oldest = conn.execute(stmt).one()
    return int(n), oldest


def clear_attempts(conn: Connection, keys: list[str], before: datetime | None = None) -> None:
    stmt = delete(login_attempts).where(login_attempts.c.key.in_(keys))
    if before is not None:
        stmt = stmt.where(login_attempts.c.at <= before)
    conn.execute(stmt)
