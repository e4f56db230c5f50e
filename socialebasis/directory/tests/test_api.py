"""The directory APIs: /api/v1/ (lists, details, filters, 404s, search) and the HSDS 3.0 API
under /api/hsds/ (page objects, schema-valid objects, NDJSON, search by postcode)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from socialebasis.directory import hsds
from socialebasis.directory.constants import LocationKind, OrganizationKind
from socialebasis.directory.models import Accessibility, Attribute, CostOption, Service
from socialebasis.directory.search_index import rebuild_search_index
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

ORIGIN = (52.3790, 4.8460)
METRES_PER_DEGREE_LAT = 111_195.08


def north(metres: float) -> tuple[float, float]:
    return ORIGIN[0] + metres / METRES_PER_DEGREE_LAT, ORIGIN[1]


def get(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT="application/json")


def add_service(
    name,
    *,
    at=ORIGIN,
    themes=(),
    kind=OrganizationKind.COLLECTIVE_FACILITY,
    hood=None,
    description="",
    postcode="1055AB",
):
    organization = f.OrganizationFactory(name=f"Org {name}", kind=kind)
    service = f.ServiceFactory(name=name, organization=organization, description=description)
    location = None
    if at is not None:
        location = f.LocationFactory(
            organization=organization,
            name=f"Plek {name}",
            latitude=at[0],
            longitude=at[1],
            neighbourhood=hood,
            kind=LocationKind.COMMUNITY_CENTRE,
        )
        f.AddressFactory(location=location, postal_code=postcode)
        f.ServiceAtLocationFactory(service=service, location=location)
    taxonomy = ensure_theme_taxonomy()
    for code in themes:
        Attribute.objects.create(
            link_entity="service", link_id=service.id, taxonomy_term=taxonomy.terms.get(code=code)
        )
    return service


@pytest.fixture
def world(db):
    district = f.DistrictFactory(code="WK0363EE", name="Landlust")
    landlust = f.NeighbourhoodFactory(
        code="BU0363EE04",
        name="Landlust-Noord",
        district=district,
        postcode="1055",
        centroid_lat=ORIGIN[0],
        centroid_lon=ORIGIN[1],
    )
    far = f.NeighbourhoodFactory(
        code="BU0363TA01",
        name="Amsterdamse Poort",
        district=f.DistrictFactory(code="WK0363TA", name="Bijlmer"),
        postcode="1102",
        centroid_lat=52.3125,
        centroid_lon=4.9490,
    )
    s = {
        "schuld": add_service(
            "Schuldhulpverlening West",
            at=north(300),
            hood=landlust,
            themes=["schuldhulp"],
            description="Hulp bij rekeningen en betalingsachterstanden.",
        ),
        "buurtkamer": add_service(
            "Buurtkamer De Kolenkit",
            at=north(800),
            hood=landlust,
            themes=["buurtkamer"],
            kind=OrganizationKind.INFORMAL_GROUP,
            description="Koffie en ontmoeting.",
        ),
        "bijlmer": add_service(
            "Voedselbank Zuidoost",
            at=(52.3125, 4.9490),
            hood=far,
            themes=["voedsel"],
            postcode="1102AB",
            description="Voedselpakketten voor wie het krap heeft.",
        ),
        "online": add_service(
            "Geldlijn",
            at=None,
            themes=["geld-en-schulden"],
            description="Telefonisch advies over geld.",
        ),
    }
    CostOption.objects.create(service=s["buurtkamer"], amount=0)
    Accessibility.objects.create(
        location=s["buurtkamer"].service_at_locations.get().location, wheelchair=True
    )
    rebuild_search_index()
    return s


# ---------------------------------------------------------------- /api/v1/ directory


def names(response) -> list[str]:
    return [r["name"] for r in response.json()["results"]]


def test_service_list_and_detail(client, world):
    response = get(client, "/api/v1/services/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert names(response) == sorted(s.name for s in world.values())
    service = world["buurtkamer"]
    detail = get(client, f"/api/v1/services/{service.id}/").json()
    assert detail["id"] == str(service.id)
    assert detail["organization"]["kind"] == "informal_group"
    assert detail["municipality"] == "GM0363"
    assert [t["code"] for t in detail["themes"]] == ["buurtkamer"]
    assert detail["free"] is True
    location = detail["locations"][0]
    assert location["neighbourhood"] == "BU0363EE04"
    assert location["address"].endswith("1055AB Amsterdam")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/services/{}/",
        "/api/v1/organizations/{}/",
        "/api/v1/locations/{}/",
        "/api/v1/taxonomy-terms/{}/",
    ],
)
def test_unknown_and_malformed_ids_are_404(client, world, url):
    for value in (uuid.uuid4(), "not-a-uuid", "123"):
        response = get(client, url.format(value))
        assert response.status_code == 404
        assert "detail" in response.json()


def test_service_filters(client, world):
    def filtered(**params):
        response = get(client, "/api/v1/services/", **params)
        assert response.status_code == 200, response.content
        return set(names(response))

    assert filtered(theme="schuldhulp") == {"Schuldhulpverlening West"}
    # a theme includes its sub-themes
    assert filtered(theme="geld-en-schulden") == {
        "Schuldhulpverlening West",
        "Voedselbank Zuidoost",
        "Geldlijn",
    }
    assert filtered(kind="informal_group") == {"Buurtkamer De Kolenkit"}
    assert filtered(neighbourhood="BU0363TA01") == {"Voedselbank Zuidoost"}
    assert filtered(district="WK0363EE") == {"Schuldhulpverlening West", "Buurtkamer De Kolenkit"}
    assert filtered(municipality="GM0363") == {s.name for s in world.values()}
    assert filtered(municipality="GM0344") == set()
    assert filtered(q="koffie") == {"Buurtkamer De Kolenkit"}
    organization = world["schuld"].organization
    assert filtered(organization=str(organization.id)) == {"Schuldhulpverlening West"}
    assert filtered(theme="schuldhulp", neighbourhood="BU0363TA01") == set()


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "club"}, "kind"),
        ({"municipality": "Amsterdam"}, "municipality"),
        ({"neighbourhood": "BU0363"}, "neighbourhood"),
        ({"organization": "abc"}, "organization"),
        ({"page_size": "false"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "201"}, "page_size"),
        ({"page_size": "1.0"}, "page_size"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "last"}, "page"),
        ({"q": "a\x00b"}, "q"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_service_filter_is_400_naming_the_parameter(client, world, params, field):
    response = get(client, "/api/v1/services/", **params)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field] and isinstance(body[field], list) and body[field][0]


def test_pagination(client, world):
    first = get(client, "/api/v1/services/", page_size=3).json()
    assert first["count"] == 4 and len(first["results"]) == 3 and first["next"]
    second = get(client, "/api/v1/services/", page_size=3, page=2).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert get(client, "/api/v1/services/", page=99).status_code == 404
    assert len(get(client, "/api/v1/services/", page_size=200).json()["results"]) == 4
    # empty is the same as absent
    assert get(client, "/api/v1/services/", page="", page_size="").json()["count"] == 4


def test_unknown_theme_is_an_empty_list_like_an_unknown_cbs_code(client, world):
    """The schema allows any theme code (codes are data), so a well-formed unknown one is
    answered, not rejected: an empty list, as for an unknown CBS code."""
    for url in ("/api/v1/services/", "/api/v1/organizations/"):
        response = get(client, url, theme="bestaat-niet")
        assert response.status_code == 200 and response.json()["count"] == 0
    assert get(client, "/api/v1/services/", municipality="GM9999").json()["count"] == 0


@pytest.mark.parametrize(
    "url, name",
    [("/api/v1/locations/", "wheelchair"), ("/api/v1/taxonomy-terms/", "top_only")],
)
@pytest.mark.parametrize("value", ["null", "yes", "TRUE", "2"])
def test_boolean_filters_take_only_true_false_1_0(client, world, url, name, value):
    response = get(client, url, **{name: value})
    assert response.status_code == 400 and list(response.json()) == [name]
    assert get(client, url, **{name: "1"}).status_code == 200
    assert get(client, url, **{name: ""}).status_code == 200  # empty: no filter


def test_service_list_query_count_does_not_grow_with_the_page(
    client, world, django_assert_max_num_queries
):
    for i in range(10):
        add_service(f"Extra {i}", at=north(100 * i), themes=["mantelzorg"])
    with django_assert_max_num_queries(10):
        response = get(client, "/api/v1/services/")
    assert response.json()["count"] == 14


def test_organizations_locations_and_terms(client, world):
    organizations = get(client, "/api/v1/organizations/", kind="informal_group").json()
    assert [o["name"] for o in organizations["results"]] == ["Org Buurtkamer De Kolenkit"]
    themed = get(client, "/api/v1/organizations/", theme="geld-en-schulden").json()
    assert {o["name"] for o in themed["results"]} == {
        "Org Schuldhulpverlening West",
        "Org Voedselbank Zuidoost",
        "Org Geldlijn",
    }
    locations = get(client, "/api/v1/locations/", wheelchair="true").json()
    assert [loc["name"] for loc in locations["results"]] == ["Plek Buurtkamer De Kolenkit"]
    assert locations["results"][0]["wheelchair"] is True
    assert locations["results"][0]["district"] == "WK0363EE"
    by_hood = get(client, "/api/v1/locations/", neighbourhood="BU0363TA01").json()
    assert [loc["name"] for loc in by_hood["results"]] == ["Plek Voedselbank Zuidoost"]
    top = get(
        client, "/api/v1/taxonomy-terms/", taxonomy="sb-thema", top_only="true", page_size=200
    ).json()
    assert top["count"] == 16 and all(t["parent"] is None for t in top["results"])
    money = next(t for t in top["results"] if t["code"] == "geld-en-schulden")
    children = get(client, "/api/v1/taxonomy-terms/", parent=money["id"]).json()
    assert {t["code"] for t in children["results"]} == {"schuldhulp", "minimaregelingen", "voedsel"}
    detail = get(client, f"/api/v1/taxonomy-terms/{money['id']}/").json()
    assert detail["path"] == "/geld-en-schulden/" and detail["taxonomy"] == "sb-thema"


def test_writes_are_not_allowed(client, world):
    response = client.post("/api/v1/services/", {}, HTTP_ACCEPT="application/json")
    assert response.status_code in (403, 405)
    assert client.delete(f"/api/v1/services/{world['schuld'].id}/").status_code in (403, 405)


# ---------------------------------------------------------------- /api/v1/search/


@pytest.mark.parametrize(
    "params, field",
    [
        ({"q": "schuld", "radius": "abc"}, "radius"),
        ({"q": "schuld", "page": "0"}, "page"),
        ({"q": "schuld", "page_size": "1000"}, "page_size"),
        ({"theme": "onbekend-thema"}, "theme"),
        ({"q": "schuld", "near": "Nergenshuizen"}, "near"),
        ({"q": "schuld", "lat": "52.3"}, "lon"),  # the missing one is named
        ({"q": "schuld", "lon": "4.9"}, "lat"),
        ({"q": "schuld", "lat": "95", "lon": "4"}, "lat"),
        ({"q": "schuld", "sort": "random"}, "sort"),
        ({"q": "schuld", "area": "XX123"}, "area"),
        ({"q": "schuld", "area": "BU0363ZZ99"}, "area"),  # well formed, but no such area
        ({"q": "schuld", "free": "maybe"}, "free"),
        ({"q": "schuld", "open_now": "2"}, "open_now"),
        ({}, "q"),
    ],
)
def test_search_400s_name_the_field(client, world, params, field):
    response = get(client, "/api/v1/search/", **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body and body[field] and all(isinstance(r, str) for r in body[field])


def test_search_flags_read_false_as_off(client, world):
    def count(**flags):
        return get(client, "/api/v1/search/", q="schuld", near="1055", **flags).json()["count"]

    everything = count()
    free = count(free="true")
    assert free < everything
    assert count(free="1") == count(free="ja") == count(free="ON") == free
    assert (
        count(free="0") == count(free="false") == count(free="nee") == count(free="") == everything
    )


def test_search_known_area_is_a_filter_and_unknown_one_an_error(client, world):
    assert get(client, "/api/v1/search/", q="schuld", area="BU0363EE04").status_code == 200
    body = get(client, "/api/v1/search/", q="schuld", area="WK0363ZZ").json()
    assert body == {"area": ["Gebiedscode WK0363ZZ is niet bekend."]}


def test_search_page_past_the_end_is_404_and_head_is_allowed(client, world):
    first = get(client, "/api/v1/search/", near="1055", page_size=1)
    pages = first.json()["pages"]
    assert pages > 1
    assert get(client, "/api/v1/search/", near="1055", page_size=1, page=pages).status_code == 200
    past = get(client, "/api/v1/search/", near="1055", page_size=1, page=pages + 1)
    assert past.status_code == 404 and past.json()["detail"]
    head = client.head("/api/v1/search/", {"near": "1055"}, HTTP_ACCEPT="application/json")
    assert head.status_code == 200


def test_search_messages_follow_accept_language(client, world):
    dutch = get(client, "/api/v1/search/", q="koffie", radius="abc")
    assert dutch.json() == {"radius": ["Afstand moet een geheel aantal meters zijn."]}
    english = client.get(
        "/api/v1/search/",
        {"q": "koffie", "area": "WK0363ZZ"},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json() == {"area": ["Area code WK0363ZZ is not known."]}
    assert english["Content-Language"] == "en"
    # The pages keep their own rule: the path decides (Dutch at /, English at /en/).
    assert (
        client.get("/zoeken/", {"q": "koffie"}, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"]
        == "nl"
    )


def test_search_unknown_place_is_400_on_near(client, world):
    body = get(client, "/api/v1/search/", q="koffie", near="Nergenshuizen").json()
    assert list(body) == ["near"]
    assert "Nergenshuizen" in body["near"][0]


def test_search_happy_path_carries_distance(client, world):
    response = get(client, "/api/v1/search/", near="1055", radius=1000)
    assert response.status_code == 200
    body = response.json()
    assert body["place"]["kind"] == "postcode"
    hits = body["results"]
    assert [h["service"]["name"] for h in hits][:2] == [
        "Schuldhulpverlening West",
        "Buurtkamer De Kolenkit",
    ]
    assert 250 < hits[0]["distance_m"] < 350
    assert hits[0]["location"]["address"].endswith("Amsterdam")
    assert hits[0]["service_at_location"]
    assert "Voedselbank Zuidoost" not in [h["service"]["name"] for h in hits]
    assert body["count"] == len(hits) and body["pages"] == 1


def test_search_text_and_filters(client, world):
    body = get(client, "/api/v1/search/", q="betalingsachterstanden").json()
    assert body["results"][0]["service"]["name"] == "Schuldhulpverlening West"
    assert body["results"][0]["distance_m"] is None and body["results"][0]["score"] == 1.0
    assert body["place"] is None
    free = get(client, "/api/v1/search/", theme="buurtkamer", free="true").json()
    assert [h["service"]["name"] for h in free["results"]] == ["Buurtkamer De Kolenkit"]
    paged = get(client, "/api/v1/search/", theme="geld-en-schulden", page_size=1, page=2).json()
    assert paged["count"] == 3 and len(paged["results"]) == 1 and paged["pages"] == 3


# ---------------------------------------------------------------- /api/hsds/

PAGE_KEYS = [
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
]
HSDS_LISTS = {
    "/api/hsds/services": "service",
    "/api/hsds/service_at_locations": "service_at_location",
    "/api/hsds/organizations": "organization",
    "/api/hsds/taxonomies": "taxonomy",
    "/api/hsds/taxonomy_terms": "taxonomy_term",
}


def test_hsds_root(client):
    body = get(client, "/api/hsds/").json()
    assert body["version"] == "3.0"
    assert body["openapi_url"].endswith("/schema/openapi.json")
    assert body["profile"].startswith("https://")


@pytest.mark.parametrize("url, schema", sorted(HSDS_LISTS.items()))
@pytest.mark.parametrize("full", ["", "true"])
def test_hsds_lists_are_pages_of_schema_valid_objects(client, world, url, schema, full):
    response = get(client, url, full=full, per_page=200)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == PAGE_KEYS
    assert body["size"] == len(body["contents"]) == body["total_items"] > 0
    assert body["total_pages"] == 1 and body["first_page"] and body["last_page"]
    assert body["empty"] is False
    for obj in body["contents"]:
        hsds.validate_hsds(obj, schema)
    # the same objects in detail
    for obj in body["contents"][:3]:
        detail = get(client, f"{url}/{obj['id']}")
        assert detail.status_code == 200
        hsds.validate_hsds(detail.json(), schema)
        assert detail.json()["id"] == obj["id"]


def test_hsds_page_object_arithmetic(client, world):
    first = get(client, "/api/hsds/services", per_page=3).json()
    assert (
        first["total_items"],
        first["total_pages"],
        first["page_number"],
        first["size"],
        first["first_page"],
        first["last_page"],
        first["empty"],
    ) == (4, 2, 1, 3, True, False, False)
    second = get(client, "/api/hsds/services", per_page=3, page=2).json()
    assert (second["page_number"], second["size"], second["first_page"], second["last_page"]) == (
        2,
        1,
        False,
        True,
    )
    beyond = get(client, "/api/hsds/services", per_page=3, page=5).json()
    assert beyond["contents"] == [] and beyond["empty"] is True and beyond["last_page"]
    ids = [s["id"] for s in first["contents"] + second["contents"]]
    assert len(set(ids)) == 4


def test_hsds_list_and_full_nesting(client, world):
    service = world["schuld"]
    listed = get(
        client,
        "/api/hsds/services",
        taxonomy_term_id=str(ensure_theme_taxonomy().terms.get(code="schuldhulp").id),
    ).json()["contents"]
    assert [s["id"] for s in listed] == [str(service.id)]
    assert "service_at_locations" not in listed[0] and "organization" in listed[0]
    full = get(client, f"/api/hsds/services/{service.id}").json()
    assert full["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]
    assert full["attributes"][0]["taxonomy_term"]["code"] == "schuldhulp"
    sal = get(
        client, f"/api/hsds/service_at_locations/{service.service_at_locations.get().id}"
    ).json()
    assert (
        sal["service"]["id"] == str(service.id)
        and sal["location"]["name"] == "Plek Schuldhulpverlening West"
    )
    organization = get(client, f"/api/hsds/organizations/{service.organization_id}").json()
    assert [s["id"] for s in organization["services"]] == [str(service.id)]
    assert "service_at_locations" not in organization["services"][0]
    with_services = get(
        client, f"/api/hsds/organizations/{service.organization_id}", full_service="true"
    ).json()
    hsds.validate_hsds(with_services, "organization")
    assert with_services["services"][0]["service_at_locations"]


def test_hsds_filters(client, world):
    taxonomy = ensure_theme_taxonomy()
    money = taxonomy.terms.get(code="geld-en-schulden")

    def ids(url, **params):
        response = get(client, url, **params)
        assert response.status_code == 200, response.content
        return {obj["id"] for obj in response.json()["contents"]}

    assert ids("/api/hsds/services", taxonomy_term_id=str(money.id)) == {
        str(world[k].id) for k in ("schuld", "bijlmer", "online")
    }
    assert ids("/api/hsds/services", taxonomy_id=str(taxonomy.id)) == {
        str(s.id) for s in world.values()
    }
    assert ids("/api/hsds/services", organization_id=str(world["online"].organization_id)) == {
        str(world["online"].id)
    }
    assert ids("/api/hsds/services", search="voedselpakketten") == {str(world["bijlmer"].id)}
    # full-text search (Dutch stems): "schulden" finds "Schuldhulpverlening", in rank order
    ranked = get(client, "/api/hsds/services", search="schulden").json()["contents"]
    assert ranked[0]["id"] == str(world["schuld"].id)
    later = (timezone.now() + timedelta(days=1)).isoformat()
    assert ids("/api/hsds/services", modified_after=later) == set()
    assert len(ids("/api/hsds/services", modified_after="2000-01-01")) == 4
    assert len(ids("/api/hsds/service_at_locations")) == 3  # "Geldlijn" has no location
    terms = get(client, "/api/hsds/taxonomy_terms", top_only="true", per_page=200).json()
    assert terms["total_items"] == 16
    assert all("parent_id" not in t for t in terms["contents"])
    children = ids("/api/hsds/taxonomy_terms", parent_id=str(money.id))
    assert len(children) == 3
    minimal = get(client, "/api/hsds/services", minimal="true").json()["contents"]
    assert all(set(s) == {"id", "last_modified"} for s in minimal) and len(minimal) == 4


def test_hsds_ndjson_streams_every_object(client, world):
    response = get(client, "/api/hsds/service_at_locations", format="ndjson", per_page=1)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 3  # no pagination
    for line in lines:
        hsds.validate_hsds(json.loads(line), "service_at_location")
    services = get(client, "/api/hsds/services", format="ndjson")
    assert len(b"".join(services.streaming_content).splitlines()) == 4


def test_hsds_search_by_postcode_and_proximity(client, world):
    def names_of(**params):
        response = get(client, "/api/hsds/service_at_locations", **params)
        assert response.status_code == 200, response.content
        contents = response.json()["contents"]
        for obj in contents:
            hsds.validate_hsds(obj, "service_at_location")
        return [obj["service"]["name"] for obj in contents]

    # nearest first, within the radius in metres
    assert names_of(postcode="1055", proximity="1000") == [
        "Schuldhulpverlening West",
        "Buurtkamer De Kolenkit",
    ]
    assert names_of(postcode="1055", proximity="500") == ["Schuldhulpverlening West"]
    assert names_of(search="voedsel") == ["Voedselbank Zuidoost"]
    assert names_of(search="koffie", postcode="1055 AB") == ["Buurtkamer De Kolenkit"]
    taxonomy_id = str(ensure_theme_taxonomy().id)
    assert names_of(
        postcode="1055",
        proximity="1000",
        taxonomy_id=taxonomy_id,
        organization_id=str(world["schuld"].organization_id),
    ) == ["Schuldhulpverlening West"]
    paged = get(
        client,
        "/api/hsds/service_at_locations",
        postcode="1055",
        proximity="1000",
        per_page=1,
        page=2,
    ).json()
    assert paged["total_items"] == 2 and paged["total_pages"] == 2
    assert paged["contents"][0]["service"]["name"] == "Buurtkamer De Kolenkit"


@pytest.mark.parametrize(
    "url, params, field",
    [
        ("/api/hsds/services", {"per_page": "0"}, "per_page"),
        ("/api/hsds/services", {"per_page": "201"}, "per_page"),
        ("/api/hsds/services", {"page": "x"}, "page"),
        ("/api/hsds/services", {"full": "maybe"}, "full"),
        ("/api/hsds/services", {"format": "xml"}, "format"),
        ("/api/hsds/services", {"taxonomy_term_id": "abc"}, "taxonomy_term_id"),
        ("/api/hsds/services", {"modified_after": "gisteren"}, "modified_after"),
        ("/api/hsds/service_at_locations", {"proximity": "500"}, "proximity"),
        ("/api/hsds/service_at_locations", {"postcode": "9999 ZZ"}, "postcode"),
        ("/api/hsds/service_at_locations", {"postcode": "1055", "proximity": "ver"}, "proximity"),
        ("/api/hsds/taxonomy_terms", {"parent_id": "x"}, "parent_id"),
        ("/api/hsds/services", {"search": "de het een"}, "search"),
        ("/api/hsds/service_at_locations", {"search": "x" * 201}, "search"),
    ],
)
def test_hsds_bad_parameters_are_400(client, world, url, params, field):
    response = get(client, url, **params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field] and body[field][0]


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services/{}",
        "/api/hsds/service_at_locations/{}",
        "/api/hsds/organizations/{}",
        "/api/hsds/taxonomies/{}",
        "/api/hsds/taxonomy_terms/{}",
    ],
)
def test_hsds_unknown_and_malformed_ids_are_404(client, world, url):
    for value in (uuid.uuid4(), "nope"):
        response = get(client, url.format(value))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_hsds_trailing_slash_and_methods(client, world):
    assert get(client, "/api/hsds/services/").status_code == 200
    assert client.post("/api/hsds/services").status_code == 405
    assert client.head("/api/hsds/services").status_code == 200


def test_hsds_api_serves_what_the_importer_reads(client, world):
    """The HSDS API's full service is an importable document that changes nothing."""
    service = get(client, f"/api/hsds/services/{world['schuld'].id}").json()
    before = Service.objects.get(pk=world["schuld"].id).updated_at
    report = hsds.import_hsds(service)
    assert report.changed == 0
    assert Service.objects.get(pk=world["schuld"].id).updated_at == before


