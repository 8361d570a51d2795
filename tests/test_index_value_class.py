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
