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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.clients.models import Assignment, Case, Handover
from tillit.decisions.models import Decision, Law
from tillit.extracts import anonymity, codebook
from tillit.extracts.models import Order, Run, RunState
from tillit.extracts.pseudonyms import Pseudonyms
from tillit.feedback.models import Alert, Instrument, Response
from tillit.followup.models import Closing, FollowUp
from tillit.lib import ids
from tillit.lib.tables import safe_cell
from tillit.org.models import Method, Unit, units_below
from tillit.outcomes.models import Intervention, Provider

CASES_PER_QUERY = 5000
STAMP = (1980, 1, 1, 0, 0, 0)  # every entry's time in the zip: no run's time in the bytes
ARROW = {"string": pa.string(), "int": pa.int32(), "float": pa.float64(), "bool": pa.bool_()}

Progress = Callable[[int, str], None]


@dataclass
class CaseRow:
    pk: int
    code: str
    person: str
    opened: int  # the opening day's ordinal: a day is a date's ordinal less this


@dataclass
class Scope:
    order: Order
    units: list[Unit]
    cases: list[CaseRow]  # released, in the order of their codes
    suppressed: list[int]
    rows: list[list[Any]]  # the cases table, in the same order
    anonymity: dict[str, int]
    codes: Pseudonyms
    first: datetime.date
    last: datetime.date
    groups: list[str] = field(default_factory=list)


def _day(value: datetime.date | None, opened: int) -> int | None:
    return None if value is None else value.toordinal() - opened


def _age(born: datetime.date | None, on: datetime.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def scope(order: Order) -> Scope:
    """The cases of the order's units (and those below) open some time in its period,
    released through k-anonymity, with the rows of the cases table."""
    codes = Pseudonyms(order.secret)
    unit_ids = units_below(set(order.units.values_list("pk", flat=True)))
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("pk"))
    first, last = order.period_from, order.period_to
    rows = list(
        Case.objects.filter(unit_id__in=unit_ids, opened_on__lte=last, removed_on__isnull=True)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        .order_by()
        .values_list(
            "pk",
            "person_id",
            "unit_id",
            "opened_on",
            "closed_on",
            "origin",
            "status",
            "previous_id",
            "assess",
            "assess_decided_on",
            "person__id_country",
            "person__id_number",
        )
    )
    demographics = "demographics" in order.groups
    quasi = []
    for _pk, person, unit, opened, *_case, country, number in rows:
        born = ids.birth_date(country, number) if demographics else None
        sex = ids.sex(country, number) if demographics else ""
        quasi.append(anonymity.Quasi(person, _age(born, opened), sex, unit, opened.year))
    released = anonymity.release(quasi, demographics=demographics)
    in_extract = {row[0] for row, out in zip(rows, released, strict=True) if out is not None}
    groups = order.groups
    table = codebook.TABLE["cases"]
    wanted = [c.name for c in table.columns_for(groups)]
    cases, case_rows, suppressed = [], [], []
    for row, out in zip(rows, released, strict=True):
        pk, person, unit, opened, closed, origin, status, previous, assess, assessed = row[:10]
        if out is None:
            suppressed.append(pk)
            continue
        begun = opened.toordinal()
        values = {
            "case": codes.case(pk),
            "person": codes.person(person),
            "unit": unit,
            "start_year": out.year,
            "age_band": out.age_band,
            "sex": out.sex,
            "generalised": out.level,
            "origin": origin,
            "status": status,
            "previous_case": codes.case(previous) if previous in in_extract else None,
            "assess": assess,
            "assess_day": _day(assessed, begun),
            "closed_day": _day(closed, begun),
        }
        cases.append(CaseRow(pk, codes.case(pk), codes.person(person), begun))
        case_rows.append([values[name] for name in wanted])
    order_of = sorted(range(len(cases)), key=lambda i: cases[i].code)
    return Scope(
        order=order,
        units=units,
        cases=[cases[i] for i in order_of],
        suppressed=sorted(suppressed),
        rows=[case_rows[i] for i in order_of],
        anonymity=anonymity.summary(released),
        codes=codes,
        first=first,
        last=last,
        groups=list(groups),
    )


# -- the tables: each reads one batch of cases in one query --------------------------------
#
# A source is a query of one table's rows for a batch of cases: the case's key first, then
# the values of the codebook's columns after `case`, in order, each date already counted in
# days since the case opened (by the database: DaysSince). Keys that become codes or names
# (a person, a worker, an instrument, a method, a law, a provider) are turned into them a
# whole column at a time (`lookups`).


class DaysSince(Func):
    """Whole days from the case's opening to a date (None stays None), in the database."""

    output_field = IntegerField()
    arg_joiner = " - "
    template = "(%(expressions)s)"

    def __init__(self, day: str | Func, opened: str) -> None:
        super().__init__(day, F(opened))

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _local(field: str) -> TruncDate:
    """The local day of a moment (an alert, a hand-over)."""
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _overlapping(first: datetime.date, last: datetime.date) -> Q:
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


class _Codes(dict):
    """Codes of one kind, each computed once per run."""

    def __init__(self, codes: Pseudonyms, kind: str) -> None:
        super().__init__()
        self.codes, self.kind = codes, kind

    def __missing__(self, pk: int) -> str:
        self[pk] = code = self.codes.code(self.kind, pk)
        return code

    def get(self, pk, default=None):
        return None if pk is None else self[pk]


