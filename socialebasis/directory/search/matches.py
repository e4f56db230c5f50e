"""What every backend's candidates share: the ``Matches`` arrays they return, the SQL of the
place and the filters over ``directory_searchentry`` (alias ``e``), and a raw fetch."""

from dataclasses import dataclass

import numpy as np
from django.db import connection

from socialebasis.directory import points
from socialebasis.directory.geocoding import Place, district_of
from socialebasis.lib.geo import bounding_box

# The columns of a candidate row before its rank: (entry id, latitude, longitude, sort name).
COLUMNS = "e.id, e.latitude, e.longitude, e.sort_name"


@dataclass
class Matches:
    """Candidate hits as parallel arrays: entry ids (int64), latitudes and longitudes (float64
    WGS84 degrees, NaN for no location), sort names (object) and text ranks (float64, higher
    is better; 0 without text)."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray
    rank: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> "Matches":
        """From (entry id, latitude, longitude, sort name, rank) rows."""
        located = points.Points.from_rows(rows)
        ranks = np.fromiter((row[4] for row in rows), np.float64, len(rows))
        return cls(located.ids, located.lat, located.lon, located.name, ranks)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, which: np.ndarray) -> "Matches":
        """The matches at these positions (or where this boolean mask is true)."""
        return Matches(*(field[which] for field in self._fields()))

    def concat(self, other: "Matches") -> "Matches":
        return Matches(
            *(np.concatenate(pair) for pair in zip(self._fields(), other._fields(), strict=True))
        )

    def _fields(self) -> tuple[np.ndarray, ...]:
        return self.ids, self.lat, self.lon, self.name, self.rank


def fetch(sql: str, args: list) -> list[tuple]:
    """All rows of one raw query."""
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


def filters(params, place: Place | None, radius: int) -> tuple[list[str], list]:
    """SQL conditions over the search entry ``e`` (and their parameters) for a
    ``SearchParams``' place (its bounding box, or a service area covering it) and filters.
    Plain SQL on ``directory_searchentry``, the same on every database."""
    where: list[str] = []
    args: list = []
    if place is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(place.lat, place.lon, radius)
        where.append(
            "((e.latitude BETWEEN %s AND %s AND e.longitude BETWEEN %s AND %s)"
            f" OR {SERVICE_AREA_SQL})"
        )
        args += [
            min_lat,
            max_lat,
            min_lon,
            max_lon,
            *service_area_args(place.municipality_code, place.district_code),
        ]
    if params.theme:
        where.append("e.term_paths LIKE %s")
        args.append(f"%/{params.theme}/%")
    if params.kind:
        where.append("e.organization_kind = %s")
        args.append(params.kind)
    if params.area:
        column = {"BU": "neighbourhood_code", "WK": "district_code", "GM": "municipality_code"}[
            params.area[:2]
        ]
        if params.area.startswith("GM"):
            where.append(f"e.{column} = %s")
            args.append(params.area)
        else:  # located in the area, or a service area that covers it
            district = params.area if params.area.startswith("WK") else district_of(params.area)
            where.append(f"(e.{column} = %s OR {SERVICE_AREA_SQL})")
            args += [params.area, *service_area_args(f"GM{params.area[2:6]}", district)]
    if params.age is not None:
        where.append(
            "(e.minimum_age IS NULL OR e.minimum_age <= %s)"
            " AND (e.maximum_age IS NULL OR e.maximum_age >= %s)"
        )
        args += [params.age, params.age]
    if params.free:
        where.append("e.free = %s")
        args.append(True)
    if params.wheelchair:
        where.append("e.wheelchair = %s")
        args.append(True)
    if params.language:
        where.append("e.languages LIKE %s")
        args.append(f"% {params.language} %")
    return where, args


# A service without a location, whose service area covers the municipality, or the district.
SERVICE_AREA_SQL = (
    "(e.latitude IS NULL AND e.municipality_code = %s"
    " AND (e.area_codes = '' OR e.area_codes LIKE %s))"
)


def service_area_args(municipality_code: str, district_code: str) -> list[str]:
    return [municipality_code or "-", f"% {district_code or '-'} %"]
