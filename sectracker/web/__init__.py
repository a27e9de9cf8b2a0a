"""The web dashboard, review queue and REST API (FastAPI); `create_app` builds it."""

from sectracker.web.app import create_app

__all__ = ["create_app"]
