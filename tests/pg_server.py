"""A throwaway PostgreSQL cluster for tests: real server on loopback, gone after the session.

API (import in a test module or conftest: ``from pg_server import pg_server, pg_url, fresh_database``):

- ``pg_server`` (session fixture): the running ``PgServer``; ``.url(dbname)`` gives a ``postgresql://`` URL.
- ``pg_url`` (function fixture): the URL of a fresh, empty database for this test.
- ``fresh_database(server, template=None) -> str``: create another fresh database (a copy of ``template``
  when given: ``CREATE DATABASE … TEMPLATE …`` copies files, so a migrated template makes each test cheap).

The cluster lives in a private temporary folder (data, unix socket, log) and listens on a free 127.0.0.1
port with trust authentication, fsync off (tests, not durability). Under root the server runs as an
unprivileged user (``postgres`` or ``nobody``, else one made with ``useradd`` and removed afterwards).
Each pytest-xdist worker gets its own cluster; a cluster whose pytest process was killed is removed by
the next session that starts one (``owner.pid``). When the binaries, psycopg or a usable user are missing,
every test that asks for it skips with one line saying why.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from archive.claims import pid_alive

SUPERUSER = "xxgk"
_BINARIES = ("initdb", "pg_ctl", "postgres")
_CREATED_USER = "xxgk-pgtest"
_counter = itertools.count(1)


@dataclass(frozen=True)
class PgServer:
    host: str
    port: int
    root: Path  # data dir, socket dir and log live below it

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@{self.host}:{self.port}/{dbname}"


def find_pg_bindir() -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: /usr/local/bin, PATH, then Debian's versioned dirs."""
    candidates = ["/usr/local/bin", *os.environ.get("PATH", "").split(os.pathsep),
                  *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if folder and all(os.access(os.path.join(folder, b), os.X_OK) for b in _BINARIES):
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> tuple[pwd.struct_passwd | None, bool]:
    """(user to run the server as, whether we created it); (None, False) when not root (run as ourselves)."""
    if os.geteuid() != 0:
        return None, False
    for name in ("postgres", "nobody", _CREATED_USER):
        try:
            return pwd.getpwnam(name), False
        except KeyError:
            continue
    made = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                           _CREATED_USER], capture_output=True)
    if made.returncode != 0:
        return None, False
    return pwd.getpwnam(_CREATED_USER), True


def _run_as(user: pwd.struct_passwd | None, argv: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    if user is not None:
        argv = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", *argv]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd="/")


def _reap_stale(bindir: Path, user: pwd.struct_passwd | None) -> None:
    """Stop and remove clusters whose pytest process died without its teardown (a kill, a timeout)."""
    for owner in Path(tempfile.gettempdir()).glob("xxgk-pg-*/owner.pid"):
        try:
            pid = int(owner.read_text())
        except (OSError, ValueError):
            continue
        if not pid_alive(pid):
            _run_as(user, [str(bindir / "pg_ctl"), "-D", str(owner.parent / "data"), "-m", "immediate", "-w", "stop"])
            shutil.rmtree(owner.parent, ignore_errors=True)


def _start(bindir: Path, user: pwd.struct_passwd | None) -> PgServer:
    _reap_stale(bindir, user)
    root = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
    data, sockets, log = root / "data", root / "sock", root / "server.log"
    (root / "owner.pid").write_text(str(os.getpid()))
    sockets.mkdir()
    if user is not None:
        for p in (root, sockets):
            os.chown(p, user.pw_uid, user.pw_gid)
    init = _run_as(user, [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                          "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"])
    if init.returncode != 0:
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError("initdb failed: " + (init.stderr.strip().splitlines() or ["?"])[-1])
    last_error = ""
    for _ in range(3):  # the free port may be taken between choosing it and binding it
        port = _free_port()
        options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        started = _run_as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
                                 "-o", options, "start"])
        if started.returncode == 0:
            return PgServer("127.0.0.1", port, root)
        last_error = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else ""
    shutil.rmtree(root, ignore_errors=True)
    raise RuntimeError(f"pg_ctl start failed: {last_error}")


def _stop(bindir: Path, user: pwd.struct_passwd | None, server: PgServer) -> None:
    _run_as(user, [str(bindir / "pg_ctl"), "-D", str(server.root / "data"), "-m", "immediate", "-w", "stop"])
    shutil.rmtree(server.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server():
    """A running throwaway PostgreSQL cluster for the whole session (one per xdist worker)."""
    bindir = find_pg_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl, postgres) not found: PostgreSQL tests skipped")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'xxgk[scale]'): PostgreSQL tests skipped")
    user, created = _server_user()
    if os.geteuid() == 0 and user is None:
        pytest.skip("running as root and no unprivileged user to run PostgreSQL as: PostgreSQL tests skipped")
    try:
        server = _start(bindir, user)
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        if created:
            subprocess.run(["userdel", _CREATED_USER], capture_output=True)
        pytest.skip(f"throwaway PostgreSQL could not start ({exc}): PostgreSQL tests skipped")
    try:
        yield server
    finally:
        _stop(bindir, user, server)
        if created:
            subprocess.run(["userdel", _CREATED_USER], capture_output=True)


def fresh_database(server: PgServer, template: str | None = None) -> str:
    """Create a new empty database (or a copy of ``template``) and return its URL."""
    import psycopg

    name = f"t{os.getpid()}_{next(_counter)}"
    clause = f" TEMPLATE {template}" if template else ""
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return server.url(name)


def drop_database(server: PgServer, url: str) -> None:
    """Drop a database made by fresh_database, closing whatever connections a test left open."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server.url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url(pg_server: PgServer):
    """The URL of a fresh empty database, dropped after the test."""
    url = fresh_database(pg_server)
    yield url
    drop_database(pg_server, url)
