"""The archive as a WACZ 1.1.1 package (what ReplayWeb.page opens): ``xxgk export --wacz FILE.wacz``.

    export_wacz(home, path) -> WarcSummary
    cdxj_lines(warc_path, filename) -> sorted CDXJ lines      (the index, read back from the WARC)

A ZIP holding

    archive/data.warc.gz        the WARC of ``archive.warc_export`` (stored, not recompressed)
    indexes/index.cdx           CDXJ: ``<SURT> <14-digit time> {url, mime, status, digest, length,
                                offset, filename}`` for every response, revisit and resource at a web URL
    pages/pages.jsonl           ``json-pages-1.0``: one line per crawled report page or file, with its title
    datapackage.json            profile data-package, wacz_version 1.1.1, each file's path, sha256, bytes
    datapackage-digest.json     the sha256 of datapackage.json

The WARC is written to a temporary file beside the output, indexed by reading it back (offsets as
they are on disk, as every replay tool reads them) and zipped; the package appears only whole.
SURT keys come from the ``surt`` package, the canonicalisation pywb and ReplayWeb.page use.
"""
from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .home import Home
from .warc_export import WarcSummary, write_warc

__all__ = ["export_wacz", "cdxj_lines", "WACZ_VERSION", "WARC_MEMBER"]

WACZ_VERSION = "1.1.1"
WARC_MEMBER = "archive/data.warc.gz"
INDEX_MEMBER = "indexes/index.cdx"
PAGES_MEMBER = "pages/pages.jsonl"
_INDEXED = ("response", "revisit", "resource")
_CHUNK = 1 << 20


def export_wacz(home: Home, path: Path) -> WarcSummary:
    from .compare.writers import atomic_output

    try:
        with atomic_output(path) as tmp, tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as work:
            warc = Path(work) / Path(WARC_MEMBER).name
            with open(warc, "wb") as out:
                summary = write_warc(home, out, warc.name)
            _package(tmp, warc, cdxj_lines(warc, warc.name), _pages(summary), home.path.name)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror or e}") from e
    return summary


def _surt(url: str) -> str:
    try:
        from surt import surt
    except ImportError as e:  # a dependency of xxgk: only a broken install lacks it
        raise InputError("writing a WACZ index needs the `surt` package: pip install surt") from e
    return surt(url)


def cdxj_lines(warc_path: Path, filename: str) -> list[str]:
    """The CDXJ index of a WARC file, sorted as replay tools binary-search it."""
    from warcio.archiveiterator import ArchiveIterator

    lines = []
    with open(warc_path, "rb") as f:
        it = ArchiveIterator(f)
        for record in it:
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type not in _INDEXED or not uri.startswith(("http://", "https://")):
                continue
            date = record.rec_headers.get_header("WARC-Date") or ""
            fields = {"url": uri, "digest": record.rec_headers.get_header("WARC-Payload-Digest") or ""}
            if record.rec_type == "revisit":
                fields["mime"] = "warc/revisit"
            elif record.http_headers:
                fields["mime"] = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip()
                fields["status"] = str(record.http_headers.get_statuscode())
            else:
                fields["mime"] = record.rec_headers.get_header("Content-Type") or ""
            it.read_to_end(record)
            fields.update(length=str(it.get_record_length()), offset=str(it.get_record_offset()), filename=filename)
            lines.append(f"{_surt(uri)} {_timestamp14(date)} {json.dumps(fields, ensure_ascii=False)}")
    return sorted(lines)


def _timestamp14(warc_date: str) -> str:
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def _pages(summary: WarcSummary) -> Iterator[str]:
    yield json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"})
    for c in summary.captures:
        if c["report"] is not None:
            yield json.dumps({"url": c["url"], "ts": c["ts"], "title": c["title"] or c["url"]}, ensure_ascii=False)


def _sha256_file(path: Path) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _package(out: Path, warc: Path, index: list[str], pages: Iterator[str], title: str) -> None:
    texts = {INDEX_MEMBER: "".join(line + "\n" for line in index).encode("utf-8"),
             PAGES_MEMBER: "".join(line + "\n" for line in pages).encode("utf-8")}
    warc_sha, warc_size = _sha256_file(warc)
    resources = [{"name": Path(WARC_MEMBER).name, "path": WARC_MEMBER, "hash": f"sha256:{warc_sha}",
                  "bytes": warc_size}]
    resources += [{"name": Path(name).name, "path": name, "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
                   "bytes": len(data)} for name, data in texts.items()]
    created = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    package = json.dumps({"profile": "data-package", "wacz_version": WACZ_VERSION, "title": title,
                          "software": f"xxgk {version('xxgk')}", "created": created, "resources": resources},
                         ensure_ascii=False, indent=2).encode("utf-8")
    digest = json.dumps({"path": "datapackage.json", "hash": f"sha256:{hashlib.sha256(package).hexdigest()}"})
    with zipfile.ZipFile(out, "w") as z:
        z.write(warc, WARC_MEMBER, compress_type=zipfile.ZIP_STORED)  # already gzipped; ranges read it as is
        for name, data in texts.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("datapackage.json", package, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("datapackage-digest.json", digest, compress_type=zipfile.ZIP_DEFLATED)
