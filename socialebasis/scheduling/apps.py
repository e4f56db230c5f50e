from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "socialebasis.scheduling"
    verbose_name = _("Geplande taken")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Record how an enqueued job ended when the worker finishes its task.
        from socialebasis.scheduling import signals  # noqa: F401
