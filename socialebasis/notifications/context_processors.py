"""The unread count in the page header: one COUNT query, only on pages that show it (the
value is lazy) and only for a logged-in person."""

from django.utils.functional import SimpleLazyObject

from socialebasis.notifications.queries import unread_count


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
