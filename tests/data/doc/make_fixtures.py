"""Make the legacy Word (.doc) fixtures of tests/test_parser_extract_doc.py. Run once, offline:

    apt-get install -y --no-install-recommends libreoffice-writer-nogui   # LibreOffice 7.4 was used
    .venv/bin/python tests/data/doc/make_fixtures.py

Each report is written as DOCX with python-docx and converted to Word 97–2003 by
``soffice --headless --convert-to doc`` (LibreOffice writes one UTF-16 piece). Then, without
LibreOffice:
- ``fast-saved.doc``: ``mixed.doc`` rewritten as Word's fast save leaves a file: its text cut into
  pieces, the cp1252-only ones stored again as compressed 8-bit text at the end of the
  WordDocument stream, a new piece table at the end of the table stream, fComplex set;
- ``encrypted.doc``: ``mixed.doc`` with the FIB's fEncrypted flag set;
- ``nested.doc`` holds a table inside a cell (itap 2 in the .doc);
- ``works.wps``: an OLE2 file with a Works/WPS ``CONTENTS`` stream and no WordDocument stream.
The two rewritten files go through ``write_ole`` below, a minimal compound-file writer (512-byte
sectors, every stream padded to the 4096-byte mini-stream cutoff so no mini FAT is needed).
The tests compare what the reader gives with SOURCES (and the shared yuhang sample).
"""
from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent.parent
sys.path.insert(0, str(TESTS))

from conftest import SAMPLES  # noqa: E402
from test_parser_legacy_appendix import NATIONAL_ROWS  # noqa: E402

__all__ = ["yuhang_paragraphs", "MIXED_PARAGRAPHS", "MERGED_GRID", "APPENDIX_TITLE", "write_ole"]

APPENDIX_TITLE = "某区2016年政府信息公开工作年度报告"
APPENDIX_PROSE = ["一、概述", "本年度政府信息公开工作情况见附表。", "附件:政府信息公开情况统计表"]
MIXED_PARAGRAPHS = ["Annual report, plain ASCII text.", "Price: 5 £ – ‘quoted’ and “double” marks.",
                    "二〇一三年度谢塘镇政府信息公开工作年度报告", "Mixed 中文 and ASCII 123 in one paragraph."]
# the grid the merged-cells table must read back as (horizontal merges repeat, vertical merges repeat)
MERGED_GRID = [["行政复议", "行政复议", "行政诉讼"],
               ["维持", "纠正", "总计"],
               ["2", "1", "总计"],
               ["第一行第二行", "3", "4"]]  # a line break between CJK folds to nothing


def yuhang_paragraphs() -> list[str]:
    text = (SAMPLES / "yuhang-2017.txt").read_text(encoding="utf-8")
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _docx(path: Path, build) -> None:
    import docx

    d = docx.Document()
    build(d)
    d.save(str(path))


def _add_table(d, rows: list[list[str]]):
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    return table


def _yuhang(d) -> None:
    for line in yuhang_paragraphs():
        d.add_paragraph(line)


def _appendix(d) -> None:
    d.core_properties.title = APPENDIX_TITLE  # SummaryInformation's title, in code page 936 or UTF-16
    d.add_paragraph(APPENDIX_TITLE)
    for line in APPENDIX_PROSE:
        d.add_paragraph(line)
    _add_table(d, [["统计指标", "单位", "统计数"], *NATIONAL_ROWS])
    d.add_paragraph("某区人民政府办公室")


def _mixed(d) -> None:
    for line in MIXED_PARAGRAPHS:
        d.add_paragraph(line)


def _merged(d) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d.add_paragraph("表一 行政复议、行政诉讼情况")
    t = _add_table(d, [["行政复议", "", "行政诉讼"], ["维持", "纠正", "总计"], ["2", "1", ""], ["第一行", "3", "4"]])
    t.cell(0, 0).merge(t.cell(0, 1))
    t.cell(1, 2).merge(t.cell(2, 2))
    t.cell(3, 0).paragraphs[0].add_run().add_break()
    t.cell(3, 0).paragraphs[0].add_run("第二行")
    p = d.add_paragraph("详见")
    # a hyperlink becomes a HYPERLINK field in the .doc: the reader keeps its result only
    p._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" HYPERLINK &quot;http://xxgk.example.gov.cn/&quot; ">'
        '<w:r><w:t>政府信息公开专栏</w:t></w:r></w:fldSimple>'))
    p.add_run("。")


def _nested(d) -> None:
    d.add_paragraph("前言")
    outer = _add_table(d, [["外层", ""], ["下", "右"]])
    _add_table(outer.cell(0, 1), [["内00", "内01"], ["内10", "内11"]])
    d.add_paragraph("后记")


def _convert(docx_path: Path, out_dir: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "doc", "--outdir", str(out_dir), str(docx_path)],
                   check=True, capture_output=True, timeout=120)
    return out_dir / (docx_path.stem + ".doc")


# --- rewriting a .doc without LibreOffice -------------------------------------------------------

_FREESECT, _ENDOFCHAIN, _FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD


