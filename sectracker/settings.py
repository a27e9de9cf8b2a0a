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

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL for `db` (a bare path means a SQLite file)."""
        if "://" in self.db:
            return self.db
        return f"sqlite:///{Path(self.db).expanduser()}"

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
