"""Issue 14, item 14 (part): `xxgk --version`, and --home / --lang accepted before the command."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import SAMPLES, run_cli


def test_version():
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("xxgk ") and "parser" in r.stdout


def test_home_before_the_command(tmp_path: Path):
    home = str(tmp_path / "h")
    assert run_cli("--home", home, "import", str(SAMPLES / "yuhang-2017.txt"), "--no-index").returncode == 0
    rows = json.loads(run_cli("--home", home, "reports", "--json").stdout)
    assert len(rows) == 1 and rows[0]["year"] == 2017
    # a command's own --home still wins
    r = run_cli("--home", home, "reports", "--home", str(tmp_path / "none"))
    assert r.returncode == 1 and "no archive at" in r.stderr
