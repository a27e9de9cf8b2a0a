"""Accounts: users and roles, argon2 hashes, sessions, API tokens, login throttling, the users CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sectracker import accounts
from sectracker.accounts import Role, passwords
from sectracker.cli import app as cli
from sectracker.errors import Conflict, NotAuthenticated, NotFound, TooManyAttempts, ValidationFailed
from sectracker.store import Database
from sectracker.store.schema import api_tokens, sessions, users
from tests.web.conftest import PASSWORD


def _auth(db: Database, name: str, password: str, client: str = "10.0.0.1") -> accounts.User:
    return accounts.authenticate(db, name, password, client=client, limit=3, window_s=900)


def test_add_user_stores_an_argon2_hash_never_the_password(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "analyst")
    with db.connect() as conn:
        row = conn.execute(select(users)).one()
    assert row.role == "analyst"
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash
    assert _auth(db, "ana", PASSWORD) == accounts.User("ana", Role.analyst)


def test_production_hasher_is_argon2id_with_rfc9106_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # use the real parameters, not the fast test ones
    passwords._hasher.cache_clear()
    hashed = passwords.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(hashed, PASSWORD)
    assert not passwords.verify_password(hashed, PASSWORD + "x")


@pytest.mark.parametrize(
    "name,password,role,field",
    [
        ("a", PASSWORD, "viewer", "username"),
        ("bad name", PASSWORD, "viewer", "username"),
        ("<script>", PASSWORD, "viewer", "username"),
        ("ok-name", "short", "viewer", "password"),
        ("ok-name", PASSWORD, "superuser", "role"),
    ],
)
def test_bad_user_input_is_refused_with_the_field_named(
    db: Database, name: str, password: str, role: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as err:
        accounts.add_user(db, name, password, role)
    assert err.value.problems[0].field == field


def test_duplicate_user_is_a_conflict(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "viewer")
    with pytest.raises(Conflict):
        accounts.add_user(db, "ana", PASSWORD, "admin")


def test_wrong_password_and_unknown_user_fail_the_same_way(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "viewer")
    with pytest.raises(NotAuthenticated) as a:
        _auth(db, "ana", "wrong password!")
    with pytest.raises(NotAuthenticated) as b:
        _auth(db, "nobody", PASSWORD)
    assert str(a.value) == str(b.value)


def test_logins_are_throttled_per_user_and_per_address(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "viewer")
    accounts.add_user(db, "bob", PASSWORD, "viewer")
    for _ in range(3):
        with pytest.raises(NotAuthenticated):
            _auth(db, "ana", "wrong password!", client="10.0.0.1")
    # Even the right password is refused now, for this user from any address.
    with pytest.raises(TooManyAttempts) as err:
        _auth(db, "ana", PASSWORD, client="10.9.9.9")
    assert err.value.retry_after_s > 0
    # ... and any user from the attacking address.
    with pytest.raises(TooManyAttempts):
        _auth(db, "bob", PASSWORD, client="10.0.0.1")
    assert _auth(db, "bob", PASSWORD, client="10.0.0.2").username == "bob"


def test_sessions_tokens_and_password_changes(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "analyst")
    secret, csrf = accounts.start_session(db, "ana", hours=1)
    user = accounts.session_user(db, secret)
    assert user is not None and user.csrf_token == csrf
    token = accounts.issue_token(db, "ana", "scripts")
    assert token.startswith("st_")
    assert accounts.token_user(db, token) == accounts.User("ana", Role.analyst)
    with db.connect() as conn:
        stored = {r.id for r in conn.execute(select(sessions))} | {r.id for r in conn.execute(select(api_tokens))}
    assert secret not in stored and token not in stored  # only digests are kept
    accounts.set_password(db, "ana", "another good password")
    assert accounts.session_user(db, secret) is None  # changing the password logs out
    assert accounts.token_user(db, token) is not None
    assert accounts.revoke_tokens(db, "ana") == 1
    assert accounts.token_user(db, token) is None
    assert accounts.token_user(db, "st_forged") is None


def test_expired_session_is_not_accepted(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts.add_user(db, "ana", PASSWORD, "viewer")
    secret, _ = accounts.start_session(db, "ana", hours=1)
    monkeypatch.setenv("SECTRACKER_FIXED_CLOCK", "2026-01-01T01:00:01+00:00")
    assert accounts.session_user(db, secret) is None


def test_remove_user_removes_sessions_and_tokens(db: Database) -> None:
    accounts.add_user(db, "ana", PASSWORD, "viewer")
    secret, _ = accounts.start_session(db, "ana", hours=1)
    token = accounts.issue_token(db, "ana")
    accounts.remove_user(db, "ana")
    assert accounts.session_user(db, secret) is None and accounts.token_user(db, token) is None
    with pytest.raises(NotFound):
        accounts.remove_user(db, "ana")


def test_users_cli(db: Database) -> None:
    runner = CliRunner()
    base = ["--db", db.settings.db, "users"]
    r = runner.invoke(cli, [*base, "add", "ana", "--role", "analyst", "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert accounts.list_users(db) == [accounts.User("ana", Role.analyst)]
    r = runner.invoke(cli, [*base, "passwd", "ana", "--password-stdin"], input="a new long password\n")
    assert r.exit_code == 0, r.output
    assert _auth(db, "ana", "a new long password").username == "ana"
    r = runner.invoke(cli, [*base, "token", "ana", "--label", "ci"])
    assert r.exit_code == 0 and accounts.token_user(db, r.stdout.strip()) is not None
    r = runner.invoke(cli, [*base, "role", "ana", "admin"])
    assert r.exit_code == 0 and accounts.list_users(db)[0].role == Role.admin
    r = runner.invoke(cli, [*base, "list"])
    assert "ana" in r.stdout and "admin" in r.stdout
    r = runner.invoke(cli, [*base, "add", "bob", "--password-stdin"], input="short\n")
    assert r.exit_code == 2 and "password" in r.output
    r = runner.invoke(cli, [*base, "remove", "ana"])
    assert r.exit_code == 0 and accounts.list_users(db) == []
    r = runner.invoke(cli, [*base, "remove", "ana"])
    assert r.exit_code == 2
