"""CMS family detection in generic mode: a pure function over a page's URL and text, driven by
one table of signatures; checked on first list pages shaped like the real ones (tests/data/families).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scraper.discovery import PageRequest, Page, families, family_module
from scraper.discovery.detect import Detection, detect_family
from scraper.discovery.signatures import SIGNATURES, THRESHOLD
from scraper.profiles import adhoc_profile

DATA = Path(__file__).parent / "data" / "families"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))


def page(name: str) -> tuple[str, str]:
    url = EXPECTED[name][0]
    return url, (DATA / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_family_is_recognised_from_its_first_list_page_and_says_why(name):
    url, text = page(name)
    _, family, reason = EXPECTED[name]
    found = detect_family(url, text)
    assert found.family == family, found
    assert reason in found.reasons
    assert (found.score >= THRESHOLD) == (family != "generic")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_recognised_familys_reader_reads_the_page(name):
    url, text = page(name)
    found = detect_family(url, text)
    listing = family_module(found.family).read_list(Page(url, text), adhoc_profile(url), PageRequest(url))
    assert listing.links or listing.next_pages, (name, found.family)


def test_pagination_that_exists_only_in_a_script_is_read_once_recognised():
    url, text = page("trs_nanjing_plain.html")
    listing = family_module(detect_family(url, text).family).read_list(
        Page(url, text), adhoc_profile(url), PageRequest(url))
    assert [p.url.rsplit("/", 1)[1] for p in listing.next_pages] == [f"index_{n}.html" for n in range(1, 9)]
    assert {link.url.rsplit("/", 1)[1] for link in listing.links} >= {
        "t20230129_6089291.html", "P020210205512366412345.pdf"}
    # the generic reader sees no page beyond the first
    assert not family_module("generic").read_list(Page(url, text), adhoc_profile(url), PageRequest(url)).next_pages


def test_a_single_weak_hint_is_not_enough_and_is_still_reported():
    found = detect_family("http://www.x.gov.cn/gknb/", "<script>document.write('<li>x</li>');</script>")
    assert found == Detection("generic", 0, ("no CMS family recognised", "document.write(…) list rows (trs?)"))
    assert detect_family("http://www.x.gov.cn/", "").reasons == ("no CMS family recognised",)


def test_the_stronger_family_wins_when_traits_mix():
    # a jpaas column of a site that kept its old Hanweb art/YYYY/M/D pages
    text = ('<div queryData="{\'webId\':\'74\'}"></div>'
            '<a href="/art/2018/2/28/art_46355_1634538.html">old</a>')
    found = detect_family("https://www.taizhou.gov.cn/zfxxgk/zfxxgknb/index.html", text)
    assert found.family == "jpaas" and found.reasons == ('queryData="{…}" list unit',)
    # URL shapes alone: t-date articles and P0 attachments make a TRS list
    trs = '<a href="./202401/t20240109_4754000.htm">a</a><a href="./202401/P020240109123456789012.pdf">b</a>'
    assert detect_family("http://www.fzja.gov.cn/zfxxgknb/", trs).family == "trs"
    # a Hanweb column known by its URL and its art/ links, without the datastore
    assert detect_family("http://www.zjpy.gov.cn/col/col1229246029/index.html",
                         '<a href="/art/2020/6/22/art_1229246029_51410.html">x</a>').family == "hanweb"


def test_the_signature_table_is_sound():
    known = set(families())
    assert {s.family for s in SIGNATURES} <= known - {"generic"}
    assert all(s.where in ("url", "page") and 1 <= s.weight <= 4 and s.what for s in SIGNATURES)
    for s in SIGNATURES:
        re.compile(s.pattern)
    rows = [(s.family, s.where, s.pattern) for s in SIGNATURES]
    assert len(rows) == len(set(rows))
    # every family with a module that can be recognised has a trait that decides alone
    for family in {s.family for s in SIGNATURES}:
        assert max(s.weight for s in SIGNATURES if s.family == family) >= THRESHOLD, family
