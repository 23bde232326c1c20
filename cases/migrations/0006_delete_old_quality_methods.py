from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_methods_point_to_core")]

    operations = [migrations.DeleteModel(name="QualityMethod")]
