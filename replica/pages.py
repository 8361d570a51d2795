"""HTML pieces every family uses: the document shell with its charset declaration, the 政府网站
meta set, report bodies (full, or a stub pointing at the attachment), attachments, soft 404 and
meta-refresh pages. Families choose the markup around them. Takes truth objects and a
``SiteSpec``; returns ``Resource``s or strings.
"""
from __future__ import annotations

import datetime as dt
import html
import random
from collections.abc import Callable
from urllib.parse import quote

from .render import body_html, docx_bytes, pdf_bytes
from .site import Listing, Resource, SiteSpec, html_resource
from .truth import ReportTruth

__all__ = ["shell", "meta_set", "report_body", "viewer_body", "attachment_resource", "soft404", "meta_refresh",
           "noise_body", "epoch", "short_title", "relative_to", "clock_of", "listing_target"]


def epoch(date: str) -> float:
    """Epoch seconds of a YYYY-MM-DD at 09:00 UTC (Last-Modified of a published file)."""
    return dt.datetime.fromisoformat(date + "T09:00:00+00:00").timestamp()


def clock_of(key: str) -> str:
    rng = random.Random(key)
    return f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"


def _charset_meta(site: SiteSpec) -> str:
    if site.encoding == "utf-8":
        return '<meta charset="utf-8">'
    return '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def shell(site: SiteSpec, title: str, body: str, head: str = "") -> str:
    return (f"<!DOCTYPE html>\n<html>\n<head>\n{_charset_meta(site)}\n"
            f"<title>{html.escape(title)}</title>\n{head}</head>\n<body>\n"
            f'<div class="header"><a href="/">{html.escape(site.name)}</a> '
            f'<a href="/col/index.html">政务公开</a> <a href="https://www.gov.cn/">中国政府网</a></div>\n'
            f"{body}\n<div class=\"footer\">主办单位：{html.escape(site.name)}</div>\n</body>\n</html>\n")


def meta_set(site: SiteSpec, title: str, date: str, source: str, with_pubdate: bool = True) -> str:
    tags = [("SiteName", site.name), ("SiteDomain", site.host), ("SiteIDCode", "3201000001"),
            ("ColumnName", site.column_name), ("ArticleTitle", title), ("ContentSource", source)]
    if with_pubdate:
        tags.append(("PubDate", date))
    return "".join(f'<meta name="{n}" content="{html.escape(v)}">\n' for n, v in tags)


def report_body(report: ReportTruth, links: list[tuple[str, str]]) -> str:
    """The content of a report's page: the whole report, or a stub when an attachment holds it."""
    if report.primary_url != report.page_url:
        text = f"<p>{html.escape(report.title)}全文详见附件。</p>"
    else:
        text = body_html(report)
    if links:
        text += "\n<p>附件：</p>\n" + "\n".join(
            f'<p><a href="{html.escape(u)}" appendix="true">{html.escape(n)}</a></p>' for u, n in links)
    return text


def viewer_body(report: ReportTruth, links: list[tuple[str, str]], how: str) -> str:
    """A stub page that shows its report file in an embedded viewer instead of a link:
    ``iframe`` (the file itself), ``pdfjs`` (``/static/pdfjs/web/viewer.html?file=<URL>``),
    ``embed`` or ``object``. ``links`` are the page's attachment hrefs; the first is the file."""
    text = f"<p>{html.escape(report.title)}全文如下。</p>"
    if not links:
        return text
    href = links[0][0]
    file_url = report.attachments[0].url if report.attachments else href
    if how == "pdfjs":
        src = "/static/pdfjs/web/viewer.html?file=" + quote(file_url, safe="")
        frame = f'<iframe src="{html.escape(src)}" width="100%" height="900" frameborder="0"></iframe>'
    elif how == "embed":
        frame = f'<embed src="{html.escape(href)}" type="application/pdf" width="100%" height="900">'
    elif how == "object":
        frame = f'<object data="{html.escape(href)}" type="application/pdf" width="100%" height="900"></object>'
    else:
        frame = f'<iframe src="{html.escape(href)}" width="100%" height="900"></iframe>'
    return text + f'\n<div class="pdf-view">{frame}</div>'


def noise_body(title: str, kind: str) -> str:
    if kind == "图解":
        return ('<p style="text-align:center"><img src="./images/tujie_01.png" alt="图解"></p>'
                f"<p>{html.escape(title)}</p>")
    if kind == "解读":
        return ("<p>一、报告的主要内容。年度报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。</p>"
                "<p>二、如何获取报告全文。公众可在本网站政府信息公开年报栏目查阅。</p>")
    if kind == "指南":
        return "<p>为了更好地提供政府信息公开服务，编制本指南。一、公开的范围；二、公开的方式；三、依申请公开的办理。</p>"
    return "<p>各单位：请按照条例规定，于规定时间前编制并公布本单位政府信息公开工作年度报告。</p>"


def attachment_resource(report: ReportTruth, kind: str) -> Callable[[], Resource]:
    """A lazy builder: PDFs and DOCX files are drawn on first request only."""
    def build() -> Resource:
        if kind == "pdf":
            return Resource(pdf_bytes(report), "application/pdf", epoch(report.published))
        return Resource(docx_bytes(report), "application/octet-stream", epoch(report.published),
                        headers={"Content-Disposition": "attachment; filename=report.docx"})
    return build


def soft404(site: SiteSpec) -> Resource:
    text = shell(site, "页面不存在", '<div class="error"><h2>对不起，您访问的页面不存在！</h2>'
                 '<p><a href="/">返回首页</a></p></div>')
    return html_resource(text, site, epoch("2020-01-01"))


def meta_refresh(site: SiteSpec, target: str = "./") -> Resource:
    text = (f'<html><head><meta http-equiv="refresh" content="0;url={target}"></head>'
            "<body></body></html>")
    return html_resource(text, site, epoch("2020-01-01"))


def short_title(title: str, limit: int = 22) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def relative_to(base_dir_url: str, url: str) -> str:
    """``./YYYYMM/…`` for a URL under the list's directory, the full URL otherwise."""
    return "./" + url[len(base_dir_url):] if url.startswith(base_dir_url) else url


def listing_target(item: Listing) -> ReportTruth | None:
    return item.target if isinstance(item.target, ReportTruth) else None
