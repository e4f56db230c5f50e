"""``socialebasis import-cbs``: load CBS 2024 municipalities, districts, neighbourhoods and the
Amsterdam and Utrecht boundaries. Atomic and idempotent; see ``areas.importers``."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from socialebasis.areas.importers import import_cbs
from socialebasis.areas.signals import areas_imported
from socialebasis.lib.importing import ImportFailure


class Command(BaseCommand):
    help = (
        "Load CBS Kerncijfers wijken en buurten 2024 (municipalities, districts, "
        "neighbourhoods) and the municipal boundaries in the data directory."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality",
            action="append",
            metavar="GMxxxx",
            help="load only this municipality (repeatable), e.g. GM0363",
        )
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
            with transaction.atomic():
                report = import_cbs(data_dir, options["municipality"])
                if not options["no_post"]:
                    areas_imported.send(sender=self.__class__, report=report)
        except ImportFailure as exc:
            raise CommandError(f"import-cbs aborted, nothing changed: {exc}") from exc
        report.write(
            self.stdout, f"import-cbs from {data_dir} ({time.monotonic() - started:.1f} s):"
        )
