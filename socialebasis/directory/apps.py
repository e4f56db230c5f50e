from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "socialebasis.directory"
    verbose_name = _("Sociale kaart")

    def ready(self) -> None:
        from socialebasis.directory import events  # noqa: F401  (registers the audit events)
