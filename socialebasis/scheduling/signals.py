"""When the worker finishes a task that a scheduled run enqueued, record how it ended."""

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished

from socialebasis.scheduling.models import ScheduledRun


def outcome_of(task_result) -> tuple[bool, str]:
    """(succeeded, short text) of a finished task result."""
    if task_result.status == TaskResultStatus.SUCCESSFUL:
        return True, str(task_result.return_value)
    errors = task_result.errors or []
    return False, errors[-1].exception_class_path if errors else "failed"


@receiver(task_finished)
def _record_scheduled_run(sender, task_result, **kwargs):
    succeeded, text = outcome_of(task_result)
    ScheduledRun.objects.filter(task_id=str(task_result.id), finished_at__isnull=True).update(
        finished_at=task_result.finished_at, succeeded=succeeded, outcome=text[:200]
    )
