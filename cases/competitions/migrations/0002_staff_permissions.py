"""秘书处 (secretariat staff) run competitions in the admin: rounds, criteria, entries and assignments."""

from django.db import migrations

from alliance_site.accounts import grants


def grant(apps, schema_editor):
    grants.grant_model_permissions(apps, "competitions", ["round", "criterion", "entry", "assignment"])


def revoke(apps, schema_editor):
    grants.revoke_model_permissions(apps, "competitions")


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0001_initial"),
        ("alliance_site", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
