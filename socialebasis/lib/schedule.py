"""The one schedule of recurring jobs (retention, audit anchoring, reminders, ...).

Every app declares its recurring jobs here from its ``AppConfig.ready`` with
``register_job``: a name, a background task (a ``django_tasks`` task taking no arguments)
and when it runs as an RFC 5545 recurrence rule (python-dateutil's ``rrule``) in local time,
Europe/Amsterdam, so "daily at 03:00" stays 03:00 across daylight-saving changes.

The ``scheduling`` app reads this schedule in two ways (docs/deploy.md): the long-running
``socialebasis worker`` enqueues each job when it falls due, or cron runs
``socialebasis jobs --run-due``. Either way one database row per job and occurrence makes
sure an occurrence runs once, however many workers or cron hosts there are. An occurrence
missed while nothing ran (a worker down over the weekend) is not caught up one by one: the
latest missed occurrence runs once.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from django.utils.functional import Promise

from socialebasis.lib.registry import NAME

ZONE = ZoneInfo("Europe/Amsterdam")
# Occurrences are counted from here; a rule's BYHOUR/BYMINUTE give the time of day.
EPOCH = datetime(2024, 1, 1, tzinfo=ZONE)


@dataclass(frozen=True)
class Job:
    """``name`` (lower-case identifier, at most 50 characters); ``task`` a django-tasks task
    without arguments; ``rule`` an RFC 5545 RRULE ("FREQ=DAILY;BYHOUR=3;BYMINUTE=0") read in
    Europe/Amsterdam; ``description`` says what it does (shown by ``socialebasis jobs``)."""

    name: str
    task: object
    rule: str
    description: str | Promise
    app: str = ""

    def latest_due(self, now: datetime) -> datetime | None:
        """The latest occurrence at or before ``now`` (an aware datetime), in
        Europe/Amsterdam, or None before the first one."""
        found = _rule(self.rule).before(_wall_clock(now), inc=True)
        return _localise(found) if found else None

    def next_after(self, now: datetime) -> datetime | None:
        """The first occurrence after ``now``, in Europe/Amsterdam (None if the rule ends)."""
        found = _rule(self.rule).after(_wall_clock(now))
        return _localise(found) if found else None


def _rule(text: str):
    # Wall-clock (naive) occurrences, made aware afterwards: a rule in local time keeps its
    # hour across the change to and from summer time.
    return rrulestr(text, dtstart=EPOCH.replace(tzinfo=None))


def _wall_clock(moment: datetime) -> datetime:
    return moment.astimezone(ZONE).replace(tzinfo=None)


def _localise(naive: datetime) -> datetime:
    # A wall-clock time skipped by the change to summer time (02:30 on the last Sunday of
    # March) maps to 03:30; rules should avoid 02:00-03:00, as cron schedules do.
    return naive.replace(tzinfo=ZONE)


_JOBS: dict[str, Job] = {}


def register_job(name: str, task, rule: str, description: str | Promise, *, app: str = "") -> Job:
    """Add a recurring job. ValueError for a malformed name, an invalid rule, or a name
    taken by another job (registering the same job twice is a no-op: ``ready()`` may run
    twice in tests)."""
    if not NAME.match(name) or len(name) > 50:
        raise ValueError(f"job {name!r}: use a lower-case identifier of at most 50 characters")
    try:
        _rule(rule)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"job {name!r}: invalid RFC 5545 rule {rule!r}: {exc}") from exc
    job = Job(name, task, rule, description, app)
    known = _JOBS.get(name)
    if known is not None and (known.rule, known.task) != (rule, task):
        raise ValueError(f"job {name!r} is already registered by {known.app!r}")
    _JOBS[name] = job
    return job


def jobs() -> list[Job]:
    """Every registered job, by name."""
    return [_JOBS[name] for name in sorted(_JOBS)]


def get_job(name: str) -> Job:
    """The job called ``name``; KeyError if there is none."""
    return _JOBS[name]
