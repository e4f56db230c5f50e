"""The ``socialebasis`` console command.

Every sub-command is a Django management command of one of our apps, so
``socialebasis import-cbs --help`` and ``python manage.py import_cbs --help`` are the same.
Sub-commands: demo, import-cbs, import-amsterdam, import-hsds, export-hsds, search,
rebuild-search-index, seed-personas, apply-retention, verify-audit, serve (the production web
server, gunicorn), worker (the background worker: django-tasks-db's ``db_worker`` plus the
schedule of recurring jobs), jobs; any other
Django command (migrate, createsuperuser, ...) works too.
"""

import os
import sys

COMMANDS = {
    "demo": "Migrate, load the Amsterdam demo data (idempotent) and build the search index",
    "import-cbs": "Load CBS 2024 municipalities, districts and neighbourhoods and boundaries",
    "import-amsterdam": "Load the Amsterdam social facilities and poverty/welfare services",
    "import-hsds": "Import an Open Referral HSDS 3.0 JSON document (atomic, idempotent)",
    "export-hsds": "Export the directory as HSDS 3.0 JSON or NDJSON",
    "search": "Search the social map from the command line",
    "rebuild-search-index": "Rebuild the full-text search index from the directory",
    "seed-personas": "Development only: test personas with known passwords and TOTP secrets",
    "apply-retention": "Delete or anonymise personal data past its retention term (--dry-run)",
    "verify-audit": "Check the audit log's keyed hash chain and its anchors (--record-only)",
    "serve": "Serve the site in production with gunicorn (SB_BIND, SB_WEB_CONCURRENCY)",
    "worker": "Run background tasks (e-mail) and the scheduled jobs (--batch: then exit)",
    "jobs": "List the scheduled jobs; --run-due runs what is due (cron), --run NAME one now",
}
# Sub-commands that are another name for a command of a library.
ALIASES: dict[str, str] = {}


def _usage() -> str:
    lines = ["usage: socialebasis COMMAND [options]", "", "Commands:"]
    lines += [f"  {name:<22}{text}" for name, text in COMMANDS.items()]
    lines += [
        "",
        "Any Django management command works too (migrate, createsuperuser, ...).",
        "Run 'socialebasis COMMAND --help' for the options of a command.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) < 2 or argv[1] in {"-h", "--help", "help"}:
        print(_usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialebasis.settings")
    from django.core.management import execute_from_command_line

    argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    execute_from_command_line(["socialebasis", *argv[1:]])


if __name__ == "__main__":
    main()
