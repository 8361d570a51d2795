"""The archive's records as Parquet for pandas, DuckDB and R: ``xxgk export --parquet DIR``.

    export_parquet(home, folder) -> {file name: rows}

Writes, into ``folder``:

    reports.parquet    every report (copies too), with ``counted``: whether `xxgk compare` keeps it under
                       the duplicate rule, and the ids it stands for or the one that stands for it
    metrics.parquet    long form, one row per report and metric: the values `xxgk compare` reads
                       (headline fill-ins marked derived), with the evidence of each as columns
    findings.parquet   every report's findings
    README.md          the columns of each file, from the same table of columns the files are written by

Values come from ``archive.compare`` (``build_comparison`` over everything, without merging, and
again with merging for ``counted``), so a query summing ``metrics`` over counted reports gives the
numbers `xxgk compare` prints. Rows are written in batches (bounded memory); each file appears whole
(written beside, then renamed). pyarrow is the optional extra ``parquet``, imported only here.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .catalog_evidence import EvidenceReader
from .compare import Selection, build_comparison, label_for, unit_for
from .errors import InputError
from .home import Home

__all__ = ["export_parquet", "TABLES"]

BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    type: str  # int64 | float64 | string | bool | list<int64> | list<float64>
    doc: str


TABLES: dict[str, tuple[str, tuple[Col, ...]]] = {
    "reports": ("One row per report, copies included.", (
        Col("id", "int64", "report id (as in `xxgk show ID`)"),
        Col("document_id", "int64", "the archived file's catalog id"),
        Col("sha256", "string", "sha256 of the archived file (its blob)"),
        Col("media_type", "string", "media type of the archived file"),
        Col("title", "string", "title"),
        Col("year", "int64", "year the report covers"),
        Col("region", "string", "full region name (浙江省杭州市余杭区)"),
        Col("region_code", "string", "GB/T 2260 code (null outside it: 开发区, 新区 …)"),
        Col("agency", "string", "publishing agency, full official name"),
        Col("published", "string", "publish date (ISO)"),
        Col("format", "string", "legacy, gb2019 or gb2021"),
        Col("url", "string", "source URL of record (file: URI for an imported file)"),
        Col("variant", "string", "图解, 解读, 更正 … when the title says so"),
        Col("parser_version", "string", "parser that made the record"),
        Col("parsed_at", "string", "when it was parsed (ISO, UTC)"),
        Col("counted", "bool", "kept by `xxgk compare` (the duplicate rule: one report per publisher and year)"),
        Col("merged_into", "int64", "the counted report that stands for this copy (null when counted)"),
        Col("merged_report_ids", "list<int64>", "the copies this counted report stands for"),
    )),
    "metrics": ("One row per report and metric (long form); a metric a report does not state has no row.", (
        Col("report_id", "int64", "reports.id"),
        Col("metric", "string", "SCHEMA.md key (applications.new.total)"),
        Col("metric_label", "string", "Chinese label (新收申请)"),
        Col("value", "float64", "the number"),
        Col("unit", "string", "unit of the value (件, 万元, %)"),
        Col("derived", "bool", "computed from other metrics, not read from the report"),
        Col("evidence", "string", "where it was read, as one line (as `xxgk compare --shape long`)"),
        Col("evidence_where", "string", "table, text, ocr or derived"),
        Col("evidence_page", "int64", "PDF page (1-based)"),
        Col("evidence_table", "int64", "table index in the document"),
        Col("evidence_row", "string", "row label as written"),
        Col("evidence_column", "string", "column label as written"),
        Col("evidence_snippet", "string", "prose snippet, or the formula of a derived value"),
        Col("evidence_bbox", "list<float64>", "cell box on the page in points: x0, top, x1, bottom"),
        Col("evidence_cell", "list<int64>", "(row, column) index in the table's grid"),
        Col("evidence_confidence", "float64", "OCR recogniser's confidence (0-1)"),
    )),
    "findings": ("One row per finding of a report (consistency rules, parse warnings).", (
        Col("report_id", "int64", "reports.id"),
        Col("ord", "int64", "order within the report"),
        Col("rule", "string", "rule key (SCHEMA.md)"),
        Col("severity", "string", "error, warning or info"),
        Col("message", "string", "what is wrong"),
        Col("values_json", "string", "the values the rule compared, as JSON"),
    )),
}


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:
        raise InputError("--parquet needs pyarrow: pip install 'xxgk[parquet]'") from e
    return pa, pq


def _schema(pa, cols: tuple[Col, ...]):
    scalar = {"int64": pa.int64(), "float64": pa.float64(), "string": pa.string(), "bool": pa.bool_()}

    def arrow(t: str):
        return pa.list_(scalar[t[5:-1]]) if t.startswith("list<") else scalar[t]

    return pa.schema([pa.field(c.name, arrow(c.type)) for c in cols])


def export_parquet(home: Home, folder: Path) -> dict[str, int]:
    pa, pq = _pyarrow()
    from .compare.writers import atomic_output

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot write {folder}: {e.strerror or e}") from e
    conn = home.catalog.conn
    rows = {"reports": _report_rows(conn), "metrics": _metric_rows(conn), "findings": _finding_rows(conn)}
    counts: dict[str, int] = {}
    for name, (_, cols) in TABLES.items():
        schema = _schema(pa, cols)
        target = folder / f"{name}.parquet"
        try:
            with atomic_output(target) as tmp:
                counts[target.name] = _write(pa, pq, tmp, schema, rows[name])
        except OSError as e:
            raise InputError(f"cannot write {target}: {e.strerror or e}") from e
    with atomic_output(folder / "README.md") as tmp:
        tmp.write_text(columns_readme(), encoding="utf-8")
    return counts


def _write(pa, pq, path: Path, schema, rows: Iterable[tuple]) -> int:
    n = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        batch: list[tuple] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                writer.write_table(_table(pa, schema, batch))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(_table(pa, schema, batch))
            n += len(batch)
    return n


def _table(pa, schema, batch: list[tuple]):
    columns = list(zip(*batch)) if batch else [[] for _ in schema]
    return pa.Table.from_arrays([pa.array(list(col), type=f.type) for col, f in zip(columns, schema)], schema=schema)


def columns_readme() -> str:
    out = ["# xxgk export --parquet", "",
           "Read with DuckDB (`SELECT * FROM 'metrics.parquet'`), pandas (`pd.read_parquet`) or R "
           "(`arrow::read_parquet`). Join `metrics` and `findings` to `reports` on `report_id = id`; keep "
           "`reports.counted` to get the reports `xxgk compare` counts (one per publisher and year).", ""]
    for name, (about, cols) in TABLES.items():
        out += [f"## {name}.parquet", "", about, "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| {c.name} | {c.type} | {c.doc} |" for c in cols]
        out.append("")
    return "\n".join(out)


def _report_rows(conn: sqlite3.Connection) -> Iterator[tuple]:
    kept = build_comparison(conn, Selection(), []).reports
    merged = {r.id: list(r.merged) for r in kept}
    into = {copy: r.id for r in kept for copy in r.merged}
    for r in conn.execute(
            "SELECT r.id, r.document_id, d.sha256, d.media_type, r.title, r.year, r.region, r.region_code, r.agency, "
            "r.published, r.format, r.url, r.variant, r.parser_version, r.parsed_at FROM reports r "
            "JOIN documents d ON d.id = r.document_id ORDER BY r.id"):
        yield (*tuple(r), r["id"] in merged, into.get(r["id"]), merged.get(r["id"], []))


def _metric_rows(conn: sqlite3.Connection) -> Iterator[tuple]:
    cmp = build_comparison(conn, Selection(), ["all"], merge=False)
    labels = {k: label_for(k) for k in cmp.metrics}
    units = {k: unit_for(k) for k in cmp.metrics}
    reader = EvidenceReader(conn)
    for rv in cmp.values(with_evidence=True):
        # conn.execute makes a cursor of its own (SQLite and PostgreSQL): the values stream stays open
        stored = reader.decode_many(rv.report.id, dict(conn.execute(
            "SELECT key, evidence_json FROM metrics WHERE report_id = ?", (rv.report.id,))))
        for key in cmp.metrics:
            value = rv.values.get(key)
            if value is None:
                continue
            ev = _evidence(stored.get(key))
            if key in rv.derived and not ev:
                ev = {"where": "derived"}
            yield (rv.report.id, key, labels[key], float(value), units[key], key in rv.derived,
                   rv.evidence.get(key, ""), ev.get("where"), ev.get("page"), ev.get("table"), ev.get("row"),
                   ev.get("column"), ev.get("snippet"), _floats(ev.get("bbox")), _ints(ev.get("cell")),
                   ev.get("confidence"))


def _evidence(ev: Any) -> dict[str, Any]:
    if isinstance(ev, str):  # not JSON: kept as the words it is
        return {"snippet": ev}
    return ev if isinstance(ev, dict) else {}


def _floats(v: Any) -> list[float] | None:
    return [float(x) for x in v] if isinstance(v, list) else None


def _ints(v: Any) -> list[int] | None:
    return [int(x) for x in v] if isinstance(v, list) else None


def _finding_rows(conn: sqlite3.Connection) -> Iterator[tuple]:
    yield from (tuple(r) for r in conn.execute(
        "SELECT report_id, ord, rule, severity, message, values_json FROM findings ORDER BY report_id, ord"))
