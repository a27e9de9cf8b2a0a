"""`sectracker serve`: the web dashboard, review queue and REST API on the configured database."""

from __future__ import annotations

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
    public: Annotated[
        bool | None, typer.Option("--public/--private", help="Let anyone read verified events without logging in.")
    ] = None,
) -> None:
    """Serve the web interface and the API (uvicorn) until interrupted."""
    import uvicorn

    from sectracker.web import create_app

    settings = state(ctx).settings.with_overrides(web_host=host, web_port=port, web_public=public)
    web = create_app(settings, db=database(ctx))
    mode = "public read-only for visitors" if settings.web_public else "login required"
    console.print(f"Serving {settings.db} at http://{settings.web_host}:{settings.web_port}/ ({mode})", highlight=False)
    uvicorn.run(web, host=settings.web_host, port=settings.web_port, log_level="warning")
