"""The site's frame: home, health, the API reference page and the Vega bundle."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sectracker.web.deps import Reader
from sectracker.web.render import not_modified, page

router = APIRouter(tags=["meta"])


@lru_cache(maxsize=1)
def vega_bundle() -> tuple[bytes, str]:
    """vl-convert's bundle of vega, vega-lite and vega-embed (no CDN), with its ETag."""
    import vl_convert

    body = vl_convert.javascript_bundle().encode("utf-8")  # type: ignore[call-arg]  # the stub omits the default
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/events", status_code=303)


@router.get("/api/v1/health", summary="Liveness check (no login needed)")
def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/vendor/vega-bundle.js", include_in_schema=False)
def vega_js(request: Request) -> Response:
    body, etag = vega_bundle()
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


@router.get("/api", response_class=HTMLResponse, summary="API reference page")
def api_page(request: Request, user: Reader) -> Response:
    schema = request.app.openapi()
    endpoints = [
        {"method": method.upper(), "path": path, "summary": op.get("summary", ""), "tag": (op.get("tags") or [""])[0]}
        for path, ops in schema["paths"].items()
        if path.startswith("/api/")
        for method, op in ops.items()
    ]
    return page(request, "api.html", {"title": "API", "endpoints": endpoints, "version": schema["info"]["version"]})
