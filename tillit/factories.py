"""factory_boy factories for tests (and the only place tests build data)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    EntryStatus,
    JournalEntry,
    Person,
)
from tillit.lib import ids
from tillit.org.models import Membership, Role, Unit, User

# Every test user's password (staff from this factory, clients from conftest).
TEST_PASSWORD = "pw-for-tests-only"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"Unit {n}")
    does_intervention = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(TEST_PASSWORD)

    @classmethod
    def member(cls, unit: Unit, role: str = Role.WORKER, **kwargs) -> User:  # type: ignore[no-untyped-def]
        user = cls(**kwargs)
        Membership.objects.create(user=user, unit=unit, role=role)
        return user


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    id_country = ids.SWEDEN
    id_number = factory.Sequence(lambda n: ids.make_swedish("19800101", n % 1000))


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    origin = "application"
    status = "intervention"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    case = factory.SubFactory(CaseFactory)
    worker = factory.SubFactory(UserFactory)
    role = AssignmentRole.CONTACT_PERSON
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JournalEntry

    case = factory.SubFactory(CaseFactory)
    happened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    kind = "meeting"
    text = factory.Faker("paragraph", nb_sentences=4)
    author = factory.SubFactory(UserFactory)

    class Params:
        signed = factory.Trait(
            status=EntryStatus.SIGNED,
            signed_at=factory.LazyFunction(timezone.now),
            signed_by=factory.SelfAttribute("author"),
        )


class MomentFactory(factory.django.DjangoModelFactory):
    """A weak moment explored in a meeting; pass `case` (the person follows it)."""

    class Meta:
        model = "bam.Moment"

    case = factory.SubFactory(CaseFactory)
    person = factory.SelfAttribute("case.person")
    kind = "weak"
    happened_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    title = "Payday"
    antecedent = "Got paid, alone at home."
    source = "meeting"
    written_by = factory.SubFactory(UserFactory)
