"""The app factory: one FastAPI app on one tracker database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import sectracker
from sectracker.errors import ConfigError
from sectracker.settings import Settings, load_settings
from sectracker.store import Database, open_database
from sectracker.web.deps import reject_unknown_params
from sectracker.web.errors import install_error_handlers
from sectracker.web.routes import (
    alerts,
    analyses,
    audit,
    auth,
    candidates,
    codebook,
    countries,
    documents,
    editions,
    events,
    exports,
    meta,
    series,
)
from sectracker.web.security import BodyLimit, HeadAsGet, SecurityHeaders

ROUTERS = (
    meta,
    auth,
    events,
    candidates,
    audit,
    documents,
    codebook,
    countries,
    analyses,
    series,
    alerts,
    exports,
    editions,
)
DESCRIPTION = """The sectracker REST API: events (with the CLI's filters, cursor pages and ETags),
candidates and review decisions, documents, countries, counts and comparisons, the codebook,
indicator series, watch alerts (also as an Atom feed) and exports. Every error has the shape
`{"error": {"status", "code", "message", "problems"}}`.
Scripts authenticate with `Authorization: Bearer <token>` (`sectracker users token NAME`)."""


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    """The web app on `db` (or on the database the settings name, which must be migrated)."""
    if db is None:
        db = open_database(settings or load_settings())
    settings = settings or db.settings
    db.require_current()
    if settings.web_threads < 1:
        raise ConfigError(f"SECTRACKER_WEB_THREADS: {settings.web_threads} is not a number of threads (at least 1)")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Routes are plain functions run in the server's thread pool; this sets its size.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="sectracker",
        version=sectracker.__version__,
        description=DESCRIPTION,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI needs a CDN and inline scripts; /api lists the endpoints instead
        redoc_url=None,
        dependencies=[Depends(reject_unknown_params)],
    )
    app.state.db = db
    app.state.settings = settings
    install_error_handlers(app)
    for module in ROUTERS:
        app.include_router(module.router)
    static = resources.files("sectracker.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.web_max_body_bytes)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app
