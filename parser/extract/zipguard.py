"""Every ZIP container read under limits, so a zip bomb is refused before it is inflated.

    open_zip(data, settings=None) -> GuardedZip
    GuardedZip.read(name) -> bytes        one member, streamed in 1 MB chunks under its cap
    GuardedZip.namelist() -> list[str]

``open_zip`` checks, before inflating anything: the member count in the end-of-central-directory
record (before ``zipfile`` builds an object per member), then per member its declared inflated size,
the sum of those sizes and the inflated/compressed ratio of members over 1 MB. ``zipfile`` never
inflates a member past its declared size (it stops there and the CRC check fails), so checking the
declared sizes bounds what any later reader of the same bytes (python-docx) can inflate;
``GuardedZip.read`` still counts the bytes as they come, in case a header lies.

Every reader of a ZIP container (DOCX here; an XLSX or WACZ reader the same way) opens it through
``open_zip``. Reads ``settings.max_zip_member_bytes``, ``max_zip_total_bytes``, ``max_zip_ratio``
and ``max_zip_members``. Raises ``UnreadableError`` with reason ``zip_bomb`` (over a limit) or
``truncated_zip`` (a damaged container).
"""
from __future__ import annotations

import io
import struct
import zipfile

from ..errors import UnreadableError
from ..settings import ParseSettings

__all__ = ["GuardedZip", "open_zip", "declared_member_count"]

_CHUNK = 1 << 20
_RATIO_FLOOR = 1 << 20  # a small member may compress very well (a page of spaces): ratio not judged
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def declared_member_count(data: bytes) -> int | None:
    """The member count the end-of-central-directory record declares (None when there is none)."""
    tail_start = max(0, len(data) - (0xFFFF + 22))
    at = data.rfind(_EOCD, tail_start)
    if at < 0 or at + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, at + 10)[0]
    if count != 0xFFFF:
        return count
    loc = data.rfind(_EOCD64_LOCATOR, max(0, at - 20), at)
    if loc < 0:
        return count
    offset = struct.unpack_from("<Q", data, loc + 8)[0]
    if offset + 40 <= len(data) and data[offset:offset + 4] == _EOCD64:
        return struct.unpack_from("<Q", data, offset + 32)[0]
    return count


def _bomb(message: str) -> UnreadableError:
    return UnreadableError(f"refused as a zip bomb: {message}", reason="zip_bomb")


class GuardedZip:
    """A ZIP container whose central directory passed the limits; members read under their caps."""

    def __init__(self, zf: zipfile.ZipFile, settings: ParseSettings):
        self.zf, self.settings = zf, settings

    def namelist(self) -> list[str]:
        return self.zf.namelist()

    def read(self, name: str) -> bytes:
        info = self.zf.getinfo(name)
        cap = min(info.file_size, self.settings.max_zip_member_bytes)
        out = io.BytesIO()
        try:
            with self.zf.open(info) as member:
                while chunk := member.read(_CHUNK):
                    if out.tell() + len(chunk) > cap:
                        raise _bomb(f"member {name} inflates past {cap:,} bytes")
                    out.write(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:  # zlib.error is an Exception
            raise UnreadableError(f"a damaged ZIP member {name}: {exc}", reason="truncated_zip") from exc
        return out.getvalue()

    def close(self) -> None:
        self.zf.close()

    def __enter__(self) -> "GuardedZip":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_zip(data: bytes, settings: ParseSettings | None = None) -> GuardedZip:
    """The container, checked against the limits before any member is inflated."""
    s = ParseSettings.resolve(settings)
    declared = declared_member_count(data)
    if declared is not None and declared > s.max_zip_members:
        raise _bomb(f"{declared:,} members, over the limit of {s.max_zip_members:,}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnreadableError(f"a damaged ZIP container: {exc}", reason="truncated_zip") from exc
    try:
        _check_directory(zf.infolist(), s)
    except UnreadableError:
        zf.close()
        raise
    return GuardedZip(zf, s)


def _check_directory(infos: list[zipfile.ZipInfo], s: ParseSettings) -> None:
    if len(infos) > s.max_zip_members:
        raise _bomb(f"{len(infos):,} members, over the limit of {s.max_zip_members:,}")
    total = 0
    for info in infos:
        size = info.file_size
        if size > s.max_zip_member_bytes:
            raise _bomb(f"member {info.filename} inflates to {size:,} bytes, over the limit of "
                        f"{s.max_zip_member_bytes:,}")
        if size > _RATIO_FLOOR and size > s.max_zip_ratio * max(info.compress_size, 1):
            raise _bomb(f"member {info.filename} inflates {size / max(info.compress_size, 1):,.0f} times "
                        f"(limit {s.max_zip_ratio:g})")
        total += size
        if total > s.max_zip_total_bytes:
            raise _bomb(f"members inflate to over {s.max_zip_total_bytes:,} bytes together")
