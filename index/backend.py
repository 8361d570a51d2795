"""What every backend provides to ``SearchIndex`` (search.py), and what it hands back.

A backend owns its files under the index directory and implements ``Backend``: writing prepared
documents (under the writer lock the facade holds), deleting by report id, and ``search`` — the
tree of ``query.py`` plus filters in, the exact matching set's size, one page of ``RawHit``s and the
facets out (computed when first read; ``facets=False`` says they will likely not be: no work
ahead of time); with ``collapse`` the copies of one report count and show once (groups.py). Snippets and result objects are made by the facade, the same way for every backend.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Protocol

from .value_class import Factory, value_class

if TYPE_CHECKING:
    from .documents import PreparedDoc
    from .query import FieldTerm, Leaf, Node

__all__ = ["RawHit", "RawResults", "Backend", "year_bounds", "RELEVANCE_WEIGHTS"]

# how much a query word counts where it occurs (body term frequency saturates at 1.0)
RELEVANCE_WEIGHTS = {"body": 1.0, "title": 2.0, "heading": 1.0}


@value_class
class RawHit:
    report_id: int
    score: float
    stored: dict[str, Any]
    norm_text: str
    copies: list[dict[str, Any]] = Factory(list)  # other copies: report_id, url


@value_class
class RawResults:
    total: int
    hits: list[RawHit]
    facets: dict[str, dict[Any, int]] | Callable[[], dict] = Factory(dict)  # or a thunk


def year_bounds(ft: FieldTerm) -> tuple[int, int]:
    return int(ft.value), int(ft.year_to if ft.year_to is not None else ft.value)


class Backend(Protocol):
    name: str

    def add(self, docs: list[PreparedDoc], *, replace: bool) -> None: ...

    def delete(self, report_ids: list[int]) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def search(self, node: Node, filters: list[FieldTerm], section: Leaf | None, *, sort: str,
               offset: int, limit: int, collapse: bool = True, facets: bool = True) -> RawResults: ...

    def linked_groups(self) -> dict[int, int]: ...

    def doc_count(self) -> int: ...

    def close(self) -> None: ...
