import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):
    # A migration of its own: on PostgreSQL, altering a table in the transaction that just wrote rows it refers
    # to fails with "pending trigger events".
    dependencies = [("cases", "0004_quality_methods_to_core")]

    operations = [
        migrations.AlterField(
            model_name="casepage",
            name="methods",
            field=modelcluster.fields.ParentalManyToManyField(
                related_name="cases", to="alliance_site.qualitymethod", verbose_name="quality methods"
            ),
        ),
    ]
