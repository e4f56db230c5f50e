"""Text that people typed (a service description from an import or the admin, an error
report from the public form) is escaped on every page that shows it."""

import pytest

from socialebasis.testing.personas import login_as

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"


def assert_escaped(response):
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert ESCAPED in html
    return html


def test_service_texts_are_escaped_on_the_public_pages(client, personas):
    service = personas.service
    service.name = f"Dienst {SCRIPT}"
    service.description = f"Omschrijving {SCRIPT}"
    service.save()
    organization = personas.organization
    organization.description = SCRIPT
    organization.save()
    assert_escaped(client.get(f"/diensten/{service.pk}/"))
    assert_escaped(client.get(f"/organisaties/{organization.pk}/"))
    assert_escaped(client.get(f"/locaties/{personas.location.pk}/"))


def test_api_returns_text_as_data(client, personas):
    personas.service.description = SCRIPT
    personas.service.save()
    response = client.get(f"/api/v1/services/{personas.service.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["description"] == SCRIPT  # JSON, never HTML


def test_error_report_is_escaped_when_redisplayed_and_in_the_admin(client, personas):
    # A validation error shows the form again with what was typed: escaped.
    response = client.post(
        "/melden/", {"reporter_name": SCRIPT, "reporter_email": "geen-adres", "message": SCRIPT}
    )
    assert response.status_code == 200
    assert_escaped(response)
    # A stored report, as the administrator sees it.
    report = personas.error_report
    report.message = SCRIPT
    report.reporter_name = SCRIPT
    report.save()
    login_as(client, personas.administrator)
    listing = client.get("/beheer/directory/errorreport/")
    assert listing.status_code == 200
    assert "<script>alert" not in listing.content.decode()
    detail = client.get(f"/beheer/directory/errorreport/{report.pk}/change/")
    assert detail.status_code == 200
    assert "<script>alert" not in detail.content.decode()