def test_unknown_api_paths_are_json_404_and_missing_slash_redirects(client, world):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    response = client.get("/api/v1/services", {"theme": "schuldhulp"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/services/?theme=schuldhulp"


SEARCH_PARAMS = [
    "q",
    "near",
    "lat",
    "lon",
    "radius",
    "sort",
    "theme",
    "kind",
    "area",
    "age",
    "free",
    "wheelchair",
    "open_now",
    "language",
    "page",
    "page_size",
]
HSDS_PARAMS = [
    "search",
    "postcode",
    "proximity",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "full",
    "page",
    "per_page",
    "minimal",
]
VALUES = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "0",
            "-1",
            "1",
            "2000",
            "99999999999999999999",
            "1e3",
            "52.37",
            "nan",
            "inf",
            "true",
            "1055",
            "1055AB",
            "BU0363EE04",
            "GM0363",
            "schuldhulp",
            "52.37,4.89",
            "\x00",
            " ",
            "",
        ]
    ),
)


@hyp_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMS), VALUES, max_size=5))
def test_search_never_500(client, world, params):
    response = get(client, "/api/v1/search/", **params)
    assert response.status_code in (200, 400), (params, response.content)
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/service_at_locations",
        "/api/hsds/services",
        "/api/hsds/organizations",
        "/api/hsds/taxonomy_terms",
    ],
)
@hyp_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(params=st.dictionaries(st.sampled_from(HSDS_PARAMS), VALUES, max_size=5))
def test_hsds_lists_never_500(client, world, url, params):
    response = get(client, url, **params)
    assert response.status_code in (200, 400), (params, response.content)
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services",
        "/api/hsds/organizations",
        "/api/hsds/taxonomies",
        "/api/hsds/taxonomy_terms",
        "/api/v1/services/",
        "/api/v1/neighbourhoods/",
    ],
)
def test_nul_characters_are_400_not_500(client, world, url):
    response = get(client, url, search="a\x00b", q="a\x00b")
    assert response.status_code == 400
