"""Issue 14, item 12: `reports` in the order of the division table (region code), then year."""
from __future__ import annotations

import json
from pathlib import Path

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
