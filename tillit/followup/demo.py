"""Closings and follow-ups for the demo municipality (`manage.py seed_demo`), so that the
unit's follow-up table shows real numbers, as Bjuv's did (of 54 clients, 18 reached):

- a year's cohort of closed cases in the follow-up unit, both follow-ups past: most
  reached (lasting, temporary, no change, worse), some not reached after tries, two not
  followed up (one died, one moved and said no), one answered by the client through a link;
- cases closed about half a year ago whose first follow-up is due now (the due lists);
- the seed's own closed cases given their closing, and a few open cases closed this week
  through the service (drafts signed, varied reasons), with follow-ups to come.

Every name and number is made up."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStatus,
    EntryKind,
    EntryStatus,
    JournalEntry,
    Origin,
    Person,
)
from tillit.clients.services import entry_sign
from tillit.followup import services
from tillit.followup.models import Change, Closing, FollowUp, Reason, TryHow
from tillit.lib import ids
from tillit.org.models import Role, Unit, User

FIRST = ["Alma", "Bengt", "Cecilia", "Dragan", "Emil", "Fatima", "Göran", "Helena", "Ivar"]
FIRST += ["Jenny", "Kjell", "Linnea", "Mats", "Nadia", "Oskar", "Pia", "Rune", "Siri"]
LAST = ["Andersson", "Bergström", "Ekberg", "Falk", "Granlund", "Hansen", "Lind", "Moberg"]
LAST += ["Nyström", "Palm", "Sandberg", "Öberg", "Wallin", "Åkesson", "Solberg", "Dahl"]
WORDS = [
    "Jag har inte druckit sedan i våras. Det som hjälpte mest var att ni trodde på mig.",
    "Det är fortfarande tufft ibland, men jag vet vem jag kan ringa nu.",
    "Jag har fått ett jobb på lagret och bor kvar i lägenheten.",
    "Gruppen på tisdagar var det bästa. Jag har kvar kontakten med två av dem.",
    "Det gick bra ett tag, men efter jul blev det sämre igen.",
    "Jag tycker inte att något har förändrats, men det var skönt att bli lyssnad på.",
]
# The cohort, case by case: the change at the 6-month and at the 12-month follow-up (a
# Change, "x" not reached), and why the case closed.
L, T, N, W, X = Change.LASTING, Change.TEMPORARY, Change.NONE, Change.WORSE, "x"
COHORT = (
    [((T, L), Reason.GOALS_REACHED)] * 4
    + [((L, L), Reason.GOALS_REACHED)] * 3
    + [((X, L), Reason.CLIENT_ENDED), ((L, L), Reason.TRANSFERRED)]
    + [((L, T), Reason.GOALS_REACHED)] * 3
    + [((L, T), Reason.CLIENT_ENDED), ((X, T), Reason.OTHER)]
    + [((X, N), Reason.CLIENT_ENDED), ((N, N), Reason.OTHER)]
    + [((N, W), Reason.CLIENT_ENDED), ((X, W), Reason.MOVED)]
    + [((X, X), Reason.CLIENT_ENDED)] * 4
    + [((X, X), Reason.MOVED), ((X, X), Reason.OTHER)]
    + [((), Reason.DIED), ((), Reason.MOVED)]
)
LIFE = ("self", "close", "everyday", "habit", "overall")


def load_demo(seed: int = 2026) -> None:
    unit = Unit.objects.filter(does_follow_up=True).order_by("pk").first()
    if unit is None:
        return
    rng = random.Random(seed)
    workers = list(User.objects.filter(memberships__unit=unit, memberships__role=Role.WORKER))
    if not workers:
        return
    demo = _Demo(rng, unit, workers)
    demo.adopt_closed_cases()
    demo.cohort()
    demo.due_now()
    demo.close_this_week()


class _Demo:
    def __init__(self, rng: random.Random, unit: Unit, workers: list[User]) -> None:
        self.rng, self.unit, self.workers = rng, unit, workers
        self.today = timezone.localdate()
        self.serial = 0

    # -- people and cases ----------------------------------------------------------------

    def _person(self) -> Person:
        rng = self.rng
        while True:
            self.serial += 1
            born = datetime.date(1962, 1, 1) + datetime.timedelta(days=rng.randint(0, 38 * 365))
            number = ids.make_swedish(born.strftime("%Y%m%d"), 900 + self.serial % 100)
            if not Person.objects.filter(id_number=number).exists():
                break
        return Person.objects.create(
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            id_country=ids.SWEDEN,
            id_number=number,
            preferred_language=rng.choice(["sv", "sv", "sv", "nb", "en"]),
        )

    def _closed(self, closed_on: datetime.date, reason: str, dates: list) -> Closing:
        """A new client's case in the unit, worked for a while and closed on `closed_on`."""
        rng = self.rng
        worker = rng.choice(self.workers)
        opened = closed_on - datetime.timedelta(days=rng.randint(120, 600))
        case = Case.objects.create(
            person=self._person(),
            unit=self.unit,
            opened_on=opened,
            origin=rng.choice([Origin.APPLICATION, Origin.APPLICATION, Origin.REPORT]),
            origin_text="Ansökan om stöd för att minska alkoholbruket.",
            status=CaseStatus.INTERVENTION,
        )
        Assignment.objects.create(
            case=case, worker=worker, role=AssignmentRole.CONTACT_PERSON, started_on=opened
        )
        at = timezone.make_aware(datetime.datetime.combine(closed_on, datetime.time(10)))
        JournalEntry.objects.create(
            case=case,
            happened_at=at,
            kind=EntryKind.MEETING,
            text="Avslutande samtal. Vi gick igenom vad som förändrats och vad som hjälpt.",
            author=worker,
            status=EntryStatus.SIGNED,
            signed_at=at,
            signed_by=worker,
            created_at=at,
        )
        return services.case_close(
            actor=worker,
            case=case,
            reason=reason,
            reason_text="Flyttar till en annan kommun." if reason == Reason.OTHER else "",
            client_words=rng.choice(WORDS) if rng.random() < 0.4 else "",
            closed_on=closed_on,
            drafts={},
            follow_up_on=dates,
        )

    # -- the follow-ups ----------------------------------------------------------------------

    def _held(self, followup: FollowUp, change: Change, by: User) -> None:
        rng = self.rng
        held_on = min(followup.due_on + datetime.timedelta(days=rng.randint(0, 20)), self.today)
        good = {Change.LASTING: 8, Change.TEMPORARY: 6, Change.NONE: 5, Change.WORSE: 3}[change]
        services.followup_record(
            followup=followup,
            actor=by,
            held_on=held_on,
            channel=rng.choice(["phone", "phone", "meeting", "video"]),
            change=change,
            life={key: max(0, min(10, good + rng.randint(-2, 1))) for key in LIFE},
            substance={Change.LASTING: "none", Change.TEMPORARY: "less"}.get(change, "same")
            if change != Change.WORSE
            else "more",
            housing=rng.choice(["own", "own", "family", "supported"]),
            occupation=rng.choice(["work", "studies", "activity", "none"]),
            sought_help=change == Change.WORSE,
            client_words=rng.choice(WORDS) if rng.random() < 0.5 else "",
        )

    def _not_reached(self, followup: FollowUp, by: User, give_up: bool = True) -> None:
        tries = self.rng.randint(1, 3)
        for n in range(tries):
            services.attempt_record(
                actor=by,
                followup=followup,
                tried_on=min(followup.due_on + datetime.timedelta(days=7 * n), self.today),
                how=[TryHow.PHONE, TryHow.TEXT, TryHow.LETTER][n],
                note="Inget svar." if n < tries - 1 else "",
                give_up=give_up and n == tries - 1,
            )

    def cohort(self) -> None:
        """A year of closings with both follow-ups behind them."""
        latest = self.today - datetime.timedelta(days=420)
        first_day = datetime.date(latest.year, 1, 1)
        span = (latest - first_day).days
        linked = False
        for changes, reason in COHORT:
            closed_on = first_day + datetime.timedelta(days=self.rng.randint(0, span))
            dates = services.default_dates(closed_on) if changes else []
            closing = self._closed(closed_on, reason, dates)
            by = closing.closed_by
            for followup, change in zip(closing.followups.all(), changes, strict=True):
                if change == X:
                    self._not_reached(followup, by)
                elif not linked and change == Change.LASTING and followup.due_on > dates[0]:
                    # The client answers the 12-month follow-up on their phone.
                    link, _token = services.link_create(actor=by, followup=followup)
                    services.link_answer(
                        link=link,
                        change=change,
                        life={"self": 8, "close": 9, "everyday": 7, "overall": 8},
                        housing="own",
                        occupation="work",
                        sought_help=False,
                        client_words="Jag mår bra. Tack för att ni hörde av er.",
                    )
                    linked = True
                else:
                    self._held(followup, Change(change), by)

    def due_now(self) -> None:
        """Cases closed about half a year ago: the first follow-up is due, or overdue."""
        for n, days in enumerate((186, 192, 200, 210)):
            closed_on = self.today - datetime.timedelta(days=days)
            closing = self._closed(
                closed_on, Reason.GOALS_REACHED, services.default_dates(closed_on)
            )
            first = closing.followups.first()
            if n == 3 and first is not None:  # tried, not given up on
                self._not_reached(first, closing.closed_by, give_up=False)

    def adopt_closed_cases(self) -> None:
        """The seed's closed cases get what a closing records: their leftover drafts signed
        by their authors, a reason, and follow-ups to come."""
        reasons = [Reason.GOALS_REACHED, Reason.CLIENT_ENDED, Reason.MOVED, Reason.TRANSFERRED]
        closed = Case.objects.filter(status=CaseStatus.CLOSED, closing__isnull=True)
        for n, case in enumerate(closed.order_by("pk")):
            assert case.closed_on is not None
            contact = case.assignments.order_by("-started_on", "-pk").first()
            drafts = case.journal_entries.filter(status=EntryStatus.DRAFT).select_related("author")
            handled = []
            for draft in drafts:
                entry_sign(actor=draft.author, entry=draft)
                written = timezone.localtime(draft.happened_at).date().isoformat()
                handled.append({"entry": draft.pk, "written": written, "done": "sign"})
            closing = Closing.objects.create(
                case=case,
                reason=reasons[n % len(reasons)],
                closed_on=case.closed_on,
                closed_by=contact.worker if contact else self.workers[0],
                drafts=handled,
            )
            FollowUp.objects.bulk_create(
                FollowUp(closing=closing, due_on=day)
                for day in services.default_dates(case.closed_on)
            )

    def close_this_week(self) -> None:
        """A few open cases of the unit closed through the service, the contact person's
        drafts signed: follow-ups in six and twelve months."""
        reasons = [Reason.GOALS_REACHED, Reason.CLIENT_ENDED, Reason.TRANSFERRED]
        contacts = (
            Assignment.objects.current()
            .filter(
                role=AssignmentRole.CONTACT_PERSON,
                case__unit=self.unit,
                case__person__protected_identity=False,
            )
            .exclude(case__status=CaseStatus.CLOSED)
            # Not the stories the other demos tell on anna's clients (the portal's client,
            # BaM, decisions): those cases stay open.
            .exclude(case__person__account__isnull=False)
            .exclude(worker__username="anna")
            .select_related("case", "worker")
            .order_by("-case_id")
        )
        closed = 0
        for assignment in contacts:
            if closed == len(reasons):
                break
            case, worker = assignment.case, assignment.worker
            drafts = case.journal_entries.filter(status=EntryStatus.DRAFT)
            if drafts.exclude(author=worker).exists():
                continue
            closed_on = self.today - datetime.timedelta(days=closed + 1)
            if closed_on < case.opened_on:
                continue
            try:
                services.case_close(
                    actor=worker,
                    case=case,
                    reason=reasons[closed],
                    client_words=WORDS[closed] if closed != 1 else "",
                    closed_on=closed_on,
                    drafts=dict.fromkeys(drafts.values_list("pk", flat=True), services.SIGN),
                    follow_up_on=services.default_dates(closed_on),
                )
            except ValidationError:
                continue  # a decision in force: this case is not done yet
            closed += 1
