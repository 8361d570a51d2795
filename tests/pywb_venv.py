"""pywb's own venv, ``.venv-pywb/`` in the repository: made once, by the test command in the background
while the tests run (``python3 tasks.py test``) or by the first test that needs it.

    ensure() -> Path | str     the venv's bin folder, or why it could not be made (no PyPI, say)

pywb (and py-wacz, which needs it) cannot live in the project's venv: it installs a top-level
``tests`` package that shadows ours. One lock (``.venv-pywb.lock`` beside it) keeps the background
build and the test workers from making it twice: whoever comes second waits, then finds it made.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYWB_VENV = REPO / ".venv-pywb"
PACKAGES = ("pywb", "wacz")  # the replay server, and Webrecorder's own WACZ validator
INSTALL_TIMEOUT = 600


def ensure(venv: Path = PYWB_VENV) -> Path | str:
    bin_dir = venv / "bin"
    with open(venv.with_name(venv.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = venv / ".installed"
        if marker.exists() and marker.read_text().split() == list(PACKAGES):
            return bin_dir
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True,
                           capture_output=True, timeout=120)
            subprocess.run([str(bin_dir / "pip"), "install", "-q", *PACKAGES], check=True, capture_output=True,
                           timeout=INSTALL_TIMEOUT)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            return (f"pywb could not be installed in {venv} (pip install {' '.join(PACKAGES)}: no PyPI?): "
                    f"{str(getattr(e, 'stderr', b'') or e)[-200:]}")
        marker.write_text(" ".join(PACKAGES) + "\n")
    return bin_dir


if __name__ == "__main__":
    made = ensure()
    sys.exit(0 if isinstance(made, Path) else 1)
