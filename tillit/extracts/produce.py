"""Produce an approved order's zip: the same function for the page's background thread and
for `manage.py extract`, so both give the same contents.

Set-based, for a whole municipality (50,000 clients, 5 million journal entries) in under a
minute: one query reads the cases in scope with what k-anonymity needs, and each table is
then read with one query per batch of cases (CASES_PER_QUERY), streamed, never a query per
person. The batches follow the cases in the order of their codes, and rows are written in
that order, so no file's row order follows the database's keys (which grow with time and
would tell roughly when a case whose year was left out began).

Each table is written twice into the zip: as CSV, straight into the archive, and as
Parquet (pyarrow, a batch at a time, through a temporary file). With them go the codebook
(codebook.md, codebook.json) and the release report (report.md, report.json). Entries have
a fixed time stamp and order, so the same order and data give the same bytes, apart from
the run's timing in report.json."""

from __future__ import annotations

import datetime
import json
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.extracts import codebook
from tillit.extracts.models import Order, Run, RunState
from tillit.extracts.scope import CASES_PER_QUERY, CaseRow, Scope, scope
from tillit.extracts.sources import SOURCES, Source, fetch, is_set
from tillit.lib.tables import safe_cell
from tillit.org.models import Unit

STAMP = (1980, 1, 1, 0, 0, 0)  # every entry's time in the zip: no run's time in the bytes
ARROW = {"string": pa.string(), "int": pa.int32(), "float": pa.float64(), "bool": pa.bool_()}

Progress = Callable[[int, str], None]


# -- writing -------------------------------------------------------------------------------


