"""Parser settings: one frozen dataclass, every default written here and nowhere else."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

__all__ = ["ParseSettings"]


@dataclass(frozen=True, slots=True)
class ParseSettings:
    #: seconds one document may take before the reader gives up with ParseTimeoutError
    time_budget: float = 60.0
    #: largest input accepted, in bytes (checked before any work)
    max_bytes: int = 200 * 1024 * 1024
    #: PDF pages read at most (a 2,000-page scan is not a report)
    max_pdf_pages: int = 300
    #: strict mode: a cell that cannot be placed raises instead of giving a finding
    strict: bool = False
    #: ZIP containers (DOCX): largest inflated size of one member, in bytes
    max_zip_member_bytes: int = 64 * 1024 * 1024
    #: ZIP containers: largest inflated size of all members together, in bytes
    max_zip_total_bytes: int = 256 * 1024 * 1024
    #: ZIP containers: largest inflated/compressed ratio of a member over 1 MB (XML rarely tops 20)
    max_zip_ratio: float = 200.0
    #: ZIP containers: most members (a DOCX has a few dozen)
    max_zip_members: int = 10_000
    #: PDF table finder: most crossings of ruling lines on one page (horizontal × vertical lines);
    #: a denser page's tables are not read (a report's biggest table has a few hundred)
    max_table_crossings: int = 5_000
    #: characters of a page's text read at most (a long report has 200,000); the rest is cut, with a warning
    max_text_chars: int = 1_000_000

    def __post_init__(self) -> None:
        if self.time_budget <= 0:
            raise ValueError("time_budget must be positive")
        if self.max_bytes <= 0 or self.max_pdf_pages <= 0:
            raise ValueError("max_bytes and max_pdf_pages must be positive")
        if min(self.max_zip_member_bytes, self.max_zip_total_bytes, self.max_zip_members,
               self.max_table_crossings, self.max_text_chars) <= 0 or self.max_zip_ratio <= 1:
            raise ValueError("the ZIP and table limits must be positive (the ratio above 1)")

    @classmethod
    def resolve(cls, value: "ParseSettings | dict[str, Any] | None") -> "ParseSettings":
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        known = {f.name for f in fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown parse settings: {', '.join(sorted(unknown))}")
        return replace(cls(), **value)
