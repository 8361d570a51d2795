"""Hostile file names are printed safely (control characters escaped, non-UTF-8 bytes as \\xNN,
--json valid UTF-8); `xxgk parse` refuses a file over the size limit before reading it."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from archive.safe_text import safe_text  # noqa: E402
from conftest import XXGK  # noqa: E402
from fault_files import report_text, run_measured  # noqa: E402


def test_safe_text_escapes_controls_and_undecodable_bytes():
    assert safe_text("a\x1b[2Jb\nc\td\x7f\x9b") == "a\\x1b[2Jb\\nc\\td\\x7f\\x9b"
    assert safe_text(os.fsdecode(b"r\xff\xfe.txt")) == "r\\xff\\xfe.txt"
    assert safe_text("余杭区 2017.txt") == "余杭区 2017.txt"


def test_import_prints_hostile_names_escaped_and_json_is_valid_utf8(tmp_path: Path):
    src = tmp_path / "in"
    src.mkdir()
    names = [b"\x1b[31mred\x1b[0m.txt", b"two\nlines.txt", b"bad\xffbyte.txt", b"empty\x07.txt"]
    for raw in names[:3]:
        with open(os.path.join(os.fsencode(src), raw), "wb") as f:
            f.write(report_text(len(raw)).encode("utf-8"))
    open(os.path.join(os.fsencode(src), names[3]), "wb").close()  # an error line names it
    home = tmp_path / "home"
    p = subprocess.run([str(XXGK), "import", str(src), "--home", str(home), "--json", "--no-index"],
                       capture_output=True, timeout=300)
    out = p.stdout.decode("utf-8")  # strict: valid UTF-8
    data = json.loads(out)
    shown = {f["path"].rsplit("/", 1)[-1] for f in data["files"]}
    assert {"\\x1b[31mred\\x1b[0m.txt", "two\\nlines.txt", "bad\\xffbyte.txt", "empty\\x07.txt"} <= shown
    p = subprocess.run([str(XXGK), "import", str(src), "--home", str(tmp_path / "home2"), "--no-index"],
                       capture_output=True, timeout=300)
    for stream in (p.stdout, p.stderr):
        stream.decode("utf-8")
        assert b"\x1b" not in stream and b"\x07" not in stream and b"\xff" not in stream
    assert b"empty\\x07.txt" in p.stderr
    p = subprocess.run([str(XXGK), "status", "--home", str(tmp_path / "home2")], capture_output=True, timeout=60)
    assert b"\x07" not in p.stdout and b"empty\\x07.txt" in p.stdout


def test_parse_refuses_a_1_gib_file_before_reading_it(tmp_path: Path):
    big = tmp_path / "huge\x1b.pdf"
    with open(big, "wb") as f:
        f.truncate(1 << 30)  # sparse: 1 GiB that reading would have to go through
    rc, out, err, seconds, peak_mb = run_measured([str(XXGK), "parse", str(big)])
    assert rc == 2 and "over the size limit" in err and "\x1b" not in err and "huge\\x1b.pdf" in err, err
    assert seconds < 10 and peak_mb < 200, (seconds, peak_mb)
