"""Issue 14, item 3: one definition of "report" everywhere; `status` tells documents, reports, pages,
errors and orphans, and what each is; `xxgk errors` lists every error."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archive.home import Home
from cli_homes import demo_home
from conftest import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(demo_home(tmp_path_factory))


def _json(*args: str):
    r = run_cli(*args, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_the_same_report_count_in_every_command(home: str):
    listed = _json("reports", "--home", home)
    status = _json("status", "--home", home)["status"]
    compared = json.loads(run_cli("compare", "--format", "json", "--home", home).stdout)
    exported = json.loads(run_cli("export", "--shape", "wide", "--merge-duplicates", "--format", "json",
                                  "--home", home).stdout)
    searched = _json("search", "报告", "--home", home)  # every report's text says 报告
    assert len(listed) == status["reports"] == len(compared) == len(exported) == searched["total"]
    assert sum(searched["facets"]["year"].values()) == len(listed)
    copies = _json("reports", "--all-copies", "--home", home)
    assert len(copies) == status["report_documents"] > len(listed)
    assert sum(r["copies"] for r in listed) == len(copies)  # every copy stands behind one listed report


def test_status_tells_documents_reports_pages_errors_orphans(home: str, tmp_path: Path):
    r = run_cli("status", "--home", home)
    assert r.returncode == 0, r.stderr
    out = " ".join(r.stdout.split())
    for word in ("documents", "reports", "pages", "errors", "orphans", "`xxgk errors` lists them"):
        assert word in out, word
    st = _json("status", "--home", home)["status"]
    assert st["pages"] > 0 and st["orphans"] == 0  # the crawl's list pages are pages, not orphans
    assert f"{st['pages']} list pages kept from crawls" in out
    errors = _json("errors", "--home", home)
    assert len(errors) == st["errors"] > 0
    assert all(e["stage"] == "fetch" for e in _json("errors", "--stage", "fetch", "--home", home))
    assert len(_json("errors", "--not-reports", "--home", home)) == st["errors"] + st["not_reports"]
    # an orphan: a file in blobs/ that no document and no page uses
    copy = tmp_path / "h"
    shutil.copytree(home, copy)
    with Home.open(copy, create=False) as h:
        h.blobs.put_bytes(b"left behind by a killed import")
    st = _json("status", "--home", str(copy))["status"]
    assert st["orphans"] == 1
