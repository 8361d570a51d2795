"""Hostile and broken files, crafted byte by byte for the fault tests and bench/bench_faults.py.

    zip_bomb_docx(inflated)      a DOCX whose word/document.xml inflates to ``inflated`` bytes
                                 (about 300 : 1), its central directory honest
    lying_zip_docx()             a DOCX whose directory declares 1 KB for a member that inflates to 64 MB
    many_members_zip(n)          a ZIP of ``n`` empty members (the directory itself is the load)
    dense_ruled_pdf(n, pages)    pages holding an n × n ruled table (pdfplumber's finder goes quadratic)
    deep_html(depth)             a report's text inside ``depth`` nested <div>s
    big_text_html(size)          a report page whose body is one text node of ``size`` bytes
    report_text(i)               a small legacy report (the 余杭 2017 sample), distinct per ``i``
    run_measured(args)           run a command; its exit code, output, seconds and peak memory
    kill_when(args, ready)       run a command and SIGKILL it once ready() holds
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

__all__ = ["zip_bomb_docx", "lying_zip_docx", "many_members_zip", "dense_ruled_pdf", "deep_html",
           "big_text_html", "report_text", "run_measured", "kill_when", "SAMPLE_REPORT"]

SAMPLE_REPORT = Path(__file__).resolve().parent / "data" / "samples" / "yuhang-2017.txt"
_PARA = "<w:p><w:r><w:t>本机关收到政府信息公开申请。</w:t></w:r></w:p>".encode()


def _docx_parts() -> dict[str, bytes]:
    """The small parts of a minimal DOCX (all but word/document.xml)."""
    ct = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
          b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
          b'"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
          b'document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    return {"[Content_Types].xml": ct, "_rels/.rels": rels}


def _deflate_repeated(unit: bytes, total: int) -> tuple[bytes, int, int]:
    """A raw deflate stream of ``unit`` repeated up to ``total`` bytes, built from one compressed
    megabyte copied (each block starts afresh after a full flush); return (stream, size, crc)."""
    chunk = unit * ((1 << 20) // len(unit))
    n = max(1, total // len(chunk))
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    assert again.compress(chunk) + again.flush(zlib.Z_FULL_FLUSH) == block
    stream = block * n + comp.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    return stream, len(chunk) * n, crc


def _zip_with(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP of (name, deflated bytes, declared size, crc, method) members, written by hand."""
    out = io.BytesIO()
    central = []
    for name, data, size, crc, method in members:
        offset = out.tell()
        fname = name.encode()
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(data), size,
                              len(fname), 0) + fname + data)
        central.append(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc,
                                   len(data), size, len(fname), 0, 0, 0, 0, 0, offset) + fname)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start,
                          start, 0))
    return out.getvalue()


