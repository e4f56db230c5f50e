"""Who may use the privacy officer's tools, and over which records.

The audit viewer and its CSV: only users with the ``privacy_officer`` role, over the audit
rows of the municipalities their memberships reach (their own, plus their region's when the
membership has a regional setting). Rows without a municipality (logins, logouts) are in
scope when the actor is a member of such a municipality, or one of its people as an app
registered them (``privacy.registry.register_people_of_municipality``: residents adds the
accounts of its residents). Anyone else gets a 404. A privacy officer must have passed
two-factor authentication.

Handling a data-subject request for one resident is the residents app's
(``residents.access.access_resident_as_privacy_officer``).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from socialebasis.accounts.actions import do_record_role_use
from socialebasis.accounts.constants import Role
from socialebasis.accounts.models import Membership
from socialebasis.accounts.scoping import municipality_ids_for_role
from socialebasis.accounts.twofactor import require_two_factor
from socialebasis.areas.models import Municipality
from socialebasis.audit.models import AuditEvent
from socialebasis.privacy.registry import people_of_municipalities


def privacy_officer_municipality_ids(user) -> set:
    """The municipalities ``user`` is privacy officer for (with regional reach)."""
    return municipality_ids_for_role(user, Role.PRIVACY_OFFICER)


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    """The audit rows ``user`` may see as privacy officer. Http404 for anyone else;
    TwoFactorRequired when the session has not passed two-factor authentication."""
    municipality_ids = privacy_officer_municipality_ids(user)
    if not municipality_ids:
        raise Http404("Not a privacy officer")
    require_two_factor(user)
    do_record_role_use(user, municipality_ids, acting_user=user)  # a new role's first use
    codes = Municipality.objects.filter(pk__in=municipality_ids).values("code")
    members = Membership.objects.filter(municipality_id__in=municipality_ids).values("user_id")
    without_municipality = Q(municipality_code="", actor_id__in=members)
    for user_ids in people_of_municipalities(municipality_ids):
        without_municipality |= Q(municipality_code="", actor_id__in=user_ids)
    return AuditEvent.objects.filter(Q(municipality_code__in=codes) | without_municipality)
