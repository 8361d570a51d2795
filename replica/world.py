"""The replica's world as data: its sites, who publishes what there, and the special cases.

``build_world(seed, today)`` turns ``SITES``, ``PUBLISHERS`` and ``SPECIALS`` into a ``World``:
the ``Truth`` (every report with its expected values and URLs, every non-report item) and, per
site, the ``Listing`` rows its column shows. Families (``replica.families``) turn a site and its
listings into files. Reports run from 2008 to last year (``today.year - 1``) in the three eras
(legacy to 2018, gb2019 for 2019–2020, gb2021 after). Same seed, same world.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from .families import FAMILIES
from .site import Listing, SiteSpec
from .templates import headline, legacy_metrics, make_metrics
from .truth import AttachmentTruth, NoiseTruth, ReportTruth, Truth

__all__ = ["SITES", "PUBLISHERS", "SPECIALS", "World", "build_world", "era_of", "MEDIA"]

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

SITES: tuple[SiteSpec, ...] = (
    SiteSpec("nanjing", "trs", "www.nanjing.gov.cn", "南京市人民政府", "/xxgk/zfxxgkndbg/index.html",
             "政府信息公开年度报告", 8, {"pager": "plain", "ext": "html", "home": "js_shell"}),
    SiteSpec("nanjing-jyj", "trs", "jyj.nanjing.gov.cn", "南京市教育局", "/zwgk/gknb/index.htm",
             "政府信息公开年报", 4, {"pager": "page_div", "ext": "htm"}, encoding="gbk"),
    SiteSpec("jiangning", "trs", "www.jiangning.gov.cn", "南京市江宁区人民政府",
             "/jnqrmzf/xxgkzl/zfxxgkndbg/index.html", "政府信息公开年度报告", 5,
             {"pager": "styled", "ext": "html"}),
    SiteSpec("nanjing-sfj", "trs", "sfj.nanjing.gov.cn", "南京市司法局", "/zwgk/gknb/index.html",
             "政府信息公开年报", 8, {"pager": "plain", "ext": "html"},
             robots="User-agent: *\nDisallow: /\n"),
    SiteSpec("hubei-wlt", "trs", "wlt.hubei.gov.cn", "湖北省文化和旅游厅", "/zfxxgk/zfxxgknb/index.shtml",
             "政府信息公开年报", 8, {"pager": "plain", "ext": "shtml"}, defence="ruishu", robots=None),
    SiteSpec("yuhang", "hanweb", "www.yuhang.gov.cn", "杭州市余杭区人民政府", "/col/col1229179150/index.html",
             "政府信息公开年报", 5, {"webid": "3095", "columnid": "1229179150", "unitid": "5684321",
                                "proxy": "/module/web/jpage/dataproxy.jsp"},
             old_hosts=("xxgk.yuhang.gov.cn",),
             attachment_host="zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn",
             throttle=True),
    SiteSpec("zhejiang", "hanweb", "www.zj.gov.cn", "浙江省人民政府", "/col/col1229017138/index.html",
             "政府信息公开年报", 4, {"webid": "3096", "columnid": "1229017138", "unitid": "6789012",
                                "proxy": "/module/jpage/dataproxy.jsp"},
             scheme="https",
             attachment_host="zjjcmspublic.oss-cn-hangzhou-zwynet-d01-a.internet.cloud.zj.gov.cn",
             robots=None),
    # the families of issue 8 (sites.md §1.3–1.6)
    SiteSpec("taizhou", "jpaas", "www.taizhou.gov.cn", "泰州市人民政府", "/zfxxgk/zfxxgknb/index.html",
             "政府信息公开年报", 6, {"webId": "74", "tplSetId": "5d3f0c1ab0e94f1c9e2a7d6b8c4e1f20",
                                "pageId": "1700", "subcolumns_before": 2019}, scheme="https"),
    SiteSpec("zhaoqing", "gkmlpt", "www.zhaoqing.gov.cn", "肇庆市人民政府", "/gkmlpt/index",
             "政府信息公开年报", 3, {"sid": "758001", "category": "2160"}),
    SiteSpec("shanghai", "shanghai", "www.shanghai.gov.cn", "上海市人民政府", "/nw12344/index.html",
             "政府信息公开年报", 8, {"legacy_before": 2013, "migrated_year": 2019}, scheme="https"),
    SiteSpec("huangpu", "epoint", "hpq.sh.gov.cn", "上海市黄浦区人民政府",
             "/shhp/ShowInfo/MoreInfo.aspx?CategoryNum=031003003001", "区政府信息公开年度报告", 4,
             {"category": "031003003001", "office": "区府办"}),
    SiteSpec("pinghu", "zj_annual", "www.pinghu.gov.cn", "平湖市人民政府",
             "/module/xxgk/xxgkAnnualReport.jsp?area=002520405", "政府信息公开年报", 1, {}),
    SiteSpec("haidian", "trs", "zyk.bjhd.gov.cn", "北京市海淀区人民政府",
             "/jbdt/auto10489_51767/zfwj_59297/zfwj_59339/index.shtml", "政府信息公开年度报告", 6,
             {"pager": "plain", "ext": "shtml", "docwrite": True}, old_hosts=("www.bjhd.gov.cn",)),
    SiteSpec("shenzhen", "gd_portal", "www.sz.gov.cn", "深圳市人民政府", "/cn/xxgk/ndxxgkbg/index.html",
             "年度信息公开报告", 5, {}),
    SiteSpec("renhe", "generic", "renhe.yuhang.gov.cn", "杭州市余杭区仁和街道办事处", "/zwgk/gknb/index.html",
             "政府信息公开年报", 4, {}, profile=False, header_charset=False),
    # a TRS district without a profile: its pages exist only in the createPageHTML script
    SiteSpec("gaochun", "trs", "www.gaochun.gov.cn", "南京市高淳区人民政府", "/zwgk/zfxxgknb/index.html",
             "政府信息公开年报", 3, {"pager": "plain", "ext": "html"}, profile=False),
)


@dataclass(frozen=True, slots=True)
class PublisherSpec:
    site: str
    publisher: str
    region: str
    region_code: str | None
    agency: str | None
    level: str
    #: (first year, last year or None for last year)
    years: tuple[int, int | None]
    subject: str
    office: str
    #: short place name used in titles ("南京市", "江宁区")
    short: str
    scale: int = 1
    #: Word-pasted tables (MsoNormalTable, nowrap, <br /> in headers) instead of clean ones
    word: bool = False
    #: zeros drawn as blank cells (and so absent from the metrics)
    blank_zero: bool = False
    #: in report keys when the site lists more than one publisher ("zhejiang-hangzhou-2024")
    slug: str = ""
    #: table numbers in full-width digits (Word-pasted layouts only)
    fullwidth: bool = False
    #: titles that open with the year (上海: "2023年上海市政府信息公开工作年度报告")
    year_first: bool = False
    #: the unit code a per-unit report page is addressed by (Zhejiang ``area=``)
    area: str = ""


PUBLISHERS: tuple[PublisherSpec, ...] = (
    PublisherSpec("nanjing", "南京市人民政府", "江苏省南京市", "320100", None, "city", (2008, None),
                  "我市", "南京市人民政府办公厅", "南京市", scale=3, word=True),
    PublisherSpec("nanjing-jyj", "南京市教育局", "江苏省南京市", "320100", "南京市教育局", "department",
                  (2019, None), "我局", "南京市教育局", "南京市教育局", word=True, blank_zero=True,
                  fullwidth=True),
    PublisherSpec("jiangning", "南京市江宁区人民政府", "江苏省南京市江宁区", "320115", None, "district",
                  (2019, None), "我区", "南京市江宁区人民政府办公室", "南京市江宁区", scale=2),
    PublisherSpec("nanjing-sfj", "南京市司法局", "江苏省南京市", "320100", "南京市司法局", "department",
                  (-2, None), "我局", "南京市司法局", "南京市司法局"),
    PublisherSpec("hubei-wlt", "湖北省文化和旅游厅", "湖北省", "420000", "湖北省文化和旅游厅", "department",
                  (-2, None), "我厅", "湖北省文化和旅游厅", "湖北省文化和旅游厅"),
    PublisherSpec("yuhang", "杭州市余杭区人民政府", "浙江省杭州市余杭区", "330110", None, "district",
                  (2016, None), "我区", "杭州市余杭区人民政府办公室", "杭州市余杭区", scale=2, word=True),
    PublisherSpec("zhejiang", "浙江省人民政府", "浙江省", "330000", None, "province", (2019, None),
                  "全省", "浙江省人民政府办公厅", "浙江省", scale=5),
    # the provincial portal's column also carries the capital city's own reports
    PublisherSpec("zhejiang", "杭州市人民政府", "浙江省杭州市", "330100", None, "city", (-2, None),
                  "我市", "杭州市人民政府办公厅", "杭州市", scale=3, slug="hangzhou"),
    PublisherSpec("taizhou", "泰州市人民政府", "江苏省泰州市", "321200", None, "city", (2016, None), "我市",
                  "泰州市人民政府办公室", "泰州市", scale=3),
    PublisherSpec("taizhou", "泰州市信访局", "江苏省泰州市", "321200", "泰州市信访局", "department", (-3, None),
                  "我局", "泰州市信访局", "泰州市信访局", slug="xfj"),
    PublisherSpec("zhaoqing", "肇庆市人民政府", "广东省肇庆市", "441200", None, "city", (-4, None), "我市",
                  "肇庆市人民政府办公室", "肇庆市", scale=2),
    PublisherSpec("shanghai", "上海市人民政府", "上海市", "310000", None, "province", (2010, None), "本市",
                  "上海市人民政府办公厅", "上海市", scale=5, year_first=True),
    PublisherSpec("huangpu", "上海市黄浦区人民政府", "上海市黄浦区", "310101", None, "district", (2012, 2019),
                  "本区", "上海市黄浦区人民政府办公室", "上海市黄浦区", scale=2, word=True),
    PublisherSpec("pinghu", "平湖市人民政府", "浙江省嘉兴市平湖市", "330482", None, "county", (2014, None),
                  "我市", "平湖市人民政府办公室", "平湖市", area="002520405"),
    PublisherSpec("pinghu", "平湖市发展和改革局", "浙江省嘉兴市平湖市", "330482", "平湖市发展和改革局",
                  "department", (-4, None), "我局", "平湖市发展和改革局", "平湖市发展和改革局", slug="fgj",
                  area="741033213"),
    PublisherSpec("haidian", "北京市海淀区人民政府", "北京市海淀区", "110108", None, "district", (2016, None),
                  "我区", "北京市海淀区人民政府办公室", "北京市海淀区", scale=3),
    PublisherSpec("shenzhen", "深圳市人民政府", "广东省深圳市", "440300", None, "city", (-6, None), "我市",
                  "深圳市人民政府办公厅", "深圳市", scale=4),
    PublisherSpec("renhe", "杭州市余杭区仁和街道办事处", "浙江省杭州市余杭区仁和街道", "330110", None, "town",
                  (2008, 2010), "我街道", "杭州市余杭区仁和街道办事处", "余杭区仁和街道"),
    PublisherSpec("renhe", "杭州市余杭区仁和街道办事处", "浙江省杭州市余杭区仁和街道", "330110", None, "town",
                  (-5, None), "我街道", "杭州市余杭区仁和街道办事处", "余杭区仁和街道"),
    PublisherSpec("gaochun", "南京市高淳区人民政府", "江苏省南京市高淳区", "320118", None, "district",
                  (-7, None), "我区", "南京市高淳区人民政府办公室", "南京市高淳区", scale=2),
)

#: (site, year) -> what is special about that report. Negative years count back from last year.
SPECIALS: dict[tuple[str, int], dict[str, Any]] = {
    ("nanjing", 2008): {"title": "2008年南京市政府信息公开工作年度报告"},
    ("nanjing", 2012): {"fault": "flaky"},
    ("nanjing", 2016): {"url_date": "2021-02-24"},          # re-dated by a platform migration
    ("nanjing", 2017): {"title": "南京市2017年政府信息公开年度报告"},
    ("nanjing", 2023): {"attachments": ("pdf",)},
    ("nanjing-jyj", 2020): {"charset_mismatch": True},
    ("nanjing-jyj", 2021): {"attachments": ("docx",)},
    ("jiangning", 2020): {"fault": "slow"},
    ("jiangning", 2022): {"only_attachment": "pdf"},
    ("jiangning", 2023): {"copy_on": "nanjing"},
    ("jiangning", 2024): {"stub": "docx"},
    ("yuhang", 2017): {"tujie": True},
    ("yuhang", 2020): {"stub": "pdf"},
    ("yuhang", 2023): {"attachments": ("pdf",)},
    ("zhejiang", 2021): {"attachments": ("pdf",)},
    ("zhejiang", 2022): {"attachments": ("pdf",)},
    ("nanjing-sfj", -1): {"listed_on": "nanjing"},
    # migrated into year sub-columns in 2023 (…/2016/szf/art/2023/…), the page keeps its date
    ("taizhou", 2016): {"url_date": "2023-05-16", "title": "泰州市人民政府2016年政府信息公开工作年度报告"},
    ("taizhou", 2017): {"url_date": "2023-05-16"},
    ("taizhou", 2018): {"url_date": "2023-05-17"},
    ("taizhou", 2023): {"attachments": ("pdf",)},
    # gkmlpt details hold their body only as JSON (window._CONFIG.DETAIL): the newer two are read
    # from it, the older two are stubs whose full text is the PDF attachment
    ("zhaoqing", -3): {"stub": "pdf"}, ("zhaoqing", -4): {"stub": "pdf"},
    ("shanghai", 2019): {"url_date": "2020-08-13"},
    ("huangpu", 2016): {"title": "2016年上海市黄浦区政府信息公开工作年度报告"},
    ("huangpu", 2019): {"attachments": ("pdf",)},
    ("haidian", 2016): {"title": "海淀区2016年政府信息公开工作年度报告"},
    ("haidian", 2018): {"url_date": "2021-02-24"},
    # its full text only in the PDF attached to its article page, on the last list page
    ("gaochun", -6): {"stub": "pdf"},
}

#: (site, title, kind, year offset for its date) non-report items in the columns
NOISE: tuple[tuple[str, str, str, int], ...] = (
    ("nanjing", "南京市政府信息公开指南", "指南", -4),
    ("nanjing", "关于做好{Y}年度政府信息公开工作年度报告编制发布工作的通知", "通知", 0),
    ("nanjing", "南京市人民政府{Y}年政府信息公开工作年度报告解读", "解读", 0),
    ("jiangning", "关于报送{Y}年度政府信息公开工作年度报告的通知", "通知", -1),
    ("yuhang", "杭州市余杭区{Y}年政府信息公开工作年度报告解读", "解读", -2),
    ("yuhang", "关于印发余杭区{Y}年政务公开工作要点的通知", "通知", -1),
    ("taizhou", "泰州市{Y}年政府信息公开工作年度报告解读", "解读", 0),
    ("zhaoqing", "肇庆市人民政府{Y}年政府信息公开工作年度报告解读", "解读", -1),
    ("shanghai", "上海市政府信息公开指南", "指南", -3),
    ("huangpu", "关于做好{Y}年度政府信息公开工作年度报告编制工作的通知", "通知", -7),
    ("haidian", "北京市海淀区人民政府{Y}年政府信息公开工作年度报告的问答解读", "解读", 0),
    ("shenzhen", "深圳市政府信息公开指南", "指南", -2),
    ("shenzhen", "关于做好{Y}年度政府信息公开工作年度报告发布工作的通知", "通知", 0),
    ("gaochun", "南京市高淳区{Y}年政府信息公开工作年度报告解读", "解读", -1),
)


def era_of(year: int) -> str:
    return "legacy" if year < 2019 else ("gb2019" if year < 2021 else "gb2021")


@dataclass
class World:
    seed: int
    today: dt.date
    sites: dict[str, SiteSpec]
    truth: Truth
    listings: dict[str, list[Listing]] = field(default_factory=dict)
    #: (host, path) -> "flaky" | "slow"
    faults: dict[tuple[str, str], str] = field(default_factory=dict)
    #: reports whose page bytes are served with a header charset that the bytes do not match
    mismatched: set[str] = field(default_factory=set)
    #: reports whose page alone is GBK on a utf-8 site (generated sites)
    gbk_pages: set[str] = field(default_factory=set)
    #: reports whose page also links an OFD copy (no reader for it: noted, never fetched)
    ofd_pages: set[str] = field(default_factory=set)
    serial: int = 0

    @property
    def last_year(self) -> int:
        return self.today.year - 1

    def site_of(self, host: str) -> SiteSpec | None:
        for s in self.sites.values():
            if host == s.host or host in s.old_hosts or (s.portal_host and host == s.portal_host):
                return s
        return None


def _ident(*parts: object, digits: int = 7) -> int:
    h = int(hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest(), 16)
    return 10 ** (digits - 1) + h % (9 * 10 ** (digits - 1))


def _published(spec: PublisherSpec, year: int, rng: random.Random, today: dt.date) -> dt.date:
    month = 1 if spec.level == "department" or year >= 2019 and spec.level == "town" else rng.choice((2, 3))
    day = rng.randint(10, 28)
    return min(dt.date(year + 1, month, day), today - dt.timedelta(days=1))


def _title(spec: PublisherSpec, year: int) -> str:
    if spec.year_first:   # "2023年上海市政府信息公开工作年度报告"
        return f"{year}年{spec.short}政府信息公开工作年度报告"
    if spec.agency:
        return f"{spec.agency}{year}年政府信息公开工作年度报告"
    if year >= 2019:
        return f"{spec.publisher}{year}年政府信息公开工作年度报告"
    return f"{spec.short}{year}年政府信息公开工作年度报告"


def _metrics(fmt: str, rng: random.Random, spec: PublisherSpec) -> dict[str, int | float]:
    if fmt == "legacy":
        return dict(legacy_metrics(rng, spec.scale))
    m = make_metrics(fmt, rng, spec.scale)
    if spec.blank_zero:
        m = {k: v for k, v in m.items() if v != 0}
    m.update(headline(m))
    return m


def new_report(world: World, spec: PublisherSpec, year: int, special: dict[str, Any],
               rng: random.Random) -> ReportTruth:
    """One report with its URLs (placed by its site's family) and expected values."""
    site = world.sites[spec.site]
    family = FAMILIES[site.family]
    fmt = era_of(year)
    published = _published(spec, year, rng, world.today)
    url_date = dt.date.fromisoformat(special.get("url_date", published.isoformat()))
    ident = _ident(world.seed, site.id, year, spec.publisher, world.serial)
    report = ReportTruth(
        key="-".join(filter(None, (site.id, spec.slug, str(year), str(world.serial or "")))),
        site=site.id, publisher=spec.publisher, region=spec.region, region_code=spec.region_code,
        agency=spec.agency, level=spec.level, year=year, format=fmt,
        title=special.get("title", _title(spec, year)), published=published.isoformat(),
        metrics=_metrics(fmt, rng, spec), page_url=None, subject=spec.subject, office=spec.office,
        layout=("word_fullwidth" if spec.fullwidth else "word") if spec.word else "clean")
    # families whose report URLs depend on the year or the unit (year sub-columns, legacy
    # pages, per-unit report pages) say so with ``report_url``
    place = getattr(family, "report_url", None)
    page = (place(site, spec, year, url_date, ident) if place is not None
            else family.article_url(site, url_date, ident))
    kinds = list(special.get("attachments", ()))
    primary_kind = special.get("only_attachment") or special.get("stub")
    if primary_kind:
        kinds.insert(0, primary_kind)
    for n, kind in enumerate(kinds):
        link, final = family.attachment_url(site, page, url_date, ident + n, kind)
        report.attachments.append(AttachmentTruth(link, MEDIA[kind], f"{report.title}.{kind}", final))
    report.page_url = None if special.get("only_attachment") else page
    if primary_kind:
        report.primary_url, report.primary_media_type = report.attachments[0].url, MEDIA[primary_kind]
    else:
        report.primary_url = page
    report.listed_on.append(site.entry_url)
    return report


def _listing_for(report: ReportTruth) -> Listing:
    url = report.page_url or report.attachments[0].url
    return Listing(report.title, url, report.published, "report" if report.page_url else "attachment",
                   report)


def build_world(seed: int = 0, today: dt.date | None = None, generated: int = 0) -> World:
    """The replica's world; ``generated`` > 0 adds that many generated sites without a profile
    per family (``replica.generated``: varied templates, drawn from ``seed``) after the fixed
    ones, which stay as they are."""
    today = today or dt.date.today()
    sites, publishers, specials, noise_rows = SITES, PUBLISHERS, SPECIALS, NOISE
    extra = None
    if generated:
        from .generated import generate_sites   # the generator uses this module's types

        extra = generate_sites(seed, generated, today.year - 1)
        sites, publishers = sites + extra.sites, publishers + extra.publishers
        specials, noise_rows = {**SPECIALS, **extra.specials}, noise_rows + extra.noise
    world = World(seed, today, {s.id: s for s in sites}, Truth())
    last = world.last_year
    world.listings = {s: [] for s in world.sites}
    for spec in publishers:
        first, end = spec.years
        first = last + 1 + first if first < 0 else first
        end = last if end is None else end
        for year in range(first, end + 1):
            special = dict(specials.get((spec.site, year), {}))
            special.update(specials.get((spec.site, year - last - 1), {}))
            rng = random.Random(f"{seed}:{spec.site}:{spec.publisher}:{year}")
            report = new_report(world, spec, year, special, rng)
            world.truth.reports.append(report)
            add_report_listings(world, report, special)
    for site_id, title, kind, offset in noise_rows:
        site = world.sites[site_id]
        year = last + offset
        date = dt.date(year + 1, 4, 2) if kind != "指南" else dt.date(year, 6, 1)
        url = FAMILIES[site.family].article_url(site, date, _ident(seed, site_id, title))
        noise = NoiseTruth(site_id, url, title.replace("{Y}", str(year)), kind)
        world.truth.noise.append(noise)
        world.listings[site_id].append(Listing(noise.title, url, date.isoformat(), "noise", noise))
    _add_site_quirks(world)
    if extra is not None:
        extra.finish(world)
    for site in world.sites.values():
        if site.robots and "Disallow: /\n" in site.robots:
            world.truth.forbidden.append((site.host, "/"))
    return world


def add_report_listings(world: World, report: ReportTruth, special: dict[str, Any]) -> None:
    """List a report in its column (and elsewhere when ``special`` says so); note its faults."""
    site = world.sites[report.site]
    world.listings[site.id].append(_listing_for(report))
    if site.robots and "Disallow: /\n" in site.robots:
        report.unreachable = "robots"
    elif site.defence:
        report.unreachable = f"blocked:{site.defence}"
    if "fault" in special and report.page_url:
        world.faults[(site.host, _path(report.page_url))] = special["fault"]
    if special.get("charset_mismatch"):
        world.mismatched.add(report.key)
    if special.get("gbk"):
        world.gbk_pages.add(report.key)
    if special.get("ofd"):
        world.ofd_pages.add(report.key)
    if special.get("tujie"):
        _add_tujie(world, report)
    if "copy_on" in special:
        portal = world.sites[special["copy_on"]]
        date = dt.date.fromisoformat(report.published) + dt.timedelta(days=3)
        url = FAMILIES[portal.family].article_url(portal, date, _ident(world.seed, "copy", report.key))
        report.copies.append(url)
        report.listed_on.append(portal.entry_url)
        world.listings[portal.id].append(Listing(report.title, url, date.isoformat(), "copy", report))
    if "listed_on" in special:
        portal = world.sites[special["listed_on"]]
        report.listed_on.append(portal.entry_url)
        world.listings[portal.id].append(_listing_for(report))


def _add_tujie(world: World, report: ReportTruth) -> None:
    site = world.sites[report.site]
    date = dt.date.fromisoformat(report.published)
    url = FAMILIES[site.family].article_url(site, date, _ident(world.seed, "tujie", report.key))
    title = report.title.replace("年政府信息", "年度政府信息") + "(图解)"
    report.variants.append(url)
    noise = NoiseTruth(site.id, url, title, "图解")
    world.truth.noise.append(noise)
    world.listings[site.id].append(Listing(title, url, report.published, "noise", noise))


def _add_site_quirks(world: World) -> None:
    """A listed link to a page that no longer exists (soft 404) on the district TRS site."""
    site = world.sites["jiangning"]
    date = dt.date(2019, 3, 20)
    url = FAMILIES[site.family].article_url(site, date, 1000)
    title = "南京市江宁区2018年政府信息公开工作年度报告"
    noise = NoiseTruth(site.id, url, title, "missing")
    world.truth.noise.append(noise)
    world.listings[site.id].append(Listing(title, url, date.isoformat(), "missing", noise))


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
