"""robots.txt, fetched once per origin and obeyed through protego (RFC 9309).

``RobotsCache(settings, load, stats)`` keeps one answer per origin (scheme://host:port).
``load(robots_url) -> (status, body)`` is supplied by the fetcher (it fetches through the same
slots, scope and retries, without a robots check of its own) and raises ``ScraperError`` when the
file cannot be reached. Outcomes, as RFC 9309 §2.3.1 asks:

    2xx                      parse it; obey the rules for our product token
    4xx (and refused hops)   no rules: everything allowed
    5xx, 429, unreachable    everything disallowed for ``robots_error_ttl`` seconds, then retried;
                             an unreachable host (mode ``unreachable``, ``why`` its transport
                             kind: dns, connect, tls, timeout) is reported as such by the fetcher,
                             a 5xx/429 as ``why`` = "HTTP 503", never as a robots.txt rule

Reads ``robots_ttl``, ``robots_error_ttl``, ``crawl_delay_max``. Counts ``fetch/robots/fetched``,
``fetch/robots/status/<n>`` and ``fetch/robots/unreachable``.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from .errors import OutOfScopeError, ScraperError, TooManyRedirectsError
from .settings import ROBOTS_AGENT, FetchSettings
from .stats import Stats

__all__ = ["RobotsRules", "RobotsCache", "origin_of"]

log = logging.getLogger(__name__)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass(frozen=True, slots=True)
class RobotsRules:
    #: "parsed" | "allow_all" | "disallow_all" | "unreachable"
    mode: str
    parser: Protego | None = None
    expires: float = 0.0
    #: why everything is disallowed when no rule says so: a transport kind or "HTTP 503"
    why: str = ""

    def can_fetch(self, url: str, agent: str = ROBOTS_AGENT) -> bool:
        if self.mode == "allow_all":
            return True
        if self.mode in ("disallow_all", "unreachable") or self.parser is None:
            return False
        return bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str = ROBOTS_AGENT) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


class RobotsCache:
    def __init__(self, settings: FetchSettings, load: Callable[[str], tuple[int, bytes]],
                 stats: Stats, clock: Callable[[], float] = time.monotonic):
        self._settings = settings
        self._load = load
        self._stats = stats
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules_for(self, url: str) -> tuple[RobotsRules, bool]:
        """(rules of the URL's origin, whether they were just fetched)."""
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:   # one fetch per origin even when many threads ask at once
            rules = self._rules.get(origin)
            if rules is not None and rules.expires > self._clock():
                return rules, False
            rules = self._fetch(origin)
            self._rules[origin] = rules
            return rules, True

    def _fetch(self, origin: str) -> RobotsRules:
        robots_url = origin + "/robots.txt"
        now = self._clock()
        ok_until = now + self._settings.robots_ttl
        try:
            status, body = self._load(robots_url)
        except (OutOfScopeError, TooManyRedirectsError) as exc:
            log.info("robots.txt of %s not followed (%s): allowing all", origin, exc.reason)
            return RobotsRules("allow_all", expires=ok_until)
        except ScraperError as exc:
            self._stats.inc("fetch/robots/unreachable")
            log.info("robots.txt of %s unreachable (%s): the host counts as unreachable for %.0f s",
                     origin, getattr(exc, "kind", exc.reason), self._settings.robots_error_ttl)
            return RobotsRules("unreachable", expires=now + self._settings.robots_error_ttl,
                               why=getattr(exc, "kind", "connection"))
        self._stats.inc("fetch/robots/fetched")
        self._stats.inc(f"fetch/robots/status/{status}")
        if 200 <= status < 300:
            text = body[: self._settings.robots_max_bytes].decode("utf-8", "replace")
            return RobotsRules("parsed", Protego.parse(text), expires=ok_until)
        if status == 429 or status >= 500:
            log.warning("robots.txt of %s answered %d: disallowing all for %.0f s",
                        origin, status, self._settings.robots_error_ttl)
            return RobotsRules("disallow_all", expires=now + self._settings.robots_error_ttl,
                               why=f"HTTP {status}")
        return RobotsRules("allow_all", expires=ok_until)
