"""Query-count ceilings of the main pages (NetBox's habit of query-count baselines).

``query_counts.json`` next to this module holds, per page, the most database queries a
request may make; ``test_query_counts.py`` fails when a page makes more. After a change that
legitimately adds queries (or removes some), rewrite the file with the measured counts:

    .venv/bin/pytest socialebasis/testing/test_query_counts.py --update-query-counts

and commit it; the diff shows what changed. Counted are the statements that read or write
data: savepoints and PostgreSQL's audit-chain advisory lock are left out, so the counts are the
same on SQLite and PostgreSQL.
"""

import json
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

CEILINGS_FILE = Path(__file__).with_name("query_counts.json")
UPDATE_OPTION = "--update-query-counts"
_NOT_COUNTED = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "SELECT PG_ADVISORY")


def data_queries(captured: list[dict]) -> list[str]:
    """The SQL of the captured statements that count (see the module docstring)."""
    sql = [q["sql"] for q in captured]
    return [s for s in sql if not s.lstrip().upper().startswith(_NOT_COUNTED)]


def load_ceilings() -> dict[str, int]:
    if not CEILINGS_FILE.exists():
        return {}
    return json.loads(CEILINGS_FILE.read_text())


def record_ceiling(name: str, count: int) -> None:
    """Write ``count`` as the ceiling of ``name`` (keeps the other pages' ceilings)."""
    ceilings = load_ceilings()
    ceilings[name] = count
    CEILINGS_FILE.write_text(json.dumps(dict(sorted(ceilings.items())), indent=2) + "\n")


class QueryCeiling:
    """``with ceiling("search"): client.get(...)``: the block's queries, checked against
    (or, with ``--update-query-counts``, recorded as) the ceiling of that page."""

    def __init__(self, update: bool):
        self.update = update
        self.measured: dict[str, int] = {}

    @contextmanager
    def __call__(self, name: str):
        with CaptureQueriesContext(connection) as context:
            yield
        queries = data_queries(context.captured_queries)
        self.measured[name] = len(queries)
        if self.update:
            record_ceiling(name, len(queries))
            return
        ceilings = load_ceilings()
        assert name in ceilings, (
            f"no query-count ceiling for {name!r} in {CEILINGS_FILE.name}: "
            f"run pytest with {UPDATE_OPTION}"
        )
        listing = "\n".join(f"  {i + 1}. {sql[:200]}" for i, sql in enumerate(queries))
        assert len(queries) <= ceilings[name], (
            f"{name}: {len(queries)} queries, ceiling {ceilings[name]} ({CEILINGS_FILE.name}); "
            f"if the new queries are meant, rerun with {UPDATE_OPTION}.\n{listing}"
        )
