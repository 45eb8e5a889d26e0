"""Copy what each person said matters most to them into plain columns the summary counts."""

from django.conf import settings
from django.db import migrations, models

# The answers of the priorities question, as they were when this migration was written.
PRIORITIES = ("networking", "practice", "preparedness", "leverage", "other_roles")
BATCH = 500


def fill(apps, schema_editor):
    Assessment = apps.get_model("advice", "Assessment")
    columns = [f"prioritises_{reason}" for reason in PRIORITIES]
    changed = []
    for assessment in Assessment.objects.only("answers").iterator(chunk_size=BATCH):
        chosen = assessment.answers.get("priorities") or ()
        for reason in PRIORITIES:
            setattr(assessment, f"prioritises_{reason}", reason in chosen)
        changed.append(assessment)
        if len(changed) == BATCH:
            Assessment.objects.bulk_update(changed, columns)
            changed = []
    Assessment.objects.bulk_update(changed, columns)


class Migration(migrations.Migration):

    dependencies = [
        ('advice', '0008_rename_recommendation_verdict'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='assessment',
            name='assessment_summary',
        ),
        migrations.AddField(
            model_name='assessment',
            name='prioritises_leverage',
            field=models.BooleanField(default=False, editable=False, verbose_name='negotiating strength matters most'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='prioritises_networking',
            field=models.BooleanField(default=False, editable=False, verbose_name='networking matters most'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='prioritises_other_roles',
            field=models.BooleanField(default=False, editable=False, verbose_name='other roles matters most'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='prioritises_practice',
            field=models.BooleanField(default=False, editable=False, verbose_name='interview practice matters most'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='prioritises_preparedness',
            field=models.BooleanField(default=False, editable=False, verbose_name='ready for change matters most'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(fields=['created_at', 'verdict', 'review_status', 'employed', 'confidentiality', 'employment_agreement', 'attendance_policy', 'cites_networking', 'cites_practice', 'cites_preparedness', 'cites_leverage', 'cites_nothing_to_lose', 'cites_other_roles', 'prioritises_networking', 'prioritises_practice', 'prioritises_preparedness', 'prioritises_leverage', 'prioritises_other_roles'], name='assessment_summary'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
