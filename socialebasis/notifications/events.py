"""The notifications app's audit events. Creating a notification and marking it read are
not audited: a notification is the consequence of an audited action, and reading it is the
recipient's own business; a change of someone's mail choices is."""

from django.utils.translation import gettext_lazy as _

from socialebasis.audit import events
from socialebasis.audit.constants import register_event

APP = "notifications"
PREFERENCES_CHANGED = register_event(
    "notification_prefs_changed", _("Keuzes voor meldingen gewijzigd"), app=APP
)


def preferences_changed(actor, user, *, kinds: list[str]):
    """The kinds whose mail choice changed (names of kinds, no content)."""
    return events.append(PREFERENCES_CHANGED, actor, user, fields=kinds)
