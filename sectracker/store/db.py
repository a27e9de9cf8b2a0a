"""Opening a database, applying migrations, and retrying when it is busy."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import ArgumentError, OperationalError

from sectracker.errors import ConfigError, DatabaseBusy, StoreError
from sectracker.settings import Settings, load_settings
from sectracker.store import dialect

T = TypeVar("T")


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at the migrations shipped in the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sectracker.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@dataclass
class Database:
    """An engine on one tracker database, plus its settings."""

    engine: Engine
    settings: Settings

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self, revision: str = "heads") -> None:
        """Apply migrations up to `revision` (the only way tables are made)."""
        cfg = alembic_config(self.settings.database_url)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)

    def downgrade(self, revision: str) -> None:
        cfg = alembic_config(self.settings.database_url)
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)

    def current_revisions(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())

    def head_revisions(self) -> set[str]:
        script = ScriptDirectory.from_config(alembic_config(self.settings.database_url))
        return set(script.get_heads())

    def require_current(self) -> None:
        """StoreError unless the schema is migrated to the newest revisions."""
        current = self.current_revisions()
        if current != self.head_revisions():
            where = self.settings.db
            if not current:
                raise StoreError(f"{where}: not a sectracker database yet; run 'sectracker init'")
            raise StoreError(f"{where}: schema is at {sorted(current)}; run 'sectracker db migrate'")

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction, retrying while the database is locked."""
        attempts = max(1, self.settings.busy_retries)
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except OperationalError as exc:
                if not _is_busy(exc):
                    raise StoreError(f"database error: {exc.orig}") from exc
                if attempt == attempts - 1:
                    raise DatabaseBusy(
                        f"{self.settings.db}: the database stayed locked after {attempts} attempts; "
                        "another process is writing to it. Try again later."
                    ) from exc
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def _is_busy(exc: OperationalError) -> bool:
    msg = str(exc.orig).lower()
    return "locked" in msg or "busy" in msg


def open_database(settings: Settings | None = None, *, db: str | None = None) -> Database:
    """An engine for the configured database (a SQLite path or a SQLAlchemy URL)."""
    settings = (settings or load_settings()).with_overrides(db=db)
    url = settings.database_url
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) not in ("", ":memory:") and not path.parent.exists():
            raise ConfigError(f"{settings.db}: the folder {path.parent} does not exist")
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"cannot use database {settings.db!r}: {exc}") from exc
    dialect.configure_engine(engine, settings.busy_timeout_s)
    return Database(engine, settings)
