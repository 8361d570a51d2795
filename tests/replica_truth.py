"""The parser against the replica's truth: every report's primary file parsed and compared.

``compare_world(seed, today)`` builds a ``ReplicaServer`` world (no HTTP: ``resource`` gives the
bytes), parses each truth report's primary file (the page, or the attachment a stub page or a
list links to) with ``parser.parse`` and compares the record with the truth: title, year, region,
agency, published, format and every metric (a metric the parser adds that the truth lacks is a
mismatch too). Returns one ``Mismatch`` list per report key (empty when exact).

    .venv/bin/python tests/replica_truth.py [--seeds 0,1,2] [--today 2026-11-27]

prints every mismatch and the count of exact reports.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parser import parse  # noqa: E402
from parser.errors import ParseError  # noqa: E402
from replica import ReplicaServer, ReportTruth  # noqa: E402

__all__ = ["FIELDS", "Mismatch", "primary_bytes", "compare_record", "compare_report", "compare_world"]

FIELDS = ("title", "year", "region", "agency", "published", "format")


@dataclass(frozen=True, slots=True)
class Mismatch:
    key: str  # a metadata field or a metric key; "parse" when no record came out
    expected: object
    got: object


def primary_bytes(rep: ReplicaServer, report: ReportTruth) -> tuple[str, bytes, str]:
    """(url, bytes, content type) of the file that holds the report's values."""
    url = report.primary_url
    final = next((a.final_url for a in report.attachments if a.url == url and a.final_url), url)
    parts = urlsplit(final)
    host = parts.hostname or ""
    res = rep.resource(host, parts.path + (f"?{parts.query}" if parts.query else "")) or rep.resource(host, parts.path)
    if res is None:
        raise LookupError(f"{report.key}: the replica serves nothing at {final}")
    return url, res.body, res.content_type


def compare_record(record, truth: ReportTruth) -> list[Mismatch]:
    out = [Mismatch(f, getattr(truth, f), getattr(record, f)) for f in FIELDS
           if getattr(record, f) != getattr(truth, f)]
    out += [Mismatch(k, v, record.metrics.get(k)) for k, v in truth.metrics.items() if record.metrics.get(k) != v]
    out += [Mismatch(k, None, v) for k, v in record.metrics.items() if k not in truth.metrics]
    return out


def compare_report(rep: ReplicaServer, truth: ReportTruth) -> list[Mismatch]:
    url, data, content_type = primary_bytes(rep, truth)
    try:
        return compare_record(parse(data, content_type, url), truth)
    except ParseError as exc:
        return [Mismatch("parse", "a record", str(exc))]


def compare_world(seed: int = 0, today: dt.date | None = None) -> dict[str, list[Mismatch]]:
    rep = ReplicaServer(seed=seed, delays=0, today=today, throttle=False)
    return {truth.key: compare_report(rep, truth) for truth in rep.truth.reports}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--today", type=dt.date.fromisoformat, default=None)
    args = ap.parse_args()
    exact = total = 0
    for seed in (int(s) for s in args.seeds.split(",")):
        for key, mismatches in compare_world(seed, args.today).items():
            total += 1
            exact += not mismatches
            for m in mismatches:
                print(f"seed {seed} {key}: {m.key} expected {m.expected!r} got {m.got!r}")
    print(f"exact: {exact} of {total} reports")


if __name__ == "__main__":
    main()
