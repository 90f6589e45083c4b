"""The demo shows two organisation models with visibly different continuity."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Avg

from tillit.evidence.demo import load_demo
from tillit.evidence.models import CaseFigures
from tillit.evidence.organisation import INTEGRATED, SPECIALISED


@pytest.mark.django_db
def test_the_demo_has_an_integrated_unit_with_better_continuity():
    call_command("seed_demo", clients=40, stdout=None)  # with the integrated unit
    assert load_demo("pw") is False  # already there
    by_model = {
        row["model"]: row
        for row in CaseFigures.objects.values("model").annotate(
            upc=Avg("upc"), persons=Avg("contact_persons")
        )
    }
    assert by_model[INTEGRATED]["upc"] > by_model[SPECIALISED]["upc"] + 0.05
    assert by_model[INTEGRATED]["persons"] < by_model[SPECIALISED]["persons"]
    assert load_demo("pw") is False  # a second call adds nothing
