"""`xxgk chart`: metrics over years for one or more publishers, as PNG and/or SVG.

Takes a ``Comparison`` (its kept reports and metrics) and an output path; draws one panel per
metric, one line per publisher, a gap (never 0) where a year has no value, and returns the files
written. ``out.png`` writes PNG, ``out.svg`` SVG, a path without suffix both.

Chinese labels need a CJK font. ``find_cjk_font`` looks, in order, for the Noto Sans CJK SC font
shipped by the ``mplfonts`` package (a dependency, so `pip install` brings it), then for a system
font found with ``fc-list :lang=zh`` (Debian: ``apt-get install fonts-noto-cjk``). The font is
registered with matplotlib's font manager at chart time; no global matplotlib state is changed
(the figure is drawn with the Agg canvas inside an ``rc_context``).
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import math
import shutil
import subprocess
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from .compare.comparison import Comparison
from .compare.metric_keys import label_for, unit_for
from .compare.selection import last_level
from .errors import InputError

__all__ = ["ChartResult", "draw_chart", "find_cjk_font", "register_cjk_font", "chart_paths", "CJK_APT_PACKAGE"]

log = logging.getLogger(__name__)

CJK_APT_PACKAGE = "fonts-noto-cjk"
_PACKAGED_FONTS = (("mplfonts", "fonts/NotoSansCJKsc-Regular.otf"),)
_SYSTEM_PREFERENCE = ("NotoSansCJK", "Noto Sans CJK", "SourceHanSans", "Source Han Sans", "wqy", "WenQuanYi")
FIG_WIDTH_IN = 10.0
PANEL_HEIGHT_IN = 3.2
DPI = 100
SUFFIXES = (".png", ".svg")


@dataclass
class ChartResult:
    files: list[Path]
    font: str | None  # the CJK font family used; None when none was found (labels may show boxes)
    series: int


def _packaged_font() -> Path | None:
    for package, rel in _PACKAGED_FONTS:
        spec = importlib.util.find_spec(package)  # locate without importing the package
        for root in (spec.submodule_search_locations or []) if spec else []:
            if (Path(root) / rel).is_file():
                return Path(root) / rel
    return None


def _system_font() -> Path | None:
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    paths = [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]
    paths.sort(key=lambda p: next((i for i, n in enumerate(_SYSTEM_PREFERENCE) if n.lower() in p.name.lower()),
                                  len(_SYSTEM_PREFERENCE)))
    return next((p for p in paths if p.is_file()), None)


def find_cjk_font() -> Path | None:
    return _packaged_font() or _system_font()


@functools.cache
def register_cjk_font() -> str | None:
    """Add the CJK font to matplotlib's font manager (once); return its family name (None when there is none)."""
    from matplotlib import font_manager

    path = find_cjk_font()
    if path is None:
        log.warning("no CJK font found: Chinese labels will show as boxes (pip install mplfonts, or apt-get "
                    "install %s)", CJK_APT_PACKAGE)
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def chart_paths(out: Path) -> list[Path]:
    if out.suffix == "":
        return [out.with_suffix(s) for s in SUFFIXES]
    if out.suffix.lower() not in SUFFIXES:
        raise InputError(f"cannot draw {out.name}: use a .png or .svg name, or no suffix for both")
    return [out]


def _publisher_label(region: str, agency: str, short: bool) -> str:
    place = last_level(region) if short else region
    return f"{place} {agency}".strip() or "?"


def draw_chart(cmp: Comparison, out: Path, *, title: str | None = None) -> ChartResult:
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    paths = chart_paths(out)
    years = cmp.years()
    series: dict[tuple[str, str], dict[int, dict[str, float]]] = {}
    for publisher, group in groupby(cmp.values(), key=lambda rv: rv.report.publisher):
        series[publisher] = {rv.report.year: rv.values for rv in group if rv.report.year is not None}
    if not years or not series:
        raise InputError("nothing to draw: no report matches the selection")
    short = len({last_level(r) for r, _ in series}) == len({r for r, _ in series})
    family = register_cjk_font()
    rc = {"axes.unicode_minus": False, "font.family": "sans-serif",
          "font.sans-serif": ([family] if family else []) + ["DejaVu Sans"], "svg.fonttype": "path"}
    with rc_context(rc):
        fig = Figure(figsize=(FIG_WIDTH_IN, max(4.5, PANEL_HEIGHT_IN * len(cmp.metrics))), dpi=DPI,
                     layout="constrained")
        axes = fig.subplots(len(cmp.metrics), 1, squeeze=False, sharex=True)[:, 0]
        for ax, key in zip(axes, cmp.metrics):
            for (region, agency), by_year in series.items():
                ys = [by_year.get(y, {}).get(key) for y in years]
                ax.plot(years, [math.nan if v is None else v for v in ys], marker="o",
                        label=_publisher_label(region, agency, short))
            ax.set_title(f"{label_for(key)}（{key}，{unit_for(key)}）", loc="left", fontsize=11)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=9, loc="best")
        axes[-1].set_xticks(years, [f"{y}年" for y in years])
        axes[-1].set_xlabel("报告年度")
        if title:
            fig.suptitle(title)
        for p in paths:
            p.parent.mkdir(parents=True, exist_ok=True)
            try:
                fig.savefig(p, format=p.suffix[1:].lower())
            except OSError as e:
                raise InputError(f"cannot write {p}: {e.strerror or e}") from e
    return ChartResult(paths, family, len(series) * len(cmp.metrics))
