"""Where the report is on a gov CMS page: the content container, without the page furniture.

``find_content(body)`` runs a cascade decided by measured text length (trafilatura's shape):
1. the CMS content selectors (``CONTENT_SELECTORS``, sites.md 1.8), best by score;
2. the densest block: walking down from <body> while one child holds most of the non-link text;
3. <body> itself.
A stage's result is kept when it holds at least ``MIN_CONTENT_CHARS`` characters and at least
half the text the density walk finds. ``drop_noise`` then removes share bars, related links,
print/close buttons, and ``find_breadcrumbs`` reads the location path. Selectors and noise
words are DATA: tune them here, not in code.
"""
from __future__ import annotations

import re

from lxml import etree

from .cjk import fold_spaces
from .lines import CRUMB_WORDS, split_breadcrumbs

__all__ = ["CONTENT_SELECTORS", "NOISE_TOKENS", "find_content", "drop_noise", "find_breadcrumbs",
           "visible_text_length", "text_of", "drop_tree", "selector_candidates", "page_marks"]

#: content containers of the CMS families, most specific first (sites.md 1.8)
CONTENT_SELECTORS: tuple[str, ...] = (
    "#ivs_content", "#UCAP-CONTENT", ".trs_editor_view", ".TRS_UEDITOR", ".TRS_Editor", ".TRS_EDITOR",
    ".Custom_UnionStyle", "#zoom", "#Zoom", "#mainText", "#mainContent", ".article-body", ".bt_content",
    ".bt-content", ".wzzw-article", ".wzcon", ".pages_content", "#webeditorview", ".xxgk_content",
    ".article-content", ".detail-content", "#fontzoom", ".zw", "#zw", ".content_text", "#content_text",
    ".view", ".main-txt", ".news_content", "#news_content", ".art_con", "#art_con", ".article_con",
)
#: class/id tokens of page furniture inside a content block (matched at a token's start)
NOISE_TOKENS: tuple[str, ...] = (
    "share", "bdshare", "bshare", "print", "close", "related", "xgwz", "xglj", "xgxx", "footer",
    "foot", "nav", "menu", "pager", "pagination", "fontsize", "font-size", "zihao", "toolbar",
    "comment", "qrcode", "ewm", "erweima", "sidebar", "advert", "jiucuo", "wza", "barrier",
)
#: words that mark navigation rather than content (the score of a candidate drops with each)
NOISE_WORDS: tuple[str, ...] = ("首页", "当前位置", "字体", "打印", "关闭", "网站地图", "主办单位",
                                "ICP备", "网站标识码", "联系我们", "分享到")
_REPORT_WORDS = ("政府信息公开工作年度报告", "政府信息公开年度报告", "信息公开工作报告")
_SECTION_MARK = re.compile(r"(?m)^\s*[一二三四五六七八九十]{1,2}[、.．]")
MIN_CONTENT_CHARS = 200
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "title"})
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "button", "select",
              "input", "object", "embed", "textarea")
_NOISE_RE = re.compile(r"(?:^|[\s_-])(?:" + "|".join(map(re.escape, NOISE_TOKENS)) + r")", re.IGNORECASE)
_CRUMB_ATTR = re.compile(r"bread|crumb|location|position|weizhi|dqwz|curpos|local|path", re.IGNORECASE)


_SELECTOR_IDS = frozenset(s[1:] for s in CONTENT_SELECTORS if s.startswith("#"))
_SELECTOR_CLASSES = frozenset(s[1:] for s in CONTENT_SELECTORS if s.startswith("."))


# compiled once: el.xpath() compiles its expression each call
_STRING = etree.XPath("string()")
_TABLES = etree.XPath(".//table")
# the class and id values themselves (one string each, knowing its element): far fewer than the
# elements, and a value is matched without building the element's proxy
_MARKS = etree.XPath("//@class | //@id")
_MARKS_INSIDE = etree.XPath("descendant::*/@class | descendant::*/@id")


