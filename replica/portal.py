"""The way from a generated site's home page to its annual-report column (``replica.generated``).

``build_portal(site, world) -> {host: HostContent}``: the home page ``/`` (its 政府信息公开 link
as text or as an image's ``alt``), one or two hub pages (政府信息公开 -> [信息公开目录] ->), and on
the last one a 信息公开目录 tree naming the column: drawn as HTML, as a script's node array
(``{name: …, url: …}``, keys varied), by ``document.write`` (inline, or in a script file such as
Hanweb's ``tree.jsp``), or loaded by a script from a JSON or XML file served beside the hub. Around the way: links a crawler must not take (the column of
another government, robots.txt-disallowed ``/old/`` and ``/search/`` pages, 统计年报), distractor
pages (指南, 制度, 依申请公开, 新闻). A Zhejiang per-unit site gets a units page between the tree
and its units' report pages. Links are relative, root-relative or absolute (``href_for``).
``site.params["portal"]`` holds the choices.
"""
from __future__ import annotations

import html
import json
import random
from typing import TYPE_CHECKING

from .families.common import href_for, path_of
from .pages import epoch, shell
from .site import HostContent, Resource, SiteSpec, html_resource

if TYPE_CHECKING:
    from .world import World

__all__ = ["build_portal", "OTHER_COLUMN"]

#: another government's column (the replica serves it): in reach, out of scope
OTHER_COLUMN = "http://www.nanjing.gov.cn/xxgk/zfxxgkndbg/index.html"
_WHEN = epoch("2022-01-01")


def _a(site: SiteSpec, url: str, page_url: str, text: str) -> str:
    return f'<a href="{html.escape(href_for(site, url, page_url))}">{html.escape(text)}</a>'


def _tree_items(site: SiteSpec) -> list[tuple[str, str]]:
    p = site.params["portal"]
    o = site.origin
    items = [("政府信息公开指南", f"{o}/xxgk/gkzn/index.html"),
             ("政府信息公开制度", f"{o}/xxgk/gkzd/index.html"),
             ("依申请公开", f"{o}/xxgk/ysqgk/index.html"),
             (p["target_text"], o + p["target"]),
             ("统计年报", f"{o}/tjxx/tjnb/index.html"),
             ("政府信息公开年报（旧版）", f"{o}/old/gknb/index.html"),
             ("上级政府信息公开年报", OTHER_COLUMN)]
    if p.get("more") and site.family != "gkmlpt":
        items[3] = ("更多>>", o + p["target"]) if _has_word(p["target"]) else items[3]
    random.Random(f"{site.id}:tree").shuffle(items)   # no fixed place for the column's link
    return items


def _has_word(path: str) -> bool:
    from .generated import COLUMN_WORDS

    return any(f"/{w}/" in path for w in COLUMN_WORDS)


def _tree(site: SiteSpec, page_url: str, content: HostContent) -> str:
    """The 信息公开目录 tree naming the column, in the site's chosen form."""
    p = site.params["portal"]
    items = _tree_items(site)
    how = p["tree"]
    name_key, url_key = p["tree_keys"]
    folder = page_url.rsplit("/", 1)[0] + "/"
    rows = "".join(f"<li>{_a(site, u, page_url, t)}</li>" for t, u in items)
    if how == "html":
        return f'<div class="gkml-tree"><h3>政府信息公开目录</h3><ul>{rows}</ul></div>'
    if how == "docwrite":
        writes = "".join("document.write('" + f"<li>{_a(site, u, page_url, t)}</li>".replace("'", "\\'")
                         + "');" for t, u in items)
        return f'<div class="gkml-tree"><ul><script type="text/javascript">{writes}</script></ul></div>'
    if how == "jsfile":   # a script file writes the tree (Hanweb's /module/xxgk/tree.jsp style)
        path = path_of(folder) + "tree.jsp"
        writes = "\n".join("document.write('" + f"<li>{_a(site, u, folder, t)}</li>".replace("'", "\\'")
                           + "');" for t, u in items)
        content.add(path, Resource(writes.encode("utf-8"), "application/javascript;charset=UTF-8", _WHEN))
        return (f'<div class="gkml-tree" id="tree1"><script type="text/javascript" '
                f'src="{path}?divid=tree1&amp;sortfield=compaltedate:0"></script></div>')
    nodes = [{"id": i + 1, "pId": 0, name_key: t, url_key: href_for(site, u, page_url)}
             for i, (t, u) in enumerate(items)]
    if how == "script":
        literal = ",\n  ".join(
            "{" + ", ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in n.items()) + "}"
            for n in nodes)
        return ('<div id="ztree" class="ztree"></div><script type="text/javascript">\n'
                f"var zNodes = [\n  {literal}\n];\n"
                '$(function(){ $.fn.zTree.init($("#ztree"), {}, zNodes); });\n</script>')
    # a tree loaded from a data file: root-relative or absolute links only (resolved against it)
    data_nodes = [{**n, url_key: u if "://" in href_for(site, u, page_url) else path_of(u)}
                  for n, (_, u) in zip(nodes, items)]
    tree = [{"id": 0, name_key: "政府信息公开", url_key: "", "children": data_nodes}]
    if how == "json":
        path = path_of(folder) + "tree.json"
        body = json.dumps(tree, ensure_ascii=len(items) % 2 == 0).encode("utf-8")
        content.add(path, Resource(body, "application/json;charset=UTF-8", _WHEN))
        return ('<div id="tree"></div><script type="text/javascript">'
                f'$.getJSON("{path}", function(data){{ renderTree("#tree", data); }});</script>')
    path = path_of(folder) + "catalog.xml"
    if name_key == "title":
        entries = "".join(f"<item><title>{html.escape(n[name_key])}</title>"
                          f"<link>{html.escape(n[url_key])}</link></item>" for n in data_nodes)
    else:
        entries = "".join(f'<node {name_key}="{html.escape(n[name_key])}" '
                          f'{url_key}="{html.escape(n[url_key])}"/>' for n in data_nodes)
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<tree><node {name_key}="政府信息公开">{entries}</node></tree>'
    content.add(path, Resource(xml.encode("utf-8"), "text/xml;charset=UTF-8", _WHEN))
    return ('<div id="tree"></div><script type="text/javascript">'
            f"loadXmlTree('{path}', '#tree');</script>")


