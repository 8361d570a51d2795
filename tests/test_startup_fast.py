"""Start-up (issue 18): a plain `xxgk search` runs without Typer, Click, pydantic or rich.

``archive.cli.main`` parses a plain search command line with ``archive.options.parse_plain``
from the same parameter definitions Typer builds the command from; anything else (``--help``, a
mistake, a value to check) goes to Typer. These tests hold the two parsers to the same values, the
two paths to the same output, and the fast path to its few imports.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from archive import cli
from archive.commands.search_command import SEARCH_PARAMS
from archive.options import parse_plain, typer_command

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "tests" / "data" / "samples"
# none of these is needed to search a tantivy index and print tsv, csv or json
NOT_FOR_A_PLAIN_SEARCH = ("typer", "typer._click", "pydantic", "rich", "rich.console", "httpx", "bs4", "soupsieve",
                          "numpy", "scraper", "parser", "archive.compare", "archive.cli_app", "archive.places",
                          "whoosh", "index.schema", "index.whoosh_analysis", "index.whoosh_backend")

PLAIN = [
    ["政府信息公开"],
    ["依申请公开", "行政复议", "--format", "tsv"],
    ["--format=json", "土地", "--limit", "5", "--page=2"],
    ["土地", "--region", "浙江", "--region=杭州", "--exact", "--year", "2015-2020", "--agency", "教育局"],
    ["土地", "--years", "2017", "--era", "gb2021", "--section", "五、存在的主要问题", "--sort", "year"],
    ["--all-copies", "--json", "\"主动公开\"", "--home", "some/home"],
    ["土地", "--", "-拆迁", "--not-an-option"],
    ["土地", "-", "--limit", "1000"],
]
NOT_PLAIN = [
    [],  # no words: Click says the argument is missing
    ["--help"],
    ["土地", "--help"],
    ["土地", "--limit", "0"],  # out of range
    ["土地", "--limit", "1001"],
    ["土地", "--page", "x"],
    ["土地", "--page", "-1"],
    ["土地", "--region"],  # no value
    ["土地", "--frobnicate"],
    ["土地", "-x"],
    ["土地", "--json=yes"],
    ["土地", "--sort", "year", "--sort", "relevance"],  # given twice
    ["土地", "--home", ""],
]


def _typer_values(argv: list[str], env: dict[str, str]) -> dict:
    """The values Typer hands the search command for ``argv``."""
    got: dict = {}

    def search(**values):
        got.update(values)

    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    app.command("search")(typer_command(search, SEARCH_PARAMS))
    app.command("other")(lambda: None)  # a group, so that "search" is named as on the real command line
    result = CliRunner().invoke(app, ["search", *argv], env=env)
    assert result.exit_code == 0, result.output
    return got


@pytest.mark.parametrize("argv", PLAIN, ids=" ".join)
@pytest.mark.parametrize("env", [{}, {"XXGK_HOME": "from/env"}], ids=["no-env", "XXGK_HOME"])
def test_a_plain_search_line_parses_as_click_parses_it(argv: list[str], env: dict[str, str]):
    env = {"XXGK_HOME": "", **env}  # CliRunner adds to the environment: an empty value is no value
    plain = parse_plain(SEARCH_PARAMS, argv, env)
    assert plain is not None
    assert plain == _typer_values(argv, env)


@pytest.mark.parametrize("argv", NOT_PLAIN, ids=lambda a: " ".join(a) or "nothing")
def test_anything_else_is_left_to_click(argv: list[str]):
    assert parse_plain(SEARCH_PARAMS, argv, {}) is None


def test_typer_builds_the_command_from_the_same_definitions():
    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    app.command("search")(typer_command(lambda **v: None, SEARCH_PARAMS))
    command = typer.main.get_command(app)
    flags = {opt for p in command.params for opt in p.opts}
    assert flags == {f for p in SEARCH_PARAMS for f in p.flags} | {"query"}


@pytest.fixture(scope="module")
def tantivy_home(tmp_path_factory) -> Path:
    pytest.importorskip("tantivy")
    home = tmp_path_factory.mktemp("fast") / "home"
    for argv in (["import", str(SAMPLES), "--no-index"], ["index", "--backend", "tantivy"]):
        r = subprocess.run([sys.executable, "-m", "archive.cli", *argv, "--home", str(home)], capture_output=True,
                           text=True, cwd=REPO, timeout=600)
        assert r.returncode == 0, r.stderr
    return home


def _main_in_a_new_process(argv: list[str], modules: tuple[str, ...] = (), *, typer_only: bool = False,
                           lang: str = "en") -> tuple[int, str, str, list[str]]:
    """``archive.cli.main(argv)`` in a fresh interpreter (``typer_only``: with no command run without
    Typer): (exit code, stdout, stderr, which of ``modules`` it imported)."""
    code = ("import json, sys\nfrom archive import cli\n" + ("cli.PLAIN_COMMANDS.clear()\n" if typer_only else "") +
            "rc = cli.main(sys.argv[1:])\nsys.stdout.flush()\n"
            f"print(json.dumps([m for m in {list(modules)!r} if m in sys.modules]), file=sys.stderr)\nsys.exit(rc)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    env["XXGK_LANG"] = lang
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO, timeout=120,
                       env=env)
    *err, loaded = r.stderr.rstrip("\n").split("\n")
    return r.returncode, r.stdout, "\n".join(err), json.loads(loaded)


def test_a_plain_search_imports_neither_typer_nor_rich_nor_the_crawler(tantivy_home: Path):
    rc, out, err, loaded = _main_in_a_new_process(
        ["search", "政府信息公开", "--home", str(tantivy_home), "--format", "tsv"], NOT_FOR_A_PLAIN_SEARCH)
    assert rc == 0 and "政府信息公开" in out, err
    assert loaded == []


@pytest.mark.parametrize("argv", [
    ["政府信息公开", "--format", "tsv"],
    ["政府信息公开", "--format", "csv", "--limit", "3", "--page", "2"],
    ["依申请公开 行政复议", "--json"],
    ["政府信息公开", "--format", "table", "--region", "浙江"],
    ["政府信息公开", "--format", "tsv", "--region", "火星"],  # an unknown place: the error line
    ["政府信息公开", "--format", "tsv", "--page", "99"],  # past the end: the error line
    ["\"主动公开政府信息\"", "--format", "tsv", "--year", "2019-2023", "--all-copies"],
], ids=" ".join)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_fast_start_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str], lang: str):
    line = ["search", *argv, "--home", str(tantivy_home)]
    assert parse_plain(SEARCH_PARAMS, line[1:], {}) is not None  # the fast path runs it
    fast = _main_in_a_new_process(line, ("typer",), lang=lang)
    slow = _main_in_a_new_process(line, ("typer",), typer_only=True, lang=lang)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer"])


@pytest.mark.parametrize("argv", [
    ["--home", "{home}", "search", "政府信息公开", "--format", "tsv"],
    ["--home={home}", "--lang", "zh", "search", "政府信息公开", "--format", "tsv", "--region", "火星"],
    ["--lang=zh", "--home", "{home}", "reports", "--format", "tsv"],
    ["--home", "{home}", "status", "--json"],
    ["--home", "/no/such/home", "compare", "--region", "余杭", "--home", "{home}", "--format", "csv"],
], ids=" ".join)
def test_options_before_the_command_keep_it_off_typer_and_print_the_same(tantivy_home: Path, argv: list[str]):
    """``xxgk --home H search …`` (the options before the command) ran the whole command under Typer:
    the fast start is for that line too, and what it prints is what Typer prints. A command's own
    --home wins over the one before it, as under Typer."""
    line = [a.replace("{home}", str(tantivy_home)) for a in argv]
    fast = _main_in_a_new_process(line, ("typer",))
    slow = _main_in_a_new_process(line, ("typer",), typer_only=True)
    assert fast[:3] == slow[:3] and (fast[1] or fast[2])
    assert (fast[3], slow[3]) == ([], ["typer"])


@pytest.mark.parametrize("argv,plain", [
    (["--home", "h", "search", "x"], (({"XXGK_HOME": "h"}, ["search", "x"]))),
    (["--catalog=postgresql://u@db/x", "--blobs", "s3://b/p", "--index-url", "postgresql://u@db/i", "status"],
     ({"XXGK_CATALOG": "postgresql://u@db/x", "XXGK_BLOBS": "s3://b/p", "XXGK_INDEX_URL": "postgresql://u@db/i"},
      ["status"])),
    (["--lang", "zh", "status"], ({}, ["status"])),
    (["status", "--home", "h"], ({}, ["status", "--home", "h"])),
    (["--home"], None),          # no value: Typer says so
    (["--home="], None),
    (["--version"], None),       # not an option of this kind: Typer
    (["--verbose", "status"], None),
    (["-h"], None),
])
def test_the_options_before_the_command_are_read_as_typer_reads_them(argv, plain):
    from archive.cli import _root_options

    assert _root_options(argv) == plain


def _copies_home(tmp_path: Path) -> Path:
    """A home holding one report as two local files (the second with a line added): copies the crawler
    never linked, so each search has the duplicate rule decide which one stands behind."""
    src = tmp_path / "in"
    src.mkdir()
    text = (SAMPLES / "yuhang-2017.txt").read_text("utf-8")
    (src / "a.txt").write_text(text, "utf-8")
    (src / "b.txt").write_text(text + "\n（完）\n", "utf-8")
    home = tmp_path / "home"
    r = subprocess.run([sys.executable, "-m", "archive.cli", "import", str(src), "--no-index", "--home", str(home)],
                       capture_output=True, text=True, cwd=REPO, timeout=600)
    assert r.returncode == 0, r.stderr
    return home


def test_the_copies_behind_are_kept_until_what_they_follow_changes(tmp_path: Path):
    from archive.db import table_exists
    from archive.home import Home
    from archive import status
    from archive.status import copies_unlinked

    with Home.open(_copies_home(tmp_path)) as h:
        conn = h.catalog.conn
        behind = copies_unlinked(conn)
        assert len(behind) == 1  # one of the two copies stands behind the other
        # the publisher-years with copies read from publisher_years (planned either way) or from every report
        groups = [[tuple(r) for r in conn.execute(q).fetchall()] for q in (
            status._UNLINKED_GROUPS.format(materialized=""), status._UNLINKED_GROUPS.format(materialized="MATERIALIZED "),
            status._UNLINKED_GROUPS_SCAN)]
        assert groups[0] == groups[1] == groups[2] and len(groups[0]) == 1
        cache = tmp_path / "copies.json"
        assert copies_unlinked(conn, cache) == behind and cache.exists()
        kept = json.loads(cache.read_text("utf-8"))
        cache.write_text(json.dumps({**kept, "behind": [-1]}), "utf-8")
        assert copies_unlinked(conn, cache) == {-1}  # an unchanged catalog: the kept answer, not worked out
        # what the rule reads changed, though the file system's clock had not ticked: the stamp says so
        marker = status._catalog_stamp(conn).split("|")[0]
        some = conn.execute("SELECT MIN(id) FROM reports").fetchone()[0]
        conn.execute("INSERT INTO report_links(report_id, canonical_key, canonical_id, rule) VALUES (?, 'k', ?, 't')",
                     (some, some))
        assert status._catalog_stamp(conn).split("|")[0] != marker
        conn.execute("DELETE FROM report_links WHERE rule = 't'")
        conn.commit()
        kept = {**kept, "stamp": status._catalog_stamp(conn)}
        cache.write_text(json.dumps({**kept, "behind": [-1]}), "utf-8")
        assert copies_unlinked(conn, cache) == {-1}
        # not a byte of the catalog changed (its file and log the same): the answer kept, not even a digest read
        cache.write_text(json.dumps({**kept, "digest": "other", "behind": [-2]}), "utf-8")
        assert copies_unlinked(conn, cache) == {-2}
        # metrics is a view over metric_values from migration 8 on: the values are changed where they are kept
        values = "metric_values" if table_exists(conn, "metric_values") else "metrics"
        rid = conn.execute("SELECT report_id FROM metrics WHERE derived = 0 ORDER BY report_id, key").fetchone()[0]
        # a value changes, not what the rule weighs (how many numbers a copy holds, its provenance): the log
        # changed, so the digest is read, and it is the same
        cache.write_text(json.dumps({**kept, "behind": [-3]}), "utf-8")
        conn.execute(f"UPDATE {values} SET value = value + 1 WHERE report_id = ? AND derived = 0", (rid,))
        conn.commit()
        assert copies_unlinked(conn, cache) == {-3}
        assert json.loads(cache.read_text("utf-8"))["stamp"] != kept["stamp"]
        # a copy loses a number (what the rule weighs): worked out again, and kept anew
        conn.execute(f"DELETE FROM {values} WHERE report_id = ? AND derived = 0 AND ord = (SELECT MAX(ord) FROM "
                     f"{values} WHERE report_id = ? AND derived = 0)", (rid, rid))
        conn.commit()
        now = copies_unlinked(conn)  # the copy with more numbers is kept: which one may have changed
        assert len(now) == 1 and copies_unlinked(conn, cache) == now
        assert json.loads(cache.read_text("utf-8"))["digest"] != kept["digest"]
        cache.write_text("garbled", "utf-8")
        assert copies_unlinked(conn, cache) == now


def test_a_search_reads_a_postgresql_catalog_read_only(tmp_path: Path, pg_url: str):
    pytest.importorskip("tantivy")
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("XXGK_")}
    for argv in (["import", str(SAMPLES), "--no-index"], ["index", "--backend", "tantivy"]):
        r = subprocess.run([sys.executable, "-m", "archive.cli", *argv, "--home", str(home)], capture_output=True,
                           text=True, cwd=REPO, timeout=600, env={**env, "XXGK_CATALOG": pg_url})
        assert r.returncode == 0, r.stderr
    line = ["search", "政府信息公开", "--home", str(home), "--format", "tsv"]
    fast = _main_in_a_new_process(line, ("typer",))  # the home names its catalog (catalog.url)
    slow = _main_in_a_new_process(line, ("typer",), typer_only=True)
    assert fast[0] == 0 and "政府信息公开" in fast[1], fast[2]
    assert fast[:3] == slow[:3]


# what a plain search's start-up no longer pays for (issue 18, second pass): each is imported
# where it is used (a write, a sync, a settings file, a warning), not on the way to a search
LOADED_ONLY_WHERE_USED = ("logging", "traceback", "hashlib", "_hashlib", "tempfile", "shutil", "socket", "tomllib",
                          "ctypes", "archive.indexing", "archive.index_files", "archive.claims", "archive.report_ids",
                          "index.documents",
                          # third pass: no class on the way is a dataclass (index.value_class), so neither
                          # dataclasses nor the inspect it imports is loaded (~9 ms); zlib keys the facets
                          "dataclasses", "inspect", "zlib")


def test_a_plain_search_loads_no_module_it_does_not_use(tantivy_home: Path, tmp_path: Path):
    copies = _copies_home(tmp_path)  # copies the crawler never linked: the duplicate rule's digest is read
    r = subprocess.run([sys.executable, "-m", "archive.cli", "index", "--backend", "tantivy", "--home", str(copies)],
                       capture_output=True, text=True, cwd=REPO, timeout=600)
    assert r.returncode == 0, r.stderr
    line = ["search", "政府信息公开", "--home", str(copies), "--format", "tsv"]
    assert _main_in_a_new_process(line)[0] == 0  # the first search works the copies out and keeps them
    for home in (tantivy_home, copies):
        rc, out, err, loaded = _main_in_a_new_process(
            ["search", "政府信息公开", "--home", str(home), "--format", "tsv"], LOADED_ONLY_WHERE_USED)
        assert rc == 0 and "政府信息公开" in out, err
        assert loaded == []


def test_a_plain_search_makes_no_dataclass(tantivy_home: Path):
    """Every class of ours a plain search makes is an ``index.value_class`` (a dataclass compiles its
    methods at import, ~1.5 ms each): a class made by @dataclass has its fields as a dict."""
    code = ("import json, sys\nfrom archive import cli\nrc = cli.main(sys.argv[1:])\nsys.stdout.flush()\n"
            "made = sorted(f'{m}.{k}' for m, mod in list(sys.modules.items()) if m.split('.')[0] in ('archive', 'index')\n"
            "              for k, v in vars(mod).items()\n"
            "              if isinstance(v, type) and v.__module__ == m\n"
            "              and isinstance(vars(v).get('__dataclass_fields__'), dict))\n"
            "print(json.dumps(made), file=sys.stderr)\nsys.exit(rc)")
    r = subprocess.run([sys.executable, "-c", code, "search", "政府信息公开", "--home", str(tantivy_home), "--format",
                        "tsv"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stderr.rstrip("\n").split("\n")[-1]) == []


def test_a_plain_search_as_its_own_process_leaves_its_objects_to_reference_counting(tantivy_home: Path):
    """``main()`` reading the process's own command line (the console script): a plain search runs
    with the collector off and freezes what is left for the exit (same output); a Typer command gets
    the collector back (a crawl or a server runs for hours); ``main(argv)`` leaves it alone."""
    code = ("import gc, json, sys\nfrom archive import cli\nargv = json.loads(sys.argv.pop())\n"
            "rc = cli.main(None if argv[0] == 'own' else argv[1:])\nsys.stdout.flush()\n"
            "print(json.dumps([gc.isenabled(), gc.get_freeze_count() > 0]), file=sys.stderr)\nsys.exit(rc)")

    def run(line: list[str], own: bool) -> tuple[str, list[bool]]:
        r = subprocess.run([sys.executable, "-c", code, *line, json.dumps(["own" if own else "given", *line])],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
        assert r.returncode == 0, r.stderr
        return r.stdout, json.loads(r.stderr.rstrip("\n").split("\n")[-1])

    search = ["search", "政府信息公开", "--home", str(tantivy_home), "--format", "tsv"]
    out, gc_state = run(search, own=True)
    assert "政府信息公开" in out and gc_state == [False, True]
    assert run(search, own=False) == (out, [True, False])
    assert run(["export", "--shape", "wide", "--format", "json", "--home", str(tantivy_home)], own=True)[1] == [True, False]


def test_the_settings_table_names_every_setting_in_order():
    """ArchiveSettings is a value class: its help, variable and parser are kept in a table beside it."""
    from archive.settings import _META, SETTINGS_HELP, ArchiveSettings

    assert list(_META) == list(ArchiveSettings.__value_fields__) == list(SETTINGS_HELP)


def test_the_hand_written_character_checks_agree_with_the_patterns_they_replace():
    """is_unit and strip_non_word_edges spare a search two regex compiles (~5 ms): the same answers
    for every character, and for strings of the characters where they could differ."""
    import random
    import re

    from index.analysis import CJK_CLASS, UNIT_CHAR, is_unit, strip_non_word_edges

    unit = re.compile(UNIT_CHAR)
    assert [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF
            and is_unit(chr(c)) != bool(unit.fullmatch(chr(c)))] == []
    assert not is_unit("") and not is_unit("年年")
    edges = re.compile(f"^[^\\w{CJK_CLASS}]+|[^\\w{CJK_CLASS}]+$")
    alphabet = "a_1 年，。“”\"!\n\t-()《》⺀々〇\u3000é٣𠀀"
    rng = random.Random(18)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert strip_non_word_edges(text) == edges.sub("", text), repr(text)


def test_a_query_folds_as_a_report_does():
    """Short texts fold with the dict of pairs, long ones with the list by code point: the same fold."""
    from index import analysis

    pairs = "".join(line[0] for line in analysis._SCRIPT_FOLD_FILE.read_text("utf-8").splitlines())
    short = analysis.normalize_text(pairs[:analysis._LONG_TEXT - 1])
    long = analysis.normalize_text(pairs + "公開" * analysis._LONG_TEXT)
    assert long.startswith(short) and long.endswith("公开")
    assert analysis._SCRIPT_FOLD_PAIRS == {c: f for c, f in enumerate(analysis._SCRIPT_FOLD) if c != f}


def test_a_readable_snippet_is_the_same_by_the_short_way():
    """A snippet with one space between words and no word repeated within four is returned as it
    is: the same snippet the word-by-word collapse gives, for any text and spans."""
    import random

    from archive.searching import _collapsed, readable_snippet
    from index.results import Snippet

    rng = random.Random(18)
    words = ["行政复议", "公开", "0", "1", "申请", "件"]
    short = 0
    for _ in range(5000):
        text = "".join(rng.choice(words) + rng.choice([" ", " ", " ", "  ", "\n"]) for _ in range(rng.randint(0, 12)))
        text = text.strip() if rng.random() < 0.8 else text
        spans = tuple(sorted((a, a + rng.randint(0, 4)) for a in rng.sample(range(len(text) + 2), min(3, len(text)))))
        snippet = Snippet(text, spans)
        assert readable_snippet(snippet) == _collapsed(snippet, 4), snippet
        short += readable_snippet(snippet).text == text
    assert short > 100  # the short way was taken


def test_the_runs_of_units_are_the_same_by_hand_as_by_the_pattern():
    """A short text's runs of units are found by a loop (compiling the pattern costs ~1.5 ms a
    process): the same runs, terms and token stream as the pattern gives."""
    import random
    import re

    from index import analysis

    pattern = re.compile(analysis._UNIT_RUN)
    alphabet = "a_1 年，。“”\"!\n\t-()《》⺀々〇\u3000é٣𠀀Z9公开"
    rng = random.Random(18)
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert analysis.unit_runs(text) == [m.span() for m in pattern.finditer(text)], repr(text)
    long = "".join(rng.choice(alphabet) for _ in range(5000))
    assert len(long) > analysis._SHORT_TEXT
    assert analysis.unit_runs(long) == [m.span() for m in pattern.finditer(long)]
    pieces = [long[i:i + 200] for i in range(0, len(long), 200)]  # each short: the loop
    for piece in pieces:
        assert analysis.token_stream(piece) == analysis.token_stream(piece + " " * analysis._SHORT_TEXT)
        assert analysis.positional_terms(piece) == analysis.positional_terms(piece + " " * analysis._SHORT_TEXT)


@pytest.mark.parametrize("argv", [["reports", "--json"], ["reports", "--format", "table"], ["status"]],
                         ids=" ".join)
def test_listing_reports_loads_neither_the_crawler_nor_the_importer(tantivy_home: Path, argv: list[str]):
    """A report's provenance reads the site profiles' hosts and places only: no selector is compiled, no
    family module (bs4, soupsieve) or fetcher (httpx) loaded for it (0.5 s of a 1.1 s `xxgk reports`)."""
    rc, out, err, loaded = _main_in_a_new_process(
        [*argv, "--home", str(tantivy_home)],
        ("bs4", "soupsieve", "httpx", "scraper.fetcher", "scraper.discovery", "archive.ingest", "archive.parse_pool"))
    assert rc == 0 and out.strip(), err
    assert loaded == []


def test_profiles_read_for_provenance_give_the_scopes_the_checked_profiles_give():
    from archive.provenance import host_scopes
    from scraper.profiles import builtin_profiles

    light, full = builtin_profiles(full=False), builtin_profiles()
    assert light.keys() == full.keys() and len(full) > 20
    assert host_scopes(light.values()) == host_scopes(full.values())
    assert {n: (p.hosts, p.entries, p.region, p.agency, p.level) for n, p in light.items()} == \
        {n: (p.hosts, p.entries, p.region, p.agency, p.level) for n, p in full.items()}


REPORTS_PLAIN = [
    [],
    ["--json"],
    ["--region", "浙江", "--region=杭州", "--exact", "--year", "2015-2020", "--agency", "教育局", "--format", "csv"],
    ["--years=2017", "--era", "gb2021", "--limit", "3", "--all-copies", "--home", "some/home"],
    ["--limit", "0"],
]
REPORTS_NOT_PLAIN = [["--help"], ["word"], ["--limit", "x"], ["--limit"], ["--json=yes"], ["--frobnicate"],
                     ["--agency", "a", "--agency", "b"]]


COMPARE_PLAIN = [
    [],
    ["--region", "余杭", "--region=杭州,西湖", "--exact", "--years", "2015-2020", "--agency", "教育局", "--format", "csv"],
    ["--metrics", "headline,derived", "--metrics=复议", "--shape", "by-year", "--change", "--headers", "keys"],
    ["--era", "gb2021", "--format", "gb2019", "--format", "json", "--no-ocr", "--population", "pop.csv"],
    ["-o", "out.xlsx", "--xlsx", "--shape", "all", "--no-bom", "--home", "some/home", "--include-children"],
]
ERRORS_PLAIN = [[], ["--stage", "fetch", "--reason=too_large", "--not-reports", "--limit", "5", "--format", "tsv"],
                ["--json", "--home", "some/home"]]
CHECK_PLAIN = [[], ["--region", "余杭", "--years", "2019-2021", "--fail-on", "error", "--csv", "f.csv", "--no-bom", "--json"]]
CHECK_NOT_PLAIN = [["--help"], ["--fail-on"], ["--csv", "a", "--csv", "b"]]
METRICS_PLAIN = [[], ["--group", "table4", "--group=核心", "--era", "gb2021", "--find", "复议", "--format", "csv"], ["--json"]]
METRICS_NOT_PLAIN = [["--help"], ["word"], ["--era"], ["--find", "a", "--find", "b"]]
INDEX_PLAIN = [[], ["--rebuild", "--backend", "tantivy", "--json", "--home", "some/home"], ["--backend=whoosh"]]
INDEX_NOT_PLAIN = [["--help"], ["word"], ["--backend"], ["--rebuild=yes"], ["--backend", "a", "--backend", "b"]]
IMPORT_PLAIN = [["a.pdf"], ["reports/", "b.html", "--home", "some/home", "--workers", "2", "--no-index", "--json"],
                ["--max-file-size", "200MB", "c.docx", "--index", "--dask=local"], ["--", "-odd-name.txt"]]
PARSE_PLAIN = [["a.pdf"], ["b.html", "--json", "--url", "http://www.example.gov.cn/b.html"], ["--url=u", "--", "-c.txt"]]
PARSE_NOT_PLAIN = [[], ["--help"], ["a.pdf", "b.pdf"], ["a.pdf", "--url"], ["a.pdf", "--json=yes"], ["a.pdf", "--home", "h"]]
IMPORT_NOT_PLAIN = [[], ["--help"], ["a.pdf", "--workers", "0"], ["a.pdf", "--workers"], ["a.pdf", "--index=yes"],
                    ["a.pdf", "--index", "--no-index"], ["a.pdf", "-x"]]
ERRORS_NOT_PLAIN = [["--help"], ["word"], ["--limit", "-1"], ["--stage"], ["--json=no"]]
COMPARE_NOT_PLAIN = [["--help"], ["word"], ["--change=yes"], ["--agency", "a", "--agency", "b"], ["-x"], ["--metrics"],
                     ["--headers", "keys", "--headers", "zh"]]


def _typer_values_of(name: str, params, argv: list[str], env: dict[str, str]) -> dict:
    got: dict = {}

    def run(**values):
        got.update(values)

    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    app.command(name)(typer_command(run, params))
    app.command("other")(lambda: None)
    result = CliRunner().invoke(app, [name, *argv], env=env)
    assert result.exit_code == 0, result.output
    return got


def _params_of(command: str):
    from archive.cli import PLAIN_COMMANDS

    module, params, _ = PLAIN_COMMANDS[command]
    return getattr(importlib.import_module(module), params)


@pytest.mark.parametrize("command,argv", [("reports", a) for a in REPORTS_PLAIN] + [("compare", a) for a in COMPARE_PLAIN] +
                         [("errors", a) for a in ERRORS_PLAIN] + [("check", a) for a in CHECK_PLAIN] +
                         [("metrics", a) for a in METRICS_PLAIN] + [("index", a) for a in INDEX_PLAIN] +
                         [("import", a) for a in IMPORT_PLAIN] + [("parse", a) for a in PARSE_PLAIN],
                         ids=lambda a: " ".join(a) or "nothing" if isinstance(a, list) else a)
@pytest.mark.parametrize("env", [{}, {"XXGK_HOME": "from/env"}], ids=["no-env", "XXGK_HOME"])
def test_a_plain_line_parses_as_click_parses_it(command: str, argv: list[str], env: dict[str, str]):
    params = _params_of(command)
    env = {"XXGK_HOME": "", **env}
    plain = parse_plain(params, argv, env)
    assert plain is not None
    assert plain == _typer_values_of(command, params, argv, env)


@pytest.mark.parametrize("command,argv", [("reports", a) for a in REPORTS_NOT_PLAIN] +
                         [("compare", a) for a in COMPARE_NOT_PLAIN] + [("errors", a) for a in ERRORS_NOT_PLAIN] +
                         [("check", a) for a in CHECK_NOT_PLAIN] + [("metrics", a) for a in METRICS_NOT_PLAIN] +
                         [("index", a) for a in INDEX_NOT_PLAIN] + [("import", a) for a in IMPORT_NOT_PLAIN] +
                         [("parse", a) for a in PARSE_NOT_PLAIN],
                         ids=lambda a: " ".join(a) if isinstance(a, list) else a)
def test_a_line_click_must_check_is_left_to_click(command: str, argv: list[str]):
    assert parse_plain(_params_of(command), argv, {}) is None


@pytest.mark.parametrize("argv", [["--format", "tsv"], ["--json", "--region", "浙江"], ["--format", "table", "--limit", "2"],
                                  ["--format", "csv", "--year", "1990"], ["--region", "火星", "--json"]], ids=" ".join)
def test_a_plain_reports_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str]):
    line = ["reports", *argv, "--home", str(tantivy_home)]
    fast = _main_in_a_new_process(line, ("typer", "pydantic"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer", "pydantic"])
    if "火星" not in argv:
        assert fast[0] == 0 and fast[1].strip(), fast[2]


@pytest.mark.parametrize("name,argv,plain", [
    ("show", ["12"], True), ("show", ["12", "--evidence", "--json", "--home", "h"], True), ("cat", ["7"], True),
    ("show", [], False), ("show", ["x"], False), ("show", ["12", "13"], False), ("show", ["-5"], False),
    ("show", ["12", "--help"], False), ("cat", ["7", "--json"], False),
])
def test_a_plain_show_or_cat_line_parses_as_click_parses_it(name: str, argv: list[str], plain: bool):
    from archive.commands.show import CAT_PARAMS, SHOW_PARAMS

    params = SHOW_PARAMS if name == "show" else CAT_PARAMS
    values = parse_plain(params, argv, {})
    if not plain:
        assert values is None
    else:
        assert values == _typer_values_of(name, params, argv, {"XXGK_HOME": ""})


@pytest.mark.parametrize("argv", [["show", "{id}"], ["show", "{id}", "--evidence"], ["show", "{id}", "--json"],
                                  ["cat", "{id}"], ["show", "999999999"], ["cat", "999999999"]], ids=" ".join)
def test_a_plain_show_or_cat_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str]):
    import sqlite3

    with sqlite3.connect(tantivy_home / "catalog.sqlite") as conn:
        report_id = conn.execute("SELECT MIN(id) FROM reports WHERE year IS NOT NULL").fetchone()[0]
    line = [a.format(id=report_id) for a in argv] + ["--home", str(tantivy_home)]
    fast = _main_in_a_new_process(line, ("typer", "pydantic"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer", "pydantic"])
    assert (fast[0], bool(fast[1].strip())) == ((1, False) if "999999999" in argv else (0, True)), fast[2]


@pytest.mark.parametrize("argv", [[], ["--json"], ["--orphans"], ["--orphans", "--json"]], ids=lambda a: " ".join(a) or "plain")
def test_a_plain_status_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str]):
    from archive.commands.status_command import STATUS_PARAMS

    assert parse_plain(STATUS_PARAMS, argv, {}) == _typer_values_of("status", STATUS_PARAMS, argv, {"XXGK_HOME": ""})
    assert parse_plain(STATUS_PARAMS, [*argv, "--help"], {}) is None
    line = ["status", *argv, "--home", str(tantivy_home)]
    fast = _main_in_a_new_process(line, ("typer", "pydantic"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer", "pydantic"])
    assert fast[0] == 0 and "reports" in fast[1], fast[2]



@pytest.mark.parametrize("argv,ok", [
    (["--format", "csv"], True), (["--region", "余杭", "--shape", "by-year", "--change", "--format", "json"], True),
    (["--metrics", "all", "--shape", "long", "--headers", "both", "--format", "tsv"], True),
    (["--region", "火星"], False), (["--change", "--format", "csv"], False),
], ids=lambda a: " ".join(a) if isinstance(a, list) else None)
def test_a_plain_compare_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str], ok: bool):
    """`xxgk compare` runs a plain line without Typer, Click or pydantic (two thirds of a one-district
    comparison's time): the same rows, messages and exit code as the Typer command."""
    line = ["compare", *argv, "--home", str(tantivy_home)]
    fast = _main_in_a_new_process(line, ("typer", "pydantic"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer", "pydantic"])
    if ok:
        assert fast[0] == 0 and fast[1].strip(), fast[2]
    else:  # a user's mistake: one line, exit 1, as from Typer
        assert fast[0] == 1 and len(fast[2].strip().splitlines()) == 1, fast[2]


def test_a_plain_compare_writes_the_file_the_typer_command_writes(tantivy_home: Path, tmp_path: Path):
    files = {}
    for name, typer_only in (("fast", False), ("slow", True)):
        out = tmp_path / f"{name}.csv"
        rc, _, err, _ = _main_in_a_new_process(["compare", "--shape", "by-year", "-o", str(out), "--home",
                                                str(tantivy_home)], typer_only=typer_only)
        assert rc == 0, err
        files[name] = out.read_bytes()
    assert files["fast"].startswith("\ufeff".encode()) and files["fast"] == files["slow"]


@pytest.mark.parametrize("argv", [["--json"], ["--format", "table", "--limit", "1", "--not-reports"],
                                  ["--stage", "parse", "--reason", "not_a_report", "--format", "csv", "--not-reports"]],
                         ids=" ".join)
def test_a_plain_errors_prints_what_the_typer_command_prints(tantivy_home: Path, argv: list[str]):
    """The samples' home keeps one parse/not_a_report (its README): listed with --not-reports only."""
    line = ["errors", *argv, "--home", str(tantivy_home)]
    fast = _main_in_a_new_process(line, ("typer", "pydantic", "rich"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[0] == 0 and fast[:3] == slow[:3], fast[2]
    assert ("not_a_report" in fast[1]) == ("--not-reports" in argv)
    assert slow[3] == ["typer", "pydantic"] and fast[3] == (["rich"] if "table" in argv else [])


@pytest.mark.parametrize("argv,code", [(["--json"], 0), (["--format", "table"], 0),
                                       (["--fail-on", "warning", "--format", "csv"], None), (["--fail-on", "fatal"], 1)],
                         ids=lambda a: str(a))
def test_a_plain_check_prints_and_exits_as_the_typer_command(tantivy_home: Path, tmp_path: Path, argv: list[str],
                                                             code: int | None):
    outs = {}
    for name, typer_only in (("fast", False), ("slow", True)):
        csv_file = tmp_path / f"{name}.csv"
        line = ["check", *argv, "--csv", str(csv_file), "--home", str(tantivy_home)] if "--json" in argv else \
            ["check", *argv, "--home", str(tantivy_home)]
        outs[name] = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=typer_only)
        if csv_file.exists():
            outs[name + ".csv"] = csv_file.read_bytes()
    fast, slow = outs["fast"], outs["slow"]
    assert fast[:3] == slow[:3] and fast[3] == [] and slow[3] == ["typer", "pydantic"]
    assert outs.get("fast.csv") == outs.get("slow.csv") and ("fast.csv" in outs) == ("--json" in argv)
    if code is not None:
        assert fast[0] == code, fast[2]


@pytest.mark.parametrize("argv", [["--find", "复议", "--json"], ["--group", "table4,表二", "--era", "legacy", "--format", "table"],
                                  ["--group", "nope"]],
                         ids=" ".join)
def test_a_plain_metrics_prints_what_the_typer_command_prints(argv: list[str]):
    fast = _main_in_a_new_process(["metrics", *argv], ("typer", "pydantic"))
    slow = _main_in_a_new_process(["metrics", *argv], ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3] and fast[3] == [] and slow[3] == ["typer", "pydantic"]
    assert (fast[0] == 0 and fast[1].strip()) or (fast[0] == 1 and "unknown" in fast[2]), fast[2]


@pytest.mark.parametrize("argv", [[], ["--json"], ["--rebuild"], ["--rebuild", "--backend", "whoosh", "--json"],
                                  ["--backend", "nope"]], ids=lambda a: " ".join(a) or "nothing to do")
def test_a_plain_index_does_and_prints_what_the_typer_command_does(tantivy_home: Path, tmp_path: Path, argv: list[str]):
    """`xxgk index` with nothing to do (import and crawl index as they go) ran 0.43 s, most of it Typer's
    start-up: a plain line runs without it, and rich is loaded only to print a table or a progress bar."""
    import re
    import shutil

    outs = {}
    for name, typer_only in (("fast", False), ("slow", True)):
        home = tmp_path / name
        shutil.copytree(tantivy_home, home)
        rc, out, err, loaded = _main_in_a_new_process(["index", *argv, "--home", str(home)], ("typer", "pydantic", "rich"),
                                                      typer_only=typer_only)
        found = _main_in_a_new_process(["search", "政府信息公开", "--format", "tsv", "--home", str(home)])
        outs[name] = (rc, re.sub(r'(?m)(?<="seconds": )[0-9.]+|[0-9.]+ s$', "<t>", out), err, loaded, found[:2], out)
    fast, slow = outs["fast"], outs["slow"]
    assert fast[:3] == slow[:3] and fast[4] == slow[4]
    assert slow[3][:2] == ["typer", "pydantic"] and fast[3] == ([] if "--json" in argv else ["rich"])
    if "nope" in argv:
        assert fast[0] == 1 and "unknown backend 'nope'" in fast[2]
        return
    assert fast[0] == 0 and fast[4][0] == 0 and "政府信息公开" in fast[4][1], fast[2]
    done = json.loads(fast[5]) if "--json" in argv else None
    if "--rebuild" in argv:
        assert (done["upserted"] > 0 and done["backend"] == "whoosh") if done else "index rebuilt (tantivy)" in fast[1]
    else:
        assert done["upserted"] == 0 if done else "0 indexed, 0 removed" in fast[1]


@pytest.mark.parametrize("argv", [["-o", "{dir}"], ["--output={dir}/named.pdf"], ["999999999", "-o", "{dir}"]],
                         ids=["a folder", "a file name", "no such report"])
def test_a_plain_open_saves_what_the_typer_command_saves(tantivy_home: Path, tmp_path: Path, argv: list[str]):
    import sqlite3

    with sqlite3.connect(tantivy_home / "catalog.sqlite") as conn:
        report_id = conn.execute("SELECT MIN(id) FROM reports WHERE year IS NOT NULL").fetchone()[0]
    saved = {}
    for name, typer_only in (("fast", False), ("slow", True)):
        folder = tmp_path / name
        folder.mkdir()
        line = ["open", *([str(report_id)] if "999999999" not in argv else []), *[a.format(dir=folder) for a in argv],
                "--home", str(tantivy_home)]
        assert parse_plain(_params_of("open"), line[1:], {}) is not None
        rc, out, err, loaded = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=typer_only)
        saved[name] = (rc, out.replace(str(folder), "<dir>"), err, sorted((p.name, p.read_bytes()) for p in folder.iterdir()))
        assert loaded == ([] if name == "fast" else ["typer", "pydantic"])
    assert saved["fast"] == saved["slow"]
    rc, out, err, files = saved["fast"]
    assert (rc, len(files)) == ((1, 0) if "999999999" in argv else (0, 1)), err


@pytest.mark.parametrize("extra", [[], ["--json", "--no-index"]], ids=["summary", "json"])
def test_a_plain_import_prints_what_the_typer_command_prints_without_loading_typer(tmp_path: Path, extra: list[str]):
    """A script importing each file it downloads calls `xxgk import` once a file: the plain line
    runs without Typer, Click or pydantic, into its own home the same as the Typer command into
    another, twice (the second time the file is already archived)."""
    report = tmp_path / "r.txt"
    report.write_text((REPO / "tests" / "data" / "real" / sorted(
        p.name for p in (REPO / "tests" / "data" / "real").iterdir() if p.suffix == ".txt")[0]).read_text(encoding="utf-8"),
        encoding="utf-8")
    for _ in range(2):
        fast = _main_in_a_new_process(["import", str(report), "--home", str(tmp_path / "fast"), *extra],
                                      ("typer", "pydantic"))
        slow = _main_in_a_new_process(["import", str(report), "--home", str(tmp_path / "slow"), *extra],
                                      ("typer", "pydantic"), typer_only=True)
        assert fast[0] == slow[0]
        same = [part.replace(str(tmp_path / "fast"), "H") for part in fast[1:3]]
        assert same == [part.replace(str(tmp_path / "slow"), "H") for part in slow[1:3]]
        assert (fast[3], slow[3]) == ([], ["typer", "pydantic"]) and fast[0] == 0, fast[2]
    assert "1 already archived" in fast[1] or '"already_archived": 1' in fast[1]


@pytest.mark.parametrize("argv", [["r.txt", "--json"], ["r.txt"], ["missing.txt"], ["notes.txt"]],
                         ids=["json", "table", "no such file", "not a report"])
def test_a_plain_parse_prints_and_exits_as_the_typer_command_without_loading_typer(tmp_path: Path, argv: list[str]):
    """A script parsing files one call each: the plain line runs without Typer, Click or pydantic and
    prints the same record (or the same one-line error and exit code 2) as the Typer command."""
    real = REPO / "tests" / "data" / "real"
    (tmp_path / "r.txt").write_text((real / "anhui-2011.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("会议纪要\n今天天气晴。\n", encoding="utf-8")
    line = ["parse", str(tmp_path / argv[0]), *argv[1:]]
    fast = _main_in_a_new_process(line, ("typer", "pydantic"))
    slow = _main_in_a_new_process(line, ("typer", "pydantic"), typer_only=True)
    assert fast[:3] == slow[:3]
    assert (fast[3], slow[3]) == ([], ["typer", "pydantic"])
    rc, out, err = fast[:3]
    if argv[0] == "r.txt":
        assert rc == 0 and "2011" in out and err == ""
    else:
        assert rc == 2 and out == "" and err.startswith("error: ") and len(err.splitlines()) == 1
