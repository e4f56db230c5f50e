"""``socialebasis demo``: a ready-to-use database from the real public data.

Runs ``migrate``, loads the CBS areas of the whole country with the Amsterdam and Utrecht
boundaries, loads the Amsterdam facilities and poverty/welfare services, assigns area
centroids and builds the search index. Creates nothing else (no users, no invented data).
Idempotent: a second run changes nothing and skips the index rebuild.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socialebasis.areas.importers import import_cbs
from socialebasis.directory.actions import do_import_amsterdam
from socialebasis.directory.importers import finish_import
from socialebasis.lib.importing import ImportFailure


class Command(BaseCommand):
    help = (
        "Migrate and load the real demo data: CBS areas of the Netherlands, Amsterdam's "
        "social facilities and poverty/welfare services; build the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="data directory (default: settings.DATA_DIR)",
        )

    def handle(self, *args, **options):
        data_dir = options["data_dir"] or settings.DATA_DIR
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"demo: database migrated ({time.monotonic() - started:.1f} s)")
        try:
            with transaction.atomic():
                step = time.monotonic()
                report = import_cbs(data_dir)
                report.write(
                    self.stdout,
                    f"demo: CBS areas ({time.monotonic() - step:.1f} s):",
                    credits=False,
                )
                step = time.monotonic()
                amsterdam = do_import_amsterdam(data_dir, acting_user=None, post=False)
                amsterdam.write(
                    self.stdout,
                    f"demo: Amsterdam directory ({time.monotonic() - step:.1f} s):",
                    credits=False,
                )
                report.merge(amsterdam)
                step = time.monotonic()
                final = finish_import(report.changed)
        except ImportFailure as exc:
            raise CommandError(f"demo aborted, nothing changed: {exc}") from exc
        final.write(
            self.stdout, f"demo: centroids and search index ({time.monotonic() - step:.1f} s):"
        )
        self.stdout.write(
            f"demo: ready in {time.monotonic() - started:.1f} s "
            f"({report.changed} rows created, updated or deleted)."
        )
        self.stdout.write("Credits (see data/SOURCES.md):")
        for text in report.credits:
            self.stdout.write(f"  {text}")
