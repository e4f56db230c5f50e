"""The only way views obtain notifications: a person sees their own, nobody else's."""

from django.http import Http404

from socialebasis.notifications.models import Notification, NotificationPreference


def notifications_for_user(user):
    """The notifications of account ``user``, newest first (an empty queryset for an
    anonymous user)."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at")


def access_notification_for_user(user, notification_id) -> Notification:
    """``user``'s own notification ``notification_id``; Http404 for anyone else's, an
    unknown id or a malformed one (so nobody learns which ids exist)."""
    found = notifications_for_user(user).filter(pk=notification_id).first()
    if found is None:
        raise Http404
    return found


def email_choices_for_user(user) -> dict[str, bool]:
    """``kind -> wants e-mail`` for the kinds ``user`` chose explicitly."""
    rows = NotificationPreference.objects.filter(user=user).values_list("kind", "email")
    return dict(rows)


def notification_for_delivery(notification_id) -> Notification | None:
    """The notification the worker is to mail (with its recipient), or None when it is gone
    (erased or past retention since it was enqueued). Only for ``tasks``."""
    return Notification.objects.select_related("recipient").filter(pk=notification_id).first()
