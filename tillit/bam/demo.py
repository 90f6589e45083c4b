"""Demo data for BaM (called by `manage.py seed_demo`): one client of Anna's with a course
of weak and strong moments over four months, and trainings and supervision in BaM and MI
for the outpatient team, so the leaders' methods page has something to show."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from tillit.bam import services
from tillit.clients.models import Case, CaseStatus
from tillit.org.models import Method, Supervision, Training, User

# days ago, kind, title, antecedent, behaviour, consequence notes, alternative, confidence,
# tags; the last one the client wrote between meetings
MOMENTS = [
    (
        120,
        "weak",
        "Lönedagen i juni",
        ["Fick lön på morgonen", "Ensam hemma", "Tänkte: jag har förtjänat det"],
        ["Gick till Systembolaget", "Drack hela kvällen"],
        ["Lättnad först", "Skam dagen efter", "Missade mötet på måndagen"],
        "Ringa min syster när lönen kommer",
        2,
        ["lönedag", "ensam hemma"],
    ),
    (
        95,
        "weak",
        "Fredag efter jobbet",
        ["Stressig vecka", "Kollegorna gick ut"],
        ["Följde med", "Drack mer än jag tänkt"],
        ["Bråk med sambon"],
        "Ha något planerat på fredagskvällen",
        3,
        ["fredagskväll", "stress på jobbet"],
    ),
    (
        70,
        "strong",
        "Sa nej till Jonny",
        ["Jonny ringde på lönedagen", "Suget kom direkt"],
        ["Sa att jag inte dricker nu", "Ringde min syster"],
        ["Stolt", "Pengarna räckte"],
        "Jag hade bestämt mig innan, och min syster svarade",
        5,
        ["lönedag", "gamla vänner", "ringde en vän"],
    ),
    (
        40,
        "weak",
        "Natten jag inte kunde sova",
        ["Sömnlös", "Orolig för ekonomin"],
        ["Drack det som fanns hemma"],
        ["Trött hela dagen"],
        "Gå upp och ta en promenad i stället",
        4,
        ["sömnlös", "ensam hemma"],
    ),
    (
        21,
        "strong",
        "Lönedag utan att dricka",
        ["Fick lön", "Ensam på eftermiddagen"],
        ["Gick en annan väg hem", "Lagade middag"],
        ["Sov gott", "Stolt på morgonen"],
        "Att gå en annan väg hem",
        7,
        ["lönedag", "ensam hemma", "promenad"],
    ),
]
CLIENT_MOMENT = (
    6,
    "strong",
    "Gick hem från festen",
    "Grannarna hade fest och bjöd in mig.",
    "Gick dit en stund, drack läsk, gick hem vid tio.",
    "Jag klarade det. Lite ensamt efteråt.",
    "Jag bestämde en tid innan jag gick dit",
    8,
    ["fest"],
)


def load_demo_moments() -> None:
    case = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(
            assignments__worker__username="anna",
            assignments__ended_on__isnull=True,
            person__protected_identity=False,
        )
        .select_related("person")
        .order_by("person__last_name", "pk")  # the portal demo's client (portal/demo.py)
        .first()
    )
    anna = User.objects.filter(username="anna").first()
    if case is None or anna is None:
        return
    now = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0)
    for days, kind, title, before, did, after, alternative, confidence, tags in MOMENTS:
        moment = services.moment_record(
            actor=anna,
            person=case.person,
            case=case,
            kind=kind,
            happened_at=now - datetime.timedelta(days=days),
            title=title,
            confidence=confidence,
            tags=tags,
            what_worked=alternative if kind == "strong" else "",
            instead_next_time=alternative if kind == "weak" else "",
        )
        for column, notes in (("antecedent", before), ("behaviour", did), ("consequence", after)):
            for text in notes:
                services.note_add(actor=anna, moment=moment, column=column, text=text)
    days, kind, title, antecedent, behaviour, consequences, worked, confidence, tags = CLIENT_MOMENT
    services.moment_record_by_client(
        person=case.person,
        case=case,
        kind=kind,
        happened_at=now - datetime.timedelta(days=days),
        title=title,
        antecedent=antecedent,
        behaviour=behaviour,
        consequences=consequences,
        what_worked=worked,
        confidence=confidence,
        tags=tags,
    )
    _implementation(now.date())


def _implementation(today: datetime.date) -> None:
    staff = {
        u.username: u for u in User.objects.filter(username__in=["anna", "erik", "sara", "lena"])
    }
    methods = {m.key: m for m in Method.objects.filter(key__in=["bam", "mi"])}
    if len(staff) < 4 or len(methods) < 2:
        return
    for username, key, days, hours in [
        ("anna", "bam", 400, "60"),
        ("erik", "bam", 200, "60"),
        ("anna", "mi", 700, "24"),
        ("sara", "mi", 90, "24"),
    ]:
        Training.objects.create(
            staff=staff[username],
            method=methods[key],
            date=today - datetime.timedelta(days=days),
            hours=Decimal(hours),
        )
    for days in (60, 30):
        session = Supervision.objects.create(
            date=today - datetime.timedelta(days=days),
            supervisor=staff["lena"],
            method=methods["bam"],
            notes="Hur vi använder tavlan i mötet; att vara sekreterare.",
        )
        session.participants.set([staff["anna"], staff["erik"]])
