"""Background tasks in tests: the database backend and the real worker, once."""

from django.core.management import call_command

# Tests run tasks immediately (settings_test); these settings make them wait in the database.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(monkeypatch, *, schedule: bool = False) -> None:
    """The real ``socialebasis worker --batch`` over what is waiting (with ``schedule``, it
    enqueues the due jobs first). The worker would close the database connection between
    tasks, which would end the test's transaction; here it keeps it."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("worker", batch=True, no_startup_delay=True, verbosity=0, schedule=schedule)
