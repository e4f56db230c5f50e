"""The SQLite search backend: FTS5 and spatial entry ids.

``directory_search_fts`` (FTS5, with prefix indexes for 4 to 10 characters) holds the Python
stems of each entry in three columns: name, keywords (with the compound parts) and body,
ranked with bm25 and column weights name 10, keywords 4, body 1. An entry's FTS5 rowid is its
id, and ids are spatial (``directory.spatial``), so a search near a place reads only the rowid
ranges of the cells around it: the text is matched in one FTS5 cursor over the entry-id span
of the fine geohash cells that touch the circle, and only rows in those cells are ranked; the
municipality's entries without a location are a second cursor. Without other filters the
matches are not joined to their entries in SQL: their coordinates come from memory
(``directory.points``). A trigger removes an entry's FTS5 row with the entry (migration 0010).
"""

import numpy as np
from django.db import connection
from django.db.models import Max

from socialebasis.directory import points, spatial
from socialebasis.directory.geocoding import Place
from socialebasis.directory.models import SearchEntry
from socialebasis.directory.search.backend import Stems
from socialebasis.directory.search.matches import COLUMNS, Matches, fetch
from socialebasis.directory.search.query import Concept, terms
from socialebasis.directory.spatial import IdAllocator

FTS = "directory_search_fts"
FTS_WEIGHTS = (10.0, 4.0, 1.0)
_WEIGHTS = ", ".join(str(w) for w in FTS_WEIGHTS)
_CHUNK = 500  # ids per IN (...) list
_BATCH = 2000  # rows per INSERT


def fts_expression(concepts: list[Concept], any_concept: bool = False) -> str:
    """The FTS5 MATCH expression. Stems are [a-z0-9] only, so quoting is safe."""

    def alternative(alt: list[str], may_prefix: bool) -> str:
        found = terms(alt, may_prefix)
        return "(" + " AND ".join(f'"{s}"*' if p else f'"{s}"' for s, p in found) + ")"

    parts = []
    for concept in concepts:
        alternatives = [alternative(a, p) for a, p in concept.prefixed()]
        if len(alternatives) > 1:
            # bm25 adds up every phrase: repeating what the user typed makes a match on it
            # count twice, so it outranks a match on a synonym only.
            alternatives.insert(1, alternatives[0])
        parts.append("(" + " OR ".join(alternatives) + ")")
    return (" OR " if any_concept else " AND ").join(parts)


