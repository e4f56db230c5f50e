"""Background work of the privacy app: the daily retention run, on the one schedule
(``lib.schedule``; the worker or cron runs it, see docs/deploy.md)."""

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from socialebasis.lib.schedule import register_job
from socialebasis.privacy.retention import apply_retention


@task()
def apply_retention_task() -> str:
    """Apply every retention policy now; returns "N rows" handled (the audit log has which)."""
    results = apply_retention()
    return f"{sum(len(result.ids) for result in results)} rows"


register_job(
    "apply_retention",
    apply_retention_task,
    "FREQ=DAILY;BYHOUR=3;BYMINUTE=30",
    _("Bewaartermijnen toepassen: verwijderen of anonimiseren wat over zijn termijn is"),
    app="privacy",
)
