"""The runs of the one schedule (``lib.schedule``).

A ``ScheduledRun`` row is the claim on one occurrence of one job: it is inserted before the
job runs, and its unique (job, occurrence) pair means that of several workers or cron hosts
only one runs it. It records who claimed it, the task it enqueued, and how it ended.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One occurrence of job ``job`` (a name in ``lib.schedule``), due at ``occurrence``."""

    job = models.CharField(_("taak"), max_length=50)
    occurrence = models.DateTimeField(_("gepland op"))
    claimed_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    claimed_by = models.CharField(_("door"), max_length=100, blank=True)
    task_id = models.CharField(_("taak in de wachtrij"), max_length=64, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=200, blank=True)
    succeeded = models.BooleanField(_("gelukt"), null=True)

    class Meta:
        verbose_name = _("geplande run")
        verbose_name_plural = _("geplande runs")
        ordering = ["-occurrence"]
        constraints = [
            models.UniqueConstraint(fields=["job", "occurrence"], name="scheduled_run_once")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.occurrence:%Y-%m-%d %H:%M}"
