"""Spatial entry ids (directory.spatial): every point of a search box lies in one of the box's
id ranges, ids are allocated per cell without collisions, and a text search near a place finds
exactly what a brute-force distance filter finds, after a full rebuild and after re-indexing
single services."""

import math

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from socialebasis.directory import spatial
from socialebasis.directory.models import Location, Organization, SearchEntry, Service
from socialebasis.directory.search import SearchParams, search
from socialebasis.directory.search_index import rebuild_search_index, reindex_services
from socialebasis.lib.geo import EARTH_RADIUS_M, bounding_box, haversine_m
from socialebasis.testing import factories as f

latitudes = st.floats(min_value=-80, max_value=80, allow_nan=False)
longitudes = st.floats(min_value=-179, max_value=179, allow_nan=False)
radii = st.integers(min_value=100, max_value=50_000)


def _in_ranges(value: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= value <= high for low, high in ranges)


@given(lat=latitudes, lon=longitudes, radius=radii, fx=st.floats(0, 1), fy=st.floats(0, 1))
def test_every_point_of_the_box_is_in_a_range(lat, lon, radius, fx, fy):
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, radius)
    point_lat = min(max_lat, max(min_lat, min_lat + fy * (max_lat - min_lat)))
    point_lon = min(max_lon, max(min_lon, min_lon + fx * (max_lon - min_lon)))
    ranges = spatial.id_ranges(lat, lon, radius)
    assert len(ranges) <= spatial.MAX_CELLS
    assert all(low <= high for low, high in ranges)
    cell = spatial.cell_of(point_lat, point_lon)
    assert _in_ranges(cell << spatial.SEQUENCE_BITS | 1, ranges)
    assert not _in_ranges(spatial.municipality_range("GM0363")[1], ranges)


@given(
    lat=st.floats(min_value=-85, max_value=85, allow_nan=False),
    lon=longitudes,
    radius=st.integers(min_value=100, max_value=20_000),
    bearing=st.floats(0, 2 * math.pi),
    fraction=st.floats(0, 1),
)
def test_every_point_of_the_circle_is_in_a_filter_cell(lat, lon, radius, bearing, fraction):
    cells = spatial.circle_cells(lat, lon, radius)
    if cells is None:  # too many cells to be worth a filter: none is applied
        assert radius > 10_000 or abs(lat) > 60  # cells narrow towards the poles
        return
    assert cells == sorted(cells) and len(cells) <= spatial.MAX_FILTER_CELLS
    # A point at that bearing and distance (spherical destination formula), on the circle
    # itself when fraction is 1.
    angle = radius * fraction / EARTH_RADIUS_M
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(
        math.sin(p1) * math.cos(angle) + math.cos(p1) * math.sin(angle) * math.cos(bearing)
    )
    l2 = l1 + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(p1),
        math.cos(angle) - math.sin(p1) * math.sin(p2),
    )
    point = math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
    if haversine_m(lat, lon, *point) <= radius:
        assert spatial.cell_of(*point) in cells


def test_filter_cells_are_geohash_cells_and_stay_near_the_circle():
    cells = spatial.circle_cells(52.3702, 4.8952, 2000)
    assert spatial.cell_of(52.3702, 4.8952) in cells
    assert spatial.cell_of(52.3702, 4.8952 + 0.06) not in cells  # 4 km east
    # 2 km around Dam square: 35-45 cells of about 0.75 by 0.61 km, not the box's ~63.
    assert 30 <= len(cells) <= 50
    assert spatial.circle_cells(52.3702, 4.8952, 50_000) is None


def test_ids_fit_javascript_numbers_and_cells_do_not_overlap():
    assert spatial.cell_range(spatial.cell_of(90, 180))[1] < 2**53
    assert spatial.cell_range(0) == (1, spatial.MAX_SEQUENCE)
    assert spatial.cell_of(None, 4.9) == 0 and spatial.cell_of(100.0, 4.9, "GM0363") == 363
    assert spatial.municipality_range("GM0363") == spatial.cell_range(363)
    assert spatial.municipality_cell("") == spatial.municipality_cell("WK036301") == 0
    amsterdam = spatial.cell_range(spatial.cell_of(52.37, 4.89))
    assert amsterdam[0] > spatial.municipality_range("GM9999")[1]


def test_allocator_counts_per_cell_and_continues_after_existing_ids():
    fresh = spatial.IdAllocator()
    first = fresh.allocate(52.37, 4.89)
    assert fresh.allocate(52.37, 4.89) == first + 1
    assert fresh.allocate(None, None) == 1 and fresh.allocate(None, None) == 2
    assert fresh.allocate(None, None, "GM0363") == 363 << spatial.SEQUENCE_BITS
    asked = []
    continuing = spatial.IdAllocator(lambda r: asked.append(r) or r[0] + 41)
    assert continuing.allocate(52.37, 4.89) == first + 42
    assert continuing.allocate(52.37, 4.89) == first + 43
    assert len(asked) == 1


def test_a_full_cell_is_an_error():
    allocator = spatial.IdAllocator(lambda r: r[1])
    with pytest.raises(OverflowError):
        allocator.allocate(52.37, 4.89)


# ---------------------------------------------------------------- through the search

ORIGIN = (52.3790, 4.8460)


def _offset(metres_north: float, metres_east: float) -> tuple[float, float]:
    lat = ORIGIN[0] + metres_north / 111_195.08
    return lat, ORIGIN[1] + metres_east / (111_195.08 * math.cos(math.radians(ORIGIN[0])))


def _koffie(name: str, at: tuple[float, float]):
    organization = f.OrganizationFactory(name=f"Org {name}")
    service = f.ServiceFactory(name=name, description="Koffie", organization=organization)
    location = f.LocationFactory(organization=organization, latitude=at[0], longitude=at[1])
    f.ServiceAtLocationFactory(service=service, location=location)
    return service


@pytest.mark.django_db
@hyp_settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
              HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    offsets=st.lists(
        st.tuples(st.integers(-6000, 6000), st.integers(-6000, 6000)), min_size=1, max_size=12
    ),
    radius=st.integers(100, 8000),
    text=st.sampled_from(["koffie", ""]),
)
def test_near_a_place_finds_exactly_the_services_within_the_radius(offsets, radius, text):
    for model in (SearchEntry, Service, Location, Organization):  # the previous example's
        model.objects.all().delete()
    points = {f"Koffiepunt {i}": _offset(*o) for i, o in enumerate(offsets)}
    services = [_koffie(name, at) for name, at in points.items()]
    rebuild_search_index()
    # Re-index half of them: they get new ids in the cells they already occupy.
    reindex_services([s.id for s in services[::2]])
    if connection.vendor == "sqlite":
        for entry in SearchEntry.objects.all():
            cell = spatial.cell_of(entry.latitude, entry.longitude, entry.municipality_code)
            low, high = spatial.cell_range(cell)
            assert low <= entry.id <= high
    found = search(SearchParams(q=text, lat=ORIGIN[0], lon=ORIGIN[1], radius=radius, page_size=100))
    expected = {name for name, at in points.items() if haversine_m(*ORIGIN, *at) <= radius}
    assert {hit.service.name for hit in found.hits} == expected
    assert found.total == len(expected)
