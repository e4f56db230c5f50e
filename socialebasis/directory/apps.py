from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "socialebasis.directory"
    verbose_name = _("Sociale kaart")
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [("", "socialebasis.directory.urls")]

    def ready(self) -> None:
        # Error reports are personal data: protected, retention, export section.
        from socialebasis.directory import events, trust  # noqa: F401  (audit events; protected data)
        from socialebasis.directory.areas import register as register_with_areas

        # The facilities on the area pages; centroids and search index after a CBS import.
        register_with_areas()
