"""Which hosts are a government site's own, for a crawl without a profile: pure functions.

``site_domain(host)`` is the domain a host stands for: the registrable name under ``gov.cn``
(``www.gaochun.gov.cn`` -> ``gaochun.gov.cn``, so ``xxgk.gaochun.gov.cn`` is the same site) when
the first label is a service prefix (www, xxgk, zwgk …); otherwise the host itself
(``renhe.yuhang.gov.cn`` stays a town site: the district's other hosts are not its own).
``in_domain(host, domains)`` says whether a host is one of the domains or under one.

Generic mode reads pages only on the site's domain and fetches attachments also from any host
under ``gov.cn`` an in-scope page links to (the Zhejiang OSS host of a Hanweb download, a city's
file server): ``ATTACHMENT_DOMAINS``. A profile says the same with ``domains`` and
``[attachments] domains``.
"""
from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["site_domain", "in_domain", "host_of", "ATTACHMENT_DOMAINS", "SERVICE_PREFIXES"]

#: first labels that name a service of a site, not a site of its own
SERVICE_PREFIXES = frozenset({
    "www", "www2", "web", "portal", "m", "wap", "new", "xxgk", "zwgk", "zfxxgk", "gk", "gkml",
    "xxgkml", "info", "zw", "zwfw", "open", "home",
})

#: generic mode: attachments may come from any host under these
ATTACHMENT_DOMAINS = ("gov.cn",)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def site_domain(host: str) -> str:
    """The domain whose hosts belong to the same site as ``host``."""
    host = host.lower().rstrip(".")
    labels = host.split(".")
    if host.endswith(".gov.cn"):
        own = labels[:-2]              # the labels before gov.cn
        if len(own) >= 2 and own[0] in SERVICE_PREFIXES:
            return ".".join(own[1:] + ["gov", "cn"])
        return host
    if len(labels) > 2 and labels[0] in SERVICE_PREFIXES:
        return ".".join(labels[1:])
    return host


def in_domain(host: str, domains: tuple[str, ...] | list[str]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains if d)