def _page(site: SiteSpec, title: str, body: str) -> Resource:
    return html_resource(shell(site, f"{title}_{site.name}", body), site, _WHEN)


def _units(site: SiteSpec, page_url: str) -> str:
    rows = "".join(
        f"<li>{_a(site, f'{site.origin}/module/xxgk/xxgkAnnualReport.jsp?area={area}', page_url, name)}</li>"
        for name, area in site.params["units"])
    return f'<div class="units"><h2>{html.escape(site.params["portal"]["target_text"])}</h2><ul>{rows}</ul></div>'


def build_portal(site: SiteSpec, world: "World") -> dict[str, HostContent]:
    p = site.params["portal"]
    o = site.origin
    content = HostContent()
    # the home page and the first hub on the portal host when the site has one (www.…, its
    # 信息公开 platform on xxgk.…), the rest on the site's host
    front = HostContent() if site.portal_host else content
    home_url = site.home_url
    hub1_url = home_url.rstrip("/") + p["hub1"]
    if p["home_img"]:
        entry = (f'<a href="{html.escape(href_for(site, hub1_url, home_url))}">'
                 f'<img src="/images/rk_xxgk.png" alt="{html.escape(p["home_text"])}"></a>')
    else:
        entry = _a(site, hub1_url, home_url, p["home_text"])
    front_origin = home_url.rstrip("/")
    nav = " ".join([_a(site, f"{front_origin}/xwzx/index.html", home_url, "新闻中心"), entry,
                    _a(site, f"{front_origin}/hdjl/index.html", home_url, "互动交流"),
                    _a(site, "http://www.gov.cn/", home_url, "中国政府网")])
    front.add("/", _page(site, "首页", f'<div class="nav">{nav}</div><div class="banner">'
                         f"欢迎访问{html.escape(site.name)}门户网站</div>"))
    hub1_path = p["hub1"] + ("index.html" if p["hub1"].endswith("/") else "")
    if p["hub2"]:
        hub2_url = o + p["hub2"]
        links = " ".join([_a(site, hub2_url, hub1_url, p["hub2_text"]),
                          _a(site, f"{o}/xxgk/gkzn/index.html", hub1_url, "政府信息公开指南"),
                          _a(site, f"{o}/xxgk/ysqgk/index.html", hub1_url, "依申请公开"),
                          _a(site, f"{o}/search/index.html?q=年报", hub1_url, "年报检索")])
        hub1 = _page(site, "政府信息公开", f'<div class="xxgk-nav">{links}</div>')
        last_url, last_path = hub2_url, p["hub2"] + ("index.html" if p["hub2"].endswith("/") else "")
        front.add(hub1_path, hub1)
        last_host = content
    else:
        last_url, last_path, last_host = hub1_url, hub1_path, front
    tree = _tree(site, last_url, last_host)
    last = _page(site, p["hub2_text"] if p["hub2"] else "政府信息公开",
                 f'<div class="xxgk-main">{tree}</div>')
    last_host.add(last_path, last)
    if last_path != path_of(last_url):
        last_host.add(path_of(last_url), last)
    if hub1_path != p["hub1"]:
        front.add(p["hub1"], front.files[hub1_path])
    for host in {id(front): front, id(content): content}.values():   # the shell's 政务公开 link
        host.add("/col/index.html", front.files[hub1_path])
    if site.family == "zj_annual":
        units_url = o + p["target"]
        content.add(p["target"], _page(site, p["target_text"], _units(site, units_url)))
    for path, title, text in (
            ("/xxgk/gkzn/index.html", "政府信息公开指南", "为了更好地提供政府信息公开服务，编制本指南。"),
            ("/xxgk/gkzd/index.html", "政府信息公开制度", "政府信息公开工作制度汇编。"),
            ("/xxgk/ysqgk/index.html", "依申请公开", "依申请公开政府信息的办理流程。"),
            ("/tjxx/tjnb/index.html", "统计年报", "统计年报（统计部门发布）。"),
            ("/xwzx/index.html", "新闻中心", "今日要闻。"), ("/hdjl/index.html", "互动交流", "领导信箱。")):
        content.add(path, _page(site, title, f"<div class=\"content\"><h2>{title}</h2><p>{text}</p></div>"))
    if site.portal_host:
        for path in ("/xwzx/index.html", "/hdjl/index.html"):
            front.add(path, content.files[path])
        return {site.host: content, site.portal_host: front}
    return {site.host: content}
