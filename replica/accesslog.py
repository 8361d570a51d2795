"""The replica's access log: every request it answered, in memory and optionally as JSONL.

``AccessLog(path=None)``: ``append(record)``, ``select(host, path_prefix, method)``, ``clear()``.
End-to-end tests read it to prove what a crawler did and did not request.
"""
from __future__ import annotations

import dataclasses
import json
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["RequestRecord", "AccessLog"]


@dataclass(frozen=True, slots=True)
class RequestRecord:
    time: float
    host: str
    scheme: str
    method: str
    #: path with its query string
    path: str
    status: int
    if_none_match: str | None
    if_modified_since: str | None
    user_agent: str | None
    referer: str | None
    bytes: int


class AccessLog:
    def __init__(self, path: str | Path | None = None):
        self._rows: list[RequestRecord] = []
        self._lock = threading.Lock()
        self._path = Path(path) if path else None

    def append(self, record: RequestRecord) -> None:
        with self._lock:
            self._rows.append(record)
            if self._path:
                with self._path.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(dataclasses.asdict(record), ensure_ascii=False) + "\n")

    def select(self, host: str | None = None, path_prefix: str | None = None,
               method: str | None = None) -> list[RequestRecord]:
        with self._lock:
            rows = list(self._rows)
        return [r for r in rows if (host is None or r.host == host)
                and (path_prefix is None or r.path.startswith(path_prefix))
                and (method is None or r.method == method)]

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
