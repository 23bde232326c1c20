"""The table of the database cache, the default cache when no REDIS_URL is set (settings/base.py, CACHES).

Made by a migration rather than by a separate `createcachetable` step: `migrate` already runs wherever a database
is made (`make run`, the test database of `make test`, CI's fresh PostgreSQL, each release), so the table cannot
be forgotten, and the test database has it even though the tests' own cache is in memory. The table is the one
`createcachetable` makes (same columns and index); with Redis configured it stays empty.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "cqo_cache"  # settings.base.CACHE_TABLE


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)  # does nothing if it exists


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("alliance_site", "0010_submissions")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
