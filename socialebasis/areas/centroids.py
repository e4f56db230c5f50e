"""Centroids of areas: where a map puts a neighbourhood, district or municipality.

Rules (``centroid_source`` says which one applied):

- an area with a boundary: the centroid of its polygon ("polygon");
- a neighbourhood without one: the mean latitude/longitude of the facilities in it
  ("facilities": the points apps register with ``register_facility_points``, the directory
  its locations), else its district's centroid ("district");
- a district without a boundary: the mean of its neighbourhoods' polygon or facility
  centroids ("neighbourhoods");
- a municipality without a boundary: the mean of its districts' centroids ("districts").

An area for which no rule applies keeps no centroid (NULL, source ""). Coordinates are WGS84
degrees rounded to 6 decimals (about 0.1 m), so recomputing gives identical values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from statistics import fmean

from django.db import transaction

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.lib.importing import Tally

DECIMALS = 6

Centroid = tuple[float | None, float | None, str]
NO_CENTROID: Centroid = (None, None, "")


def polygon_centroid(geometry: dict) -> tuple[float, float]:
    """(lat, lon) of the centroid of a GeoJSON Polygon/MultiPolygon in WGS84 degrees.

    The centroid is computed in degree space, which within a municipality differs from the
    true centroid by well under a metre.
    """
    from shapely.geometry import shape

    point = shape(geometry).centroid
    return round(point.y, DECIMALS), round(point.x, DECIMALS)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        round(fmean(p[0] for p in points), DECIMALS),
        round(fmean(p[1] for p in points), DECIMALS),
    )


# Each returns {neighbourhood id: (lat, lon)}, the mean of its facilities with coordinates.
FacilityPoints = Callable[[], dict]
_facility_points: list[FacilityPoints] = []


def register_facility_points(source: FacilityPoints) -> FacilityPoints:
    """Add a source of facility points (from an app's ``AppConfig.ready``; the directory
    registers its locations). With several sources the first registered wins per neighbourhood.
    """
    if source not in _facility_points:
        _facility_points.append(source)
    return source


def _facility_centroids() -> dict:
    """neighbourhood id -> (lat, lon) mean of its facilities, from the registered sources."""
    centroids: dict = {}
    for source in _facility_points:
        for pk, (lat, lon) in source().items():
            centroids.setdefault(pk, (round(lat, DECIMALS), round(lon, DECIMALS)))
    return centroids


def _polygon_centroids(model) -> dict:
    """id -> (lat, lon) for every row of ``model`` that has a boundary."""
    return {
        pk: polygon_centroid(geometry)
        for pk, geometry in model.objects.filter(geometry__isnull=False)
        .values_list("id", "geometry")
        .iterator(chunk_size=500)
        if geometry
    }


def _save(model, wanted: dict, tally: Tally) -> None:
    """Bulk-update the centroid fields of rows whose stored centroid differs from ``wanted``."""
    changed = []
    for pk, lat, lon, source in model.objects.values_list(
        "id", "centroid_lat", "centroid_lon", "centroid_source"
    ).iterator(chunk_size=2000):
        new = wanted.get(pk, NO_CENTROID)
        if (lat, lon, source) == new:
            tally.unchanged += 1
        else:
            changed.append(
                model(id=pk, centroid_lat=new[0], centroid_lon=new[1], centroid_source=new[2])
            )
    if changed:
        model.objects.bulk_update(
            changed, ["centroid_lat", "centroid_lon", "centroid_source"], batch_size=500
        )
        tally.updated += len(changed)


@transaction.atomic
def assign_centroids() -> Tally:
    """Recompute every area centroid by the rules above; write only those that changed.

    Run it after importing areas and after importing or editing directory locations.
    Returns the tally over all three area levels (updated = rows whose centroid changed).
    """
    tally = Tally()
    hood_polygons = _polygon_centroids(Neighbourhood)
    facilities = _facility_centroids()
    hood_district = dict(Neighbourhood.objects.values_list("id", "district_id"))
    district_municipality = dict(District.objects.values_list("id", "municipality_id"))

    hoods: dict = {}
    by_district: dict = defaultdict(list)
    for pk, district_id in hood_district.items():
        if pk in hood_polygons:
            hoods[pk] = (*hood_polygons[pk], "polygon")
        elif pk in facilities:
            hoods[pk] = (*facilities[pk], "facilities")
        else:
            continue
        by_district[district_id].append(hoods[pk][:2])

    districts: dict = {pk: (*c, "polygon") for pk, c in _polygon_centroids(District).items()}
    for pk in district_municipality:
        if pk not in districts and by_district.get(pk):
            districts[pk] = (*_mean(by_district[pk]), "neighbourhoods")
    for pk, district_id in hood_district.items():
        if pk not in hoods and district_id in districts:
            hoods[pk] = (*districts[district_id][:2], "district")

    by_municipality: dict = defaultdict(list)
    for pk, municipality_id in district_municipality.items():
        if pk in districts:
            by_municipality[municipality_id].append(districts[pk][:2])
    municipalities: dict = {
        pk: (*c, "polygon") for pk, c in _polygon_centroids(Municipality).items()
    }
    for pk, points in by_municipality.items():
        if pk not in municipalities:
            municipalities[pk] = (*_mean(points), "districts")

    _save(Neighbourhood, hoods, tally)
    _save(District, districts, tally)
    _save(Municipality, municipalities, tally)
    return tally
