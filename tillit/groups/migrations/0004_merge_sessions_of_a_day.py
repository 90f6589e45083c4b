# Before one session per group and day is required (0005), sessions recorded twice on a
# day (a double click, two workers) are merged: the earliest keeps its row and gains the
# others' attendance (present if present in either, the group check's journal entry kept)
# and themes; the others are deleted. Journal entries and answers stay in the cases.

from django.db import migrations
from django.db.models import Count


def merge_sessions(apps, schema_editor):
    Session = apps.get_model("groups", "Session")
    Attendance = apps.get_model("groups", "Attendance")
    twice = (
        Session.objects.values("group_id", "held_on")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    for key in twice:
        day = Session.objects.filter(group_id=key["group_id"], held_on=key["held_on"])
        first, *others = day.order_by("id")
        kept = {a.member_id: a for a in Attendance.objects.filter(session=first)}
        for other in others:
            for attendance in Attendance.objects.filter(session=other).order_by("id"):
                same = kept.get(attendance.member_id)
                if same is None:
                    attendance.session = first
                    attendance.save(update_fields=["session"])
                    kept[attendance.member_id] = attendance
                    continue
                same.present = same.present or attendance.present
                same.entry_id = same.entry_id or attendance.entry_id
                attendance.delete()
                same.save(update_fields=["present", "entry"])
            if other.theme and other.theme not in first.theme:
                first.theme = "; ".join(t for t in (first.theme, other.theme) if t)[:200]
            other.delete()
        first.save(update_fields=["theme"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_redundant_indexes"),
    ]

    operations = [
        migrations.RunPython(merge_sessions, migrations.RunPython.noop),
    ]
