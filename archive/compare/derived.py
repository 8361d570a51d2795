"""Derived indicators and headline fill-ins, as data: each one a formula per report format.

Takes one report's metric values (a dict key -> number), its format and, for ``requests_per_10k``,
a population; returns the computed values. A derived value is EMPTY (absent) when any operand is
missing or the denominator is 0 -- never 0 by default. Rates are fractions (0.25 = 25 %), rounded
to 6 decimals.

``DERIVED_HELP`` is the README-ready text of every formula (also printed by ``--help``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Iterable, Mapping

__all__ = ["Formula", "DerivedIndicator", "DERIVED", "HEADLINE_FALLBACKS", "DERIVED_HELP", "POPULATION",
           "operand_keys", "fallback_parts", "missing_fallbacks", "fill_headline", "compute_derived", "formula_text"]

GB = ("gb2019", "gb2021")
LEGACY = ("legacy",)
ANY = ("legacy", "gb2019", "gb2021")
POPULATION = "population"  # the operand read from --population FILE, not from the report
RATE_DIGITS = 6

_DENIED_REASONS = ("state_secret", "law_forbidden", "three_safety", "third_party", "internal", "process",
                   "enforcement_file", "query")


@dataclass(frozen=True, slots=True)
class Formula:
    """(sum of numerator keys) / denominator × scale, for reports of the given formats."""

    numerator: tuple[str, ...]
    denominator: str | None = None
    formats: tuple[str, ...] = ANY
    scale: float = 1.0

    def operands(self) -> tuple[str, ...]:
        return self.numerator + ((self.denominator,) if self.denominator else ())

    def apply(self, values: Mapping[str, float], population: float | None = None) -> float | None:
        top = 0
        for k in self.numerator:
            v = values.get(k)
            if v is None:
                return None
            top += v
        if self.denominator is None:
            return top
        bottom = population if self.denominator == POPULATION else values.get(self.denominator)
        if not bottom:  # missing, or 0: a rate of nothing is EMPTY, not 0
            return None
        return round(top / bottom * self.scale, RATE_DIGITS)


@dataclass(frozen=True, slots=True)
class DerivedIndicator:
    key: str
    meaning: str
    variants: tuple[Formula, ...]

    def pick(self, fmt: str | None, values: Mapping[str, float]) -> Formula | None:
        """The formula for this report's format; a report of unknown format takes the first whose operands exist."""
        if fmt:
            return next((f for f in self.variants if fmt in f.formats), None)
        return next((f for f in self.variants if all(k in values for k in f.operands())), None)


DERIVED: tuple[DerivedIndicator, ...] = (
    DerivedIndicator("disclosure_rate", "share of the handled requests answered by full or partial disclosure", (
        Formula(("applications.granted.total", "applications.partial.total"),
                "applications.processed_total.total", GB),
        Formula(("applications.granted.total", "applications.partial.total"), "applications.replied", LEGACY),
    )),
    DerivedIndicator("denial_rate", "share of the handled requests denied (不予公开)", (
        Formula(("applications.denied.total",), "applications.processed_total.total", GB),
        Formula(("applications.denied.total",), "applications.replied", LEGACY),
    )),
    DerivedIndicator("not_held_rate", "share of the handled requests answered 'information not held'", (
        Formula(("applications.unable.not_held.total",), "applications.processed_total.total", GB),
        Formula(("applications.not_exist",), "applications.replied", LEGACY),
    )),
    DerivedIndicator("review_correction_rate", "share of administrative reviews that corrected the body", (
        Formula(("review.corrected",), "review.total", ANY),
    )),
    DerivedIndicator("litigation_correction_rate", "share of lawsuits that corrected the body", (
        Formula(("litigation_direct.corrected", "litigation_after_review.corrected"), "litigation.total", GB),
        Formula(("litigation.corrected",), "litigation.total", LEGACY),
    )),
    DerivedIndicator("requests_per_10k", "new requests per 10,000 residents (only with --population FILE)", (
        Formula(("applications.new.total",), POPULATION, ANY, scale=10_000.0),
    )),
)

