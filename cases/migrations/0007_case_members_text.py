"""Members search the members-only sections of cases: a second search-index entry per case that has any.

The rows are made here for the cases already written; the index entries are written by
`manage.py update_index`, which the release notes ask for (it also adds the enterprise names to the cases'
own entries). From then on `cases.signals` keeps the rows in step with each saved case.
"""

import json

import django.db.models.deletion
import modelsearch.index
from django.db import migrations, models


def has_members_section(body):
    raw = json.loads(body) if isinstance(body, str) else list(getattr(body, "raw_data", body) or [])
    return any(
        section.get("type") == "section" and (section.get("value") or {}).get("visibility") == "members"
        for section in raw
    )


def add_rows(apps, schema_editor):
    CasePage = apps.get_model("cases", "CasePage")
    CaseMembersText = apps.get_model("cases", "CaseMembersText")
    cases = CasePage.objects.values_list("pk", "body").iterator(chunk_size=500)
    CaseMembersText.objects.bulk_create(
        [CaseMembersText(case_id=pk) for pk, body in cases if has_members_section(body)], batch_size=500
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_delete_old_quality_methods"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseMembersText",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="cases.casepage",
                    ),
                ),
            ],
            options={
                "verbose_name": "members' search text of a case",
            },
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.RunPython(add_rows, migrations.RunPython.noop),
    ]
