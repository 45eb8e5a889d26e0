"""Fill the verdict columns added in 0002 for assessments saved before them.

Works from the JSON fields each row already has, so it does not depend on today's rules.
"""

from django.db import migrations

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
    fields = ["employed", *EXCEPTION_IDS, *(f"cites_{r}" for r in REASON_IDS)]
    batch = []
    for row in Assessment.objects.only(
        "answers", "exceptions", "uncertain", "reasons"
    ).iterator(chunk_size=1000):
        row.employed = (row.answers or {}).get("employed") == "yes"
        for exception in EXCEPTION_IDS:
            if not row.employed:
                state = ""
            elif exception in row.exceptions:
                state = "applies"
            elif exception in row.uncertain:
                state = "uncertain"
            else:
                state = "clear"
            setattr(row, exception, state)
        for reason in REASON_IDS:
            setattr(row, f"cites_{reason}", reason in row.reasons)
        batch.append(row)
        if len(batch) == 1000:
            Assessment.objects.bulk_update(batch, fields)
            batch = []
    if batch:
        Assessment.objects.bulk_update(batch, fields)


class Migration(migrations.Migration):

    dependencies = [
        ("advice", "0002_review_and_counts"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
