"""Recognise bot defences and soft 404s in a response; never try to get past them.

``detect_defence(status, headers, body)`` returns a kind or ``None``:

    ruishu      瑞数-like: 412 (or 202) with a ``$_ts`` script or a ``<meta … r="m">`` element
    jiasule     加速乐-like: 521 with a script setting ``__jsl_clearance`` / ``__jsluid`` cookies
    wzws        网站卫士: a ``wzwschallenge`` redirect/page or ``wzws_cid`` cookie
    aliyun_waf  Aliyun WAF: ``acw_sc__v2`` script
    edgeone     Tencent EdgeOne bot shell (``WTKkN`` / ``EO_Bot_Ssid``)
    captcha     a 验证码 / 安全验证 page
    throttle    a 200 page saying the visitor is too fast (访问过于频繁 …)
    soft404     a 200 page that says the page does not exist

The signs are data (``DEFENCE_SIGNS``), checked in order; the fetcher stores the kind in
``FetchResult.blocked``, counts ``fetch/blocked/<kind>`` and does not retry. Markers are searched
in the raw bytes and, for the Chinese ones, in both UTF-8 and GB18030 readings of the head.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DefenceSign", "DEFENCE_SIGNS", "detect_defence"]

# Chinese markers are only looked for in pages this small: a report is larger
_SMALL_PAGE = 20_000


@dataclass(frozen=True, slots=True)
class DefenceSign:
    kind: str
    #: statuses this sign applies to (empty: any)
    statuses: frozenset[int] = frozenset()
    #: regex over the raw bytes of the body (ASCII markers)
    body: re.Pattern[bytes] | None = None
    #: lower-case words one of which every match of ``body`` holds: the regex runs only where one is
    #: (a case-blind or alternated pattern scans a 200 KB page at ~10 ms/MB; a word is found at ~1)
    words: tuple[bytes, ...] = ()
    #: regex over Set-Cookie / Location values
    header: re.Pattern[str] | None = None
    #: regex over the decoded head of a small page (Chinese markers)
    text: re.Pattern[str] | None = None

    def __post_init__(self) -> None:
        if self.body is not None and (not self.words or any(w != w.lower() for w in self.words)):
            raise ValueError(f"defence sign {self.kind}: a body pattern needs its lower-case words")


DEFENCE_SIGNS: tuple[DefenceSign, ...] = (
    DefenceSign("ruishu", frozenset({412, 202}),
                body=re.compile(rb"\$_ts\s*[=.\[]|<meta[^>]*\sr=[\"']?m[\"']?[\s/>]", re.I), words=(b"$_ts", b"<meta")),
    DefenceSign("jiasule", frozenset({521}),
                body=re.compile(rb"__jsl_clearance|__jsluid|document\.cookie", re.I),
                words=(b"__jsl_clearance", b"__jsluid", b"document.cookie"),
                header=re.compile(r"__jsluid|__jsl_clearance", re.I)),
    DefenceSign("wzws", body=re.compile(rb"wzws(?:challenge|rel)", re.I), words=(b"wzws",),
                header=re.compile(r"wzws_cid|WZWSREL", re.I)),
    DefenceSign("aliyun_waf", body=re.compile(rb"acw_sc__v2"), words=(b"acw_sc__v2",)),
    DefenceSign("edgeone", body=re.compile(rb"WTKkN|EO_Bot_Ssid"), words=(b"wtkkn", b"eo_bot_ssid"),
                header=re.compile(r"EO_Bot_Ssid")),
    DefenceSign("captcha", text=re.compile(
        r"<title>[^<]*(验证码|安全验证|人机验证|访问验证)|请输入(图片)?验证码|captcha", re.I)),
    DefenceSign("throttle", frozenset({200, 403, 503}),
                text=re.compile(r"访问过于频繁|访问频率过高|访问异常|请求过于频繁|访问太频繁")),
    DefenceSign("soft404", frozenset({200}), text=re.compile(
        r"<title>[^<]*(404|页面不存在|找不到|出错了|not found)|您访问的页面不存在|页面不存在|"
        r"页面找不到|页面已被删除|该页面已删除|找不到您要访问的页面", re.I)),
)


# a file that opens as a PDF, a ZIP (DOCX, XLSX) or an OLE2 document (DOC, XLS) is what was asked for,
# never a defence page (those are HTML and scripts): its body is not searched for markers
_DOCUMENT_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _is_document(body: bytes) -> bool:
    return body.startswith(_DOCUMENT_MAGIC) or body.find(b"%PDF-", 0, 1024) >= 0


def _head_texts(body: bytes) -> tuple[str, ...]:
    head = body[:_SMALL_PAGE]
    return head.decode("utf-8", "replace"), head.decode("gb18030", "replace")


def detect_defence(status: int, headers: Mapping[str, str], body: bytes) -> str | None:
    """The kind of bot defence or soft 404 this response is, or ``None`` for a real answer.

    ``headers`` keys are lower-case; ``set-cookie`` may hold several cookies joined by newlines.
    """
    if 300 <= status < 400 and not headers.get("location"):
        return None
    header_values = " ".join(headers.get(k, "") for k in ("set-cookie", "location"))
    texts: tuple[str, ...] | None = None
    page = not _is_document(body)
    lower: bytes | None = None
    for sign in DEFENCE_SIGNS:
        if sign.statuses and status not in sign.statuses:
            continue
        if sign.body is not None and page:
            if lower is None:
                lower = body[:200_000].lower()
            if any(w in lower for w in sign.words) and sign.body.search(body, 0, 200_000):
                return sign.kind
        if sign.header is not None and header_values and sign.header.search(header_values):
            return sign.kind
        if sign.text is not None and page and len(body) <= _SMALL_PAGE:
            if texts is None:
                texts = _head_texts(body)
            if any(sign.text.search(t) for t in texts):
                return sign.kind
    return None
