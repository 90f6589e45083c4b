"""Writing moments and board notes through the services: what is refused, and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tillit.bam import services
from tillit.bam.models import Moment, MomentNote, Source, Tag
from tillit.factories import CaseFactory, EntryFactory

YESTERDAY = timezone.now() - datetime.timedelta(days=1)


def _record(worker, case, **fields):
    values = {"kind": "weak", "happened_at": YESTERDAY, "title": "Payday"} | fields
    return services.moment_record(actor=worker, person=case.person, case=case, **values)


def test_moment_is_recorded_with_its_writer_and_tags(worker, case):
    moment = _record(worker, case, tags=["Payday", " alone ", "payday"], confidence=3)

    assert moment.source == Source.MEETING
    assert moment.written_by == worker
    assert not moment.recorded_by_client
    assert sorted(t.name for t in moment.tags.all()) == ["alone", "payday"]


def test_earlier_tags_are_reused_not_duplicated(worker, case):
    _record(worker, case, tags=["payday"])
    _record(worker, case, tags=["payday", "friday"])

    assert sorted(Tag.objects.filter(person=case.person).values_list("name", flat=True)) == [
        "friday",
        "payday",
    ]


def test_empty_moment_is_refused(worker, case):
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, title="  ")
    assert refused.value.message_dict["title"] == [
        "Write at least a title or something in one column."
    ]
    assert not Moment.objects.exists()


def test_a_column_alone_is_enough(worker, case):
    moment = _record(worker, case, title="", behaviour="Bought beer")
    assert moment.pk


def test_moment_in_the_future_is_refused(worker, case):
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, happened_at=timezone.now() + datetime.timedelta(hours=1))
    assert refused.value.message_dict["happened_at"] == ["A moment cannot be in the future."]


@pytest.mark.parametrize("confidence", [-1, 11])
def test_confidence_outside_0_to_10_is_refused(worker, case, confidence):
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, confidence=confidence)
    assert "Confidence is a number from 0 to 10." in refused.value.message_dict["confidence"]


def test_database_refuses_confidence_outside_0_to_10(worker, case):
    moment = _record(worker, case, confidence=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(confidence=11)


def test_database_refuses_staff_moment_without_writer(worker, case):
    moment = _record(worker, case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Moment.objects.filter(pk=moment.pk).update(written_by=None)


def test_alternatives_belong_to_their_kind(worker, case):
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, kind="weak", what_worked="Walked home")
    assert "what_worked" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, kind="strong", instead_next_time="Call a friend")
    assert "instead_next_time" in refused.value.message_dict


def test_meeting_must_be_in_the_same_case(worker, case, unit):
    other_case = CaseFactory(person=case.person, unit=unit)
    elsewhere = EntryFactory(case=other_case, author=worker)
    with pytest.raises(ValidationError) as refused:
        _record(worker, case, entry=elsewhere)
    assert refused.value.message_dict["entry"] == ["Choose a meeting in the same case."]
    here = EntryFactory(case=case, author=worker)
    assert _record(worker, case, entry=here).entry == here


def test_case_of_another_person_is_a_programming_error(worker, case):
    other = CaseFactory()
    with pytest.raises(ValueError):
        services.moment_record(
            actor=worker,
            person=other.person,
            case=case,
            kind="weak",
            happened_at=YESTERDAY,
            title="x",
        )


def test_client_records_a_moment_between_meetings(case):
    moment = services.moment_record_by_client(
        person=case.person,
        case=case,
        kind="strong",
        happened_at=YESTERDAY,
        title="Said no on Friday",
        what_worked="Left the party early",
        tags=["friday"],
        confidence=7,
    )

    assert moment.recorded_by_client
    assert moment.written_by is None
    assert moment.entry is None
    assert [t.name for t in moment.tags.all()] == ["friday"]


def test_client_moment_is_validated_too(case):
    with pytest.raises(ValidationError):
        services.moment_record_by_client(
            person=case.person, case=case, kind="weak", happened_at=YESTERDAY
        )


def test_update_keeps_tags_unless_given(worker, case):
    moment = _record(worker, case, tags=["payday"])
    services.moment_update(moment=moment, title="Payday again", confidence=4)
    moment.refresh_from_db()
    assert moment.title == "Payday again"
    assert [t.name for t in moment.tags.all()] == ["payday"]
    services.moment_update(moment=moment, tags=["alone"])
    assert [t.name for t in moment.tags.all()] == ["alone"]


def test_notes_are_added_in_order_per_column(worker, case):
    moment = _record(worker, case)
    first = services.note_add(actor=worker, moment=moment, column="antecedent", text="Payday")
    second = services.note_add(actor=worker, moment=moment, column="antecedent", text="Alone")
    other = services.note_add(actor=worker, moment=moment, column="behaviour", text="Beer")

    assert (first.order, second.order, other.order) == (1, 2, 1)
    assert second.written_by == worker


@pytest.mark.parametrize(("column", "text"), [("antecedent", "   "), ("feelings", "sad")])
def test_empty_note_or_unknown_column_is_refused(worker, case, column, text):
    moment = _record(worker, case)
    with pytest.raises(ValidationError):
        services.note_add(actor=worker, moment=moment, column=column, text=text)
    assert not MomentNote.objects.exists()


def test_a_meeting_to_link_is_named_in_local_time_as_the_journal_shows_it(case, worker):
    """A meeting at 13:16 in Stockholm in winter is 12:16 UTC: the choice says 13:16."""
    import datetime
    import zoneinfo

    from django.utils import translation

    from tillit.bam.forms import EntryChoice
    from tillit.clients.models import JournalEntry
    from tillit.factories import EntryFactory

    held = datetime.datetime(2026, 1, 15, 13, 16, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
    entry = EntryFactory(case=case, author=worker, happened_at=held, kind="meeting")
    with translation.override("sv"):
        label = EntryChoice(JournalEntry.objects.all()).label_from_instance(entry)
    assert "13:16" in label and "12:16" not in label
