"""Issue 14, item 12: `reports` in the order of the division table (region code), then year; report
ids that stay the same for the same documents across a rebuild of the same inputs."""
from __future__ import annotations

import json
from pathlib import Path

from archive.report_ids import ID_LOW, ID_SPAN, candidate_ids
from conftest import EXAMPLES, run_cli


def _reports(home: Path) -> list[dict]:
    r = run_cli("reports", "--json", "--home", str(home))
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_reports_sorted_by_region_code_then_year(tmp_path: Path):
    home = tmp_path / "h"
    assert run_cli("import", str(EXAMPLES), "--home", str(home), "--no-index").returncode == 0
    rows = _reports(home)
    codes = [r["region_code"] for r in rows]
    assert codes == sorted(codes) and [r["region"][:2] for r in rows] == ["浙江", "安徽", "海南", "贵州"]
    tsv = run_cli("reports", "--home", str(home)).stdout.splitlines()
    assert [line.split("\t")[2][:2] for line in tsv[1:]] == ["浙江", "安徽", "海南", "贵州"]


def test_ids_are_the_same_for_the_same_documents_whatever_the_order(tmp_path: Path):
    files = sorted(EXAMPLES.iterdir())
    ids = []
    for n, order in enumerate((files, files[::-1])):
        home = tmp_path / f"h{n}"
        for f in order:  # one import per file: the order of saving differs between the two homes
            assert run_cli("import", str(f), "--home", str(home), "--no-index").returncode == 0
        ids.append({r["sha256"]: r["id"] for r in _reports(home)})
    assert ids[0] == ids[1] and len(ids[0]) == len(files)
    assert all(ID_LOW <= i < ID_LOW + ID_SPAN for i in ids[0].values())  # six digits, never a year


def test_candidate_ids_are_a_fixed_sequence():
    seq = list(zip(range(12), candidate_ids("abc")))
    assert [i for _, i in seq] == [i for _, i in zip(range(12), candidate_ids("abc"))]
    assert len({i for _, i in seq}) == 12
