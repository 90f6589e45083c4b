"""A request that may write is one transaction; a read is not (tillit.lib.middleware).
Run outside the test's own transaction, so that what commits is what a server commits."""

import pytest
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.clients.models import JournalEntry
from tillit.conftest import client_for
from tillit.lib.middleware import WritesInOneTransaction

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_post_runs_in_a_transaction_and_a_get_does_not(rf):
    seen = {}

    def view(request):
        seen[request.method] = connection.in_atomic_block
        return HttpResponse()

    middleware = WritesInOneTransaction(view)
    for method in ("get", "head", "options", "post", "put", "delete"):
        request = getattr(rf, method)("/")
        response = middleware.process_view(request, view, (), {})
        if response is None:  # the handler calls the view itself, as Django does
            view(request)
    assert seen == {
        "GET": False,
        "HEAD": False,
        "OPTIONS": False,
        "POST": True,
        "PUT": True,
        "DELETE": True,
    }


def test_a_write_that_fails_leaves_neither_its_entry_nor_its_audit_row(worker, case):
    client = client_for(worker)
    client.raise_request_exception = False
    logged = AccessLog.objects.count()
    original = JournalEntry.save

    def fail_after_saving(entry, *args, **kwargs):
        original(entry, *args, **kwargs)
        raise DatabaseError("disk full")

    JournalEntry.save = fail_after_saving  # type: ignore[method-assign]
    try:
        response = client.post(
            reverse("clients:entry_create", args=[case.pk]),
            {"happened_at": "2026-01-05T10:00", "kind": "phone", "text": "Lost."},
        )
    finally:
        JournalEntry.save = original  # type: ignore[method-assign]
    assert response.status_code == 500
    assert not JournalEntry.objects.filter(text="Lost.").exists()
    assert AccessLog.objects.count() == logged


def test_a_reads_audit_row_is_committed_before_the_page_is_rendered(worker, case, person):
    client = client_for(worker)
    client.raise_request_exception = False
    logged = AccessLog.objects.count()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("tillit.clients.views.render", _broken_render)
        response = client.get(reverse("clients:person", args=[person.pk]))
    assert response.status_code == 500
    assert person.last_name not in response.content.decode()
    # The look is on record though the page failed: better logged and not shown than the
    # other way round.
    assert AccessLog.objects.count() == logged + 1


def _broken_render(*args, **kwargs):
    raise RuntimeError("template broke")
