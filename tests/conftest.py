"""Shared fixtures: real temporary archive homes, the repo's paths, the CLI runner."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# the real samples of shared/samples, copied in: tests never read anything beside the repository
SAMPLES = REPO / "tests" / "data" / "samples"
EXAMPLES = REPO / "archive" / "examples"
XXGK = Path(sys.executable).parent / "xxgk"


@pytest.fixture
def home_path(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def home(home_path: Path):
    from archive.home import Home

    h = Home.open(home_path, create=True)
    yield h
    h.close()


def run_cli(*args: str, env: dict | None = None, input: str | None = None):
    """Run the real console script in a subprocess; return CompletedProcess (text)."""
    import subprocess

    e = dict(os.environ)
    e.pop("XXGK_HOME", None)
    e.update(env or {})
    return subprocess.run([str(XXGK), *args], capture_output=True, text=True, env=e, input=input, timeout=600)
