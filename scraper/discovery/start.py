"""Start anywhere on a site: which links of a page lead to the annual-report column(s).

Pure functions over a fetched page (``scraper.discovery.walk`` fetches and follows them):

    read_start_page(page) -> StartReading     the page's own name (is it a 年报 column?), its
                                               column and hub candidates, its tree data sources
    read_tree_data(page) -> list[Candidate]    candidates of a JSON or XML data source

A **column candidate** is a link named like a report column — 政府信息公开年报, 政府信息公开工作
年度报告, 年度报告, 工作年报, 信息公开年报 … (never with a year: ``2023年…年报`` is a report) — or
whose URL carries a column word (gknb, zfxxgknb, xxgknb, ndbg, nb, AnnualReport …). A **hub
candidate** is a link to a page that holds such columns: 政府信息公开, 信息公开目录, 政务公开,
法定主动公开内容 … (not 指南, 制度, 依申请公开). Links are read from anchors (their text, ``title``
or image ``alt``), from ``document.write`` strings, from script objects (``{name: "年报",
url: "/col/col123/"}``, the usual 信息公开目录 tree data) and, for a tree loaded by a script,
from the JSON or XML file it names (a **data source**). Every candidate says why it was taken.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from ..report_filter import classify_title
from .base import Page, absolute_url, clean_text, parse_html

__all__ = ["Candidate", "StartReading", "read_start_page", "read_tree_data", "is_column_name",
           "is_hub_name", "column_url_word", "names_column", "link_items", "same_page_key",
           "site_name"]

_YEAR = re.compile(r"(?:19|20)\d\d|[〇零一二三四五六七八九○]{4}")
_NOT_COLUMN = re.compile(r"解读|图解|统计|企业|预算|决算|财务|审计|工商|年报公示|通知|指南|制度|"
                         r"申请|目录|要点|公示|征集|意见|年鉴|年检")
_COLUMN_WORDS = re.compile(r"年报|年度报告|年度.{0,6}报告")
_PUBLIC = re.compile(r"公开")
_SHORT_COLUMN = re.compile(r"^(?:年报|年度报告|工作年报|公开年报|年度工作报告|工作年度报告|部门年报|"
                           r"本级年报|部门年度报告|区县年报|乡镇年报|街道年报)$")
_HUB = re.compile(r"政府信息公开|信息公开|政务公开|公开目录|主动公开|政府公开")
_NOT_HUB = re.compile(r"指南|制度|申请|规定|意见|电话|邮箱|年报|报告|通知|解读|监督|保障|考核|"
                      r"平台建设|工作要点|办法|说明")
_COLUMN_URL = re.compile(
    r"(?:^|/)(?:[a-z0-9_-]*?(?:gknb|ndbg|ndxxgkbg|xxgkbg|annualreport|gknd)[a-z0-9_-]*|nb|xxgknb)"
    r"(?=/|\.|_|$)", re.I)
_HUB_URL = re.compile(r"(?:^|/)(?:zfxxgk|xxgk|zwgk|gkml|xxgkml|zfxxgkml|zwgkml|govinfo|openinfo|"
                      r"zfxxgkzl|xxgkzl|gk)(?=/|\.|_|$)", re.I)
_SPLIT_TITLE = re.compile(r"\s*[_|｜–—-]+\s*|\s+-\s+")
_CRUMB_CLASS = re.compile(r"crumb|location|position|dqwz|weizhi|path|bread", re.I)


def _compact(text: str) -> str:
    return re.sub(r"[\s\u3000\xa0]+", "", text or "")


def is_column_name(text: str) -> bool:
    """Whether a text names an annual-report column (not one report: no year in it)."""
    t = _compact(text).strip("》>›»·：:")
    if not t or len(t) > 24 or _YEAR.search(t) or _NOT_COLUMN.search(t):
        return False
    if _SHORT_COLUMN.match(t):
        return True
    return bool(_COLUMN_WORDS.search(t) and _PUBLIC.search(t)) or bool(
        re.search(r"公开.{0,4}报告$", t))


def is_hub_name(text: str) -> bool:
    """Whether a link text names a page that holds the disclosure columns (政府信息公开 …)."""
    t = _compact(text)
    return bool(t) and len(t) <= 14 and bool(_HUB.search(t)) and not _NOT_HUB.search(t)


def column_url_word(url: str) -> str | None:
    """The column word in a URL's path (gknb, ndbg, nb …), or ``None``."""
    m = _COLUMN_URL.search(urlsplit(url).path)
    return m.group(0).strip("/") if m else None


