"""An httpx transport that sends chosen hosts to another address, keeping URL and Host header.

``ResolvingTransport(resolve, inner)``: ``resolve`` maps ``"host"`` (any scheme) or
``"scheme://host"`` (that scheme only) to an origin such as ``"http://127.0.0.1:8123"``. The URL
the rest of the scraper sees, the ``Host`` header and every recorded URL keep the real name; only
the socket goes elsewhere. This is how the loopback replica serves ``www.yuhang.gov.cn`` as it is:
an ``https://`` URL mapped this way is spoken to in plain HTTP, so the replica can stand for both
schemes on two ports without certificates. Used for the replica and tests, not real sites.
"""
from __future__ import annotations

from collections.abc import Mapping

import httpx

__all__ = ["ResolvingTransport", "parse_resolve"]


def parse_resolve(resolve: Mapping[str, str] | None) -> dict[str, httpx.URL]:
    table: dict[str, httpx.URL] = {}
    for key, target in (resolve or {}).items():
        url = httpx.URL(target if "://" in target else f"http://{target}")
        if not url.host or url.port is None:
            raise ValueError(f"resolve target needs host and port: {target!r}")
        table[key.strip().lower()] = url
    return table


class ResolvingTransport(httpx.BaseTransport):
    def __init__(self, resolve: Mapping[str, str] | None, inner: httpx.BaseTransport):
        self._table = parse_resolve(resolve)
        self._inner = inner

    def target_for(self, url: httpx.URL) -> httpx.URL | None:
        host = url.host.lower()
        return self._table.get(f"{url.scheme}://{host}") or self._table.get(host)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        target = self.target_for(request.url)
        if target is not None:
            # the Host header was set from the real URL when the request was built, and stays
            request.url = request.url.copy_with(scheme=target.scheme, host=target.host,
                                                port=target.port)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
