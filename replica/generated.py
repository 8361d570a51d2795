"""Generated sites without a profile: for every family of the replica, sites drawn from a seed.

``generate_sites(seed, count, last_year) -> Generated`` adds ``count`` sites per family
(``FAMILY_ORDER``) to a world (``build_world(seed, generated=count)``; ``ReplicaServer(…,
generated=count)``). Each is reached only from its home page through one or two intermediate
pages (``replica.portal``: 政府信息公开 hubs, a 信息公开目录 tree drawn as HTML, a script, a
``document.write``, or loaded from a JSON or XML file) and differs from its family's fixed site
and from the others in what a crawler must not learn by heart: the place and host, the column's
path and name, the link texts on the way, the row markup (li, table, div, dl; titles whole or
cut with ``title=``), the date format, relative (``./``, ``../``), root-relative and absolute
links, the page size and the family's pagination arguments (TRS pager layout and extension,
Hanweb proxy path and page size, gkmlpt category name and single page, Shanghai pager call,
Epoint category …). Every site has a PDF-only report (a stub page showing the PDF as a link or in
a viewer, or a list row linking the PDF itself), a report whose page also carries a PDF copy, a
GBK page (the whole site, or one report page), non-report rows (解读, 通知, 指南), a row linking
another site's report (out of scope), and hub links a crawler must not take (robots.txt
``Disallow: /old/`` and ``/search/``, another government's column, 统计年报).

Same seed, same sites; the fixed sites of ``replica.world`` are not touched.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .site import Listing, SiteSpec

if TYPE_CHECKING:
    from .world import PublisherSpec, World

__all__ = ["FAMILY_ORDER", "PLACES", "Generated", "generate_sites", "GENERATED_ROBOTS"]

FAMILY_ORDER = ("trs", "hanweb", "jpaas", "gkmlpt", "shanghai", "epoint", "zj_annual",
                "gd_portal", "generic")

GENERATED_ROBOTS = "User-agent: *\nDisallow: /search/\nDisallow: /old/\n"
#: the module docstring's "reached only from its home page": ``SiteSpec.home_url``; about a
#: third of the sites keep their 信息公开 platform on ``xxgk.<place>.gov.cn`` (the column, its
#: reports) while the home page and first hub are on ``www.<place>.gov.cn``

#: (province, city, county or "", code, level, host label, province label)
PLACES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("江苏省", "盐城市", "射阳县", "320924", "county", "sheyang", "js"),
    ("江苏省", "无锡市", "江阴市", "320281", "county", "jiangyin", "js"),
    ("江苏省", "苏州市", "昆山市", "320583", "county", "ks", "js"),
    ("江苏省", "常州市", "溧阳市", "320481", "county", "liyang", "js"),
    ("江苏省", "南通市", "海门区", "320614", "district", "haimen", "js"),
    ("浙江省", "湖州市", "安吉县", "330523", "county", "anji", "zj"),
    ("浙江省", "嘉兴市", "海宁市", "330481", "county", "haining", "zj"),
    ("浙江省", "金华市", "义乌市", "330782", "county", "yiwu", "zj"),
    ("浙江省", "温州市", "乐清市", "330382", "county", "yueqing", "zj"),
    ("浙江省", "绍兴市", "诸暨市", "330681", "county", "zhuji", "zj"),
    ("广东省", "佛山市", "顺德区", "440606", "district", "shunde", "gd"),
    ("广东省", "惠州市", "惠阳区", "441303", "district", "huiyang", "gd"),
    ("广东省", "江门市", "台山市", "440781", "county", "taishan", "gd"),
    ("上海市", "", "徐汇区", "310104", "district", "xuhui", "sh"),
    ("上海市", "", "闵行区", "310112", "district", "shmh", "sh"),
    ("上海市", "", "浦东新区", "310115", "district", "pudong", "sh"),
    ("北京市", "", "朝阳区", "110105", "district", "bjchy", "bj"),
    ("北京市", "", "丰台区", "110106", "district", "bjft", "bj"),
    ("湖北省", "宜昌市", "", "420500", "city", "yichang", "hubei"),
    ("湖北省", "襄阳市", "", "420600", "city", "xiangyang", "hubei"),
    ("山东省", "青岛市", "黄岛区", "370211", "district", "huangdao", "sd"),
    ("山东省", "烟台市", "龙口市", "370681", "county", "longkou", "sd"),
    ("安徽省", "合肥市", "肥西县", "340123", "county", "feixi", "ah"),
    ("福建省", "泉州市", "晋江市", "350582", "county", "jinjiang", "fj"),
    ("四川省", "成都市", "双流区", "510116", "district", "shuangliu", "sc"),
    ("河南省", "郑州市", "新郑市", "410184", "county", "xinzheng", "henan"),
    ("湖南省", "长沙市", "浏阳市", "430181", "county", "liuyang", "hunan"),
    ("江西省", "南昌市", "进贤县", "360124", "county", "jinxian", "jiangxi"),
    ("河北省", "石家庄市", "正定县", "130123", "county", "zd", "hebei"),
    ("湖北省", "武汉市", "江夏区", "420115", "district", "jiangxia", "hubei"),
)

COLUMN_NAMES = ("政府信息公开年报", "政府信息公开工作年度报告", "年度报告", "工作年报", "信息公开年报",
                "政府信息公开年度报告")
COLUMN_WORDS = ("gknb", "zfxxgknb", "xxgknb", "ndbg", "nb", "xxgkndbg")
PLAIN_DIRS = ("c102417", "lm06", "col7", "list0385")


@dataclass
class Generated:
    sites: tuple[SiteSpec, ...] = ()
    publishers: tuple["PublisherSpec", ...] = ()
    specials: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    noise: tuple[tuple[str, str, str, int], ...] = ()
    #: site id -> (title, URL) of another site's report its column lists (out of scope)
    external: dict[str, tuple[str, str]] = field(default_factory=dict)

    def finish(self, world: "World") -> None:
        """After the world's reports exist: the out-of-scope rows and the robots prefixes."""
        others = [r for r in world.truth.reports if r.site == "gaochun" and r.page_url]
        for site in self.sites:
            for host in filter(None, (site.host, site.portal_host)):
                world.truth.forbidden += [(host, "/search/"), (host, "/old/")]
            if site.family != "zj_annual" and others:
                other = others[len(site.id) % len(others)]
                world.listings[site.id].append(
                    Listing(other.title, other.page_url, other.published, "external", None))


