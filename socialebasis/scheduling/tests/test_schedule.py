"""The one schedule: rules in Amsterdam time across daylight saving, each occurrence run
once (worker or cron), failures recorded, and the commands."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from socialebasis.lib import schedule
from socialebasis.lib.schedule import Job, register_job
from socialebasis.scheduling import runner
from socialebasis.scheduling.models import ScheduledRun
from socialebasis.testing.tasks import DATABASE_TASKS, run_worker

AMS = ZoneInfo("Europe/Amsterdam")
UTC = ZoneInfo("UTC")
CALLS: list[str] = []


@task()
def _count_call() -> str:
    CALLS.append("ran")
    return "counted"


@task()
def _fail() -> str:
    raise RuntimeError("disk full")


@pytest.fixture
def only(monkeypatch):
    """Replace the schedule by the given jobs for one test."""
    CALLS.clear()

    def install(*jobs):
        monkeypatch.setattr(schedule, "_JOBS", {job.name: job for job in jobs})

    return install


def test_a_daily_rule_keeps_its_local_hour_across_daylight_saving():
    job = Job("nightly", _count_call, "FREQ=DAILY;BYHOUR=3;BYMINUTE=30", "test")
    # The nights the clocks go forward (29 March 2026) and back (25 October 2026).
    for day, hours in (
        (datetime(2026, 3, 27, 12, tzinfo=UTC), 23),
        (datetime(2026, 10, 23, 12, tzinfo=UTC), 25),
    ):
        first = job.next_after(day)
        second = job.next_after(first)
        assert (first.hour, first.minute) == (3, 30) and (second.hour, second.minute) == (3, 30)
        elapsed = second.astimezone(UTC) - first.astimezone(UTC)
        assert elapsed.total_seconds() / 3600 == hours  # the short and the long night


def test_latest_due_is_the_last_occurrence_at_or_before_now():
    job = Job("nightly", _count_call, "FREQ=DAILY;BYHOUR=3;BYMINUTE=30", "test")
    now = datetime(2026, 12, 3, 10, tzinfo=AMS)
    assert job.latest_due(now) == datetime(2026, 12, 3, 3, 30, tzinfo=AMS)
    assert job.latest_due(datetime(2026, 12, 3, 3, 29, tzinfo=AMS)) == datetime(
        2026, 12, 2, 3, 30, tzinfo=AMS
    )


@pytest.mark.parametrize(
    ("name", "rule"),
    [("Bad Name", "FREQ=DAILY"), ("ok_name", "FREQ=SOMETIMES"), ("ok_name", "not a rule")],
)
def test_bad_jobs_are_refused(name, rule):
    with pytest.raises(ValueError):
        register_job(name, _count_call, rule, "test")


def test_a_name_is_one_job():
    register_job("twice_test", _count_call, "FREQ=DAILY;BYHOUR=5", "test")
    register_job("twice_test", _count_call, "FREQ=DAILY;BYHOUR=5", "test")  # ready() again
    with pytest.raises(ValueError):
        register_job("twice_test", _count_call, "FREQ=HOURLY", "test")
    schedule._JOBS.pop("twice_test")


def test_the_platform_schedules_retention_session_clean_up_and_the_audit_anchor():
    names = {job.name for job in schedule.jobs()}
    assert {"apply_retention", "clear_expired_sessions", "record_audit_anchor"} <= names


@pytest.mark.django_db
def test_cron_runs_each_occurrence_once(only):
    only(Job("counter", _count_call, "FREQ=HOURLY;BYMINUTE=0", "test"))
    now = datetime(2026, 12, 3, 10, 20, tzinfo=AMS)
    [outcome] = runner.run_due(now)
    assert outcome.succeeded and outcome.text == "counted"
    assert runner.run_due(now) == []  # a second cron host, or the same one again
    assert runner.run_due(datetime(2026, 12, 3, 10, 59, tzinfo=AMS)) == []
    assert len(runner.run_due(datetime(2026, 12, 3, 11, 0, tzinfo=AMS))) == 1
    assert CALLS == ["ran", "ran"]
    run = ScheduledRun.objects.get(occurrence=datetime(2026, 12, 3, 10, 0, tzinfo=AMS))
    assert run.succeeded and run.finished_at and run.outcome == "counted"


@pytest.mark.django_db
def test_missed_occurrences_run_once_not_one_by_one(only):
    only(Job("counter", _count_call, "FREQ=HOURLY;BYMINUTE=0", "test"))
    runner.run_due(datetime(2026, 12, 1, 10, 5, tzinfo=AMS))
    # The host was down for two days: only the latest missed hour runs.
    assert len(runner.run_due(datetime(2026, 12, 3, 10, 5, tzinfo=AMS))) == 1
    assert CALLS == ["ran", "ran"]


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(only):
    only(
        Job("broken", _fail, "FREQ=HOURLY;BYMINUTE=0", "test"),
        Job("counter", _count_call, "FREQ=HOURLY;BYMINUTE=0", "test"),
    )
    outcomes = {o.job: o for o in runner.run_due(datetime(2026, 12, 3, 10, 5, tzinfo=AMS))}
    assert not outcomes["broken"].succeeded and "disk full" in outcomes["broken"].text
    assert outcomes["counter"].succeeded
    assert ScheduledRun.objects.get(job="broken").succeeded is False


@pytest.mark.django_db
def test_the_command_fails_when_a_job_fails(only, capsys):
    only(Job("broken", _fail, "FREQ=HOURLY;BYMINUTE=0", "test"))
    with pytest.raises(CommandError, match="1 job"):
        call_command("jobs", run_due=True)
    assert "broken: MISLUKT: RuntimeError: disk full" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_worker_enqueues_due_jobs_and_records_their_end(only, settings, monkeypatch):
    only(Job("counter", _count_call, "FREQ=HOURLY;BYMINUTE=0", "test"))
    settings.TASKS = DATABASE_TASKS
    [run] = runner.enqueue_due()
    assert runner.enqueue_due() == []  # a second worker finds it claimed
    assert CALLS == []  # waiting on the queue
    assert DBTaskResult.objects.get().task_path.endswith("_count_call")
    run_worker(monkeypatch, schedule=True)
    assert CALLS == ["ran"]
    run.refresh_from_db()
    assert run.succeeded is True and run.outcome == "counted" and run.task_id


@pytest.mark.django_db
def test_worker_batch_reads_the_schedule_unless_told_not_to(only, settings, monkeypatch):
    only(Job("counter", _count_call, "FREQ=HOURLY;BYMINUTE=0", "test"))
    settings.TASKS = DATABASE_TASKS
    run_worker(monkeypatch, schedule=False)
    assert CALLS == [] and not ScheduledRun.objects.exists()
    run_worker(monkeypatch, schedule=True)
    assert CALLS == ["ran"]


@pytest.mark.django_db
def test_jobs_lists_the_schedule_and_runs_one_by_name(capsys):
    call_command("jobs")
    out = capsys.readouterr().out
    assert "apply_retention  [FREQ=DAILY;BYHOUR=3;BYMINUTE=30]" in out
    assert "volgende:" in out and "laatste: nog nooit" in out
    call_command("jobs", run="clear_expired_sessions")
    assert "clear_expired_sessions: gelukt: 0 sessions" in capsys.readouterr().out
    call_command("jobs")
    listing = capsys.readouterr().out
    assert "gelukt 0 sessions" in listing and "gestart " in listing
    with pytest.raises(CommandError, match="no job called 'nope'"):
        call_command("jobs", run="nope")


@pytest.mark.django_db
def test_the_retention_job_applies_retention():
    from socialebasis.privacy.tasks import apply_retention_task

    assert apply_retention_task.call().endswith(" rows")


def test_the_worker_thread_reads_the_schedule_until_stopped(monkeypatch):
    import threading

    from django.db import OperationalError

    from socialebasis.scheduling.management.commands import worker

    stop = threading.Event()
    calls = []

    def enqueue_due():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")  # logged, tried again next time
        stop.set()

    monkeypatch.setattr(worker.runner, "enqueue_due", enqueue_due)
    monkeypatch.setattr(worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(worker.connection, "close", lambda: None)
    worker.schedule_loop(stop, interval=0)
    assert len(calls) == 2
