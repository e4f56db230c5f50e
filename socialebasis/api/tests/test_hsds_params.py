"""Parameters and methods of the HSDS API: a date or date-time the database cannot hold (its
UTC moment before 0001-01-01 or after 9999-12-31) is a 400 naming the parameter, never a 500
(SQLite converts to naive UTC in Python and overflowed), on every database; numbers, booleans
and the format are strict (also when NDJSON ignores the page); other methods are a JSON 405."""

import pytest
from django.test import Client

from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/hsds/services/", "/api/hsds/service_at_locations/"])
@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",  # Amsterdam midnight is 0000-12-31 in UTC
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-14:00",  # 10000-01-01 in UTC
    ],
)
def test_out_of_range_modified_after_is_a_400_naming_the_parameter(client, url, value):
    f.ServiceFactory()
    response = client.get(url, {"modified_after": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    reason = response.json()["modified_after"][0]
    assert "out of range" in reason and "0001-01-01" in reason


@pytest.mark.parametrize(
    "value, found",
    [
        ("0001-01-01T00:00:00Z", 1),  # the earliest moment there is: everything
        ("0001-01-02", 1),
        ("9999-12-31T23:59:59Z", 0),  # the latest: nothing
        ("9999-12-31T23:59:59+14:00", 0),
    ],
)
def test_extreme_modified_after_within_range_filters(client, value, found):
    f.ServiceFactory()
    response = client.get("/api/hsds/services", {"modified_after": value})
    assert response.status_code == 200, response.content
    assert response.json()["total_items"] == found


@pytest.mark.parametrize(
    "params, name",
    [
        ({"per_page": "4.0"}, "per_page"),
        ({"per_page": "+5"}, "per_page"),
        ({"page": "1e-06", "format": "ndjson"}, "page"),
        ({"per_page": "0", "format": "ndjson"}, "per_page"),
        ({"full": "yes"}, "full"),
        ({"minimal": "maybe"}, "minimal"),
        ({"format": "JSON"}, "format"),
    ],
)
def test_malformed_parameters_are_a_400_naming_them(client, params, name):
    response = client.get("/api/hsds/services", params)
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_other_methods_are_a_json_405_not_a_csrf_403():
    client = Client(enforce_csrf_checks=True)
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/hsds/services")
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD"
        assert response["Content-Type"] == "application/json"
    response = client.generic("QUERY", "/api/hsds/")
    assert response.status_code == 405
