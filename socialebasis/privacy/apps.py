from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "socialebasis.privacy"
    verbose_name = _("Privacy")
    # Pages, mounted by the root URLconf under the language prefix.
    urls = [("", "socialebasis.privacy.urls")]

    def ready(self) -> None:
        # The register of personal data: retention policies and data-subject sections.
        from socialebasis.privacy import (
            policies,  # noqa: F401
            tasks,  # noqa: F401  (the daily retention job)
        )
