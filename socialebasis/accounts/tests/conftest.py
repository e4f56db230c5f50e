"""Fixtures for the login tests: a small world (municipality, team, resident file) and
helpers that log in through the real login page."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialebasis.accounts.constants import Role
from socialebasis.accounts.models import Membership, Team, User
from socialebasis.residents.models import Resident
from socialebasis.testing import factories as f

PASSWORD = "een-lang-wachtwoord-42"


@pytest.fixture
def world(db):
    amsterdam = f.MunicipalityFactory()
    west = f.DistrictFactory(code="WK0363EE", municipality=amsterdam)
    hood = f.NeighbourhoodFactory(code="BU0363EE04", district=west)
    team = Team.objects.create(name="Buurtteam West", municipality=amsterdam)
    team.districts.add(west)
    resident_user = User.objects.create_user("inwoner@example.org", PASSWORD, full_name="Fatima")
    Membership.objects.create(user=resident_user, role=Role.RESIDENT, municipality=amsterdam)
    resident = Resident.objects.create(
        municipality=amsterdam, neighbourhood=hood, user=resident_user, given_name="Fatima"
    )
    worker = User.objects.create_user("sw-west@example.org", PASSWORD, full_name="Sanne Werker")
    Membership.objects.create(
        user=worker, role=Role.SOCIAL_WORKER, municipality=amsterdam, team=team
    )
    return {
        "amsterdam": amsterdam,
        "team": team,
        "resident": resident,
        "resident_user": resident_user,
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
