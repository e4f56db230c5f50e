"""Notifications: what the platform tells a person, in the in-app list and by e-mail.

A ``Notification`` is created by ``actions.notify`` for an account (shown in its list at
``/meldingen/``, with the unread count in the page header) or for a contact without an
account (e-mail only: the address waits in this row, never in the task table). Its
``context`` holds the few plain values the kind's templates need (a title, a date, a
label), never a resident's file; ``url`` is the page in the platform where the person can
act on it. ``NotificationPreference`` records, per account and kind, whether the person
wants an e-mail as well.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socialebasis.lib.guard import ProtectedManager


class EmailStatus(models.TextChoices):
    NOT_WANTED = "not_wanted", _("geen e-mail gewenst")
    QUEUED = "queued", _("in de wachtrij")
    SENT = "sent", _("verstuurd")
    FAILED = "failed", _("mislukt")


class Notification(models.Model):
    """One message to one person. Exactly one of ``recipient`` (an account) and
    ``contact_email`` (a person without an account) is set; ``kind`` is a registered kind
    (``notifications.kinds``); ``language`` ("nl"/"en") is the language of its e-mail."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("ontvanger"),
    )
    contact_email = models.EmailField(_("e-mailadres (zonder account)"), blank=True)
    contact_name = models.CharField(_("naam (zonder account)"), max_length=200, blank=True)
    language = models.CharField(_("taal"), max_length=8, default="nl")
    kind = models.CharField(_("soort"), max_length=50)
    context = models.JSONField(_("inhoud"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=12, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED
    )
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"
        ordering = ["-created_at"]
        verbose_name = pgettext_lazy("notifications", "melding")
        verbose_name_plural = pgettext_lazy("notifications", "meldingen")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(recipient__isnull=False, contact_email="")
                    | models.Q(recipient__isnull=True) & ~models.Q(contact_email="")
                ),
                name="notification_account_or_contact",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class NotificationPreference(models.Model):
    """Whether ``user`` wants an e-mail for notifications of ``kind`` (no row: the kind's
    default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("gebruiker"),
    )
    kind = models.CharField(_("soort"), max_length=50)
    email = models.BooleanField(_("ook per e-mail"))
    changed_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"
        verbose_name = _("voorkeur voor meldingen")
        verbose_name_plural = _("voorkeuren voor meldingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'e-mail' if self.email else '-'}"
