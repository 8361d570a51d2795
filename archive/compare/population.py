"""Populations the user supplies for ``requests_per_10k`` (``--population FILE``).

Takes a CSV file of ``region,population`` or ``region,year,population`` rows (a header row is
optional; UTF-8 with or without BOM, or GB18030 as Excel in China saves it); returns a
``PopulationTable`` whose ``lookup(region, year)`` prefers the row of that year, then a row without
year, and matches a report's full region name exactly or by its end (``余杭区`` and ``杭州市余杭区``
both name ``浙江省杭州市余杭区``; the longest such name wins).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

__all__ = ["PopulationTable", "load_population"]


@dataclass
class PopulationTable:
    by_year: dict[tuple[str, int], float] = field(default_factory=dict)
    any_year: dict[str, float] = field(default_factory=dict)
    _cache: dict[tuple[str, int | None], float | None] = field(default_factory=dict, repr=False)

    def lookup(self, region: str, year: int | None) -> float | None:
        key = (region, year)
        if key not in self._cache:
            self._cache[key] = self._find(region, year)
        return self._cache[key]

    def _find(self, region: str, year: int | None) -> float | None:
        names = {n for n, _ in self.by_year} | set(self.any_year)
        for name in sorted((n for n in names if region == n or region.endswith(n)), key=len, reverse=True):
            if year is not None and (name, year) in self.by_year:
                return self.by_year[(name, year)]
            if name in self.any_year:
                return self.any_year[name]
        return None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", "").strip())
    except ValueError:
        return None


def load_population(path: Path) -> PopulationTable:
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"cannot read the population file {path}: {e.strerror or e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    table = PopulationTable()
    for n, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) not in (2, 3):
            raise InputError(f"{path}:{n}: expected region,population or region,year,population; got {row}")
        value = _number(cells[-1])
        if value is None:
            if n == 1:  # a header row
                continue
            raise InputError(f"{path}:{n}: population {cells[-1]!r} is not a number")
        if value <= 0:
            raise InputError(f"{path}:{n}: population must be positive, got {cells[-1]}")
        if len(cells) == 3:
            year = _number(cells[1])
            if year is None or not year.is_integer():
                raise InputError(f"{path}:{n}: year {cells[1]!r} is not a year")
            table.by_year[(cells[0], int(year))] = value
        else:
            table.any_year[cells[0]] = value
    if not table.by_year and not table.any_year:
        raise InputError(f"{path}: no population rows")
    return table
