"""`xxgk chart` over a real archive: PNG and SVG files, Chinese labels drawn with a real CJK font (no tofu)."""
from __future__ import annotations

import struct
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.chart import DPI, FIG_WIDTH_IN, PANEL_HEIGHT_IN, chart_paths, find_cjk_font, register_cjk_font
from archive.cli import app
from archive.errors import InputError
from fixtures.archive_builder import Built, build_archive


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    return build_archive(tmp_path_factory.mktemp("chart") / "home")


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _missing_glyph_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_chart_png_and_svg_with_chinese_labels_and_no_missing_glyphs(built: Built, tmp_path: Path):
    out = tmp_path / "yuhang"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = CliRunner().invoke(app, ["chart", "--home", str(built.home_path), "--region", "余杭", "--region", "西湖",
                                     "--metrics", "applications.new.total,denial_rate", "--years", "2015-2023",
                                     "--title", "余杭区与西湖区", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert _missing_glyph_warnings(caught) == []
    png, svg = out.with_suffix(".png"), out.with_suffix(".svg")
    assert png_size(png) == (int(FIG_WIDTH_IN * DPI), int(2 * PANEL_HEIGHT_IN * DPI))  # two panels
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<path" in text and "font Noto Sans CJK SC" in r.stderr


def test_the_glyph_check_catches_tofu_without_the_cjk_font(tmp_path: Path):
    """The control for the test above: DejaVu Sans alone has no Chinese, and matplotlib says so."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with warnings.catch_warnings(record=True) as caught, rc_context({"font.family": "sans-serif",
                                                                     "font.sans-serif": ["DejaVu Sans"]}):
        warnings.simplefilter("always")
        fig = Figure(figsize=(3, 2))
        fig.subplots().set_title("新收申请")
        fig.savefig(tmp_path / "tofu.png")
    assert _missing_glyph_warnings(caught)


def test_cjk_font_is_found_and_registered():
    path = find_cjk_font()
    assert path is not None and path.is_file() and "CJK" in path.name
    assert register_cjk_font() == "Noto Sans CJK SC"


def test_output_names_and_mistakes(built: Built, tmp_path: Path):
    assert chart_paths(tmp_path / "a.svg") == [tmp_path / "a.svg"]
    assert chart_paths(tmp_path / "a") == [tmp_path / "a.png", tmp_path / "a.svg"]
    with pytest.raises(InputError, match=".png or .svg"):
        chart_paths(tmp_path / "a.jpg")
    runner = CliRunner()
    r = runner.invoke(app, ["chart", "--home", str(built.home_path), "-o", str(tmp_path / "x.png")])
    assert isinstance(r.exception, InputError) and "--region" in str(r.exception)
    r = runner.invoke(app, ["chart", "--home", str(built.home_path), "--region", "余杭", "--years", "2030",
                            "-o", str(tmp_path / "x.png")])
    assert isinstance(r.exception, InputError) and "nothing to draw" in str(r.exception)
    out = tmp_path / "one.png"
    r = runner.invoke(app, ["chart", "--home", str(built.home_path), "--region", "宁波", "-o", str(out)])
    assert r.exit_code == 0 and out.exists() and not out.with_suffix(".svg").exists()
    # issue 14: a panel only for the headline metrics 宁波 states (new, granted, denied), never an empty one
    assert png_size(out) == (int(FIG_WIDTH_IN * DPI), int(3 * PANEL_HEIGHT_IN * DPI))
