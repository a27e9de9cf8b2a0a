"""Request dependencies: the database, the settings, who is asking and what they may do."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from sectracker import accounts
from sectracker.accounts import Role, User
from sectracker.errors import Forbidden, NotAuthenticated, Problem, ValidationFailed
from sectracker.settings import Settings
from sectracker.store import Database
from sectracker.web.security import CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, same_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DB = Annotated[Database, Depends(get_db)]
Config = Annotated[Settings, Depends(get_settings)]


def current_user(request: Request, db: DB) -> User | None:
    """The user of the Bearer token or the session cookie (None when anonymous)."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    user = None
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, token = auth.partition(" ")
        user = accounts.token_user(db, token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise NotAuthenticated("the API token is not valid")
    elif secret := request.cookies.get(SESSION_COOKIE):
        user = accounts.session_user(db, secret) if len(secret) <= 200 else None
    request.state.user = user
    return user


CurrentUser = Annotated[User | None, Depends(current_user)]


def reader(user: CurrentUser, settings: Config) -> User | None:
    """Who may read: a logged-in user, or anyone (None) in public mode."""
    if user is None and not settings.web_public:
        raise NotAuthenticated("log in to see this")
    return user


async def _check_csrf(request: Request, user: User) -> None:
    """Session-authenticated changes must echo the session's CSRF token (form field or header)."""
    if request.method in SAFE_METHODS or user.csrf_token is None:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = str((await request.form()).get(CSRF_FIELD) or "")
    if not same_token(user.csrf_token, given):
        raise Forbidden("the form has expired or did not come from this site (CSRF token mismatch); reload and retry")


def role(needed: Role) -> Callable[[Request, User | None], Awaitable[User]]:
    """A dependency requiring a logged-in user with at least `needed` rights (and a CSRF token on changes)."""

    async def dependency(request: Request, user: CurrentUser) -> User:
        if user is None:
            raise NotAuthenticated("log in to do this")
        if not user.can(needed):
            raise Forbidden(f"this needs the {needed.value} role; you are {user.role.value}")
        await _check_csrf(request, user)
        return user

    return dependency


Reader = Annotated[User | None, Depends(reader)]
Viewer = Annotated[User, Depends(role(Role.viewer))]
Analyst = Annotated[User, Depends(role(Role.analyst))]
Admin = Annotated[User, Depends(role(Role.admin))]


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        return any(_is_list(a) for a in get_args(annotation))
    return origin in (list, tuple, set, frozenset)


def _query_names(dependant: Dependant) -> dict[str, bool]:
    """Each query parameter's name, and whether it may be repeated (a list)."""
    names = {p.alias: _is_list(p.field_info.annotation) for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _known_params(route: APIRoute) -> dict[str, bool]:
    # Routes are unhashable, so the names are kept on the route itself.
    known: dict[str, bool] | None = getattr(route, "_sectracker_query_names", None)
    if known is None:
        known = _query_names(route.dependant)
        route._sectracker_query_names = known  # type: ignore[attr-defined]
    return known


def reject_unknown_params(request: Request) -> None:
    """Unknown query parameters, and one-value parameters given twice, are rejected everywhere
    (400 naming them), never silently ignored."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _known_params(route)
    unknown = sorted(set(request.query_params) - set(known))
    if unknown:
        raise ValidationFailed([Problem("unknown query parameter", field=name[:60]) for name in unknown[:10]])
    counts = Counter(k for k, _ in request.query_params.multi_items())
    twice = sorted(k for k, n in counts.items() if n > 1 and not known[k])
    if twice:
        raise ValidationFailed([Problem("given more than once; give it once", field=name) for name in twice])
