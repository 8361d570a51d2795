"""``index.value_class``: the behaviour of the dataclasses it replaces on the search path, without exec."""
from __future__ import annotations

import dataclasses

import pytest

from index.value_class import Factory, value_class


@value_class(frozen=True)
class Point:
    x: int
    y: int = 0
    label: str = "p"


@dataclasses.dataclass(frozen=True)
class PointDC:
    x: int
    y: int = 0
    label: str = "p"


@value_class
class Bag:
    name: str
    items: list = Factory(list)

    def __post_init__(self) -> None:
        self.seen = len(self.items)


def test_init_takes_fields_by_position_and_keyword_with_defaults():
    assert (Point(1).x, Point(1).y, Point(1).label) == (1, 0, "p")
    assert Point(1, 2, "q") == Point(x=1, label="q", y=2)
    with pytest.raises(TypeError, match="missing required argument: 'x'"):
        Point()
    with pytest.raises(TypeError, match="multiple values"):
        Point(1, x=2)
    with pytest.raises(TypeError, match="unexpected keyword"):
        Point(1, z=2)
    with pytest.raises(TypeError, match="takes 3 arguments"):
        Point(1, 2, "q", 4)


def test_eq_repr_and_hash_are_the_dataclass_ones():
    assert repr(Point(1, 2)) == repr(PointDC(1, 2)).replace("PointDC", "Point")
    assert Point(1) == Point(1) and Point(1) != Point(2) and Point(1) != PointDC(1)
    assert hash(Point(1, 2)) == hash(Point(1, 2)) and len({Point(1), Point(1), Point(2)}) == 2
    with pytest.raises(TypeError):
        hash(Bag("a"))  # not frozen: unhashable, as an eq dataclass


def test_frozen_refuses_assignment_and_deletion():
    p = Point(1)
    with pytest.raises(AttributeError):
        p.x = 2
    with pytest.raises(AttributeError):
        del p.y
    assert p.x == 1


def test_a_factory_default_is_made_for_each_instance_and_post_init_runs():
    a, b = Bag("a"), Bag("b")
    a.items.append(1)
    assert b.items == [] and a.seen == 0 and Bag("c", [1, 2]).seen == 2
    assert Bag("a", [1]) == Bag("a", [1]) and Bag("a", [1]) != Bag("a", [2])


def test_a_field_without_default_after_one_with_a_default_is_refused():
    with pytest.raises(TypeError, match="non-default field 'b'"):
        @value_class
        class Wrong:
            a: int = 0
            b: int


def test_the_query_tree_compares_as_before():
    from index.query import And, FieldTerm, Leaf, parse_query

    assert parse_query("土地 year:2017") == And((Leaf("土地"), FieldTerm("year", "2017", 2017)))
    assert Leaf("土地", "title") != Leaf("土地") and {Leaf("土地"): 1}[Leaf("土地")] == 1
    assert Leaf("“土地”").needle == "土地"  # a cached property on a frozen instance


def test_dataclasses_functions_work_on_a_value_class_as_on_the_dataclass():
    """fields, asdict, replace and is_dataclass: the dataclass's answers (its fields made on first use)."""
    assert dataclasses.is_dataclass(Point) and dataclasses.is_dataclass(Point(1))
    assert [(f.name, f.type, f.default) for f in dataclasses.fields(Point(1))] == \
        [(f.name, f.type, f.default) for f in dataclasses.fields(PointDC(1))]
    assert dataclasses.asdict(Point(1, 2)) == dataclasses.asdict(PointDC(1, 2)) == {"x": 1, "y": 2, "label": "p"}
    assert dataclasses.astuple(Point(1, 2)) == (1, 2, "p")
    moved = dataclasses.replace(Point(1, 2, "q"), y=5)
    assert type(moved) is Point and moved == Point(1, 5, "q")
    bag = dataclasses.replace(Bag("a", [1]), name="b")
    assert bag == Bag("b", [1]) and bag.seen == 1  # __post_init__ ran again, as on a dataclass
    assert dataclasses.fields(Bag)[1].default_factory is list
    assert dataclasses.asdict(Bag("a", [Point(1)])) == {"name": "a", "items": [{"x": 1, "y": 0, "label": "p"}]}
    with pytest.raises(TypeError):
        dataclasses.replace(Point(1), z=3)


def test_a_value_class_does_not_import_dataclasses_until_asked():
    import subprocess
    import sys

    code = ("import sys\nfrom index.value_class import value_class\n@value_class(frozen=True)\nclass P:\n"
            "    x: int\n    y: int = 0\nassert P(1) == P(1, 0) and hash(P(1)) == hash(P(1, 0))\n"
            "assert 'dataclasses' not in sys.modules\nimport dataclasses\n"
            "assert dataclasses.replace(P(1), y=2) == P(1, 2)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_a_hit_says_itself_as_dataclasses_asdict_did():
    """Hit.to_dict, written out (no dataclasses import for --json): asdict's keys in order, with the
    score rounded and the snippets as their own dicts."""
    from index.results import Hit, Snippet

    copies = [{"report_id": 9, "url": "http://y"}]
    hit = Hit(7, "标题", "浙江省", None, 2017, "http://x", 1.23456, [Snippet("土地", ((0, 2),))], "2018-01-02",
              "gb2021", copies)
    expected = dataclasses.asdict(hit)
    expected.update(score=1.2346, snippets=[{"text": "土地", "spans": [[0, 2]], "marked": "【土地】"}])
    d = hit.to_dict()
    assert list(d.items()) == list(expected.items())
    assert d["copies"] == copies and d["copies"][0] is not copies[0]
