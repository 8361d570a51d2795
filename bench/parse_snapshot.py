"""Every record the parser makes of a corpus, to prove a speed change left the output as it was.

    .venv/bin/python bench/parse_snapshot.py write [--demo HOME] OUT.jsonl [FOLDER ...]
    .venv/bin/python bench/parse_snapshot.py diff A.jsonl B.jsonl

``write`` parses every file under the folders (default: tests/data, the real corpus, fixtures and
samples) and, with ``--demo HOME``, every document of an archive home (``xxgk demo --home HOME``:
the replica's HTML, PDF and DOCX reports), and writes one line per file: its name and the record
(``Record.to_dict``, keys sorted) or the error it raised, with the CPU seconds the parses took.
``diff`` names every file whose line differs and exits 1 if any does.
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.ingest import guess_media_type  # noqa: E402
from parser import parse  # noqa: E402

_SUFFIXES = {".txt", ".html", ".htm", ".shtml", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls"}


def _folder_inputs(folder: Path):
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in _SUFFIXES:
            yield str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path), path.read_bytes(), \
                guess_media_type(path)


def _demo_inputs(home: Path):
    conn = sqlite3.connect(home / "catalog.sqlite")
    rows = conn.execute("SELECT sha256, media_type FROM documents ORDER BY sha256").fetchall()
    conn.close()
    for sha, media_type in rows:
        found = next((p for p in (home / "blobs").rglob(f"{sha}*") if p.is_file()), None)
        if found is not None:
            yield f"demo:{sha[:16]}", found.read_bytes(), media_type


def _outcome(data: bytes, media_type: str | None) -> dict:
    try:
        return {"record": parse(data, media_type).to_dict()}
    except Exception as exc:  # the error is part of the output: it must not change either
        return {"error": f"{type(exc).__name__}: {exc}"}


def write(out: Path, folders: list[Path], demo: Path | None) -> None:
    inputs = [x for f in folders for x in _folder_inputs(f)]
    if demo is not None:
        inputs += list(_demo_inputs(demo))
    cpu = 0.0
    with out.open("w", encoding="utf-8") as fh:
        for name, data, media_type in inputs:
            t = time.process_time()
            outcome = _outcome(data, media_type)
            cpu += time.process_time() - t
            fh.write(json.dumps({"file": name, **outcome}, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(inputs)} files parsed in {cpu:.2f} s CPU -> {out}")


def diff(a: Path, b: Path) -> int:
    def lines(p: Path) -> dict[str, str]:
        return {json.loads(line)["file"]: line for line in p.read_text(encoding="utf-8").splitlines()}

    left, right = lines(a), lines(b)
    changed = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    for name in changed:
        print(f"differs: {name}")
    print(f"{len(left)} / {len(right)} files, {len(changed)} differ")
    return 1 if changed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("folders", type=Path, nargs="*")
    w.add_argument("--demo", type=Path, help="an archive home (xxgk demo --home HOME)")
    d = sub.add_parser("diff")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    args = ap.parse_args()
    if args.cmd == "diff":
        return diff(args.a, args.b)
    write(args.out, args.folders or [ROOT / "tests" / "data"], args.demo)
    return 0


if __name__ == "__main__":
    sys.exit(main())
