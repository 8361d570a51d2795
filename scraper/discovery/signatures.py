"""CMS family signatures, as data: one row per trait a fetched page can show.

Each row is ``(family, where, pattern, weight, what)``: ``where`` is ``url`` (the page's own URL)
or ``page`` (its text: markup, inline scripts, ``document.write`` strings, hrefs); ``pattern`` a
case-sensitive regex; ``weight`` how much the trait says (3: only that family writes it; 2: a
strong habit of the family; 1: a hint); ``what`` the words a crawl summary gives as the reason.
``scraper.discovery.detect`` adds the weights per family; a new family or a new trait is one row.
Facts from ``shared/research/sites.md`` §1.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Signature", "SIGNATURES", "THRESHOLD"]

#: the score a family needs before a page counts as written by it
THRESHOLD = 3


@dataclass(frozen=True, slots=True)
class Signature:
    family: str
    where: str
    pattern: str
    weight: int
    what: str


_ROWS = (
    # TRS WCM (§1.1)
    ("trs", "page", r"\bcreatePageHTML\s*\(", 3, "createPageHTML(…) pager script"),
    ("trs", "page", r"\bpageControl\s*\(\s*\w+\s*,", 3, "pageControl(…) pager script"),
    ("trs", "page", r"/t(?:19|20)\d{6}_\d+\.s?html?\b", 2, "t20200131_….html article links"),
    ("trs", "page", r"/P0\d{10,}\.[A-Za-z]{2,4}\b", 2, "P0….pdf attachment links"),
    ("trs", "page", r"document\.write(?:ln)?\(\s*['\"]\s*<(?:li|a)\b", 1, "document.write(…) list rows"),
    ("trs", "page", r"\b(?:TRS_Editor|trs_editor_view|TRS_UEDITOR)\b", 2, "TRS editor markup"),
    # Hanweb JCMS classic (§1.2)
    ("hanweb", "page", r"<datastore>", 3, "jpage datastore XML"),
    ("hanweb", "page", r"/module/(?:web/)?jpage/\w*dataproxy\.jsp", 3, "jpage dataproxy.jsp list proxy"),
    ("hanweb", "url", r"/col/col\d+/", 2, "col/colNNN column URL"),
    ("hanweb", "page", r"/col/col\d+/index\.html", 1, "col/colNNN column links"),
    ("hanweb", "page", r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", 2, "art/YYYY/M/D/art_….html article links"),
    ("hanweb", "page", r"/module/download/downfile\.jsp", 1, "downfile.jsp attachment links"),
    # Hanweb jpaas (§1.3)
    ("jpaas", "page", r"\bqueryData\s*=\s*['\"]\s*\{", 3, "queryData=\"{…}\" list unit"),
    ("jpaas", "page", r"jpaas-publish-server", 3, "jpaas publish API"),
    ("jpaas", "page", r"/art/\d{4}/art_(?:[0-9a-f]{32}|\d{9,10})\.html", 2, "art/YYYY/art_<id>.html article links"),
    # Guangdong gkmlpt (§1.4)
    ("gkmlpt", "url", r"/gkmlpt/", 3, "/gkmlpt/ platform URL"),
    ("gkmlpt", "page", r"window\._CONFIG\s*=", 1, "window._CONFIG page data"),
    ("gkmlpt", "page", r"\bSID\s*:\s*['\"]\d+", 1, "SID site id"),
    ("gkmlpt", "page", r"/gkmlpt/(?:api|content|index)", 2, "/gkmlpt/ links"),
    # Epoint WebBuilder (§1.5)
    ("epoint", "page", r"InfoDetail/(?:Default\.aspx)?\?InfoID=", 3, "InfoDetail/?InfoID= article links"),
    ("epoint", "url", r"(?i)MoreInfo\.aspx\?CategoryNum=|/moreinfo\.html", 3, "MoreInfo.aspx?CategoryNum= list URL"),
    ("epoint", "page", r"\bewb-list", 2, "ewb- list markup"),
    ("epoint", "page", r"\btotalPageNums\b", 2, "totalPageNums pager variable"),
    # Shanghai (§1.5)
    ("shanghai", "page", r"\.pagination\(\s*['\"]setPage['\"]", 3, "pagination(\"setPage\", …) pager"),
    ("shanghai", "page", r"\btadaty-list\b", 2, "tadaty-list rows"),
    ("shanghai", "page", r"/\d{8}/[0-9a-f]{32}\.s?html?\b", 2, "YYYYMMDD/<32 hex>.html article links"),
    ("shanghai", "page", r"\btotalPage\s*:\s*\d", 1, "totalPage: N pager setting"),
    # Zhejiang per-unit annual-report page (§1.2 xxgk module)
    ("zj_annual", "url", r"/module/xxgk/xxgkAnnualReport\.jsp", 4, "xxgkAnnualReport.jsp per-unit report page"),
    ("zj_annual", "page", r"xxgkAnnualReport\.jsp\?area=", 2, "xxgkAnnualReport.jsp year tabs"),
)

SIGNATURES: tuple[Signature, ...] = tuple(Signature(*row) for row in _ROWS)
