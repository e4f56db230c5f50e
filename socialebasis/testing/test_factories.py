"""The per-app factories and their traits make what they say."""

import pytest

from socialebasis.accounts.constants import Role
from socialebasis.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from socialebasis.audit.models import AuditEvent
from socialebasis.audit.tests.factories import AuditEventFactory
from socialebasis.audit.verify import verify_chain
from socialebasis.residents.constants import Purpose
from socialebasis.residents.queries import has_consent
from socialebasis.residents.tests.factories import ConsentFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def test_user_traits():
    user = UserFactory()
    assert user.check_password(PASSWORD) and user.is_active
    assert user.email_verified_at is None and not user.memberships.exists()
    assert UserFactory(verified_email=True).email_verified_at is not None
    assert not UserFactory(inactive=True).is_active
    professional = UserFactory(professional=True)
    membership = professional.memberships.get()
    assert membership.role == Role.SOCIAL_WORKER and membership.team is not None
    assert professional.totpdevice_set.filter(confirmed=True).exists()
    assert professional.is_professional


@pytest.mark.parametrize(
    ("trait", "role", "in_team"),
    [
        ("social_worker", Role.SOCIAL_WORKER, True),
        ("team_lead", Role.TEAM_LEAD, True),
        ("volunteer", Role.VOLUNTEER, False),
        ("policy_officer", Role.POLICY_OFFICER, False),
        ("privacy_officer", Role.PRIVACY_OFFICER, False),
        ("administrator", Role.ADMINISTRATOR, False),
    ],
)
def test_membership_traits(trait, role, in_team):
    membership = MembershipFactory(**{trait: True})
    assert membership.role == role
    assert (membership.team is not None) is in_team
    if in_team:
        assert membership.team.municipality == membership.municipality
    membership.full_clean()
    assert MembershipFactory().role == Role.RESIDENT


def test_resident_traits():
    plain = ResidentFactory()
    assert plain.user is None and plain.municipality == plain.neighbourhood.municipality
    own = ResidentFactory(with_account=True, given_name="Amal", family_name="Haddou")
    assert own.user.email == own.email == "amal@example.org"
    assert own.user.full_name == "Amal Haddou"
    assert own.user.memberships.get().role == Role.RESIDENT
    assert own.user.memberships.get().municipality == own.municipality
    gone = ResidentFactory(anonymised=True)
    assert gone.anonymised_at is not None and (gone.given_name, gone.email) == ("", "")


def test_consent_traits_go_through_the_actions():
    consent = ConsentFactory()
    assert consent.recorded_by == consent.resident.user and not consent.on_behalf
    assert has_consent(consent.resident, Purpose.WORKER_SEES_NETWORK)
    on_behalf = ConsentFactory(on_behalf=True, purpose=Purpose.SHARE_REQUEST_WITH_VOLUNTEERS)
    assert on_behalf.on_behalf and on_behalf.reason
    assert on_behalf.recorded_by.memberships.get().role == Role.PRIVACY_OFFICER
    withdrawn = ConsentFactory(withdrawn=True)
    assert withdrawn.withdrawn_at is not None
    assert not has_consent(withdrawn.resident, Purpose.WORKER_SEES_NETWORK)
    assert AuditEvent.objects.filter(event="consent_given").count() == 3
    assert AuditEvent.objects.filter(event="consent_withdrawn").count() == 1
    assert verify_chain().ok


def test_audit_rows_are_appended_to_the_chain():
    resident, user = ResidentFactory(), UserFactory()
    viewed = AuditEventFactory(subject=resident, actor=user)
    login = AuditEventFactory(login=True, actor=user)
    system = AuditEventFactory(by_system=True, subject=resident, reason="anonymised")
    assert [viewed.sequence, login.sequence, system.sequence] == [1, 2, 3]
    assert login.prev_hash == viewed.hash and system.prev_hash == login.hash
    assert viewed.subject_id == str(resident.pk) and viewed.municipality_code == "GM0363"
    assert (login.event, login.subject_id) == ("login", "")
    assert viewed.actor_id == login.actor_id == user.pk and system.actor_id is None
    assert AuditEventFactory().actor_id is not None  # a new user by default
    assert verify_chain().ok and verify_chain().rows == 4
