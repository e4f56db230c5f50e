"""``socialebasis verify-audit [--anchor FILE]``: check the audit log's hash chain and, with
an anchor file, the chain heads recorded earlier; exit 1 on tampering."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialebasis.audit.verify import anchor_line, check_anchors, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the append-only audit log: every row's SHA-256 hash, the links between "
        "rows and the sequence numbers. With --anchor FILE it also checks every chain head "
        "recorded in FILE earlier (so deleting the newest rows is detected too) and, when all "
        "is well, appends the current head. Keep FILE outside the database server (another "
        "machine, write-once storage) and run this from cron. Exits 1 and lists the rows when "
        "the log was altered, rows were deleted or reordered."
    )

    def add_arguments(self, parser):
        parser.add_argument("--anchor", type=Path, help="anchor file: checked, then appended to")
        parser.add_argument(
            "--no-record",
            action="store_true",
            help="check the anchor file but do not append the current head",
        )

    def handle(self, *args, **options):
        report = verify_chain()
        problems = list(report.problems)
        anchor = options["anchor"]
        if anchor is not None and not anchor.exists() and options["no_record"]:
            # Nothing to check against: a mistyped path must not pass as "in orde".
            raise CommandError(f"{anchor}: het ankerbestand bestaat niet")
        if anchor is not None and anchor.exists():
            try:
                problems += check_anchors(anchor.read_text(encoding="utf-8").splitlines())
            except OSError as exc:
                raise CommandError(f"{anchor}: {exc.strerror}") from exc
        for sequence, reason in problems:
            self.stderr.write(f"#{sequence}: {reason}")
        if problems:
            self.stderr.write(
                f"Auditlog NIET in orde: {len(problems)} problemen in {report.rows} regels."
            )
            sys.exit(1)
        if anchor is not None and not options["no_record"]:
            line = anchor_line()
            if line:
                try:
                    with anchor.open("a", encoding="utf-8") as handle:
                        handle.write(line + "\n")
                except OSError as exc:
                    raise CommandError(f"{anchor}: {exc.strerror}") from exc
        self.stdout.write(f"Auditlog in orde: {report.rows} regels, keten ongebroken.")
