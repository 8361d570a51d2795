"""Pages past libxml2's limits are read, or say why: a 20 MB text node, 200,000 nested <div>s."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from conftest import XXGK  # noqa: E402
from fault_files import big_text_html, deep_html, run_measured  # noqa: E402
from parser.extract import extract  # noqa: E402


def _parse_cli(tmp_path: Path, name: str, data: bytes):
    f = tmp_path / name
    f.write_bytes(data)
    rc, out, err, seconds, peak_mb = run_measured([str(XXGK), "parse", str(f), "--json"], timeout=300)
    assert rc == 0, err
    return json.loads(out), seconds, peak_mb


def _warnings(record: dict) -> list[str]:
    return [f["message"] for f in record["findings"] if f["rule"] == "parse.warning"]


def test_200000_nested_divs_are_read_flat_and_say_so(tmp_path: Path):
    record, seconds, peak_mb = _parse_cli(tmp_path, "deep.html", deep_html(200_000))
    assert record["region"] == "浙江省杭州市余杭区" and record["year"] == 2017 and record["metrics"]
    assert any("nested deeper" in w for w in _warnings(record))
    assert seconds < 30 and peak_mb < 500, (seconds, peak_mb)


def test_a_20_mb_text_node_is_read_up_to_the_text_limit(tmp_path: Path):
    record, seconds, peak_mb = _parse_cli(tmp_path, "big.html", big_text_html(20 * 10**6))
    assert record["region"] == "浙江省杭州市余杭区" and record["metrics"]
    assert any("read the first 1,000,000" in w for w in _warnings(record))
    assert seconds < 60 and peak_mb < 800, (seconds, peak_mb)


def test_an_11_mb_text_node_is_no_longer_dropped():
    # libxml2 without huge_tree drops a text node over 10,000,000 bytes: the page read as empty
    doc = extract(b"<html><body><p>" + "政府信息公开".encode() * 700_000 + b"</p></body></html>", "text/html")
    assert len(doc.text) == 1_000_000 and doc.warnings
