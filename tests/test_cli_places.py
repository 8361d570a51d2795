"""Issue 14, item 4: one resolver for --region and --agency (archive/places.py), used by every command."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.errors import InputError
from archive.places import (Place, PlaceMatch, _levels, _matched_level, level_forms, match_agencies, place_levels,
                            resolve_places)
from cli_homes import examples_home
from conftest import run_cli

ARCHIVED = [("浙江省", "330000"), ("浙江省杭州市", "330100"), ("浙江省杭州市余杭区", "330110"),
            ("浙江省杭州市余杭区仁和街道", "330110"), ("浙江省杭州市西湖区", "330106"), ("江西省南昌市西湖区", "360103"),
            ("贵州省黔东南苗族侗族自治州凯里市万潮镇", "522601"), ("上海市黄浦区", "310101")]


@pytest.mark.parametrize("name", ["余杭", "余杭区", "余杭县", "杭州市余杭区", "杭州余杭", "浙江杭州余杭", "浙江省杭州市余杭区",
                                  " 余杭 "])
def test_full_short_with_or_without_level_words(name: str):
    m = resolve_places([name], ARCHIVED)
    assert m.regions == {"浙江省杭州市余杭区", "浙江省杭州市余杭区仁和街道"} and m.places == ("浙江省杭州市余杭区",)
    assert resolve_places([name], ARCHIVED, exact=True).regions == {"浙江省杭州市余杭区"}


def test_parents_include_children_unless_exact():
    assert resolve_places(["杭州"], ARCHIVED).regions == {r for r, _ in ARCHIVED if r.startswith("浙江省杭州市")}
    assert resolve_places(["杭州"], ARCHIVED, exact=True).regions == {"浙江省杭州市"}
    assert resolve_places(["浙江"], ARCHIVED).regions == {r for r, _ in ARCHIVED if r.startswith("浙江")}
    # two places of one name: both, each with its children
    assert resolve_places(["西湖"], ARCHIVED).regions == {"浙江省杭州市西湖区", "江西省南昌市西湖区"}
    assert resolve_places(["黔东南州"], ARCHIVED).regions == {"贵州省黔东南苗族侗族自治州凯里市万潮镇"}
    assert resolve_places(["黄浦"], ARCHIVED).regions == {"上海市黄浦区"}


def test_unknown_place_says_so_and_suggests():
    with pytest.raises(InputError, match=r"unknown place '火星'"):
        resolve_places(["火星"], ARCHIVED)
    with pytest.raises(InputError, match=r"closest in the archive: 浙江省杭州市"):
        resolve_places(["杭洲"], ARCHIVED)
    with pytest.raises(InputError, match=r"no archived report of .*朝阳区"):  # a real place, not archived
        resolve_places(["朝阳区"], ARCHIVED)


def _read_every_place(name: str, places: list[Place]) -> dict[bool, PlaceMatch | None]:
    """The resolver's reading with no shortcut, every archived place's levels against the name:
    what it selects with and without ``exact`` (None: nothing)."""
    out = {}
    for exact in (False, True):
        hits: set[str] = set()
        read_as: list[str] = []
        for p in places:
            i = len(p.path) - 1 if name == p.region else _matched_level(name, _levels(p.path))
            if i is not None and (name == p.region or not exact or i == len(p.path) - 1):
                hits.add(p.region)
                read_as.append(p.region if name == p.region else p.path[i])
        out[exact] = PlaceMatch(frozenset(hits), tuple(dict.fromkeys(read_as))) if hits else None
    return out


def test_a_national_archive_reads_each_name_as_reading_every_place_would():
    """resolve_places looks at the levels of only the places that can hold the name (issue 18: a
    national archive's 40,000 places took seconds a call); what it selects is what reading every
    place selects, over the whole division table, towns and places without a code among them."""
    from parser import regions

    archived = [(regions.full_name(code), code) for code in sorted(regions._divisions())]
    archived = [(r, c) for r, c in archived if r]
    towns = [(r + "仁和街道", c) for r, c in archived[::40] if not c.endswith("00")]
    uncoded = [(r, None) for r, _ in archived[7::97]]
    pairs = archived + towns + uncoded
    places = [Place(r, c, place_levels(r, c)) for r, c in dict.fromkeys(pairs)]
    names = ["余杭", "余杭县", "杭州余杭", "浙江杭州余杭", "西湖", "黔东南州", "黄浦", "朝阳", "新区", "市中区", "北京",
             "内蒙古", "长阳", "仁和街道", "杭州", "新疆", "吉林市", "沙市"]
    names += [level_forms(_levels(p.path)[-1])[-1] for p in places[3::307]]
    assert len(places) > 3500 and len(names) > 25
    for name in names:
        for exact, want in _read_every_place(name, places).items():
            if want is None:
                with pytest.raises(InputError):
                    resolve_places([name], pairs, exact=exact)
            else:
                assert resolve_places([name], pairs, exact=exact) == want, (name, exact)


def test_agencies_by_a_part_with_or_without_level_words():
    agencies = ["杭州市教育局", "杭州市余杭区教育局", "南京市教育局", "泰州市信访局"]
    assert match_agencies("教育局", agencies) == {"杭州市教育局", "杭州市余杭区教育局", "南京市教育局"}
    assert match_agencies("杭州教育局", agencies) == {"杭州市教育局"}
    with pytest.raises(InputError, match="closest in the archive"):
        match_agencies("南京教委", agencies)


def test_agencies_read_in_one_string_match_as_read_one_by_one():
    """match_agencies normalises every archived agency in one string (issue 18: 100,000 agencies);
    what it selects is what normalising each one selects: full-width letters, spaces of every kind,
    level words anywhere, a name of one character."""
    from archive.places import _agency_key, _norm

    agencies = ["杭州市 余杭区\u3000教育局", "ＸＸ县教育局", "余杭区\t财政局", "局", "上海市\xa0黄浦区信访办", "北京市人民政府",
                "杭州市余杭区教育局第2处", "省市区县"] + [f"第{i}县教育局" for i in range(200)]
    for name in ("教育局", "余杭教育局", "XX教育", "黄浦 信访", "人民政府", "局", "第17县", "市区"):
        wanted, key = _norm(name), _agency_key(name)
        want = {a for a in agencies if wanted in _norm(a) or (key and key in _agency_key(a))}
        assert want and match_agencies(name, agencies) == want, name


def test_the_places_that_can_hold_a_name_are_read_by_sql_as_python_would_pick_them(tmp_path: Path):
    """``archived_places(conn, names)`` reads only the places whose full name holds a name's first
    character (a national archive's 40,000 places cost 80 ms to read whole), exactly those, LIKE's own
    wildcards and letters of either case included; a name that selects nothing still hears of the
    closest place of the whole archive, whatever its first character."""
    from archive.catalog import Catalog
    from archive.places import _norm, archived_places, resolve_filters
    from conftest import catalog_at

    regions = [r for r, _ in ARCHIVED] + ["100%新区", "A_区", "a区", "B\\区", "Ｃ市"]
    cat = Catalog(catalog_at(tmp_path))
    with cat.write() as c:
        for i, region in enumerate(regions):
            c.execute("INSERT INTO documents(id, sha256, size, media_type, created_at, status) "
                      "VALUES (?, ?, 1, 'text/html', 'now', 'parsed')", (i + 1, f"{i:064x}"))
            c.execute("INSERT INTO reports(id, document_id, title, year, region, agency, parser_version, parsed_at, "
                      "record_json) VALUES (?, ?, ?, 2020, ?, '', 't', 'now', '{}')", (i + 1, i + 1, f"r{i}", region))
    every = archived_places(cat.conn)
    assert sorted(r for r, _ in every) == sorted(regions)
    for names in (["余杭"], ["%"], ["_"], ["A"], ["a"], ["\\"], ["C"], ["西湖", " 黄浦"], ["火星"], ["", " "]):
        want = {r for r, _ in every if any(_norm(n) and _norm(n)[0] in r for n in names)}
        got = {r for r, _ in archived_places(cat.conn, names)}
        assert want <= got <= want | {r for r in regions if r.isascii() or "a" in r.lower()}, names  # SQLite's LIKE folds ASCII case
        assert {r for r in got if any(_norm(n) and _norm(n)[0] in r for n in names)} == want, names
    with pytest.raises(InputError, match="closest in the archive: .*浙江省杭州市余杭区"):
        resolve_filters(cat.conn, ["佘杭"], None)
    cat.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    return str(examples_home(tmp_path_factory.mktemp("places") / "home"))


def _ids(*args: str) -> list[int]:
    r = run_cli(*args)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    return sorted(h["report_id"] if "report_id" in h else h["id"] for h in (data["hits"] if "hits" in data else data))


def test_every_command_reads_a_place_the_same_way(home: str, tmp_path: Path):
    yuhang = _ids("reports", "--region", "余杭", "--json", "--home", home)
    assert len(yuhang) == 1
    for name in ("余杭", "杭州", "浙江", "余杭区", "杭州市余杭区"):
        assert _ids("reports", "--region", name, "--json", "--home", home) == yuhang, name
        assert _ids("search", "政府信息公开", "--region", name, "--json", "--home", home) == yuhang, name
        r = run_cli("compare", "--region", name, "--format", "json", "--home", home)
        assert r.returncode == 0 and [row["report_id"] for row in json.loads(r.stdout)] == yuhang, name
    assert _ids("reports", "--region", "余杭", "--exact", "--json", "--home", home) == yuhang
    assert _ids("search", "政府信息公开", "--region", "余杭区", "--exact", "--json", "--home", home) == yuhang
    for cmd in (["reports"], ["search", "政府信息公开"], ["compare"]):
        r = run_cli(*cmd, "--region", "杭州", "--exact", "--home", home)
        assert r.returncode == 1 and "itself (--exact leaves out the places below it: 浙江省杭州市余杭区)" in r.stderr, cmd
    for cmd in (["reports"], ["search", "政府信息公开"], ["compare"], ["check"]):
        r = run_cli(*cmd, "--region", "火星", "--home", home)
        assert r.returncode == 1 and r.stderr.startswith("error: unknown place '火星'"), cmd
        assert len(r.stderr.strip().splitlines()) == 1
