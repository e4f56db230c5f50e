from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Hardening that belongs to no domain app: security.txt, the answer to a rate-limited
    request, the shared cache table and deploy checks of our own."""

    name = "socialebasis.security"
    label = "security"
    verbose_name = _("Beveiliging")

    def ready(self):
        from socialebasis.security import checks  # noqa: F401  (registers the checks)
