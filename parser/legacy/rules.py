"""The legacy-era consistency rules of SCHEMA.md (勾稽关系 of the 2008–2018 prose and appendix) as data.

Takes nothing, returns nothing: ``LEGACY_RULES`` is a list of ``parser.rules.SumRule`` that
``parser.validate`` hands to ``parser.rules.check_sum_rules`` for records of format ``legacy``.

Every rule has ``partial_ok=False``: legacy numbers come from prose as often as from the
appendix, and a report that names three channels or five outcomes says nothing about the rest,
so a rule is checked only when every one of its keys was read.
"""
from __future__ import annotations

from ..rules import SumRule

__all__ = ["LEGACY_RULES", "CHANNEL_KEYS", "OUTCOME_KEYS", "DENIAL_REASON_KEYS"]

CHANNEL_KEYS = (
    "applications.channel.in_person",
    "applications.channel.online",
    "applications.channel.letter",
    "applications.channel.fax",
    "applications.channel.email",
    "applications.channel.other",
)

# the eight answer categories of the 2014 form; they partition the replies
OUTCOME_KEYS = (
    "applications.already_public",
    "applications.granted.total",
    "applications.partial.total",
    "applications.denied.total",
    "applications.not_own",
    "applications.not_exist",
    "applications.need_correction",
    "applications.other_channel",
)

# the 2014 form's 4.其中 rows under 不同意公开答复数
DENIAL_REASON_KEYS = (
    "applications.denied.state_secret.total",
    "applications.denied.commercial_secret.total",
    "applications.denied.privacy.total",
    "applications.denied.three_safety.total",
    "applications.denied.not_gov_info.total",
    "applications.denied.law_other.total",
)

LEGACY_RULES: list[SumRule] = [
    SumRule("applications.channels", ("applications.new.total",), CHANNEL_KEYS, partial_ok=False),
    SumRule("applications.legacy_outcomes", ("applications.replied",), OUTCOME_KEYS, partial_ok=False),
    SumRule("applications.denied_reasons", ("applications.denied.total",), DENIAL_REASON_KEYS, partial_ok=False),
    SumRule(
        "applications.closed",
        ("applications.closed.total",),
        ("applications.closed.on_time", "applications.closed.extended"),
        partial_ok=False,
    ),
    SumRule("staff.sum", ("staff.total",), ("staff.full_time", "staff.part_time"), partial_ok=False),
    # the legacy forms have no 尚未审结 row: total = upheld + corrected + other
    SumRule("review.sum", ("review.total",), ("review.upheld", "review.corrected", "review.other"), partial_ok=False),
    SumRule(
        "litigation.sum",
        ("litigation.total",),
        ("litigation.upheld", "litigation.corrected", "litigation.other"),
        partial_ok=False,
    ),
    SumRule(
        "complaints.sum",
        ("complaints.total",),
        ("complaints.upheld", "complaints.corrected", "complaints.other"),
        partial_ok=False,
    ),
]
