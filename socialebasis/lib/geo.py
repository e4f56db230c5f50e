"""Geometry helpers. Coordinates are WGS84 degrees; distances are metres.

Distances use the haversine formula on a sphere of radius 6,371,008.8 m (the IUGG mean
Earth radius); within a municipality the error against the ellipsoid is below 0.5 %.
RD New (EPSG:28992) conversion uses pyproj.
"""

import math
from functools import lru_cache

import numpy as np

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def haversine_m_array(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """``haversine_m`` from one point to many, vectorised with NumPy: float64 arrays of equal
    shape in, metres out (NaN where a coordinate is NaN). The same formula, but NumPy's sine
    and cosine may differ from ``math``'s in the last bits (about 1e-9 m): compare with
    ``haversine_m`` where exactness at a boundary matters."""
    p1 = math.radians(lat)
    p2 = np.radians(lats)
    a = (
        np.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * np.cos(p2) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains the circle of radius_m."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(0.01, math.cos(math.radians(lat)))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def valid_wgs84(lat: float, lon: float) -> bool:
    """True when lat is in [-90, 90] and lon in [-180, 180] and both are finite."""
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


@lru_cache(maxsize=1)
def _rd_transformer():
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def rd_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """RD New (EPSG:28992) metres to WGS84 (lat, lon) degrees."""
    lon, lat = _rd_transformer().transform(x, y)
    return lat, lon
