"""秘书处 (secretariat staff) enter external training records in the admin; event pages are edited as pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["trainingrecord"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    staff, _ = Group.objects.get_or_create(name="秘书处")
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="events",
            content_type__model__in=MODELS,
            codename__regex=r"^(add|change|delete|view)_",
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name="秘书处"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="events"))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("alliance_site", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
