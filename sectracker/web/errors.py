"""One error shape for every failure: JSON for the API, the same content as a page for browsers."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sectracker.errors import NotAuthenticated, SectrackerError, TooManyAttempts, ValidationFailed
from sectracker.web.schemas import ErrorBody, ErrorDetail, ErrorProblem

log = logging.getLogger("sectracker.web")

CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def _code(exc: Exception, status: int) -> str:
    if isinstance(exc, SectrackerError) and type(exc) is not SectrackerError:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()
    return CODES.get(status, "error")


def wants_html(request: Request) -> bool:
    """Browsers asking for a page get HTML; the API, ?format=json and scripts get JSON."""
    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        return False
    return "text/html" in request.headers.get("accept", "")


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    problems: list[ErrorProblem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body = ErrorBody(error=ErrorDetail(status=status, code=code, message=message, problems=problems or []))
    if wants_html(request):
        from sectracker.web.render import page

        return page(request, "error.html", {"error": body.error}, status=status, headers=headers)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    if len(loc) >= 2 and loc[0] in ("query", "path", "header", "cookie"):
        return str(loc[1])  # a parameter is named as in the URL (no list index)
    parts = [str(p) for p in loc if p not in ("body", "form")]
    return ".".join(parts) or str(loc[0] if loc else "request")


def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        ErrorProblem(field=_field(tuple(e.get("loc", ()))), message=str(e.get("msg", ""))[:300])
        for e in exc.errors()[:50]
    ]
    return error_response(request, 400, "validation_failed", "the request has invalid values", problems)


def _on_sectracker(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SectrackerError)
    status = exc.http_status
    if isinstance(exc, NotAuthenticated) and wants_html(request) and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    if status >= 500:
        log.error("request failed: %s", exc)
    problems = []
    if isinstance(exc, ValidationFailed):
        problems = [ErrorProblem(field=p.field, message=p.message[:500]) for p in exc.problems[:50]]
    message = "the request has invalid values" if isinstance(exc, ValidationFailed) else str(exc)
    headers = {"Retry-After": str(exc.retry_after_s)} if isinstance(exc, TooManyAttempts) else None
    if status >= 500:
        message = "the server could not complete the request"
    return error_response(request, status, _code(exc, status), message, problems, headers)


def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else CODES.get(exc.status_code, "error")
    return error_response(
        request, exc.status_code, CODES.get(exc.status_code, "error"), message, headers=dict(exc.headers or {}) or None
    )


def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "the server could not complete the request")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(SectrackerError, _on_sectracker)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
