"""Personas shared by every test (see docs/conventions.md): around one client's case in one unit.

- worker: contact person on the case
- colleague: worker in the same unit, not on the case
- outsider: worker in another unit
- leader: team leader of the unit
- other_leader: team leader of another unit
- administrator: administrator (Django admin) with no case role
- client_self: the client of the case, with a portal login
- client_other: another client, with a portal login
"""

from __future__ import annotations

import pytest
from django.test import Client

from tillit.factories import (
    TEST_PASSWORD,
    AssignmentFactory,
    CaseFactory,
    EntryFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tillit.org.models import Role


@pytest.fixture
def unit(db):
    return UnitFactory(name="Öppenvården")


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Utredningen")


@pytest.fixture
def worker(unit):
    return UserFactory.member(unit, Role.WORKER, username="worker")


@pytest.fixture
def colleague(unit):
    return UserFactory.member(unit, Role.WORKER, username="colleague")


@pytest.fixture
def outsider(other_unit):
    return UserFactory.member(other_unit, Role.WORKER, username="outsider")


@pytest.fixture
def leader(unit):
    return UserFactory.member(unit, Role.TEAM_LEADER, username="leader")


@pytest.fixture
def other_leader(other_unit):
    return UserFactory.member(other_unit, Role.TEAM_LEADER, username="other_leader")


@pytest.fixture
def administrator(db):
    root = UnitFactory(name="Socialtjänsten")
    return UserFactory.member(
        root, Role.ADMINISTRATOR, username="administrator", is_staff=True, is_superuser=True
    )


@pytest.fixture
def person(db):
    return PersonFactory(first_name="Kim", last_name="Client")


@pytest.fixture
def case(person, unit, worker):
    case = CaseFactory(person=person, unit=unit)
    AssignmentFactory(case=case, worker=worker)
    return case


@pytest.fixture
def entry(case, worker):
    return EntryFactory(case=case, author=worker, signed=True, text="Signed text")


@pytest.fixture
def draft(case, worker):
    return EntryFactory(case=case, author=worker, text="Draft text")


def client_account(person):
    """A portal login for `person` (see tillit/portal)."""
    from tillit.portal.services import account_create

    return account_create(person=person, username=f"client-{person.pk}", password=TEST_PASSWORD)


@pytest.fixture
def client_self(person):
    """The client of the case, logged in to the portal."""
    return client_account(person)


@pytest.fixture
def client_other(db):
    """Another client, with a portal login of their own."""
    return client_account(PersonFactory(first_name="Other", last_name="Client"))


@pytest.fixture
def personas(
    worker, colleague, outsider, leader, other_leader, administrator, client_self, client_other
):
    return {
        "worker": worker,
        "colleague": colleague,
        "outsider": outsider,
        "leader": leader,
        "other_leader": other_leader,
        "administrator": administrator,
        "client_self": client_self,
        "client_other": client_other,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file of this process's own, in WAL mode as in
    production, so that threads can share it (tillit/tests/test_concurrency.py): an
    in-memory database is one connection's, or locks whole tables when shared."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        name = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session", autouse=True)
def flush_past_audit_triggers():
    """A transactional test's flush on SQLite deletes the access log, which its triggers
    refuse outside retention's path (tillit/audit/testing.py). No leading underscore, so
    that e2e/conftest.py's star import takes it too."""
    from tillit.audit.testing import flush_past_triggers

    with flush_past_triggers():
        yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that need the migrations' data back (serialized_rollback) run before every
    other transactional test. Another transactional test's flush makes Django create the
    content types anew, with other keys, and the migrations' data then no longer loads
    over them. pytest-django has already put the transactional tests last; with xdist
    each worker takes its tests in this order too."""

    def restores(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("serialized_rollback"))

    def transactional(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    first = next((i for i, item in enumerate(items) if transactional(item)), len(items))
    moved = [item for item in items[first:] if restores(item)]
    rest = [item for item in items[first:] if not restores(item)]
    items[first:] = moved + rest
