"""The metric keys of SCHEMA.md as data: table groups, headline metrics, units and Chinese labels.

Takes nothing, does no I/O. ``metric_groups()`` gives every named group that ``--metrics`` accepts
(``table2``, ``table3``, ``table4``, ``legacy``, ``appendix``, ``headline``, ``derived``);
``unit_for(key)`` the unit a key's value is counted in; ``label_for(key)`` its Chinese label (the
codebook's, ``archive.compare.codebook``).
"""
from __future__ import annotations

from fnmatch import fnmatchcase

__all__ = ["HEADLINE_METRICS", "TABLE2_KEYS", "TABLE3_ROWS", "TABLE3_COLUMNS", "TABLE3_KEYS", "TABLE4_KEYS",
           "LEGACY_KEYS", "APPENDIX_KEYS", "DERIVED_KEYS", "metric_groups", "unit_for", "label_for", "is_known_key"]

# comparable across all eras (SCHEMA.md "Headline metrics"), in the order exports show them
HEADLINE_METRICS = (
    "applications.new.total",
    "applications.granted.total",
    "applications.partial.total",
    "applications.denied.total",
    "review.total",
    "litigation.total",
)

TABLE2_KEYS = (
    # gb2021
    "rules.issued", "rules.repealed", "rules.in_force",
    "normative_docs.issued", "normative_docs.repealed", "normative_docs.in_force",
    "licensing.decisions", "penalty.decisions", "coercion.decisions", "fees.amount_wan_yuan",
    # gb2019
    "rules.made", "rules.published", "rules.total_public",
    "normative_docs.made", "normative_docs.published", "normative_docs.total_public",
    "licensing.prev_items", "licensing.change",
    "other_services.prev_items", "other_services.change", "other_services.decisions",
    "penalty.prev_items", "penalty.change", "coercion.prev_items", "coercion.change",
    "fees.prev_items", "fees.change", "procurement.items", "procurement.amount_yuan",
)

TABLE3_COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
TABLE3_ROWS = (
    "new", "carried_in", "granted", "partial",
    "denied.state_secret", "denied.law_forbidden", "denied.three_safety", "denied.third_party",
    "denied.internal", "denied.process", "denied.enforcement_file", "denied.query",
    "unable.not_held", "unable.need_create", "unable.unclear",
    "rejected.petition", "rejected.duplicate", "rejected.publication", "rejected.mass_repeat",
    "rejected.confirm",
    "other.total", "other.no_correction", "other.unpaid_fee", "other.other",
    "processed_total", "carried_out",
)
TABLE3_KEYS = tuple(f"applications.{row}.{col}" for row in TABLE3_ROWS for col in TABLE3_COLUMNS)

TABLE4_KEYS = tuple(
    f"{body}.{outcome}"
    for body in ("review", "litigation_direct", "litigation_after_review")
    for outcome in ("upheld", "corrected", "other", "pending", "total")
)

LEGACY_KEYS = (
    "applications.new.total", "applications.channel.in_person", "applications.channel.online",
    "applications.channel.letter", "applications.channel.fax", "applications.channel.email",
    "applications.replied", "applications.already_public", "applications.granted.total",
    "applications.partial.total", "applications.denied.total", "applications.not_own",
    "applications.not_exist", "applications.need_correction", "applications.other_channel",
    "review.total", "review.upheld", "review.corrected", "review.other",
    "litigation.total", "litigation.upheld", "litigation.corrected", "litigation.other",
    "proactive.items", "fees.collected_yuan",
)

# the legacy statistics appendix (附表, 2014-2018) beyond the prose keys (SCHEMA.md)
APPENDIX_KEYS = (
    "proactive.normative_docs", "proactive.channel.gazette", "proactive.channel.website", "proactive.channel.weibo",
    "proactive.channel.wechat", "proactive.channel.other", "response.hot_topics", "response.press_conferences",
    "response.press_conferences_by_head", "response.online_interviews", "response.online_interviews_by_head",
    "response.interpretations", "response.weibo_wechat", "response.other", "applications.channel.other",
    "applications.closed.total", "applications.closed.on_time", "applications.closed.extended",
    "applications.denied.commercial_secret.total", "applications.denied.privacy.total",
    "applications.denied.not_gov_info.total", "applications.denied.law_other.total",
    "complaints.total", "complaints.upheld", "complaints.corrected", "complaints.other", "appeals.total",
    "fees.collected_wan_yuan", "org.offices", "org.reading_points", "staff.total", "staff.full_time",
    "staff.part_time", "funding.special_wan_yuan", "meetings.total", "training.sessions", "training.attendees",
    "consultations.onsite", "consultations.online", "consultations.phone", "consultations.total",
)

# computed by archive.compare.derived; listed here so groups and units know them
DERIVED_KEYS = (
    "disclosure_rate", "denial_rate", "not_held_rate",
    "review_correction_rate", "litigation_correction_rate", "requests_per_10k",
)

# unit by key suffix, first match wins; everything else is a count of cases (件)
_UNIT_BY_PATTERN = (
    ("*_wan_yuan", "万元"),
    ("*_yuan", "元"),
    ("*_rate", "比例"),
    ("requests_per_10k", "件/万人"),
    ("staff.*", "人"),
    ("training.attendees", "人次"),
    ("training.sessions", "次"),
    ("meetings.total", "次"),
    ("response.*", "次"),
    ("org.*", "个"),
    ("proactive.*", "条"),
    ("rules.*", "件"),
    ("normative_docs.*", "件"),
    ("*.prev_items", "项"),
    ("*.change", "项"),
    ("procurement.items", "项"),
)

_LABELS = {
    "applications.new.total": "新收申请",
    "applications.granted.total": "予以公开",
    "applications.partial.total": "部分公开",
    "applications.denied.total": "不予公开",
    "review.total": "行政复议",
    "litigation.total": "行政诉讼",
    "applications.carried_in.total": "上年结转",
    "applications.carried_out.total": "结转下年",
    "applications.processed_total.total": "办理总计",
    "applications.replied": "完成答复",
    "disclosure_rate": "公开率",
    "denial_rate": "不予公开率",
    "not_held_rate": "信息不存在率",
    "review_correction_rate": "复议纠错率",
    "litigation_correction_rate": "诉讼纠错率",
    "requests_per_10k": "每万人申请数",
}


def metric_groups() -> dict[str, tuple[str, ...]]:
    """Every named group of ``--metrics``, as data."""
    return {
        "headline": HEADLINE_METRICS,
        "table2": TABLE2_KEYS,
        "table3": TABLE3_KEYS,
        "table4": TABLE4_KEYS,
        "legacy": LEGACY_KEYS,
        "appendix": APPENDIX_KEYS,
        "derived": DERIVED_KEYS,
    }


def unit_for(key: str) -> str:
    for pattern, unit in _UNIT_BY_PATTERN:
        if fnmatchcase(key, pattern):
            return unit
    return "件"


def label_for(key: str) -> str:
    """The Chinese label of a key (the codebook's, ``archive.compare.codebook``); the key itself when it has none."""
    from .codebook import entry

    e = entry(key)
    return e.label if e else _LABELS.get(key, key)


_KNOWN = frozenset(HEADLINE_METRICS + TABLE2_KEYS + TABLE3_KEYS + TABLE4_KEYS + LEGACY_KEYS + APPENDIX_KEYS +
                   DERIVED_KEYS)


def is_known_key(key: str) -> bool:
    return key in _KNOWN
