"""What the zip holds: codes stable within a study and unrelated across studies, nothing
that names or dates a person, the ordered variables only, the same rows as CSV and as
Parquet, the same bytes from the command as from the page, and a fixed number of queries
whatever the number of clients."""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import json
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tillit.audit.models import AccessLog, Action
from tillit.conftest import client_for
from tillit.decisions import laws
from tillit.decisions.models import Law
from tillit.extracts import services
from tillit.extracts.codebook import TABLE
from tillit.extracts.models import Run, RunState
from tillit.extracts.produce import contents, path_of, produce
from tillit.extracts.pseudonyms import Pseudonyms
from tillit.extracts.tests import data
from tillit.feedback.services import instruments_load
from tillit.org import methods
from tillit.org.models import Method


def table(files: dict[str, bytes], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[f"csv/{name}.csv"].decode())))


def made(w: data.World, **kw) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    order = data.approved(w, **kw)
    return contents(produce(services.run_start(actor=w.evaluator, order=order)))


def readable(files: dict[str, bytes]) -> str:
    """Every entry as text, Parquet decoded (its bytes are compressed)."""
    parts = []
    for name, body in files.items():
        if name.endswith(".parquet"):
            parquet = pq.read_table(io.BytesIO(body))
            parts += [str(parquet.schema), json.dumps(parquet.to_pylist(), default=str)]
            parts.append(str(pq.ParquetFile(io.BytesIO(body)).metadata.metadata))
        else:
            parts.append(body.decode())
    return "\n".join(parts)


@pytest.mark.django_db
def test_codes_are_stable_within_a_study_and_differ_across_studies():
    w = data.world(clients=6, old_loner=False)
    order = data.approved(w)
    first = contents(produce(services.run_start(actor=w.evaluator, order=order)))
    second = contents(produce(services.run_start(actor=w.evaluator, order=order)))
    assert first["csv/cases.csv"] == second["csv/cases.csv"]
    assert first["csv/checks.csv"] == second["csv/checks.csv"]
    other = made(w, study="En annan studie")

    def codes(files, name, column):  # type: ignore[no-untyped-def]
        return {row[column] for row in table(files, name)}

    for name, column in [("cases", "person"), ("cases", "case"), ("assignments", "worker")]:
        ours, theirs = codes(first, name, column), codes(other, name, column)
        assert ours and theirs and not ours & theirs, column
    # The same person has the same code in every table of the study.
    assert codes(first, "checks", "person") == codes(first, "cases", "person")
    assert len(codes(first, "assignments", "worker")) == 1  # one worker, one code


def test_a_code_is_hmac_sha256_of_the_key_with_the_studys_secret():
    secret = "ab" * 32
    expected = hmac.new(bytes.fromhex(secret), b"person:42", hashlib.sha256).hexdigest()[:16]
    assert Pseudonyms(secret).person(42) == "p" + expected
    assert Pseudonyms("cd" * 32).person(42) != Pseudonyms(secret).person(42)
    with pytest.raises(ValueError):
        Pseudonyms("")


@pytest.mark.django_db
def test_no_name_identity_number_free_text_or_exact_date_anywhere_in_the_zip():
    w = data.world()
    order = data.approved(w)
    files = contents(produce(services.run_start(actor=w.evaluator, order=order)))
    text = readable(files)
    raw = b"".join(files.values())
    for secret in [*w.names, *data.SECRET_TEXT, order.secret]:
        assert secret not in text, secret
        assert secret.encode() not in raw, secret
    for number in w.numbers:
        digits = number.replace("-", "")
        for form in (number, digits, digits[2:], number[2:]):
            assert form not in text, form
    bounds = {order.period_from, order.period_to}
    assert not w.dates & bounds  # the period's own ends are in the report, no record's
    for day in w.dates:
        for form in (day.isoformat(), day.strftime("%Y%m%d"), day.strftime("%d.%m.%Y")):
            assert form not in text, form
    # The checks are there, as days since the case opened.
    checks = table(files, "checks")
    assert {row["day"] for row in checks} == {"10", "24", "38"}


@pytest.mark.django_db
def test_only_the_ordered_variables_are_in_the_zip():
    w = data.world(clients=6, old_loner=False)
    files = made(w, groups=["checks"])
    assert sorted(n for n in files if n.startswith("csv/")) == [
        "csv/alerts.csv",
        "csv/cases.csv",
        "csv/checks.csv",
        "csv/units.csv",
    ]
    header = files["csv/cases.csv"].decode().splitlines()[0].split(",")
    assert "age_band" not in header and "sex" not in header and "closed_day" not in header
    book = json.loads(files["codebook.json"])
    assert [t["name"] for t in book["tables"]] == ["units", "cases", "checks", "alerts"]
    report = json.loads(files["report.json"])
    assert report["quasi_identifiers"] == ["unit", "start_year"]


