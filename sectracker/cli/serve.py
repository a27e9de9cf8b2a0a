"""`sectracker serve`: the web dashboard, review queue and REST API on the configured database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from sectracker.cli.common import app, console, database, state


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default: $SECTRACKER_WEB_HOST or 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default: $SECTRACKER_WEB_PORT or 8000).", min=1, max=65535)
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            help="Server processes sharing the port (each with its own database connections); "
            "one per core suits a busy server.",
            min=1,
            max=64,
        ),
    ] = 1,
    threads: Annotated[
        int | None,
        typer.Option(
            help="Requests each process works on at once (default: $SECTRACKER_WEB_THREADS or 4).", min=1, max=256
        ),
    ] = None,
    public: Annotated[
        bool | None, typer.Option("--public/--private", help="Let anyone read verified events without logging in.")
    ] = None,
) -> None:
    """Serve the web interface and the API (uvicorn) until interrupted."""
    import uvicorn

    from sectracker.web import create_app

    settings = state(ctx).settings.with_overrides(web_host=host, web_port=port, web_public=public, web_threads=threads)
    web = create_app(settings, db=database(ctx))
    mode = "public read-only for visitors" if settings.web_public else "login required"
    processes = f", {workers} processes" if workers > 1 else ""
    console.print(
        f"Serving {settings.db} at http://{settings.web_host}:{settings.web_port}/ ({mode}{processes})", highlight=False
    )
    if workers == 1:
        uvicorn.run(web, host=settings.web_host, port=settings.web_port, log_level="warning")
        return
    # Each worker process builds the same app from these settings, passed in its environment.
    os.environ.update(settings.to_environ())
    uvicorn.run(
        "sectracker.web.app:create_app",
        factory=True,
        workers=workers,
        host=settings.web_host,
        port=settings.web_port,
        log_level="warning",
    )
