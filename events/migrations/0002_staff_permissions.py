"""秘书处 (secretariat staff) enter external training records in the admin; event pages are edited as pages."""

from django.db import migrations

from alliance_site.accounts import grants


def grant(apps, schema_editor):
    grants.grant_model_permissions(apps, "events", ["trainingrecord"])


def revoke(apps, schema_editor):
    grants.revoke_model_permissions(apps, "events")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("alliance_site", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
