"""A fictional municipality to try Tillit with: four units, ten staff, sixty clients with
one to three years of history. Every name and identity number is made up; the numbers
have a valid format so the forms accept the same kind of input."""

from __future__ import annotations

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from tillit.bam.demo import load_demo_moments
from tillit.clients import services
from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStatus,
    EntryKind,
    EntryStatus,
    Handover,
    HandoverState,
    JournalEntry,
    Origin,
    Person,
)
from tillit.decisions import demo as decisions_demo
from tillit.decisions import laws
from tillit.decisions import services as decisions
from tillit.decisions.appeal import country_of, standard_text
from tillit.decisions.demo import LAW
from tillit.decisions.models import Law
from tillit.evidence import demo as evidence_demo
from tillit.extracts import demo as extracts_demo
from tillit.feedback.services import instruments_load
from tillit.followup import demo as followup_demo
from tillit.lib import ids
from tillit.network.demo import load_demo as load_network_demo
from tillit.org import methods
from tillit.org.models import Membership, Method, Role, Unit, User
from tillit.outcomes import demo as outcomes_demo
from tillit.outcomes import services as outcomes
from tillit.plans.demo import seed_plans
from tillit.portal import demo as portal_demo
from tillit.survey import demo as survey_demo
from tillit.survey.services import questionnaires_load

PASSWORD = "tillit-demo"

STAFF = [
    # username, first, last, [(unit key, role)]
    ("admin", "Ada", "Andersson", [("root", Role.ADMINISTRATOR)]),
    ("lena", "Lena", "Lindqvist", [("outpatient", Role.TEAM_LEADER)]),
    (
        "tomas",
        "Tomas",
        "Wikström",
        [("intake", Role.TEAM_LEADER), ("assessment", Role.TEAM_LEADER)],
    ),
    ("anna", "Anna", "Berg", [("outpatient", Role.WORKER)]),
    ("erik", "Erik", "Holm", [("outpatient", Role.WORKER)]),
    ("sara", "Sara", "Nilsson", [("outpatient", Role.WORKER)]),
    ("jonas", "Jonas", "Ek", [("assessment", Role.WORKER)]),
    ("maria", "Maria", "Lund", [("assessment", Role.WORKER)]),
    ("karin", "Karin", "Sjöberg", [("intake", Role.WORKER)]),
    ("petra", "Petra", "Dahl", [("root", Role.EVALUATOR), ("root", Role.MANAGER)]),
]

FIRST = [
    "Ali",
    "Birgitta",
    "Camilla",
    "Daniel",
    "Elin",
    "Fredrik",
    "Gunilla",
    "Hassan",
    "Ida",
    "Johan",
    "Kristina",
    "Leif",
    "Mona",
    "Niklas",
    "Olga",
    "Per",
    "Rasmus",
    "Sofia",
    "Tove",
    "Ulf",
    "Vera",
    "Yusuf",
    "Åsa",
    "Øystein",
    "Ingrid",
    "Marit",
]
LAST = [
    "Ahlgren",
    "Björk",
    "Carlsson",
    "Dahlberg",
    "Engström",
    "Forsberg",
    "Gustafsson",
    "Hedlund",
    "Isaksson",
    "Jansson",
    "Karlsson",
    "Lindberg",
    "Mattsson",
    "Nordin",
    "Olofsson",
    "Persson",
    "Rydberg",
    "Strand",
    "Thorsen",
    "Vik",
    "Haugen",
    "Bakken",
]
TEXTS = [
    "Samtal om veckan som gått. {name} berättar att det varit svårt på helgerna, "
    "särskilt på lördagskvällar när vännerna hör av sig.",
    "Uppföljning av planen. Vi gick igenom målen tillsammans; {name} vill fokusera på "
    "boendet och på att komma igång med praktiken.",
    "Telefonsamtal. {name} ringde och ville flytta mötet till nästa vecka på grund av "
    "läkarbesök. Ny tid bokad.",
    "Hembesök. Lägenheten var städad och {name} visade stolt upp den nya hyllan. Vi "
    "pratade om ekonomin och om att ansöka om skuldsanering.",
    "Nätverksmöte med mamma och syster. Familjen vill vara med mer; vi kom överens om "
    "att träffas igen om en månad.",
    "Drop-in. {name} kom förbi för att prata en stund. Mådde bättre än förra veckan.",
    "Brev skickat om kallelse till uppföljningsmöte.",
    "Samtal om ett svagt ögonblick i fredags. Vi utforskade vad som hände före, vad "
    "{name} gjorde och vad det ledde till. {name} vill pröva att ringa en vän nästa gång.",
]
CLIENT_WORDS = [
    "Jag känner att det går åt rätt håll nu. Det viktigaste för mig är att få ha kvar "
    "lägenheten och att min dotter vill träffa mig igen.",
    "Det var jobbigt att prata om, men skönt att någon lyssnade.",
]


