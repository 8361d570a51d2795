"""The real corpus (tests/data/real/): each document parsed and scored against its labels.

Labels were written by reading the documents (README.md there); this module only compares. One
scoring serves the floors test (tests/test_real_corpus.py) and the scoreboard
(bench/bench_real.py):

- metadata: each labelled fact right, wrong, or missed (the parser said null where the label
  has a value); a wrong *region* is counted on its own (null is better than a wrong place);
- cells: each labelled cell right, wrong (another value) or missed; every metric the parser
  gives that is neither labelled nor `unsure` is misplaced (derived headline metrics aside);
  a labelled blank that the parser fills is misplaced too;
- recognition: a report refused as "not a report", or a non-report accepted.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from parser import parse
from parser.errors import NotAReportError, ParseError
from parser.extract.script import to_simplified

__all__ = ["REAL", "META_FIELDS", "Labelled", "DocScore", "load_corpus", "score_document", "Scoreboard"]

REAL = Path(__file__).resolve().parent / "data" / "real"
META_FIELDS = ("title", "year", "region", "region_code", "agency", "published", "format")
_MEDIA = {".txt": "text/plain", ".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".doc": "application/msword"}


@dataclass(frozen=True)
class Labelled:
    slug: str
    path: Path
    labels: dict

    @property
    def media_type(self) -> str | None:
        name = self.path.name
        return _MEDIA.get(name[name.rfind("."):].lower())

    @property
    def url(self) -> str | None:
        return (self.labels.get("source") or {}).get("url")


@dataclass
class DocScore:
    slug: str
    report: bool
    outcome: str = "parsed"  # parsed | refused | accepted_non_report | rejected_non_report | error
    error: str = ""
    meta: dict[str, str] = field(default_factory=dict)  # field -> right | wrong | missed
    meta_detail: dict[str, tuple] = field(default_factory=dict)  # field -> (label, parsed) when not right
    cells: dict[str, str] = field(default_factory=dict)  # key -> right | wrong | missed | misplaced
    cell_detail: dict[str, tuple] = field(default_factory=dict)

    @property
    def faults(self) -> int:
        bad = sum(v != "right" for v in self.meta.values()) + sum(v != "right" for v in self.cells.values())
        return bad + (5 if self.outcome in ("refused", "accepted_non_report", "error") else 0)


def load_corpus(root: Path = REAL) -> list[Labelled]:
    out = []
    for label_file in sorted(root.glob("*.json")):
        labels = json.loads(label_file.read_text(encoding="utf-8"))
        path = root / labels["file"]
        out.append(Labelled(label_file.stem, path, labels))
    return out


def _squeeze(v):
    return "".join(v.split()) if isinstance(v, str) else v


def _same_fact(name: str, want, got) -> bool:
    if name == "title" and isinstance(want, str) and isinstance(got, str):
        # a 繁體 copy's title may be given as written or in simplified characters: one title either way
        return to_simplified(_squeeze(want)) == to_simplified(_squeeze(got))
    return _squeeze(got) == _squeeze(want)


def _same_number(a, b) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return False


def score_document(doc: Labelled) -> tuple[DocScore, object | None]:
    """The document's score and its record (None when refused or failed)."""
    labels = doc.labels
    is_report = labels.get("report", True)
    score = DocScore(doc.slug, is_report)
    try:
        record = parse(doc.path.read_bytes(), doc.media_type, doc.url)
    except NotAReportError as e:
        score.outcome = "refused" if is_report else "rejected_non_report"
        score.error = str(e)
        return score, None
    except ParseError as e:
        score.outcome, score.error = "error", f"{e.reason}: {e}"
        return score, None
    if not is_report:
        score.outcome = "accepted_non_report"
        return score, record
    for name, want in (labels.get("meta") or {}).items():
        if name not in META_FIELDS:
            continue
        got = getattr(record, name)
        if _same_fact(name, want, got):
            score.meta[name] = "right"
        else:
            score.meta[name] = "missed" if got is None else "wrong"
            score.meta_detail[name] = (want, got)
    cells = labels.get("cells") or {}
    unsure = set(labels.get("unsure") or ())
    blanks = set(labels.get("blanks") or ())
    for key, want in cells.items():
        got = record.metrics.get(key)
        if got is None:
            score.cells[key] = "missed"
        elif _same_number(got, want):
            score.cells[key] = "right"
        else:
            score.cells[key] = "wrong"
        if score.cells[key] != "right":
            score.cell_detail[key] = (want, got)
    for key, got in record.metrics.items():
        if key in cells or key in unsure:
            continue
        ev = record.evidence.get(key)
        if ev is not None and ev.where == "derived" and key not in blanks:
            continue
        score.cells[key] = "misplaced"
        score.cell_detail[key] = ("blank" if key in blanks else None, got)
    return score, record


@dataclass
class Scoreboard:
    scores: list[DocScore]

    @classmethod
    def run(cls, corpus: list[Labelled] | None = None) -> "Scoreboard":
        return cls([score_document(d)[0] for d in (corpus if corpus is not None else load_corpus())])

    def meta_counts(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {f: Counter() for f in META_FIELDS}
        for s in self.scores:
            for name, verdict in s.meta.items():
                out[name][verdict] += 1
        return out

    @property
    def meta_right(self) -> int:
        return sum(c["right"] for c in self.meta_counts().values())

    @property
    def meta_total(self) -> int:
        return sum(sum(c.values()) for c in self.meta_counts().values())

    @property
    def wrong_regions(self) -> list[DocScore]:
        return [s for s in self.scores if s.meta.get("region") == "wrong" or s.meta.get("region_code") == "wrong"]

    def cell_counts(self) -> Counter:
        return Counter(v for s in self.scores for v in s.cells.values())

    @property
    def cells_labelled(self) -> int:
        c = self.cell_counts()
        return c["right"] + c["wrong"] + c["missed"]

    @property
    def refused(self) -> list[DocScore]:
        return [s for s in self.scores if s.outcome in ("refused", "error") and s.report]

    @property
    def accepted_non_reports(self) -> list[DocScore]:
        return [s for s in self.scores if s.outcome == "accepted_non_report"]

    def summary(self) -> dict:
        c = self.cell_counts()
        labelled = self.cells_labelled
        return {
            "documents": len(self.scores),
            "reports": sum(s.report for s in self.scores),
            "refused": len(self.refused),
            "non_reports_accepted": len(self.accepted_non_reports),
            "meta_facts": self.meta_total,
            "meta_right": self.meta_right,
            "meta_accuracy": self.meta_right / self.meta_total if self.meta_total else 1.0,
            "wrong_regions": len(self.wrong_regions),
            "cells_labelled": labelled,
            "cells_right": c["right"], "cells_wrong": c["wrong"], "cells_missed": c["missed"],
            "cells_misplaced": c["misplaced"],
            "cells_read": c["right"] / labelled if labelled else 1.0,
        }
