"""Report bodies drawn from their truth: Word-pasted or clean HTML, legacy prose, PDF, DOCX.

Takes a ``replica.truth.ReportTruth`` (title, year, format, metrics, signing office, date) and
returns bytes or an HTML fragment. Template reports (gb2019/gb2021) carry tables 2–4 of
``replica.templates``; legacy reports (2008–2018) state their numbers in sentences shaped like
real ones (the 余杭 2017 sample). A metric absent from ``metrics`` is drawn as a blank cell.
PDFs use reportlab's built-in CID font STSong-Light (no font file needed); DOCX uses python-docx.
The product's own renderer: never imports tests/.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from typing import TYPE_CHECKING

from .templates import Cell, table_rows

if TYPE_CHECKING:
    from .truth import ReportTruth

__all__ = ["body_html", "pdf_bytes", "docx_bytes", "report_paragraphs", "grid_positions"]


def _cn_date(iso: str) -> str:
    y, m, d = (int(p) for p in iso.split("-"))
    return f"{y}年{m}月{d}日"


def _value(report: "ReportTruth", key: str | None) -> str:
    if key is None or key not in report.metrics:
        return ""
    v = report.metrics[key]
    return f"{v:g}" if isinstance(v, float) else str(v)


# --- prose ----------------------------------------------------------------------------------------
def _legacy_paragraphs(r: "ReportTruth") -> list[tuple[str, str]]:
    m, y, who = r.metrics, r.year, r.subject
    return [
        ("p", f"根据《中华人民共和国政府信息公开条例》规定，编制{y}年度政府信息公开工作年度报告。"
              f"本年报所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。"),
        ("h", "一、主动公开政府信息的情况"),
        ("p", f"{y}年，{who}进一步加大政府信息公开力度，全年主动公开政府信息{m['proactive.items']}条，"
              "重点做好财政预决算、重大建设项目等领域信息公开。"),
        ("h", "二、依申请公开政府信息和不予公开政府信息情况"),
        ("p", f"{y}年，{who}共收到政府信息公开申请{m['applications.new.total']}件。其中，"
              f"当面申请{m['applications.channel.in_person']}件，网络申请{m['applications.channel.online']}件，"
              f"信函申请{m['applications.channel.letter']}件。在{y}年完成答复的{m['applications.replied']}件申请中，"
              f"属于已主动公开范围数{m['applications.already_public']}件，"
              f"属于同意公开答复数{m['applications.granted.total']}件，"
              f"属于同意部分公开答复{m['applications.partial.total']}件，"
              f"属于不同意公开答复数{m['applications.denied.total']}件，"
              f"不属于本行政机关公开数{m['applications.not_own']}件，"
              f"申请信息不存在数{m['applications.not_exist']}件，"
              f"告知作出更改补充数{m['applications.need_correction']}件，"
              f"告知通过其他途径办理数{m['applications.other_channel']}件。"),
        ("h", "三、政府信息公开行政复议、行政诉讼情况"),
        ("p", f"{y}年，{who}共处理政府信息公开行政复议案件{m['review.total']}件。其中维持具体行政行为的"
              f"{m['review.upheld']}件，被依法纠错的{m['review.corrected']}件，其他情形的{m['review.other']}件；"
              f"共处理政府信息公开行政诉讼案件{m['litigation.total']}件。其中，维持具体行政行为或者驳回原告"
              f"诉讼请求的{m['litigation.upheld']}件，被依法纠错的{m['litigation.corrected']}件，"
              f"其他情形的{m['litigation.other']}件。"),
        ("h", "四、政府信息公开的收费及减免情况"),
        ("p", f"{y}年，{who}对政府信息公开申请资料全部免费予以提供，未收取费用。"),
        ("h", "五、主要问题和改进情况"),
        ("p", "政府信息公开工作仍存在一些不足，公开内容的全面性和及时性有待提高。下一步将进一步完善工作机制，"
              "加强业务培训，不断提升政府信息公开工作水平。"),
    ]


def report_paragraphs(r: "ReportTruth") -> list[tuple[str, str]]:
    """The report as ("h"|"p"|"t<n>", text) blocks; "t<n>" stands for template table n."""
    if r.format == "legacy":
        blocks = _legacy_paragraphs(r)
    else:
        blocks = [
            ("h", "一、总体情况"),
            ("p", f"{r.year}年，{r.subject}认真贯彻落实《中华人民共和国政府信息公开条例》，"
                  "坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开。"
                  f"本报告所列数据的统计期限自{r.year}年1月1日起至{r.year}年12月31日止。"),
        ]
        for n, (heading, _) in enumerate(table_rows(r.format)):
            blocks += [("h", heading), ("t", str(n))]
        blocks += [("h", "五、存在的主要问题及改进情况"),
                   ("p", "政务公开工作与公众期待相比仍有差距，政策解读的针对性有待增强。下一步将加强统筹，"
                         "提升公开质量。"),
                   ("h", "六、其他需要报告的事项"), ("p", "无其他需要报告的事项。")]
    return blocks + [("sig", r.office), ("sig", _cn_date(r.published))]


# --- tables ---------------------------------------------------------------------------------------
def grid_positions(rows: list[list[Cell]]) -> tuple[list[tuple[int, int, Cell]], int]:
    """Place HTML-style rows (covered slots omitted) on a grid: [(row, col, cell)], width."""
    taken: set[tuple[int, int]] = set()
    placed: list[tuple[int, int, Cell]] = []
    width = 0
    for i, row in enumerate(rows):
        j = 0
        for cell in row:
            while (i, j) in taken:
                j += 1
            placed.append((i, j, cell))
            for di in range(cell.rowspan):
                for dj in range(cell.colspan):
                    taken.add((i + di, j + dj))
            j += cell.colspan
            width = max(width, j)
    return placed, width


def _placed_table(r: "ReportTruth", n: str) -> tuple[list[tuple[int, int, Cell]], int, int]:
    """Template table ``n`` (the text of a ``"t"`` paragraph) on its grid: cells, width, height."""
    placed, width = grid_positions(table_rows(r.format)[int(n)][1])
    return placed, width, max(i + c.rowspan for i, _, c in placed)


def _cell_text(r: "ReportTruth", cell: Cell) -> str:
    return cell.text if cell.key is None else _value(r, cell.key)


_RUNS = re.compile(r"\d+(?:\.\d+)?|\D+")
_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _word_runs(text: str) -> str:
    """Text as Word pastes it: digit runs in their own ``<span lang="EN-US">``, the rest in
    font spans, so a sentence arrives in many pieces."""
    out = []
    for run in _RUNS.findall(text):
        if run[0].isdigit():
            out.append(f'<span lang="EN-US" style="font-family:仿宋_GB2312">{run}</span>')
        else:
            out.append(f'<span style="font-family:仿宋_GB2312;mso-ascii-font-family:宋体">'
                       f'{html.escape(run)}</span>')
    return "".join(out)


def _word_text(text: str, header: bool) -> str:
    esc = html.escape(text)
    if header and len(text) >= 6 and "（" not in text:
        half = len(text) // 2   # Word breaks long header words inside the word
        esc = html.escape(text[:half]) + "<br />" + html.escape(text[half:])
    return esc


def _table_html(r: "ReportTruth", rows: list[list[Cell]], word: bool) -> str:
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" align="center" '
           'style="border-collapse:collapse;mso-table-layout-alt:fixed">' if word
           else '<table border="1" cellspacing="0" cellpadding="2" style="width:100%">']
    for row in rows:
        out.append("<tr>")
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            text = _cell_text(r, cell)
            if cell.key is not None and r.layout == "word_fullwidth":
                text = text.translate(_FULLWIDTH)
            if word:
                inner = _word_text(text, cell.header) if text else "&nbsp;"
                out.append(f'<td nowrap="nowrap"{spans} style="width:64px;padding:0cm 5.4pt">'
                           f'<p class="MsoNormal" align="center" style="text-align:center">'
                           f'<span style="font-family:宋体;mso-bidi-font-family:宋体;font-size:10.5pt">'
                           f'{inner}</span></p></td>')
            else:
                out.append(f"<td{spans}>{html.escape(text) if text else '&nbsp;'}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def body_html(r: "ReportTruth", *, word: bool = False) -> str:
    """The report body as an HTML fragment (what sits inside the page's content container);
    Word-pasted markup when ``word`` or the report's layout says so."""
    word = word or r.layout.startswith("word")
    tables = table_rows(r.format) if r.format != "legacy" else []
    parts = []
    for kind, text in report_paragraphs(r):
        if kind == "t":
            parts.append(_table_html(r, tables[int(text)][1], word))
        elif kind == "sig":
            parts.append(f'<p class="MsoNormal" align="right" style="text-align:right">'
                         f'<span>{html.escape(text)}</span></p>')
        elif kind == "h":
            parts.append(f'<p class="MsoNormal" style="text-indent:2em"><strong><span style="font-family:黑体">'
                         f'{html.escape(text)}</span></strong></p>' if word
                         else f"<h3>{html.escape(text)}</h3>")
        else:
            parts.append(f'<p class="MsoNormal" style="text-indent:2em;line-height:28pt">'
                         f'{_word_runs(text)}</p>' if word else f"<p>{html.escape(text)}</p>")
    return "\n".join(parts)


# --- PDF ------------------------------------------------------------------------------------------
def pdf_bytes(r: "ReportTruth") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("body", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=12, leading=20)
    title = ParagraphStyle("title", parent=body, fontSize=15, leading=22, alignment=1)
    right = ParagraphStyle("right", parent=body, alignment=2)
    small = ParagraphStyle("cell", parent=body, fontSize=6.5, leading=8, alignment=1)
    buf = io.BytesIO()
    # invariant: no timestamp or random id, so the same report gives the same bytes (and ETag)
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=36, rightMargin=36, topMargin=40,
                            bottomMargin=40, title=r.title, author=r.office, invariant=1)
    flow = [Paragraph(html.escape(r.title), title), Spacer(1, 10)]
    for kind, text in report_paragraphs(r):
        if kind == "t":
            placed, width, height = _placed_table(r, text)
            data = [["" for _ in range(width)] for _ in range(height)]
            style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                     ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
            for i, j, cell in placed:
                data[i][j] = Paragraph(html.escape(_cell_text(r, cell)), small)
                if cell.rowspan > 1 or cell.colspan > 1:
                    style.append(("SPAN", (j, i), (j + cell.colspan - 1, i + cell.rowspan - 1)))
            table = Table(data, colWidths=[doc.width / width] * width, repeatRows=0)
            table.setStyle(TableStyle(style))
            flow += [table, Spacer(1, 8)]
        elif kind == "h":
            flow.append(Paragraph(html.escape(text), head))
        elif kind == "sig":
            flow.append(Paragraph(html.escape(text), right))
        else:
            flow.append(Paragraph(html.escape(text), body))
    doc.build(flow)
    return buf.getvalue()


# --- DOCX -----------------------------------------------------------------------------------------
def docx_bytes(r: "ReportTruth") -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    doc.core_properties.title = r.title
    doc.core_properties.author = r.office
    p = doc.add_paragraph(r.title)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in report_paragraphs(r):
        if kind == "t":
            placed, width, height = _placed_table(r, text)
            table = doc.add_table(rows=height, cols=width)
            table.style = "Table Grid"
            # table.cell() walks the whole table each call: take the cells once, before merging
            flat = table._cells
            for i, j, cell in placed:
                target = flat[i * width + j]
                if cell.rowspan > 1 or cell.colspan > 1:
                    target = target.merge(flat[(i + cell.rowspan - 1) * width + j + cell.colspan - 1])
                target.text = _cell_text(r, cell)
        else:
            para = doc.add_paragraph(text)
            if kind == "sig":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """The same zip with every member dated 1980-01-01, so equal reports give equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
