"""The only way views, the API and commands obtain residents' files.

Who may open a resident's file (the permission matrix in docs/privacy.md):
- the resident themself (their own account);
- a social worker or team lead of a team that covers the resident's district, in the
  resident's municipality (or a municipality of the membership's region);
- a privacy officer of the resident's municipality (for data-subject requests and consent
  on the resident's behalf);
- nobody else: not policy officers (aggregates only), administrators, volunteers, or anyone
  of another municipality. Denied access is a 404, so the answer never reveals that a record
  exists.
Professionals must have passed two-factor authentication in this session first
(``TwoFactorRequired``). Every opening by a professional is audited (``record_viewed``).
The scoping rule is ``accounts.scoping.scope_q``, shared with every app holding residents'
data.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from socialebasis.accounts.actions import do_record_role_use
from socialebasis.accounts.constants import Role
from socialebasis.accounts.scoping import municipality_ids_for_role, scope_q
from socialebasis.accounts.twofactor import require_two_factor
from socialebasis.audit import events
from socialebasis.residents.models import Resident

TEAM_ROLES = (Role.SOCIAL_WORKER, Role.TEAM_LEAD)
MUNICIPALITY_ROLES = (Role.PRIVACY_OFFICER,)


def residents_for_user(user) -> QuerySet[Resident]:
    """Every resident file ``user`` may open (not audited: use for lists of names only
    where the matrix allows, never to show a file)."""
    if not user.is_authenticated:
        return Resident.objects.none()
    allowed = Q(user_id=user.pk) | scope_q(
        user, team_roles=TEAM_ROLES, municipality_roles=MUNICIPALITY_ROLES
    )
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
        require_two_factor(user)
        events.record_viewed(user, resident, reason=reason)
        # A role granted recently: its first use goes to the privacy officer's audit view.
        do_record_role_use(user, {resident.municipality_id}, acting_user=user)
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


def may_record_consent_on_behalf(user, resident) -> bool:
    """Whether ``user`` may record or withdraw consent on ``resident``'s behalf (a privacy
    officer of the resident's municipality)."""
    return resident.municipality_id in municipality_ids_for_role(user, Role.PRIVACY_OFFICER)


def access_resident_as_privacy_officer(user, resident_id, *, reason: str = "") -> Resident:
    """The resident file, for a privacy officer handling a data-subject request or recording
    consent on the resident's behalf. Http404 for anyone else (before anything is audited);
    the opening itself is audited by ``access_resident_for_user``."""
    municipality_ids = municipality_ids_for_role(user, Role.PRIVACY_OFFICER)
    if not municipality_ids:
        raise Http404("Not a privacy officer")
    try:
        reachable = (
            residents_for_user(user)
            .filter(pk=resident_id, municipality_id__in=municipality_ids)
            .exists()
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such resident") from exc
    if not reachable:
        raise Http404("No such resident")
    return access_resident_for_user(user, resident_id, reason=reason)


def access_resident_for_correction(user, resident_id, *, reason: str = "") -> Resident:
    """The resident file, for a professional who corrects it (AVG art. 16): whoever may open
    it as a professional (her social worker or team lead, the privacy officer). Http404 for
    the resident herself (she corrects her account details on ``/mijn-gegevens/`` and asks
    her social worker to correct the file), for an anonymised file and for anyone who may not
    open it, before anything is audited; the opening itself is audited by
    ``access_resident_for_user``."""
    try:
        correctable = (
            residents_for_user(user)
            .filter(pk=resident_id, anonymised_at__isnull=True)
            .exclude(user_id=user.pk)
            .exists()
        )
    except (ValidationError, ValueError, TypeError) as exc:
        raise Http404("No such resident") from exc
    if not correctable:
        raise Http404("No such resident")
    return access_resident_for_user(user, resident_id, reason=reason)


def user_ids_of_residents_in(municipality_ids) -> QuerySet:
    """User ids of residents with an account in these municipalities (for the privacy
    officer's audit scope: logins of the municipality's own residents)."""
    return Resident.objects.filter(municipality_id__in=municipality_ids, user__isnull=False).values(
        "user_id"
    )