_INDEX = re.compile(r"/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$", re.I)


def same_page_key(url: str) -> str:
    """A URL with ``index.html``/``default.htm`` … cut to its folder: the same page either way."""
    url = url.split("#", 1)[0]
    parts = urlsplit(url)
    path = _INDEX.sub("/", parts.path) or "/"
    return f"{parts.scheme}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


def _hub_url_word(url: str) -> str | None:
    m = _HUB_URL.search(urlsplit(url).path)
    return m.group(0).strip("/") if m else None


@dataclass(frozen=True, slots=True)
class Candidate:
    url: str
    text: str
    #: column | hub | data
    role: str
    score: int
    #: why it was taken, in words
    why: str
    #: anchor | script | tree data
    where: str = "anchor"


@dataclass(slots=True)
class StartReading:
    #: why the page itself is a report column by its own name ("title 政府信息公开年报"), or ""
    named: str = ""
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def columns(self) -> list[Candidate]:
        return [c for c in self.candidates if c.role == "column"]

    @property
    def hubs(self) -> list[Candidate]:
        return [c for c in self.candidates if c.role == "hub"]

    @property
    def data(self) -> list[Candidate]:
        return [c for c in self.candidates if c.role == "data"]


# -- where links hide ----------------------------------------------------------------------------
_DOC_WRITE = re.compile(r"document\.write(?:ln)?\(\s*(['\"])(.*?)(?<!\\)\1\s*\)", re.S)
_OBJECT = re.compile(r"\{[^{}]{0,600}\}", re.S)
_NAME_KEYS = r"name|title|text|label|chnlName|channelName|catName|colName|columnName|cname|menuName"
_URL_KEYS = (r"url|href|link|path|linkUrl|jump_url|jumpUrl|chnlUrl|channelUrl|colUrl|columnUrl|"
             r"menuUrl|pageUrl")
_KV = r"""["']?\b({keys})\b["']?\s*:\s*(["'])((?:\\.|(?!\2).){{0,300}})\2"""
_NAME_KV = re.compile(_KV.format(keys=_NAME_KEYS), re.S)
_URL_KV = re.compile(_KV.format(keys=_URL_KEYS), re.S)
_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.S | re.I)
_DATA_URL = re.compile(r"""(["'])((?:https?://|/|\./|\.\./)?[\w./%?=&:;,-]*?(?:\.(?:json|xml)|"""
                       r"""(?:tree|catalog|menu|lanmu|channel|column|nav)\w*\.(?:jsp|do|aspx?|php|action))"""
                       r"""(?:\?[^"'\s]*)?)\1""", re.I)
