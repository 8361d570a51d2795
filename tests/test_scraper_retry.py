"""Retry policy: which statuses, how long, and Retry-After in both of its forms."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

from scraper.retry import next_retry_wait, parse_retry_after, retry_reason_for_status
from scraper.settings import FetchSettings


def test_which_statuses_are_retried():
    assert [retry_reason_for_status(s) for s in (429, 500, 502, 503, 521)] == \
        ["429", "500", "502", "503", "521"]
    assert [retry_reason_for_status(s) for s in (200, 301, 403, 404, 412, 501)] == [None] * 6


def test_retry_after_seconds_and_http_date():
    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert parse_retry_after("7", now) == 7.0
    later = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(later, now) == 30.0
    past = format_datetime(now - timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(past, now) == 0.0
    assert parse_retry_after("soon", now) is None and parse_retry_after(None) is None


def test_backoff_doubles_caps_and_stops():
    s = FetchSettings(max_retries=4, backoff_base=1.0, backoff_cap=3.0)
    assert [next_retry_wait(a, s) for a in (1, 2, 3, 4, 5)] == [1.0, 2.0, 3.0, 3.0, None]


def test_retry_after_wins_unless_too_long():
    s = FetchSettings(max_retries=2, retry_after_max=60)
    assert next_retry_wait(1, s, retry_after=12.0) == 12.0
    assert next_retry_wait(1, s, retry_after=600.0) is None