def write_ole(streams: dict[str, bytes]) -> bytes:
    """A compound file holding ``streams`` at the root (names sorted as the format orders them)."""
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    blobs = [streams[n] + b"\0" * (-len(streams[n]) % 512 or 0) for n in names]
    blobs = [b + b"\0" * max(0, 4096 - len(b)) for b in blobs]
    n_dir = (len(names) + 1 + 3) // 4  # 4 directory entries a sector
    data_sectors = sum(len(b) // 512 for b in blobs) + n_dir
    n_fat = 1
    while n_fat * 128 < data_sectors + n_fat:
        n_fat += 1
    fat = [_FATSECT] * n_fat
    starts = []
    for blob in blobs:
        count = len(blob) // 512
        first = len(fat)
        starts.append(first)
        fat.extend(list(range(first + 1, first + count)) + [_ENDOFCHAIN])
    dir_start = len(fat)
    fat.extend(list(range(dir_start + 1, dir_start + n_dir)) + [_ENDOFCHAIN])
    fat.extend([_FREESECT] * (n_fat * 128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, 1 if names else 0xFFFFFFFF, 0xFFFFFFFF, _ENDOFCHAIN, 0)]
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF  # a chain of right siblings, in order
        entries.append(entry(name, 2, 0xFFFFFFFF, right, starts[i], len(blobs[i])))  # padded: no mini stream
    entries += [entry("", 0, 0xFFFFFFFF, 0xFFFFFFFF, 0, 0)] * (n_dir * 4 - len(entries))
    directory = b"".join(entries)
    difat = list(range(n_fat)) + [_FREESECT] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + b"\0" * 6 + struct.pack("<IIIIIIIII", 0, n_fat, dir_start, 0, 4096, _ENDOFCHAIN, 0,
                                        _ENDOFCHAIN, 0) + struct.pack("<109I", *difat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    return header + fat_bytes + b"".join(blobs) + directory


def _fast_saved(doc: bytes) -> bytes:
    """Split the single piece; store the cp1252-only stretches again, compressed, at the stream's end."""
    import olefile

    sys.path.insert(0, str(TESTS.parent))
    from parser.extract.doc_binary import read_fib, read_pieces

    ole = olefile.OleFileIO(doc)
    word = bytearray(ole.openstream("WordDocument").read())
    fib = read_fib(bytes(word))
    table = bytearray(ole.openstream(fib.table_stream).read())
    [piece] = read_pieces(bytes(table), fib)
    text = bytes(word[piece.fc:piece.fc + 2 * (piece.cp_end - piece.cp_start)]).decode("utf-16-le")
    cps, pcds = [0], []
    cp = 0
    for chunk in _chunks(text):
        try:
            raw = chunk.encode("cp1252")
            compressed = "\r" not in chunk and "\x07" not in chunk  # marks stay where their properties are
        except UnicodeEncodeError:
            compressed = False
        if compressed:
            fc = len(word)
            word += raw
            fc_field = (fc * 2) | 0x40000000
        else:
            fc_field = piece.fc + 2 * cp
        cp += len(chunk)
        cps.append(cp)
        pcds.append(struct.pack("<HIH", 0, fc_field, 0))
    plc = struct.pack(f"<{len(cps)}I", *cps) + b"".join(pcds)
    clx = b"\x02" + struct.pack("<I", len(plc)) + plc
    struct.pack_into("<II", word, 154 + 33 * 8, len(table), len(clx))  # fcClx, lcbClx
    table += clx
    struct.pack_into("<H", word, 10, struct.unpack_from("<H", word, 10)[0] | 0x0004)  # fComplex
    return write_ole({"WordDocument": bytes(word), fib.table_stream: bytes(table)})


def _chunks(text: str) -> list[str]:
    """Runs of text cut where a paragraph mark ends and where ASCII meets CJK."""
    out, current = [], ""
    for ch in text:
        if current and (ch in "\r\x07" or (ord(ch) > 0xFF) != (ord(current[-1]) > 0xFF)):
            out.append(current)
            current = ""
        current += ch
    return out + ([current] if current else [])


def _encrypted(doc: bytes) -> bytes:
    import olefile

    ole = olefile.OleFileIO(doc)
    streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    word = bytearray(streams["WordDocument"])
    struct.pack_into("<H", word, 10, struct.unpack_from("<H", word, 10)[0] | 0x0100)
    streams["WordDocument"] = bytes(word)
    return write_ole({k: v for k, v in streams.items() if k in ("WordDocument", "0Table", "1Table")})


def main() -> None:
    builders = {"yuhang-2017": _yuhang, "appendix-2016": _appendix, "mixed": _mixed, "merged": _merged,
                "nested": _nested}
    with tempfile.TemporaryDirectory() as tmp:
        for name, build in builders.items():
            src = Path(tmp) / f"{name}.docx"
            _docx(src, build)
            (HERE / f"{name}.doc").write_bytes(_convert(src, Path(tmp)).read_bytes())
    mixed = (HERE / "mixed.doc").read_bytes()
    (HERE / "fast-saved.doc").write_bytes(_fast_saved(mixed))
    (HERE / "encrypted.doc").write_bytes(_encrypted(mixed))
    (HERE / "works.wps").write_bytes(write_ole({"CONTENTS": b"\x01\x00WPS text of its own format"}))
    for path in sorted(HERE.glob("*.doc")) + [HERE / "works.wps"]:
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
