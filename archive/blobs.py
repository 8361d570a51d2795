"""Content-addressed blob store: ``<root>/ab/cd/<sha256>``, written once, atomically.

Two stores, one interface (``open_blob_store(location)`` picks by the location):

* ``BlobStore`` — a local folder (the default, ``<home>/blobs``), plain file I/O. A blob is written to
  a temporary file in the same folder, fsynced, then renamed into place, so a kill at any moment
  leaves either no blob or the whole blob, never a half one.
* ``RemoteBlobStore`` — any fsspec URL (``s3://bucket/prefix`` through s3fs; credentials and
  endpoint from the usual ``AWS_*`` variables, e.g. ``AWS_ENDPOINT_URL`` for MinIO). A blob is
  one PUT of the whole object (multipart above s3fs's 50 MB chunk): S3 makes an object visible
  only once its upload completes, so a kill leaves no blob or the whole blob, with no temporary key
  and no copy (a copy would double the requests and the bytes and be no more atomic). The PUT
  carries the sha256 (``ChecksumSHA256``): S3 refuses bytes that changed on the way.

Blobs are never overwritten. A blob without a catalog row is an orphan: harmless, reused by the
next import of the same bytes, and counted by ``xxgk status``/``xxgk verify`` (``iter_shas``).

Fixity: ``read_verified`` hashes what it reads and raises ``BlobError`` (``blob_missing``,
``blob_altered``) instead of handing on bytes the sha256 does not name; an altered blob is moved
aside (``.altered-<sha>-<time>`` beside it, kept as evidence) so the next import or crawl of
the true bytes writes it again. ``check`` re-hashes one blob, streaming (``xxgk verify``).
A full disk (ENOSPC) while writing is ``DiskFullError``; ``ensure_free`` checks space up front
(a bucket has no such limit).
"""
from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import ArchiveError, BlobError, DiskFullError, is_disk_full

__all__ = ["BlobStore", "RemoteBlobStore", "open_blob_store", "is_remote", "sha256_file", "sha256_bytes"]

_CHUNK = 1 << 20
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def sha256_bytes(data: bytes) -> str:
    import hashlib  # here, as the others below: a process that only reads (a search) never loads them

    return hashlib.sha256(data).hexdigest()


def _sha256_stream(f: BinaryIO) -> str:
    import hashlib

    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(_CHUNK), b""):
        h.update(chunk)
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    with open(path, "rb") as f:
        return _sha256_stream(f)


def is_remote(location: str | os.PathLike) -> bool:
    """Whether a blob location is a URL (s3://…, gs://…) rather than a local folder."""
    return bool(_URL_RE.match(str(location))) and not str(location).lower().startswith("file://")


def open_blob_store(location: str | os.PathLike) -> "BlobStore | RemoteBlobStore":
    """The store at ``location``: a URL goes through fsspec, a folder (or file://) stays plain files."""
    text = str(location)
    if is_remote(text):
        return RemoteBlobStore(text)
    return BlobStore(Path(text[len("file://"):] if text.lower().startswith("file://") else text).expanduser())


class _Fixity:
    """What both stores share: reads checked against the name, and the same messages."""

    location: str

    def _read(self, sha256: str) -> bytes:
        raise NotImplementedError

    def _move_aside(self, sha256: str) -> str:
        raise NotImplementedError

    def read_verified(self, sha256: str) -> bytes:
        """The blob's bytes, hashed on the way: BlobError when missing or not what ``sha256`` names."""
        try:
            data = self._read(sha256)
        except FileNotFoundError:
            raise BlobError(f"the archived file {sha256[:12]}… is missing from {self.location}: import or crawl it "
                            "again to restore it (`xxgk verify` lists every missing file)",
                            sha256=sha256, reason="blob_missing") from None
        actual = sha256_bytes(data)
        if actual != sha256:
            aside = self._move_aside(sha256)
            raise BlobError(f"the archived file {sha256[:12]}… changed in {self.location} (its bytes now hash to "
                            f"{actual[:12]}…; kept as {aside}): no record is made from it; import or crawl "
                            "it again to restore it", sha256=sha256, reason="blob_altered")
        return data


# a blob is written here, then renamed into its folder (one file system, so the rename is atomic): the
# temporary files a killed writer leaves are found in one folder, not searched for in 65,536 (opening
# an archive of 1.5 M blobs for writing took seconds)
_TEMP_FOLDER = ".tmp"
_TREE_CLEANED = ".tree-cleaned"  # a marker: the older layout's temporary files were searched for once