#: a script file that is a tree's data (``/module/xxgk/tree.jsp?…``, ``/xxgk/js/treeData.js``),
#: not a library that draws trees (``jquery.ztree.core.js``)
_DATA_SCRIPT = re.compile(r"(?:tree|catalog|menu|lanmu)\w*\.(?:jsp|do|aspx?|php|action|js)$", re.I)
_LIBRARY = re.compile(r"jquery|ztree|\.min\.|bootstrap|vue|layui|common", re.I)
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*(["'])([^"']+)\1""", re.I)


def _js_string(value: str) -> str:
    """A JS string literal's content with its escapes (\\u653f, \\/) read."""
    try:
        return json.loads('"' + value.replace('"', '\\"').replace("\\'", "'") + '"')
    except ValueError:
        return value.replace("\\/", "/")


def _anchor_text(a) -> str:
    text = clean_text(a.get_text(" "))
    if not text:
        text = clean_text(a.get("title"))
    if not text:
        img = a.find("img")
        text = clean_text(img.get("alt") or img.get("title")) if img else ""
    return text


def link_items(page: Page) -> list[tuple[str, str, str]]:
    """(absolute URL, text, where) of every link a page shows or builds in its scripts."""
    out: list[tuple[str, str, str]] = []
    soup = parse_html(page.text)
    for a in soup.find_all("a", href=True):
        url = absolute_url(page.url, a["href"])
        if url:
            out.append((url, _anchor_text(a), "anchor"))
    for area in soup.find_all("area", href=True):
        url = absolute_url(page.url, area["href"])
        if url:
            out.append((url, clean_text(area.get("alt") or area.get("title")), "anchor"))
    for tag in soup.find_all(onclick=True):   # <a href="javascript:;" onclick="location.href='…'">
        m = _JS_OPEN.search(tag.get("onclick") or "") or _JS_LOCATION.search(tag.get("onclick") or "")
        url = absolute_url(page.url, m.group(2)) if m else None
        if url:
            out.append((url, _anchor_text(tag) if tag.name == "a" else clean_text(tag.get_text(" ")),
                        "anchor"))
    for option in soup.find_all("option", value=True):   # a <select> menu of columns
        value = option.get("value") or ""
        if value.startswith(("/", "http://", "https://", "./", "../")):
            url = absolute_url(page.url, value)
            if url:
                out.append((url, clean_text(option.get_text(" ")), "anchor"))
    scripts = "\n".join(m.group(1) for m in _SCRIPT.finditer(page.text))
    written = "\n".join(_js_string(m.group(2)) for m in _DOC_WRITE.finditer(scripts))
    if written:
        for a in parse_html(written).find_all("a", href=True):
            url = absolute_url(page.url, a["href"])
            if url:
                out.append((url, _anchor_text(a), "script"))
    out += _object_links(scripts + "\n" + _data_attributes(soup), page.url, "script")
    return out


def _data_attributes(soup: BeautifulSoup) -> str:
    """JSON held in attributes (``data-tree='[…]'``)."""
    found = []
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if isinstance(value, str) and name.startswith("data") and "{" in value:
                found.append(value)
    return "\n".join(found)


def _object_links(text: str, base: str, where: str) -> list[tuple[str, str, str]]:
    out = []
    for m in _OBJECT.finditer(text):
        body = m.group(0)
        name, url = _NAME_KV.search(body), _URL_KV.search(body)
        if name and url:
            absolute = absolute_url(base, _js_string(url.group(3)))
            if absolute:
                out.append((absolute, clean_text(_js_string(name.group(3))), where))
    return out


def _walk_json(node, base: str, out: list) -> None:
    if isinstance(node, dict):
        name = next((node[k] for k in node if re.fullmatch(_NAME_KEYS, k, re.I)
                     and isinstance(node[k], str)), None)
        url = next((node[k] for k in node if re.fullmatch(_URL_KEYS, k, re.I)
                    and isinstance(node[k], str)), None)
        if name and url:
            absolute = absolute_url(base, url)
            if absolute:
                out.append((absolute, clean_text(name), "tree data"))
        for value in node.values():
            _walk_json(value, base, out)
    elif isinstance(node, list):
        for value in node:
            _walk_json(value, base, out)


def _xml_items(text: str, base: str) -> list[tuple[str, str, str]]:
    out = []
    try:
        soup = BeautifulSoup(text, "lxml-xml")
    except Exception:   # noqa: BLE001 — a broken data source gives nothing
        return out
    name_keys = re.compile(f"^(?:{_NAME_KEYS})$", re.I)
    url_keys = re.compile(f"^(?:{_URL_KEYS})$", re.I)
    for el in soup.find_all(True):
        name = next((v for k, v in el.attrs.items() if name_keys.match(k)), None)
        url = next((v for k, v in el.attrs.items() if url_keys.match(k)), None)
        if name is None:
            child = next((c for c in el.find_all(True, recursive=False) if name_keys.match(c.name)), None)
            name = child.get_text(" ") if child is not None else None
        if url is None:
            child = next((c for c in el.find_all(True, recursive=False) if url_keys.match(c.name)), None)
            url = child.get_text("").strip() if child is not None else None
        if name and url:
            absolute = absolute_url(base, url)
            if absolute:
                out.append((absolute, clean_text(name), "tree data"))
    return out


def read_tree_data(page: Page) -> list[Candidate]:
    """Candidates of a JSON or XML file (or a script writing it) a 信息公开目录 tree is built from."""
    text = page.text.lstrip("\ufeff \r\n\t")
    items: list[tuple[str, str, str]] = []
    if text[:1] in "[{":
        try:
            _walk_json(json.loads(text), page.url, items)
        except ValueError:
            items = _object_links(text, page.url, "tree data")
    elif text.startswith("<") and not re.match(r"<(?:!doctype|html|script|li|ul|div|a)\b", text, re.I):
        items = _xml_items(text, page.url)
    else:   # a script (or HTML) that writes the tree: its anchors, document.write and objects
        written = "\n".join(_js_string(m.group(2)) for m in _DOC_WRITE.finditer(text))
        for html_text in (written, text):
            for a in parse_html(html_text).find_all("a", href=True) if html_text else []:
                url = absolute_url(page.url, a["href"])
                if url:
                    items.append((url, _anchor_text(a), "tree data"))
        items += _object_links(text, page.url, "tree data")
    return _classify(items, page.url, set())


# -- what a page says about itself ---------------------------------------------------------------
def names_column(page: Page) -> str:
    """Why the page is a report column by its own name ("title 政府信息公开年报"), or ""."""
    soup = parse_html(page.text)
    title = soup.find("title")
    if title is not None:
        for piece in _SPLIT_TITLE.split(clean_text(title.get_text(" "))):
            if is_column_name(piece):
                return f"its title {piece}"
    for meta in soup.find_all("meta"):
        if (meta.get("name") or "").lower() in ("columnname", "column", "channelname") \
                and is_column_name(meta.get("content") or ""):
            return f"its ColumnName {clean_text(meta.get('content'))}"
    for tag in soup.find_all(class_=_CRUMB_CLASS):
        last = re.split(r"[>›»/]|&gt;", clean_text(tag.get_text(" ")))[-1]
        if is_column_name(last):
            return f"its location {clean_text(last)}"
    for tag in soup.find_all(["h1", "h2", "h3"]):
        if is_column_name(tag.get_text(" ")):
            return f"its heading {clean_text(tag.get_text(' '))}"
    word = column_url_word(page.url)
    if word:
        return f"its URL word {word}"
    return ""


_BODY = re.compile(r"人民政府|政府|办事处|局|委员会|厅|办公室|中心|[省市区县镇乡]$")


def site_name(page: Page) -> str:
    """The name of the body running the site: its SiteName meta, else its title's body name."""
    soup = parse_html(page.text)
    for meta in soup.find_all("meta"):
        if (meta.get("name") or "").lower() in ("sitename", "site_name", "site") and meta.get("content"):
            return clean_text(meta.get("content"))
    title = soup.find("title")
    pieces = [p for p in _SPLIT_TITLE.split(clean_text(title.get_text(" ") if title else "")) if p]
    bodies = [p for p in pieces if _BODY.search(p) and not is_column_name(p)]
    return bodies[-1] if bodies else (pieces[-1] if pieces else "")


def _classify(items: list[tuple[str, str, str]], page_url: str, data: set[str]) -> list[Candidate]:
    best: dict[str, Candidate] = {}
    own = same_page_key(page_url)
    for url, text, where in items:
        if same_page_key(url) == own:
            continue
        verdict = classify_title(text) if text else None
        if verdict is not None and verdict.is_report and verdict.year is not None:
            continue   # one report, not a column
        word = column_url_word(url)
        found: Candidate | None = None
        if is_column_name(text):
            full = bool(re.search(r"政府信息公开.{0,4}(?:年度报告|年报)", _compact(text)))
            score = 3 + full + (2 if word else 0)
            why = f"link {text!r}" + (f" (URL word {word})" if word else "")
            found = Candidate(url, text, "column", score, why, where)
        elif word and (not text or not _NOT_COLUMN.search(_compact(text))) \
                and (verdict is None or not verdict.is_report):
            found = Candidate(url, text, "column", 2, f"URL word {word} (link {text!r})", where)
        elif is_hub_name(text):
            hub_word = _hub_url_word(url)
            strong = bool(re.search(r"政府信息公开|信息公开目录|公开目录", _compact(text)))
            found = Candidate(url, text, "hub", 2 + strong + bool(hub_word),
                              f"link {text!r}" + (f" (URL word {hub_word})" if hub_word else ""),
                              where)
        elif not text and _hub_url_word(url):
            found = Candidate(url, text, "hub", 1, f"URL word {_hub_url_word(url)}", where)
        if found is not None and (url not in best or best[url].score < found.score):
            best[url] = found
    for url in data:
        if url not in best:
            best[url] = Candidate(url, "", "data", 1, "tree data a script loads", "script")
    order = {"column": 0, "hub": 1, "data": 2}
    return sorted(best.values(), key=lambda c: (order[c.role], -c.score))


_META_REFRESH = re.compile(r"""<meta[^>]+http-equiv\s*=\s*["']?refresh["']?[^>]*content\s*=\s*["']?"""
                           r"""\s*\d+\s*;\s*url\s*=\s*['"]?([^"'>\s]+)""", re.I)
_FRAME_SRC = re.compile(r"""<(frame|iframe)\b[^>]*?\bsrc\s*=\s*(["']?)(?:([^"'\s>]+)\2|([^\s>]+))""", re.I)
_NOT_PAGES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".wps", ".ofd", ".jpg", ".png", ".gif",
              ".mp4", ".swf")
_JS_OPEN = re.compile(r"""window\.open\(\s*(["'])([^"']+)\1""")
_JS_LOCATION = re.compile(r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*"""
                          r"""(?:=|\.replace\(|\.assign\()\s*(["'])([^"']+)\1""")


def _redirects(page: Page) -> list[Candidate]:
    """Where a shell page sends its reader (meta refresh, ``location.replace('…')``, the pages
    of a frameset)."""
    out = []
    targets = [(m.group(1), 5, "the page sends its reader there")
               for m in _META_REFRESH.finditer(page.text)]
    targets += [(m.group(2), 5, "the page sends its reader there")
                for s in _SCRIPT.finditer(page.text) for m in _JS_LOCATION.finditer(s.group(1))]
    own = urlsplit(page.url).netloc
    for m in _FRAME_SRC.finditer(page.text):   # frames, and iframes of the same host
        url = absolute_url(page.url, m.group(3) or m.group(4) or "")
        frame = m.group(1).lower() == "frame"
        if url and (frame or urlsplit(url).netloc == own) \
                and not urlsplit(url).path.lower().endswith(_NOT_PAGES):
            targets.append((url, 4 if frame else 1, f"the page shows it in a <{m.group(1).lower()}>"))
    for target, score, why in targets:
        url = absolute_url(page.url, target)
        if url and same_page_key(url) != same_page_key(page.url):
            word = column_url_word(url)
            out.append(Candidate(url, "", "column" if word else "hub", score,
                                 why + (f" (URL word {word})" if word else ""), "script"))
    return out


def read_start_page(page: Page) -> StartReading:
    """What a page says about the annual-report columns: its own name and the links to them."""
    data: set[str] = set()
    for script in _SCRIPT.finditer(page.text):
        for m in _DATA_URL.finditer(script.group(1)):
            url = absolute_url(page.url, m.group(2))
            if url and not urlsplit(url).path.lower().endswith((".js", ".css")):
                data.add(url)
    for m in _SCRIPT_SRC.finditer(page.text):   # <script src="/module/xxgk/tree.jsp?…">
        url = absolute_url(page.url, m.group(2))
        path = urlsplit(url).path if url else ""
        if url and _DATA_SCRIPT.search(path) and not _LIBRARY.search(path.rsplit("/", 1)[-1]):
            data.add(url)
    found = _classify(link_items(page), page.url, data)
    known = {c.url for c in found}
    found += [c for c in _redirects(page) if c.url not in known]
    order = {"column": 0, "hub": 1, "data": 2}
    return StartReading(names_column(page), sorted(found, key=lambda c: (order[c.role], -c.score)))
