"""The audit app's own events (accounts, consent, records, retention) and the registry every
app adds its events to.

Each event has exactly one writer function (``audit.events`` for these; a domain app writes
its own in its ``actions.py`` through ``audit.events.append``). The column stores the name
only, so a new event needs no ``audit`` migration: an app calls ``register_event`` from its
``AppConfig.ready`` (see ``docs/add-an-app.md``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.lib.registry import Vocabulary

# Names are stored in AuditEvent.event (max_length 30).
EVENTS = Vocabulary("audit event", max_length=30)


def register_event(name: str, label, *, app: str = "") -> str:
    """Declare audit event ``name`` with its (translatable) ``label``; returns ``name``.
    ValueError when the name is malformed or already taken with another label."""
    return EVENTS.register(name, label, app=app)


class EventType(models.TextChoices):
    RECORD_VIEWED = "record_viewed", _("Dossier bekeken")
    RECORD_CREATED = "record_created", _("Dossier aangemaakt")
    RECORD_CHANGED = "record_changed", _("Dossier gewijzigd")
    RECORD_ERASED = "record_erased", _("Dossier gewist")
    RECORD_ANONYMISED = "record_anonymised", _("Dossier geanonimiseerd")
    EXPORT_MADE = "export_made", _("Export gemaakt")
    CONSENT_GIVEN = "consent_given", _("Toestemming gegeven")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Toestemming ingetrokken")
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOGOUT = "logout", _("Uitgelogd")
    LOGOUT_EVERYWHERE = "logout_everywhere", _("Overal uitgelogd")
    LOCKED_OUT = "locked_out", _("Geblokkeerd na mislukte pogingen")
    PASSWORD_CHANGED = "password_changed", _("Wachtwoord gewijzigd")
    EMAIL_VERIFIED = "email_verified", _("E-mailadres bevestigd")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Tweestapsverificatie aangezet")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Tweestapsverificatie uitgezet")
    RECOVERY_CODE_USED = "recovery_code_used", _("Herstelcode gebruikt")
    ROLE_CHANGED = "role_changed", _("Rol gewijzigd")
    ROLE_REQUESTED = "role_requested", _("Rol aangevraagd (wacht op tweede beheerder)")
    ROLE_APPROVED = "role_approved", _("Rolaanvraag goedgekeurd")
    ROLE_REJECTED = "role_rejected", _("Rolaanvraag afgewezen")
    ROLE_FIRST_USE = "role_first_use", _("Nieuwe rol voor het eerst gebruikt")
    RETENTION_APPLIED = "retention_applied", _("Bewaartermijn toegepast")
    ERASURE_REQUESTED = "erasure_requested", _("Verzoek om wissen")
    AUDIT_EXPORTED = "audit_exported", _("Auditlog geëxporteerd")
    REGISTRATION_REPEATED = "registration_repeated", _("Opnieuw geregistreerd met bestaand adres")
    # Appended by migration 0004 after the rows from before keyed hashes: seals them.
    AUDIT_CHAIN_KEYED = "audit_chain_keyed", _("Auditlog voortaan met sleutel ondertekend")


for _member in EventType:
    register_event(_member.value, _member.label, app="audit")
