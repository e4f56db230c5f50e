"""Every write of the notifications app, and ``notify``: the one function every app calls to
tell a person something.

``notify(user_or_contact, kind, context, url=...)`` stores the notification (the in-app list
of an account) and, when the person wants e-mail for that kind, enqueues its mail on the
background queue (``tasks.send_notification_email``): the mail is never sent inside the
request, and it is retried with back-off when the mail server fails. The task row holds only
the notification's id. Because the queue is in the same database, the mail is enqueued in
the caller's transaction: if that transaction rolls back, neither the notification nor its
mail exists.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from socialebasis.notifications import events
from socialebasis.notifications.access import email_choices_for_user
from socialebasis.notifications.kinds import all_kinds, get_kind
from socialebasis.notifications.models import EmailStatus, Notification, NotificationPreference
from socialebasis.privacy.actions import ANONYMISED_EMAIL_DOMAIN


@dataclass(frozen=True)
class Contact:
    """A person without an account (a volunteer reached by e-mail, an organiser of a group):
    ``email`` is required; ``name`` is used in the greeting; ``language`` "nl" or "en"."""

    email: str
    name: str = ""
    language: str = "nl"


def wants_email(user, kind: str) -> bool:
    """Whether account ``user`` gets mail for ``kind``: their own choice, else the kind's
    default; never for an account without a usable address."""
    if not user.email or user.email.endswith("@" + ANONYMISED_EMAIL_DOMAIN):
        return False
    return email_choices(user)[kind]


def email_choices(user) -> dict[str, bool]:
    """``kind -> wants e-mail`` for every registered kind: ``user``'s choice, else the
    kind's default."""
    chosen = email_choices_for_user(user)
    return {k.name: chosen.get(k.name, k.email_by_default) for k in all_kinds()}


def notify(user_or_contact, kind: str, context: dict | None = None, *, url: str = ""):
    """Tell ``user_or_contact`` (an account, or a ``Contact``) about something of ``kind``.

    ``context`` holds plain JSON values for the kind's templates (no resident's file, no
    special-category data in a kind that is not ``about_resident``); ``url`` is a path in
    the platform ("/dossiers/...") where the person can act. Returns the ``Notification``,
    or None for an inactive account (a deactivated person is not written to).

    Raises KeyError for an unregistered kind; ValueError for a kind ``about_resident`` sent
    to a contact (they cannot log in, so could never read it), a ``url`` that leaves the
    site, or a contact without a valid e-mail address.
    """
    from socialebasis.notifications.tasks import send_notification_email

    found = get_kind(kind)
    if url and not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise ValueError(f"notification url must be a path in the platform, not {url!r}")
    notification = Notification(kind=kind, context=context or {}, url=url)
    if isinstance(user_or_contact, Contact):
        if found.about_resident:
            raise ValueError(f"kind {kind!r} is about a resident: only for an account")
        try:
            validate_email(user_or_contact.email)
        except ValidationError as exc:
            raise ValueError("a contact needs a valid e-mail address") from exc
        notification.contact_email = user_or_contact.email
        notification.contact_name = user_or_contact.name
        notification.language = user_or_contact.language
        mail = True
    else:
        if not user_or_contact.is_active:
            return None
        notification.recipient = user_or_contact
        # The account's chosen language for mail; without one, the site's default (Dutch).
        notification.language = user_or_contact.language or settings.LANGUAGE_CODE
        mail = wants_email(user_or_contact, kind)
    if mail:
        notification.email_status = EmailStatus.QUEUED
    with transaction.atomic():
        notification.save()
        if mail:
            send_notification_email.enqueue(str(notification.pk))
    return notification


def record_email_outcome(notification: Notification, status: str) -> None:
    """The worker's record of its send: ``EmailStatus.SENT`` (with the time) or ``FAILED``."""
    fields = {"email_status": status}
    if status == EmailStatus.SENT:
        fields["emailed_at"] = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(**fields)


def do_mark_read(notification: Notification, *, acting_user) -> Notification:
    """Mark ``notification`` (obtained through ``access``) read by its recipient; a second
    call keeps the first time. Not audited (see ``events``)."""
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def do_mark_all_read(*, acting_user) -> int:
    """Mark every unread notification of ``acting_user`` read; returns how many."""
    return Notification.objects.filter(recipient=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def do_set_email_choices(user, choices: dict[str, bool], *, acting_user) -> list[str]:
    """Store ``user``'s mail choice per kind (``kind -> wants e-mail``); returns the kinds
    that changed and audits them (names only). KeyError for an unknown kind."""
    for kind in choices:
        get_kind(kind)
    current = email_choices(user)
    changed = sorted(kind for kind, wanted in choices.items() if current.get(kind) != wanted)
    if not changed:
        return []
    with transaction.atomic():
        for kind in changed:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": choices[kind]}
            )
        events.preferences_changed(acting_user, user, kinds=changed)
    return changed


def delete_for_account(user) -> int:
    """Remove ``user``'s notifications and choices (erasure, anonymisation of an account);
    returns how many rows went."""
    notes, _ = Notification.objects.filter(recipient=user).delete()
    prefs, _ = NotificationPreference.objects.filter(user=user).delete()
    return notes + prefs
