"""Memos that serve one document at a time.

Several readers of one document ask the same pure question of the same text (its place scan, its
width-normalised body, a head line's cleaned title) many times. ``per_document(maxsize)`` memoises
such a function and registers it; ``forget_documents()`` empties every registered memo, which
``parser.pipeline`` does after each parse, so a worker reading document after document holds none
of their texts. Pure functions only: a memo never changes an answer, only when it is computed.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, TypeVar

__all__ = ["per_document", "forget_documents", "held"]

F = TypeVar("F", bound=Callable)
_MEMOS: list = []


def per_document(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)``, emptied by ``forget_documents``."""
    def wrap(fn: F) -> F:
        memo = lru_cache(maxsize=maxsize)(fn)
        _MEMOS.append(memo)
        return memo  # type: ignore[return-value]
    return wrap


def forget_documents() -> None:
    """Empty every per-document memo."""
    for memo in _MEMOS:
        memo.cache_clear()


def held() -> int:
    """How many answers the per-document memos hold now (0 after a parse)."""
    return sum(memo.cache_info().currsize for memo in _MEMOS)
