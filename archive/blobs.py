"""Content-addressed blob store: ``blobs/ab/cd/<sha256>``, written once, atomically.

A blob is written to a temporary file in the same folder, fsynced, then renamed into place, so a
kill at any moment leaves either no blob or the whole blob, never a half one. Blobs are never
overwritten. A blob without a catalog row is an orphan: harmless, reused by the next import of the
same bytes, and listed by ``orphans()``.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Iterator

__all__ = ["BlobStore", "sha256_file", "sha256_bytes"]

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def put_bytes(self, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        """Store ``data``; return (sha256, newly_written)."""
        digest = sha256 or sha256_bytes(data)
        target = self.path_for(digest)
        if target.is_file():
            return digest, False
        self._write_atomically(target, lambda f: f.write(data))
        return digest, True

    def put_file(self, path: Path, sha256: str | None = None) -> tuple[str, bool]:
        """Copy a file in, streaming; return (sha256, newly_written)."""
        digest = sha256 or sha256_file(path)
        target = self.path_for(digest)
        if target.is_file():
            return digest, False

        def copy(out: BinaryIO) -> None:
            with open(path, "rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    out.write(chunk)

        self._write_atomically(target, copy)
        return digest, True

    def _write_atomically(self, target: Path, write) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            # rename is atomic on POSIX; a concurrent writer of the same bytes just wins the race
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise

    def iter_shas(self) -> Iterator[str]:
        for p in self.root.glob("??/??/*"):
            if p.is_file() and not p.name.startswith(".tmp-"):
                yield p.name

    def clean_temp_files(self, older_than: float = 3600.0) -> int:
        """Remove temporary files a killed writer left behind.

        Only old ones: a younger temp file may belong to another process writing right now.
        """
        n, cutoff = 0, time.time() - older_than
        for p in self.root.glob("??/??/.tmp-*"):
            try:
                if p.stat().st_mtime > cutoff:
                    continue
                p.unlink()
                n += 1
            except FileNotFoundError:
                pass
        return n
