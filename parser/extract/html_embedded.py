"""A page whose report lives only in a script's config object (Guangdong gkmlpt) -> its body and metadata.

gkmlpt detail pages (``content/<id/10^6>/<id/10^3>/post_<id>.html``, sites.md 1.4) are a Vue
shell: the content container is empty and the report is in
``window._CONFIG = {…, DETAIL: {title, content: "<p>…</p>", publisher, created_at,
display_publish_time…}}`` or ``window._CONFIG.DETAIL = {…}``. ``read_embedded_detail(root)``
reads those assignments with the tolerant literal reader (``js_object``; never by running
them) and returns the body HTML and (meta key, value) pairs; ``fill_empty_container(root,
detail)`` puts the body into the page where the content belongs, so the usual container,
flow and table readers see it as if the page had been rendered. Names and field maps are DATA.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .html_content import MIN_CONTENT_CHARS, selector_candidates, visible_text_length
from .js_object import JSLiteralError, read_js_value

__all__ = ["CONFIG_NAMES", "DETAIL_KEYS", "BODY_KEYS", "DETAIL_META", "EmbeddedDetail", "read_embedded_detail",
           "fill_empty_container"]

#: global objects a CMS writes its page config into
CONFIG_NAMES = ("_CONFIG",)
#: the config entry holding the article
DETAIL_KEYS = ("DETAIL", "detail", "Detail", "ARTICLE", "article")
#: the article's body HTML, first present wins
BODY_KEYS = ("content", "body", "contentHtml", "content_html", "html")
#: article fields -> the Document.meta key later stages read (dates stay as written: epochs too)
DETAIL_META = {
    "title": "articletitle", "publisher": "发布机构", "source": "来源", "identifier": "索引号",
    "document_number": "文号", "display_publish_time": "display_publish_time",
    "publish_time": "publish_time", "publishTime": "publish_time", "created_at": "created_at",
    "createdAt": "created_at",
}
_ASSIGN = re.compile(r"(?:(?<![\w$.])window\s*\.\s*|(?<![\w$.]))(?P<name>" + "|".join(map(re.escape, CONFIG_NAMES))
                     + r")\s*(?:\.\s*(?P<attr>[A-Za-z_$][\w$]*)|\[\s*['\"](?P<key>[^'\"]+)['\"]\s*\])?\s*=(?![=>])")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


@dataclass(slots=True)
class EmbeddedDetail:
    body: str = ""                          # the article's HTML ("" when the config holds none)
    meta: list[tuple[str, str]] = field(default_factory=list)
    script: object = None                   # the <script> element that held it


def _configs(text: str) -> dict:
    """Every ``_CONFIG = {…}`` / ``_CONFIG.X = …`` assignment of one script, merged in order."""
    config: dict = {}
    for m in _ASSIGN.finditer(text):
        try:
            value, _ = read_js_value(text, m.end())
        except (JSLiteralError, RecursionError):
            continue
        attr = m["attr"] or m["key"]
        if attr:
            config[attr] = value
        elif isinstance(value, dict):
            config.update(value)
    return config


def _detail_of(config: dict) -> dict | None:
    for key in DETAIL_KEYS:
        if isinstance(config.get(key), dict):
            return config[key]
    return None


def _scalar(value) -> str:
    """A field as text: "" for what is not a scalar; 1739754000.0 (an epoch) as "1739754000"."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_embedded_detail(root) -> EmbeddedDetail | None:
    """The article a page's config script carries, or None when it carries none."""
    for script in root.iter("script"):
        text = script.text or ""
        if not any(name in text for name in CONFIG_NAMES):
            continue
        detail = _detail_of(_configs(text))
        if detail is None:
            continue
        body = next((detail[k] for k in BODY_KEYS if isinstance(detail.get(k), str) and detail[k].strip()), "")
        meta = [(DETAIL_META[k], _scalar(v)) for k, v in detail.items() if k in DETAIL_META and _scalar(v)]
        return EmbeddedDetail(body=body, meta=meta, script=script)
    return None


def fill_empty_container(root, detail: EmbeddedDetail) -> bool:
    """Put the article's body into the page's empty content container (or, when the page has
    none, where its config script stands). Nothing changes when a container already holds
    content: the page then carries its body itself. Returns whether the body was put in."""
    if not detail.body:
        return False
    candidates = selector_candidates(root)
    if any(visible_text_length(el) >= MIN_CONTENT_CHARS for el in candidates):
        return False
    fragment = etree.fromstring(f"<html><body><div>{detail.body}</div></body></html>", _PARSER)
    body = fragment.find(".//body/div") if fragment is not None else None
    if body is None:
        return False
    empty = [el for el in candidates if visible_text_length(el) == 0]
    if empty:
        empty[0].append(body)
        return True
    body.set("id", "zoom")  # a container the content selectors know
    script = detail.script
    if script is not None and script.getparent() is not None:
        script.addprevious(body)
    else:
        (root.find(".//body") if root.find(".//body") is not None else root).append(body)
    return True
