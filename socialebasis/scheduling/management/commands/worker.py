"""``socialebasis worker``: the background worker. It runs the tasks waiting in the database
(django-tasks-db's ``db_worker``, with all its options) and reads the one schedule
(``lib.schedule``): every 30 seconds it enqueues the jobs that have come due, so no cron is
needed. ``--no-schedule`` leaves the schedule to cron (``socialebasis jobs --run-due``) or
to another worker; ``--batch`` enqueues what is due once, runs every waiting task, then
exits. Several workers may run: each due occurrence is claimed once.
"""

import logging
import threading

from django.db import DatabaseError, close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from socialebasis.scheduling import runner

log = logging.getLogger(__name__)


def schedule_loop(stop: threading.Event, interval: float = runner.INTERVAL_SECONDS) -> None:
    """Enqueue due jobs every ``interval`` seconds until ``stop`` is set (in its own thread,
    with its own database connection)."""
    while not stop.is_set():
        try:
            runner.enqueue_due()
        except DatabaseError:  # a locked SQLite file or a restarting server: next time
            log.warning("could not read the schedule; trying again", exc_info=True)
        finally:
            close_old_connections()
        stop.wait(interval)
    connection.close()


class Command(DBWorkerCommand):
    help = (
        "Run the background worker: e-mail and other tasks waiting in the database, and the "
        "recurring jobs of the schedule as they come due (--no-schedule: leave those to cron)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue scheduled jobs (cron runs 'socialebasis jobs --run-due').",
        )

    def handle(self, *args, schedule=True, batch=False, **options):
        if schedule and batch:
            runner.enqueue_due()
        elif schedule:
            stop = threading.Event()
            threading.Thread(target=schedule_loop, args=(stop,), daemon=True).start()
        return super().handle(*args, batch=batch, **options)
