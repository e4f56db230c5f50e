"""Issue 8, "Administrators": an administrator cannot give themself a role that opens
personal data (and so read a resident's file); such a grant, for anyone, is a request that a
second administrator approves; the first use of the new role shows up in the privacy
officer's audit view. Through the real admin URLs."""

import pytest
from django.core.exceptions import PermissionDenied

from socialebasis.accounts import actions
from socialebasis.accounts.constants import Role, personal_data_roles
from socialebasis.accounts.exceptions import ApprovalRequired, GrantNotPending, SelfGrantRefused
from socialebasis.accounts.models import Membership, RoleGrant, User
from socialebasis.accounts.tests.factories import MembershipFactory
from socialebasis.audit.models import AuditEvent
from socialebasis.testing.personas import force_login_verified

pytestmark = pytest.mark.django_db

MEMBERSHIP_ADD = "/beheer/accounts/membership/add/"
GRANTS = "/beheer/accounts/rolegrant/"


@pytest.fixture
def admin_a(db):
    return User.objects.create_superuser("beheer-a@example.org", "een-lang-wachtwoord-42")


@pytest.fixture
def admin_b(db):
    return User.objects.create_superuser("beheer-b@example.org", "een-lang-wachtwoord-42")


def _add_privacy_officer(client, user, amsterdam):
    return client.post(
        MEMBERSHIP_ADD,
        {"user": str(user.pk), "role": Role.PRIVACY_OFFICER, "municipality": str(amsterdam.pk)},
    )


def _decide(client, grant, action):
    return client.post(GRANTS, {"action": action, "_selected_action": [str(grant.pk)]}, follow=True)


def test_an_administrator_cannot_grant_themself_a_file_role(client, world, admin_a):
    force_login_verified(client, admin_a)
    response = _add_privacy_officer(client, admin_a, world["amsterdam"])
    assert response.status_code == 200
    assert "jezelf geen rol" in response.content.decode()
    # Nor in the roles table on their own user page.
    url = f"/beheer/accounts/user/{admin_a.pk}/change/"
    response = client.post(
        url,
        {
            "email": admin_a.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-role": Role.SOCIAL_WORKER,
            "memberships-0-municipality": str(world["amsterdam"].pk),
            "memberships-0-team": str(world["team"].pk),
        },
    )
    assert response.status_code == 200
    assert "jezelf geen rol" in response.content.decode()
    assert not Membership.objects.filter(user=admin_a).exists()
    assert not RoleGrant.objects.exists()
    # So the administrator role still gets 404 on files.
    assert client.get(f"/dossiers/{world['resident'].pk}/").status_code == 404


def test_a_grant_needs_a_second_administrator_and_its_first_use_is_seen(
    client, world, admin_a, admin_b
):
    amsterdam = world["amsterdam"]
    newcomer = User.objects.create_user("nieuw@example.org", "een-lang-wachtwoord-42")
    file_url = f"/dossiers/{world['resident'].pk}/"
    assert force_login_verified(client, newcomer).get(file_url).status_code == 404
    force_login_verified(client, admin_a)
    response = _add_privacy_officer(client, newcomer, amsterdam)
    assert response.status_code == 302 and response["Location"] == GRANTS
    grant = RoleGrant.objects.get()
    assert (grant.user, grant.role, grant.requested_by, grant.status) == (
        newcomer,
        Role.PRIVACY_OFFICER,
        admin_a,
        "pending",
    )
    assert not newcomer.memberships.exists()
    assert client.get(GRANTS).status_code == 200  # the pending grants, in the admin

    # The requester cannot approve it.
    response = _decide(client, grant, "approve")
    assert "een tweede beheerder beslist" in response.content.decode()
    grant.refresh_from_db()
    assert grant.status == "pending"
    assert not newcomer.memberships.exists()

    # A second administrator can.
    force_login_verified(client, admin_b)
    response = _decide(client, grant, "approve")
    assert response.status_code == 200
    grant.refresh_from_db()
    membership = newcomer.memberships.get(role=Role.PRIVACY_OFFICER)
    assert (grant.status, grant.decided_by, grant.membership) == ("approved", admin_b, membership)
    steps = AuditEvent.objects.filter(subject_id=str(grant.pk)).order_by("sequence")
    assert [(r.event, r.actor_id) for r in steps] == [
        ("role_requested", admin_a.pk),
        ("role_approved", admin_b.pk),
    ]
    granted = AuditEvent.objects.get(event="role_changed", subject_id=str(membership.pk))
    assert (granted.reason, granted.actor_id) == ("granted", admin_b.pk)

    # The grantee's first opening of a file writes role_first_use, once.
    force_login_verified(client, newcomer)
    assert client.get(file_url).status_code == 200
    assert client.get(f"{file_url}inzage/").status_code == 200  # the full export too
    first = AuditEvent.objects.get(event="role_first_use")
    assert (first.actor_id, first.subject_id, first.municipality_code, first.reason) == (
        newcomer.pk,
        str(membership.pk),
        amsterdam.code,
        Role.PRIVACY_OFFICER,
    )

    # The municipality's (other) privacy officer sees it in the audit view.
    officer = MembershipFactory(privacy_officer=True, municipality=amsterdam).user
    force_login_verified(client, officer)
    page = client.get("/privacy/audit/", {"event": "role_first_use"}).content.decode()
    assert "Nieuwe rol voor het eerst gebruikt" in page
    assert newcomer.email in page or newcomer.full_name in page


