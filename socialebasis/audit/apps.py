from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "socialebasis.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # The audit app's own events, and its log as protected data (read through
        # privacy.access by the privacy officer; written only by audit.events).
        from socialebasis.audit import checks, constants, tasks  # noqa: F401  (tasks: the anchor job)
        from socialebasis.lib.protected import register_protected

        register_protected("audit.AuditEvent")