@dataclass(frozen=True)
class Source:
    query: Callable[[Scope, list[int]], QuerySet]
    lookups: Callable[[Scope], dict[int, dict]] = lambda s: {}


def _handovers(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Handover.objects.filter(case_id__in=batch, sent_at__date__range=(s.first, s.last))
        .annotate(
            sent_day=DaysSince(_local("sent_at"), "case__opened_on"),
            decided_day=DaysSince(_local("decided_at"), "case__opened_on"),
        )
        .order_by("case_id", "sent_at", "pk")
        .values_list("case_id", "from_unit_id", "to_unit_id", "state", "sent_day", "decided_day")
    )


def _assignments(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Assignment.objects.filter(_overlapping(s.first, s.last), case_id__in=batch)
        .annotate(
            start_day=DaysSince("started_on", "case__opened_on"),
            end_day=DaysSince("ended_on", "case__opened_on"),
        )
        .order_by("case_id", "started_on", "pk")
        .values_list("case_id", "worker_id", "role", "start_day", "end_day")
    )


def _checks(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Response.objects.filter(case_id__in=batch, given_on__range=(s.first, s.last))
        .annotate(day=DaysSince("given_on", "case__opened_on"))
        .order_by("case_id", "given_on", "pk")
        .values_list(
            "case_id", "person_id", "instrument_id", "day", "score", "channel", "worker_id"
        )
    )


def _alerts(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Alert.objects.filter(case_id__in=batch, opened_at__date__range=(s.first, s.last))
        .annotate(
            opened_day=DaysSince(_local("opened_at"), "case__opened_on"),
            closed_day=DaysSince(_local("closed_at"), "case__opened_on"),
        )
        .order_by("case_id", "opened_at", "pk")
        .values_list("case_id", "rule", "opened_day", "closed_day", "response_kind")
    )


def _interventions(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Intervention.objects.filter(_overlapping(s.first, s.last), case_id__in=batch)
        .annotate(
            start_day=DaysSince("started_on", "case__opened_on"),
            end_day=DaysSince("ended_on", "case__opened_on"),
        )
        .order_by("case_id", "started_on", "pk")
        .values_list(
            "case_id",
            "kind",
            "placement_form",
            "method_id",
            "purchased",
            "provider_id",
            "start_day",
            "end_day",
        )
    )


def _decisions(s: Scope, batch: list[int]) -> QuerySet:
    days = {
        f"{name}_day": DaysSince(field, "case__opened_on")
        for name, field in (
            ("decided", "decided_on"),
            ("starts", "starts_on"),
            ("ends", "ends_on"),
            ("told", "communicated_on"),
            ("carried_out", "carried_out_on"),
        )
    }
    return (
        Decision.objects.signed()
        .filter(case_id__in=batch, decided_on__range=(s.first, s.last))
        .annotate(**days)
        .order_by("case_id", "decided_on", "pk")
        .values_list("case_id", "kind", "origin", "outcome", "law_id", *days, "replaces_id")
    )


def _closings(s: Scope, batch: list[int]) -> QuerySet:
    return (
        Closing.objects.filter(case_id__in=batch, closed_on__range=(s.first, s.last))
        .annotate(day=DaysSince("closed_on", "case__opened_on"))
        .order_by("case_id", "pk")
        .values_list("case_id", "reason", "day")
    )


def _followups(s: Scope, batch: list[int]) -> QuerySet:
    opened = "closing__case__opened_on"
    return (
        FollowUp.objects.filter(closing__case_id__in=batch, due_on__range=(s.first, s.last))
        .annotate(due_day=DaysSince("due_on", opened), held_day=DaysSince("held_on", opened))
        .order_by("closing__case_id", "due_on", "pk")
        .values_list(
            "closing__case_id",
            "state",
            "due_day",
            "held_day",
            "channel",
            "change",
            "substance",
            "housing",
            "occupation",
            "sought_help",
        )
    )


def _is_set(pk: int | None) -> bool:
    return pk is not None


SOURCES: dict[str, Source] = {
    "handovers": Source(_handovers),
    "assignments": Source(_assignments, lambda s: {0: _Codes(s.codes, "worker")}),
    "checks": Source(
        _checks,
        lambda s: {
            0: _Codes(s.codes, "person"),
            1: dict(Instrument.objects.values_list("pk", "key")),
            5: _Codes(s.codes, "worker"),
        },
    ),
    "alerts": Source(_alerts),
    "interventions": Source(
        _interventions,
        lambda s: {
            2: dict(Method.objects.values_list("pk", "key")),
            4: dict(Provider.objects.values_list("pk", "kind")),
        },
    ),
    "decisions": Source(_decisions, lambda s: {3: dict(Law.objects.values_list("pk", "key"))}),
    "closings": Source(_closings),
    "followups": Source(_followups),
}


def _fetch(query: QuerySet) -> list[tuple]:
    """The rows of a values_list query, read through the database cursor: a batch is
    hundreds of thousands of rows at city scale, and the ORM's rows cost a few
    microseconds each that the plain tuples do not."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
    rows = _fetch(source.query(s, list(rank)))
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
        columns[-1] = [_is_set(pk) for pk in columns[-1]]
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
