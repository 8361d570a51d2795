"""parser/regex_cache.py: the parser's patterns compiled by an earlier process are the same patterns.

Each check runs in fresh interpreters (the cache is per process and per file), with a cache folder
of its own (XXGK_CACHE_DIR).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent / "data" / "real"
# real reports of the three eras, as text: what the cached patterns are searched on below
_TEXTS = ("anhui-2011.txt", "anhui-anqing-2012.txt", "anhui-anqing-zszx-2021.txt")

# compiles the parser's patterns by parsing real reports; prints the record of each, and for every
# pattern in the cache file, whether cached() and re.compile() agree on it and on what it finds
_PROBE = r"""
import json, re, sys
from pathlib import Path
from parser import parse
from parser import regex_cache
compare = sys.argv[1] == "compare"
texts = [Path(p).read_bytes() for p in sys.argv[2:]]
records = [parse(t, "text/plain").to_dict() for t in texts]
regex_cache.save()
plain = [t.decode() for t in texts]
entries = regex_cache._read(regex_cache.cache_file())
disagree = []
for (pattern, flags) in (entries if compare else ()):
    ours, theirs = regex_cache.cached(pattern, flags), re.compile(pattern, flags)
    same = (ours.pattern, ours.flags, ours.groups, dict(ours.groupindex)) == (
        theirs.pattern, theirs.flags, theirs.groups, dict(theirs.groupindex))
    for text in plain:
        if [m.span() + m.groups() for m in ours.finditer(text)] != [
                m.span() + m.groups() for m in theirs.finditer(text)]:
            same = False
    if not same:
        disagree.append(pattern[:80])
stats = regex_cache.stats()
print(json.dumps({"records": records, "entries": len(entries), "disagree": disagree,
                  "hits": stats.hits, "misses": stats.misses}, ensure_ascii=False, default=str))
"""


def _probe(cache: str, compare: bool = False) -> dict:
    env = {**os.environ, "XXGK_CACHE_DIR": cache}
    out = subprocess.run([sys.executable, "-c", _PROBE, "compare" if compare else "-",
                          *(str(REAL / t) for t in _TEXTS)], env=env,
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(out.stdout)


def _cache_file(folder: Path) -> Path:
    (path,) = folder.glob("regex-*.marshal")
    return path


@pytest.fixture(scope="module")
def cold_and_warm(tmp_path_factory) -> tuple[dict, dict, Path]:
    folder = tmp_path_factory.mktemp("regex-cache")
    return _probe(str(folder)), _probe(str(folder), compare=True), folder


def test_a_second_process_compiles_nothing_and_parses_the_same(cold_and_warm):
    cold, warm, _ = cold_and_warm
    assert cold["misses"] > 100, "the first process compiles the parser's patterns itself"
    assert warm["misses"] == 0 and warm["hits"] >= cold["misses"]
    assert warm["records"] == cold["records"]
    assert any(r["metrics"] for r in warm["records"]), "the reports gave numbers: the patterns were used"


def test_every_cached_pattern_is_the_pattern_re_compile_makes(cold_and_warm):
    _, warm, _ = cold_and_warm
    assert warm["entries"] > 100
    assert warm["disagree"] == []


def test_a_damaged_cache_file_is_ignored_and_replaced(cold_and_warm, tmp_path):
    good = _cache_file(cold_and_warm[2]).read_bytes()
    reference = cold_and_warm[0]["records"]
    damage = good[: len(good) // 2]  # cut short, as a full disk or a crash mid-write would leave it
    (tmp_path / _cache_file(cold_and_warm[2]).name).write_bytes(damage)
    result = _probe(str(tmp_path))
    assert result["records"] == reference and result["misses"] > 100
    assert _cache_file(tmp_path).read_bytes() != damage, "the damaged file was rewritten"


def test_opcodes_the_engine_refuses_are_compiled_afresh(cold_and_warm, tmp_path):
    import marshal

    engine, rows = marshal.loads(_cache_file(cold_and_warm[2]).read_bytes())
    # every entry's opcodes cut short: valid data, invalid programs for the regex engine
    broken = [(p, f, cf, code[: len(code) // 2], g, gi, ig) for p, f, cf, code, g, gi, ig in rows]
    (tmp_path / _cache_file(cold_and_warm[2]).name).write_bytes(marshal.dumps((engine, broken)))
    result = _probe(str(tmp_path), compare=True)
    assert result["records"] == cold_and_warm[0]["records"] and result["disagree"] == []


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path, cold_and_warm):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x")
    result = _probe(str(blocker / "cache"))
    assert result["records"] == cold_and_warm[0]["records"] and result["entries"] == 0
    off = _probe("off")
    assert off["records"] == cold_and_warm[0]["records"] and off["entries"] == 0 and off["misses"] > 100


def test_a_cache_written_by_another_interpreter_is_not_read(cold_and_warm, tmp_path):
    import marshal

    from parser import regex_cache

    engine, rows = marshal.loads(_cache_file(cold_and_warm[2]).read_bytes())
    assert len(regex_cache._read(_cache_file(cold_and_warm[2]))) == len(rows)
    other = tmp_path / "regex.marshal"
    other.write_bytes(marshal.dumps((engine.replace("|", "|another build|", 1), rows)))
    assert regex_cache._read(other) == {}


def test_a_full_cache_of_old_patterns_makes_room_for_the_parser_s_own(cold_and_warm, tmp_path):
    import marshal

    from parser import regex_cache

    engine, rows = marshal.loads(_cache_file(cold_and_warm[2]).read_bytes())
    flags, code, groups = rows[0][2], rows[0][3], rows[0][4]
    stale = [(f"an older parser's pattern {i}", 0, flags, code, groups, {}, ()) for i in range(regex_cache._MAX_ENTRIES)]
    (tmp_path / _cache_file(cold_and_warm[2]).name).write_bytes(marshal.dumps((engine, stale)))
    first = _probe(str(tmp_path))
    assert first["misses"] > 100 and first["records"] == cold_and_warm[0]["records"]
    second = _probe(str(tmp_path))
    assert second["misses"] == 0 and second["entries"] == regex_cache._MAX_ENTRIES
