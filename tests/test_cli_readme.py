"""Issue 14, item 14: every `xxgk` example of the README works on the demo home; the README's profile
count is `xxgk sites`'s; the demo's closing hint runs as printed; `tasks.py demo --home rel` is
relative to the current folder."""
from __future__ import annotations

import json
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from cli_homes import demo_home
from conftest import EXAMPLES, REPO, run_cli

README = REPO / "README.md"


def readme_examples() -> list[str]:
    """Every line of a fenced shell block of the README that runs xxgk, comments cut (a ```text block is a
    diagram or sample output, not a command)."""
    text = README.read_text(encoding="utf-8")
    lines = []
    for lang, block in re.findall(r"```([a-z]*)\n(.*?)```", text, re.S):
        if lang == "text":
            continue
        for line in block.splitlines():
            if line.strip().startswith("xxgk "):
                lines.append(line.strip())
    return lines


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    built = demo_home(tmp_path_factory)
    copy = tmp_path_factory.mktemp("readme") / "xxgk-data"  # the examples write: a copy of the demo home
    shutil.copytree(built, copy)
    return copy


def test_the_readme_has_examples_to_run():
    examples = readme_examples()
    assert len(examples) >= 15 and any(e.startswith("xxgk crawl ") for e in examples)


def test_every_readme_example_works_on_the_demo_home(home: Path, tmp_path: Path):
    from replica import ReplicaServer

    # the user's own files in the examples: a folder of reports, one report PDF (from the demo home)
    reports = tmp_path / "reports"
    shutil.copytree(EXAMPLES, reports)
    pdf = next(r for r in json.loads(run_cli("reports", "--json", "--home", str(home)).stdout)
               if r["media_type"] == "application/pdf")
    saved = Path(run_cli("open", str(pdf["id"]), "-o", str(tmp_path), "--home", str(home)).stdout.strip())
    shutil.copy(saved, tmp_path / "report.pdf")
    failures = []
    with ReplicaServer(seed=0, delays=0.2) as rep:
        resolve = [a for host, target in rep.info.resolve.items() for a in ("--resolve", f"{host}={target}")]
        for line in readme_examples():
            args = shlex.split(line, comments=True)[1:]
            if args[0] == "serve":  # runs until stopped: tests/test_web_server.py starts and drives it
                continue
            args = [str(reports) if a == "~/reports/" else str(tmp_path / "report.pdf") if a == "report.pdf"
                    else str(home) if a == "xxgk-data" else a for a in args]
            args = [str(tmp_path / a) if i and args[i - 1] in ("-o", "--warc", "--wacz", "--parquet") else a for i, a in enumerate(args)]  # outputs
            if args[0] == "crawl":  # the replica serves these sites under their real host names
                args += ["--delay", "0", *resolve]
            if "--home" not in args and args[0] != "parse":
                args += ["--home", str(home)]
            r = run_cli(*args)
            if r.returncode != 0 or "Traceback" in r.stderr:
                failures.append((line, r.returncode, r.stderr.strip()[-300:]))
    assert failures == []
    assert (tmp_path / "yuhang.xlsx").exists() and (tmp_path / "yuhang.png").exists()


def test_readme_profile_count_is_xxgk_sites():
    n = len(json.loads(run_cli("sites", "--json").stdout))
    counts = re.findall(r"\((\d+) real places", README.read_text(encoding="utf-8"))
    assert counts == [str(n)]


def test_the_demo_closing_hint_runs_as_printed(home: Path):
    out = (home / ".demo-output").read_text(encoding="utf-8")
    hint = out.split("Next, as printed:", 1)[1].strip().splitlines()
    assert len(hint) >= 3
    for line in hint:
        argv = shlex.split(line)
        assert Path(argv[0]).name == "xxgk" and (argv[0] == "xxgk" or Path(argv[0]).exists()), line
        argv[argv.index("--home") + 1] = str(home)  # the hint names the demo's own home: this test's copy
        import subprocess

        exe = shutil.which(argv[0]) or argv[0]
        if argv[1] == "serve":  # a server runs until stopped: it must start and say where
            from web_homes import started_server

            with started_server([exe, *argv[1:], "--port", "0"]) as url:
                assert url.startswith("http://127.0.0.1:"), line
            continue
        r = subprocess.run([exe, *argv[1:]], capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, (line, r.stderr)


def test_tasks_demo_home_is_relative_to_the_current_folder(tmp_path: Path, monkeypatch):
    sys.path.insert(0, str(REPO))
    try:
        import tasks
    finally:
        sys.path.remove(str(REPO))
    monkeypatch.chdir(tmp_path)
    assert tasks.demo_args(["--home", "rel"]) == ["--home", str(tmp_path / "rel")]
    assert tasks.demo_args(["--home=rel", "--seed", "2"]) == [f"--home={tmp_path / 'rel'}", "--seed", "2"]
    assert tasks.demo_args(["--seed", "1"]) == ["--seed", "1"]
    assert tasks.demo_args(["--home", "/abs/h"]) == ["--home", "/abs/h"]
