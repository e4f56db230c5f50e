"""Throwaway databases for tests that run the platform in real processes (a production server,
a dump and restore): a SQLite file in a temporary folder, or, when ``DATABASE_URL`` points at
PostgreSQL, a database of its own on that server, dropped afterwards.

Such tests cannot use pytest-django's test database: the other process must see committed
data, and a transactional test case cannot empty the audit log afterwards (PostgreSQL refuses
TRUNCATE of the append-only table).
"""

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[2]

# migrate and the persona world (users, a resident's file, a service, audit rows), in one
# process; prints the persona world's service id.
LOAD_PERSONAS = """
import io, os
os.environ["DJANGO_SETTINGS_MODULE"] = "socialebasis.settings"
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_personas", stdout=io.StringIO())
from socialebasis.directory.models import Service
print(Service.objects.order_by("name").values_list("id", flat=True).first())
"""


def postgres_url() -> str | None:
    """``DATABASE_URL`` when it names a PostgreSQL database, else None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def database_url_named(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name``."""
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


def run_admin_sql(url: str, sql: str) -> None:
    """Run ``sql`` (CREATE/DROP DATABASE) on the server of ``url``, outside a transaction."""
    import psycopg

    with psycopg.connect(database_url_named(url, "postgres"), autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def scratch_database(tmp: Path, name: str) -> Iterator[str]:
    """The URL of a new, empty database ``name`` (made unique per process), dropped after."""
    pg = postgres_url()
    if pg is None:
        yield f"sqlite:///{tmp / (name + '.sqlite3')}"
        return
    db = f"{urlparse(pg).path.lstrip('/') or 'sb'}_{name}_{os.getpid()}"
    run_admin_sql(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    run_admin_sql(pg, f'CREATE DATABASE "{db}"')
    try:
        yield database_url_named(pg, db)
    finally:
        run_admin_sql(pg, f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def run_python(code: str, env: dict, timeout: int = 300) -> str:
    """Run ``code`` in a new Python process in the repository; its stdout, or RuntimeError
    with the output when it fails."""
    done = subprocess.run(  # noqa: S603  (our own code, this interpreter)
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        output = f"{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
        raise RuntimeError(f"failed ({done.returncode}):\n{output}")
    return done.stdout


def clean_env(**overrides: str) -> dict:
    """The environment for a platform process: this one's, without the test settings and
    without variables of the test run that would change the platform's behaviour."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SB_", "DJANGO_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "socialebasis.settings", "PYTHONUNBUFFERED": "1"})
    env.update(overrides)
    return env
