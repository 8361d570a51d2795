"""Fetch settings: one frozen dataclass, every default of the fetching layer written here.

Read once by ``scraper.fetcher.Fetcher`` (and the slot, retry and robots parts it builds). A site
profile may tune ``delay`` and ``concurrency_per_host`` per host through
``Fetcher.configure_host``; it cannot switch robots.txt off: only a user-level
``FetchSettings(obey_robots=False)`` does, and the fetcher logs a warning and counts
``fetch/robots/ignored`` for every URL it then fetches unchecked.

``FetchSettings.from_env(**values)``: the defaults, then ``XXGK_FETCH_<FIELD>`` environment
variables (``XXGK_FETCH_RESPONSE_DEADLINE=60``), then ``values``; ``xxgk crawl`` builds its
settings this way.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["FetchSettings", "DEFAULT_USER_AGENT", "ROBOTS_AGENT"]

#: product token matched against robots.txt ``User-agent`` lines
ROBOTS_AGENT = "xxgk"
#: honest: says who we are and where to read about it
DEFAULT_USER_AGENT = (
    "xxgk/0.1 (+https://github.com/xxgk/xxgk; archiver of government information disclosure "
    "annual reports)"
)


@dataclass(frozen=True, slots=True)
class FetchSettings:
    #: seconds between two request starts to the same host (real sites: at least 1 s)
    delay: float = 1.0
    #: requests in flight at once to one host
    concurrency_per_host: int = 1
    #: seconds for connect and for each read
    timeout: float = 30.0
    #: seconds one response may take in all, from sending the request to its last byte
    #: (``scraper.deadline``: a server dripping its answer is abandoned then)
    response_deadline: float = 300.0
    #: bytes per second an answer must keep up over every ``rate_window`` seconds from its
    #: first byte (0: no minimum)
    min_rate: float = 512.0
    #: seconds over which ``min_rate`` is measured
    rate_window: float = 20.0
    #: retries after the first attempt, on timeouts, network errors, 429 and 5xx
    max_retries: int = 3
    #: first backoff in seconds; doubles per attempt
    backoff_base: float = 1.0
    #: longest backoff in seconds
    backoff_cap: float = 60.0
    #: a Retry-After longer than this (seconds) is not waited for: the attempt gives up
    retry_after_max: float = 300.0
    #: redirect hops followed per request (each is recorded)
    max_redirects: int = 10
    #: largest body accepted, checked while streaming
    max_bytes: int = 100 * 1024 * 1024
    #: sent on every request
    user_agent: str = DEFAULT_USER_AGENT
    #: Accept-Language sent on every request
    accept_language: str = "zh-CN,zh;q=0.9,en;q=0.5"
    #: obey robots.txt; turning it off is a user decision, logged and counted
    obey_robots: bool = True
    #: seconds a robots.txt answer (or its 5xx/unreachable disallow-all) is trusted before refetching
    robots_ttl: float = 24 * 3600.0
    #: seconds an unreachable robots.txt keeps the host disallowed before it is tried again
    robots_error_ttl: float = 300.0
    #: largest robots.txt read (RFC 9309 asks parsers to read at least 500 KiB)
    robots_max_bytes: int = 512 * 1024
    #: a robots.txt Crawl-delay above this is clamped (seconds)
    crawl_delay_max: float = 30.0
    #: folder of per-host lock files shared by every process given the same one
    #: (``scraper.slots``); ``None``: delays are kept within this process only
    slot_dir: str | None = None

    def __post_init__(self) -> None:
        if self.delay < 0 or self.backoff_base < 0 or self.backoff_cap < 0:
            raise ValueError("delay and backoff must not be negative")
        if self.concurrency_per_host < 1:
            raise ValueError("concurrency_per_host must be at least 1")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.response_deadline <= 0 or self.rate_window <= 0 or self.min_rate < 0:
            raise ValueError("response_deadline and rate_window must be positive, "
                             "min_rate not negative")
        if self.max_retries < 0 or self.max_redirects < 0:
            raise ValueError("max_retries and max_redirects must not be negative")
        if self.max_bytes <= 0 or self.robots_max_bytes <= 0:
            raise ValueError("byte limits must be positive")
        if not self.user_agent.strip():
            raise ValueError("user_agent must not be empty")

    @classmethod
    def resolve(cls, value: "FetchSettings | dict[str, Any] | None") -> "FetchSettings":
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown fetch settings: {', '.join(sorted(unknown))}")
        return replace(cls(), **value)

    @classmethod
    def from_env(cls, **values: Any) -> "FetchSettings":
        """Defaults < ``XXGK_FETCH_<FIELD>`` environment variables < ``values``."""
        found: dict[str, Any] = {}
        for f in fields(cls):
            raw = os.environ.get(f"XXGK_FETCH_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            kind = type(getattr(cls(), f.name)) if f.name != "slot_dir" else str
            try:
                found[f.name] = (raw.strip().lower() in ("1", "true", "yes", "on")
                                 if kind is bool else kind(raw))
            except ValueError as exc:
                raise ValueError(f"XXGK_FETCH_{f.name.upper()}={raw!r}: {exc}") from exc
        found.update(values)
        return replace(cls(), **found)
