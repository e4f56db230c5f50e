"""Session rules: professionals are logged out after inactivity (time travel by patching
the clock the session store reads), others keep the default; "logout everywhere" ends
every other session (two browsers), as does a password change."""

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from socialebasis.accounts.tests.conftest import PASSWORD, login
from socialebasis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _at(minutes: float):
    """Pretend ``minutes`` have passed (Django's session store and our middleware read
    ``django.utils.timezone.now``)."""
    return mock.patch(
        "django.utils.timezone.now", return_value=_at.start + timedelta(minutes=minutes)
    )


def _logged_in(client) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture(autouse=True)
def _clock():
    _at.start = timezone.now()


def test_professional_session_ends_after_15_idle_minutes(client, world):
    with _at(0):
        login(client, world["worker"].email)
        assert _logged_in(client)
        assert client.session.get_expiry_age() == 15 * 60
    with _at(14):  # activity within the period starts it again
        assert _logged_in(client)
    with _at(28):
        assert _logged_in(client)
    with _at(43.5):
        assert not _logged_in(client)
        assert client.get("/account/")["Location"] == "/account/inloggen/?next=/account/"


@override_settings(PROFESSIONAL_IDLE_MINUTES=5)
def test_idle_minutes_come_from_settings(client, world):
    with _at(0):
        login(client, world["worker"].email)
        assert _logged_in(client)
    with _at(6):
        assert not _logged_in(client)


def test_residents_keep_the_default_session(client, world):
    with _at(0):
        login(client, world["resident_user"].email)
        assert _logged_in(client)
        assert client.session.get_expiry_age() == 14 * 24 * 3600
    with _at(16):
        assert _logged_in(client)
    with _at(15 * 24 * 60):
        assert not _logged_in(client)


def test_logout_everywhere_ends_the_other_sessions(world):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        login(browser, world["resident_user"].email)
        assert _logged_in(browser)
    page = laptop.get("/account/").content.decode()
    assert 'action="/account/uitloggen/overal/"' in page
    assert laptop.get("/account/uitloggen/overal/").status_code == 405  # POST only
    response = laptop.post("/account/uitloggen/overal/")
    assert response["Location"] == "/account/"
    assert _logged_in(laptop)  # this session stays
    assert not _logged_in(phone)
    row = AuditEvent.objects.get(event="logout_everywhere")
    assert row.actor_id == world["resident_user"].pk


def test_password_change_ends_the_other_sessions(world):
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        login(browser, world["resident_user"].email)
    response = laptop.post(
        "/account/wachtwoord-wijzigen/",
        {
            "old_password": PASSWORD,
            "new_password1": "nog-een-lang-wachtwoord-7",
            "new_password2": "nog-een-lang-wachtwoord-7",
        },
    )
    assert response["Location"] == "/account/"
    assert _logged_in(laptop) and not _logged_in(phone)
    assert AuditEvent.objects.filter(event="password_changed").count() == 1


def test_account_page_lists_roles_and_two_factor_status(client, world):
    login(client, world["worker"].email)
    page = client.get("/account/").content.decode()
    assert "Sociaal werker" in page and "Buurtteam West" in page and "Amsterdam" in page
    assert "verplicht" in page  # professionals must set up two-factor
    assert 'href="/account/tweestaps/instellen/"' in page
    assert "nog niet bevestigd" in page
    assert 'href="/mijn-gegevens/"' in page
