"""Count the daily tallies of the assessments saved before them.

Does what advice.tallies.recount() did for every day (both are gone since 0007), written out
here so that this migration kept working however the tallies changed.
"""

from django.db import migrations
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

EXCEPTION_IDS = ("confidentiality", "employment_agreement", "attendance_policy")
REASON_IDS = (
    "networking",
    "practice",
    "preparedness",
    "leverage",
    "nothing_to_lose",
    "other_roles",
)


def fill(apps, schema_editor):
    Assessment = apps.get_model("advice", "Assessment")
    DailyTally = apps.get_model("advice", "DailyTally")
    counts = {
        "total": Count("pk"),
        "reviewed": Count("pk", filter=Q(review_status="reviewed")),
        "employed": Count("pk", filter=Q(employed=True)),
    }
    for verdict in ("go", "caution", "pass"):
        counts[f"verdict_{verdict}"] = Count("pk", filter=Q(recommendation=verdict))
    for exception in EXCEPTION_IDS:
        counts[f"{exception}_applies"] = Count("pk", filter=Q(**{exception: "applies"}))
        counts[f"{exception}_unsure"] = Count("pk", filter=Q(**{exception: "uncertain"}))
    for reason in REASON_IDS:
        counts[f"reason_{reason}"] = Count("pk", filter=Q(**{f"cites_{reason}": True}))
    day = TruncDate("created_at", tzinfo=timezone.get_default_timezone())
    DailyTally.objects.all().delete()
    DailyTally.objects.bulk_create(
        [
            DailyTally(**row)
            for row in Assessment.objects.order_by()
            .annotate(day=day)
            .values("day")
            .annotate(**counts)
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("advice", "0005_dailytally"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
