"""access_resident_for_user: who may open a resident's file, 404 for everyone else,
two-factor for professionals, and an audit row for every opening by a professional."""

import uuid

import pytest
from django.http import Http404

from socialebasis.accounts.constants import Role
from socialebasis.accounts.exceptions import TwoFactorRequired
from socialebasis.accounts.models import Membership, Region, Team
from socialebasis.audit.models import AuditEvent
from socialebasis.residents.access import access_resident_for_user, residents_for_user
from socialebasis.residents.models import Resident
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db


class Verified:
    """Stands in for django-otp's per-request verification in these unit tests."""

    def __init__(self, user, verified=True):
        self.user, self.verified = user, verified

    def __getattr__(self, name):
        return getattr(self.user, name)

    def is_verified(self):
        return self.verified


@pytest.fixture
def world(django_user_model):
    amsterdam = f.MunicipalityFactory()
    west = f.DistrictFactory(code="WK0363EE", municipality=amsterdam)
    oost = f.DistrictFactory(code="WK0363MA", municipality=amsterdam)
    hood = f.NeighbourhoodFactory(code="BU0363EE04", district=west)
    team_west = Team.objects.create(name="Buurtteam West", municipality=amsterdam)
    team_west.districts.add(west)
    team_oost = Team.objects.create(name="Buurtteam Oost", municipality=amsterdam)
    team_oost.districts.add(oost)
    utrecht = f.MunicipalityFactory(code="GM0344", name="Utrecht")

    def user(email, role=None, municipality=amsterdam, team=None, region=None):
        u = django_user_model.objects.create_user(email, "x" * 12)
        if role:
            Membership.objects.create(
                user=u, role=role, municipality=municipality, team=team, region=region
            )
        return u

    own = user("inwoner@example.org", Role.RESIDENT)
    resident = Resident.objects.create(
        municipality=amsterdam, neighbourhood=hood, user=own, given_name="Fatima"
    )
    return {
        "resident": resident,
        "own": own,
        "worker": user("sw-west@example.org", Role.SOCIAL_WORKER, team=team_west),
        "lead": user("lead-west@example.org", Role.TEAM_LEAD, team=team_west),
        "other_team": user("sw-oost@example.org", Role.SOCIAL_WORKER, team=team_oost),
        "policy": user("beleid@example.org", Role.POLICY_OFFICER),
        "privacy": user("privacy@example.org", Role.PRIVACY_OFFICER),
        "admin": user("admin@example.org", Role.ADMINISTRATOR),
        "volunteer": user("vrijwilliger@example.org", Role.VOLUNTEER),
        "utrecht": user("sw@utrecht.example.org", Role.SOCIAL_WORKER, municipality=utrecht),
        "utrecht_privacy": user(
            "privacy@utrecht.example.org", Role.PRIVACY_OFFICER, municipality=utrecht
        ),
        "utrecht_regional": user(
            "regio@utrecht.example.org",
            Role.PRIVACY_OFFICER,
            municipality=utrecht,
            region=_region(amsterdam, utrecht),
        ),
    }


def _region(*municipalities):
    region = Region.objects.create(name="Regio test")
    region.municipalities.add(*municipalities)
    return region


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("own", True),
        ("worker", True),
        ("lead", True),
        ("privacy", True),
        ("utrecht_regional", True),
        ("other_team", False),
        ("policy", False),
        ("admin", False),
        ("volunteer", False),
        ("utrecht", False),
        ("utrecht_privacy", False),
    ],
)
def test_permission_matrix(world, who, allowed):
    user, resident = world[who], world["resident"]
    assert residents_for_user(user).filter(pk=resident.pk).exists() is allowed
    if allowed:
        assert access_resident_for_user(Verified(user), resident.pk) == resident
    else:
        with pytest.raises(Http404):
            access_resident_for_user(Verified(user), resident.pk)


def test_denied_and_missing_look_the_same(world):
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world["policy"]), world["resident"].pk)
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world["worker"]), uuid.uuid4())
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world["worker"]), "not-a-uuid")


def test_professional_needs_two_factor(world):
    with pytest.raises(TwoFactorRequired):
        access_resident_for_user(Verified(world["worker"], verified=False), world["resident"].pk)
    assert not AuditEvent.objects.filter(event="record_viewed").exists()


def test_professional_reads_are_audited_own_reads_are_not(world):
    resident = world["resident"]
    access_resident_for_user(Verified(world["own"], verified=False), resident.pk)
    assert not AuditEvent.objects.filter(event="record_viewed").exists()
    access_resident_for_user(Verified(world["worker"]), resident.pk, reason="huisbezoek")
    row = AuditEvent.objects.get(event="record_viewed")
    assert (row.actor_id, row.subject_id, row.reason, row.municipality_code) == (
        world["worker"].pk,
        str(resident.pk),
        "huisbezoek",
        "GM0363",
    )
