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


FASTAPI_BODY_ERROR = "There was an error parsing the body"
UNREADABLE_BODY = (
    "the body could not be read as JSON: it must be UTF-8, nested at most a few hundred levels deep, "
    "with numbers of at most 4,300 digits"
)


def _code(exc: Exception, status: int) -> str:
    if isinstance(exc, SectrackerError) and type(exc) is not SectrackerError:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).lower()
    return CODES.get(status, "error")


def wants_html(request: Request) -> bool:
    """Browsers asking for a page get HTML; the API, ?format=json and scripts get JSON."""
    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        return False
    return _accepts_html(request.headers.get("accept", ""))


def _accepts_html(accept: str) -> bool:
    """True when the Accept header lists text/html without refusing it (q=0)."""
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        if media.lower() != "text/html":
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


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


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _problem(error: dict[str, Any]) -> ErrorProblem:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        reason = str((error.get("ctx") or {}).get("error", "")) or "not JSON"
        where = f" at character {loc[1]}" if len(loc) > 1 else ""
        return ErrorProblem(field="body", message=f"the body is not valid JSON: {reason}{where}"[:300])
    return ErrorProblem(field=_field(loc), message=str(error.get("msg", ""))[:300])


def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    body_errors = any(tuple(e.get("loc", ()))[:1] == ("body",) for e in errors)
    content_type = request.headers.get("content-type", "")
    if body_errors and request.url.path.startswith("/api/") and content_type and not _is_json(content_type):
        message = f"the body must be JSON (Content-Type: application/json), not {content_type.split(';')[0]!r}"
        return error_response(request, 415, "unsupported_media_type", message[:300])
    problems = [_problem(e) for e in errors[:50]]
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
    problems = None
    if message == FASTAPI_BODY_ERROR:  # the body's bytes could not be read as JSON at all
        message = "the request has invalid values"
        problems = [ErrorProblem(field="body", message=UNREADABLE_BODY)]
    return error_response(
        request,
        exc.status_code,
        CODES.get(exc.status_code, "error"),
        message,
        problems,
        headers=dict(exc.headers or {}) or None,
    )


def _on_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "the server could not complete the request")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(SectrackerError, _on_sectracker)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