@pytest.mark.django_db
def test_csv_and_parquet_hold_the_same_rows():
    w = data.world(clients=6, old_loner=False)
    files = made(w)
    for name in ("cases", "checks", "decisions", "followups", "units", "interventions"):
        parquet = pq.read_table(io.BytesIO(files[f"parquet/{name}.parquet"]))
        kinds = {c.name: c.kind for c in TABLE[name].columns}
        assert parquet.schema.names == list(table(files, name)[0])

        def read(column, text, kinds=kinds):  # type: ignore[no-untyped-def]
            if text == "":
                return None
            return {
                "int": int,
                "float": float,
                "bool": lambda t: {"true": True, "false": False}[t],
            }.get(kinds[column], str)(text)

        rows = [{k: read(k, v) for k, v in row.items()} for row in table(files, name)]
        assert parquet.to_pylist() == rows, name
        assert rows, name


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_clients():
    counts = []
    for clients, first in ((5, 0), (10, 5)):
        w = data.world(clients=clients, old_loner=False, tag=str(clients), first=first)
        order = data.approved(w, study=f"Study {clients}")
        run = services.run_start(actor=w.evaluator, order=order)
        with CaptureQueriesContext(connection) as queries:
            produce(run)
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_the_command_makes_the_same_zip_as_the_page(inline, tmp_path):
    w = data.world(clients=6)
    order = data.approved(w)
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    page = contents(path_of(Run.objects.get()))
    out = io.StringIO()
    output = tmp_path / "copy.zip"
    call_command("extract", str(order.pk), "--output", str(output), stdout=out)
    command = contents(output)
    assert "1 suppressed" in out.getvalue()
    assert sorted(page) == sorted(command)
    for name in page:
        if name == "report.json":
            ours, theirs = json.loads(page[name]), json.loads(command[name])
            assert ours.pop("run").keys() == theirs.pop("run").keys()
            assert ours == theirs
        else:
            assert page[name] == command[name], name
    # The copy out of Tillit is on record as an export.
    row = AccessLog.objects.filter(action=Action.EXPORT).get()
    assert row.detail["command"] == "extract" and row.detail["extract"] == order.pk
    # The run the command made waits for the evaluator on the page too.
    assert Run.objects.filter(state=RunState.READY).count() == 2


@pytest.mark.django_db
def test_the_command_refuses_an_order_not_approved():
    w = data.world(clients=5, old_loner=False)
    order = data.order(w)
    with pytest.raises(CommandError, match="när det är godkänt"):
        call_command("extract", str(order.pk), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no order"):
        call_command("extract", "99999", stdout=io.StringIO())
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_the_command_purges():
    out = io.StringIO()
    call_command("extract", "--purge", stdout=out)
    assert "0 extracts expired" in out.getvalue()


@pytest.mark.django_db
def test_a_failed_run_leaves_no_file(monkeypatch, settings):
    w = data.world(clients=5, old_loner=False)
    order = data.approved(w)
    run = services.run_start(actor=w.evaluator, order=order)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr("tillit.extracts.produce.write_zip", broken)
    with pytest.raises(RuntimeError):
        produce(run)
    run.refresh_from_db()
    assert run.state == RunState.FAILED and run.error == "RuntimeError"
    assert list(Path(settings.EXTRACT_DIR).iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_page_produces_in_a_background_thread(monkeypatch):
    instruments_load()  # a transactional test starts from a flushed database
    laws.load(Law)
    methods.load(Method)
    w = data.world(clients=5, old_loner=False)
    order = data.approved(w)
    threads = []
    real = services.run_in_background
    monkeypatch.setattr(services, "run_in_background", lambda run: threads.append(real(run)))
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    [thread] = threads
    thread.join(timeout=60)  # started when the request's transaction committed
    run = Run.objects.get()
    assert run.state == RunState.READY and run.progress == 100
    with zipfile.ZipFile(path_of(run)) as archive:
        assert "csv/checks.csv" in archive.namelist()


@pytest.mark.django_db
def test_dates_are_days_since_the_case_opened():
    w = data.world(clients=6, old_loner=False)
    files = made(w)
    cases = {row["case"]: row for row in table(files, "cases")}
    closed = [row for row in cases.values() if row["closed_day"]]
    assert {row["closed_day"] for row in closed} == {"200"}
    assert {row["assess_day"] for row in cases.values()} == {"3"}
    follow = table(files, "followups")
    assert {row["due_day"] for row in follow} == {"380"}
    assert {row["start_year"] for row in cases.values()} == {"2022"}
    assert all(c["case"] in cases for c in table(files, "decisions"))
    assert datetime.date(2022, 3, 14).isoformat() not in readable(files)