class Backend:
    """SQLite: see the module's docstring."""

    def allocator(self, fresh: bool) -> IdAllocator:
        if fresh:
            return IdAllocator()

        def highest(id_range: tuple[int, int]) -> int | None:
            # The write transaction (SQLite: BEGIN IMMEDIATE) holds the database lock, so no
            # other writer can take the same number between this read and our insert.
            entries = SearchEntry.objects.filter(id__range=id_range)
            return entries.aggregate(highest=Max("id"))["highest"]

        return IdAllocator(highest)

    def write(self, entries: list[SearchEntry], stems: list[Stems]) -> None:
        SearchEntry.objects.bulk_create(entries, batch_size=_BATCH)
        rows = [
            (entry.id, " ".join(s.name), " ".join(s.keywords + s.parts), " ".join(s.body))
            for entry, s in zip(entries, stems, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {FTS}(rowid, name, keywords, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
                rows,
            )

    def remove(self, entry_ids: list[int] | None) -> None:
        with connection.cursor() as cursor:
            if entry_ids is None:
                cursor.execute(f"DELETE FROM {FTS}")  # noqa: S608
            for start in range(0, len(entry_ids or ()), _CHUNK):
                chunk = entry_ids[start : start + _CHUNK]
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def lock_vocabulary(self) -> None:
        # SQLite serialises writers already: transaction_mode=IMMEDIATE.
        return None

    def candidates(
        self,
        concepts: list[Concept],
        where: list[str],
        args: list,
        place: Place | None,
        radius: int,
        any_concept: bool = False,
    ) -> Matches:
        # SQL text from constants only; every value is a parameter.
        if not concepts:
            select = f"SELECT {COLUMNS}, 0.0 FROM directory_searchentry e WHERE 1 = 1"  # noqa: S608
        else:
            select = (
                f"SELECT {COLUMNS}, -bm25({FTS}, {_WEIGHTS}) "  # noqa: S608
                f"FROM {FTS} JOIN directory_searchentry e ON e.id = {FTS}.rowid "
                f"WHERE {FTS} MATCH %s"
            )
            args = [fts_expression(concepts, any_concept), *args]
        sql = " AND ".join([select, *where])
        if place is None:
            return Matches.from_rows(fetch(sql, args))
        return _near(sql, args, concepts, len(where), place, radius)


def _near(sql, args, concepts, conditions: int, place: Place, radius: int) -> Matches:
    """Near a place, read only the id ranges of the cells around it (``directory.spatial``);
    the conditions of ``sql`` still decide exactly."""
    row_id = f"{FTS}.rowid" if concepts else "e.id"
    in_range = f"{sql} AND {row_id} BETWEEN %s AND %s"
    parts: list[tuple[str, list]] = []
    if place.municipality_code:  # the location-less entries of the municipality
        parts.append((in_range, [*args, *spatial.municipality_range(place.municipality_code)]))
    cells = spatial.circle_cells(place.lat, place.lon, radius) if concepts else None
    if cells is None:
        ranges = spatial.id_ranges(place.lat, place.lon, radius)
    else:
        # One cursor from the first fine cell to the last: every FTS5 cursor that ranks first
        # counts each query phrase's documents in the whole table for bm25 (~1.5 ms for a
        # common word), which costs more than reading the matches between the cells.
        ranges = [(spatial.cell_range(cells[0])[0], spatial.cell_range(cells[-1])[1])]
    located = Matches.from_rows([])
    if concepts and conditions == 1:  # no filter but the place: no join, see _fts_near
        located = _fts_near(args[0], ranges, cells)
    else:
        parts += [(in_range + _cell_filter(row_id, cells), [*args, *r]) for r in ranges]
    if parts:
        rows = fetch(" UNION ALL ".join(p for p, _ in parts), [v for _, a in parts for v in a])
        located = Matches.from_rows(rows).concat(located)
    return located


def _fts_near(expression: str, ranges: list[tuple[int, int]], cells: list[int] | None) -> Matches:
    """Text matches with a location near a place, from FTS5 alone: ids and bm25 ranks from
    SQL, coordinates from memory (``directory.points``). Joining each match to its entry
    row in SQL cost more than the rest of the query."""
    part = (
        f"SELECT rowid, -bm25({FTS}, {_WEIGHTS}) FROM {FTS} "  # noqa: S608
        f"WHERE {FTS} MATCH %s AND rowid BETWEEN %s AND %s{_cell_filter('rowid', cells)}"
    )
    rows = fetch(
        " UNION ALL ".join([part] * len(ranges)),
        [value for low, high in ranges for value in (expression, low, high)],
    )
    ids = np.fromiter((row[0] for row in rows), np.int64, len(rows))
    found, known = points.lookup(ids)
    ranks = np.fromiter((row[1] for row in rows), np.float64, len(rows))
    # Entries without a location come from the municipality's range, with its area filter.
    keep = known & ~np.isnan(found.lat)
    return Matches(found.ids, found.lat, found.lon, found.name, ranks).take(keep)


def _cell_filter(row_id: str, cells: list[int] | None) -> str:
    """SQL keeping the rows in the given precision-6 cells (none: every row). The cells are
    integers of our own, so they are written into the SQL."""
    if cells is None:
        return ""
    return f" AND ({row_id} >> {spatial.SEQUENCE_BITS}) IN ({', '.join(map(str, cells))})"
