"""The database cache table (``settings.CACHES``, ``SB_CACHE_URL=db://``), created by
``migrate`` so that ``socialebasis demo`` and every deployment have it. Does nothing when the
cache is Redis or memory. Reversible: the table holds only rate-limit counters."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    from socialebasis.lib.hardening import CACHE_TABLE

    if CACHE_TABLE in schema_editor.connection.introspection.table_names():
        schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
