"""`xxgk chart`: metrics over years for one or more publishers, as PNG and/or SVG.

Takes a ``Comparison`` (its kept reports and metrics) and an output path; draws one panel per
metric that some selected report states (nothing at all to draw is an error), one line per
publisher, a gap (never 0) where a year has no value; counts get whole-number ticks, rates read as
percentages, and a dashed line marks 2018→2019, when the national template changed how the
numbers are counted. Returns the files written. ``out.png`` writes PNG, ``out.svg`` SVG, a path
without suffix both; a bad path is refused before drawing, and no folder is created.

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
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from .compare.comparison import Comparison
from .compare.metric_keys import label_for, unit_for
from .compare.selection import last_level
from .compare.writers import atomic_output
from .errors import InputError
from .output import check_output_path

__all__ = ["ChartResult", "draw_chart", "find_cjk_font", "register_cjk_font", "chart_paths", "CJK_APT_PACKAGE",
           "TEMPLATE_CHANGE", "TEMPLATE_CHANGE_LABEL"]

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
    left_out: list[str] = field(default_factory=list)  # metrics no selected report states: no empty panel
    figure: Any = None  # the matplotlib Figure drawn (tests read its axes)


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
    drawn = [k for k in cmp.metrics if any(v.get(k) is not None for by_year in series.values()
                                           for y, v in by_year.items() if y in years)]
    left_out = [k for k in cmp.metrics if k not in drawn]
    if not drawn:
        raise InputError(f"nothing to draw: the {sum(len(v) for v in series.values())} reports selected state none of "
                         f"{', '.join(label_for(k) for k in cmp.metrics)} (`xxgk show ID` shows what a report has)")
    for p in paths:  # before drawing: a bad -o is one line, and no folder is made that was not asked for
        check_output_path(p)
    short = len({last_level(r) for r, _ in series}) == len({r for r, _ in series})
    family = register_cjk_font()
    rc = {"axes.unicode_minus": False, "font.family": "sans-serif",
          "font.sans-serif": ([family] if family else []) + ["DejaVu Sans"], "svg.fonttype": "path"}
    with rc_context(rc):
        fig = Figure(figsize=(FIG_WIDTH_IN, max(4.5, PANEL_HEIGHT_IN * len(drawn))), dpi=DPI,
                     layout="constrained")
        axes = fig.subplots(len(drawn), 1, squeeze=False, sharex=True)[:, 0]
        for n, (ax, key) in enumerate(zip(axes, drawn)):
            for (region, agency), by_year in series.items():
                ys = [by_year.get(y, {}).get(key) for y in years]
                ax.plot(years, [math.nan if v is None else v for v in ys], marker="o",
                        label=_publisher_label(region, agency, short))
            ax.set_title(f"{label_for(key)}（{key}，{unit_for(key)}）", loc="left", fontsize=11)
            _y_axis(ax, key)
            _mark_template_change(ax, years, first=n == 0)
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize=9, loc="best")
        axes[-1].set_xticks(years, [f"{y}年" for y in years])
        axes[-1].set_xlabel("报告年度")
        if title:
            fig.suptitle(title)
        with ExitStack() as stack:
            for p in paths:
                tmp = stack.enter_context(atomic_output(p))
                try:
                    fig.savefig(tmp, format=p.suffix[1:].lower())
                except OSError as e:
                    raise InputError(f"cannot write {p}: {e.strerror or e}") from e
    return ChartResult(paths, family, len(series) * len(drawn), left_out, fig)


# the 2019 reports were the first written on the national template: the counts before and after
# are not the same measure (legacy prose vs. template tables)
TEMPLATE_CHANGE = (2018, 2019)
TEMPLATE_CHANGE_LABEL = "2019年起按全国统一模板统计"


def _y_axis(ax, key: str) -> None:
    """Counts get whole-number ticks; rates (fractions) read as percentages."""
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    if unit_for(key) == "比例":
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    elif key != "requests_per_10k":
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)


def _mark_template_change(ax, years: list[int], *, first: bool) -> None:
    before, after = TEMPLATE_CHANGE
    if before in years and after in years:
        ax.axvline(before + 0.5, color="0.4", linestyle="--", linewidth=1)
        if first:
            ax.annotate(TEMPLATE_CHANGE_LABEL, xy=(before + 0.5, 1), xycoords=("data", "axes fraction"),
                        xytext=(4, -12), textcoords="offset points", fontsize=9, color="0.3")
