#!/usr/bin/env python3
"""The two entry points of the README, runnable with nothing but Python 3.11+ installed.

    python3 tasks.py demo     # set up .venv if needed, then run `xxgk demo`
    python3 tasks.py test     # set up .venv (with test extras) if needed, then run the whole test suite

The virtual environment lives in .venv; it is (re)installed when pyproject.toml changes (a stamp
file holds its hash), so the second run starts at once. Extra arguments pass through
(`python3 tasks.py test -k archive`, `python3 tasks.py demo --home /tmp/x`).
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"xxgk needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256(b"".join((ROOT / f).read_bytes() for f in ("pyproject.toml", "constraints.txt")
                                     if (ROOT / f).exists())).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PY.exists():
        return
    if not PY.exists():
        print("creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"installing xxgk{'[' + extras + ']' if extras else ''} into .venv …", flush=True)
    pip = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    target = f".[{extras}]" if extras else "."
    # the versions tested together: without them pip can spend many minutes backtracking
    constraints = ["-c", "constraints.txt"] if (ROOT / "constraints.txt").exists() else []
    subprocess.run([*pip, *constraints, "-e", target], cwd=ROOT, check=True)
    stamp.write_text(digest)


# Real parts some tests drive (issue 15: a browser with CJK fonts; issue 16: a PostgreSQL server;
# issue 17: wget writing WARC files). Installed from Debian's packages when the test command runs as
# root on a Debian-like machine; elsewhere those tests skip with one line saying what is missing.
SYSTEM_PACKAGES = {
    "chromium": ["/usr/bin/chromium"],
    "fonts-noto-cjk": ["/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"],
    "postgresql": ["/usr/lib/postgresql", "/usr/local/bin/initdb"],
    "wget": ["/usr/bin/wget"],
}


def ensure_system_packages() -> None:
    missing = [pkg for pkg, paths in SYSTEM_PACKAGES.items() if not any(os.path.exists(p) for p in paths)]
    if not missing or os.name != "posix" or os.geteuid() != 0 or not os.path.exists("/usr/bin/apt-get"):
        return
    print(f"installing {' '.join(missing)} (Debian packages for the browser, PostgreSQL and WARC tests) …",
          flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    for attempt in (install, ["apt-get", "update", "-q"], install):
        try:
            done = subprocess.run(attempt, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=900)
        except (OSError, subprocess.TimeoutExpired) as exc:
            print(f"  could not run {attempt[0]}: {exc}; those tests will skip", flush=True)
            return
        if done.returncode == 0 and attempt is install:
            return
    last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
    print(f"  apt-get failed ({last}); the tests that need these packages will skip", flush=True)


def compile_sources() -> None:
    """Byte-compile xxgk's own modules once: with PYTHONDONTWRITEBYTECODE set (as on many CI machines)
    every process, every parse worker of every test, would otherwise compile them again (0.1-0.3 s each).
    Stale files are never read: Python checks each one against its source."""
    subprocess.run([str(PY), "-m", "compileall", "-q", "-j", "0", *PACKAGES], cwd=ROOT,
                   stdout=subprocess.DEVNULL, check=False)


PACKAGES = ("archive", "parser", "index", "scraper", "replica")


def demo_args(args: list[str]) -> list[str]:
    """The demo runs in the repository (its default home is ./xxgk-data there); a --home the user
    gives is relative to the folder they typed it in."""
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a == "--home" and i + 1 < len(args):
            out += [a, os.path.abspath(os.path.expanduser(args[i + 1]))]
            i += 2
            continue
        if a.startswith("--home="):
            a = "--home=" + os.path.abspath(os.path.expanduser(a.split("=", 1)[1]))
        out.append(a)
        i += 1
    return out


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("demo", "test"):
        print(__doc__)
        return 2
    task, rest = argv[0], argv[1:]
    if task == "demo":
        ensure_venv("")
        compile_sources()
        return subprocess.call([str(BIN / "xxgk"), "demo", *demo_args(rest)], cwd=ROOT)
    ensure_venv("dev")
    ensure_system_packages()
    compile_sources()
    # pywb's own venv (the WARC replay tests) is made while the other tests run; those tests wait for it
    pywb = None
    if not (ROOT / ".venv-pywb" / ".installed").exists():
        pywb = subprocess.Popen([str(PY), str(ROOT / "tests" / "pywb_venv.py")], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # -n 2: the two cores of the reference machine; slow end-to-end tests run too; the 25 slowest named (the 15-minute budget)
        return subprocess.call([str(PY), "-m", "pytest", "-n", "2", "-q", "--durations=25", *rest], cwd=ROOT)
    finally:
        if pywb is not None:
            pywb.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
