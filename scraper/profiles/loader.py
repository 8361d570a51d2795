"""Site profiles from TOML: load, validate, list.

``load_profile(path)`` / ``profile_from_dict(data, source)`` -> ``SiteProfile`` or ``ProfileError``
listing every problem found (unknown keys, wrong types, a host that is not a host name, an entry
URL that is not http(s) or not on the profile's hosts, a CSS selector or regex that does not
compile, an unknown family or family option, an attempt to switch robots.txt off).
``builtin_profiles()`` loads ``scraper/profiles/sites/*.toml``; ``load_profiles(extra_dirs)``
adds user folders (a later file with the same ``name`` replaces the built-in one).
``adhoc_profile(url)`` is the profile of a column URL crawled without one (family ``generic``).

File layout (all tables optional except the identity keys)::

    name = "yuhang"  title = "杭州市余杭区人民政府"  region = "浙江省杭州市余杭区"
    region_code = "330110"  level = "district"  agency = …  parent = …  family = "hanweb"
    hosts = ["www.yuhang.gov.cn", …]   verified = "replica-family-only"   notes = "…"
    domains = ["yuhang.gov.cn"]        (optional: every host under them is the site's too)
    encoding = "auto"
    [[entry]]        url = "https://…/col/col1229179150/index.html"   years = "2008-"   label = …
                     ({year} and {unit} templates: units = ["002510696", …])
    [list]           item, link, date, title_attr, link_patterns
    [pagination]     kind ("family" | "none" | "next_link"), max_pages, next_texts
    [article]        content = [...]   [article.meta_labels] 索引号 = "index_no" …
    [attachments]    patterns, extensions, domains (attachments may also come from hosts under
                     these: ``gov.cn`` as a crawl without a profile has it)
    [request]        delay, concurrency, [request.headers]
    [filter]         include, exclude (replace the defaults) or include_extra, exclude_extra
                     (add to them), skip_variants, keep_variants, years = "2008-"
    [options]        the family's own keys (its module's OPTIONS)
"""
from __future__ import annotations

import codecs
import logging
import re
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit


from ..errors import ProfileError
from ..report_filter import DEFAULT_FILTER, FilterRules, Variant
from .model import (LEVELS, ArticleRules, AttachmentRules, Entry, ListRules, Pagination,
                    RequestPolicy, SiteProfile)

__all__ = ["load_profile", "profile_from_dict", "builtin_profiles", "load_profiles",
           "adhoc_profile", "parse_years", "sites_dir"]

_TOP = {"name", "title", "region", "region_code", "level", "agency", "parent", "family", "hosts",
        "domains", "verified", "notes", "encoding", "entry", "list", "pagination", "article",
        "attachments", "request", "filter", "options"}
_TABLES = {
    "entry": {"url", "years", "label", "units"},
    "list": {"item", "link", "date", "title_attr", "link_patterns"},
    "pagination": {"kind", "max_pages", "next_texts"},
    "article": {"content", "meta_labels"},
    "attachments": {"patterns", "extensions", "domains"},
    "request": {"delay", "concurrency", "headers"},
    "filter": {"include", "exclude", "include_extra", "exclude_extra", "skip_variants",
               "keep_variants", "years"},
}
log = logging.getLogger(__name__)

_ROBOTS_WORDS = re.compile(r"robots", re.I)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")
_YEARS = re.compile(r"^\s*(\d{4})?\s*-\s*(\d{4})?\s*$|^\s*(\d{4})\s*$")


def sites_dir() -> Path:
    return Path(str(resources.files("scraper.profiles") / "sites"))


def parse_years(text: str | None) -> tuple[int | None, int | None]:
    """'2008-' -> (2008, None); '2015-2023' -> (2015, 2023); '2017' -> (2017, 2017)."""
    if text is None or str(text).strip() == "":
        return None, None
    m = _YEARS.match(str(text))
    if not m:
        raise ValueError(f"not a year range: {text!r} (try 2008- or 2015-2023)")
    if m.group(3):
        return int(m.group(3)), int(m.group(3))
    lo, hi = (int(m.group(1)) if m.group(1) else None), (int(m.group(2)) if m.group(2) else None)
    if lo and hi and lo > hi:
        raise ValueError(f"empty year range: {text!r}")
    return lo, hi


