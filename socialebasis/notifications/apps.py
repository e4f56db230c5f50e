from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NotificationsConfig(AppConfig):
    name = "socialebasis.notifications"
    verbose_name = pgettext_lazy("notifications", "Meldingen")
    default_auto_field = "django.db.models.BigAutoField"
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [("meldingen/", "socialebasis.notifications.urls")]

    def ready(self) -> None:
        # Protected models, audit events, retention, the export section, account unlinking.
        from socialebasis.notifications import trust  # noqa: F401
