"""The scale generator makes a municipality of the right shape, the same for a seed."""

import io

from django.core.management import call_command
from django.db.models import Count

from bench.seed_flow import clear_flow
from bench.seed_network import clear_network
from tillit.bam.models import Moment, Tag
from tillit.clients.models import Assignment, Case, JournalEntry, Person
from tillit.decisions.models import Decision
from tillit.feedback.models import Response
from tillit.followup.models import Closing, FollowUp
from tillit.outcomes.models import Intervention


def test_seed_scale_shape(db):
    call_command(
        "seed_scale", clients=60, years=2, seed=3, entries_per_client=20, stdout=io.StringIO()
    )

    assert Person.objects.count() == 60
    assert Case.objects.filter(status="closed").exists()
    assert Case.objects.exclude(status="closed").exists()
    changes = Assignment.objects.values("case").annotate(n=Count("id")).values_list("n", flat=True)
    assert 1 in changes and max(changes) >= 3  # some keep one contact person, some change
    per_person = sorted(
        Person.objects.annotate(n=Count("cases__journal_entries")).values_list("n", flat=True)
    )
    assert per_person[-1] >= 3 * per_person[len(per_person) // 2]  # a long tail
    assert JournalEntry.objects.filter(replaces__isnull=False).exists() or (
        JournalEntry.objects.count() < 200
    )
    assert Response.objects.exists()
    # The case flow (bench/seed_flow.py): every closed case has its closing, and what a
    # decision period or a follow-up must be holds as the models' constraints say.
    closed = Case.objects.filter(status="closed")
    assert Closing.objects.count() == closed.count()
    assert Decision.objects.filter(outcome="refused").exists()
    assert Intervention.objects.filter(purchased=True, provider__isnull=False).exists()
    for model in (Decision, Intervention, Closing, FollowUp):
        for row in model.objects.all()[:200]:
            row.validate_constraints()
    for entry in JournalEntry.objects.filter(status="signed")[:50]:
        assert entry.signed_at and entry.signed_by_id


def test_seed_scale_is_deterministic(db):
    call_command(
        "seed_scale", clients=10, years=1, seed=5, entries_per_client=5, stdout=io.StringIO()
    )
    first = list(Person.objects.order_by("id").values_list("first_name", "id_number"))
    texts = list(JournalEntry.objects.order_by("id").values_list("text", flat=True)[:20])
    Moment.objects.all().delete()  # BaM moments (bench/seed_bam.py) keep persons alive
    Tag.objects.all().delete()
    clear_network()
    clear_flow()
    JournalEntry.objects.all()._raw_delete("default")
    for model in (Response, Assignment, Case, Person):
        model.objects.all().delete()
    call_command(
        "seed_scale", clients=10, years=1, seed=5, entries_per_client=5, stdout=io.StringIO()
    )
    assert list(Person.objects.order_by("id").values_list("first_name", "id_number")) == first
    assert list(JournalEntry.objects.order_by("id").values_list("text", flat=True)[:20]) == texts
