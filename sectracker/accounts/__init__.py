"""Accounts: users with a role, password hashing, login sessions, API tokens, login throttling."""

from sectracker.accounts.passwords import hash_password, verify_password
from sectracker.accounts.roles import Role, User, allows
from sectracker.accounts.service import (
    add_user,
    authenticate,
    end_session,
    issue_token,
    list_users,
    remove_user,
    revoke_tokens,
    session_user,
    set_password,
    set_role,
    start_session,
    token_user,
)

__all__ = [
    "Role",
    "User",
    "add_user",
    "allows",
    "authenticate",
    "end_session",
    "hash_password",
    "issue_token",
    "list_users",
    "remove_user",
    "revoke_tokens",
    "session_user",
    "set_password",
    "set_role",
    "start_session",
    "token_user",
    "verify_password",
]
