"""Create the "HR reviewer" group: it may view assessments and record reviews, nothing else."""

from django.db import migrations

GROUP = "HR reviewer"
PERMISSIONS = {
    "view_assessment": "Can view assessment",
    "review_assessment": "Can record a review of an assessment",
}


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally created after all migrations have run; create the two the
    # group needs now, exactly as Django would name them, so the group can hold them.
    content_type, _ = ContentType.objects.get_or_create(app_label="advice", model="assessment")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    ]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("advice", "0003_fill_verdict_columns"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
    ]
