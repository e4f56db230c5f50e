"""``socialebasis verify-audit [--anchor FILE] [--no-record | --record-only]``: check the audit
log's keyed hash chain and the chain heads recorded in the anchor store; exit 1 on
tampering."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialebasis.audit.anchoring import anchor_store, check_anchors, record_anchor
from socialebasis.audit.verify import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the append-only audit log: every row's keyed hash (HMAC with SB_AUDIT_KEY, "
        "or a retired key from SB_AUDIT_KEYS), the links between rows and the sequence "
        "numbers. It also checks every chain head recorded in the anchor store "
        "(SB_AUDIT_ANCHOR_FILE, or --anchor FILE), so deleting the newest rows or all rows "
        "is detected too, and, when all is well, appends the current head. Exits 1 and lists "
        "the rows when the log was altered, rows were deleted or reordered. --record-only "
        "appends the head without checking (what the hourly task "
        "socialebasis.audit.tasks.record_audit_anchor does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            type=Path,
            help="anchor file: checked, then appended to (default: SB_AUDIT_ANCHOR_FILE)",
        )
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--no-record",
            action="store_true",
            help="check the anchor store but do not append the current head",
        )
        mode.add_argument(
            "--record-only",
            action="store_true",
            help="only append the current head to the anchor store (no check)",
        )

    def handle(self, *args, **options):
        anchor = options["anchor"] or anchor_store()
        if options["record_only"]:
            return self._record(anchor, required=True)
        report = verify_chain()
        problems = list(report.problems)
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
        if anchor is None:
            self.stderr.write(
                "Geen ankeropslag (SB_AUDIT_ANCHOR_FILE): het verwijderen van de nieuwste "
                "regels is zo niet te zien."
            )
        elif not options["no_record"]:
            self._record(anchor)
        self.stdout.write(f"Auditlog in orde: {report.rows} regels, keten ongebroken.")

    def _record(self, anchor: Path | None, *, required: bool = False):
        if anchor is None:
            raise CommandError("Geen ankeropslag: zet SB_AUDIT_ANCHOR_FILE of geef --anchor.")
        try:
            recorded = record_anchor(anchor)
        except OSError as exc:
            raise CommandError(f"{anchor}: {exc.strerror}") from exc
        if required:
            self.stdout.write(f"Anker vastgelegd: {recorded.line() if recorded else 'leeg log'}")
