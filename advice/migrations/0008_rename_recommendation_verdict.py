"""Call the go, caution or pass of an assessment its verdict everywhere, the snapshot included."""

from django.db import migrations, models

BATCH = 500


def rename_in_snapshots(old: str, new: str):
    def rename(apps, schema_editor):
        Assessment = apps.get_model("advice", "Assessment")
        changed = []
        for assessment in Assessment.objects.only("shown").iterator(chunk_size=BATCH):
            if old in assessment.shown:
                assessment.shown[new] = assessment.shown.pop(old)
                changed.append(assessment)
            if len(changed) == BATCH:
                Assessment.objects.bulk_update(changed, ["shown"])
                changed = []
        Assessment.objects.bulk_update(changed, ["shown"])

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("advice", "0007_delete_dailytally"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_recommendation_valid",
        ),
        migrations.RemoveIndex(
            model_name="assessment",
            name="assessment_summary",
        ),
        migrations.RenameField(
            model_name="assessment",
            old_name="recommendation",
            new_name="verdict",
        ),
        migrations.AlterField(
            model_name="assessment",
            name="verdict",
            field=models.CharField(
                choices=[("go", "Go"), ("caution", "Check first"), ("pass", "Pass")],
                editable=False,
                max_length=8,
            ),
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=[
                    "created_at",
                    "verdict",
                    "review_status",
                    "employed",
                    "confidentiality",
                    "employment_agreement",
                    "attendance_policy",
                    "cites_networking",
                    "cites_practice",
                    "cites_preparedness",
                    "cites_leverage",
                    "cites_nothing_to_lose",
                    "cites_other_roles",
                ],
                name="assessment_summary",
            ),
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(("verdict__in", ["go", "caution", "pass"])),
                name="assessment_verdict_valid",
            ),
        ),
        migrations.RunPython(
            rename_in_snapshots("recommendation", "verdict"),
            rename_in_snapshots("verdict", "recommendation"),
        ),
    ]
