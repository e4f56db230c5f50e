"""``SB_CACHE_URL=redis://...``: rate limits, the API throttle and the lock-out hold with the
local Redis as the shared cache, through real requests (skipped only when Redis does not
answer; ``SB_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/5``, is emptied)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from socialebasis.accounts.tests.conftest import PASSWORD, login, world  # noqa: F401
from socialebasis.lib.hardening import cache_config
from socialebasis.security.tests.test_atomic_counters import REDIS_URL, redis_reachable
from socialebasis.testing import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not redis_reachable(), reason=f"Redis at {REDIS_URL} does not answer"),
]


@pytest.fixture
def redis_cache(settings):
    with override_settings(CACHES={"default": cache_config(REDIS_URL)}):
        cache = caches["default"]
        assert cache.__class__.__name__ == "RedisCache"
        cache.clear()
        yield cache
        cache.clear()


def test_form_limit_and_api_throttle_count_in_redis(client, redis_cache, settings):
    f.ServiceFactory()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "2/h"}
    report = {"reporter_name": "Jan", "reporter_email": "", "message": "Klopt niet."}
    codes = [client.post("/melden/", report).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    rates = {"anon": "2/min", "user": "5/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        codes = [client.get("/api/v1/services/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert len(redis_cache._cache.get_client().keys("*")) >= 2  # the counters are in Redis


def test_login_limit_and_lock_out_hold_with_redis(client, world, redis_cache, settings):  # noqa: F811
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "6/h"}
    email, here = "sw-west@example.org", {"REMOTE_ADDR": "192.0.2.50"}
    for attempt in range(5):
        login(client, email, f"fout-{attempt}", **here)
    # The lock-out of this account from this address (django-axes, rows in the database).
    locked = login(client, email, PASSWORD, **here)
    assert locked.status_code == 429 and "Even niet inloggen" in locked.content.decode()
    # The failed-login limit of the address (a counter in Redis): over it, another account's
    # password alone no longer logs in from here.
    login(client, "d@example.org", "fout", **here)
    limited = login(client, "inwoner@example.org", PASSWORD, **here)
    assert limited.status_code == 429 and "tweestapsverificatie" in limited.content.decode()
    assert login(client, email, PASSWORD, REMOTE_ADDR="192.0.2.51").status_code == 302
