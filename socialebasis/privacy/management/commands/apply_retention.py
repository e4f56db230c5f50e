"""``socialebasis apply-retention``: apply every retention policy (cron-able, e.g. daily).

``--dry-run`` lists what would be deleted or anonymised (counts and ids per model) and
changes nothing. Every deletion or anonymisation writes an audit row (retention_applied).
"""

from django.core.management.base import BaseCommand
from django.utils.dateparse import parse_datetime

from socialebasis.privacy.retention import apply_retention, policies


class Command(BaseCommand):
    help = "Apply the retention policies: delete or anonymise personal data past its term."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would go; change nothing."
        )
        parser.add_argument(
            "--list-policies", action="store_true", help="Print the policies and stop."
        )
        parser.add_argument(
            "--now", help="Pretend it is this moment (ISO 8601, for testing and catching up)."
        )

    def handle(self, *args, dry_run=False, list_policies=False, now=None, **options):
        if list_policies:
            for policy in policies():
                term = policy.basis
                if policy.months:
                    term = f"{policy.months} maanden na {policy.basis}"
                self.stdout.write(f"{policy.model}: {policy.get_action_display()} ({term})")
            return
        moment = None
        if now:
            moment = parse_datetime(now)
            if moment is None or moment.tzinfo is None:
                self.stderr.write(
                    "--now: give an ISO 8601 moment with a time zone, "
                    "e.g. 2027-01-01T00:00:00+01:00"
                )
                raise SystemExit(2)
        results = apply_retention(dry_run=dry_run, now=moment)
        total = 0
        for result in results:
            policy = result.policy
            count = len(result.ids)
            total += count
            if dry_run:
                done = f"te {policy.get_action_display()}"
            else:
                done = {"deleted": "verwijderd", "anonymised": "geanonimiseerd"}[policy.action_past]
            self.stdout.write(
                f"{policy.model}: {count} {done} ({policy.months} maanden na {policy.basis})"
            )
            for pk in result.ids:
                self.stdout.write(f"  {pk}")
            if result.linked:
                self.stdout.write(
                    f"  + {len(result.linked)} gekoppelde gegevens verwijderd of geanonimiseerd"
                )
        if dry_run:
            self.stdout.write("Proefdraai (--dry-run): er is niets veranderd.")
        else:
            self.stdout.write(f"Klaar: {total} gegevens verwerkt.")
