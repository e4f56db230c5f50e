"""The notifications app's rows of the permission matrix: everyone logged in has their own
list and mail choices; a notification opens only for its recipient (Fatima's, made in
``url_values``), 404 for anyone else."""

from socialebasis.testing.permission_matrix import (
    NOT_ALLOWED,
    NOT_FOUND,
    NOTIFICATIONS,
    OK,
    TO_LOGIN,
    Entry,
    row,
)

MINE = row(OK, anonymous=TO_LOGIN)

MATRIX = {
    "notifications:list": Entry(MINE, note="one's own notifications only", group=NOTIFICATIONS),
    "notifications:open": Entry(
        row(NOT_FOUND, anonymous=TO_LOGIN, resident="302→mydata:consents"),
        note="marks one's own notification read and goes where it leads; 404 for others'",
        group=NOTIFICATIONS,
    ),
    "notifications:mark_all_read": Entry(
        row(NOT_ALLOWED),
        post=row("302→notifications:list", anonymous=TO_LOGIN),
        note="POST only; one's own",
        group=NOTIFICATIONS,
    ),
    "notifications:preferences": Entry(
        MINE,
        post=row("302→notifications:preferences", anonymous=TO_LOGIN),
        note="mail choices per kind, audited",
        group=NOTIFICATIONS,
    ),
}


def url_values(param, key, world):
    if param != "notification_id":
        return None
    found = getattr(world, "_fatima_notification", None)
    if found is None:
        from socialebasis.notifications.actions import notify
        from socialebasis.residents.constants import CONSENT_ON_BEHALF

        found = notify(
            world.personas["resident"].user,
            CONSENT_ON_BEHALF,
            {"purpose": "worker_sees_network", "given": True},
            url="/mijn-gegevens/toestemmingen/",
        )
        object.__setattr__(world, "_fatima_notification", found)
    return found.pk
