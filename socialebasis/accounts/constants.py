"""Roles of the platform. A user can hold several, each scoped to a municipality."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


# Roles that work with other people's data: they need two-factor authentication before they
# can open personal data, and their sessions expire after inactivity.
PROFESSIONAL_ROLES = frozenset(
    {
        Role.COMMUNITY_ORGANISER,
        Role.ACCOMMODATION_MANAGER,
        Role.SOCIAL_WORKER,
        Role.TEAM_LEAD,
        Role.POLICY_OFFICER,
        Role.PRIVACY_OFFICER,
        Role.ADMINISTRATOR,
    }
)