def _publisher(site_id: str, place: tuple, first: int, **extra):
    from .world import PublisherSpec

    province, city, county, code, level, _, _ = place
    name = (city + county) if county else city
    if province in ("上海市", "北京市"):
        name = province + county
    short = name
    subject = {"county": "我县" if county.endswith("县") else "我市", "district": "我区",
               "city": "我市"}[level]
    return PublisherSpec(site_id, f"{short}人民政府", f"{province}{city}{county}", code, None,
                         level, (first, None), subject, f"{short}人民政府办公室", short, **extra)


def _column_dir(rng: random.Random, word: bool) -> str:
    top = rng.choice(("zwgk", "xxgk", "zfxxgk", "govinfo", "zwgk/xxgkzl"))
    leaf = rng.choice(COLUMN_WORDS) if word else rng.choice(PLAIN_DIRS)
    return f"/{top}/{leaf}/"


def _family_params(family: str, rng: random.Random, ident: int) -> tuple[dict, str, int, dict]:
    """(params, column path, perpage, SiteSpec extras) of one generated site of ``family``."""
    extra: dict[str, Any] = {}
    word = rng.random() < 0.5
    if family == "trs":
        ext = rng.choice(("html", "htm", "shtml"))
        params = {"pager": rng.choice(("plain", "styled", "page_div", "pagecontrol")), "ext": ext,
                  "docwrite": rng.random() < 0.25}
        return params, _column_dir(rng, word) + f"index.{ext}", rng.randint(2, 3), extra
    if family == "hanweb":
        col = str(1229000000 + ident % 999983)
        params = {"webid": str(rng.randint(3100, 3999)), "columnid": col,
                  "unitid": str(rng.randint(5000000, 9999999)),
                  "proxy": rng.choice(("/module/web/jpage/dataproxy.jsp", "/module/jpage/dataproxy.jsp"))}
        extra["attachment_host"] = f"jcms-files.oss.cloud.{rng.choice(('zj', 'js', 'ah'))}.gov.cn"
        return params, f"/col/col{col}/index.html", rng.randint(2, 4), extra
    if family == "jpaas":
        params = {"webId": str(rng.randint(60, 99)), "tplSetId": "%032x" % rng.getrandbits(128),
                  "pageId": str(rng.randint(1000, 9000))}
        extra["scheme"] = rng.choice(("http", "https"))
        return params, _column_dir(rng, word) + "index.html", rng.randint(2, 4), extra
    if family == "gkmlpt":
        params = {"sid": str(rng.randint(700000, 799999)), "category": str(rng.randint(1000, 9000)),
                  "single_page": rng.random() < 0.3,
                  "category_name": rng.choice(("政府信息公开年报", "政府信息公开工作年度报告", "年度报告"))}
        return params, "/gkmlpt/index", rng.randint(2, 3), extra
    if family == "shanghai":
        params = {"pager": rng.choice(("setpage", "totalpage")),
                  "legacy_before": 0, "migrated_year": 0}
        return params, f"/nw{rng.randint(10000, 49999)}/index.html", rng.randint(2, 3), extra
    if family == "epoint":
        code = "".join(rng.choice("0123456789") for _ in range(12))
        slug = rng.choice(("xxgk", "govinfo", "zwgk"))
        params = {"category": code, "office": rng.choice(("区府办", "县府办", "市府办")), "slug": slug}
        return params, f"/{slug}/ShowInfo/MoreInfo.aspx?CategoryNum={code}", rng.randint(2, 3), extra
    if family == "zj_annual":
        return {}, "", 1, extra
    if family == "gd_portal":
        params = {"later": rng.choice(("index_", "list_", "page_"))}
        return params, _column_dir(rng, word) + "index.html", rng.randint(2, 3), extra
    params = {"later": rng.choice(("list_", "index_", "p")),
              "next_only": rng.random() < 0.4,
              "next_text": rng.choice(("下一页", "下页", "后一页", ">"))}
    return params, _column_dir(rng, word) + "index.html", rng.randint(2, 3), extra


