"""Read-side selectors of the notifications app."""

from socialebasis.notifications.models import Notification


def unread_count(user) -> int:
    """How many of ``user``'s notifications are unread (0 for an anonymous user); one
    indexed COUNT query."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
