"""The API contract, tested by schemathesis: generated requests to every operation of
``/api/v1/`` (the committed docs/openapi.yaml) and of ``/api/hsds/`` (the HSDS 3.0 OpenAPI
document with our documented limits, ``hsds_contract``), with all of schemathesis's response
checks on: no server error, only documented status codes and content types, bodies and
headers that match the schema, schema-violating input rejected (``negative_data_rejection``)
and schema-valid input accepted (``positive_data_acceptance``). Any mismatch fails the test.

The requests go straight to the Django WSGI application, inside the test's transaction, on a
small but complete world (``api_world``: the persona world plus a district with a boundary and
one without, themes with sub-themes, a wheelchair-accessible location, an organization with a
parent). Generated ids and codes rarely exist, so ``test_every_record_matches_its_schema``
sends each record's detail request and the lists (with and without geometry) as well.

Time: each operation gets ``MAX_EXAMPLES`` (25) generated cases (hypothesis) besides the
schema's boundary ("coverage") cases, which dominate; the 27 tests took 151 s (SQLite) and
about 190 s (PostgreSQL) on the shared two-core machine at a load average of about 10, most
of it the boundary cases. ``SB_SCHEMATHESIS_EXAMPLES=500`` for a long run by hand.
Throttling is off here (tested in security/tests/test_ratelimit.py).

The one exception: ``/api/v1/search/`` and the HSDS search parameters answer 400 for input no
OpenAPI schema can rule out (a place or theme that does not exist, none of q/near/lat,lon/
theme/area given), so ``positive_data_acceptance`` is off for those operations; the 400 must
still name a parameter (``errors_name_a_parameter``).
"""

import copy
import json
import os
from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import positive_data_acceptance

from socialebasis.directory import hsds
from socialebasis.directory.models import Accessibility, Attribute
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.lib.drf.schemas import NO_NUL, optional
from socialebasis.testing import factories as f

ROOT = Path(__file__).resolve().parents[3]
MAX_EXAMPLES = int(os.environ.get("SB_SCHEMATHESIS_EXAMPLES", "25"))
HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[4.88, 52.36], [4.90, 52.36], [4.90, 52.38], [4.88, 52.38], [4.88, 52.36]]],
}


# ---------------------------------------------------------------- the HSDS contract

