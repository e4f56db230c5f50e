"""Spatially clustered search-entry ids, so that SQLite can search text near a place without
touching the rest of the country.

On SQLite an entry's id is also its FTS5 rowid, and FTS5 walks its posting lists in rowid order
and can start and stop at given rowids. So we give an entry with a location the id

    geohash of its location at precision 6, as a 30-bit integer  <<  22  |  sequence number

(geohash: Niemeyer 2008, as encoded by ``pygeohash``; a precision-6 cell is about 1.2 km by
0.6 km in the Netherlands). Every geohash cell, at any precision, is then one contiguous id range,
and a text search near a place matches only within the ranges of the few cells that cover its
bounding box (``id_ranges``) instead of everywhere. An entry without a location (a service
area) takes the number of its municipality's CBS code as its cell (GM0363 -> 363), so a search
reads only the location-less entries of the municipality it is in (``municipality_range``).
Those small numbers are also geohash cells near the South Pole; sharing a range there costs a
little time, never a wrong hit, because the search's own filters decide.

Ids stay below 2**52, so they survive JSON and JavaScript numbers. A cell holds up to
4,194,303 entries. PostgreSQL keeps ordinary sequence ids: it searches with a GIN index and a
(latitude, longitude) index instead.
"""

import math
from collections.abc import Iterable

import pygeohash

from socialebasis.lib.geo import bounding_box, haversine_m, valid_wgs84

KEY_PRECISION = 6
SEQUENCE_BITS = 22
MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1
MAX_CELLS = 4  # cells per place search: each range costs FTS5 a setup (measured: 4 was best)
MAX_FILTER_CELLS = 2048  # beyond this a cell filter costs more than it saves
# A precision-6 cell spans 15 bits of longitude and 15 of latitude.
_LON_STEP = 360.0 / (1 << 15)
_LAT_STEP = 180.0 / (1 << 15)
_BASE32 = {c: i for i, c in enumerate("0123456789bcdefghjkmnpqrstuvwxyz")}


def geohash_int(geohash: str) -> int:
    """A geohash string as an integer of 5 bits per character (``"u173zm"`` -> 30 bits)."""
    value = 0
    for char in geohash:
        value = value * 32 + _BASE32[char]
    return value


def cell_of(latitude: float | None, longitude: float | None, municipality_code: str = "") -> int:
    """The precision-6 cell number of a WGS84 point. Without a location: the municipality's
    cell (``municipality_cell``). Coordinates outside [-90, 90] x [-180, 180] (imported data
    can hold them; no place search reaches them) count as no location."""
    if latitude is None or longitude is None or not valid_wgs84(latitude, longitude):
        return municipality_cell(municipality_code)
    return geohash_int(pygeohash.encode(latitude, longitude, KEY_PRECISION))


def municipality_cell(municipality_code: str) -> int:
    """The cell of a municipality's location-less entries: the number of its CBS code
    ("GM0363" -> 363); 0 for no or another code."""
    digits = municipality_code[2:]
    return int(digits) if municipality_code[:2] == "GM" and digits.isdigit() else 0


def municipality_range(municipality_code: str) -> tuple[int, int]:
    """The inclusive id range of a municipality's entries without a location."""
    return cell_range(municipality_cell(municipality_code))


