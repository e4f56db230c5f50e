"""``socialebasis jobs``: the one schedule of recurring jobs.

Without options it lists every job with its rule, the next time it is due and how its last
run ended. ``--run-due`` runs what is due now, here (for cron, e.g. every five minutes;
not needed when ``socialebasis worker`` runs); ``--run NAME`` runs one job at once.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from socialebasis.lib.schedule import get_job, jobs
from socialebasis.scheduling import runner


class Command(BaseCommand):
    help = (
        "List the recurring jobs (retention, ...) with their next and last run; "
        "--run-due runs what is due (from cron when no worker runs); --run NAME runs one now."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--run-due",
            action="store_true",
            help="Run every job whose time has come and that has not run yet (once, "
            "whatever the number of hosts doing the same).",
        )
        group.add_argument("--run", metavar="NAME", help="Run the job NAME now.")

    def handle(self, *args, run_due=False, run=None, **options):
        if run:
            try:
                job = get_job(run)
            except KeyError:
                known = ", ".join(job.name for job in jobs())
                raise CommandError(f"no job called {run!r}; known: {known}") from None
            self._report([runner.run_now(job)])
        elif run_due:
            outcomes = runner.run_due()
            if not outcomes:
                self.stdout.write("Niets te doen: geen taak is aan de beurt.")
            self._report(outcomes)
        else:
            self._list()

    def _report(self, outcomes) -> None:
        failed = [o for o in outcomes if not o.succeeded]
        for outcome in outcomes:
            state = "gelukt" if outcome.succeeded else "MISLUKT"
            self.stdout.write(f"{outcome.job}: {state}: {outcome.text}")
        if failed:
            raise CommandError(f"{len(failed)} job(s) failed")

    def _list(self) -> None:
        now = timezone.now()
        last = runner.last_runs()
        for job in jobs():
            self.stdout.write(f"{job.name}  [{job.rule}]  (Europe/Amsterdam)")
            self.stdout.write(f"  {job.description}")
            upcoming = job.next_after(now)
            self.stdout.write(f"  volgende: {upcoming:%Y-%m-%d %H:%M %Z}" if upcoming else "  -")
            run = last.get(job.name)
            if run is None:
                self.stdout.write("  laatste: nog nooit")
            else:
                state = {True: "gelukt", False: "MISLUKT", None: "bezig"}[run.succeeded]
                due = timezone.localtime(run.occurrence)
                ran = timezone.localtime(run.claimed_at)
                self.stdout.write(
                    f"  laatste: gepland {due:%Y-%m-%d %H:%M}, gestart {ran:%Y-%m-%d %H:%M}: "
                    f"{state} {run.outcome}"
                )
