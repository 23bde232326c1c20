"""秘书处 (secretariat staff) run competitions in the admin: rounds, criteria, entries and assignments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["round", "criterion", "entry", "assignment"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("competitions")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    staff, _ = Group.objects.get_or_create(name="秘书处")
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="competitions",
            content_type__model__in=MODELS,
            codename__regex=r"^(add|change|delete|view)_",
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name="秘书处"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="competitions"))


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0001_initial"),
        ("alliance_site", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
