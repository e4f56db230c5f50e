"""Date parameters of the APIs: a date or date-time the database cannot hold (its UTC moment
before 0001-01-01 or after 9999-12-31) is a 400 naming the parameter, never a 500 (SQLite
converts to naive UTC in Python and overflowed), on every database."""

import pytest

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
