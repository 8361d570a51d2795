"""Archive homes for the CLI tests of issue 14, built once per test session.

``demo_home`` runs `xxgk demo` (the offline replica crawled, the examples imported, the index
built) into one folder shared by every pytest-xdist worker of the session (a lock file makes the
first worker build it and the others wait). ``examples_home`` imports the bundled examples.
"""
from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import termios
from pathlib import Path

from conftest import EXAMPLES, XXGK, run_cli

__all__ = ["demo_home", "examples_home", "run_tty", "run_tmux"]


def demo_home(tmp_path_factory) -> Path:
    """The session's demo home for the catalog of the calling module: a [postgres] module (its
    XXGK_CATALOG set) gets one whose catalog is on the test server, every other module a SQLite one,
    whichever module happened to ask first."""
    root = tmp_path_factory.getbasetemp()
    shared = root.parent if root.name.startswith("popen-gw") else root
    server = os.environ.get("XXGK_CATALOG", "")
    name = "xxgk-demo-home-pg" if server else "xxgk-demo-home"
    home = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (home / ".built").exists():
            r = run_cli("demo", "--home", str(home), env={"XXGK_CATALOG": server})
            assert r.returncode == 0, r.stdout + r.stderr
            (home / ".demo-output").write_text(r.stdout, encoding="utf-8")  # what the user saw
            (home / ".built").write_text("ok")
    return home


def examples_home(path: Path) -> Path:
    r = run_cli("import", str(EXAMPLES), "--home", str(path))
    assert r.returncode == 0, r.stdout + r.stderr
    return path


def run_tty(*args: str, columns: int = 80, env: dict | None = None, timeout: float = 300) -> tuple[int, str]:
    """Run the real console script with stdout and stderr on a pseudo-terminal ``columns`` wide
    (as a user at a terminal sees it); return (exit code, the text it printed, escapes removed)."""
    import re
    import select
    import time

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    e = dict(os.environ)
    e.pop("XXGK_HOME", None)
    e.update({"COLUMNS": str(columns), "TERM": "xterm", **(env or {})})
    proc = subprocess.Popen([str(XXGK), *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=e,
                            close_fds=True)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the other side closed
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    code = proc.wait(timeout=30)
    text = b"".join(chunks).decode("utf-8", errors="replace").replace("\r\n", "\n")
    # colours, cursor moves and the live progress line a terminal shows and erases
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", text)
    return code, "\n".join(line.split("\r")[-1] for line in text.split("\n"))


def run_tmux(*args: str, columns: int = 80, env: dict | None = None, timeout: float = 300) -> tuple[int, str]:
    """Run the real console script in a tmux pane ``columns`` wide and return (exit code, the screen
    with its scrollback). Lines the terminal had to wrap come back joined (capture-pane -J): a line
    wider than the pane is seen as such. Live progress displays are rendered as a terminal does."""
    import shlex
    import shutil
    import tempfile
    import time
    import uuid

    tmux = shutil.which("tmux")
    if tmux is None:
        import pytest

        pytest.skip("tmux is not installed (apt-get install tmux)")
    sock = f"xxgk-{uuid.uuid4().hex[:10]}"
    e = {k: v for k, v in os.environ.items() if k != "XXGK_HOME"}
    e.update({"TERM": "xterm-256color", **(env or {})})
    e.pop("COLUMNS", None)
    e.pop("LINES", None)
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write("set -g history-limit 100000\nset -g remain-on-exit on\n")
    command = " ".join(shlex.quote(a) for a in [str(XXGK), *args]) + "; echo __XXGK_EXIT_$?__"
    base = [tmux, "-L", sock, "-f", conf.name]
    try:
        subprocess.run([*base, "new-session", "-d", "-x", str(columns), "-y", "50", "sh", "-c", command],
                       check=True, env=e)
        deadline = time.monotonic() + timeout
        text = ""
        while time.monotonic() < deadline:
            text = subprocess.run([*base, "capture-pane", "-p", "-J", "-S", "-", "-E", "-"], capture_output=True,
                                  text=True, env=e).stdout
            if "__XXGK_EXIT_" in text:
                break
            time.sleep(0.3)
    finally:
        subprocess.run([*base, "kill-server"], capture_output=True, env=e)
        os.unlink(conf.name)
    import re

    m = re.search(r"__XXGK_EXIT_(\d+)__", text)
    body = text[:m.start()] if m else text
    return (int(m.group(1)) if m else -1), "\n".join(line.rstrip() for line in body.splitlines()).strip("\n")
