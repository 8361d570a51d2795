"""The search backend a home gets (issue 18): tantivy, the fastest installed; Whoosh where tantivy
cannot be imported (a Python here without it: ``sys.modules['tantivy'] = None`` makes its import
fail as on a platform without a wheel); ``--backend`` and XXGK_INDEX_BACKEND choose; an existing
index keeps the backend it was built with."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "tests" / "data" / "samples"
NO_TANTIVY = "import sys; sys.modules['tantivy'] = None\n"


def xxgk(*args: str, tantivy: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    code = ("" if tantivy else NO_TANTIVY) + "import sys\nfrom archive.cli import main\nsys.exit(main(sys.argv[1:]))"
    e = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=REPO,
                          env={**e, **(env or {})}, timeout=300)


def backend_of(home: Path) -> str:
    return json.loads((home / "index" / "meta.json").read_text("utf-8"))["backend"]


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> Path:
    """The sample reports archived, no index yet."""
    home = tmp_path_factory.mktemp("backends") / "base"
    r = xxgk("import", str(SAMPLES), "--no-index", "--home", str(home))
    assert r.returncode == 0, r.stderr
    return home


@pytest.fixture
def home(archived: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(archived, tmp_path / "home"))


def _search_total(home: Path, tantivy: bool = True) -> int:
    r = xxgk("search", "政府信息公开", "--json", "--home", str(home), tantivy=tantivy)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["total"]


def test_a_new_index_is_tantivy(home: Path):
    pytest.importorskip("tantivy")
    r = xxgk("index", "--home", str(home))
    assert r.returncode == 0 and "(tantivy)" in r.stdout, r.stdout + r.stderr
    assert backend_of(home) == "tantivy" and _search_total(home) > 0


def test_without_tantivy_whoosh_is_chosen_and_the_home_keeps_it(home: Path):
    r = xxgk("index", "--home", str(home), tantivy=False)
    assert r.returncode == 0 and "(whoosh)" in r.stdout, r.stdout + r.stderr
    assert backend_of(home) == "whoosh"
    total = _search_total(home, tantivy=False)
    assert total > 0
    # tantivy installed later: the home keeps what it was built with, until asked
    assert _search_total(home) == total
    r = xxgk("index", "--home", str(home))
    assert r.returncode == 0 and "(whoosh)" in r.stdout and backend_of(home) == "whoosh"


def test_asking_for_tantivy_where_it_cannot_be_imported_is_one_clear_line(home: Path):
    r = xxgk("index", "--backend", "tantivy", "--home", str(home), tantivy=False)
    assert r.returncode == 1
    line, = r.stderr.strip().splitlines()
    assert "tantivy" in line and "--backend whoosh" in line
    assert not (home / "index" / "meta.json").exists() or backend_of(home) != "tantivy"


@pytest.mark.parametrize("how", ["option", "env"])
def test_whoosh_is_chosen_by_option_or_setting(home: Path, how: str):
    pytest.importorskip("tantivy")
    if how == "option":
        r = xxgk("index", "--backend", "whoosh", "--home", str(home))
    else:
        r = xxgk("index", "--home", str(home), env={"XXGK_INDEX_BACKEND": "whoosh"})
    assert r.returncode == 0 and "(whoosh)" in r.stdout, r.stdout + r.stderr
    assert backend_of(home) == "whoosh"
    tantivy_total = _search_total(home)
    # and back: --backend tantivy --rebuild, the same answers
    r = xxgk("index", "--backend", "tantivy", "--rebuild", "--home", str(home))
    assert r.returncode == 0 and backend_of(home) == "tantivy"
    assert _search_total(home) == tantivy_total
