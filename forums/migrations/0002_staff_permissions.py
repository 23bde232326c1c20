"""秘书处 (secretariat staff) manage the forum boards and their moderators in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("forums")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    staff, _ = Group.objects.get_or_create(name="秘书处")
    staff.permissions.add(
        *Permission.objects.filter(content_type__app_label="forums", content_type__model="board")
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    for group in Group.objects.filter(name="秘书处"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="forums"))


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial"), ("alliance_site", "0003_role_groups")]

    operations = [migrations.RunPython(grant, revoke)]