def _info(name: str, compress: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.compress_type = compress
    info.external_attr = 0o644 << 16
    return info


class TableWriter:
    """One table into the zip, a batch of columns at a time: CSV straight into the
    archive and Parquet through a temporary file that is added when the table is done (the
    archive takes one entry at a time), both written by pyarrow."""

    def __init__(self, archive: zipfile.ZipFile, table: codebook.Table, groups: list[str]):
        self.archive = archive
        self.table = table
        self.columns = table.columns_for(groups)
        self.schema = pa.schema([(c.name, ARROW[c.kind]) for c in self.columns])
        self.rows = 0
        self._entry = archive.open(_info(f"csv/{table.name}.csv", zipfile.ZIP_DEFLATED), "w")
        self._csv = pacsv.CSVWriter(self._entry, self.schema)
        self._parquet_file = tempfile.TemporaryFile(dir=directory())  # noqa: SIM115 (closed in close())
        self._parquet = pq.ParquetWriter(self._parquet_file, self.schema, compression="zstd")

    def write(self, columns: list[list]) -> None:
        if not columns or not columns[0]:
            return
        self.rows += len(columns[0])
        arrays = []
        for values, column in zip(columns, self.columns, strict=True):
            if column.kind == "bool":  # 0 and 1 on SQLite
                values = [None if v is None else bool(v) for v in values]
            elif column.codes is not None:  # a choice left empty is missing, as in the CSV
                values = [v or None for v in values]
            arrays.append(pa.array(values, type=ARROW[column.kind]))
        batch = pa.Table.from_arrays(arrays, schema=self.schema)
        self._parquet.write_table(batch)
        text = [i for i, column in enumerate(self.columns) if column.text]
        for i in text:  # typed by staff: never a formula in a spreadsheet
            safe = [None if v is None else safe_cell(v) for v in batch.column(i).to_pylist()]
            batch = batch.set_column(i, self.schema.field(i), pa.array(safe, type=pa.string()))
        self._csv.write_table(batch)

    def write_rows(self, rows: list[list]) -> None:
        self.write([list(column) for column in zip(*rows, strict=True)] if rows else [])

    def close(self) -> None:
        self._csv.close()
        self._entry.close()
        if self.rows == 0:
            self._parquet.write_table(self.schema.empty_table())
        self._parquet.close()
        self._parquet_file.seek(0)
        info = _info(f"parquet/{self.table.name}.parquet", zipfile.ZIP_STORED)
        with self.archive.open(info, "w") as entry:
            shutil.copyfileobj(self._parquet_file, entry, 1 << 20)
        self._parquet_file.close()


def directory() -> Path:
    path = Path(settings.EXTRACT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _batches(cases: list[CaseRow]) -> Iterator[list[CaseRow]]:
    for start in range(0, len(cases), CASES_PER_QUERY):
        yield cases[start : start + CASES_PER_QUERY]


def _write_events(
    writer: TableWriter, s: Scope, source: Source, lookups: dict[int, dict], batch: list[CaseRow]
) -> None:
    """One batch of cases' rows, in the order of the cases' codes (a stable sort keeps
    each case's rows in the database's order of their dates)."""
    rank = {case.pk: i for i, case in enumerate(batch)}
    rows = fetch(source.query(s, list(rank)))
    if not rows:
        return
    rows.sort(key=lambda row: rank[row[0]])
    columns = [list(column) for column in zip(*rows, strict=True)]
    code = {case.pk: case.code for case in batch}
    columns[0] = [code[pk] for pk in columns[0]]
    for i, lookup in lookups.items():
        get = lookup.get
        columns[i + 1] = [get(value) for value in columns[i + 1]]
    if writer.table.name == "decisions":  # whether it replaces one, not which
        columns[-1] = [is_set(pk) for pk in columns[-1]]
    writer.write(columns)


def _left_out(s: Scope, name: str) -> int:
    """Rows of a table about suppressed cases (counted, never written)."""
    count = 0
    for start in range(0, len(s.suppressed), CASES_PER_QUERY):
        chunk = s.suppressed[start : start + CASES_PER_QUERY]
        count += SOURCES[name].query(s, chunk).count()
    return count


def _functions(unit: Unit) -> list[bool]:
    return [unit.does_assessment, unit.does_intervention, unit.does_follow_up]


def write_zip(s: Scope, path: Path, progress: Progress) -> dict[str, Any]:
    """Write the extract of `s` to `path`; the rows of each table and those left out."""
    tables = codebook.tables_for(s.groups)
    event_tables = [t for t in tables if t.name in SOURCES]
    batches = list(_batches(s.cases))
    total = max(1, len(event_tables) * max(1, len(batches)))
    done = 0
    rows: dict[str, int] = {}
    left_out: dict[str, int] = {"cases": len(s.suppressed)}
    with zipfile.ZipFile(path, "w", compresslevel=6) as archive:
        for table in tables:
            writer = TableWriter(archive, table, s.groups)
            if table.name == "units":
                writer.write_rows(
                    [[u.pk, u.name, u.parent_id, u.does_intake, *_functions(u)] for u in s.units]
                )
            elif table.name == "cases":
                writer.write_rows(s.rows)
            else:
                source = SOURCES[table.name]
                lookups = source.lookups(s)
                for batch in batches:
                    _write_events(writer, s, source, lookups, batch)
                    done += 1
                    progress(10 + 85 * done // total, table.name)
                left_out[table.name] = _left_out(s, table.name)
            writer.close()
            rows[table.name] = writer.rows
    return {"rows": rows, "left_out": left_out}


def report(s: Scope, counts: dict[str, Any]) -> dict[str, Any]:
    order = s.order
    approved = order.approvals.order_by("-at").values_list("at", flat=True).first()
    return {
        "study": order.study,
        "purpose": order.purpose,
        "order": order.pk,
        "ordered_on": timezone.localdate(order.ordered_at).isoformat(),
        "approved_on": timezone.localdate(approved).isoformat() if approved else None,
        "period": {"from": s.first.isoformat(), "to": s.last.isoformat()},
        "units": [{"unit": u.pk, "name": u.name} for u in s.units],
        "groups": s.groups,
        "k": codebook.K,
        "quasi_identifiers": (["age_band", "sex"] if "demographics" in s.groups else [])
        + ["unit", "start_year"],
        "anonymity": s.anonymity,
        "rows": counts["rows"],
        "rows_left_out": counts["left_out"],
    }


def report_markdown(data: dict[str, Any]) -> str:
    a = data["anonymity"]
    period = _("Period")
    units = _("Units")
    variables = _("Variables")
    quasi = _("Quasi-identifiers")
    title = _("Release report")
    cases, number = _("cases"), _("number")
    table, rows, left_out = _("table"), _("rows"), _("rows left out with suppressed cases")
    counts = [
        (_("in scope"), a["cases"]),
        (_("released as ordered"), a["as_ordered"]),
        (_("generalised: age in 10-year bands"), a["age_widened"]),
        (_("generalised: also without the year"), a["year_left_out"]),
        (_("suppressed (left out)"), a["suppressed"]),
    ]
    lines = [
        f"# {title}: {data['study']}",
        "",
        data["purpose"],
        "",
        f"- {period}: {data['period']['from']} - {data['period']['to']}",
        f"- {units}: " + ", ".join(u["name"] for u in data["units"]),
        f"- {variables}: " + ", ".join(data["groups"]),
        f"- {quasi}: " + ", ".join(data["quasi_identifiers"]),
        f"- k = {data['k']}",
        "",
        "## k-anonymity",
        "",
        f"| {cases} | {number} |",
        "|---|---|",
        *(f"| {label} | {n} |" for label, n in counts),
        "",
        f"## {rows.capitalize()}",
        "",
        f"| {table} | {rows} | {left_out} |",
        "|---|---|---|",
    ]
    for name, n in data["rows"].items():
        lines.append(f"| {name} | {n} | {data['rows_left_out'].get(name, '')} |")
    return "\n".join(lines) + "\n"


def _add_text(archive: zipfile.ZipFile, name: str, text: str) -> None:
    archive.writestr(_info(name, zipfile.ZIP_DEFLATED), text.encode())


def produce(run: Run, progress: Progress | None = None) -> Path:
    """Produce `run`'s zip and mark it ready (or failed, re-raising): the one way an
    extract is made, from the page's thread and from the command alike."""
    started = time.monotonic()

    def step(percent: int, name: str) -> None:
        Run.objects.filter(pk=run.pk).update(
            progress=min(percent, 99), step=name, updated_at=timezone.now()
        )
        if progress:
            progress(percent, name)

    Run.objects.filter(pk=run.pk).update(state=RunState.RUNNING, updated_at=timezone.now())
    folder = directory()
    name = f"extract-{run.order_id}-{run.pk}-{secrets.token_hex(8)}.zip"
    partial = folder / f"{name}.part"
    try:
        order = Order.objects.get(pk=run.order_id)
        if not order.is_approved:
            raise PermissionError("the order is not approved")
        with translation.override(order.language):
            step(2, "scope")
            s = scope(order)
            counts = write_zip(s, partial, step)
            data = report(s, counts)
            with zipfile.ZipFile(partial, "a", compresslevel=6) as archive:
                _add_text(archive, "codebook.md", codebook.as_markdown(s.groups))
                _add_text(archive, "codebook.json", codebook.as_json(s.groups))
                _add_text(archive, "report.md", report_markdown(data))
                seconds = round(time.monotonic() - started, 1)
                run_data = {"produced_at": timezone.now().isoformat(), "seconds": seconds}
                _add_text(
                    archive,
                    "report.json",
                    json.dumps({**data, "run": run_data}, ensure_ascii=False, indent=2) + "\n",
                )
        partial.rename(folder / name)
    except BaseException as error:
        partial.unlink(missing_ok=True)
        Run.objects.filter(pk=run.pk).update(
            state=RunState.FAILED,
            error=type(error).__name__[:100],
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        raise
    now = timezone.now()
    Run.objects.filter(pk=run.pk).update(
        state=RunState.READY,
        progress=100,
        step="done",
        file=name,
        size=(folder / name).stat().st_size,
        report={**data, "seconds": time.monotonic() - started},
        finished_at=now,
        updated_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EXTRACT_KEEP_HOURS),
    )
    if progress:
        progress(100, "done")
    return folder / name


def path_of(run: Run) -> Path:
    return directory() / run.file


def contents(path: Path) -> dict[str, bytes]:
    """Each entry of a zip with its bytes (for comparing two runs)."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