class _Checker:
    """Collects problems so one run reports all of them."""

    def __init__(self, source: str, full: bool = True):
        self.source, self.problems = source, []
        # compiling every selector and regex and importing the family modules (the HTML parser) cost
        # ~0.6 s for the built-in profiles: worth it where a profile is checked or crawled, not where
        # only its hosts, entries and place are read (a report's provenance, in every listing)
        self.full = full

    def add(self, message: str) -> None:
        self.problems.append(message)

    def typed(self, table: dict, key: str, kind: type | tuple, where: str, default: Any = None):
        value = table.get(key, default)
        if value is None or value is default:
            return value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.add(f"{where}{key}: expected {getattr(kind, '__name__', kind)}, got {value!r}")
            return default
        return value

    def strings(self, table: dict, key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(f"{where}{key}: expected a list of strings")
            return ()
        return tuple(value)

    def keys(self, table: Any, allowed: set[str], where: str) -> dict:
        if not isinstance(table, dict):
            self.add(f"{where}: expected a table")
            return {}
        for key in table:
            if _ROBOTS_WORDS.search(key):
                self.add(f"{where}{key}: a profile cannot change robots.txt handling "
                         "(robots.txt is always obeyed)")
            elif key not in allowed:
                self.add(f"{where}{key}: unknown key (allowed: {', '.join(sorted(allowed))})")
        return table

    def selector(self, css: str | None, where: str) -> None:
        if css and self.full:
            import soupsieve

            try:
                soupsieve.compile(css)
            except Exception as exc:   # soupsieve raises several kinds
                self.add(f"{where}: bad CSS selector {css!r}: {exc}")

    def regexes(self, patterns: tuple[str, ...], where: str) -> None:
        for p in patterns if self.full else ():
            try:
                re.compile(p)
            except re.error as exc:
                self.add(f"{where}: bad regex {p!r}: {exc}")


def _filter_rules(c: _Checker, table: dict) -> FilterRules:
    t = c.keys(table, _TABLES["filter"], "filter.")
    include = c.strings(t, "include", "filter.") or DEFAULT_FILTER.include
    exclude = c.strings(t, "exclude", "filter.") if "exclude" in t else DEFAULT_FILTER.exclude
    include += c.strings(t, "include_extra", "filter.")
    exclude += c.strings(t, "exclude_extra", "filter.")
    c.regexes(include + exclude, "filter")
    skip = set(c.strings(t, "skip_variants", "filter."))
    keep = set(c.strings(t, "keep_variants", "filter."))
    known = {v.tag for v in DEFAULT_FILTER.variants}
    for tag in (skip | keep) - known:
        c.add(f"filter: unknown variant {tag!r} (known: {', '.join(sorted(known))})")
    variants = tuple(Variant(v.tag, v.pattern, (v.keep or v.tag in keep) and v.tag not in skip)
                     for v in DEFAULT_FILTER.variants)
    try:
        lo, hi = parse_years(t.get("years", "2008-"))
    except ValueError as exc:
        c.add(f"filter.years: {exc}")
        lo, hi = 2008, None
    try:
        return FilterRules(include, exclude, variants, lo, hi)
    except re.error:
        return DEFAULT_FILTER


def _domains(c: _Checker, table: dict, where: str) -> tuple[str, ...]:
    """Domain names (``gaochun.gov.cn``; ``gov.cn`` for attachments): no bare TLD, no scheme."""
    out = tuple(d.lower().lstrip(".") for d in c.strings(table, "domains", where))
    for d in out:
        if not _HOSTNAME.match(d) or "." not in d:
            c.add(f"{where}domains: {d!r} is not a domain name (e.g. gaochun.gov.cn)")
    return out


def _under(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _entries(c: _Checker, raw: Any, hosts: tuple[str, ...],
             domains: tuple[str, ...] = ()) -> tuple[Entry, ...]:
    if not isinstance(raw, list) or not raw:
        c.add("entry: at least one [[entry]] with a url is needed")
        return ()
    out = []
    for i, table in enumerate(raw):
        t = c.keys(table, _TABLES["entry"], f"entry[{i}].")
        url = c.typed(t, "url", str, f"entry[{i}].")
        if not url:
            c.add(f"entry[{i}].url: missing")
            continue
        units = c.strings(t, "units", f"entry[{i}].")
        if ("{unit}" in url) != bool(units):
            c.add(f"entry[{i}]: a {{unit}} URL needs units = [...], and units need a {{unit}} URL")
        parts = urlsplit(url.replace("{year}", "2020").replace("{unit}", "u"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            c.add(f"entry[{i}].url: not an http(s) URL: {url!r}")
        elif parts.hostname.lower() not in hosts and not _under(parts.hostname.lower(), domains):
            c.add(f"entry[{i}].url: host {parts.hostname} is not in hosts")
        if re.search(r"\{(?!(?:year|unit)\})", url):
            c.add(f"entry[{i}].url: only {{year}} and {{unit}} may be templated: {url!r}")
        try:
            years = parse_years(t.get("years"))
        except ValueError as exc:
            c.add(f"entry[{i}].years: {exc}")
            years = (None, None)
        out.append(Entry(url, years, c.typed(t, "label", str, f"entry[{i}].", "") or "", units))
    return tuple(out)


def _family_options(c: _Checker, family: str, raw: Any) -> dict[str, Any]:
    if not c.full:  # as written: a profile read for its hosts and place is not crawled with
        return dict(raw) if isinstance(raw, dict) else {}
    from ..discovery import family_module   # the registry imports the family modules

    try:
        module = family_module(family)
    except ProfileError as exc:
        c.add(f"family: {exc}")
        return {}
    table = c.keys(raw, set(module.OPTIONS), "options.")
    return {k: c.typed(table, k, module.OPTIONS[k], "options.") for k in table
            if k in module.OPTIONS}


def profile_from_dict(data: dict[str, Any], source: str = "<dict>", *, full: bool = True) -> SiteProfile:
    """The profile, or ProfileError naming every problem. ``full=False`` reads a profile for its
    identity, hosts, entries and place only (a report's provenance): its CSS selectors and regexes
    are not compiled to check them, its family options are taken as written."""
    c = _Checker(source, full)
    c.keys(data, _TOP, "")
    name = c.typed(data, "name", str, "") or ""
    if not _NAME.match(name):
        c.add(f"name: {name!r} must be lower-case letters, digits, - _ .")
    for key in ("title", "region", "family"):
        if not c.typed(data, key, str, ""):
            c.add(f"{key}: missing")
    level = c.typed(data, "level", str, "")
    if level not in LEVELS:
        c.add(f"level: {level!r} is not one of {', '.join(LEVELS)}")
    hosts = tuple(h.lower() for h in c.strings(data, "hosts", ""))
    if not hosts:
        c.add("hosts: at least one official host is needed")
    for h in hosts:
        if not _HOSTNAME.match(h):
            c.add(f"hosts: {h!r} is not a host name (no scheme, no path, no port)")
    code = c.typed(data, "region_code", str, "")
    if code and not re.fullmatch(r"\d{6}", code):
        c.add(f"region_code: {code!r} is not a 6-digit GB/T 2260 code")
    encoding = c.typed(data, "encoding", str, "", "auto") or "auto"
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            c.add(f"encoding: unknown codec {encoding!r}")
    domains = _domains(c, data, "")
    entries = _entries(c, data.get("entry"), hosts, domains)

    lt = c.keys(data.get("list", {}), _TABLES["list"], "list.")
    listing = ListRules(c.typed(lt, "item", str, "list."), c.typed(lt, "link", str, "list.", "a"),
                        c.typed(lt, "date", str, "list."),
                        c.typed(lt, "title_attr", bool, "list.", True),
                        c.strings(lt, "link_patterns", "list."))
    for key in ("item", "link", "date"):
        c.selector(getattr(listing, key), f"list.{key}")
    c.regexes(listing.link_patterns, "list.link_patterns")

    pt = c.keys(data.get("pagination", {}), _TABLES["pagination"], "pagination.")
    pagination = Pagination(c.typed(pt, "kind", str, "pagination.", "family"),
                            c.typed(pt, "max_pages", int, "pagination.", 200),
                            c.strings(pt, "next_texts", "pagination.") or Pagination().next_texts)
    if pagination.kind not in ("family", "none", "next_link"):
        c.add(f"pagination.kind: {pagination.kind!r} is not family, none or next_link")
    if pagination.max_pages < 1:
        c.add("pagination.max_pages: must be at least 1")

    at = c.keys(data.get("article", {}), _TABLES["article"], "article.")
    labels = c.typed(at, "meta_labels", dict, "article.", {}) or {}
    article = ArticleRules(c.strings(at, "content", "article."),
                           MappingProxyType({re.sub(r"[\s\u3000]", "", k): str(v)
                                             for k, v in labels.items()}))
    for css in article.content:
        c.selector(css, "article.content")

    xt = c.keys(data.get("attachments", {}), _TABLES["attachments"], "attachments.")
    attachments = AttachmentRules(c.strings(xt, "patterns", "attachments."),
                                  c.strings(xt, "extensions", "attachments.")
                                  or AttachmentRules().extensions,
                                  _domains(c, xt, "attachments."))
    c.regexes(attachments.patterns, "attachments.patterns")

    rt = c.keys(data.get("request", {}), _TABLES["request"], "request.")
    headers = c.typed(rt, "headers", dict, "request.", {}) or {}
    request = RequestPolicy(c.typed(rt, "delay", float, "request.", 1.0),
                            c.typed(rt, "concurrency", int, "request.", 1),
                            MappingProxyType({str(k): str(v) for k, v in headers.items()}))
    if request.delay < 0 or request.concurrency < 1 or request.concurrency > 4:
        c.add("request: delay must be >= 0 and concurrency 1..4")

    filter_rules = _filter_rules(c, data.get("filter", {}))
    family = data.get("family") or ""
    options = _family_options(c, family, data.get("options", {})) if family else {}
    if c.problems:
        raise ProfileError(f"{source}: " + "; ".join(c.problems), reason="bad_profile")
    return SiteProfile(
        name=name, title=data["title"], region=data["region"], level=level, family=family,
        hosts=hosts, entries=entries, region_code=code or None, agency=data.get("agency") or None,
        parent=data.get("parent") or None, listing=listing, pagination=pagination,
        article=article, attachments=attachments, encoding=encoding, request=request,
        filter=filter_rules, options=MappingProxyType(options),
        verified=data.get("verified") or "unverified", notes=data.get("notes") or "",
        source=source, domains=domains)


def load_profile(path: str | Path, *, full: bool = True) -> SiteProfile:
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    return profile_from_dict(data, str(path), full=full)


def _dir_profiles(folder: Path, full: bool = True) -> dict[str, SiteProfile]:
    """The valid profiles of a folder; a bad one is logged and left out (``xxgk sites check``
    names its problems), so one broken file does not stop a crawl of the others."""
    found: dict[str, SiteProfile] = {}
    for f in sorted(folder.glob("*.toml")):
        try:
            p = load_profile(f, full=full)
        except ProfileError as exc:
            log.warning("profile left out: %s", exc)
            continue
        found[p.name] = p
    return found


def builtin_profiles(*, full: bool = True) -> dict[str, SiteProfile]:
    return _dir_profiles(sites_dir(), full)


def load_profiles(extra_dirs: list[Path] | tuple[Path, ...] = (), *,
                  full: bool = True) -> dict[str, SiteProfile]:
    """The built-in profiles, then each existing folder of ``extra_dirs`` on top (``full``:
    as ``profile_from_dict``)."""
    found = builtin_profiles(full=full)
    for folder in extra_dirs:
        if Path(folder).is_dir():
            found.update(_dir_profiles(Path(folder), full))
    return found


def adhoc_profile(url: str, *, delay: float | None = None) -> SiteProfile:
    """The profile of a URL crawled without one (a home page, a 信息公开 page or a column):
    generic family, its entry a start page (``options.start``: the columns are found from it),
    scoped to the host's site domain under gov.cn, attachments from any gov.cn host it links to
    (``scraper.discovery.scope``)."""
    from ..discovery.scope import ATTACHMENT_DOMAINS, site_domain

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProfileError(f"not an http(s) URL: {url!r}", url=url, reason="invalid_url")
    host = parts.hostname.lower()
    attachments = AttachmentRules(
        domains=ATTACHMENT_DOMAINS if host.endswith(".gov.cn") else ())
    profile = SiteProfile(name=host, title=host, region="", level="department",
                          family="generic", hosts=(host,), entries=(Entry(url),),
                          attachments=attachments, options=MappingProxyType({"start": True}),
                          verified="adhoc", source=url, domains=(site_domain(host),))
    if delay is not None:
        profile = replace(profile, request=replace(profile.request, delay=delay))
    return profile
