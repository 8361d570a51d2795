"""What keeps a page safe from what reports and sites wrote: links only to http(s), blob ids only
as hashes, file names for a download header.

Escaping itself is Jinja2's autoescape (every template); these are the checks it cannot make.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

__all__ = ["safe_href", "is_sha256", "content_disposition", "blob_source"]

_SHA256 = re.compile(r"[0-9a-f]{64}")


def safe_href(url: object) -> str | None:
    """``url`` when it is an absolute http or https URL (a link may point there), else None:
    ``javascript:``, ``data:``, ``file:`` and relative URLs are shown as text, never as links."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    if any(c in text for c in "\x00\r\n\t") or any(ord(c) < 0x20 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def content_disposition(filename: str, inline: bool = False) -> str:
    """A Content-Disposition header: an ASCII fallback name and the UTF-8 name (RFC 6266/5987)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "report"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def blob_source(blobs, sha256: str):
    """Where to read a blob: its file (a local store; the path checked to stay inside the store's
    folder) or its bytes (a remote store). ``LookupError`` when the id is no hash or the blob is gone."""
    from pathlib import Path

    if not is_sha256(sha256):
        raise LookupError(f"{sha256[:16]!r} is not a blob id")
    path_for = getattr(blobs, "path_for", None)
    if path_for is None:
        return blobs.read(sha256)
    root = Path(blobs.root).resolve()
    path = Path(path_for(sha256)).resolve()
    if root not in path.parents or not path.is_file():
        raise LookupError(f"the archived file {sha256[:12]}… is missing from the archive")
    return path
