"""``parser.pipeline.preload`` (what a parse worker runs before its first job's clock starts) imports
every module a parse of each kind of document needs: a stage that starts importing a module lazily
must name it in ``STAGE_MODULES``, or the first document of every new worker pays for it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# parses every kind of document after preload() and prints the parser modules they imported
_CHILD = r"""
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from fixtures import reportrender
from fixtures.reportgen import LAYOUTS, random_record
from fixtures.reportlayout import build_tables
import parser.pipeline as pipeline

record = random_record("gb2021", 5)
docs = []
for layout, media in (("html_clean", "text/html"), ("pdf_cid", "application/pdf"), ("txt_copy", "text/plain"),
                      ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
    spec = LAYOUTS[layout]
    render = getattr(reportrender, "render_" + spec.renderer)
    docs.append((render(record, build_tables(record, spec.style), spec), media))
docs.append((open(sys.argv[1] + "/tests/data/real/anhui-anqing-2012.txt", "rb").read(), "text/plain"))  # prose
pipeline.preload()
before = {m for m in sys.modules if m.startswith("parser")}
years = [pipeline.parse(data, media).year for data, media in docs]
print(json.dumps({"years": years, "imported": sorted(m for m in sys.modules if m.startswith("parser") and m not in before)}))
"""


def test_preload_leaves_no_parser_module_for_a_documents_parse_to_import():
    done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(out["years"]) == 5 and all(out["years"])  # every kind was read as a report
    # OCR is for scanned pages only: a document with text never needs it
    assert [m for m in out["imported"] if "ocr" not in m] == []
