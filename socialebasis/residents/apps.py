from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "socialebasis.residents"
    verbose_name = _("Inwoners")
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [
        ("dossiers/", "socialebasis.residents.urls"),
        ("mijn-gegevens/", "socialebasis.residents.urls_mydata"),
    ]

    def ready(self) -> None:
        # Protected models, subject types, purposes, retention, export sections, hooks.
        from socialebasis.residents import trust  # noqa: F401
