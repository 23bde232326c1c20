"""The quality methods move to the core (alliance_site), one taxonomy for cases and the talent pool.

Rows are copied with their primary keys, so the cases' links to them and the method ids stored in page
revisions stay valid; the next migration points the link table at the core's table, the one after drops ours.
"""

from django.core.management.color import no_style
from django.db import migrations


FIELDS = ["name", "slug", "description", "sort_order"]


def copy_rows(source, target, schema_editor):
    """Copy every method from `source` to `target`, keys included."""
    for method in source.objects.all():
        target.objects.update_or_create(pk=method.pk, defaults={name: getattr(method, name) for name in FIELDS})
    # PostgreSQL's sequence must move past the copied keys, or the next method staff add would collide.
    with schema_editor.connection.cursor() as cursor:
        for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [target]):
            cursor.execute(sql)


def copy_methods(apps, schema_editor):
    copy_rows(apps.get_model("cases", "QualityMethod"), apps.get_model("alliance_site", "QualityMethod"), schema_editor)


def copy_back(apps, schema_editor):
    copy_rows(apps.get_model("alliance_site", "QualityMethod"), apps.get_model("cases", "QualityMethod"), schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("alliance_site", "0006_talent_pool"),
        ("cases", "0003_live_pages_by_publication_index"),
    ]

    operations = [migrations.RunPython(copy_methods, copy_back)]
