from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the platform: the production server (``socialebasis serve``), the health
    endpoints ``/healthz`` and ``/readyz``, and structured logs of requests and tasks."""

    name = "socialebasis.ops"
    label = "ops"
    verbose_name = _("Beheer en bedrijfsvoering")

    def ready(self):
        from socialebasis.ops import logs

        logs.connect_task_signals()
