"""Running the one schedule (``lib.schedule``): claim each due occurrence once, then enqueue
its task (the worker's way) or run it here (cron's way).

``enqueue_due`` is what ``socialebasis worker`` calls every ``INTERVAL_SECONDS``;
``run_due`` is what ``socialebasis jobs --run-due`` (from cron) calls. Both claim an
occurrence by inserting its ``ScheduledRun`` row; the unique (job, occurrence) constraint
makes a second claimant, in another process or on another host, skip it.
"""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from socialebasis.lib.schedule import Job, jobs
from socialebasis.scheduling.models import ScheduledRun
from socialebasis.scheduling.signals import outcome_of

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 30


def claimant() -> str:
    """Who claims: "host:pid" (shown by ``socialebasis jobs``)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claim(job: Job, occurrence: datetime, *, by: str) -> ScheduledRun | None:
    """The new run of ``job`` at ``occurrence``, or None when someone claimed it before."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, occurrence=occurrence, claimed_by=by)
    except IntegrityError:
        return None


def claim_due(now: datetime | None = None, *, by: str = "") -> list[tuple[Job, ScheduledRun]]:
    """Claim the latest due occurrence of every job that has not run it yet."""
    now = now or timezone.now()
    claimed = []
    for job in jobs():
        occurrence = job.latest_due(now)
        if occurrence is None:
            continue
        run = claim(job, occurrence, by=by or claimant())
        if run is not None:
            claimed.append((job, run))
    return claimed


def enqueue_due(now: datetime | None = None) -> list[ScheduledRun]:
    """The worker's way: claim what is due and put each job's task on the queue; the
    worker records the end (``signals``). Returns the runs it claimed."""
    runs = []
    for job, run in claim_due(now):
        result = job.task.enqueue()
        ScheduledRun.objects.filter(pk=run.pk).update(task_id=str(result.id))
        if result.is_finished:  # an immediate backend ran it inside enqueue()
            succeeded, text = outcome_of(result)
            record_end(run, succeeded=succeeded, text=text)
        log.info("scheduled job %s (%s) enqueued as task %s", job.name, run.occurrence, result.id)
        runs.append(run)
    return runs


@dataclass
class Outcome:
    job: str
    succeeded: bool
    text: str


def run_due(now: datetime | None = None) -> list[Outcome]:
    """Cron's way: claim what is due and run each job here, one after another. A job that
    fails is recorded as failed (with the exception's type and message) and does not stop
    the others."""
    return [run_claimed(job, run) for job, run in claim_due(now)]


def run_now(job: Job) -> Outcome:
    """Run ``job`` at once, whatever its schedule (recorded as a run at this moment)."""
    run = claim(job, timezone.now(), by=claimant() + " (--run)")
    return run_claimed(job, run)


def run_claimed(job: Job, run: ScheduledRun) -> Outcome:
    try:
        text, succeeded = str(job.task.call()), True
    except Exception as exc:  # a job's failure is recorded; the others still run
        log.exception("scheduled job %s failed", job.name)
        text, succeeded = f"{type(exc).__name__}: {exc}", False
    record_end(run, succeeded=succeeded, text=text)
    return Outcome(job.name, succeeded, text)


def record_end(run: ScheduledRun, *, succeeded: bool, text: str) -> None:
    ScheduledRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), succeeded=succeeded, outcome=text[:200]
    )


def last_runs() -> dict[str, ScheduledRun]:
    """The most recent run of each job."""
    latest: dict[str, ScheduledRun] = {}
    for run in ScheduledRun.objects.order_by("job", "-occurrence", "-claimed_at"):
        latest.setdefault(run.job, run)
    return latest