def id_ranges(lat: float, lon: float, radius_m: float) -> list[tuple[int, int]]:
    """Inclusive id ranges that hold every located entry within the bounding box of a circle
    (centre in WGS84 degrees, radius in metres): the cells of the finest geohash precision
    (6 down to 1) that covers the box in at most ``MAX_CELLS`` cells, adjacent ranges merged.
    Entries without a location are not included (see ``municipality_range``)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_m)
    box = pygeohash.BoundingBox(
        max(min_lat, -90.0), max(min_lon, -180.0), min(max_lat, 90.0), min(max_lon, 180.0)
    )
    for precision in range(KEY_PRECISION, 0, -1):
        cells = pygeohash.geohashes_in_box(box, precision)
        if len(cells) <= MAX_CELLS:
            break
    shift = 5 * (KEY_PRECISION - precision) + SEQUENCE_BITS
    return _merge((geohash_int(c) << shift, ((geohash_int(c) + 1) << shift) - 1) for c in cells)


def circle_cells(lat: float, lon: float, radius_m: float) -> list[int] | None:
    """The precision-6 cells (as ``cell_of`` numbers) that hold some point within ``radius_m``
    metres of the centre (WGS84 degrees), sorted; None when there would be more than
    ``MAX_FILTER_CELLS`` (a radius of more than about 15 km).

    A text search reads the id span from the first of these cells to the last and keeps only
    rows in them (``id >> 22``), so that FTS5 ranks only rows near the circle: 2 km around
    De Baarsjes in the benchmark's Amsterdam, the coarse ``id_ranges`` hold 7,914 matches of
    "eenzaam", these cells 2,891, and 2,338 lie within the radius. A cell is kept when the
    point of its (closed) rectangle nearest to the centre is within the radius plus 0.1 % and
    1 m, a margin for the sphere: no cell holding a point within the radius is ever left out
    (hypothesis-tested)."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius_m)
    # One cell of padding on each side: boundary points may be encoded into either cell.
    lat_lo = max(0, math.floor((max(min_lat, -90.0) + 90.0) / _LAT_STEP) - 1)
    lat_hi = min((1 << 15) - 1, math.floor((min(max_lat, 90.0) + 90.0) / _LAT_STEP) + 1)
    lon_lo = max(0, math.floor((max(min_lon, -180.0) + 180.0) / _LON_STEP) - 1)
    lon_hi = min((1 << 15) - 1, math.floor((min(max_lon, 180.0) + 180.0) / _LON_STEP) + 1)
    if (lat_hi - lat_lo + 1) * (lon_hi - lon_lo + 1) > 4 * MAX_FILTER_CELLS:
        return None
    reach = radius_m * 1.001 + 1.0
    cells = []
    for j in range(lat_lo, lat_hi + 1):
        south = j * _LAT_STEP - 90.0
        nearest_lat = min(max(lat, south), south + _LAT_STEP)
        for i in range(lon_lo, lon_hi + 1):
            west = i * _LON_STEP - 180.0
            nearest_lon = min(max(lon, west), west + _LON_STEP)
            if haversine_m(lat, lon, nearest_lat, nearest_lon) <= reach:
                cells.append(_spread(i) << 1 | _spread(j))
    return sorted(cells) if len(cells) <= MAX_FILTER_CELLS else None


def _spread(value: int) -> int:
    """The bits of a 15-bit number at the even positions of a 30-bit one: the geohash
    interleaving (a precision-6 geohash is, from its top bit, lon, lat, lon, lat, ...)."""
    value = (value | value << 8) & 0x00FF00FF
    value = (value | value << 4) & 0x0F0F0F0F
    value = (value | value << 2) & 0x33333333
    return (value | value << 1) & 0x55555555


def _merge(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for low, high in sorted(ranges):
        if merged and merged[-1][1] + 1 >= low:
            merged[-1][1] = max(merged[-1][1], high)
        else:
            merged.append([low, high])
    return [(low, high) for low, high in merged]


class IdAllocator:
    """Hands out spatial ids: the next free sequence number per cell.

    ``existing`` is a callable giving the highest id already used in a cell's range (or None);
    it is asked once per cell. A full rebuild of an emptied index passes ``None`` and asks
    nothing. Raises OverflowError when a cell is full."""

    def __init__(self, existing=None):
        self._existing = existing
        self._next: dict[int, int] = {}

    def allocate(
        self, latitude: float | None, longitude: float | None, municipality_code: str = ""
    ) -> int:
        cell = cell_of(latitude, longitude, municipality_code)
        if cell not in self._next:
            highest = self._existing(cell_range(cell)) if self._existing else None
            self._next[cell] = (highest or cell_range(cell)[0] - 1) + 1
        new_id = self._next[cell]
        if new_id > cell_range(cell)[1]:
            raise OverflowError(f"search index cell {cell} is full")
        self._next[cell] = new_id + 1
        return new_id


def cell_range(cell: int) -> tuple[int, int]:
    """The inclusive id range of one cell (ids start at 1: cell 0 has no id 0)."""
    return max(1, cell << SEQUENCE_BITS), (cell << SEQUENCE_BITS) | MAX_SEQUENCE
