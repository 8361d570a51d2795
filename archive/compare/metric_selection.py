"""Which metrics a comparison shows: ``--metrics`` items -> an ordered list of keys.

Takes the user's items (each may hold a comma-separated list) and the keys present in the archive;
returns the keys in a stable order. An item is
  * a group: ``headline`` (the default), ``derived``, ``table2``, ``table3``, ``table4``, ``legacy``,
    ``appendix``, or its Chinese name (核心, 推算, 表二 …: ``codebook.GROUP_ALIASES``);
  * ``all``: every key some archived report has, in the order of the report's own tables;
  * a Chinese label of the codebook (新收申请, 行政复议·结果纠正, 公开率);
  * a pattern with ``*``: ``applications.*``, ``review.*``, ``*.carried_out.total``;
  * a key of SCHEMA.md, or a derived indicator name (``disclosure_rate``).
Groups and patterns keep only keys some archived report has (a template has 182 table-3 cells; few
archives fill them all); ``headline``, ``derived`` and named keys are always kept.
"""
from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Callable, Iterable

from ..errors import InputError
from .codebook import GROUP_ALIASES, codebook_order, key_for_label
from .metric_keys import HEADLINE_METRICS, is_known_key, metric_groups

__all__ = ["resolve_metrics", "split_items", "ALWAYS_KEPT_GROUPS"]

ALWAYS_KEPT_GROUPS = ("headline", "derived")


def split_items(items: Iterable[str] | None) -> list[str]:
    out = []
    for item in items or ():
        out.extend(p.strip() for p in item.replace("，", ",").split(",") if p.strip())
    return out


def resolve_metrics(items: Iterable[str] | None, present: Callable[[], list[str]], *,
                    population: bool = False) -> list[str]:
    """The metric keys to show. ``present`` is called at most once (it queries the archive)."""
    wanted = split_items(items)
    groups = metric_groups()
    cache: list[list[str]] = []

    def archived() -> list[str]:
        if not cache:
            cache.append(present())
        return cache[0]

    if not wanted:
        keys = list(HEADLINE_METRICS)
        return keys + ["requests_per_10k"] if population else keys
    out: list[str] = []
    for item in wanted:
        item = GROUP_ALIASES.get(item, item)
        if not is_known_key(item) and item not in groups and item != "all" and not any(ch in item for ch in "*?["):
            item = key_for_label(item) or item  # a Chinese label: 新收申请, 行政复议·结果纠正, 公开率
        if item in groups:
            members = list(groups[item])
            if item == "derived" and not population:
                members.remove("requests_per_10k")
            if item not in ALWAYS_KEPT_GROUPS:
                have = set(archived())
                members = [k for k in members if k in have]
            out.extend(members)
        elif item == "all":
            order = codebook_order()
            out.extend(sorted(archived(), key=lambda k: (order.get(k, len(order)), k)))  # the report's table order
        elif any(ch in item for ch in "*?["):
            have = set(archived())
            # SCHEMA's table order first, then keys this list does not know yet
            pool = [k for k in _all_known() if k in have] + [k for k in archived() if not is_known_key(k)]
            out.extend(k for k in pool if fnmatchcase(k, item))
        elif is_known_key(item) or item in archived():
            if item == "requests_per_10k" and not population:
                raise InputError("requests_per_10k needs the populations: pass --population FILE "
                                 "(CSV: region,population or region,year,population)")
            out.append(item)
        else:
            raise InputError(f"unknown metric {item!r}: use a key of SCHEMA.md (applications.new.total), its "
                             f"Chinese label (新收申请), a pattern (applications.*) or a group ({', '.join(groups)}, "
                             "all); `xxgk metrics` lists them")
    keys = list(dict.fromkeys(out))
    if not keys and "all" not in wanted:  # `all` of an empty archive is an empty table, not a mistake
        raise InputError(f"no archived report has a metric matching {', '.join(wanted)}")
    return keys


def _all_known() -> list[str]:
    """Every stored key the groups know, in the order of the report's own tables."""
    groups = metric_groups()
    seen: dict[str, None] = {}
    for name in ("table2", "table3", "table4", "legacy", "appendix", "headline"):
        seen.update(dict.fromkeys(groups[name]))
    return list(seen)
