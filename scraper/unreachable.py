"""Why a host did not answer, in words: transport failures classified, failure reasons described.

``transport_kind(exc)`` reads an httpx exception's cause chain: ``dns`` (the name did not
resolve), ``tls`` (handshake or certificate), ``connect`` (refused, no route), ``timeout``, else
``connection`` (reset, protocol breakage). ``RETRIED_KINDS`` are worth another attempt; a name
that does not resolve or a certificate that does not verify will not heal in seconds.
``describe_reason(reason)`` turns a failure reason key (``unreachable_dns``, ``http_404``,
``robots_disallowed``, ``blocked_ruishu`` …) into the words the crawl summary prints.
Pure functions.
"""
from __future__ import annotations

import socket
import ssl

__all__ = ["transport_kind", "describe_reason", "RETRIED_KINDS", "UNREACHABLE_WORDS"]

RETRIED_KINDS = frozenset({"connect", "timeout", "connection"})

UNREACHABLE_WORDS = {
    "dns": "host name not found (DNS)",
    "connect": "connection refused or no route",
    "tls": "TLS handshake or certificate failed",
    "timeout": "timed out",
    "connection": "connection broken",
    "too_slow": "answer too slow (response deadline or minimum transfer rate)",
}

_DNS_WORDS = ("name or service not known", "nodename nor servname", "temporary failure in name",
              "no address associated", "getaddrinfo failed", "name resolution")


def _chain(exc: BaseException):
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def transport_kind(exc: BaseException) -> str:
    """dns | tls | connect | timeout | connection for a failed exchange."""
    chain = list(_chain(exc))
    names = {type(e).__name__ for e in chain}
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, socket.gaierror) for e in chain) or any(w in text for w in _DNS_WORDS):
        return "dns"
    if any(isinstance(e, ssl.SSLError) for e in chain) or "[ssl" in text or "certificate" in text:
        return "tls"
    if any(n.endswith("Timeout") for n in names) or any(isinstance(e, TimeoutError) for e in chain):
        return "timeout"
    if "ConnectError" in names or any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connect"
    return "connection"


def describe_reason(reason: str) -> str:
    """Words for a failure reason key (as the crawl records it)."""
    if reason.startswith("unreachable_"):
        kind = reason.removeprefix("unreachable_")
        return f"unreachable: {UNREACHABLE_WORDS.get(kind, kind)}"
    if reason == "too_slow":
        return f"abandoned: {UNREACHABLE_WORDS[reason]}"
    if reason in UNREACHABLE_WORDS:
        return f"unreachable: {UNREACHABLE_WORDS[reason]}"
    if reason == "robots_disallowed":
        return "disallowed by robots.txt"
    if reason == "robots_unavailable":
        return "robots.txt answered an error: nothing asked until it answers"
    if reason.startswith("blocked_"):
        return f"blocked by a bot defence ({reason.removeprefix('blocked_')}), not evaded"
    if reason.startswith("http_"):
        return f"HTTP {reason.removeprefix('http_')}"
    return reason.replace("_", " ")
