"""Every setting once: name, type, default and help.

A setting is read from the environment as ``SECTRACKER_<NAME>`` (upper case);
command-line options override it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from sectracker.errors import ConfigError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The configuration of one sectracker run."""

    db: str = _setting(
        "sectracker.sqlite",
        "Database: a SQLite file path or a SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...).",
    )
    busy_timeout_s: float = _setting(10.0, "How long to wait for a locked SQLite database.")
    busy_retries: int = _setting(3, "How many times to retry a write when the database is busy.")
    fixed_clock: str = _setting("", "An ISO timestamp used instead of the current time (reproducible output).")
    user: str = _setting("cli", "The name recorded in the audit log for changes made here.")
    fetch_timeout_s: float = _setting(20.0, "Timeout for fetching a URL, in seconds.")
    fetch_max_bytes: int = _setting(20_000_000, "Largest document fetched from a URL, in bytes.")
    fetch_max_redirects: int = _setting(5, "Most redirects followed when fetching a URL.")
    fetch_allow_private: bool = _setting(False, "Allow fetching from loopback and private network addresses.")
    max_file_bytes: int = _setting(200_000_000, "Largest input file read, in bytes.")
    embed: bool = _setting(
        False,
        "Compare candidates' evidence by sentence embeddings when merging duplicates (needs the optional "
        "'embed' extra; measured in docs/evaluation.md, not recommended by default).",
    )
    web_host: str = _setting("127.0.0.1", "Address `sectracker serve` listens on.")
    web_port: int = _setting(8000, "Port `sectracker serve` listens on.")
    web_public: bool = _setting(
        False, "Read-only public mode: anyone may browse verified events and use the read API without logging in."
    )
    web_session_hours: float = _setting(168.0, "How long a login session lasts, in hours.")
    web_cookie_secure: bool = _setting(False, "Send session cookies over HTTPS only (turn on behind TLS).")
    web_login_max_failures: int = _setting(5, "Failed logins allowed per user name and per client address in a window.")
    web_login_window_s: float = _setting(900.0, "Length of the failed-login window, in seconds.")
    web_page_size: int = _setting(50, "Events per page in the web interface and the API (default).")
    web_max_page_size: int = _setting(500, "Largest page size a client may ask for.")
    web_export_max: int = _setting(100_000, "Most events one web export may contain (use the CLI for more).")
    web_max_body_bytes: int = _setting(5_000_000, "Largest request body the web server accepts, in bytes.")
    web_threads: int = _setting(
        4,
        "Requests one web server process works on at once (its thread pool). SQLite and PostgreSQL "
        "release Python's lock while they run a query, so a few threads overlap the database with "
        "Python; many more only wait for that lock (measured in docs/web.md, Performance design).",
    )
    web_editions_dir: str = _setting(
        "out", "Folder holding built editions (one sub-folder per period, e.g. out/2020-H1)."
    )

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL for `db` (a bare path means a SQLite file)."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser()}"

    def to_environ(self) -> dict[str, str]:
        """These settings as the SECTRACKER_* variables that load_settings reads back."""
        return {f"SECTRACKER_{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with the given non-None values set."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _parse(raw: str, kind: type, name: str) -> Any:
    try:
        if kind is bool:
            if raw.lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"SECTRACKER_{name.upper()}: {raw!r} is not a valid {kind.__name__}") from exc


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Settings from the environment, with defaults for what is unset."""
    env = os.environ if environ is None else environ
    kinds = {"str": str, "int": int, "float": float, "bool": bool}
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"SECTRACKER_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _parse(raw, kinds[str(f.type)], f.name)
    return Settings(**values)


def describe_settings() -> list[tuple[str, str, str, str]]:
    """(environment variable, type, default, help) for every setting."""
    return [
        (f"SECTRACKER_{f.name.upper()}", str(f.type), repr(f.default), f.metadata["help"]) for f in fields(Settings)
    ]
