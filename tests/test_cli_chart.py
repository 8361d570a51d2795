"""Issue 14, item 11: charts say when there is nothing to draw (exit 1), give counts whole-number
ticks, and mark the 2018→2019 change in how the numbers are counted; items 13: a bad -o is one
line and creates nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.chart import TEMPLATE_CHANGE_LABEL, draw_chart
from archive.compare import Selection, build_comparison
from archive.home import Home
from conftest import run_cli
from fixtures.archive_builder import Built, build_archive


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build_archive(tmp_path_factory.mktemp("chart14") / "home")


def test_nothing_to_draw_says_so_and_exits_1(built: Built, tmp_path: Path):
    out = tmp_path / "x.png"
    r = run_cli("chart", "--region", "宁波", "--metrics", "review.total,litigation.total", "-o", str(out),
                "--home", str(built.home_path))
    assert r.returncode == 1 and r.stderr.startswith("error: nothing to draw") and not out.exists()
    assert len(r.stderr.strip().splitlines()) == 1


def test_integer_ticks_rates_as_percent_and_the_template_change(built: Built, tmp_path: Path):
    with Home.open(built.home_path, create=False) as h:
        cmp = build_comparison(h.catalog.conn, Selection(regions=("西湖",), year_from=2015, year_to=2023),
                               ["review.total", "disclosure_rate"])
        result = draw_chart(cmp, tmp_path / "xihu.png")
    counts, rates = result.figure.axes
    ticks = [t for t in counts.get_yticks() if counts.get_ylim()[0] <= t <= counts.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)  # review counts are small: no 0.5 steps
    result.figure.canvas.draw() if hasattr(result.figure, "canvas") else None
    assert any(label.get_text().endswith("%") for label in rates.get_yticklabels())
    for ax in (counts, rates):
        assert any(list(line.get_xdata()) == [2018.5, 2018.5] for line in ax.get_lines())
    assert TEMPLATE_CHANGE_LABEL in [t.get_text() for t in counts.texts]


def test_bad_output_path_is_one_line_and_creates_nothing(built: Built, tmp_path: Path):
    home = str(built.home_path)
    missing = tmp_path / "no" / "such"
    for args in (["chart", "--region", "余杭"], ["compare", "--region", "余杭"], ["compare", "--region", "余杭", "--xlsx"],
                 ["export"], ["check"]):
        suffix = ".png" if args[0] == "chart" else ".xlsx" if "--xlsx" in args else ".csv"
        flag = "--csv" if args[0] == "check" else "-o"
        r = run_cli(*args, flag, str(missing / f"out{suffix}"), "--home", home)
        assert r.returncode == 1, (args, r.stderr)
        assert r.stderr.startswith("error: cannot write") and "no such folder" in r.stderr, args
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, args
    assert not (tmp_path / "no").exists()
    folder = tmp_path / "dir"
    folder.mkdir()
    r = run_cli("compare", "--region", "余杭", "-o", str(folder), "--home", home)
    assert r.returncode == 1 and "it is a folder" in r.stderr
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())


def test_too_many_publishers_are_refused_from_the_first_reports_before_the_comparison(built: Built, tmp_path: Path,
                                                                                      monkeypatch):
    """A chart of a province was refused only after its whole comparison was built: the publishers
    are now counted in compare's order, no further than one past the limit (1 here)."""
    from typer.testing import CliRunner

    from archive.cli import app
    from archive.commands import compare as compare_commands
    from archive.compare.selection import count_publishers

    with Home.open(built.home_path, create=False) as h:
        everyone = count_publishers(h.catalog.conn, Selection(regions=("杭州",)), up_to=1000)
        assert everyone >= 2 and count_publishers(h.catalog.conn, Selection(regions=("杭州",)), up_to=1) == 2
        assert count_publishers(h.catalog.conn, Selection(regions=("余杭",)), up_to=1) == 1
    monkeypatch.setattr(compare_commands, "MAX_CHART_PUBLISHERS", 1)
    out = tmp_path / "x.png"
    r = CliRunner().invoke(app, ["chart", "--region", "杭州", "-o", str(out), "--home", str(built.home_path)])
    assert r.exit_code == 1 and "more than 1 publishers is too many lines for one chart" in str(r.exception)
    assert not out.exists()
    r = CliRunner().invoke(app, ["chart", "--region", "余杭", "-o", str(out), "--home", str(built.home_path)])
    assert r.exit_code == 0, r.output
    assert out.exists()
