"""access_resident_for_user: who may open a resident's file, 404 for everyone else,
two-factor for professionals, and an audit row for every opening by a professional."""

import uuid

import pytest
from django.http import Http404

from socialebasis.accounts.exceptions import TwoFactorRequired
from socialebasis.audit.models import AuditEvent
from socialebasis.residents.access import (
    access_resident_for_user,
    residents_for_user,
)

pytestmark = pytest.mark.django_db


class Verified:
    """Stands in for django-otp's per-request verification in these unit tests."""

    def __init__(self, user, verified=True):
        self.user, self.verified = user, verified

    def __getattr__(self, name):
        return getattr(self.user, name)

    def is_verified(self):
        return self.verified


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("resident", True),
        ("social_worker", True),
        ("team_lead", True),
        ("privacy_officer", True),
        ("regional_privacy_officer", True),
        ("carer", False),
        ("other_team_worker", False),
        ("policy_officer", False),
        ("administrator", False),
        ("volunteer", False),
        ("other_municipality", False),
        ("utrecht_privacy_officer", False),
        ("newcomer", False),
    ],
)
def test_permission_matrix(world, who, allowed):
    user, resident = world[who].user, world.resident_file
    assert residents_for_user(user).filter(pk=resident.pk).exists() is allowed
    if allowed:
        assert access_resident_for_user(Verified(user), resident.pk) == resident
    else:
        with pytest.raises(Http404):
            access_resident_for_user(Verified(user), resident.pk)


def test_denied_and_missing_look_the_same(world):
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world.policy_officer.user), world.resident_file.pk)
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world.social_worker.user), uuid.uuid4())
    with pytest.raises(Http404):
        access_resident_for_user(Verified(world.social_worker.user), "not-a-uuid")


def test_professional_needs_two_factor(world):
    with pytest.raises(TwoFactorRequired):
        access_resident_for_user(
            Verified(world.social_worker.user, verified=False), world.resident_file.pk
        )
    assert not AuditEvent.objects.filter(event="record_viewed").exists()


def test_professional_reads_are_audited_own_reads_are_not(world):
    resident = world.resident_file
    access_resident_for_user(Verified(world.resident.user, verified=False), resident.pk)
    assert not AuditEvent.objects.filter(event="record_viewed").exists()
    access_resident_for_user(Verified(world.social_worker.user), resident.pk, reason="huisbezoek")
    row = AuditEvent.objects.get(event="record_viewed")
    assert (row.actor_id, row.subject_id, row.reason, row.municipality_code) == (
        world.social_worker.user.pk,
        str(resident.pk),
        "huisbezoek",
        "GM0363",
    )
