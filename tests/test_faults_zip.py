"""Zip bombs: every ZIP member read under caps (parser.extract.zipguard), refused before inflating."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from conftest import XXGK  # noqa: E402
from fault_files import lying_zip_docx, many_members_zip, run_measured, zip_bomb_docx  # noqa: E402
from parser import ParseSettings, UnreadableError  # noqa: E402
from parser.extract import extract  # noqa: E402
from parser.extract.zipguard import declared_member_count, open_zip  # noqa: E402


def test_xxgk_parse_refuses_a_docx_bomb_fast_and_small(tmp_path: Path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(zip_bomb_docx(3 * 10**9))  # ~10 MB on disk, 3 GB inflated
    rc, _, err, seconds, peak_mb = run_measured([str(XXGK), "parse", str(bomb)])
    assert rc == 2, err
    assert "zip bomb" in err and "word/document.xml" in err
    assert seconds < 5 and peak_mb < 300, (seconds, peak_mb)


def test_import_records_the_bomb_as_an_error_row(tmp_path: Path):
    bomb = tmp_path / "in" / "bomb.docx"
    bomb.parent.mkdir()
    bomb.write_bytes(zip_bomb_docx(2 * 10**9))
    home = tmp_path / "home"
    rc, out, err, seconds, peak_mb = run_measured([str(XXGK), "import", str(bomb.parent), "--home", str(home),
                                                  "--no-index"])
    assert "zip bomb" in err + out
    assert seconds < 20 and peak_mb < 300, (seconds, peak_mb)
    import sqlite3

    conn = sqlite3.connect(home / "catalog.sqlite")
    assert conn.execute("SELECT reason FROM errors WHERE stage = 'parse'").fetchone()[0] == "zip_bomb"


def test_a_lying_directory_inflates_no_further_than_it_declares():
    with pytest.raises(UnreadableError) as e:
        extract(lying_zip_docx(), None)
    assert e.value.reason in ("damaged_docx", "truncated_zip")


def test_the_member_count_is_refused_before_the_directory_is_read():
    data = many_members_zip(60_000)
    assert declared_member_count(data) == 60_000
    with pytest.raises(UnreadableError) as e:
        extract(data, None)
    assert e.value.reason == "zip_bomb" and "60,000 members" in str(e.value)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_guard_limits_are_settings_and_read_streams_under_the_cap():
    with open_zip(_zip({"a.xml": b"<x/>" * 1000})) as zf:
        assert zf.read("a.xml") == b"<x/>" * 1000
    data = _zip({"a.xml": b"<x/>" * 1000, "big.bin": b"\0" * (3 << 20)})
    with pytest.raises(UnreadableError, match="inflates .* times"):  # 3 MB of zeros: ratio ~1000
        open_zip(data)
    assert open_zip(data, ParseSettings(max_zip_ratio=5000)).read("big.bin") == b"\0" * (3 << 20)
    with pytest.raises(UnreadableError, match="together"):
        open_zip(data, ParseSettings(max_zip_ratio=5000, max_zip_total_bytes=1 << 20))
    with pytest.raises(UnreadableError) as e:
        open_zip(b"PK\x03\x04 not really a zip")
    assert e.value.reason == "truncated_zip"