class Command(BaseCommand):
    help = "Load a fictional demo municipality (units, staff, clients with history)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--clients", type=int, default=60)

    @transaction.atomic
    def handle(self, *args, seed: int, clients: int, **options) -> None:
        if Unit.objects.exists():
            self.stdout.write("Demo data is already loaded.")
            return
        rng = random.Random(seed)
        self._reference_data()
        units = self._units()
        staff = self._staff(units)
        workers = {
            key: [u for u in staff.values() if units[key].pk in u.unit_ids(Role.WORKER)]
            for key in ("intake", "assessment", "outpatient")
        }
        today = timezone.localdate()
        entries: list[JournalEntry] = []
        for n in range(clients):
            person = self._person(rng, n)
            if n % 15 == 3:
                person.protected_identity = True
                person.save()
            unit_key = rng.choices(["outpatient", "assessment", "intake"], [6, 3, 1])[0]
            opened = today - datetime.timedelta(days=rng.randint(60, 3 * 365))
            closed = rng.random() < 0.15
            case = Case.objects.create(
                person=person,
                unit=units[unit_key],
                opened_on=opened,
                origin=rng.choice([Origin.APPLICATION, Origin.APPLICATION, Origin.REPORT]),
                origin_text="Ansökan om stöd för att minska alkoholbruket."
                if unit_key != "intake"
                else "Anmälan från vårdcentralen.",
                status=CaseStatus.CLOSED
                if closed
                else rng.choice(
                    [
                        CaseStatus.ASSESSMENT,
                        CaseStatus.INTERVENTION,
                        CaseStatus.INTERVENTION,
                        CaseStatus.FOLLOW_UP,
                    ]
                )
                if unit_key != "intake"
                else CaseStatus.INQUIRY,
                closed_on=today - datetime.timedelta(days=rng.randint(1, 50)) if closed else None,
            )
            if unit_key != "intake":
                # Intake opened an assessment, and handed most cases on to this unit.
                Case.objects.filter(pk=case.pk).update(
                    assess=True,
                    assess_reason="Ansökan om stöd; behovet behöver utredas.",
                    assess_decided_on=opened,
                )
                if rng.random() < 0.6:
                    self._handed_from_intake(case, units, staff, opened)
            history = self._assignments(rng, case, workers[unit_key], n)
            if person.protected_identity:
                person.named_staff.set(
                    {a.worker for a in history} | {staff["lena"], staff["tomas"]}
                )
            entries.extend(self._journal(rng, case, history, person.first_name))
        JournalEntry.objects.bulk_create(entries, batch_size=500)
        self._corrections(rng)
        self._feedback(rng)
        portal_demo.load(PASSWORD)
        load_demo_moments()  # BaM: tillit/bam/demo.py
        load_network_demo(seed)
        seed_plans()
        self._intake(units, staff)
        self._flow(units, staff, seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo municipality loaded: {Unit.objects.count()} units, "
                f"{User.objects.filter(memberships__isnull=False).distinct().count()} staff, "
                f"{Person.objects.count()} clients, "
                f"{JournalEntry.objects.count()} journal entries."
            )
        )

    def _reference_data(self) -> None:
        """What the data migrations load (the provisions, the methods, the check
        instruments, the survey's questionnaire), again: a test database flushed between
        tests has none of it. Each loader updates what is there and adds what is not."""
        laws.load(Law)
        methods.load(Method)
        instruments_load()
        questionnaires_load()

    def _handed_from_intake(
        self, case: Case, units: dict[str, Unit], staff: dict[str, User], on: datetime.date
    ) -> None:
        """The case came through the chain: intake's worker met the client first, then (for
        the outpatient unit) an assessment worker, each handing the case on to the next
        unit, whose team leader accepted it. The specialised chain's hand-overs are what
        the leaders' continuity figures compare with an integrated team's."""
        tz = timezone.get_current_timezone()
        chain = [(units["intake"], staff["karin"])]
        if case.unit_id == units["outpatient"].pk:
            chain.append((units["assessment"], staff["jonas"] if case.pk % 2 else staff["maria"]))
        start = on - datetime.timedelta(days=21 * len(chain))
        for n, (unit, worker) in enumerate(chain):
            begun = start + datetime.timedelta(days=21 * n)
            handed = begun + datetime.timedelta(days=21)
            Assignment.objects.create(
                case=case,
                worker=worker,
                role=AssignmentRole.CONTACT_PERSON,
                started_on=begun,
                ended_on=handed,
            )
            for day in (2, 9):
                at = datetime.datetime.combine(
                    begun + datetime.timedelta(days=day), datetime.time(10), tz
                )
                JournalEntry.objects.create(
                    case=case,
                    happened_at=at,
                    kind=EntryKind.MEETING,
                    text="Samtal om ansökan och om vad klienten vill ha hjälp med.",
                    status=EntryStatus.SIGNED,
                    author=worker,
                    signed_at=at,
                    signed_by=worker,
                )
            to_unit = chain[n + 1][0] if n + 1 < len(chain) else case.unit
            leader = staff["lena"] if to_unit == units["outpatient"] else staff["tomas"]
            sent = datetime.datetime.combine(handed, datetime.time(9), tz)
            Handover.objects.create(
                case=case,
                from_unit=unit,
                to_unit=to_unit,
                note="Klienten vill ha stöd med alkoholen och boendet.",
                sent_by=worker,
                sent_at=sent - datetime.timedelta(days=2),
                state=HandoverState.ACCEPTED,
                decided_by=leader,
                decided_at=sent,
            )

    def _intake(self, units: dict[str, Unit], staff: dict[str, User]) -> None:
        """Intake's inquiries: one decided and handed to the outpatient unit, waiting for
        Lena; one handed to the assessment group, waiting for Tomas; one the outpatient
        unit declined, back with intake; the rest still to decide."""
        inquiries = list(
            Case.objects.filter(unit=units["intake"], status=CaseStatus.INQUIRY).order_by("pk")
        )
        stories = [
            (units["outpatient"], "Vill ha öppenvård efter avgiftning; har jobb att behålla.", ""),
            (units["assessment"], "Orosanmälan från vårdcentralen; behöver utredas.", ""),
            (units["outpatient"], "Ansöker om behandling.", "Behöver först utredas."),
        ]
        for case, (to_unit, note, declined) in zip(inquiries, stories, strict=False):
            services.inquiry_decide(case=case, assess=True, reason="Ansökan prövas enligt SoL.")
            handover = services.handover_send(
                actor=staff["karin"], case=case, to_unit=to_unit, note=note
            )
            if declined:
                services.handover_decline(actor=staff["lena"], handover=handover, reason=declined)

    def _flow(self, units: dict[str, Unit], staff: dict[str, User], seed: int) -> None:
        """Decisions, interventions, closings and follow-ups (each app's demo)."""

        def open_cases_of(worker: User) -> list[Case]:
            return list(
                Case.objects.open()
                .filter(assignments__worker=worker, assignments__ended_on__isnull=True)
                .exclude(person__protected_identity=True)
                .order_by("pk")
                .distinct()
            )

        decisions_demo.seed(open_cases_of(staff["anna"]), staff["anna"])
        outcomes_demo.load_demo(open_cases_of(staff["erik"]), staff["erik"])
        self._granted_and_carried_out(staff)
        outpatient = [staff[name] for name in ("anna", "erik", "sara", "lena")]
        outcomes_demo.load_low_threshold(units["outpatient"], outpatient)
        followup_demo.load_demo(seed)
        survey_demo.load_demo(seed)
        evidence_demo.load_demo(PASSWORD, seed)
        extracts_demo.load()

    def _granted_and_carried_out(self, staff: dict[str, User]) -> None:
        """Every other case in intervention has the decision it rests on and the
        intervention carrying it out: outpatient help, BaM, or support in everyday life,
        begun a few weeks after the decision (so the leaders' figures of time from
        decision to help and of method use have real numbers)."""
        bam = Method.objects.get(key="bam")
        kinds = [("outpatient", "Öppenvård, samtal varannan vecka"), ("method", "BaM")]
        kinds.append(("support", "Stöd i vardagen"))
        current = Assignment.objects.current().select_related("worker").order_by("pk")
        cases = list(
            Case.objects.filter(status=CaseStatus.INTERVENTION, decisions__isnull=True)
            .prefetch_related(Prefetch("assignments", current, to_attr="current"))
            .select_related("person")
            .order_by("pk")
        )
        for n, case in enumerate(c for c in cases if c.current):  # type: ignore[attr-defined]
            worker = case.current[0].worker  # type: ignore[attr-defined]
            kind, what = kinds[n % len(kinds)]
            decided = case.opened_on + datetime.timedelta(days=30)
            country = country_of(case.person)
            draft = decisions.decision_create(
                actor=worker,
                case=case,
                kind=kind,
                what=what,
                outcome="granted",
                law=Law.objects.get(key=LAW[country]),
                starts_on=decided,
                grounds="Utredningen visar ett behov av stöd för att minska alkoholbruket.",
                delegation="Delegationsordning 4.1",
                appeal_info=standard_text(country, case.person.preferred_language),
            )
            decision = decisions.decision_sign(actor=worker, decision=draft, on=decided)
            started = decided + datetime.timedelta(days=7 + 9 * (n % 5))
            outcomes.intervention_start(
                actor=worker,
                case=case,
                kind=kind,
                name=what,
                started_on=min(started, timezone.localdate()),
                decision=decision,
                method=bam if kind == "method" else None,
            )

    def _units(self) -> dict[str, Unit]:
        root = Unit.objects.create(name="Socialtjänsten Lillby")
        return {
            "root": root,
            "intake": Unit.objects.create(name="Mottagningen", parent=root, does_intake=True),
            "assessment": Unit.objects.create(
                name="Utredningsgruppen vuxna", parent=root, does_assessment=True
            ),
            "outpatient": Unit.objects.create(
                name="Öppenvården vuxna",
                parent=root,
                does_intervention=True,
                does_follow_up=True,
            ),
        }

    def _staff(self, units: dict[str, Unit]) -> dict[str, User]:
        staff = {}
        for username, first, last, roles in STAFF:
            user = User.objects.create_user(
                username,
                f"{username}@lillby.example",
                PASSWORD,
                first_name=first,
                last_name=last,
                is_staff=username == "admin",
                is_superuser=username == "admin",
            )
            for key, role in roles:
                Membership.objects.create(user=user, unit=units[key], role=role)
            staff[username] = user
        return staff

    def _person(self, rng: random.Random, n: int) -> Person:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 40 * 365))
        person = Person(
            first_name=first,
            last_name=last,
            preferred_language=rng.choice(["sv", "sv", "sv", "nb", "en"]),
        )
        if n % 20 == 7:
            person.no_id_reason = "Nyanländ, väntar på samordningsnummer."
        elif n % 10 == 4:
            number = None
            individual = 100 + n
            while number is None:
                number = ids.make_norwegian(born.strftime("%d%m%y"), individual)
                individual += 1
            person.id_country, person.id_number = ids.NORWAY, number
        else:
            person.id_country = ids.SWEDEN
            person.id_number = ids.make_swedish(born.strftime("%Y%m%d"), 100 + n * 7 % 900)
        person.full_clean()
        person.save()
        return person

    def _assignments(
        self, rng: random.Random, case: Case, workers: list[User], n: int
    ) -> list[Assignment]:
        if n % 12 == 5 and case.status != CaseStatus.CLOSED:
            return []  # waits for a contact person: shows on the team leader's unit page
        changes = rng.choices([0, 0, 1, 2, 3], k=1)[0]
        start = case.opened_on
        end = case.closed_on or timezone.localdate()
        span = (end - start).days
        cuts = sorted(
            start + datetime.timedelta(days=rng.randint(1, max(span - 1, 1)))
            for _ in range(changes)
        )
        history = []
        worker = rng.choice(workers)
        for i, began in enumerate([start, *cuts]):
            ended = cuts[i] if i < len(cuts) else case.closed_on
            history.append(
                Assignment.objects.create(
                    case=case,
                    worker=worker,
                    role=AssignmentRole.CONTACT_PERSON,
                    started_on=began,
                    ended_on=ended,
                )
            )
            others = [w for w in workers if w != worker] or workers
            worker = rng.choice(others)
        return history

    def _journal(
        self, rng: random.Random, case: Case, history: list[Assignment], name: str
    ) -> list[JournalEntry]:
        start = case.opened_on
        end = case.closed_on or timezone.localdate()
        tz = timezone.get_current_timezone()
        result = []
        day = start
        while day < end:
            author = next((a.worker for a in reversed(history) if a.started_on <= day), None)
            if author is None:
                break
            at = datetime.datetime.combine(day, datetime.time(rng.randint(8, 16), 0), tz)
            words = rng.random() < 0.15
            text = rng.choice(CLIENT_WORDS) if words else rng.choice(TEXTS).format(name=name)
            draft = day > end - datetime.timedelta(days=4) and rng.random() < 0.5
            result.append(
                JournalEntry(
                    case=case,
                    happened_at=at,
                    text=text,
                    author=author,
                    client_words=words,
                    kind=rng.choice(list(EntryKind.values)),
                    present=f"{name}, {author.get_full_name()}" if not words else "",
                    status=EntryStatus.DRAFT if draft else EntryStatus.SIGNED,
                    signed_at=None if draft else at + datetime.timedelta(hours=2),
                    signed_by=None if draft else author,
                    created_at=at,
                )
            )
            day += datetime.timedelta(days=rng.randint(5, 21))
        return result

    def _feedback(self, rng: random.Random) -> None:
        """Most meetings get the client's checks; some clients' relationship scores sag,
        which raises alerts; older alerts are closed with a response."""
        from tillit.feedback import services as feedback
        from tillit.feedback.models import Alert, AlertResponse, Instrument

        instruments = {i.key: i for i in Instrument.objects.prefetch_related("items")}
        meetings = (
            JournalEntry.objects.filter(
                status=EntryStatus.SIGNED, kind__in=["meeting", "home_visit"]
            )
            .select_related("case", "author")
            .order_by("case_id", "happened_at")
        )
        level: dict[int, float] = {}
        for entry in meetings:
            if rng.random() < 0.25:
                continue
            base = level.setdefault(entry.case_id, rng.uniform(6.5, 9.5))
            base = min(10.0, max(1.0, base + rng.uniform(-0.7, 0.8)))
            level[entry.case_id] = base

            def around(centre: float) -> int:
                return max(0, min(10, round(centre + rng.uniform(-1.0, 1.0))))

            answers: dict[str, dict[str, int | None]] = {
                "relationship": {
                    i.key: around(base) for i in instruments["relationship"].items.all()
                },
                "life": {i.key: around(base - 1.5) for i in instruments["life"].items.all()},
                "unwanted": {"harder": 2 if rng.random() < 0.01 else int(rng.random() < 0.08)},
            }
            feedback.responses_record(
                entry=entry,
                instruments=[instruments[k] for k in answers],
                answers=answers,
                open_answers={"relationship": "Bra att vi pratade om jobbet."}
                if rng.random() < 0.1
                else {},
                channel=rng.choice(["meeting", "meeting", "link", "paper"]),
                given_on=timezone.localtime(entry.happened_at).date(),
                worker=entry.author,
            )
        cutoff = timezone.now() - datetime.timedelta(days=60)
        for alert in Alert.objects.filter(response__given_on__lt=cutoff.date()).select_related(
            "response__worker"
        ):
            worker = alert.response.worker
            assert worker is not None  # every demo answer has its meeting's author
            feedback.alert_close(
                actor=worker,
                alert=alert,
                kind=rng.choice(list(AlertResponse.values)),
                note="Vi pratade om hur samarbetet fungerar och vad vi kan göra annorlunda.",
            )

    def _corrections(self, rng: random.Random) -> None:
        signed = list(JournalEntry.objects.filter(status=EntryStatus.SIGNED).order_by("pk"))
        for entry in rng.sample(signed, k=min(12, len(signed))):
            JournalEntry.objects.create(
                case=entry.case,
                happened_at=entry.happened_at,
                kind=entry.kind,
                text=entry.text + " (Rättat: mötet hölls på kontoret, inte i hemmet.)",
                present=entry.present,
                client_words=entry.client_words,
                author=entry.author,
                status=EntryStatus.SIGNED,
                signed_at=entry.signed_at,
                signed_by=entry.author,
                replaces=entry,
                thread=entry,
                version=2,
                correction_reason="Fel plats angavs i första versionen.",
            )
