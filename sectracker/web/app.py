"""The app factory: one FastAPI app on one tracker database."""

from __future__ import annotations

from importlib import resources

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

import sectracker
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
from sectracker.web.security import BodyLimit, SecurityHeaders

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
    app = FastAPI(
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
    return app
