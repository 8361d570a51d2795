"""Consistency rules (勾稽关系) as data, and the one engine that checks them.

A rule says ``total = part + part + …`` over metric keys. ``check_sum_rules(metrics, rules)``
returns one ``Finding`` per rule that fails, with the numbers that disagree. A rule is skipped when
its total or all of its parts are absent: a missing number is not a contradiction. Parts that are
absent count as 0 only when ``partial_ok`` is set (template tables, where a blank cell means
nothing to report); otherwise every part must be present (legacy prose, where silence proves
nothing).

The rule lists themselves live beside the keys they speak of (``parser.labels`` for the
templates, ``parser.legacy`` for the prose era) and are passed in.

Numbers read by OCR (``Evidence.where == "ocr"``) are never trusted silently; four more rule
names come from ``parser.ocr_evidence`` (``OCR_RULES``): ``ocr.low_confidence`` (warning: a
number read below ``OCR_MIN_CONFIDENCE``, with its confidence, page and box), ``ocr.rule_failed``
(warning: one of the sum rules here failed on numbers read by OCR, naming them),
``ocr.sign_unsure`` (warning: a 本年增减 change read without a minus sign) and ``ocr.read``
(info: how many numbers OCR read, from which pages).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from .record import Finding

__all__ = ["SumRule", "check_sum_rules"]


@dataclass(frozen=True, slots=True)
class SumRule:
    rule: str  # the finding's rule name, e.g. "applications.balance"
    total: tuple[str, ...]  # keys summed on the left side (usually one)
    parts: tuple[str, ...]  # keys summed on the right side
    partial_ok: bool = True
    severity: str = "error"


def _side(metrics: Mapping[str, float], keys: Iterable[str]) -> tuple[float, int, int]:
    total, present, n = 0.0, 0, 0
    for k in keys:
        n += 1
        v = metrics.get(k)
        if v is not None:
            total += v
            present += 1
    return total, present, n


def check_sum_rules(metrics: Mapping[str, float], rules: Iterable[SumRule]) -> list[Finding]:
    findings: list[Finding] = []
    for r in rules:
        left, lp, ln = _side(metrics, r.total)
        right, rp, rn = _side(metrics, r.parts)
        if lp == 0 or rp == 0:
            continue
        if not r.partial_ok and (lp < ln or rp < rn):
            continue
        if abs(left - right) > 1e-6:
            lhs = " + ".join(r.total)
            values = {k: metrics.get(k) for k in (*r.total, *r.parts) if metrics.get(k) is not None}
            findings.append(
                Finding(
                    r.rule,
                    r.severity,  # type: ignore[arg-type]
                    f"{lhs} = {_fmt(left)} but the parts sum to {_fmt(right)}",
                    values,
                )
            )
    return findings


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
