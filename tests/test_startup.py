"""Start-up (issue 18): a command's module is imported only when that command runs.

``xxgk --help`` lists every command from ``archive.cli.COMMANDS`` without importing one, in
every language exactly as the commands' own help would list them; ``xxgk search`` loads neither
the crawler (httpx, bs4) nor the importer, compare or the other commands.
"""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from archive import cli
from archive.i18n import set_lang, translate_command

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "tests" / "data" / "samples"
# what the crawler, the importer and the other commands bring; none is needed to search
NOT_FOR_SEARCH = ("bs4", "httpx", "soupsieve", "scraper.fetcher", "archive.ingest", "archive.commands.crawl",
                  "archive.commands.compare", "archive.commands.demo", "archive.commands.archive_cmds",
                  "rich.progress", "numpy")
# the index package itself is light (its names load on first use; archive.options takes index.value_class)
NOT_FOR_HELP = NOT_FOR_SEARCH + ("archive.commands.search", "index.search", "index.query", "archive.home")


def _loaded_after(argv: list[str], modules: tuple[str, ...]) -> tuple[int, list[str], str]:
    """Run ``xxgk argv`` in a fresh interpreter; (exit code, which of ``modules`` got imported, stdout)."""
    code = ("import json, sys\nfrom archive.cli import main\nrc = main(sys.argv[1:])\n"
            f"print(json.dumps([rc, [m for m in {list(modules)!r} if m in sys.modules]]))")
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO, timeout=120)
    rc, loaded = json.loads(r.stdout.strip().splitlines()[-1])
    return rc, loaded, r.stdout


def _own_help(name: str):
    """The command as its own module registers it, every command loaded the eager way."""
    sub = typer.Typer(rich_markup_mode=None)
    importlib.import_module(cli.COMMANDS[name].module).register(sub)
    return typer.main.get_group(sub).commands[name]


@pytest.mark.parametrize("name", sorted(cli.COMMANDS))
def test_the_table_says_what_each_command_says(name: str):
    cmd = _own_help(name)
    first_paragraph = " ".join((cmd.help or "").split("\n\n")[0].split())
    assert cli.COMMANDS[name].help == first_paragraph, f"update archive.cli.COMMANDS[{name!r}]"


def test_every_command_of_a_lazy_module_is_in_the_table():
    for module in {c.module for c in cli.COMMANDS.values()}:
        sub = typer.Typer(rich_markup_mode=None)
        importlib.import_module(module).register(sub)
        registered = set(typer.main.get_group(sub).commands)
        assert registered == {n for n, c in cli.COMMANDS.items() if c.module == module}, module


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_lists_lazily_what_the_loaded_commands_would_say(lang: str):
    def render(load_all: bool) -> str:
        group = typer.main.get_command(cli.app)
        translate_command(group)
        ctx = group.make_context("xxgk", ["--help"], resilient_parsing=True)
        if load_all:
            for name in group.list_commands(ctx):
                group.get_command(ctx, name)
        return group.get_help(ctx)

    set_lang(lang)
    try:
        lazy, loaded = render(False), render(True)
    finally:
        set_lang("en")
    assert lazy == loaded
    assert all(name in lazy for name in cli.COMMANDS)


def test_help_imports_no_command():
    rc, loaded, out = _loaded_after(["--help"], NOT_FOR_HELP)
    assert rc == 0 and "search" in out and "import" in out
    assert loaded == []


def test_a_mistyped_command_is_matched_against_every_command():
    r = subprocess.run([sys.executable, "-m", "archive.cli", "serch"], capture_output=True, text=True, cwd=REPO,
                       timeout=120)
    assert r.returncode == 2 and "Did you mean 'search'" in r.stderr


@pytest.fixture(scope="module")
def tantivy_home(tmp_path_factory) -> Path:
    pytest.importorskip("tantivy")
    home = tmp_path_factory.mktemp("startup") / "home"
    for argv in (["import", str(SAMPLES), "--no-index"], ["index", "--backend", "tantivy"]):
        rc, _, out = _loaded_after([*argv, "--home", str(home)], ())
        assert rc == 0, out
    return home


def test_search_loads_neither_the_crawler_nor_other_commands(tantivy_home: Path):
    rc, loaded, out = _loaded_after(["search", "政府信息公开", "--home", str(tantivy_home), "--format", "tsv"],
                                    NOT_FOR_SEARCH)
    assert rc == 0 and "政府信息公开" in out
    assert loaded == []


def test_the_shipped_script_fold_is_what_opencc_gives(tmp_path: Path):
    """index/script_fold.txt spares every process ~100 ms of OpenCC; it must fold as OpenCC does
    (after an OpenCC upgrade: ``python -c 'from index.analysis import write_script_fold; write_script_fold()'``)."""
    from index.analysis import _SCRIPT_FOLD_FILE, write_script_fold

    fresh = tmp_path / "fold.txt"
    write_script_fold(fresh)
    assert _SCRIPT_FOLD_FILE.read_text("utf-8") == fresh.read_text("utf-8")
    assert len(fresh.read_text("utf-8").splitlines()) > 3000