# headline metrics of SCHEMA.md that a template report states only as parts: computed when the
# parser did not store them, so 2018 (legacy) and 2019 (gb2019) stay comparable
HEADLINE_FALLBACKS: dict[str, Formula] = {
    "applications.denied.total": Formula(tuple(f"applications.denied.{r}.total" for r in _DENIED_REASONS),
                                         None, GB),
    "litigation.total": Formula(("litigation_direct.total", "litigation_after_review.total"), None, GB),
}

_BY_KEY = {d.key: d for d in DERIVED}


def formula_text(f: Formula) -> str:
    top = " + ".join(f.numerator)
    if len(f.numerator) > 1:
        top = f"({top})"
    if f.denominator is None:
        return top
    scale = f" × {f.scale:,.0f}" if f.scale != 1 else ""
    return f"{top} / {f.denominator}{scale}"


def _help_lines() -> list[str]:
    lines = []
    for d in DERIVED:
        parts = [f"{formula_text(f)} [{'/'.join(f.formats)}]" for f in d.variants]
        lines.append(f"{d.key} = " + "; ".join(parts) + f" -- {d.meaning}")
    for key, f in HEADLINE_FALLBACKS.items():
        lines.append(f"{key} (when the report does not state it) = {formula_text(f)} [{'/'.join(f.formats)}]")
    return lines


DERIVED_HELP = "\n".join(_help_lines()) + (
    "\nEvery derived value is marked derived, and EMPTY when an operand is missing or the denominator is 0. "
    "Rates are fractions (0.25 = 25%). Legacy reports (before 2019) have no processed total: their rates "
    "use applications.replied (完成答复) as the denominator."
)


def operand_keys(keys: tuple[str, ...] | list[str]) -> set[str]:
    """The report metrics the derived keys among ``keys`` are computed from."""
    need: set[str] = set()
    for key in keys:
        for f in (_BY_KEY[key].variants if key in _BY_KEY else ()):
            need.update(k for k in f.operands() if k != POPULATION)
    return need


def fallback_parts(targets: Iterable[str]) -> set[str]:
    """The parts a headline fill-in of ``targets`` is summed from."""
    return {k for t in targets if t in HEADLINE_FALLBACKS for k in HEADLINE_FALLBACKS[t].operands()}


def missing_fallbacks(values: Mapping[str, float], fmt: str | None, targets: Iterable[str]) -> list[str]:
    """The fill-in targets this report lacks and could have summed from its parts."""
    return [t for t in targets if t not in values and (fmt is None or fmt in HEADLINE_FALLBACKS[t].formats)]


def fill_headline(values: dict[str, float], fmt: str | None) -> list[str]:
    """Add the headline metrics a template report states only as parts; return the keys added."""
    added = []
    for key, f in HEADLINE_FALLBACKS.items():
        if key not in values and (fmt is None or fmt in f.formats):
            v = f.apply(values)
            if v is not None:
                values[key] = v
                added.append(key)
    return added


@functools.lru_cache(maxsize=256)
def _formulas_for(keys: tuple[str, ...], fmt: str) -> tuple[tuple[str, Formula], ...]:
    """The formula of each derived key for reports of one format (chosen once, not per report)."""
    out = []
    for key in keys:
        ind = _BY_KEY.get(key)
        f = ind.pick(fmt, {}) if ind else None
        if f is not None:
            out.append((key, f))
    return tuple(out)


def compute_derived(keys: tuple[str, ...] | list[str], values: Mapping[str, float], fmt: str | None,
                    population: float | None = None) -> dict[str, tuple[float, Formula]]:
    """{derived key: (value, formula used)} for the derived keys among ``keys`` that can be computed."""
    if fmt:
        plan = _formulas_for(tuple(keys), fmt)
    else:  # unknown format: the first formula whose operands the report has
        scope = {**values, POPULATION: population} if population is not None else values
        plan = tuple((k, f) for k in keys if k in _BY_KEY and (f := _BY_KEY[k].pick(None, scope)) is not None)
    out = {}
    for key, f in plan:
        v = f.apply(values, population)
        if v is not None:
            out[key] = (v, f)
    return out
