"""Roles of the platform. A user can hold several, each scoped to a municipality.

Roles are a registry (``ROLES``): the roles every deployment has are declared here, and a
sphere app may register its own from its ``AppConfig.ready`` with ``register_role``; the
membership row stores the name only, so a new role needs no ``accounts`` migration. A role
with ``professional=True`` works with other people's data: it needs two-factor
authentication before it can open personal data, and its sessions expire after inactivity.
A role with ``opens_personal_data=True`` reaches other people's records (files, networks,
members) through an app's ``access.py``: granting it takes two administrators (a request and
another one's approval, ``accounts.actions.do_request_role_grant``), nobody grants it to
themself, and its first use is audited (``role_first_use``). It defaults to ``professional``,
so a new professional role is guarded unless its app declares that it sees no personal data.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.registry import Vocabulary

# Names are stored in Membership.role (max_length 30).
ROLES = Vocabulary("role", max_length=30)


def register_role(
    name: str,
    label,
    *,
    professional: bool,
    opens_personal_data: bool | None = None,
    app: str = "",
) -> str:
    """Declare role ``name``; returns it. ``opens_personal_data`` defaults to
    ``professional``. ValueError for a malformed or taken name."""
    if opens_personal_data is None:
        opens_personal_data = professional
    return ROLES.register(
        name,
        label,
        app=app,
        professional=professional,
        opens_personal_data=opens_personal_data,
    )


def professional_roles() -> frozenset[str]:
    """The names of every registered role that works with other people's data."""
    return ROLES.names(professional=True)


def personal_data_roles() -> frozenset[str]:
    """The names of every registered role that opens other people's personal data (four
    eyes to grant it, never to oneself)."""
    return ROLES.names(opens_personal_data=True)


class Role(models.TextChoices):
    RESIDENT = "resident", _("Inwoner")
    VOLUNTEER = "volunteer", _("Vrijwilliger")
    COMMUNITY_ORGANISER = "community_organiser", _("Organisator gemeenschap")
    ACCOMMODATION_MANAGER = "accommodation_manager", _("Beheerder accommodatie")
    SOCIAL_WORKER = "social_worker", _("Sociaal werker")
    TEAM_LEAD = "team_lead", _("Teamleider")
    POLICY_OFFICER = "policy_officer", _("Beleidsmedewerker")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMINISTRATOR = "administrator", _("Beheerder")


_NOT_PROFESSIONAL = {Role.RESIDENT, Role.VOLUNTEER}
# Professional roles that see no one's personal data: policy officers get aggregates only,
# the administrator role manages the social map and accounts (404 on files).
_NO_PERSONAL_DATA = {Role.POLICY_OFFICER, Role.ADMINISTRATOR}
for _role in Role:
    _professional = _role not in _NOT_PROFESSIONAL
    register_role(
        _role.value,
        _role.label,
        professional=_professional,
        opens_personal_data=_professional and _role not in _NO_PERSONAL_DATA,
        app="accounts",
    )
