"""Rate-limit counters hold under a burst: 20 threads released at once by a barrier, each
with its own database connection, against the shared caches a deployment uses (the
database cache and Redis). The form limits (django-ratelimit's counter) and the API
throttle must each let exactly the limit through.

The threads need committed rows and their own connections, so these tests do not run in
the test's transaction (pytest-django's ``db``); they write only cache rows, under keys of
their own, and remove them afterwards. On PostgreSQL the threads really run in parallel; on
SQLite writes are serialised by the database (``BEGIN IMMEDIATE``), which the counter
relies on. Redis is the local server at ``SB_TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/5``); the Redis cases are skipped only when it does not answer.
"""

import json
import os
import subprocess
import sys
import threading
import uuid

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import RequestFactory, override_settings
from django_ratelimit.core import get_usage

from socialebasis.lib.drf.throttling import AnonThrottle
from socialebasis.lib.hardening import cache_config
from socialebasis.lib.ratelimit import count_in_window

REDIS_URL = os.environ.get("SB_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
THREADS = 20
LIMIT = 10


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001  (any failure means: not reachable)
        return False


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Committed database access without pytest-django's flush afterwards (PostgreSQL's
    audit log refuses the TRUNCATE): these tests commit cache rows only. The name makes
    pytest-django create the test database when only this module runs."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(params=["db", "redis"])
def shared_cache(request, transactional_db):
    """The default cache as ``SB_CACHE_URL`` makes it, on the committed test database."""
    if request.param == "redis" and not redis_reachable():
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    if request.param == "db" and connection.vendor == "sqlite":
        pytest.skip(
            "the SQLite test database is in memory (shared-cache locks refuse a second writer "
            "at once); SQLite on disk is tested in a subprocess below"
        )
    url = "db://" if request.param == "db" else REDIS_URL
    with override_settings(CACHES={"default": cache_config(url)}):
        yield caches["default"]
        connections.close_all()


def burst(work) -> list:
    """Run ``work()`` in THREADS threads released together; their results."""
    barrier = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work()
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            results[i] = exc
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    return results


def new_client():
    """A POST from an address no earlier test used."""
    address = f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    return RequestFactory().post("/melden/", REMOTE_ADDR=address)


def test_the_counter_counts_every_hit_once(shared_cache):
    key = f"burst-{uuid.uuid4()}"
    counts = burst(lambda: count_in_window(key, 3600).count)
    assert sorted(counts) == list(range(1, THREADS + 1))


def test_a_form_limit_holds_under_a_burst(shared_cache):
    """django-ratelimit's add + incr on the cache (the error-report form's counter)."""
    request = new_client()
    group = f"sb.burst-{uuid.uuid4()}"

    def post():
        usage = get_usage(
            request, group=group, key="ip", rate=f"{LIMIT}/h", method=["POST"], increment=True
        )
        return not usage["should_limit"]

    assert sum(burst(post)) == LIMIT


def test_the_api_throttle_holds_under_a_burst(shared_cache, settings):
    request = new_client()
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    rates = {"anon": f"{LIMIT}/h", "user": "100/h"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        allowed = burst(lambda: AnonThrottle().allow_request(request, None))
    assert sum(allowed) == LIMIT


SQLITE_BURST = """
import json, threading
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from socialebasis.lib.ratelimit import count_in_window

call_command("createcachetable", verbosity=0)
barrier, counts = threading.Barrier(%(threads)d), []

def run():
    barrier.wait(timeout=30)
    counts.append(count_in_window("burst", 3600).count)
    connections.close_all()

threads = [threading.Thread(target=run) for _ in range(%(threads)d)]
[t.start() for t in threads]
[t.join() for t in threads]
print(json.dumps(sorted(counts)))
"""


def test_the_counter_counts_every_hit_once_on_sqlite_on_disk(tmp_path):
    """The demo's database: SQLite in a file, 20 threads each with its own connection."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'burst.sqlite3'}",
        "SB_CACHE_URL": "db://",
        "DJANGO_SETTINGS_MODULE": "socialebasis.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", SQLITE_BURST % {"threads": THREADS}],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == list(range(1, THREADS + 1))
