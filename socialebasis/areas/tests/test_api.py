"""The areas API: municipalities, districts and neighbourhoods by CBS code, with figures and
optional geometry."""

import pytest

from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.84, 52.37], [4.85, 52.37], [4.85, 52.38], [4.84, 52.38], [4.84, 52.37]]],
}


def get(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT="application/json")


@pytest.fixture
def areas(db):
    amsterdam = f.MunicipalityFactory(
        residents=931_298,
        centroid_lat=52.37,
        centroid_lon=4.89,
        centroid_source="polygon",
        geometry=SQUARE,
    )
    utrecht = f.MunicipalityFactory(code="GM0344", name="Utrecht", province_name="Utrecht")
    west = f.DistrictFactory(code="WK036305", name="Bos en Lommer", municipality=amsterdam)
    oost = f.DistrictFactory(code="WK036399", name="Oost", municipality=amsterdam)
    f.NeighbourhoodFactory(
        code="BU0363AF01",
        name="Landlust-Noord",
        district=west,
        postcode="1055",
        residents=4_210,
        residents_65_plus=None,
        income_per_resident=28.4,
        geometry=SQUARE,
    )
    f.NeighbourhoodFactory(code="BU0363AF02", name="Landlust-Zuid", district=west, postcode="1055")
    f.NeighbourhoodFactory(
        code="BU0363ZZ01",
        name="Dapperbuurt",
        district=oost,
        postcode="1093",
        centroid_lat=None,
        centroid_lon=None,
    )
    f.DistrictFactory(code="WK034401", name="West", municipality=utrecht)
    return amsterdam


def test_municipality_list_and_detail_with_figures(client, areas):
    body = get(client, "/api/v1/municipalities/").json()
    assert [m["code"] for m in body["results"]] == ["GM0344", "GM0363"]
    detail = get(client, "/api/v1/municipalities/GM0363/").json()
    assert detail["name"] == "Amsterdam" and detail["province_name"] == "Noord-Holland"
    assert detail["figures"]["residents"] == 931_298
    assert detail["centroid"] == {"lat": 52.37, "lon": 4.89, "source": "polygon"}
    assert detail["geometry"] is None
    assert get(client, "/api/v1/municipalities/gm0363/").json()["code"] == "GM0363"


def test_geometry_only_on_request(client, areas):
    with_geometry = get(client, "/api/v1/neighbourhoods/BU0363AF01/", geometry="1").json()
    assert with_geometry["geometry"] == SQUARE
    listed = get(client, "/api/v1/neighbourhoods/", geometry="true").json()["results"]
    assert {n["code"]: n["geometry"] for n in listed}["BU0363AF01"] == SQUARE
    assert all(
        n["geometry"] is None for n in get(client, "/api/v1/neighbourhoods/").json()["results"]
    )
    bad = get(client, "/api/v1/neighbourhoods/", geometry="misschien")
    assert bad.status_code == 400 and list(bad.json()) == ["geometry"]


def test_neighbourhood_figures_and_parents(client, areas):
    hood = get(client, "/api/v1/neighbourhoods/BU0363AF01/").json()
    assert hood["district"] == "WK036305" and hood["municipality"] == "GM0363"
    assert hood["figures"]["residents"] == 4_210
    assert hood["figures"]["residents_65_plus"] is None
    assert hood["figures"]["income_per_resident"] == 28.4
    assert hood["figures"]["postcode"] == "1055"
    no_centroid = get(client, "/api/v1/neighbourhoods/BU0363ZZ01/").json()
    assert no_centroid["centroid"] is None


def test_filters(client, areas):
    def codes(url, **params):
        response = get(client, url, **params)
        assert response.status_code == 200, response.content
        return [a["code"] for a in response.json()["results"]]

    assert codes("/api/v1/districts/", municipality="GM0363") == ["WK036305", "WK036399"]
    assert codes("/api/v1/neighbourhoods/", district="WK036305") == ["BU0363AF01", "BU0363AF02"]
    assert codes("/api/v1/neighbourhoods/", postcode="1093") == ["BU0363ZZ01"]
    assert codes("/api/v1/neighbourhoods/", q="landlust") == ["BU0363AF01", "BU0363AF02"]
    assert codes("/api/v1/municipalities/", province="utrecht") == ["GM0344"]
    assert codes("/api/v1/districts/", municipality="GM0999") == []


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/v1/districts/", {"municipality": "Amsterdam"}, "municipality"),
        ("/api/v1/neighbourhoods/", {"district": "WK03"}, "district"),
        ("/api/v1/neighbourhoods/", {"postcode": "1055AB"}, "postcode"),
    ],
)
def test_bad_filters_are_400(client, areas, url, params, field):
    response = get(client, url, **params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/municipalities/GM9999/",
        "/api/v1/districts/WK000000/",
        "/api/v1/neighbourhoods/BU00000000/",
        "/api/v1/neighbourhoods/niet-een-code/",
    ],
)
def test_unknown_codes_are_404(client, areas, url):
    response = get(client, url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_pagination_and_query_count(client, areas, django_assert_max_num_queries):
    for i in range(30):
        f.NeighbourhoodFactory(code=f"BU0363Q{i:03d}", name=f"Buurt Q{i}")
    with django_assert_max_num_queries(4):
        body = get(client, "/api/v1/neighbourhoods/", page_size=20).json()
    assert body["count"] == 33 and len(body["results"]) == 20 and body["next"]


@pytest.mark.parametrize("value", ["null", "yes", "2"])
def test_geometry_takes_only_true_false_1_0(client, areas, value):
    response = get(client, "/api/v1/neighbourhoods/BU0363AF01/", geometry=value)
    assert response.status_code == 400 and list(response.json()) == ["geometry"]
    assert get(client, "/api/v1/neighbourhoods/", geometry="").status_code == 200
