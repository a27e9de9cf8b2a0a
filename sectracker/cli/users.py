"""`sectracker users`: add, remove and list users, change passwords and roles, issue API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from sectracker import accounts
from sectracker.accounts import Role
from sectracker.cli.common import app, console, database

users_app = typer.Typer(help="User accounts of the web interface and API.", no_args_is_help=True)
app.add_typer(users_app, name="users")

Name = Annotated[str, typer.Argument(help="User name.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: Name,
    role: Annotated[
        Role, typer.Option(help="viewer reads; analyst reviews and edits; admin also deletes.")
    ] = Role.viewer,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user (asks for the password twice)."""
    user = accounts.add_user(database(ctx), name, _password(password_stdin), role.value)
    console.print(f"Added {user.username} ({user.role.value}).", highlight=False)


@users_app.command("remove")
def remove(ctx: typer.Context, name: Name) -> None:
    """Remove a user with their sessions and API tokens."""
    accounts.remove_user(database(ctx), name)
    console.print(f"Removed {name}.", highlight=False)


@users_app.command("passwd")
def passwd(ctx: typer.Context, name: Name, password_stdin: PasswordStdin = False) -> None:
    """Change a user's password (logs them out everywhere)."""
    accounts.set_password(database(ctx), name, _password(password_stdin))
    console.print(f"Password of {name} changed; their sessions were ended.", highlight=False)


@users_app.command("role")
def set_role(ctx: typer.Context, name: Name, role: Annotated[Role, typer.Argument(help="The new role.")]) -> None:
    """Change a user's role."""
    accounts.set_role(database(ctx), name, role.value)
    console.print(f"{name} is now {role.value}.", highlight=False)


@users_app.command("token")
def token(
    ctx: typer.Context,
    name: Name,
    label: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    revoke: Annotated[bool, typer.Option("--revoke", help="Revoke every token of the user instead.")] = False,
) -> None:
    """Issue an API token for scripts (printed once), or revoke a user's tokens."""
    db = database(ctx)
    if revoke:
        console.print(f"Revoked {accounts.revoke_tokens(db, name)} token(s) of {name}.", highlight=False)
        return
    sys.stdout.write(accounts.issue_token(db, name, label) + "\n")


@users_app.command("list")
def list_users(ctx: typer.Context) -> None:
    """List users and their roles."""
    table = Table("user", "role")
    for user in accounts.list_users(database(ctx)):
        table.add_row(user.username, user.role.value)
    console.print(table)
