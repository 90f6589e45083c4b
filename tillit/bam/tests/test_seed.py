"""The scale seed's moments: about ten per client, weak early and strong late, confidence
rising, tags from the person's own few; the same for the same seed."""

import io

from django.core.management import call_command
from django.db.models import Count, F

from bench.seed import Report, Writer
from bench.seed_bam import seed_moments
from tillit.bam.models import Moment, MomentNote, Tag
from tillit.clients.models import Person


def _seed(seed: int = 3) -> None:
    call_command(
        "seed_scale", clients=40, years=2, seed=seed, entries_per_client=5, stdout=io.StringIO()
    )


def _strong_share(moments: list[Moment]) -> float:
    return sum(m.kind == "strong" for m in moments) / len(moments)


def _mean_confidence(moments: list[Moment]) -> float:
    known = [m.confidence for m in moments if m.confidence is not None]
    return sum(known) / len(known)


def test_moments_have_the_shape_of_a_course(db):
    _seed()

    counts = list(
        Moment.objects.values("person").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert len(counts) == Person.objects.count() == 40
    assert 8 <= sum(counts) / len(counts) <= 12
    early: list[Moment] = []
    late: list[Moment] = []
    for person in Person.objects.all():
        moments = list(Moment.objects.filter(person=person).order_by("happened_at", "id"))
        early += moments[: len(moments) // 2]
        late += moments[len(moments) // 2 :]
    assert _strong_share(early) + 0.2 < _strong_share(late)
    assert _mean_confidence(early) + 1.5 < _mean_confidence(late)
    assert Moment.objects.filter(source="client", written_by__isnull=True).exists()
    assert not Moment.objects.filter(source="meeting", written_by__isnull=True).exists()
    assert MomentNote.objects.filter(moment__source="meeting").exists()
    assert Moment.objects.filter(tags__isnull=False).exists()
    assert not Moment.objects.filter(tags__isnull=False).exclude(tags__person=F("person"))
    assert not Moment.objects.filter(confidence__gt=10).exists()


def test_moments_are_deterministic(db):
    _seed(seed=4)
    first = list(Moment.objects.order_by("id").values_list("kind", "title", "confidence"))
    Moment.objects.all().delete()
    Tag.objects.all().delete()

    seed_moments(Writer(Report()), seed=4)

    assert list(Moment.objects.order_by("id").values_list("kind", "title", "confidence")) == first