def _small(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return name, comp.compress(data) + comp.flush(), len(data), zlib.crc32(data), zipfile.ZIP_DEFLATED


def zip_bomb_docx(inflated: int = 3 * 10**9) -> bytes:
    """A DOCX of a few MB whose document.xml inflates to ``inflated`` bytes (under 4 GB: no zip64)."""
    stream, size, crc = _deflate_repeated(_PARA, min(inflated, 4 * 10**9))
    members = [_small(n, d) for n, d in _docx_parts().items()]
    members.append(("word/document.xml", stream, size, crc, zipfile.ZIP_DEFLATED))
    return _zip_with(members)


def lying_zip_docx() -> bytes:
    """A DOCX whose directory says document.xml is 1 KB; its stream inflates to 64 MB."""
    stream, _, crc = _deflate_repeated(_PARA, 64 << 20)
    members = [_small(n, d) for n, d in _docx_parts().items()]
    members.append(("word/document.xml", stream, 1024, crc, zipfile.ZIP_DEFLATED))
    return _zip_with(members)


def many_members_zip(n: int = 60_000) -> bytes:
    """A ZIP of ``n`` (< 65,536) empty members."""
    return _zip_with([(f"m{i}", b"", 0, 0, zipfile.ZIP_STORED) for i in range(n)])


def dense_ruled_pdf(n: int = 300, pages: int = 1, *, one_drawing: bool = False) -> bytes:
    """``pages`` pages, each an n × n grid of ruling lines 5 pt apart with a digit in some cells.

    Under the table finder's limit (70 × 70: 5,041 ruling crossings is over it, 69 × 69 under)
    each page costs the parser a tenth of a second or more: many make a document that outlasts a
    short budget. ``one_drawing``: the grid drawn once, as a form XObject every page shows (a
    hundred pages cost no more to make than one; the parser reads such pages the slower way)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    step = 5.0  # points: wider than pdfplumber's snap tolerance (3), so no line merges with the next
    size = n * step
    c = canvas.Canvas(buf, pagesize=(size + 40, size + 40))

    def draw_grid() -> None:
        c.setLineWidth(0.3)
        left, top = 20, size + 20
        for i in range(n + 1):
            c.line(left, top - i * step, left + size, top - i * step)
            c.line(left + i * step, top, left + i * step, top - size)
        c.setFont("Helvetica", max(1, step * 0.6))
        for r in range(0, n, max(1, n // 30)):
            for col in range(0, n, max(1, n // 30)):
                c.drawString(left + col * step + step * 0.2, top - (r + 1) * step + step * 0.2, str((r + col) % 10))

    if one_drawing:
        c.beginForm("grid")
        draw_grid()
        c.endForm()
    for _ in range(pages):
        if one_drawing:
            c.doForm("grid")
        else:
            draw_grid()
        c.showPage()
    c.save()
    return buf.getvalue()


def report_text(i: int = 0) -> str:
    return SAMPLE_REPORT.read_text(encoding="utf-8") + f"\n(副本 {i})\n"


def deep_html(depth: int = 200_000) -> bytes:
    body = report_text().replace("\n", "<br>")
    return ("<html><head><meta charset='utf-8'><title>年度报告</title></head><body>" + "<div>" * depth + body
            + "</div>" * depth + "</body></html>").encode("utf-8")


def big_text_html(size: int = 20 * 10**6) -> bytes:
    text = report_text()
    filler = "本机关依法做好政府信息公开工作。"
    pad = filler * max(0, (size - len(text.encode())) // len(filler.encode()))
    return ("<html><head><meta charset='utf-8'><title>年度报告</title></head><body><div>"
            + text.replace("\n", " ") + pad + "</div></body></html>").encode("utf-8")


def run_measured(args: list[str], *, timeout: float = 120, env: dict | None = None, cwd=None):
    """Run a command in a wrapper process that reports the command's peak memory; return
    (returncode, stdout, stderr, seconds, peak MB). The wrapper has no other child, so
    RUSAGE_CHILDREN is that command's own peak (its children's included once they end)."""
    import os
    import subprocess
    import sys
    import time

    wrapper = ("import resource, subprocess, sys\n"
               "r = subprocess.run(sys.argv[1:])\n"
               "sys.stderr.write('\\nPEAK_KB %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(r.returncode)\n")
    e = dict(os.environ)
    e.pop("XXGK_HOME", None)
    e.update(env or {})
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True, env=e,
                       timeout=timeout, cwd=cwd)
    seconds = time.monotonic() - t0
    err, _, peak = p.stderr.rpartition("\nPEAK_KB ")
    return p.returncode, p.stdout, err, seconds, int(peak.strip() or 0) / 1024


def kill_when(args: list[str], ready, delay: float = 0.0, timeout: float = 300) -> bool:
    """Start ``args``, SIGKILL it once ``ready()`` holds (and ``delay`` seconds more); True when it
    was still running to be killed."""
    import os
    import signal
    import subprocess
    import time

    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not ready() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(delay)
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return alive


def _out_of_memory() -> None:
    raise MemoryError


class MemoryErrorOnArrival:
    """An argument whose unpickling in a parse worker raises MemoryError, as a cap too small for the
    modules a job's function needs does: the worker fails before the job's clock starts."""

    def __reduce__(self):
        return (_out_of_memory, ())
