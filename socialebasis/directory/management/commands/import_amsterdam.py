"""``socialebasis import-amsterdam``: load the Amsterdam social facilities and poverty/welfare
services. Atomic and idempotent, one audit row per run; see ``directory.importers.amsterdam``."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from socialebasis.directory.actions import do_import_amsterdam
from socialebasis.lib.importing import ImportFailure


class Command(BaseCommand):
    help = (
        "Load the Amsterdam social facilities (maatschappelijke voorzieningen) and the "
        "poverty/welfare services into the directory. Needs 'import-cbs' for GM0363 first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="data directory (default: settings.DATA_DIR)",
        )
        parser.add_argument(
            "--no-post",
            action="store_true",
            help="skip centroids and search index (the demo runs them once)",
        )

    def handle(self, *args, **options):
        data_dir = options["data_dir"] or settings.DATA_DIR
        started = time.monotonic()
        try:
            report = do_import_amsterdam(data_dir, acting_user=None, post=not options["no_post"])
        except ImportFailure as exc:
            raise CommandError(f"import-amsterdam aborted, nothing changed: {exc}") from exc
        report.write(
            self.stdout, f"import-amsterdam from {data_dir} ({time.monotonic() - started:.1f} s):"
        )
