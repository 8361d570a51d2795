"""The frontier: URL identity, each request once, lists before attachments before articles."""
from __future__ import annotations

from scraper.frontier import DONE, CrawlRequest, Frontier, normalize_url, request_key


def test_normalize_url_spellings_meet_once():
    assert normalize_url("HTTP://WWW.X.gov.cn:80/a/b.html#top") == "http://www.x.gov.cn/a/b.html"
    assert normalize_url("https://x.gov.cn:443/p?b=2&a=1") == "https://x.gov.cn/p?a=1&b=2"
    assert normalize_url("http://x.gov.cn:8080") == "http://x.gov.cn:8080/"
    assert normalize_url("http://x.gov.cn/%e6%8a%a5%e5%91%8a.pdf") == normalize_url("http://x.gov.cn/报告.pdf")


def test_post_body_is_part_of_the_key():
    a = request_key("http://x.gov.cn/dataproxy.jsp?startrecord=1", "POST", (("webid", "1"),))
    b = request_key("http://x.gov.cn/dataproxy.jsp?startrecord=1", "POST", (("webid", "2"),))
    assert a != b and a.startswith("POST ")


def test_each_request_once_in_priority_order():
    f = Frontier()
    article = CrawlRequest("http://x.gov.cn/a.html", "article", "s")
    attachment = CrawlRequest("http://x.gov.cn/a.pdf", "attachment", "s")
    listing = CrawlRequest("http://x.gov.cn/index.html", "list", "s")
    assert f.add(article) and f.add(attachment) and f.add(listing)
    assert not f.add(CrawlRequest("http://X.gov.cn/a.html#x", "article", "s"))
    order = [f.pop(), f.pop(), f.pop()]
    assert [r.kind for r in order] == ["list", "attachment", "article"]
    assert f.pop() is None and not f.idle
    for r in order:
        f.finish(r, DONE)
    assert f.idle and len(f) == 0


def test_a_done_request_from_a_resumed_run_is_known_but_not_queued():
    f = Frontier()
    done = CrawlRequest("http://x.gov.cn/a.html", "article", "s")
    assert f.add(done, DONE)
    assert f.known(done) and f.pop() is None and f.idle
