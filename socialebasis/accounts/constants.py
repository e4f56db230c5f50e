"""Roles of the platform. A user can hold several, each scoped to a municipality.

Roles are a registry (``ROLES``): the roles every deployment has are declared here, and a
sphere app may register its own from its ``AppConfig.ready`` with ``register_role``; the
membership row stores the name only, so a new role needs no ``accounts`` migration. A role
with ``professional=True`` works with other people's data: it needs two-factor
authentication before it can open personal data, and its sessions expire after inactivity.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.registry import Vocabulary

# Names are stored in Membership.role (max_length 30).
ROLES = Vocabulary("role", max_length=30)


def register_role(name: str, label, *, professional: bool, app: str = "") -> str:
    """Declare role ``name``; returns it. ValueError for a malformed or taken name."""
    return ROLES.register(name, label, app=app, professional=professional)


def professional_roles() -> frozenset[str]:
    """The names of every registered role that works with other people's data."""
    return ROLES.names(professional=True)


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
for _role in Role:
    register_role(
        _role.value, _role.label, professional=_role not in _NOT_PROFESSIONAL, app="accounts"
    )
