"""Keep when an assessment was saved no finer than the hour; within an hour, newest by id.

Existing rows are truncated to their local hour, as advice.models.to_the_hour does for new
ones (written out here so this migration keeps working whatever that function becomes). The
local hour keeps each row on its local day.
"""

import advice.models
from django.db import migrations, models
from django.utils import timezone

BATCH = 1000


def to_the_hour(moment):
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.replace(minute=0, second=0, microsecond=0)


def truncate(apps, schema_editor):
    Assessment = apps.get_model("advice", "Assessment")
    changed = []
    for row in Assessment.objects.order_by("pk").only("pk", "created_at").iterator(BATCH):
        hour = to_the_hour(row.created_at)
        if hour != row.created_at:
            row.created_at = hour
            changed.append(row)
        if len(changed) == BATCH:
            Assessment.objects.bulk_update(changed, ["created_at"])
            changed = []
    Assessment.objects.bulk_update(changed, ["created_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0009_priority_columns"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="assessment",
            options={
                "default_permissions": ("view",),
                "ordering": ["-created_at", "-id"],
                "permissions": [("review_assessment", "Can record a review of an assessment")],
            },
        ),
        migrations.AlterField(
            model_name="assessment",
            name="created_at",
            field=models.DateTimeField(
                db_index=True,
                default=advice.models.this_hour,
                editable=False,
                verbose_name="created",
            ),
        ),
        migrations.RunPython(truncate, migrations.RunPython.noop),
    ]
