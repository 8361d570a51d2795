"""Site families of the replica: one module each, with the same three functions.

    article_url(site, date, ident) -> str            where a report/noise page of that date lives
    attachment_url(site, page_url, date, ident, kind) -> (link URL, final URL after redirects)
    build(site, world) -> {host: HostContent}         every file and handler of the site
    report_url(site, spec, year, date, ident) -> str  optional: a report's URL when it depends on
                                                      the year or the unit (sub-columns, legacy pages)

A new family (jpaas, gkmlpt, Shanghai, Epoint…) is one more module registered here and its
sites added to ``replica.world.SITES`` as data.
"""
from __future__ import annotations

from . import epoint, gd_portal, generic, gkmlpt, hanweb, jpaas, shanghai, trs, zj_annual

__all__ = ["FAMILIES"]

FAMILIES = {"trs": trs, "hanweb": hanweb, "generic": generic, "jpaas": jpaas, "gkmlpt": gkmlpt,
            "shanghai": shanghai, "epoint": epoint, "zj_annual": zj_annual,
            "gd_portal": gd_portal}
