"""Fixtures for the login tests: a small world (municipality, team, resident file) and
helpers that log in through the real login page."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialebasis.accounts.tests.factories import PASSWORD, MembershipFactory, TeamFactory
from socialebasis.residents.tests.factories import ResidentFactory
from socialebasis.testing import factories as f

__all__ = ["PASSWORD", "add_totp", "csrf_free", "login", "totp_code"]


@pytest.fixture
def world(db):
    amsterdam = f.MunicipalityFactory()
    west = f.DistrictFactory(code="WK0363EE", municipality=amsterdam)
    hood = f.NeighbourhoodFactory(code="BU0363EE04", district=west)
    team = TeamFactory(name="Buurtteam West", municipality=amsterdam, districts=[west])
    resident = ResidentFactory(
        with_account=True,
        neighbourhood=hood,
        given_name="Fatima",
        family_name="",
        email="inwoner@example.org",
        user__full_name="Fatima",
    )
    worker = MembershipFactory(
        social_worker=True,
        team=team,
        municipality=amsterdam,
        user__email="sw-west@example.org",
        user__full_name="Sanne Werker",
    ).user
    return {
        "amsterdam": amsterdam,
        "team": team,
        "resident": resident,
        "resident_user": resident.user,
        "worker": worker,
    }


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later:
    django-otp accepts one step either way, and never the same step twice)."""
    device.refresh_from_db()
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:0{device.digits}d}"


def add_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)


def login(client, email, password=PASSWORD, **extra):
    return client.post("/account/inloggen/", {"username": email, "password": password}, **extra)


def csrf_free(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
