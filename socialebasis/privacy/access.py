"""Who may use the privacy officer's tools, and over which records.

- The audit viewer and its CSV: only users with the ``privacy_officer`` role, over the audit
  rows of the municipalities their memberships reach (their own, plus their region's when
  the membership has a regional setting). Rows without a municipality (logins, logouts)
  are in scope when the actor is a member or resident of such a municipality. Anyone else
  gets a 404. A privacy officer must have passed two-factor authentication.
- Recording consent on a resident's behalf, and handling a data-subject request (export,
  erasure) for a resident: a privacy officer whose memberships reach the resident's
  municipality (the file is opened through ``residents.access``, so the opening is audited).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from socialebasis.accounts.constants import Role
from socialebasis.accounts.models import Membership
from socialebasis.areas.models import Municipality
from socialebasis.audit.models import AuditEvent
from socialebasis.residents import access as resident_access
from socialebasis.residents.models import Resident

CONSENT_ON_BEHALF_ROLES = (Role.PRIVACY_OFFICER,)


def privacy_officer_municipality_ids(user) -> set:
    """The municipalities ``user`` is privacy officer for (with regional reach)."""
    if not user.is_authenticated:
        return set()
    ids: set = set()
    for membership in user.memberships.filter(role=Role.PRIVACY_OFFICER).select_related("region"):
        ids |= membership.municipality_ids()
    return ids


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    """The audit rows ``user`` may see as privacy officer. Http404 for anyone else;
    TwoFactorRequired when the session has not passed two-factor authentication."""
    municipality_ids = privacy_officer_municipality_ids(user)
    if not municipality_ids:
        raise Http404("Not a privacy officer")
    resident_access.require_professional_verified(user)
    codes = Municipality.objects.filter(pk__in=municipality_ids).values("code")
    members = Membership.objects.filter(municipality_id__in=municipality_ids).values("user_id")
    residents = Resident.objects.filter(
        municipality_id__in=municipality_ids, user__isnull=False
    ).values("user_id")
    return AuditEvent.objects.filter(
        Q(municipality_code__in=codes)
        | Q(municipality_code="", actor_id__in=members)
        | Q(municipality_code="", actor_id__in=residents)
    )


def may_record_consent_on_behalf(user, resident) -> bool:
    """Whether ``user`` may record or withdraw consent on ``resident``'s behalf."""
    return resident.municipality_id in privacy_officer_municipality_ids(user)


def access_resident_as_privacy_officer(user, resident_id, *, reason: str = "") -> Resident:
    """The resident file, for a privacy officer handling a data-subject request or recording
    consent on the resident's behalf. Http404 for anyone else (before anything is audited);
    the opening itself is audited by ``residents.access.access_resident_for_user``."""
    municipality_ids = privacy_officer_municipality_ids(user)
    if not municipality_ids:
        raise Http404("Not a privacy officer")
    if (
        not resident_access.residents_for_user(user)
        .filter(pk=resident_id, municipality_id__in=municipality_ids)
        .exists()
    ):
        raise Http404("No such resident")
    return resident_access.access_resident_for_user(user, resident_id, reason=reason)


access_resident_for_consent = access_resident_as_privacy_officer
