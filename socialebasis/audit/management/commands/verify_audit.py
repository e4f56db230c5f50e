"""``socialebasis verify-audit``: check the audit log's hash chain; exit 1 on tampering."""

import sys

from django.core.management.base import BaseCommand

from socialebasis.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the append-only audit log: every row's SHA-256 hash, the links between "
        "rows and the sequence numbers. Exits 1 and lists the rows when the log was "
        "altered, rows were deleted or reordered."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        for sequence, reason in report.problems:
            self.stderr.write(f"#{sequence}: {reason}")
        if not report.ok:
            self.stderr.write(
                f"Auditlog NIET in orde: {len(report.problems)} problemen in {report.rows} regels."
            )
            sys.exit(1)
        self.stdout.write(f"Auditlog in orde: {report.rows} regels, keten ongebroken.")
