"""Content-addressed blob store: ``blobs/ab/cd/<sha256>``, written once, atomically.

A blob is written to a temporary file in the same folder, fsynced, then renamed into place, so a
kill at any moment leaves either no blob or the whole blob, never a half one. Blobs are never
overwritten. A blob without a catalog row is an orphan: harmless, reused by the next import of the
same bytes, and listed by ``orphans()``.

Fixity: ``read_verified`` hashes what it reads and raises ``BlobError`` (``blob_missing``,
``blob_altered``) instead of handing on bytes the sha256 does not name; an altered blob is moved
aside (``.altered-<sha>-<time>`` in its folder, kept as evidence) so the next import or crawl of
the true bytes writes it again. ``check`` re-hashes one blob, streaming (``xxgk verify``).
A full disk (ENOSPC) while writing is ``DiskFullError``; ``ensure_free`` checks space up front.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import BlobError, DiskFullError, is_disk_full

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

    def read_verified(self, sha256: str) -> bytes:
        """The blob's bytes, hashed on the way: BlobError when missing or not what ``sha256`` names."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise BlobError(f"the archived file {sha256[:12]}… is missing from {self.root}: import or crawl it "
                            "again to restore it (`xxgk verify` lists every missing file)",
                            sha256=sha256, reason="blob_missing") from None
        actual = sha256_bytes(data)
        if actual != sha256:
            aside = self._move_aside(path)
            raise BlobError(f"the archived file {sha256[:12]}… changed on disk (its bytes now hash to "
                            f"{actual[:12]}…; kept as {aside.name}): no record is made from it; import or crawl "
                            "it again to restore it", sha256=sha256, reason="blob_altered")
        return data

    def check(self, sha256: str) -> str:
        """'ok', 'missing' or 'altered': the blob re-hashed, streaming."""
        path = self.path_for(sha256)
        try:
            return "ok" if sha256_file(path) == sha256 else "altered"
        except FileNotFoundError:
            return "missing"

    def _move_aside(self, path: Path) -> Path:
        aside = path.with_name(f".altered-{path.name}-{int(time.time())}")
        try:
            os.replace(path, aside)
        except OSError:  # read-only storage: leave it, the record is refused all the same
            return path
        return aside

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.root if self.root.exists() else self.root.parent).free

    def ensure_free(self, needed: int, what: str, margin: int) -> None:
        """DiskFullError unless ``needed`` bytes and ``margin`` (``ArchiveSettings.min_free_space``:
        SQLite's journal, the index, the rest of the system) are free where the blobs go."""
        free = self.free_bytes()
        if free < needed + margin:
            raise DiskFullError(f"not enough free space for {what}: {free / 2**20:,.1f} MB free on the archive's "
                                f"disk, about {(needed + margin) / 2**20:,.1f} MB needed; free some space (or pass "
                                "fewer files) and run the same command again")

    def _present(self, target: Path, size: int) -> bool:
        """Whether the blob is there whole (a blob cut short or grown is written again)."""
        try:
            return target.stat().st_size == size
        except FileNotFoundError:
            return False

    def put_bytes(self, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        """Store ``data``; return (sha256, newly_written)."""
        digest = sha256 or sha256_bytes(data)
        target = self.path_for(digest)
        if self._present(target, len(data)):
            return digest, False
        self._write_atomically(target, lambda f: f.write(data))
        return digest, True

    def put_file(self, path: Path, sha256: str | None = None) -> tuple[str, bool]:
        """Copy a file in, streaming; return (sha256, newly_written)."""
        digest = sha256 or sha256_file(path)
        target = self.path_for(digest)
        if self._present(target, path.stat().st_size):
            return digest, False

        def copy(out: BinaryIO) -> None:
            with open(path, "rb") as src:
                for chunk in iter(lambda: src.read(_CHUNK), b""):
                    out.write(chunk)

        self._write_atomically(target, copy)
        return digest, True

    def _write_atomically(self, target: Path, write) -> None:
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
            with os.fdopen(fd, "wb") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            # rename is atomic on POSIX; a concurrent writer of the same bytes just wins the race
            os.replace(tmp, target)
        except BaseException as e:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except FileNotFoundError:
                    pass
            if is_disk_full(e):
                raise DiskFullError(f"the archive's disk is full: writing {target.parent} failed (nothing "
                                    "half-written is kept); free some space and run the same command again") from e
            raise

    def iter_shas(self) -> Iterator[str]:
        for p in self.root.glob("??/??/*"):
            if p.is_file() and not p.name.startswith("."):
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
