"""The peer's side of realistic traffic (bench/traffic.py is Tillit's): one helpdesk user
for each Tillit worker measured, each with a session of their own, a queue of their own
(as a worker has a unit) and as many distinct tickets of that queue as the worker has
clients, and follow-ups on as many of its open tickets as the worker has open cases.

Run with the peer's own python (bench/peer.py's virtualenv): reads a JSON list of
[clients, open cases] per worker on stdin, prints a JSON list of users on stdout.
"""

import json
import sys

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from helpdesk.models import Queue, Ticket  # noqa: E402
from helpdesk.query import query_to_base64  # noqa: E402

OPEN = [Ticket.OPEN_STATUS, Ticket.REOPENED_STATUS]
COMMENT = "Kort samtal."  # what bench/peer.py deletes after each write load


def session_for(user) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main() -> None:
    wanted = json.load(sys.stdin)
    model = get_user_model()
    queues = list(Queue.objects.order_by("pk").values_list("pk", flat=True))
    tickets = {q: [] for q in queues}
    open_tickets = {q: [] for q in queues}
    for pk, queue, status, title, priority in Ticket.objects.order_by("pk").values_list(
        "pk", "queue_id", "status", "title", "priority"
    ):
        tickets[queue].append(pk)
        if status in OPEN:
            open_tickets[queue].append((pk, status, title, priority))
    taken = dict.fromkeys(queues, 0)
    taken_open = dict.fromkeys(queues, 0)
    users = []
    for n, (clients, cases) in enumerate(wanted):
        # Staff as the seed's own user (bench/peer_helpdesk/seed.py): created one by one,
        # so that helpdesk's signal gives each their settings.
        user, created = model.objects.get_or_create(
            username=f"bench-{n}", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        queue = queues[n % len(queues)]
        mine = [
            tickets[queue][(taken[queue] + i) % len(tickets[queue])]
            for i in range(min(clients, len(tickets[queue])))
        ]
        taken[queue] += len(mine)
        writes = [
            open_tickets[queue][(taken_open[queue] + i) % len(open_tickets[queue])]
            for i in range(min(cases, len(open_tickets[queue])))
        ]
        taken_open[queue] += len(writes)
        query = query_to_base64(
            {
                "filtering": {"status__in": OPEN, "queue__id__in": [queue]},
                "filtering_null": {},
                "sorting": "created",
                "search_string": "",
                "sortreverse": False,
            }
        )
        users.append(
            {
                "session": session_for(user),
                "queue": queue,
                "list": f"/tickets/?queue={queue}&status=1&status=2",
                "json": f"/datatables_ticket_list/{query}?draw=1&start=0&length=25",
                "details": [f"/tickets/{pk}/" for pk in mine],
                "followups": [
                    {
                        "path": f"/tickets/{pk}/update/",
                        "data": {
                            "comment": COMMENT,
                            "new_status": status,
                            "public": "1",
                            "title": title,
                            "priority": priority,
                            "queue": queue,
                            "owner": -1,
                        },
                    }
                    for pk, status, title, priority in writes
                ],
            }
        )
    json.dump(users, sys.stdout)


if __name__ == "__main__":
    main()
