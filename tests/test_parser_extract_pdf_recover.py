"""Text pdfium's text page drops with a font that is not embedded (reportlab's STSong-Light):
repeated lines and repeated table cells, read back from pdfium in rounds; glyphs pdfium cannot
read at all leave the page to pdfminer. Real PDFs made here with reportlab.

Whether pdfium drops anything depends on its fonts: with a CJK font it substitutes one and reads
the text itself, and ``pdfium_fonts`` gives it ours on every machine (a fake bold is still dropped). So every test asserts the outcome (the text read back whole), which
must hold on any machine, and says in a comment which path a machine without CJK fonts takes."""
from __future__ import annotations

import io
import re

import pdfplumber
import pypdfium2 as pdfium
import pytest

from parser.extract import extract
from parser.extract.pdf_fastpage import FastPage
from parser.extract.pdf_recover import recover_chars

SENTENCE = "坚持以公开为常态、不公开为例外，持续深化重点领域信息公开"


def cid_pdf(lines: list[tuple[float, float, str]]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 11)
    for x, y, text in lines:
        c.drawString(x, y, text)
    c.save()
    return buf.getvalue()


def repeated_lines_pdf() -> bytes:
    rows = [(72, 760, "某某市2020年政府信息公开工作年度报告")]
    rows += [(72, 730 - 20 * k, SENTENCE) for k in range(6)]                      # the same line six times
    rows += [(72 + 40 * k, 580, "0") for k in range(7)] + [(72 + 40 * k, 560, "0") for k in range(7)]
    return cid_pdf(rows)


def lines_of(page) -> list[str]:
    return [re.sub(r"\s", "", ln["text"]) for ln in page.extract_text_lines(return_chars=False)]


def test_pdfium_drops_repeated_lines_and_the_rounds_read_every_one_back():
    data = repeated_lines_pdf()
    doc = pdfium.PdfDocument(data)
    # without CJK fonts pdfium's text page holds fewer than six copies (what the rounds are for);
    # with them it may hold all six: either way the rounds must give exactly what pdfminer reads
    chars = recover_chars(doc[0])
    assert chars is not None
    view = FastPage(width=595.0, height=842.0, chars=chars)
    with pdfplumber.open(io.BytesIO(data)) as pl:
        assert lines_of(view) == lines_of(pl.pages[0])                    # what pdfminer reads
    assert lines_of(view).count(SENTENCE) == 6 and lines_of(view)[-2:] == ["0" * 7] * 2


def test_the_reader_keeps_every_repeated_line():
    text = extract(repeated_lines_pdf(), None).text
    assert text.count(SENTENCE) == 6 and text.replace(" ", "").endswith("0000000\n0000000")


def test_a_fake_bold_read_back_is_not_doubled():
    data = cid_pdf([(72, 760, "一、总体情况"), (72.35, 760, "一、总体情况"), (72, 730, SENTENCE)])
    assert extract(data, None).text.splitlines()[:2] == ["一、总体情况", SENTENCE]


def test_a_glyph_pdfium_cannot_read_even_alone_leaves_the_page_to_pdfminer():
    data = cid_pdf([(72, 760, "商业企"), (72, 740, "业"), (72, 720, SENTENCE)])
    chars = recover_chars(pdfium.PdfDocument(data)[0])
    # without CJK fonts pdfium cannot read 业 at all and gives the page up (None: pdfminer reads
    # it); with a substitute font it reads every glyph, and then it must read them right
    if chars is not None:
        assert "".join(c["text"] for c in chars if c["text"].strip()) == "商业企业" + SENTENCE
    assert extract(data, None).text.split("\n") == ["商业企", "业", SENTENCE]


@pytest.mark.parametrize("rounds_needed", [1, 3])
def test_runs_of_repeats_take_as_many_rounds_as_they_need(rounds_needed):
    cells = [(72 + 30 * k, 700, "5") for k in range(rounds_needed * 6)]
    chars = recover_chars(pdfium.PdfDocument(cid_pdf(cells))[0])
    assert chars is not None and "".join(c["text"] for c in chars).count("5") == len(cells)


_SCAN_WITH_FOLDER = r"""
import json, pathlib, sys
folder = sys.argv[1]
if folder != "ours":
    sys.modules["mplfonts"] = None  # pdfium_fonts leaves PDFium alone: restarted here with the folder given
from parser.extract import pdfium_fonts
kept = pdfium_fonts._restart_with(pathlib.Path(folder)) if folder != "ours" else None
import pypdfium2 as pdfium
from parser.extract.budget import Deadline
from parser.extract.pdf import _scan
pdf = pdfium.PdfDocument(pathlib.Path(sys.argv[2]).read_bytes())
scan = _scan(pdf, len(pdf), Deadline(30), [])
print(json.dumps({"lost": sorted(scan.lost), "lines": [ln.strip() for ln in scan.texts[0].splitlines()]}))
"""


def test_pdfium_reads_a_lone_glyph_of_a_font_not_embedded_with_the_fonts_of_our_own(tmp_path):
    """PDFium is restarted with the CJK fonts mplfonts installs (``pdfium_fonts``), in place of the
    machine's: a text object of one glyph in STSong-Light, not embedded, is read by PDFium itself
    and the page has lost nothing. The control, PDFium restarted with an empty font folder (a
    machine without CJK fonts, as most servers): the lone glyphs are gone and the page is marked as
    having lost text (it went to pdfminer, 80–130 ms a page). Each in a process of its own: PDFium
    is restarted before any document is opened."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from parser.extract import pdfium_fonts

    assert pdfium_fonts.FONT_FOLDER is not None and any(pdfium_fonts.FONT_FOLDER.glob("NotoSansCJK*"))
    lines = ["业", "开", SENTENCE, "0", SENTENCE]  # (a lone number last would be the page number)
    pdf = tmp_path / "lone.pdf"
    pdf.write_bytes(cid_pdf([(72, 760 - 20 * k, text) for k, text in enumerate(lines)]))
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    root = Path(__file__).resolve().parent.parent

    def scan(folder: str) -> dict:
        r = subprocess.run([sys.executable, "-c", _SCAN_WITH_FOLDER, folder, str(pdf)], cwd=root,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    assert scan("ours") == {"lost": [], "lines": lines}
    control = scan(str(empty))
    assert control["lost"] == [0] and "业" not in control["lines"] and SENTENCE in control["lines"]
    assert "".join(extract(pdf.read_bytes(), None).text.split()) == "".join(lines)


def test_the_fonts_folder_is_found_without_importing_matplotlib():
    """mplfonts' ``__init__`` imports matplotlib and numpy (~0.2 s of every parsing process's first
    PDF); ``pdfium_fonts`` only needs the package's folder. In a fresh process the PDF reader loads
    neither, and still gives PDFium the package's CJK fonts."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = ("import json, sys; from parser.extract import pdf, pdfium_fonts; "
            "print(json.dumps([str(pdfium_fonts.FONT_FOLDER), [m for m in ('matplotlib', 'numpy', 'mplfonts') "
            "if m in sys.modules]]))")
    r = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parent.parent,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    folder, loaded = json.loads(r.stdout)
    assert loaded == []
    assert Path(folder).parent.name == "mplfonts" and any(Path(folder).glob("NotoSansCJK*"))
