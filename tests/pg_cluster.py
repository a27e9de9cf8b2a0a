"""A throwaway PostgreSQL cluster for the test run: initdb into a temporary folder, a free port.

PostgreSQL refuses to run as root, so when the tests run as root the server is run as the
`postgres` OS user (created by the Debian `postgresql` package) and its folder is given to
that user. Tests use `PgCluster.create_database()` for a fresh database and drop it after.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

SERVER_USER = "postgres"
# Speed over durability: the cluster lives for one test run.
FAST_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB"


def find_bin_dir() -> Path | None:
    """The folder of PostgreSQL's server binaries (initdb, pg_ctl), newest version first."""
    env = os.environ.get("SECTRACKER_PG_BIN")
    candidates = [Path(env)] if env else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).parent)
    return next((d for d in candidates if (d / "initdb").is_file() and (d / "pg_ctl").is_file()), None)


def _major(path: Path) -> int:
    name = path.parent.name
    return int(name) if name.isdigit() else 0


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """One running PostgreSQL server in a temporary folder, with password authentication over TCP."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.user = SERVER_USER
        self.password = secrets.token_hex(12)
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="sectracker-pg-"))
        self.data = self.root / "data"
        self._counter = 0
        self._icu: bool | None = None

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")

    def start(self) -> None:
        """initdb, then start the server (on a new free port if the first one was taken meanwhile)."""
        self._initdb()
        for attempt in range(3):
            try:
                self._start_server()
                return
            except RuntimeError:
                if attempt == 2:
                    raise
                self.port = free_port()

    def _initdb(self) -> None:
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise RuntimeError(f"PostgreSQL will not run as root and there is no {SERVER_USER!r} user") from None
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self.root.chmod(0o700)
        pwfile = self.root / "pw"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            os.chown(pwfile, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", self.user, "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        pwfile.unlink()

    def _start_server(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {FAST_OPTIONS}"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "server.log"), "-w", "start")

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, dbname: str = "postgres", *, password: str | None = None) -> str:
        """A SQLAlchemy URL for one database of this cluster."""
        pw = self.password if password is None else password
        return f"postgresql+psycopg://{self.user}:{pw}@127.0.0.1:{self.port}/{dbname}"

    def _admin(self) -> psycopg.Connection:
        import psycopg  # imported here: collecting SQLite-only tests must not need the driver

        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=self.user, password=self.password, dbname="postgres", autocommit=True
        )

    def create_database(self, prefix: str = "t", template: str = "template0") -> str:
        """A new database, a copy of `template` (empty by default); returns its name."""
        from psycopg import sql

        self._counter += 1
        name = f"{prefix}_{os.getpid()}_{self._counter}"
        # FILE_COPY is ten times faster than the default WAL_LOG for small databases. New
        # databases sort text the English way (as most servers do), unlike SQLite's byte
        # order: the store must not depend on the server's collation.
        stmt = "CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY"
        if template == "template0" and self.icu:
            stmt += " LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
        with self._admin() as conn:
            conn.execute(sql.SQL(stmt).format(sql.Identifier(name), sql.Identifier(template)))
        return name

    @property
    def icu(self) -> bool:
        """Whether this server was built with ICU collations."""
        if self._icu is None:
            with self._admin() as conn:
                found = conn.execute("SELECT 1 FROM pg_collation WHERE collprovider = 'i' LIMIT 1").fetchone()
            self._icu = found is not None
        return self._icu

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    @contextmanager
    def database(self, prefix: str = "t", template: str = "template0") -> Iterator[str]:
        """A fresh database (a copy of `template`) for the block, dropped afterwards; yields its URL."""
        name = self.create_database(prefix, template)
        try:
            yield self.url(name)
        finally:
            self.drop_database(name)


@contextmanager
def running_cluster(bin_dir: Path) -> Iterator[PgCluster]:
    """Start a cluster; stop it and delete its folder at the end, whatever happens."""
    cluster = PgCluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
