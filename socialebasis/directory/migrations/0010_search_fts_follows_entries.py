"""SQLite: a search entry's FTS5 row goes with it (a trigger), as the tsvector row does on
PostgreSQL (ON DELETE CASCADE). Entries also disappear by cascade when their service or
location is deleted; their FTS rows used to stay behind, and a later entry given the same
spatial id then failed to insert (UNIQUE rowid). Orphans left by then are removed here."""

from django.db import migrations

TRIGGER = "directory_searchentry_fts_delete"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM directory_search_fts WHERE rowid NOT IN "
            "(SELECT id FROM directory_searchentry)"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {TRIGGER} AFTER DELETE ON directory_searchentry "
            "BEGIN DELETE FROM directory_search_fts WHERE rowid = OLD.id; END"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0009_search_service_words")]

    operations = [migrations.RunPython(forwards, backwards)]
