"""``socialebasis export-hsds``: every service of the directory as an Open Referral HSDS 3.0
service object (fully nested: organization, service_at_locations with their locations,
phones, schedules, ... and attributes with their taxonomy terms).

``--format json`` (default) writes one JSON array, ``--format ndjson`` one service per line.
Output goes to stdout, or with ``--output FILE`` to a file that is replaced only when the
export is complete. ``--validate`` checks every object against the HSDS schemas first.
"""

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from socialebasis.directory.hsds import HSDSError, iter_hsds_services, validate_hsds


def write_services(write: Callable[[str], object], fmt: str, validate: bool = False) -> int:
    """Write every service through ``write``; returns the number written."""
    count = 0
    if fmt == "json":
        write("[")
    for service in iter_hsds_services():
        if validate:
            validate_hsds(service, "service", path=f"$[{count}]")
        line = json.dumps(service, ensure_ascii=False)
        if fmt == "json":
            write(("\n" if count == 0 else ",\n") + line)
        else:
            write(line + "\n")
        count += 1
    if fmt == "json":
        write("\n]\n" if count else "]\n")
    return count


class Command(BaseCommand):
    help = "Export the directory as Open Referral HSDS 3.0 service objects (JSON or NDJSON)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "ndjson"], default="json")
        parser.add_argument("--output", "-o", default=None, help="file to write (default: stdout)")
        parser.add_argument(
            "--validate",
            action="store_true",
            help="validate every service against the HSDS 3.0 schemas",
        )

    def handle(self, *args, **options):
        fmt, output = options["format"], options["output"]
        try:
            if not output or output == "-":
                count = write_services(
                    lambda text: self.stdout.write(text, ending=""), fmt, options["validate"]
                )
                self.stderr.write(f"{count} services exported")
                return
            target = Path(output)
            directory = target.resolve().parent
            if not directory.is_dir():
                raise CommandError(f"{output}: directory {directory} does not exist")
            handle, tmp_name = tempfile.mkstemp(
                dir=directory, prefix=".export-hsds-", suffix=".tmp"
            )
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    count = write_services(out.write, fmt, options["validate"])
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp_name, 0o666 & ~umask)  # mkstemp makes it private
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        except HSDSError as exc:
            raise CommandError(f"export is not valid HSDS 3.0:\n{exc}") from exc
        self.stdout.write(f"{count} services exported to {output}")
