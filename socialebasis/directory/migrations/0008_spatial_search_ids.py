"""SQLite: give search entries spatial ids (``directory.spatial``) and rebuild the FTS5 table
with prefix indexes, keeping the indexed text. PostgreSQL: nothing changes.

The FTS5 table gets ``prefix = '4 5 6 7 8 9 10'``: a query for a stem with a prefix ("sport"*)
then reads one posting list instead of merging those of every word that starts with it.
"""

import pygeohash
from django.db import migrations

FTS_TABLE = "directory_search_fts"
TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
PREFIXES = "prefix = '4 5 6 7 8 9 10'"
_BASE32 = {c: i for i, c in enumerate("0123456789bcdefghjkmnpqrstuvwxyz")}


def _cell(latitude, longitude, municipality_code) -> int:
    """Frozen copy of directory.spatial.cell_of as of this migration."""
    located = latitude is not None and longitude is not None
    if not (located and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        digits = municipality_code[2:]
        return int(digits) if municipality_code[:2] == "GM" and digits.isdigit() else 0
    value = 0
    for char in pygeohash.encode(latitude, longitude, 6):
        value = value * 32 + _BASE32[char]
    return value


def _recreate_fts(cursor, options: str, select_rows: str) -> None:
    cursor.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE}_new USING fts5(name, keywords, body, {options})"
    )
    cursor.execute(f"INSERT INTO {FTS_TABLE}_new(rowid, name, keywords, body) {select_rows}")
    cursor.execute(f"DROP TABLE {FTS_TABLE}")
    cursor.execute(f"ALTER TABLE {FTS_TABLE}_new RENAME TO {FTS_TABLE}")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, latitude, longitude, municipality_code FROM directory_searchentry "
            "ORDER BY id"
        )
        next_id: dict[int, int] = {}
        mapping = []
        for old_id, latitude, longitude, municipality_code in cursor.fetchall():
            cell = _cell(latitude, longitude, municipality_code)
            new_id = next_id.get(cell, cell << 22) + 1
            next_id[cell] = new_id
            mapping.append((old_id, new_id))
        cursor.execute("CREATE TEMP TABLE sb_rekey (old INTEGER PRIMARY KEY, new INTEGER)")
        cursor.executemany("INSERT INTO sb_rekey (old, new) VALUES (%s, %s)", mapping)
        _recreate_fts(
            cursor,
            f"{TOKENIZE}, {PREFIXES}",
            f"SELECT k.new, f.name, f.keywords, f.body FROM {FTS_TABLE} f "
            "JOIN sb_rekey k ON k.old = f.rowid",
        )
        # Negate first: the new ids may equal other rows' old ids.
        cursor.execute("UPDATE directory_searchentry SET id = -id")
        cursor.execute(
            "UPDATE directory_searchentry "
            "SET id = (SELECT new FROM sb_rekey WHERE old = -directory_searchentry.id)"
        )
        cursor.execute("DROP TABLE sb_rekey")


def backwards(apps, schema_editor):
    # The ids stay spatial (any distinct ids will do); only the prefix indexes go.
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            _recreate_fts(cursor, TOKENIZE, f"SELECT rowid, name, keywords, body FROM {FTS_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("directory", "0007_service_area_districts")]

    operations = [migrations.RunPython(forwards, backwards)]
