"""Opening a database, applying migrations, and retrying when it is busy."""

from __future__ import annotations

import re
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
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError

from sectracker.errors import ConfigError, Conflict, DatabaseBusy, NotInitialised, StoreError
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

    @property
    def name(self) -> str:
        """The database for messages: a SQLite path, or a URL without its password."""
        return display_name(self.engine.url.render_as_string(hide_password=True), self.settings.db)

    def migrate(self, revision: str = "heads") -> None:
        """Apply migrations up to `revision` (the only way tables are made).

        On SQLite the search index is keyed by event rowids, which a table rebuild
        may renumber, so it is rebuilt whenever a migration ran on existing events.
        """
        before = self.current_revisions()
        self._run_alembic(command.upgrade, revision)
        if before and before != self.current_revisions() and self.dialect == "sqlite":
            from sectracker.store.search import rebuild_search_index

            with self._errors(), self.engine.begin() as conn:
                rebuild_search_index(conn)

    def downgrade(self, revision: str) -> None:
        self._run_alembic(command.downgrade, revision)

    def _run_alembic(self, step: Callable[[Config, str], None], revision: str) -> None:
        """Run one Alembic command in one transaction (SQLite foreign keys off meanwhile)."""
        cfg = alembic_config(self.settings.database_url)
        with self._errors(), self.engine.connect() as conn:
            dialect.set_foreign_keys(conn, False)
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    step(cfg, revision)
            finally:
                dialect.set_foreign_keys(conn, True)

    def current_revisions(self) -> set[str]:
        with self._errors(), self.engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())

    def head_revisions(self) -> set[str]:
        script = ScriptDirectory.from_config(alembic_config(self.settings.database_url))
        return set(script.get_heads())

    def require_current(self) -> None:
        """StoreError unless the schema is migrated to the newest revisions."""
        current = self.current_revisions()
        if current != self.head_revisions():
            if not current:
                raise NotInitialised(f"{self.name}: not a sectracker database yet; run 'sectracker init'")
            raise NotInitialised(f"{self.name}: schema is at {sorted(current)}; run 'sectracker db migrate'")

    def check_connection(self) -> None:
        """Connect once: ConfigError naming server, database and user when that fails."""
        try:
            with self.engine.connect():
                pass
        except DBAPIError as exc:
            raise ConfigError(f"cannot connect to {self.name}: {dialect.connection_problem(exc)}") from exc

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reading; database errors become StoreError."""
        with self._errors(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            raise StoreError(f"{self.name}: {dialect.connection_problem(exc)}") from exc

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction, retrying while the database is locked or the
        connection was lost; a unique-key clash with a concurrent writer is a Conflict."""
        attempts = max(1, self.settings.busy_retries)
        for attempt in range(attempts):
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(**{dialect.WRITE_OPTION: True})
                    with conn.begin():
                        return work(conn)
            except IntegrityError as exc:
                if dialect.is_unique_violation(exc):
                    raise Conflict(f"{self.name}: the change clashes with stored data ({_first_line(exc)})") from exc
                raise StoreError(f"{self.name}: the change breaks a rule of the schema ({_first_line(exc)})") from exc
            except OperationalError as exc:
                if not dialect.is_retryable(exc):
                    raise StoreError(f"{self.name}: database error: {_first_line(exc)}") from exc
                if attempt == attempts - 1:
                    raise DatabaseBusy(
                        f"{self.name}: the database stayed locked or unreachable after {attempts} attempts "
                        f"({_first_line(exc)}); another process may be writing to it. Try again later."
                    ) from exc
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else type(exc.orig).__name__


def redact(url: str) -> str:
    """A URL with its password replaced by ***."""
    return re.sub(r"(://[^:/@]*:)[^/]*@", r"\1***@", url)


def display_name(url: str, fallback: str) -> str:
    """A database named for people: a SQLite path, or "database D on HOST:PORT as USER" (no password)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return fallback
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    where = parsed.host or "localhost"
    if parsed.port:
        where += f":{parsed.port}"
    who = f" as {parsed.username}" if parsed.username else ""
    return f"{parsed.get_backend_name()} database {parsed.database!r} on {where}{who}"


def open_database(settings: Settings | None = None, *, db: str | None = None, create: bool = True) -> Database:
    """An engine for the configured database (a SQLite path or a SQLAlchemy URL).

    ConfigError when it cannot be used: a SQLite path that is a folder, that does not exist
    (unless `create`), or whose file is not a SQLite database; a server that refuses.
    """
    settings = (settings or load_settings()).with_overrides(db=db)
    url = settings.database_url
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if str(path) in ("", "."):
            raise ConfigError("the database path is empty")
        if str(path) != ":memory:":
            if not path.parent.exists():
                raise ConfigError(f"{settings.db}: the folder {path.parent} does not exist")
            if path.is_dir():
                raise ConfigError(f"{settings.db}: is a folder, not a database file")
            if not create and not path.exists():
                raise ConfigError(f"{settings.db}: no such database; run 'sectracker init' to create it")
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise ConfigError(f"cannot use database {redact(settings.db)!r}: {exc}") from exc
    dialect.configure_engine(engine, settings.busy_timeout_s)
    database = Database(engine, settings)
    # A wrong password or host, or a file that is not a database: a clear message now, not a traceback later.
    database.check_connection()
    return database
