"""The offline geocoder's name lookup (``_area_name``): case-insensitive as ``iexact`` was, by
the ``UPPER(name)`` indexes of the areas, with the same precedence and tie-breaks."""

import pytest
from django.db import connection

from socialebasis.directory.geocoding import (
    OfflineGeocoder,
    PlaceNotFound,
    _areas_named,
    _areas_named_sql,
)
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    amsterdam = f.MunicipalityFactory(
        code="GM0363", name="Amsterdam", centroid_lat=52.3665, centroid_lon=4.9195
    )
    frysland = f.MunicipalityFactory(
        code="GM1900", name="Súdwest-Fryslân", centroid_lat=53.0, centroid_lon=5.6, residents=90000
    )
    dapper = f.DistrictFactory(
        code="WK0363ME",
        name="Dapperbuurt",
        municipality=amsterdam,
        centroid_lat=52.3611,
        centroid_lon=4.9290,
    )
    f.NeighbourhoodFactory(
        code="BU0363ME01",
        name="Dapperbuurt Noord",
        district=dapper,
        centroid_lat=52.3620,
        centroid_lon=4.9280,
    )
    return {"amsterdam": amsterdam, "frysland": frysland, "dapper": dapper}


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Amsterdam", "municipality", "GM0363"),
        ("AMSTERDAM", "municipality", "GM0363"),
        ("  amsterdam ", "municipality", "GM0363"),
        ("dapperBUURT", "district", "WK0363ME"),
        ("DAPPERBUURT NOORD", "neighbourhood", "BU0363ME01"),
        # Letters outside ASCII match themselves on every database (SQLite folds ASCII only).
        ("súdwest-fryslân", "municipality", "GM1900"),
    ],
)
def test_names_match_ignoring_case(world, text, kind, code):
    place = OfflineGeocoder().geocode(text)
    assert (place.kind, place.code) == (kind, code)


def test_place_fields_per_level(world):
    hood = OfflineGeocoder().geocode("Dapperbuurt Noord")
    assert (hood.lat, hood.lon, hood.label) == (52.3620, 4.9280, "Dapperbuurt Noord")
    assert (hood.municipality_code, hood.district_code) == ("GM0363", "WK0363ME")
    district = OfflineGeocoder().geocode("dapperbuurt")
    assert district.label == "Dapperbuurt"
    assert (district.municipality_code, district.district_code) == ("GM0363", "WK0363ME")
    municipality = OfflineGeocoder().geocode("amsterdam")
    assert (municipality.municipality_code, municipality.district_code) == ("GM0363", "")


@pytest.mark.parametrize("text", ["%", "Amster%", "Dapperbuur_", "Dapperbuurt_Noord", "Amsterda"])
def test_wildcards_and_prefixes_are_not_names(world, text):
    # iexact escaped LIKE's wildcards; an equality has none.
    with pytest.raises(PlaceNotFound):
        OfflineGeocoder().geocode(text)


def test_neighbourhood_before_district_before_municipality(world):
    f.DistrictFactory(
        code="WK036301",
        name="Amsterdam",
        municipality=world["amsterdam"],
        centroid_lat=52.1,
        centroid_lon=4.1,
    )
    assert OfflineGeocoder().geocode("Amsterdam").kind == "district"
    f.NeighbourhoodFactory(
        code="BU03630101",
        name="amsterdam",
        district=world["dapper"],
        centroid_lat=52.2,
        centroid_lon=4.2,
    )
    assert OfflineGeocoder().geocode("Amsterdam").code == "BU03630101"


def test_areas_without_centroid_are_skipped(world):
    f.NeighbourhoodFactory(
        code="BU0363ME02",
        name="Dapperbuurt",
        district=world["dapper"],
        centroid_lat=None,
        centroid_lon=None,
    )
    assert OfflineGeocoder().geocode("Dapperbuurt").kind == "district"


def test_homonyms_without_directory_data_go_to_the_most_populous(world):
    for code, residents, lat in (
        ("GM0001", 500, 51.0),
        ("GM0002", 7000, 51.5),
        ("GM0003", None, 52.0),
    ):
        municipality = f.MunicipalityFactory(code=code, name=f"Gemeente {code}")
        district = f.DistrictFactory(code=f"WK{code[2:]}01", municipality=municipality)
        f.NeighbourhoodFactory(
            code=f"BU{code[2:]}0101",
            name="Centrum",
            district=district,
            residents=residents,
            centroid_lat=lat,
            centroid_lon=5.0,
        )
    place = OfflineGeocoder().geocode("centrum")
    assert (place.code, place.lat, place.municipality_code) == ("BU00020101", 51.5, "GM0002")


def test_rows_are_ordered_by_level_then_name(world):
    f.NeighbourhoodFactory(code="BU0363ME03", name="AMSTERDAM", district=world["dapper"])
    f.NeighbourhoodFactory(code="BU0363ME04", name="Amsterdam", district=world["dapper"])
    rows = _areas_named("amsterdam")
    assert [(level, code) for level, code, *_ in rows] == [
        (0, "BU0363ME03"),
        (0, "BU0363ME04"),
        (2, "GM0363"),
    ]


def test_the_lookup_uses_the_name_indexes(world):
    params = ["Amsterdam"] * 3
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {_areas_named_sql()}", params)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force it
            cursor.execute(f"EXPLAIN {_areas_named_sql()}", params)
        plan = "\n".join(str(row) for row in cursor.fetchall())
    for index in (
        "areas_neighbourhood_name_upper",
        "areas_district_name_upper",
        "areas_municipality_name_upper",
    ):
        assert index in plan


def test_homonyms_follow_a_location_added_after_a_first_search(world):
    """Which homonym has directory data is read at each search, never memoised: a location
    written later (by this process or another one) decides the next search."""
    small = f.MunicipalityFactory(code="GM0001", name="Klein", residents=500)
    big = f.MunicipalityFactory(code="GM0002", name="Groot", residents=90000)
    for town, lat in ((small, 51.0), (big, 51.5)):
        district = f.DistrictFactory(code=f"WK{town.code[2:]}01", municipality=town)
        f.NeighbourhoodFactory(
            code=f"BU{town.code[2:]}0101",
            name="Centrum",
            district=district,
            residents=town.residents,
            centroid_lat=lat,
            centroid_lon=5.0,
        )
    assert OfflineGeocoder().geocode("Centrum").municipality_code == "GM0002"
    location = f.LocationFactory(organization__municipality=small, latitude=51.0)
    assert OfflineGeocoder().geocode("Centrum").municipality_code == "GM0001"
    location.municipality = big
    location.save()
    assert OfflineGeocoder().geocode("Centrum").municipality_code == "GM0002"
