"""Database-specific search structures.

SQLite: an FTS5 table ``directory_search_fts`` (rowid = SearchEntry.id) over three columns
of pre-normalised text (name, keywords, body), ranked with bm25.
PostgreSQL: the ``unaccent`` and ``pg_trgm`` extensions, a text-search configuration
``sb_dutch`` (Dutch Snowball stemmer after unaccent), a table ``directory_search_doc`` with a
weighted tsvector per SearchEntry, and a trigram index on the vocabulary for typo tolerance.
"""

from django.db import migrations

SQLITE_UP = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS directory_search_fts USING fts5("
    "name, keywords, body, tokenize = 'unicode61 remove_diacritics 2')",
]
SQLITE_DOWN = ["DROP TABLE IF EXISTS directory_search_fts"]

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
         IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'sb_dutch') THEN
           CREATE TEXT SEARCH CONFIGURATION sb_dutch ( COPY = dutch );
           ALTER TEXT SEARCH CONFIGURATION sb_dutch
             ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
         END IF;
       END $$""",
    """CREATE TABLE IF NOT EXISTS directory_search_doc (
         entry_id bigint PRIMARY KEY REFERENCES directory_searchentry(id) ON DELETE CASCADE
           DEFERRABLE INITIALLY DEFERRED,
         document tsvector NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS directory_search_doc_gin ON directory_search_doc USING gin(document)",
    "CREATE INDEX IF NOT EXISTS directory_searchterm_trgm ON directory_searchterm "
    "USING gin(term gin_trgm_ops)",
]
PG_DOWN = [
    "DROP TABLE IF EXISTS directory_search_doc",
    "DROP INDEX IF EXISTS directory_searchterm_trgm",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS sb_dutch",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        with schema_editor.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": PG_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": PG_DOWN}),
        )
    ]
