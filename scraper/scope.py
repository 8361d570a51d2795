"""What a crawl may ask: origins (scheme, host, port), never bare host names.

A profile's ``hosts`` are names; each stands for its two standard origins, ``http://name:80``
and ``https://name:443`` (sites move between the two). A column URL's own origin is in scope too,
so a column at ``http://127.0.0.1:8123/`` is crawled there. Another port on the same host — a
redirect to ``http://www.x.gov.cn:8080/``, an attachment on ``:8443`` — is another server and
out of scope unless named.

``Scope(items)``: each item is a host name (``www.x.gov.cn``), a host and port (``host:8080``:
both schemes on that port) or an origin or URL (``https://host:8443/…``: that origin exactly).
``Scope.allows(url)``; ``scope_items(profile)`` gives a profile's hosts and entry origins;
``port_in_scope(url, entries)`` is the port half alone (``SiteProfile.in_scope`` checks the host
against its hosts and domains, then this). Pure.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

__all__ = ["Scope", "origin_of", "scope_items", "port_in_scope", "DEFAULT_PORTS"]

DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, the port filled in; ``None`` for anything else."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[scheme]


def _origins(item: str) -> list[Origin]:
    item = item.strip()
    if not item:
        return []
    if "://" in item:
        found = origin_of(item)
        if found is None:
            raise ValueError(f"not an http(s) origin: {item!r}")
        return [found]
    name, port = item.lower().rstrip("."), None
    if name.count(":") == 1 or (name.startswith("[") and "]:" in name):   # host:port, [v6]:port
        name, _, digits = name.rpartition(":")
        if not digits.isdigit():
            raise ValueError(f"not a host or host:port: {item!r}")
        port = int(digits)
    name = name.strip("[]").rstrip(".")
    return [(scheme, name, port or default) for scheme, default in DEFAULT_PORTS.items()]


class Scope:
    def __init__(self, items: Iterable[str] = ()):
        self._origins: set[Origin] = set()
        self.add(items)

    def add(self, items: Iterable[str]) -> None:
        for item in items:
            self._origins.update(_origins(item))

    def allows(self, url: str) -> bool:
        found = origin_of(url)
        return found is not None and found in self._origins

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host for _, host, _ in self._origins)

    @property
    def origins(self) -> frozenset[Origin]:
        return frozenset(self._origins)

    def __bool__(self) -> bool:
        return bool(self._origins)


def scope_items(profile) -> tuple[str, ...]:
    """A profile's host names and the origins of its entry URLs (with their own ports)."""
    origins = []
    for entry in profile.entries:
        found = origin_of(entry.url)
        if found is not None:
            origins.append(f"{found[0]}://{found[1]}:{found[2]}")
    return tuple(profile.hosts) + tuple(origins)


def port_in_scope(url: str, entries: Iterable[str] = ()) -> bool:
    """Whether ``url`` is on its scheme's standard port, or on the origin of one of ``entries``."""
    found = origin_of(url)
    if found is None:
        return False
    return found[2] == DEFAULT_PORTS[found[0]] or any(origin_of(e) == found for e in entries)
