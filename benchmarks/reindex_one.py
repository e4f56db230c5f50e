"""Cost of re-indexing one service (``search_index.reindex_services([id])``), as after an edit
in the admin: wall time (median of N runs) and database queries (Django's
``CaptureQueriesContext``), on the database of ``DATABASE_URL`` (load it with
``socialebasis demo`` first).

    DATABASE_URL=sqlite:////tmp/sb_demo.sqlite3 .venv/bin/socialebasis demo
    DATABASE_URL=sqlite:////tmp/sb_demo.sqlite3 .venv/bin/python benchmarks/reindex_one.py

Each run renames one service (a new word in its name) and re-indexes it inside a transaction
that is rolled back, so the database is unchanged afterwards.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialebasis.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from socialebasis.directory.models import SearchEntry, Service  # noqa: E402
from socialebasis.directory.search_index import reindex_services  # noqa: E402

RUNS = int(os.environ.get("RUNS", "15"))


class Rollback(Exception):
    pass


def one_run(service_id, rename: bool) -> tuple[float, int]:
    try:
        with transaction.atomic():
            if rename:
                Service.objects.filter(pk=service_id).update(name="Zwerfkattenopvang Noord")
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                reindex_services([service_id])
                elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    return elapsed, len(queries)


def main() -> None:
    services = Service.objects.count()
    entries = SearchEntry.objects.count()
    service_id = SearchEntry.objects.order_by("id").values_list("service_id", flat=True)[0]
    print(f"{connection.vendor}: {services} services, {entries} search entries")
    for rename in (False, True):
        one_run(service_id, rename)  # warm-up
        runs = [one_run(service_id, rename) for _ in range(RUNS)]
        times = [t for t, _ in runs]
        label = "renamed service" if rename else "unchanged service"
        print(
            f"reindex one {label}: median {statistics.median(times) * 1000:.1f} ms "
            f"(min {min(times) * 1000:.1f}), {runs[0][1]} queries"
        )


if __name__ == "__main__":
    main()
