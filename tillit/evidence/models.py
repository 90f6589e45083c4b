"""The figures behind the leaders' evidence pages, computed from the records by
`manage.py evidence_refresh` (tillit/evidence/refresh.py) and read by the pages.

Why a table computed ahead: at city scale (50,000 clients, 5 million journal entries, 4
million answers to the checks) the indices need every meeting of every case and every
case's first and latest answer; reading that on each page view takes seconds on
PostgreSQL, and the pages must answer in under a second. One row per case, one per case
and year, one per worker, unit and month, rebuilt whole in one transaction: a page sees
the last complete refresh or the one before it, never half of one, and says how old its
figures are (`Refresh`). Nothing here is a client's identity: keys and numbers only, and
the rows go with their case when retention removes it (they hang off the case).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Refresh(models.Model):
    """One run of evidence_refresh: when it finished and what it counted."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    seconds = models.FloatField()
    cases = models.PositiveIntegerField()

    class Meta:
        ordering = ["-finished_at"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.cases} cases)"


class CaseFigures(models.Model):
    """One case over its whole period: continuity, the checks' first and latest answers,
    unwanted effects, alerts, follow-up, and the case flow's waiting times in days."""

    case = models.OneToOneField(
        "clients.Case", on_delete=models.CASCADE, primary_key=True, related_name="figures"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    model = models.CharField(max_length=12)  # tillit.evidence.organisation
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    contact_persons = models.PositiveSmallIntegerField()
    changes = models.PositiveSmallIntegerField()  # contact persons after the first
    handovers = models.PositiveSmallIntegerField()  # accepted hand-overs between units
    meetings = models.PositiveIntegerField()
    upc = models.FloatField(null=True)
    coc = models.FloatField(null=True)
    rel_n = models.PositiveIntegerField()
    rel_first = models.FloatField(null=True)
    rel_latest = models.FloatField(null=True)
    life_n = models.PositiveIntegerField()
    life_first = models.FloatField(null=True)
    life_latest = models.FloatField(null=True)
    followup_life = models.FloatField(null=True)  # the life check at the latest follow-up
    followup_change = models.CharField(max_length=10, blank=True)
    unwanted_n = models.PositiveIntegerField()
    unwanted_reported = models.PositiveIntegerField()  # answers "a little" or "a lot"
    alerts = models.PositiveIntegerField()
    alerts_responded = models.PositiveIntegerField()
    assess_days = models.IntegerField(null=True)  # inquiry to the decision to assess
    assess_year = models.PositiveSmallIntegerField(null=True)
    decision_days = models.IntegerField(null=True)  # inquiry to the first decision
    decision_year = models.PositiveSmallIntegerField(null=True)
    start_days = models.IntegerField(null=True)  # decision to its first intervention
    start_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "opened_on"])]

    def __str__(self) -> str:
        return f"figures of case {self.case_id}"


class CaseMethod(models.Model):
    """A method the case had an intervention with (a case may have several)."""

    figures = models.ForeignKey(
        CaseFigures, on_delete=models.CASCADE, related_name="methods", db_index=False
    )
    method = models.ForeignKey("org.Method", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figures", "method"], name="evidence_one_method_a_case")
        ]

    def __str__(self) -> str:
        return f"{self.figures_id} · {self.method_id}"


class CaseYear(models.Model):
    """One case in one calendar year it was open: its continuity in that year."""

    case = models.ForeignKey(
        "clients.Case", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=12)
    contact_persons = models.PositiveSmallIntegerField()
    changes = models.PositiveSmallIntegerField()
    handovers = models.PositiveSmallIntegerField()
    meetings = models.PositiveIntegerField()
    upc = models.FloatField(null=True)
    coc = models.FloatField(null=True)
    # Days with the same contact person at the end of the year (or at closing).
    same_days = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "year"], name="evidence_one_row_a_case_year")
        ]
        indexes = [models.Index(fields=["year", "unit"])]

    def __str__(self) -> str:
        return f"case {self.case_id} in {self.year}"


class WorkerMonth(models.Model):
    """How many open cases a worker was contact person for in a unit at a month's end."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "unit", "month"], name="evidence_one_row_a_worker_month"
            )
        ]
        indexes = [models.Index(fields=["month", "unit"])]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.month:%Y-%m}: {self.cases}"