def _subfolders(folder: "Path | str") -> list[str]:
    """The two-character folders of the blob layout (``ab/cd/<sha256>``), sorted; none when it is gone."""
    try:
        with os.scandir(folder) as entries:
            return sorted(e.path for e in entries if len(e.name) == 2 and e.is_dir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def _aside_name(sha256: str) -> str:
    return f".altered-{sha256}-{int(time.time())}"


class BlobStore(_Fixity):
    """Blobs in a local folder, plain file I/O (the default)."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.location = str(self.root)

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def prepare(self) -> None:
        """Ready for writing: the folders made, temporary files of a killed writer cleaned. An archive
        written before blobs had their one temporary folder has its whole tree searched once."""
        temp = self.root / _TEMP_FOLDER
        temp.mkdir(parents=True, exist_ok=True)
        walked = temp / _TREE_CLEANED
        if not walked.exists():
            self.clean_temp_files(everywhere=True)
            walked.touch()
        else:
            self.clean_temp_files()

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def size(self, sha256: str) -> int | None:
        try:
            return self.path_for(sha256).stat().st_size
        except FileNotFoundError:
            return None

    def read(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    _read = read

    def copy_to(self, sha256: str, dest: Path) -> None:
        """The blob as the file ``dest``: a hard link on the same disk, else a copy."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.path_for(sha256), dest)
        except OSError:
            import shutil

            shutil.copy2(self.path_for(sha256), dest)

    def check(self, sha256: str) -> str:
        """'ok', 'missing' or 'altered': the blob re-hashed, streaming."""
        try:
            return "ok" if sha256_file(self.path_for(sha256)) == sha256 else "altered"
        except FileNotFoundError:
            return "missing"

    def _move_aside(self, sha256: str) -> str:
        path = self.path_for(sha256)
        aside = path.with_name(_aside_name(sha256))
        try:
            os.replace(path, aside)
        except OSError:  # read-only storage: leave it, the record is refused all the same
            return path.name
        return aside.name

    def free_bytes(self) -> int:
        import shutil

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
            import shutil

            with open(path, "rb") as src:
                shutil.copyfileobj(src, out, _CHUNK)

        self._write_atomically(target, copy)
        return digest, True

    def _write_atomically(self, target: Path, write) -> None:
        import tempfile

        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = self.root / _TEMP_FOLDER
            try:
                fd, tmp = tempfile.mkstemp(dir=temp, prefix=".tmp-", suffix=".part")
            except FileNotFoundError:  # a store used before prepare()
                temp.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=temp, prefix=".tmp-", suffix=".part")
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
        # os.scandir, not Path.glob: a folder's entries say what they are (d_type), so no file is stat'ed
        # one by one (1.5 M blobs: ~3 s rather than ~30 s)
        for top in _subfolders(self.root):
            for mid in _subfolders(top):
                try:
                    with os.scandir(mid) as entries:
                        names = [e.name for e in entries if not e.name.startswith(".") and e.is_file()]
                except (FileNotFoundError, NotADirectoryError):  # removed while listed
                    continue
                yield from names

    def clean_temp_files(self, older_than: float = 3600.0, *, everywhere: bool = False) -> int:
        """Remove temporary files a killed writer left behind: in the temporary folder, and with
        ``everywhere`` in every blob folder too (where writers before that folder put them).

        Only old ones: a younger temp file may belong to another process writing right now.
        """
        n, cutoff = 0, time.time() - older_than
        found = list((self.root / _TEMP_FOLDER).glob(".tmp-*"))
        if everywhere:
            found += self.root.glob("??/??/.tmp-*")
        for p in found:
            try:
                if p.stat().st_mtime > cutoff:
                    continue
                p.unlink()
                n += 1
            except FileNotFoundError:
                pass
        return n


