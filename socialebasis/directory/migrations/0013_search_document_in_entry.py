"""PostgreSQL: the tsvector of each search entry moves into ``directory_searchentry`` itself
(column ``document``, GIN-indexed), so a text search reads one table: no hash join of every
match with the whole entry table, and the filters and the place's bounding box are conditions
on the same rows (the planner can combine the GIN index with the (latitude, longitude) index).
The documents are written with the entry's INSERT (``SearchDocumentField``), not by a
second UPDATE that would leave a dead version of every row behind on each rebuild. The
documents of ``directory_search_doc`` are copied over, then that table is dropped. SQLite
keeps its FTS5 table (the column stays empty there)."""

from django.db import migrations

import socialebasis.directory.models

PG_UP = [
    "UPDATE directory_searchentry e SET document = d.document "
    "FROM directory_search_doc d WHERE d.entry_id = e.id",
    "DROP TABLE IF EXISTS directory_search_doc",
    "CREATE INDEX IF NOT EXISTS directory_searchentry_document_gin "
    "ON directory_searchentry USING gin(document)",
]
PG_DOWN = [
    """CREATE TABLE IF NOT EXISTS directory_search_doc (
         entry_id bigint PRIMARY KEY REFERENCES directory_searchentry(id) ON DELETE CASCADE
           DEFERRABLE INITIALLY DEFERRED,
         document tsvector NOT NULL)""",
    "INSERT INTO directory_search_doc(entry_id, document) "
    "SELECT id, document FROM directory_searchentry WHERE document IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS directory_search_doc_gin ON directory_search_doc "
    "USING gin(document)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0012_errorreport_user")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="document",
            field=socialebasis.directory.models.SearchDocumentField(editable=False, null=True),
        ),
        migrations.RunPython(_run(PG_UP), _run(PG_DOWN)),
    ]