HSDS_ENTITIES = {
    "services": "service",
    "service_at_locations": "service_at_location",
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
ERROR_BODY = {
    "type": "object",
    "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "minProperties": 1,
}
NOT_FOUND_BODY = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# What the HSDS spec leaves open and our API decides (docs/api.md, socialebasis/api/hsds.py).
HSDS_PARAMETERS = {
    "page": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
    "per_page": {"type": "integer", "minimum": 1, "maximum": 200},
    "format": {"type": "string", "enum": ["json", "ndjson"]},
    "taxonomy_term_id": {"type": "string", "format": "uuid"},
    "taxonomy_id": {"type": "string", "format": "uuid"},
    "parent_id": {"type": "string", "format": "uuid"},
    "organization_id": {"type": "string", "format": "uuid"},
    "modified_after": {"type": "string", "format": "date-time"},
    "search": {"type": "string", "maxLength": 200, "pattern": NO_NUL},
    "postcode": {"type": "string", "maxLength": 200, "pattern": NO_NUL},
    "proximity": {"type": "integer"},
}
# Operations whose 400s depend on data (see the module's docstring).
SEARCHING = {"/api/v1/search/", "/services", "/service_at_locations"}  # HSDS: no base path


def hsds_contract() -> dict:
    """The HSDS 3.0 OpenAPI document (vendored) as our API serves it: its parameters with our
    limits, its remote body schemas replaced by ``object`` (the bodies are checked against
    the HSDS JSON schemas by ``valid_hsds_body``), and our 400 and 404 answers."""
    spec = json.loads((hsds.spec_dir() / "schema" / "openapi.json").read_text())
    spec = copy.deepcopy(spec)
    # As OpenAPI 3.0, where formats (uuid, date-time) are checked and 4.0 is no integer.
    spec["openapi"] = "3.0.3"
    spec.pop("jsonSchemaDialect", None)
    spec["info"] = {"title": "Sociale Basis HSDS 3.0 API", "version": "3.0"}
    spec["servers"] = [{"url": "/api/hsds"}]
    inline = [
        parameter
        for item in spec["paths"].values()
        for parameter in item.get("get", {}).get("parameters", [])
        if "$ref" not in parameter
    ]
    for parameter in [*spec["components"]["parameters"].values(), *inline]:
        schema = HSDS_PARAMETERS.get(parameter["name"], parameter["schema"])
        parameter["schema"] = optional(schema)  # empty is the same as absent
    for path, item in spec["paths"].items():
        for operation in (item[m] for m in ("get",) if m in item):
            ok = operation["responses"]["200"]["content"]["application/json"]
            if "allOf" in ok["schema"]:  # a page: its contents are HSDS objects
                ok["schema"]["properties"]["contents"]["items"] = {"type": "object"}
                operation["responses"]["200"]["content"]["application/x-ndjson"] = {"schema": {}}
            elif path != "/":
                ok["schema"] = {"type": "object"}
            operation["responses"]["400"] = {
                "description": "Invalid parameter",
                "content": {"application/json": {"schema": ERROR_BODY}},
            }
            if "{id}" in path:
                operation["responses"]["404"] = {
                    "description": "Unknown or malformed id",
                    "content": {"application/json": {"schema": NOT_FOUND_BODY}},
                }
    return spec


def _entity(path: str) -> tuple[str | None, bool]:
    """The HSDS schema of a response on ``path`` and whether it is a page."""
    parts = path.removeprefix("/api/hsds/").strip("/").split("/")
    entity = HSDS_ENTITIES.get(parts[0])
    return entity, len(parts) == 1


@schemathesis.check
def valid_hsds_body(ctx: CheckContext, response, case) -> bool | None:
    """Every object an HSDS endpoint returns validates against the HSDS 3.0 JSON schemas."""
    entity, is_page = _entity(case.formatted_path)
    if response.status_code != 200 or entity is None or case.method.upper() != "GET":
        return None
    if (case.query or {}).get("minimal") in ("true", "1", True):  # id and last_modified only
        return None
    if response.headers.get("content-type", [""])[0].startswith("application/x-ndjson"):
        objects = [json.loads(line) for line in response.content.decode().splitlines()]
    else:
        body = response.json()
        objects = body["contents"] if is_page else [body]
    for obj in objects:
        errors = hsds.hsds_errors(obj, entity)
        assert not errors, f"{case.formatted_path}: not a valid HSDS {entity}: {errors[:3]}"
    return True


@schemathesis.check
def errors_name_a_parameter(ctx: CheckContext, response, case) -> bool | None:
    """A 400 names the parameters it rejects: the operation's, or ones the request sent
    (the HSDS API refuses the NUL character in any parameter)."""
    if response.status_code != 400:
        return None
    body = response.json()
    known = {parameter.name for parameter in case.operation.query} | set(case.query or {})
    assert body and set(body) <= known, f"400 names {set(body)}; parameters: {known}"
    return True


# ---------------------------------------------------------------- the world and the app

v1 = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.yaml")
v1.app = WSGIHandler()
hsds_api = schemathesis.openapi.from_dict(hsds_contract())
hsds_api.app = v1.app


@pytest.fixture
def api_world(personas, settings):
    """The persona world and more, no API throttling, and a WSGI app that keeps the test's
    database connection (as Django's test client does: no closing of "old" connections
    per request)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    taxonomy = ensure_theme_taxonomy()
    parent_term = taxonomy.terms.filter(parent__isnull=False).first().parent
    municipality = personas.municipality
    municipality.geometry = SQUARE
    municipality.save()
    with_boundary = f.DistrictFactory(code="WK036300", name="Centrum", geometry=SQUARE)
    without_boundary = f.DistrictFactory(code="WK001400", name="Zonder grens", geometry=None)
    hood = f.NeighbourhoodFactory(code="BU03630000", district=with_boundary, geometry=SQUARE)
    parent = personas.organization
    child = f.OrganizationFactory(name="Buurtwerk Centrum", parent_organization=parent)
    location = f.LocationFactory(organization=child, neighbourhood=hood, name="Buurthuis")
    f.AddressFactory(location=location)
    Accessibility.objects.create(location=location, wheelchair=True)
    service = f.ServiceFactory(organization=child, name="Schuldhulp", municipality=None)
    f.ServiceAtLocationFactory(service=service, location=location)
    for term in (parent_term, parent_term.children.first()):
        Attribute.objects.create(link_entity="service", link_id=service.id, taxonomy_term=term)
    f.LocationFactory(
        organization=None,
        municipality=None,
        name="Zonder organisatie",
        latitude=None,
        longitude=None,
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield {
            "personas": personas,
            "districts": [with_boundary, without_boundary],
            "service": service,
            "term": parent_term,
        }
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# ---------------------------------------------------------------- the tests


def _validate(case) -> None:
    excluded = (
        [positive_data_acceptance]
        if case.formatted_path.rstrip("/") in {p.rstrip("/") for p in SEARCHING}
        else []
    )
    case.call_and_validate(
        additional_checks=[valid_hsds_body, errors_name_a_parameter], excluded_checks=excluded
    )


@v1.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_v1_api_matches_its_openapi_document(case, api_world):
    _validate(case)


@hsds_api.parametrize()
@HYPOTHESIS
@pytest.mark.django_db
def test_hsds_api_matches_the_hsds_openapi_document(case, api_world):
    _validate(case)


V1_DETAILS = {
    "/api/v1/organizations/{id}/": ("id", lambda w: w["service"].organization_id),
    "/api/v1/services/{id}/": ("id", lambda w: w["service"].id),
    "/api/v1/locations/{id}/": (
        "id",
        lambda w: w["service"].service_at_locations.get().location_id,
    ),
    "/api/v1/taxonomy-terms/{id}/": ("id", lambda w: w["term"].children.first().id),
    "/api/v1/municipalities/{code}/": ("code", lambda w: "GM0363"),
    "/api/v1/neighbourhoods/{code}/": ("code", lambda w: "BU03630000"),
}


@pytest.mark.django_db
def test_every_record_matches_its_schema(api_world):
    """Real records (generated ids rarely exist), lists with and without geometry, and the
    district without a boundary that answered ``geometry: null`` against an object."""
    cases = []
    for district in api_world["districts"]:
        for geometry in ("true", "false"):
            cases.append(
                v1["/api/v1/districts/{code}/"]["GET"].Case(
                    path_parameters={"code": district.code}, query={"geometry": geometry}
                )
            )
    for path, (name, value) in V1_DETAILS.items():
        cases.append(v1[path]["GET"].Case(path_parameters={name: str(value(api_world))}))
    for path in v1.raw_schema["paths"]:
        if "{" not in path and path != "/api/v1/search/":
            query = {"page_size": "200"}
            if "geometry" in json.dumps(v1.raw_schema["paths"][path]):
                query["geometry"] = "1"
            cases.append(v1[path]["GET"].Case(query=query))
    cases.append(v1["/api/v1/search/"]["GET"].Case(query={"q": "schuldhulp"}))
    for path in ("/services", "/service_at_locations", "/organizations", "/taxonomy_terms"):
        for full in ("true", "false"):
            cases.append(hsds_api[path]["GET"].Case(query={"full": full, "per_page": "200"}))
    cases.append(
        hsds_api["/services/{id}"]["GET"].Case(path_parameters={"id": str(api_world["service"].id)})
    )
    for case in cases:
        response = case.call_and_validate(additional_checks=[valid_hsds_body])
        assert response.status_code == 200, (case.formatted_path, response.text[:200])