class RemoteBlobStore(_Fixity):
    """Blobs under an fsspec URL (``s3://bucket/prefix``): the same names, one PUT per blob."""

    def __init__(self, url: str):
        try:
            import fsspec

            # no listings cache: another machine may add or remove a blob between two calls
            self.fs, base = fsspec.core.url_to_fs(url, use_listings_cache=False)
        except (ImportError, ValueError) as e:
            raise ArchiveError(f"cannot use the blob store {url}: {e} (s3:// needs the s3fs package: "
                               "pip install 'xxgk[scale]')") from e
        self.base = base.rstrip("/")
        self.location = url.rstrip("/")
        self._s3 = type(self.fs).__name__ == "S3FileSystem"

    def key_for(self, sha256: str) -> str:
        return f"{self.base}/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def _call(self, what: str, fn, *args, **kwargs):
        """Run one store call; a store that cannot be reached is one line (FileNotFoundError passes)."""
        try:
            return fn(*args, **kwargs)
        except FileNotFoundError:
            raise
        except Exception as e:  # s3fs/botocore raise many kinds: permission, endpoint, timeouts
            raise ArchiveError(f"the blob store {self.location} failed to {what}: {e} (check the URL, "
                               "the AWS_* credentials and AWS_ENDPOINT_URL)") from e

    def prepare(self) -> None:
        """Ready for writing: the bucket must exist (xxgk never creates one: its policy is the owner's)."""
        bucket = self.base.split("/", 1)[0]
        if not self._call("find its bucket", self.fs.exists, bucket):
            raise ArchiveError(f"the blob store {self.location}: bucket {bucket!r} does not exist or is not "
                               "visible with these credentials; create it first")

    def has(self, sha256: str) -> bool:
        return bool(self._call("look up a file", self.fs.exists, self.key_for(sha256)))

    def size(self, sha256: str) -> int | None:
        try:
            return int(self._call("look up a file", self.fs.info, self.key_for(sha256))["size"])
        except FileNotFoundError:
            return None

    def read(self, sha256: str) -> bytes:
        return self._call("read a file", self.fs.cat_file, self.key_for(sha256))

    _read = read

    def copy_to(self, sha256: str, dest: Path) -> None:
        """The blob downloaded as the file ``dest``."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        self._call("read a file", self.fs.get_file, self.key_for(sha256), str(dest))

    def check(self, sha256: str) -> str:
        """'ok', 'missing' or 'altered': the blob re-hashed, streaming."""
        try:
            with self._call("read a file", self.fs.open, self.key_for(sha256), "rb", block_size=8 * _CHUNK) as f:
                return "ok" if self._call("read a file", _sha256_stream, f) == sha256 else "altered"
        except FileNotFoundError:
            return "missing"

    def _move_aside(self, sha256: str) -> str:
        key = self.key_for(sha256)
        aside = key.rsplit("/", 1)[0] + "/" + _aside_name(sha256)
        try:
            self.fs.mv(key, aside)  # copy + delete on S3
        except Exception:  # a read-only bucket: leave it, the record is refused all the same
            return key.rsplit("/", 1)[1]
        return aside.rsplit("/", 1)[1]

    def free_bytes(self) -> int:
        return 1 << 62  # a bucket has no free-space limit xxgk can see

    def ensure_free(self, needed: int, what: str, margin: int) -> None:
        return None

    def _present(self, sha256: str, size: int) -> bool:
        return self.size(sha256) == size

    def _checksum(self, sha256: str) -> dict:
        # S3 recomputes the sha256 of what arrived and refuses the PUT when it differs
        import base64

        return {"ChecksumSHA256": base64.b64encode(bytes.fromhex(sha256)).decode("ascii")} if self._s3 else {}

    def put_bytes(self, data: bytes, sha256: str | None = None) -> tuple[str, bool]:
        """Store ``data``; return (sha256, newly_written)."""
        digest = sha256 or sha256_bytes(data)
        if self._present(digest, len(data)):
            return digest, False
        self._call("store a file", self.fs.pipe_file, self.key_for(digest), data, **self._checksum(digest))
        return digest, True

    def put_file(self, path: Path, sha256: str | None = None) -> tuple[str, bool]:
        """Upload a file, streaming (multipart above the chunk size); return (sha256, newly_written)."""
        digest = sha256 or sha256_file(path)
        size = path.stat().st_size
        if self._present(digest, size):
            return digest, False
        if size <= 8 * _CHUNK:  # one PUT with its checksum
            self._call("store a file", self.fs.pipe_file, self.key_for(digest), path.read_bytes(),
                       **self._checksum(digest))
        else:
            self._call("store a file", self.fs.put_file, str(path), self.key_for(digest))
        return digest, True

    def iter_shas(self) -> Iterator[str]:
        try:
            keys = self._call("list its files", self.fs.find, self.base)
        except FileNotFoundError:
            return
        for key in keys:
            name = key.rsplit("/", 1)[-1]
            if _SHA_RE.fullmatch(name):
                yield name

    def clean_temp_files(self, older_than: float = 3600.0) -> int:
        return 0  # one PUT per blob leaves no temporary keys
