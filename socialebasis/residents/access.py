"""The only way views, the API and commands obtain residents' files.

Who may open a resident's file (the permission matrix in docs/privacy.md):
- the resident themself (their own account);
- a social worker or team lead of a team that covers the resident's district, in the
  resident's municipality (or a municipality of the membership's region);
- a privacy officer of the resident's municipality (for data-subject requests);
- nobody else: not policy officers (aggregates only), administrators, volunteers, or anyone
  of another municipality. Denied access is a 404, so the answer never reveals that a record
  exists.
Professionals must have passed two-factor authentication in this session first
(``TwoFactorRequired``). Every opening by a professional is audited (``record_viewed``).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from socialebasis.accounts.constants import Role
from socialebasis.accounts.exceptions import TwoFactorRequired  # noqa: F401  (re-exported)
from socialebasis.audit import events
from socialebasis.residents.models import Resident

TEAM_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_LEAD)


def is_two_factor_verified(user) -> bool:
    """Whether this session passed two-factor authentication (django-otp)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def residents_for_user(user) -> QuerySet[Resident]:
    """Every resident file ``user`` may open (not audited: use for lists of names only
    where the matrix allows, never to show a file)."""
    if not user.is_authenticated:
        return Resident.objects.none()
    allowed = Q(user_id=user.pk)
    for membership in user.memberships.select_related("team", "region"):
        municipalities = membership.municipality_ids()
        if membership.role in TEAM_ROLES and membership.team_id:
            allowed |= Q(
                municipality_id__in=municipalities,
                neighbourhood__district__in=membership.team.districts.all(),
            )
        elif membership.role == Role.PRIVACY_OFFICER:
            allowed |= Q(municipality_id__in=municipalities)
    return Resident.objects.filter(allowed).distinct()


def access_resident_for_user(user, resident_id, *, reason: str = "") -> Resident:
    """The resident file ``resident_id`` for ``user``; audits the opening by a professional.

    Raises Http404 when it does not exist or the user may not see it, and TwoFactorRequired
    when a professional has not passed two-factor authentication in this session.
    """
    try:
        resident = residents_for_user(user).select_related("municipality").get(pk=resident_id)
    except (Resident.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such resident") from exc
    if resident.user_id != user.pk:
        if not is_two_factor_verified(user):
            raise TwoFactorRequired("two-factor authentication required")
        events.record_viewed(user, resident, reason=reason)
    return resident


def own_resident_for_user(user) -> Resident:
    """The resident file linked to ``user``'s own account (for the resident's own pages:
    not audited, no two-factor needed). Http404 when the account has no file."""
    if not user.is_authenticated:
        raise Http404("No resident file")
    resident = (
        Resident.objects.filter(user_id=user.pk, anonymised_at__isnull=True)
        .select_related("municipality", "neighbourhood", "user")
        .first()
    )
    if resident is None:
        raise Http404("No resident file")
    return resident


def require_professional_verified(user) -> None:
    """Lists of residents' names are personal data too: a professional sees them only after
    two-factor authentication in this session."""
    if not is_two_factor_verified(user):
        raise TwoFactorRequired("two-factor authentication required")
