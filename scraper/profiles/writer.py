"""A site profile written from what a crawl without a profile discovered: ``profile_toml``.

``xxgk crawl --discover URL --write-profile NAME`` walks from the URL to the annual-report
columns, reads their list pages and hands what it saw here as a ``Discovered``; ``profile_toml``
returns the TOML of a profile (the ``scraper/profiles/sites/`` layout) that crawls the same reports:

* ``family``: the columns' family when every column was read by it without the generic reader's
  help, else ``generic`` (each column's family is then recognised again at crawl time, exactly as
  the run without a profile did);
* ``hosts``: every host the discovery read or listed a report on; ``domains`` and
  ``[attachments] domains``: the scope the run without a profile had (the site's gov.cn domain;
  attachments from any gov.cn host its pages link to), so a file on an attachment host not seen
  yet is still fetched;
* one ``[[entry]]`` per column (its label says where and why it was found);
* ``title``, ``region``, ``level``, ``agency`` guessed from the site's name (``guess_place``),
  ``verified = "unverified"`` and notes saying what to check: ready to edit and commit.

Pure: no I/O. ``profile_from_dict(tomllib.loads(text))`` loads what it writes (tested).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from .model import LEVELS

__all__ = ["Discovered", "DiscoveredColumn", "profile_toml", "guess_place"]


@dataclass(frozen=True, slots=True)
class DiscoveredColumn:
    url: str
    family: str
    #: where and why it was found ("link '政府信息公开年报' on http://…/xxgk/")
    label: str = ""
    #: the family's reader needed the generic reader's help on it
    fallback: bool = False


@dataclass(slots=True)
class Discovered:
    start_url: str
    #: the site's name as its pages give it (meta SiteName, the home page's title)
    site_name: str
    columns: list[DiscoveredColumn] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    attachment_domains: list[str] = field(default_factory=list)
    date: dt.date | None = None


_SUFFIXES = ("人民政府办公厅", "人民政府办公室", "人民政府", "街道办事处", "办事处")
_TOWN = re.compile(r"(?:街道|镇|乡)(?:人民政府|办事处)?$")
_DEPARTMENT = re.compile(r"(?:局|厅|委员会|委|办公室|办|中心|署|院|所)$")


def guess_place(name: str, fallback: str) -> tuple[str, str, str | None]:
    """(region, level, agency) guessed from a body's name: 南京市高淳区人民政府 ->
    (南京市高淳区, district, None); 南京市教育局 -> (南京市, department, 南京市教育局)."""
    name = (name or "").strip()
    if not name:
        return fallback, "department", None
    if _TOWN.search(name):
        region = re.sub(r"(?:人民政府|办事处)$", "", name)
        return region, "town", None
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            region = name[: -len(suffix)]
            level = {"省": "province", "区": "district", "县": "county", "旗": "county",
                     "市": "city", "州": "city", "盟": "city"}.get(region[-1], "department")
            if level == "department":
                return region, level, name
            return region, level, None
    if _DEPARTMENT.search(name):
        m = re.match(r"^(.+?(?:省|自治区|市|州|盟|区|县|旗))", name)
        return (m.group(1) if m else name), "department", name
    return name, "department", None


def _q(value: str) -> str:
    """A TOML basic string (JSON escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def profile_toml(name: str, found: Discovered) -> str:
    """The TOML text of a profile for ``found`` (see the module docstring)."""
    if not found.columns:
        raise ValueError("no report column was discovered: nothing to write a profile for")
    families = {c.family for c in found.columns}
    family = families.pop() if len(families) == 1 and not any(c.fallback for c in found.columns) \
        else "generic"
    region, level, agency = guess_place(found.site_name, found.hosts[0] if found.hosts else name)
    assert level in LEVELS
    date = (found.date or dt.date.today()).isoformat()
    columns = "; ".join(f"{c.url} ({c.family})" for c in found.columns)
    lines = [
        f"# {found.site_name or name}: written by `xxgk crawl --discover {found.start_url} "
        f"--write-profile {name}` on {date}.",
        "# Check title, region, level and agency (guessed from the site's name) and the entries",
        "# before committing; `xxgk sites check --live` probes the entries.",
        f"name = {_q(name)}",
        f"title = {_q(found.site_name or name)}",
        f"region = {_q(region)}",
        f"level = {_q(level)}",
    ]
    if agency:
        lines.append(f"agency = {_q(agency)}")
    lines += [
        f"family = {_q(family)}",
        f"hosts = {_list(found.hosts)}",
    ]
    if found.domains:
        lines.append(f"domains = {_list(found.domains)}")
    lines += [
        'verified = "unverified"',
        f"notes = {_q(f'Discovered from {found.start_url} on {date}: {columns}.')}",
    ]
    for c in found.columns:
        lines += ["", "[[entry]]", f"url = {_q(c.url)}"]
        if c.label:
            lines.append(f"label = {_q(c.label[:200])}")
    if found.attachment_domains:
        lines += ["", "[attachments]", f"domains = {_list(found.attachment_domains)}"]
    lines += ["", "[request]", "delay = 1.0", ""]
    return "\n".join(lines)
