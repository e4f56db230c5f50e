"""The privacy pages in English (/en/...)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from socialebasis.residents.constants import Purpose
from socialebasis.testing.personas import login_as


@pytest.fixture(autouse=True)
def back_to_dutch():
    """A request under /en/ leaves English active in this thread; later tests expect Dutch."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_consent_page_in_english(client, world):
    login_as(client, world.resident)
    with translation.override("en"):
        url = reverse("mydata:consents")
    assert url.startswith("/en/")
    html = client.get(url).content.decode()
    assert "My consents" in html and "Yes, I give consent" in html
    assert "I consent to the social worker of my neighbourhood team seeing my network" in html
    with translation.override("en"):
        assert Purpose.WORKER_SEES_NETWORK.label == "My social worker may see my network"
