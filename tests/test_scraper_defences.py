"""Each defence kind recognised from a real-shaped response; real pages are left alone."""
from __future__ import annotations

import pytest

from scraper.defences import detect_defence

RUISHU = (b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
          b'<meta id="9DhefwqGPrzGxEp9hPaoag" content="abc" r="m">'
          b'<script>$_ts=window[\'$_ts\'];if(!$_ts)$_ts={};$_ts.nsd=12345;$_ts.cd="qhqcrr";</script>'
          b'<script src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r="m"></script></head><body></body></html>')
JIASULE = (b"<html><body><script>document.cookie=('_')+('_')+('jsl_clearance_s=1700000000.1|0|x')"
           b"+';Expires=Mon;Path=/';location.href=location.pathname+location.search</script></body></html>")
CAPTCHA = "<html><head><title>安全验证</title></head><body>请输入验证码<input name=code></body></html>"
SOFT404 = "<html><head><title>页面不存在</title></head><body>对不起，您访问的页面不存在！</body></html>"
REPORT = ("<html><head><title>余杭区2017年度政府信息公开工作年度报告</title></head><body>"
          "<div id=zoom>一、总体情况……本年度共收到政府信息公开申请1984件。</div></body></html>")


@pytest.mark.parametrize("status,headers,body,kind", [
    (412, {}, RUISHU, "ruishu"),
    (202, {}, RUISHU, "ruishu"),
    (521, {"set-cookie": "__jsluid_s=abc; path=/"}, JIASULE, "jiasule"),
    (521, {}, JIASULE, "jiasule"),
    (200, {}, CAPTCHA.encode("utf-8"), "captcha"),
    (200, {}, CAPTCHA.encode("gbk"), "captcha"),
    (200, {}, SOFT404.encode("utf-8"), "soft404"),
    (200, {}, SOFT404.encode("gb18030"), "soft404"),
    (302, {"location": "/WZWSRELw==?wzwschallenge=abc"}, b"", "wzws"),
    (200, {}, b"<script>var arg1='3B6F';acw_sc__v2=1</script>", "aliyun_waf"),
    (200, {}, "<html><title>提示</title>您的访问过于频繁，请稍后再试</html>".encode(), "throttle"),
])
def test_defence_kinds(status, headers, body, kind):
    assert detect_defence(status, headers, body) == kind


@pytest.mark.parametrize("status,body", [
    (200, REPORT.encode("utf-8")),
    (200, REPORT.encode("gb18030")),
    (404, SOFT404.encode("utf-8")),           # a real 404 is a status, not a soft one
    (412, b"<html>Precondition Failed</html>"),  # a bare 412 without Ruishu markers
    (200, b"%PDF-1.4 binary"),
    (301, b""),
])
def test_real_answers_are_not_defences(status, body):
    assert detect_defence(status, {}, body) is None


def test_big_page_mentioning_missing_pages_is_not_soft404():
    body = ("<html><title>某局2020年政府信息公开工作年度报告</title><body>"
            + "页面不存在的问题已整改。" + "正文" * 20_000 + "</body></html>").encode()
    assert detect_defence(200, {}, body) is None


@pytest.mark.parametrize("magic", [b"%PDF-1.7\n", b"\r\n%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_a_document_is_not_searched_for_markers_but_its_headers_are(magic: bytes):
    """A PDF or Office file whose bytes happen to hold a marker is the file asked for; a defence's cookie
    on its response still tells."""
    body = magic + b"\x00binary stream wzwschallenge acw_sc__v2 WTKkN " + "页面不存在".encode() + bytes(300)
    assert detect_defence(200, {}, body) is None
    assert detect_defence(200, {"set-cookie": "wzws_cid=abc; path=/"}, body) == "wzws"
    assert detect_defence(200, {}, b"<html>" + body[len(magic):]) == "wzws"  # a page is searched


def test_every_match_of_a_body_sign_holds_one_of_its_words():
    """The words let a page skip a sign's regex: a match without one would go unseen."""
    from scraper.defences import DEFENCE_SIGNS, DefenceSign

    samples = [RUISHU, JIASULE, b"<script>var arg1='3B6F';acw_sc__v2=1</script>", b"location='/WZWSREL?x'",
               b"<script>WZWSchallenge()</script>", b"<script src=/WTKkN.js></script>", b"EO_Bot_Ssid=1",
               b"<META name=x R='m'>", b"$_TS.cd=1", b"DOCUMENT.COOKIE='a'", b"__JSLUID_s=1"]
    found = 0
    for sign in DEFENCE_SIGNS:
        if sign.body is None:
            continue
        for body in samples:
            for m in sign.body.finditer(body):
                found += 1
                assert any(w in m.group(0).lower() for w in sign.words), (sign.kind, m.group(0))
    assert found >= len(samples)
    with pytest.raises(ValueError):
        DefenceSign("x", body=__import__("re").compile(rb"abc"))
