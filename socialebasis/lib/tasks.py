"""Retrying background tasks (Django's tasks framework, via ``django-tasks``) with back-off.

A task that sends something over the network (SMTP) catches the failure and calls
``retry_later``, which enqueues the same task again after 1, 5, 30 and 120 minutes; after
the last attempt the failure is raised, so the task row records it as failed.
"""

import logging
from datetime import timedelta

from django.utils import timezone

log = logging.getLogger(__name__)

BACKOFF_MINUTES = (1, 5, 30, 120)  # after attempt 1, 2, 3, 4; attempt 5 is the last


def retry_later(task, args: tuple, *, attempt: int, error: Exception, what: str) -> str:
    """Enqueue ``task(*args, attempt + 1)`` after the back-off for ``attempt`` (1-based) and
    return a short outcome for the task row ("retry 2 after 0:01:00"). Re-raises ``error``
    once ``attempt`` is past the last back-off step. ``what`` names the work in the log
    (never an address or other personal data)."""
    if attempt > len(BACKOFF_MINUTES):
        log.error("%s given up after %d attempts: %s", what, attempt, error)
        raise error
    delay = timedelta(minutes=BACKOFF_MINUTES[attempt - 1])
    task.using(run_after=timezone.now() + delay).enqueue(*args, attempt + 1)
    log.warning("%s failed (%s); retry in %s", what, error, delay)
    return f"retry {attempt + 1} after {delay}"
