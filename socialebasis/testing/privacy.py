"""A small persona world for the privacy and resident-file tests, and logging in a
professional with a verified second factor for the test client.

Import the fixture into a test module: ``from socialebasis.testing.privacy import world``.
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from socialebasis.accounts.constants import Role
from socialebasis.accounts.models import Membership, Region, Team
from socialebasis.residents.models import Resident
from socialebasis.testing import factories as f

PASSWORD = "correct horse battery 42"  # noqa: S105 (test accounts only)


def login_verified(client, user):
    """Log ``user`` in on ``client`` with a session that passed two-factor authentication:
    a confirmed TOTP device, remembered in the session the way django-otp does it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert apps.is_installed("django_otp.plugins.otp_totp")
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


class World(dict):
    """Personas by name; attribute access too (``world.resident``)."""

    __getattr__ = dict.__getitem__


def _user(email, role=None, *, municipality, team=None, region=None, name=""):
    user = get_user_model().objects.create_user(email, PASSWORD, full_name=name)
    if role:
        Membership.objects.create(
            user=user,
            role=role,
            municipality=municipality,
            team=team,
            region=region,
        )
    return user


@pytest.fixture
def world(db, settings):
    # Fast password hashing for the many accounts of this world (argon2 is slow on purpose).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    amsterdam = f.MunicipalityFactory()
    utrecht = f.MunicipalityFactory(code="GM0344", name="Utrecht")
    west = f.DistrictFactory(code="WK0363EE", name="Westerpark", municipality=amsterdam)
    oost = f.DistrictFactory(code="WK0363MA", name="Oost", municipality=amsterdam)
    hood = f.NeighbourhoodFactory(code="BU0363EE04", name="Spaarndammerbuurt", district=west)
    hood_oost = f.NeighbourhoodFactory(code="BU0363MA01", name="Oostpoort", district=oost)
    utrecht_district = f.DistrictFactory(code="WK034401", name="Centrum", municipality=utrecht)
    utrecht_hood = f.NeighbourhoodFactory(
        code="BU03440101", name="Domplein", district=utrecht_district, municipality=utrecht
    )
    f.OrganizationFactory(name="Buurtwerk West", municipality=amsterdam)
    team_west = Team.objects.create(name="Buurtteam West", municipality=amsterdam)
    team_west.districts.add(west)
    team_oost = Team.objects.create(name="Buurtteam Oost", municipality=amsterdam)
    team_oost.districts.add(oost)
    region = Region.objects.create(name="Regio Midden")
    region.municipalities.add(amsterdam, utrecht)

    own = _user(
        "fatima.qx@example.org",
        Role.RESIDENT,
        municipality=amsterdam,
        name="Fatimaqx Zwanenburgqx",
    )
    resident = Resident.objects.create(
        municipality=amsterdam,
        neighbourhood=hood,
        user=own,
        given_name="Fatimaqx",
        family_name="Zwanenburgqx",
        email="fatima.qx@example.org",
        phone="0612345678",
    )
    other_own = _user("kees.qz@example.org", Role.RESIDENT, municipality=amsterdam)
    other_resident = Resident.objects.create(
        municipality=amsterdam,
        neighbourhood=hood_oost,
        user=other_own,
        given_name="Keesqz",
        family_name="Oosterqz",
        email="kees.qz@example.org",
    )
    utrecht_resident = Resident.objects.create(
        municipality=utrecht, neighbourhood=utrecht_hood, given_name="Utrechtqy"
    )
    return World(
        amsterdam=amsterdam,
        utrecht=utrecht,
        hood=hood,
        hood_oost=hood_oost,
        team_west=team_west,
        resident=resident,
        own=own,
        other_resident=other_resident,
        other_own=other_own,
        utrecht_resident=utrecht_resident,
        worker=_user(
            "sanne@buurtwerk.example.org",
            Role.SOCIAL_WORKER,
            municipality=amsterdam,
            team=team_west,
            name="Sanne de Vries",
        ),
        other_team=_user(
            "sw-oost@example.org", Role.SOCIAL_WORKER, municipality=amsterdam, team=team_oost
        ),
        policy=_user("beleid@example.org", Role.POLICY_OFFICER, municipality=amsterdam),
        privacy=_user(
            "privacy@amsterdam.example.org",
            Role.PRIVACY_OFFICER,
            municipality=amsterdam,
            name="Priya Officer",
        ),
        utrecht_privacy=_user(
            "privacy@utrecht.example.org", Role.PRIVACY_OFFICER, municipality=utrecht
        ),
        regional_privacy=_user(
            "regio@utrecht.example.org",
            Role.PRIVACY_OFFICER,
            municipality=utrecht,
            region=region,
        ),
        volunteer=_user("vrijwilliger@example.org", Role.VOLUNTEER, municipality=amsterdam),
        no_file=_user("zonder-dossier@example.org", municipality=amsterdam),
    )
