"""Seed the peer with the same volume as Tillit: one ticket per case, follow-ups like
journal entries (run with the peer's own python; see bench/peer.py)."""

import datetime
import random
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket  # noqa: E402

TEXT = (
    "Samtal om veckan som gått. Klienten berättar att det varit svårt på kvällarna. "
    "Vi gick igenom målen i planen och vad som hänt sedan sist."
)


def main(tickets: int, followups: int) -> None:
    if Ticket.objects.exists():
        return
    rng = random.Random(1)
    staff = get_user_model().objects.create_user(
        "bench", "bench@example.org", "bench-password", is_staff=True, is_superuser=True
    )
    queues = [Queue.objects.create(title=f"Enhet {n}", slug=f"enhet-{n}") for n in range(8)]
    now = timezone.now()
    batch = []
    for n in range(tickets):
        created = now - datetime.timedelta(days=rng.randint(1, 1800))
        batch.append(
            Ticket(
                title=f"Ärende {n}",
                queue=rng.choice(queues),
                created=created,
                modified=created,
                submitter_email=f"client{n}@example.org",
                assigned_to=staff if n % 3 else None,
                status=rng.choice([1, 1, 2, 3, 4]),
                description=TEXT,
                priority=3,
                secret_key=f"{n:012d}",
            )
        )
    Ticket.objects.bulk_create(batch, batch_size=5000)
    ids = list(Ticket.objects.values_list("id", flat=True))
    per = max(1, followups // max(1, len(ids)))
    rows = []
    for ticket_id in ids:
        for i in range(per):
            rows.append(
                FollowUp(
                    ticket_id=ticket_id,
                    date=now - datetime.timedelta(days=i),
                    title="Kommentar",
                    comment=TEXT,
                    public=True,
                    user=staff,
                )
            )
        if len(rows) >= 20000:
            FollowUp.objects.bulk_create(rows)
            rows = []
    FollowUp.objects.bulk_create(rows)


def session() -> None:
    """Print a session key for the bench user, and a ticket with typical follow-ups."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    user = get_user_model().objects.get(username="bench")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    # The ticket whose page is measured, and another that takes the new follow-ups.
    middle = Ticket.objects.count() // 2
    ticket, other = Ticket.objects.order_by("id")[middle : middle + 2]
    print(store.session_key, ticket.id, ticket.queue_id, ticket.status, other.id)


if __name__ == "__main__":
    if sys.argv[1] == "session":
        session()
    else:
        main(int(sys.argv[1]), int(sys.argv[2]))