def _portal(family: str, rng: random.Random, column: str, column_name: str, units_path: str) -> dict:
    """How the home page leads to the column (``replica.portal``)."""
    two = rng.random() < 0.5 and family != "zj_annual"   # its units page is the second
    hub1 = rng.choice(("/zwgk/index.html", "/xxgk/", "/zfxxgk/index.shtml", "/col/col1001/index.html"))
    hub2 = rng.choice(("/xxgk/gkml/index.html", "/zfxxgk/fdzdgknr/", "/gkml/index.htm"))
    if hub2.rsplit("/", 1)[0] == hub1.rsplit("/", 1)[0]:
        hub2 = "/xxgkml/index.html"
    if family == "gkmlpt":
        target_text = rng.choice(("政府信息公开目录", "法定主动公开内容", "政府信息公开"))
    elif family == "zj_annual":
        target_text = rng.choice(COLUMN_NAMES)
    else:
        target_text = column_name
    return {
        "home_text": rng.choice(("政府信息公开", "信息公开", "政务公开", "政府信息公开专栏")),
        "home_img": rng.random() < 0.25,
        "hub1": hub1, "hub2": hub2 if two else None,
        "hub2_text": rng.choice(("信息公开目录", "法定主动公开内容", "政府信息公开目录")),
        "tree": rng.choice(("html", "script", "docwrite", "json", "xml", "jsfile")),
        "tree_keys": rng.choice((("name", "url"), ("text", "href"), ("title", "link"))),
        "target": units_path or column, "target_text": target_text,
        "more": rng.random() < 0.3,
    }


