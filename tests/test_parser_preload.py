"""``parser.pipeline.preload`` (what a parse worker runs before its first parse's clock starts) builds
what every document needs: after it a prose report imports no parser module, and a document of
another kind imports only its format's own reader (and the template-prose reader), a few tenths of
a second, never the legacy reader's pattern unions that took a second or more."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# parses every kind of document after preload(), each in its own process, and prints the parser
# modules that parse imported and its CPU seconds
_CHILD = r"""
import json, sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from fixtures import reportrender
from fixtures.reportgen import LAYOUTS, random_record
from fixtures.reportlayout import build_tables
layout, media = sys.argv[2], sys.argv[3]
if layout == "prose":
    data = open(sys.argv[1] + "/tests/data/real/anhui-anqing-2012.txt", "rb").read()
else:
    record = random_record("gb2021", 5)
    spec = LAYOUTS[layout]
    data = getattr(reportrender, "render_" + spec.renderer)(record, build_tables(record, spec.style), spec)
import parser.pipeline as pipeline
pipeline.preload()
before = {m for m in sys.modules if m.startswith("parser")}
t = time.process_time()
year = pipeline.parse(data, media).year
print(json.dumps({"year": year, "seconds": time.process_time() - t,
                  "imported": sorted(m for m in sys.modules if m.startswith("parser") and m not in before)}))
"""

# what a document's first parse may still import: its format's reader and the template-prose reader
_OWN_READERS = ("parser.extract.html", "parser.extract.js_object", "parser.extract.pdf", "parser.extract.docx", "parser.extract.zipguard", "parser.extract.doc",
                "parser.extract.ocr", "parser.template_prose", "parser.template_text", "parser.text_grid")


def _first_parse(layout: str, media: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(ROOT), layout, media], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_after_preload_a_prose_report_imports_nothing():
    first = _first_parse("prose", "text/plain")
    assert first["year"] == 2012 and first["imported"] == []


def test_after_preload_other_documents_import_only_their_own_reader():
    for layout, media in (("html_clean", "text/html"), ("pdf_cid", "application/pdf"), ("txt_copy", "text/plain"),
                          ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")):
        first = _first_parse(layout, media)
        assert first["year"], layout
        assert [m for m in first["imported"] if not m.startswith(_OWN_READERS)] == [], (layout, first["imported"])
