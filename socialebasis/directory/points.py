"""The coordinates and sort names of every search entry, held in process memory as NumPy
arrays: what Lucene calls doc values and tantivy fast fields.

A text search near a place on SQLite asks FTS5 only for entry ids and bm25 ranks, and looks
their coordinates up here, sorted by id (``numpy.searchsorted``), instead of joining every
match to ``directory_searchentry`` in SQL, which cost ten times as much (figures in
docs/performance.md, "Third follow-up"). The distances and the ranking are then computed
over whole arrays (``search._rank``).

The copy is reloaded when the search index changes, with the vocabulary's key
(``vocabulary.index_key()``): a generation token in Django's shared cache, replaced on every
index write, plus the highest ``SearchTerm`` id, which every index write changes: two small
queries per search. An entry the copy does not hold (written after it was loaded, by a write
that committed during this search) is read from the database instead (``lookup``), so a hit
is never lost. The copy's size and load time are in docs/performance.md; it loads once per
process and index change.

The one window left: a write that commits between a search's reading of the key and its FTS5
query, and that gives an entry's id again to the same service at a moved location (it was the
last in its cell), leaves that one search with the old coordinates of that entry; the next
search reloads.
"""

from dataclasses import dataclass

import numpy as np
from django.db import connection

from socialebasis.directory import vocabulary


@dataclass(frozen=True)
class Points:
    """Entry ids (int64, ascending), latitudes and longitudes (float64 WGS84 degrees, NaN
    for an entry without a location) and sort names (an object array of str)."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> "Points":
        """From rows that start with (entry id, latitude or None, longitude or None, sort
        name); further columns are ignored."""
        names = np.empty(len(rows), dtype=object)
        names[:] = [row[3] for row in rows]
        return cls(
            np.fromiter((row[0] for row in rows), np.int64, len(rows)),
            np.array([row[1] for row in rows], dtype=np.float64),  # None becomes NaN
            np.array([row[2] for row in rows], dtype=np.float64),
            names,
        )


def lookup(entry_ids: np.ndarray) -> tuple[Points, np.ndarray]:
    """The points of the given entry ids (int64), in their order, and a boolean mask over
    ``entry_ids`` of the ids found: an id no longer in the index is left out."""
    points = _copy.get()
    if len(points):
        positions = np.minimum(np.searchsorted(points.ids, entry_ids), len(points) - 1)
        found = points.ids[positions] == entry_ids
        result = _take(points, positions)
    else:
        found = np.zeros(len(entry_ids), dtype=bool)
        size = len(entry_ids)
        nan = np.full(size, np.nan)
        result = Points(entry_ids.copy(), nan, nan.copy(), np.full(size, "", dtype=object))
    if not found.all():
        # Written after our copy was loaded: read those from the database.
        extra = _read(entry_ids[~found].tolist())
        at = {entry_id: i for i, entry_id in enumerate(extra.ids.tolist())}
        for i in np.flatnonzero(~found):
            j = at.get(int(entry_ids[i]))
            if j is not None:
                for target, source in zip(_fields(result), _fields(extra), strict=True):
                    target[i] = source[j]
                found[i] = True
    return result, found


def clear() -> None:
    """Forget the copy (tests; the key makes a stale copy impossible otherwise)."""
    _copy.clear()


def _read(entry_ids: list[int] | None) -> Points:
    from socialebasis.directory.models import SearchEntry

    sql = f"SELECT id, latitude, longitude, sort_name FROM {SearchEntry._meta.db_table}"  # noqa: S608
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        if entry_ids is None:
            cursor.execute(f"{sql} ORDER BY id")
            rows = cursor.fetchall()
        for start in range(0, len(entry_ids or ()), 500):
            chunk = entry_ids[start : start + 500]
            cursor.execute(f"{sql} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
            rows += cursor.fetchall()
    return Points.from_rows(rows)


def _take(points: Points, positions: np.ndarray) -> Points:
    return Points(*(field[positions] for field in _fields(points)))


def _fields(points: Points) -> tuple[np.ndarray, ...]:
    return points.ids, points.lat, points.lon, points.name


_copy = vocabulary.IndexCopy(lambda: _read(None))
