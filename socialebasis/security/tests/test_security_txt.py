"""/.well-known/security.txt (RFC 9116)."""

from datetime import UTC, datetime, timedelta

import pytest


def fields(response) -> dict[str, str]:
    text = response.content.decode()
    assert text.endswith("\n")
    return dict(line.split(": ", 1) for line in text.strip().splitlines())


@pytest.mark.django_db
def test_security_txt(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@gemeente.example.nl"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = fields(response)
    assert body["Contact"] == "mailto:security@gemeente.example.nl"
    assert body["Preferred-Languages"] == "nl, en"
    assert body["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.strptime(body["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    ahead = expires - datetime.now(UTC)
    assert timedelta(days=364) < ahead <= timedelta(days=365)
    assert "Policy" not in body


@pytest.mark.django_db
def test_security_txt_policy_and_methods(client, settings):
    settings.SECURITY_POLICY_URL = "https://gemeente.example.nl/cvd"
    assert fields(client.get("/.well-known/security.txt"))["Policy"] == (
        "https://gemeente.example.nl/cvd"
    )
    assert client.post("/.well-known/security.txt").status_code == 405
    assert client.head("/.well-known/security.txt").status_code == 200
