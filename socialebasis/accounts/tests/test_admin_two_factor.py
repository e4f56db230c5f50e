"""The admin (/beheer/) shows personal data (accounts, error reports): staff need a
two-factor-verified session, like every professional opening personal data."""

import pytest
from django.urls import reverse

from socialebasis.testing.personas import force_login_verified

pytestmark = pytest.mark.django_db


def test_staff_without_two_factor_is_sent_to_set_it_up(client, django_user_model):
    admin = django_user_model.objects.create_superuser("beheer@example.org", "x" * 16)
    client.force_login(admin)
    for url in ("/beheer/", "/beheer/directory/errorreport/", "/beheer/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:two_factor_setup"))
        assert "next=" in response["Location"]


def test_staff_with_two_factor_opens_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("beheer@example.org", "x" * 16)
    force_login_verified(client, admin)
    assert client.get("/beheer/").status_code == 200
    assert client.get("/beheer/directory/errorreport/").status_code == 200
