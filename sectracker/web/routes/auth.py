"""Logging in and out (session cookies, CSRF-protected forms), and who am I."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sectracker import accounts
from sectracker.errors import Forbidden, NotAuthenticated, TooManyAttempts
from sectracker.web.deps import DB, Admin, Config, CurrentUser, Viewer
from sectracker.web.render import page
from sectracker.web.schemas import UserOut
from sectracker.web.security import (
    CSRF_FIELD,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    safe_next,
    same_token,
    set_cookie,
)

router = APIRouter(tags=["accounts"])
Next = Annotated[str | None, Query(alias="next", max_length=2000)]


def _login_page(request: Request, next_url: str, message: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "login.html",
        {"title": "Log in", "next": next_url, "login_csrf": token, "message": message},
        status=status,
    )
    set_cookie(response, LOGIN_CSRF_COOKIE, token, request.app.state.settings, max_age=3600)
    return response


@router.get("/login", response_class=HTMLResponse, summary="Login form")
def login_page(request: Request, user: CurrentUser, next_url: Next = None) -> Response:
    return _login_page(request, safe_next(next_url))


@router.post("/login", response_class=HTMLResponse, summary="Log in (rate-limited)")
def login(
    request: Request,
    db: DB,
    settings: Config,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=2000)],
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD, max_length=200)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/events",
) -> Response:
    target = safe_next(next_url)
    if not same_token(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        raise Forbidden("the login form has expired; reload it and try again")
    client = request.client.host if request.client else "unknown"
    try:
        user = accounts.authenticate(
            db,
            username,
            password,
            client=client,
            limit=settings.web_login_max_failures,
            window_s=settings.web_login_window_s,
        )
    except NotAuthenticated as exc:
        return _login_page(request, target, str(exc), status=401)
    except TooManyAttempts as exc:
        response = _login_page(request, target, str(exc), status=429)
        response.headers["Retry-After"] = str(exc.retry_after_s)
        return response
    secret, _ = accounts.start_session(db, user.username, settings.web_session_hours)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, SESSION_COOKIE, secret, settings, max_age=int(settings.web_session_hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout", summary="Log out")
def logout(request: Request, user: Viewer, db: DB) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        accounts.end_session(db, secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/api/v1/me", response_model=UserOut, summary="The logged-in user")
def me(user: Viewer) -> UserOut:
    return UserOut(username=user.username, role=user.role.value)


@router.get("/api/v1/users", response_model=list[UserOut], summary="Users (admin)")
def users(user: Admin, db: DB) -> list[UserOut]:
    return [UserOut(username=u.username, role=u.role.value) for u in accounts.list_users(db)]
