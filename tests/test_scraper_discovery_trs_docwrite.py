"""TRS columns whose rows exist only in document.write('…') strings (海淀 zyk.bjhd.gov.cn, sites.md §1.1)."""
from __future__ import annotations

from scraper.discovery.base import Page, PageRequest
from scraper.discovery.trs import read_list
from scraper.profiles import builtin_profiles

COLUMN = "http://zyk.bjhd.gov.cn/jbdt/auto10489_51767/zfwj_59297/zfwj_59339/index.shtml"
ROW = ("<li><a href=\"./{ym}/t{ymd}_{n}.shtml\" title=\"{t}\" target=\"_blank\">{t}</a>"
       "<span>{date}</span></li>")
PAGE = ("<html><body><ul class='list_ul'>\n" + "\n".join(
    "<script>document.write('" + ROW.format(ym=ymd[:6], ymd=ymd, n=n, t=t, date=d).replace("'", "\\'") + "');</script>"
    for ymd, n, t, d in (
        ("20210224", 2287619, "北京市海淀区人民政府2018年政府信息公开工作年度报告", "2019-03-19"),
        ("20200320", 1907309, "北京市海淀区人民政府2019年政府信息公开工作年度报告的问答解读", "2020-03-20"),
    )) + "\n</ul><script>createPageHTML(2, 0, \"index\", \"shtml\");</script></body></html>")


def test_rows_written_by_scripts_are_listed_with_their_own_dates():
    profile = builtin_profiles()["haidian"]
    listing = read_list(Page(COLUMN, PAGE), profile, PageRequest(COLUMN))
    assert [l.url.rsplit("/", 2)[-2:] for l in listing.links] == [
        ["202102", "t20210224_2287619.shtml"], ["202003", "t20200320_1907309.shtml"]]
    # the list date (the page's), not the migration date in the URL
    assert listing.links[0].date == "2019-03-19"
    assert listing.links[0].title == "北京市海淀区人民政府2018年政府信息公开工作年度报告"
    assert [r.url.rsplit("/", 1)[1] for r in listing.next_pages] == ["index_1.shtml"]


def test_the_profile_covers_the_moved_host():
    profile = builtin_profiles()["haidian"]
    assert profile.family == "trs" and {"zyk.bjhd.gov.cn", "www.bjhd.gov.cn"} <= set(profile.hosts)
