"""Retry policy as plain functions: which outcomes are retried, and how long to wait.

Reads ``FetchSettings.max_retries``, ``backoff_base``, ``backoff_cap`` and ``retry_after_max``.
Retried: timeouts and network errors, 429, and 5xx (except a 5xx that is a bot defence, which
``scraper.defences`` catches first). Never retried: any other 4xx. ``next_retry_wait`` returns the
seconds to wait before the next attempt, or ``None`` to give up; the fetcher counts
``fetch/retry/count``, ``fetch/retry/reason/<reason>`` and ``fetch/retry/max_reached``.
"""
from __future__ import annotations

import email.utils
import math
from datetime import datetime, timezone

from .settings import FetchSettings

__all__ = ["retry_reason_for_status", "parse_retry_after", "next_retry_wait"]

def retry_reason_for_status(status: int) -> str | None:
    """The counter reason for a retryable status (``"429"``, ``"503"``), else ``None``."""
    # 501 Not Implemented will not heal; every other 5xx may
    if status == 429 or (500 <= status < 600 and status != 501):
        return str(status)
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date; ``None`` if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())


def next_retry_wait(attempt: int, settings: FetchSettings,
                    retry_after: float | None = None) -> float | None:
    """Wait before retry number ``attempt`` (1-based), or ``None`` when retries are exhausted or
    the server asks for a longer pause than ``retry_after_max``."""
    if attempt > settings.max_retries:
        return None
    if retry_after is not None:
        if retry_after > settings.retry_after_max:
            return None
        return max(0.0, retry_after)
    wait = settings.backoff_base * math.pow(2, attempt - 1)
    return min(settings.backoff_cap, wait)
