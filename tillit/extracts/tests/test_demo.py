from __future__ import annotations

import pytest

from tillit.extracts import demo
from tillit.extracts.models import OrderState
from tillit.factories import UnitFactory, UserFactory
from tillit.org.models import Membership, Role


@pytest.mark.django_db
def test_the_demo_evaluator_has_an_approved_extract():
    """As seed_demo sets them up: petra evaluator and manager at the root, lena leading
    the outpatient unit, tomas intake and assessment."""
    root = UnitFactory(name="Socialtjänsten Lillby")
    intake, assessment, outpatient = (
        UnitFactory(name=name, parent=root)
        for name in ("Mottagningen", "Utredningsgruppen vuxna", "Öppenvården vuxna")
    )
    petra = UserFactory.member(root, Role.EVALUATOR, username="petra")
    Membership.objects.create(user=petra, unit=root, role=Role.MANAGER)
    lena = UserFactory.member(outpatient, Role.TEAM_LEADER, username="lena")
    tomas = UserFactory.member(intake, Role.TEAM_LEADER, username="tomas")
    Membership.objects.create(user=tomas, unit=assessment, role=Role.TEAM_LEADER)

    order = demo.load()

    assert order is not None and order.state == OrderState.APPROVED
    assert order.ordered_by == petra and order.secret
    assert set(order.units.all()) == {intake, assessment, outpatient}
    assert {a.by for a in order.approvals.all()} == {lena, tomas}


@pytest.mark.django_db
def test_the_demo_needs_its_evaluator():
    assert demo.load() is None