def page_marks(root) -> list:
    """Every class and id value of the page, in document order (an element's own values next to
    each other): what the content selectors and the breadcrumb marks match (one pass serves both)."""
    return _MARKS(root)


def _marked(marks: list, matches) -> list:
    """The elements, in document order and each once, of the mark values ``matches`` accepts."""
    found: list = []
    for value in marks:
        if matches(value):
            el = value.getparent()
            if not found or found[-1] is not el:  # (its class and its id may both match)
                found.append(el)
    return found


def text_of(el) -> str:
    """All text under ``el`` (lxml's string(), as ``text_content`` gives it)."""
    return _STRING(el)


def drop_tree(el) -> None:
    """Remove ``el`` and its children, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def visible_text_length(el) -> int:
    return _non_blank_length(text_of(el))


def _non_blank_length(text: str) -> int:
    """How many characters of ``text`` are not whitespace (``str.split`` cuts at exactly the
    characters a regex's ``\\s`` matches, without a substitution building the text again)."""
    return sum(map(len, text.split()))


def _score(el, lengths: dict) -> float:
    """The candidate's score; its visible text length goes to ``lengths``."""
    text = text_of(el)
    length = lengths[el] = _non_blank_length(text)
    score = float(length)
    if any(w in text for w in _REPORT_WORDS):
        score += 140
    score += 45 * min(len(_SECTION_MARK.findall(text)), 8)
    score += 20 * min(len(_TABLES(el)), 10)
    score -= 60 * sum(1 for w in NOISE_WORDS if w in text)
    return score


def selector_candidates(root, marks: list | None = None) -> list:
    """The elements a content selector matches, in document order (never <body> or <html>);
    ``marks``: ``page_marks(root)`` when the caller has it."""
    # one pass over the page's class and id values: far faster than one XPath per selector
    found = _marked(page_marks(root) if marks is None else marks, _names_a_content_selector)
    return [el for el in found if el.tag not in ("body", "html")]


def _names_a_content_selector(value) -> bool:
    if value.attrname == "id":
        return value in _SELECTOR_IDS
    return not _SELECTOR_CLASSES.isdisjoint(value.split())


def _by_selectors(root, marks: list | None) -> tuple[object | None, int]:
    """(the best selector candidate or None, its visible text length)."""
    candidates = selector_candidates(root, marks)
    if not candidates:
        return None, 0
    lengths: dict = {}  # each candidate's visible text length, measured once by its score
    scored = sorted(((_score(el, lengths), el) for el in candidates), key=lambda t: t[0], reverse=True)
    best = scored[0][1]
    best_len = lengths[best]
    # prefer the innermost candidate that still holds nearly all of the text (TRS_Editor in #zoom)
    for _, el in scored[1:]:
        if _is_descendant(el, best) and lengths[el] >= 0.85 * best_len:
            best, best_len = el, lengths[el]
    return best, best_len


def _is_descendant(el, ancestor) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _text_weights(el, weights: dict) -> tuple[int, int]:
    """(all text, link text) lengths of ``el``, memoised in ``weights``.

    Keyed by the element itself, not ``id()``: lxml proxies are created on access and an id
    is reused once a proxy is freed; holding the key keeps the proxy (and its hash) alive.
    """
    tag = el.tag
    if not isinstance(tag, str) or not tag:
        return 0, 0
    tag = tag.lower()
    if tag in _SKIP_TAGS:
        return 0, 0
    text = el.text
    total = len(text.strip()) if text else 0
    link = 0
    for child in el:
        t, lk = _text_weights(child, weights)
        tail = child.tail
        total += t + len(tail.strip()) if tail else t
        link += lk
    if tag == "a":
        link = total
    weights[el] = (total, link)
    return total, link


def _by_density(body):
    weights: dict = {}
    _text_weights(body, weights)
    node = body
    while True:
        own = _dense(weights, node)
        children = [c for c in node if isinstance(c.tag, str) and c in weights]
        if not children:
            return node
        best = max(children, key=lambda c: _dense(weights, c))
        if _dense(weights, best) < 0.7 * own:
            return node
        if best.tag == "table" and not _TABLES(best):
            return node  # a data table is part of the content, never the whole of it
        node = best


def _dense(weights: dict, el) -> int:
    total, link = weights.get(el, (0, 0))
    return total - link


def find_content(root, marks: list | None = None):
    """The element holding the report's content (never None for a page with a body);
    ``marks``: ``page_marks(root)`` when the caller has it."""
    node = _find_content(root, marks)
    # a row is never a container: its table is (else the table would be read as layout)
    while node.tag in ("tr", "tbody", "thead", "tfoot") and node.getparent() is not None:
        node = node.getparent()
    return node


def _find_content(root, marks: list | None):
    body = root.find(".//body")
    if body is None:
        body = root
    chosen, length = _by_selectors(root, marks)
    # the densest block is <body> or inside it: a candidate holding half the body's text holds half
    # of the block's, and is kept without walking the page for it (most report pages)
    if chosen is not None and length >= MIN_CONTENT_CHARS and length >= 0.5 * visible_text_length(body):
        return chosen
    try:
        dense = _by_density(body)
    except RecursionError:
        dense = body
    dense_len = visible_text_length(dense)
    if chosen is not None:
        if length >= MIN_CONTENT_CHARS and length >= 0.5 * dense_len:
            return chosen
        if length >= MIN_CONTENT_CHARS and _TABLES(chosen) and not _TABLES(dense):
            return chosen
    if dense_len >= MIN_CONTENT_CHARS or chosen is None:
        return dense
    return chosen


def drop_noise(container) -> None:
    """Remove furniture (scripts, forms, share bars, related links…) from inside the container."""
    total = max(1, visible_text_length(container))
    for el in list(container.iter(*_DROP_TAGS)):
        if el is not container and el.getparent() is not None:
            drop_tree(el)
    # only an element with a class or an id has marks to match (no token holds a space: a token
    # found in "class id" is found in one of them)
    for el in _marked(_MARKS_INSIDE(container), _NOISE_RE.search):
        if el.getparent() is not None and visible_text_length(el) < 0.3 * total:
            drop_tree(el)


def find_breadcrumbs(root, marks: list | None = None) -> list[str]:
    """The location path ('首页', '信息公开', '年度报告'), outermost first; [] when none.
    ``marks``: ``page_marks(root)`` when the caller has it."""
    # an element without a class or an id has no mark to match (no crumb word holds a space: a
    # word found in "class id" is found in one of them)
    candidates = _marked(page_marks(root) if marks is None else marks, _CRUMB_ATTR.search)
    # a word the body's whole text lacks is in none of its text nodes: searched for only when written
    bodies = [text_of(body) for body in root.iter("body")]
    for word in (w for w in CRUMB_WORDS if any(w in b for b in bodies)):
        for text_node in root.xpath(f"//body//text()[contains(., '{word}')]"):
            parent = text_node.getparent()
            while parent is not None and next(parent.iterdescendants("a"), None) is None and parent.tag != "body":
                parent = parent.getparent()
            if parent is not None and parent.tag != "body":
                candidates.insert(0, parent)
    for el in candidates:
        crumbs = _crumbs_of(el)
        if len(crumbs) >= 2:
            return crumbs
    return []


def _crumbs_of(el) -> list[str]:
    crumbs = split_breadcrumbs(text_of(el))
    if crumbs:
        return crumbs
    # separators drawn as images: the link texts are the path
    links = [fold_spaces(text_of(a)) for a in el.xpath(".//a")]
    links = [t for t in links if t]
    return links if 2 <= len(links) <= 10 and all(len(t) <= 40 for t in links) else []
