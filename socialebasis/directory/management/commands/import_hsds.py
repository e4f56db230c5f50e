"""``socialebasis import-hsds FILE``: import an Open Referral HSDS 3.0 JSON document.

The file holds one service, organization, service_at_location, location, taxonomy or
taxonomy_term object, a JSON array of them, or an HSDS page object (``{"contents": [...]}``);
``.ndjson`` files (or ``--format ndjson``) hold one object per line. ``-`` reads stdin.
All or nothing: any error aborts with the file, the JSON path (object index included) and
the reason, and the database is unchanged. Idempotent: importing the same file again
reports everything unchanged. One audit row per run names the file and the totals (none
for a dry run). See ``socialebasis.directory.hsds`` for the mapping.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialebasis.directory.actions import do_import_hsds
from socialebasis.directory.hsds import KINDS, HSDSError


def read_document(name: str, fmt: str | None) -> object:
    """The parsed document. Raises CommandError naming the file and, for bad JSON, the line
    and column."""
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CommandError(f"{name}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise CommandError(f"{name}: cannot read ({exc.strerror})") from exc
    if fmt is None:
        fmt = "ndjson" if name.endswith((".ndjson", ".jsonl")) else "json"
    if fmt == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
    objects = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            objects.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"{name}: invalid JSON at line {number}, column {exc.colno}: {exc.msg}"
            ) from exc
    return objects


class Command(BaseCommand):
    help = "Import an Open Referral HSDS 3.0 JSON document (atomic, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="HSDS JSON or NDJSON file; - for stdin")
        parser.add_argument(
            "--format",
            choices=["json", "ndjson"],
            default=None,
            help="default: ndjson for .ndjson/.jsonl files, else json",
        )
        parser.add_argument(
            "--type",
            choices=KINDS,
            default=None,
            dest="kind",
            help="type of the top-level objects (default: detected)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and report, then roll everything back"
        )
        parser.add_argument(
            "--no-reindex",
            action="store_true",
            help="do not refresh the search index of imported services",
        )

    def handle(self, *args, **options):
        name = options["file"]
        document = read_document(name, options["format"])
        try:
            report = do_import_hsds(
                document,
                acting_user=None,
                source=Path(name).name if name != "-" else "stdin",
                kind=options["kind"],
                dry_run=options["dry_run"],
                reindex=not options["no_reindex"],
            )
        except HSDSError as exc:
            shown = "\n".join(f"  {path}: {reason}" for path, reason in exc.errors)
            count = len(exc.errors)
            raise CommandError(
                f"{name}: import aborted, nothing changed ({count} "
                f"problem{'s' if count != 1 else ''}):\n{shown}"
            ) from exc
        totals = {
            state: sum(getattr(t, state) for t in report.tallies.values())
            for state in ("created", "updated", "unchanged", "deleted")
        }
        prefix = "dry run, rolled back: " if options["dry_run"] else ""
        self.stdout.write(
            f"{prefix}{name}: {totals['created']} created, {totals['updated']} "
            f"updated, {totals['unchanged']} unchanged, {totals['deleted']} "
            "deleted"
        )
        for line in report.lines():
            self.stdout.write(line)
        for note in report.notes:
            self.stdout.write(f"  note: {note}")
