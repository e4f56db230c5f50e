"""What the notifications app declares to the trust layer (imported by
``NotificationsConfig.ready``): protected models, audit subject types, retention, the
section of a resident's export and erasure, and unlinking an anonymised account.

Retention: a notification is deleted six months after it was made (read or not): it only
points to something that lives elsewhere with its own term, and a contact's address should
not wait longer than needed. Mail choices go with the account.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socialebasis.lib.protected import register_protected
from socialebasis.notifications.actions import delete_for_account
from socialebasis.notifications.emails import message_of, subject_of
from socialebasis.notifications.models import Notification
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import (
    ResidentDataSection,
    register_account_unlinker,
    register_resident_data,
    register_subject_type,
)
from socialebasis.privacy.retention import RetentionPolicy, register

NOTIFICATION_MONTHS = 6

register_protected("notifications.Notification", accessors=("notifications",))
register_protected("notifications.NotificationPreference", accessors=("notification_preferences",))
register_subject_type(
    "notifications.notification", pgettext_lazy("notifications", "Melding"), app="notifications"
)


def _due_notifications(cutoff):
    return Notification.objects.filter(created_at__lt=cutoff)


register(
    RetentionPolicy(
        model="notifications.Notification",
        months=NOTIFICATION_MONTHS,
        action=RetentionAction.DELETE,
        basis=_("aanmaak"),
        due=_due_notifications,
        note=_(
            "Een melding verwijst naar iets dat elders met een eigen termijn wordt bewaard; "
            "ook het e-mailadres van iemand zonder account gaat dan weg."
        ),
    )
)
register(
    RetentionPolicy(
        model="notifications.NotificationPreference",
        months=None,
        action=RetentionAction.WITH_RESIDENT,
        basis=_("het account"),
        note=_("Keuzes voor e-mail verdwijnen met het account."),
    )
)


def _export(resident) -> list[dict]:
    if not resident.user_id:
        return []
    return [
        {
            "kind": n.kind,
            "subject": subject_of(n),
            "message": message_of(n),
            "created_at": n.created_at,
            "read_at": n.read_at,
            "email_status": n.email_status,
        }
        for n in Notification.objects.filter(recipient_id=resident.user_id)
    ]


def _erase(resident) -> int:
    return delete_for_account(resident.user) if resident.user_id else 0


register_resident_data(
    ResidentDataSection(
        key="notifications",
        label=pgettext_lazy("notifications", "Meldingen"),
        fields=[
            ("subject", _("Onderwerp")),
            ("message", _("Tekst")),
            ("created_at", _("Gemaakt op")),
            ("read_at", _("Gelezen op")),
            ("email_status", _("E-mail")),
        ],
        export=_export,
        erase=_erase,
    )
)
register_account_unlinker(delete_for_account)
