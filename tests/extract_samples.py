"""Real files for the reader tests and the parse benchmark, generated on the spot.

PDFs are drawn with reportlab (a built-in CID font ``STSong-Light``, or the embedded TrueType
wqy-microhei that the ``paperang-p2-fonts-cjk`` package ships), DOCX files with python-docx.
Each builder returns bytes; nothing is written unless a test asks for a path.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

__all__ = [
    "TABLE2_GB2021", "TABLE3_HEADER", "TABLE3_ROWS", "TABLE4", "PROSE", "cjk_ttf_path",
    "report_pdf", "fake_bold_pdf", "encrypted_pdf", "image_only_pdf", "report_docx", "report_html",
    "boxed_table_pdf", "one_path_grid_pdf", "open_table_pdf",
    "SHANGHAI", "NOTE", "DENIED", "UNABLE", "REJECTED", "PROSE_2019", "page", "td",
]

TABLE2_GB2021 = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "2", "0", "15"],
    ["行政规范性文件", "12", "3", "87"],
]
TABLE3_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "", "", "申请人情况", "", "", "", "", "", ""],
    ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
_OUTCOMES = [
    ("三、本年度办理结果", "（一）予以公开", ""), ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("", "（三）不予公开", "1.属于国家秘密"), ("", "", "2.其他法律行政法规禁止公开"),
    ("", "", "3.危及“三安全一稳定”"), ("", "", "4.保护第三方合法权益"), ("", "", "5.属于三类内部事务信息"),
    ("", "", "6.属于四类过程性信息"), ("", "", "7.属于行政执法案卷"), ("", "", "8.属于行政查询事项"),
    ("", "（四）无法提供", "1.本机关不掌握相关政府信息"), ("", "", "2.没有现成信息需要另行制作"),
    ("", "", "3.补正后申请内容仍不明确"), ("", "（五）不予处理", "1.信访举报投诉类申请"), ("", "", "2.重复申请"),
    ("", "", "3.要求提供公开出版物"), ("", "", "4.无正当理由大量反复申请"),
    ("", "", "5.要求行政机关确认或重新出具已获取信息"), ("", "（六）其他处理", "1.申请人无正当理由逾期不补正"),
    ("", "", "2.申请人逾期未按收费通知要求缴纳费用"), ("", "", "3.其他"), ("", "（七）总计", ""),
]
TABLE3_ROWS = (
    [["一、本年新收政府信息公开申请数量", "", "", "40", "5", "0", "1", "0", "0", "46"],
     ["二、上年结转政府信息公开申请数量", "", "", "3", "0", "0", "0", "0", "0", "3"]]
    + [[a, b, c] + [str((i * 3 + k) % 5) for k in range(7)] for i, (a, b, c) in enumerate(_OUTCOMES)]
    + [["四、结转下年度继续办理", "", "", "2", "0", "0", "0", "0", "0", "2"]]
)
TABLE4 = [
    ["行政复议", "", "", "", "", "行政诉讼", "", "", "", "", "", "", "", "", ""],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
    ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "结果维持", "结果纠正", "其他结果",
     "尚未审结", "总计"],
    ["1", "0", "0", "0", "1", "2", "1", "0", "0", "3", "0", "0", "0", "0", "0"],
]
PROSE = ("2020年，我市深入贯彻落实党中央、国务院关于全面推进政务公开工作的决策部署，坚持以公开为常态、"
         "不公开为例外，围绕市委市政府中心工作，持续深化重点领域信息公开，加强政策解读与回应关切，"
         "不断提升政务公开质量和实效，全年共主动公开政府信息一万余条。")


# ---- HTML: a Word-pasted report page (sites.md 2: nowrap cells, <p align="center">, rowspans 20/8/3)

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
DENIED = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
          "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项"]
UNABLE = ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]
REJECTED = ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息"]
PROSE_2019 = "2019年，我区认真贯彻落实新修订的《中华人民共和国政府信息公开条例》，围绕区委区政府中心工作，扎实推进政务公开。" * 3


def td(text: str, **attrs) -> str:
    """A Word-pasted cell: nowrap, a width style, the text in <p align="center"><span>."""
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<td nowrap style="width:64px"{extra}><p align="center"><span lang="EN-US">{text}</span></p></td>'


def numbers(k: int) -> str:
    # blanks written as &nbsp; in some cells, as on real pages
    return "".join(td("&nbsp;" if (k + j) % 5 == 0 else str(k + j)) for j in range(7))


def word_table3() -> str:
    rows = [
        "<tr>" + td(NOTE, rowspan=3, colspan=3) + td("申请人情况", colspan=7) + "</tr>",
        "<tr>" + td("自然人", rowspan=2) + td("法人或其他组织", colspan=5) + td("总计", rowspan=2) + "</tr>",
        "<tr>" + "".join(td(h) for h in ["商业<br />企业", "科研<br>机构", "社会公益<br/>组织", "法律服务<br>机构", "其他"]) + "</tr>",
        "<tr>" + td("一、本年新收政府信息公开申请数量", colspan=3) + numbers(1) + "</tr>",
        "<tr>" + td("二、上年结转政府信息公开申请数量", colspan=3) + numbers(2) + "</tr>",
        "<tr>" + td("三、本年度办理结果", rowspan=20) + td("（一）予以公开", colspan=2) + numbers(3) + "</tr>",
        "<tr>" + td("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2) + numbers(4) + "</tr>",
    ]
    rows += ["<tr>" + (td("（三）不予公开", rowspan=8) if i == 0 else "") + td(t) + numbers(5 + i) + "</tr>"
             for i, t in enumerate(DENIED)]
    rows += ["<tr>" + (td("（四）无法提供", rowspan=3) if i == 0 else "") + td(t) + numbers(13 + i) + "</tr>"
             for i, t in enumerate(UNABLE)]
    rows += ["<tr>" + (td("（五）不予处理", rowspan=5) if i == 0 else "") + td(t) + numbers(16 + i) + "</tr>"
             for i, t in enumerate(REJECTED)]
    rows += ["<tr>" + td("（六）其他处理", colspan=2) + numbers(21) + "</tr>",
             "<tr>" + td("（七）总计", colspan=2) + numbers(22) + "</tr>",
             "<tr>" + td("四、结转下年度继续办理", colspan=3) + numbers(23) + "</tr>"]
    return ('<table class="MsoNormalTable" align="center" border="1" cellspacing="1">'
            + "\n".join(rows) + "</table>")


def word_table2() -> str:
    return ('<table class="MsoNormalTable" border="1"><tbody>'
            "<tr>" + td("第二十条第（一）项", colspan=4) + "</tr>"
            "<tr>" + td("信息内容") + td("本年新<br />制作数量") + td("本年新<br />公开数量") + td("对外公开<br />总数量") + "</tr>"
            "<tr>" + td("规章") + td("0") + td("&nbsp;") + td("１２") + "</tr>"
            "<tr>" + td("规范性文件") + td("3") + td("3") + td("40") + "</tr></tbody></table>")


def page(body: str, head: str = "", charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}">{head}'
            "<title>上海市某某区2019年政府信息公开工作年度报告_某某区人民政府</title></head><body>"
            '<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/hd/">互动交流</a></li></ul></div>' + body
            + '<div class="footer">主办单位：某某区人民政府办公室 网站标识码3100000087 沪ICP备12345号 网站地图 联系我们</div>'
            "</body></html>")


SHANGHAI = page(
    '<div class="crumbs">您的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; '
    '<a href="/zwgk/nb/">政府信息公开年报</a></div>'
    '<h2 class="Article-title">上海市某某区2019年政府信息公开工作年度报告</h2>'
    '<div class="Article-time">发布时间：2020-03-26 10:24 来源：区政府办公室 浏览次数：<span>56</span></div>'
    '<div id="ivs_content" class="Article_content">'
    f"<p>一、总体情况</p><p>{PROSE_2019}</p><p>二、主动公开政府信息情况</p>{word_table2()}"
    f"<p>三、收到和处理政府信息公开申请情况</p>{word_table3()}<p>四、存在的主要问题及改进情况</p><p>{PROSE_2019}</p>"
    '<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a></div>'
    '<p>附件：<a href="/upload/2020/nb2019.pdf">某某区2019年年报（PDF版）</a></p></div>'
    '<div class="xgwz"><h3>相关文章</h3><ul><li><a href="/a/1.html">某某区2018年政府信息公开工作年度报告</a></li></ul></div>',
    head='<meta name="ArticleTitle" content="上海市某某区2019年政府信息公开工作年度报告">'
         '<meta name="PubDate" content="2020-03-26 10:24"><meta name="SiteName" content="上海某某">'
         '<meta name="ContentSource" content="区政府办公室"><meta name="ColumnName" content="政府信息公开年报">')


def report_html() -> bytes:
    """The Shanghai-style report page, UTF-8."""
    return SHANGHAI.encode("utf-8")


def cjk_ttf_path() -> Path | None:
    """The wqy-microhei TrueType collection shipped by a PyPI package, or None if not installed."""
    try:
        import paperang_p2_fonts_cjk
    except ImportError:
        return None
    path = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    return path if path.exists() else None


def _font(kind: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    if kind == "cid":
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    from reportlab.pdfbase.ttfonts import TTFont
    path = cjk_ttf_path()
    if path is None:
        raise RuntimeError("no CJK TrueType font: pip install paperang-p2-fonts-cjk")
    pdfmetrics.registerFont(TTFont("WQY", str(path), subfontIndex=0))
    return "WQY"


def _one_page_pdf(draw: Callable[[Any], None], **canvas_args: Any) -> bytes:
    """A one-page PDF: ``draw(c)`` on a reportlab canvas, then the page is closed and saved."""
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    c = canvas.Canvas(out, **canvas_args)
    draw(c)
    c.showPage()
    c.save()
    return out.getvalue()


# the rules of the small grid PDFs, and table 2 without its merged title row written in its cells
_GRID_XS, _GRID_YS = [60, 200, 300, 400, 500], [700, 680, 660, 640]


def _draw_table2_cells(c) -> None:
    for r, row in enumerate(TABLE2_GB2021[1:]):
        for k, text in enumerate(row):
            c.drawString(_GRID_XS[k] + 4, _GRID_YS[r] - 14, text)


def _spans(grid: list[list[str]], fixed: list[tuple]) -> list[tuple]:
    return [("SPAN", a, b) for a, b in fixed]


_T3_SPANS = [((0, 0), (2, 2)), ((3, 0), (9, 0)), ((3, 1), (3, 2)), ((4, 1), (8, 1)), ((9, 1), (9, 2)),
             ((0, 3), (2, 3)), ((0, 4), (2, 4)), ((0, 5), (0, 26)), ((1, 5), (2, 5)), ((1, 6), (2, 6)),
             ((1, 7), (1, 14)), ((1, 15), (1, 17)), ((1, 18), (1, 22)), ((1, 23), (1, 25)), ((1, 26), (2, 26)),
             ((0, 27), (2, 27))]
_T2_SPANS = [((0, 0), (3, 0))]
_T4_SPANS = [((0, 0), (4, 0)), ((5, 0), (14, 0)), ((0, 1), (0, 2)), ((1, 1), (1, 2)), ((2, 1), (2, 2)),
             ((3, 1), (3, 2)), ((4, 1), (4, 2)), ((5, 1), (9, 1)), ((10, 1), (14, 1))]


def report_pdf(font: str = "cid", *, filler_pages: int = 6, repeat_header: bool = True,
               ruled: bool = True, title: str = "某某市2020年政府信息公开工作年度报告") -> bytes:
    """A template report of ``filler_pages`` prose pages plus tables 2, 3, 4; table 3 is long
    enough to run over a page break (its header repeated when ``repeat_header``); with
    ``ruled=False`` table 2 is drawn with horizontal rules only."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    name = _font(font)
    body = ParagraphStyle("body", fontName=name, fontSize=11, leading=18, wordWrap="CJK", firstLineIndent=22)
    head = ParagraphStyle("head", fontName=name, fontSize=12, leading=20)
    cell = ParagraphStyle("cell", fontName=name, fontSize=7, leading=9, wordWrap="CJK")
    big = ParagraphStyle("title", fontName=name, fontSize=16, leading=24, alignment=1)

    def table(grid, spans, widths, rules=True, repeat=0):
        data = [[Paragraph(c, cell) if c else "" for c in row] for row in grid]
        style = [("FONT", (0, 0), (-1, -1), name, 7), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        style += _spans(grid, spans)
        if rules:
            style.append(("GRID", (0, 0), (-1, -1), 0.5, colors.black))
        else:
            style += [("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
                      ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black)]
        return Table(data, colWidths=widths, style=TableStyle(style), repeatRows=repeat)

    story = [Paragraph(title, big), Spacer(1, 12)]
    heads = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
             "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    story.append(Paragraph(heads[0], head))
    for i in range(filler_pages):
        for _ in range(7):
            story.append(Paragraph(PROSE, body))
        if i < filler_pages - 1:
            story.append(PageBreak())
    story += [Paragraph(heads[1], head), table(TABLE2_GB2021, _T2_SPANS, [140, 100, 100, 100], rules=ruled)]
    story += [Paragraph(heads[2], head)]
    story += [Spacer(1, 420)]  # push table 3 down so that it must break across the page
    story += [table(TABLE3_HEADER + TABLE3_ROWS, _T3_SPANS, [55, 95, 95] + [36] * 7,
                    repeat=3 if repeat_header else 0)]
    story += [Paragraph(heads[3], head), table(TABLE4, _T4_SPANS, [32] * 15)]
    story += [Paragraph(heads[4], head), Paragraph(PROSE, body), Paragraph(heads[5], head),
              Paragraph("无。", body), Paragraph("某某市人民政府办公室", body), Paragraph("2021年1月28日", body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, title=title, leftMargin=50, rightMargin=50).build(story)
    return out.getvalue()


def fake_bold_pdf(font: str = "cid") -> bytes:
    """Headings drawn twice, 0.35pt apart (a 'fake bold'), and a signature with spaced characters."""
    name = _font(font)

    def draw(c) -> None:
        c.setFont(name, 12)
        y = 760
        for text in ("一、总体情况", "二、主动公开政府信息情况"):
            x = 72
            for ch in text:  # glyph by glyph, each drawn twice, as some converters do
                c.drawString(x, y, ch)
                c.drawString(x + 0.35, y + 0.1, ch)
                x += 12
            c.drawString(72, y - 20, "本年度共收到政府信息公开申请四十六件，均已按时办结。")
            y -= 60
        x = 300
        for ch in "宿州市人民政府":
            c.drawString(x, y, ch)
            x += 24

    return _one_page_pdf(draw)


def encrypted_pdf(font: str = "cid") -> bytes:
    from reportlab.lib import pdfencrypt
    name = _font(font)

    def draw(c) -> None:
        c.setFont(name, 12)
        c.drawString(72, 760, "某某市2020年政府信息公开工作年度报告")

    return _one_page_pdf(draw, encrypt=pdfencrypt.StandardEncryption("userpw", "ownerpw", strength=128))


def image_only_pdf() -> bytes:
    """A 'scanned' report: one page holding a picture and no text."""
    from reportlab.lib.utils import ImageReader
    import struct
    import zlib

    def png(w: int, h: int) -> bytes:
        raw = b"".join(b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(w)) for y in range(h))
        def chunk(tag, data):
            return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return _one_page_pdf(lambda c: c.drawImage(ImageReader(io.BytesIO(png(120, 160))), 72, 300, 360, 480))


def _docx_table(d, grid: list[list[str]]):
    """A python-docx table of ``grid``'s size, its non-empty cells written."""
    t = d.add_table(rows=len(grid), cols=len(grid[0]))
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text:
                t.cell(r, c).text = text
    return t


def report_docx(title: str = "某某县2021年政府信息公开工作年度报告") -> bytes:
    """Title, prose, table 2 with a merged title row, and table 4 with vertical and horizontal merges."""
    import docx

    d = docx.Document()
    d.core_properties.title = title
    d.add_heading(title, level=1)
    d.add_paragraph("一、总体情况")
    d.add_paragraph(PROSE)
    d.add_paragraph("二、主动公开政府信息情况")
    t = _docx_table(d, TABLE2_GB2021)
    t.cell(0, 0).merge(t.cell(0, 3))
    t.cell(0, 0).text = TABLE2_GB2021[0][0]
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t4 = _docx_table(d, TABLE4)
    for (c0, r0), (c1, r1) in _T4_SPANS:
        keep = TABLE4[r0][c0]
        merged = t4.cell(r0, c0).merge(t4.cell(r1, c1))
        merged.text = keep
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph("无。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def boxed_table_pdf(font: str = "cid", *, in_form: bool = False) -> bytes:
    """A table whose borders are thin filled rectangles (as Word and WPS export them), drawn on
    the page or inside a form XObject; ``TABLE2_GB2021`` rows without the merged title row."""
    name = _font(font)
    xs, ys = _GRID_XS, _GRID_YS

    def draw(c) -> None:
        if in_form:
            c.beginForm("tbl")
        c.setFont(name, 10)
        c.drawString(60, 720, "二、主动公开政府信息情况")
        for y in ys:
            c.rect(xs[0], y - 0.25, xs[-1] - xs[0], 0.5, stroke=0, fill=1)
        for x in xs:
            c.rect(x - 0.25, ys[-1], 0.5, ys[0] - ys[-1], stroke=0, fill=1)
        _draw_table2_cells(c)
        if in_form:
            c.endForm()
            c.doForm("tbl")

    return _one_page_pdf(draw)


def one_path_grid_pdf(font: str = "cid") -> bytes:
    """A table whose rules are all one path object (many move/line segments)."""
    name = _font(font)
    xs, ys = _GRID_XS, _GRID_YS

    def draw(c) -> None:
        c.setFont(name, 10)
        path = c.beginPath()
        for y in ys:
            path.moveTo(xs[0], y)
            path.lineTo(xs[-1], y)
        for x in xs:
            path.moveTo(x, ys[0])
            path.lineTo(x, ys[-1])
        c.drawPath(path, stroke=1, fill=0)
        _draw_table2_cells(c)

    return _one_page_pdf(draw)


def open_table_pdf(font: str = "cid") -> bytes:
    """Table 4 drawn with a rule above every row and below the last, no vertical rule at all."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    name = _font(font)
    cell = ParagraphStyle("cell", fontName=name, fontSize=7, leading=9, wordWrap="CJK", alignment=1)
    head = ParagraphStyle("head", fontName=name, fontSize=12, leading=20)
    data = [[Paragraph(c, cell) if c else "" for c in row] for row in TABLE4]
    style = [("LINEABOVE", (0, 0), (-1, -1), 0.5, colors.black), ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *_spans(TABLE4, _T4_SPANS)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build([Paragraph("四、政府信息公开行政复议、行政诉讼情况", head),
                                               Table(data, colWidths=[32] * 15, style=TableStyle(style))])
    return out.getvalue()
