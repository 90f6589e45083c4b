"""One session per group and day (issue 22): a second is refused with a message, and
sessions recorded twice before the rule are merged by groups/0004, on both engines."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation

from tillit.factories import EntryFactory
from tillit.groups import services
from tillit.groups.models import Group

DAY = timezone.localdate() - datetime.timedelta(days=7)


@pytest.fixture
def group(unit, worker, person, case):
    group = Group.objects.create(unit=unit, name="Tisdagsgruppen", kind="other", created_by=worker)
    services.member_join(group=group, person=person, on=DAY)
    return group


def test_a_second_session_on_a_day_is_refused_in_the_users_language(group, worker):
    members = list(group.members.all())
    services.session_record(
        actor=worker, group=group, held_on=DAY, theme="", members=members, present=set()
    )
    for language, words in [("en", "is already recorded"), ("sv", "är redan registrerad")]:
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                services.session_record(
                    actor=worker, group=group, held_on=DAY, theme="", members=members, present=set()
                )
            assert words in refused.value.messages[0]
    assert group.sessions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_sessions_recorded_twice_are_merged_before_the_rule(unit, worker, person, case):
    executor = MigrationExecutor(connection)
    executor.migrate([("groups", "0003_redundant_indexes")])
    try:
        old = executor.loader.project_state([("groups", "0003_redundant_indexes")]).apps
        Session, Attendance = (
            old.get_model("groups", "Session"),
            old.get_model("groups", "Attendance"),
        )
        group = old.get_model("groups", "Group").objects.create(
            unit_id=unit.pk, name="G", kind="other", started_on=DAY, created_by_id=worker.pk
        )
        member = old.get_model("groups", "GroupMember").objects.create(
            group=group, person_id=person.pk, joined_on=DAY
        )
        entry = EntryFactory(case=case, author=worker)
        first, second, other_day = (
            Session.objects.create(group=group, held_on=day, theme=theme, recorded_by_id=worker.pk)
            for day, theme in [(DAY, "Sleep"), (DAY, "Work"), (DAY + datetime.timedelta(1), "")]
        )
        Attendance.objects.create(session=first, member=member, present=False)
        Attendance.objects.create(session=second, member=member, present=True, entry_id=entry.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    merged = Group.objects.get(pk=group.pk).sessions.order_by("held_on")
    assert [(s.pk, s.theme) for s in merged] == [(first.pk, "Sleep; Work"), (other_day.pk, "")]
    attendance = merged[0].attendance.get()
    assert (attendance.present, attendance.entry_id) == (True, entry.pk)