def generate_sites(seed: int, count: int, last_year: int) -> Generated:
    """``count`` generated sites per family (see the module docstring)."""
    from .world import PublisherSpec

    places = list(PLACES)
    random.Random(f"{seed}:places").shuffle(places)
    sites, publishers, noise = [], [], []
    specials: dict[tuple[str, int], dict[str, Any]] = {}
    n = 0
    for k in range(count):
        for family in FAMILY_ORDER:
            rng = random.Random(f"{seed}:generated:{family}:{k}")
            place = places[n % len(places)]
            label = place[5] + ("" if n < len(places) else str(n // len(places) + 1))
            n += 1
            site_id = f"gen-{family}-{k}"
            params, column, perpage, extra = _family_params(family, rng, n * 7919 + seed)
            column_name = rng.choice(COLUMN_NAMES)
            host = f"www.{label}.gov.cn"
            portal_host = None
            if family != "zj_annual" and rng.random() < 0.35:   # 信息公开 on a platform host of its own
                host, portal_host = f"xxgk.{label}.gov.cn", host
            units_path = ""
            first = -rng.randint(4, 6)
            pubs = [_publisher(site_id, place, first)]
            if family == "zj_annual":
                pubs = [_publisher(site_id, place, first, area=f"{rng.randint(1, 9)}{rng.randint(10**7, 10**8 - 1)}")]
                dept = pubs[0].short + rng.choice(("发展和改革局", "财政局", "教育局"))
                pubs.append(PublisherSpec(site_id, dept, pubs[0].region, pubs[0].region_code, dept,
                                          "department", (-3, None), "我局", dept, dept,
                                          area=f"{rng.randint(10**8, 10**9 - 1)}"))
                units_path = rng.choice(("/zwgk/zfxxgknb/index.html", "/xxgk/nb/units.html"))
                column = f"/module/xxgk/xxgkAnnualReport.jsp?area={pubs[0].area}"
            common = {
                "rows": rng.choice(("li", "table", "div", "dl")),
                "title_attr": rng.random() < 0.6,
                "links": "mixed",
                "date_fmt": rng.choice(("iso", "slash", "cn", "bracket")),
                "pdf_view": rng.choice(("link", "iframe", "pdfjs", "embed", "object")),
                "row_class": rng.choice(("list", "news_list", "xxgk-list", "lb")),
                "title_named": rng.random() < 0.6,
            }
            if family in ("jpaas", "hanweb") and common["rows"] in ("div", "dl"):
                common["rows"] = "li"   # their readers take li/tr rows; other markup is a layout change
            gbk_site = family == "zj_annual" or rng.random() < 0.4
            params = {**params, **common,
                      "portal": _portal(family, rng, column, column_name, units_path)}
            if family == "zj_annual":
                params["units"] = [(p.publisher, p.area) for p in pubs]
            spec = SiteSpec(site_id, family, host, pubs[0].publisher, column, column_name, perpage,
                            params, encoding="gbk" if gbk_site else "utf-8",
                            robots=GENERATED_ROBOTS, profile=False,
                            header_charset=rng.random() < 0.5, portal_host=portal_host, **extra)
            sites.append(spec)
            publishers += pubs
            years = list(range(first, 0))
            rng.shuffle(years)
            pdf_only = {"stub": "pdf"} if family == "zj_annual" or rng.random() < 0.7 \
                else {"only_attachment": "pdf"}
            if family in ("gkmlpt", "zj_annual"):
                pdf_only = {"stub": "pdf"}
            specials[(site_id, years[0])] = pdf_only
            specials[(site_id, years[1])] = {"attachments": ("pdf",), "ofd": True}
            if not gbk_site:
                specials[(site_id, years[2])] = {"gbk": True}
            short = pubs[0].short
            if family != "zj_annual":
                noise += [(site_id, f"{short}{{Y}}年政府信息公开工作年度报告解读", "解读", -1),
                          (site_id, f"关于做好{{Y}}年度政府信息公开工作年度报告编制发布工作的通知", "通知",
                           -rng.randint(0, 2)),
                          (site_id, f"{short}政府信息公开指南", "指南", -rng.randint(1, 3))]
    return Generated(tuple(sites), tuple(publishers), specials, tuple(noise))