def test_a_file_role_is_not_widened_in_place(client, world, admin_a):
    force_login_verified(client, admin_a)
    worker = world["worker"]
    membership = worker.memberships.get()
    response = client.post(
        f"/beheer/accounts/membership/{membership.pk}/change/",
        {
            "user": str(admin_a.pk),  # hand the file role over to oneself
            "role": Role.SOCIAL_WORKER,
            "municipality": str(world["amsterdam"].pk),
            "team": str(world["team"].pk),
        },
    )
    assert response.status_code == 200 and "jezelf geen rol" in response.content.decode()
    response = client.post(
        f"/beheer/accounts/membership/{membership.pk}/change/",
        {
            "user": str(worker.pk),
            "role": Role.PRIVACY_OFFICER,  # a wider role for someone else
            "municipality": str(world["amsterdam"].pk),
        },
    )
    assert response.status_code == 200 and "wijzig je niet" in response.content.decode()
    membership.refresh_from_db()
    assert (membership.user, membership.role) == (worker, Role.SOCIAL_WORKER)
    # Narrowing is fine: a policy officer sees aggregates only.
    response = client.post(
        f"/beheer/accounts/membership/{membership.pk}/change/",
        {
            "user": str(worker.pk),
            "role": Role.POLICY_OFFICER,
            "municipality": str(world["amsterdam"].pk),
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.POLICY_OFFICER


def test_the_actions_refuse_every_shortcut(world, admin_a, admin_b):
    amsterdam, worker = world["amsterdam"], world["worker"]
    with pytest.raises(SelfGrantRefused):
        actions.do_grant_role(admin_a, Role.PRIVACY_OFFICER, amsterdam, acting_user=admin_a)
    with pytest.raises(ApprovalRequired):
        actions.do_grant_role(worker, Role.PRIVACY_OFFICER, amsterdam, acting_user=admin_a)
    with pytest.raises(ApprovalRequired):  # no acting user (a script) is no way around it
        actions.do_grant_role(worker, Role.PRIVACY_OFFICER, amsterdam, acting_user=None)
    with pytest.raises(SelfGrantRefused):
        actions.do_request_role_grant(admin_a, Role.PRIVACY_OFFICER, amsterdam, acting_user=admin_a)
    with pytest.raises(PermissionDenied):  # only administrators request
        actions.do_request_role_grant(worker, Role.PRIVACY_OFFICER, amsterdam, acting_user=worker)
    # A request for admin_b by admin_a: admin_b, the grantee, cannot approve it either.
    for_b = actions.do_request_role_grant(
        admin_b, Role.PRIVACY_OFFICER, amsterdam, acting_user=admin_a
    )
    assert (
        actions.do_request_role_grant(admin_b, Role.PRIVACY_OFFICER, amsterdam, acting_user=admin_a)
        == for_b
    )  # the same request again: the open one
    with pytest.raises(SelfGrantRefused):
        actions.do_approve_role_grant(for_b, acting_user=admin_b)
    with pytest.raises(SelfGrantRefused):
        actions.do_reject_role_grant(for_b, acting_user=admin_b)
    # The requester may withdraw it; then nobody approves it any more.
    actions.do_reject_role_grant(for_b, acting_user=admin_a)
    third = User.objects.create_superuser("beheer-c@example.org", "een-lang-wachtwoord-42")
    with pytest.raises(GrantNotPending):
        actions.do_approve_role_grant(for_b, acting_user=third)
    assert not admin_b.memberships.exists()
    assert AuditEvent.objects.filter(event="role_rejected", actor_id=admin_a.pk).count() == 1


def test_the_role_registry_flags_every_role_that_opens_files():
    from socialebasis.residents.access import MUNICIPALITY_ROLES, TEAM_ROLES

    assert set(TEAM_ROLES) | set(MUNICIPALITY_ROLES) <= personal_data_roles()
    assert Role.POLICY_OFFICER not in personal_data_roles()
    assert Role.ADMINISTRATOR not in personal_data_roles()
    assert Role.VOLUNTEER not in personal_data_roles()


def test_one_open_request_per_role_and_scope(world, admin_a):
    """Two requests made at the same moment: the database keeps one open (the action then
    returns that one)."""
    from django.db import IntegrityError, transaction

    worker, amsterdam = world["worker"], world["amsterdam"]
    fields = {"user": worker, "role": Role.PRIVACY_OFFICER, "municipality": amsterdam}
    RoleGrant.objects.create(requested_by=admin_a, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.create(requested_by=admin_a, **fields)
    RoleGrant.objects.create(requested_by=admin_a, status="rejected", **fields)  # decided: fine
