"""A faithful offline replica of government sites that publish annual disclosure reports.

Part of the product: it powers ``xxgk demo`` and the end-to-end tests. A loopback HTTP server
(``replica.server.ReplicaServer``) serves several virtual hosts with their real names (a TRS city
portal, a GBK TRS department, a TRS district, a Hanweb district and province, a town site
and a TRS district without a profile, a ``Disallow: /`` host and a Ruishu-defended host), generated from known
records (``replica.world``) so every expected value is known (``replica.truth``). Report bodies
are drawn by ``replica.render`` (HTML tables, legacy prose, PDF, DOCX).

    from replica import ReplicaServer
    with ReplicaServer(seed=0, delays=0) as rep:
        fetcher = Fetcher(FetchSettings(delay=0), rep.info.hosts, resolve=rep.info.resolve)
        fetcher.fetch(rep.info.entry_url("nanjing"))
"""
from __future__ import annotations

from .server import ReplicaInfo, ReplicaServer, RequestRecord
from .truth import AttachmentTruth, NoiseTruth, ReportTruth, Truth
from .world import SITES, build_world

__all__ = ["ReplicaServer", "ReplicaInfo", "RequestRecord", "Truth", "ReportTruth",
           "AttachmentTruth", "NoiseTruth", "SITES", "build_world"]
