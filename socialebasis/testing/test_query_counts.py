"""Query-count ceilings on the main pages, in the persona world: the search page, a service
page, a resident's file (a two-factor-verified social worker of her team) and the privacy
officer's audit viewer. Each page is given several rows of what it lists, so that a query
per row (N+1) shows as a count above the ceiling. Ceilings: ``query_counts.json``;
``pytest --update-query-counts`` rewrites them (``socialebasis/testing/query_counts.py``)."""

import pytest
from django.urls import reverse

from socialebasis.audit import events
from socialebasis.directory.search_index import rebuild_search_index
from socialebasis.testing import factories as f
from socialebasis.testing.personas import login_as
from socialebasis.testing.query_counts import UPDATE_OPTION, QueryCeiling

pytestmark = pytest.mark.django_db

ROWS = 6  # a handful of results, audit rows, ...: enough to see a query per row


@pytest.fixture
def ceiling(request):
    return QueryCeiling(update=request.config.getoption(UPDATE_OPTION))


def test_search_page(client, personas, ceiling):
    for i in range(ROWS):
        service = f.ServiceFactory(
            organization=personas.organization, name=f"Mantelzorg steunpunt {i}"
        )
        f.ServiceAtLocationFactory(service=service, location=personas.location)
    rebuild_search_index()
    with ceiling("search"):
        response = client.get(
            reverse("directory:search"), {"q": "mantelzorg", "near": "Kolenkitbuurt-Noord"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' not in html
    assert html.count("<article") >= ROWS + 1  # the world's service and the new ones


def test_service_page(client, personas, ceiling):
    for i in range(ROWS):
        location = f.LocationFactory(organization=personas.organization, name=f"Locatie {i}")
        f.ServiceAtLocationFactory(service=personas.service, location=location)
    url = reverse("directory:service", args=[personas.service.pk])
    with ceiling("service"):
        response = client.get(url)
    assert response.status_code == 200
    assert "Maatje voor mantelzorgers" in response.content.decode()


def test_resident_file(client, personas, ceiling):
    login_as(client, personas.social_worker)
    url = reverse("residents:detail", args=[personas.resident_file.pk])
    with ceiling("resident_file"):
        response = client.get(url, {"reden": "intake"})
    assert response.status_code == 200
    assert "Yilmaz" in response.content.decode()


def test_audit_viewer(client, personas, ceiling):
    actors = [personas.social_worker, personas.team_lead, personas.other_team_worker]
    for i in range(ROWS):
        actor = actors[i % len(actors)].user
        events.record_viewed(actor, personas.resident_file, reason=f"intake {i}")
    login_as(client, personas.privacy_officer)
    with ceiling("audit_viewer"):
        response = client.get(reverse("privacy:audit"))
    assert response.status_code == 200
    assert len(response.context["rows"]) >= ROWS
    assert "Sanne Willems" in response.content.decode()
