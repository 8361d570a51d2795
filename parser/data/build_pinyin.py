"""Rebuild ``pinyin.tsv``: each division's name in pinyin, for reading a gov.cn host (run by hand,
never at run time).

    pip install pypinyin==0.55.0
    python parser/data/build_pinyin.py

Reads ``divisions.csv`` beside this file and writes one line per division name:
``code<TAB>name<TAB>stem readings<TAB>suffix reading``. The stem is the name without its level word
(余杭区 -> 余杭, 楚雄彝族自治州 -> 楚雄, 内蒙古自治区 -> 内蒙古; a one-character stem keeps its level word:
沙县); its readings are the phrase's and, where it differs, the characters' own (长阳: chang yang | zhang
yang), syllables separated by spaces; the suffix reading is the level word's
(qu, xian, shi; empty when none was cut). ``parser.hosts`` matches host labels against them.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

from pypinyin import Style, pinyin

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent.parent))

from parser.regions import ETHNIC_NAMES, PROVINCE_SUFFIXES  # noqa: E402

_ETHNIC = "|".join(sorted(ETHNIC_NAMES, key=len, reverse=True))
_AUTONOMOUS = re.compile(rf"^(?P<geo>.{{2,}}?)(?:(?:{_ETHNIC})族?)+(?:自治(?:州|县|旗)|族区)$")  # 顺河回族区
_LEVEL_WORDS = ("特别行政区", "林区", "特区", "地区", "盟", "市", "区", "县", "旗")


def stem_and_suffix(code: str, name: str) -> tuple[str, str]:
    if code.endswith("0000"):
        for suffix in PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                return name[: -len(suffix)], suffix
        return name, ""
    m = _AUTONOMOUS.match(name)
    if m:
        return m["geo"], name[len(m["geo"]):]
    for suffix in _LEVEL_WORDS:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)], suffix
    return name, ""


def readings(word: str) -> list[str]:
    """pypinyin's reading of the word as a phrase, then of its characters one by one where that
    differs (a place name its phrase table lacks: 长阳 chang yang | zhang yang). Rarer readings are
    left out: tried, they made other places' hosts match (北屯 bei zhun for 巴州's xjbz, 信阳 shen yang
    beside 沈阳) and placed none that these miss."""
    phrase = " ".join(p[0] for p in pinyin(word, style=Style.NORMAL, errors="ignore"))
    one_by_one = " ".join(pinyin(ch, style=Style.NORMAL, errors="ignore")[0][0] for ch in word
                          if pinyin(ch, style=Style.NORMAL, errors="ignore"))
    return list(dict.fromkeys(r.replace("ü", "v") for r in (phrase, one_by_one) if r))


def main() -> int:
    rows = []
    with open(HERE / "divisions.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stem, suffix = stem_and_suffix(row["code"], row["name"])
            line = (row["code"], row["name"], "|".join(readings(stem)), readings(suffix)[0] if suffix else "")
            if line not in rows:
                rows.append(line)
    with open(HERE / "pinyin.tsv", "w", encoding="utf-8", newline="") as f:
        for line in rows:
            f.write("\t".join(line) + "\n")
    print(f"{len(rows)} names written to {HERE / 'pinyin.tsv'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
