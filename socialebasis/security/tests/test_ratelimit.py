"""Rate limits: the public error-report form (a friendly 429 page) and the API (429 JSON),
counted in the shared cache; the database cache behind them works."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings

from socialebasis.directory.models import ErrorReport
from socialebasis.lib.hardening import CACHE_TABLE, cache_config
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

REPORT = {"reporter_name": "Jan", "reporter_email": "", "message": "Klopt niet."}


def post_reports(client, times, **extra):
    return [client.post("/melden/", REPORT, **extra) for _ in range(times)]


def test_report_form_is_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "3/h"}
    answers = post_reports(client, 3)
    assert [r.status_code for r in answers] == [302, 302, 302]
    limited = client.post("/melden/", REPORT)
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    page = limited.content.decode()
    assert "Even geduld" in page and "Probeer het over" in page
    assert ErrorReport.objects.count() == 3  # the fourth never reached the action
    # Showing the form is not limited, and another address still gets through.
    assert client.get("/melden/").status_code == 200
    assert client.post("/melden/", REPORT, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_limit_page_in_english(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    post_reports(client, 1)
    limited = client.post("/en/melden/", REPORT)
    assert limited.status_code == 429
    page = limited.content.decode()
    assert "Please wait" in page and "Please try again in" in page


def test_limits_can_be_switched_off(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    settings.RATELIMIT_ENABLE = False
    assert {r.status_code for r in post_reports(client, 3)} == {302}


def test_behind_a_proxy_the_configured_header_names_the_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client.post("/melden/", REPORT, HTTP_X_REAL_IP="198.51.100.1").status_code == 302
    assert client.post("/melden/", REPORT, HTTP_X_REAL_IP="198.51.100.2").status_code == 302
    assert client.post("/melden/", REPORT, HTTP_X_REAL_IP="198.51.100.1").status_code == 429


@pytest.mark.parametrize("url", ["/api/v1/services/", "/api/hsds/services", "/api/v1/search/"])
def test_api_is_throttled_with_json(client, settings, url):
    f.ServiceFactory()
    rates = {"anon": "2/min", "user": "5/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        codes = [client.get(url, {"q": "x"}).status_code for _ in range(2)]
        assert 429 not in codes
        limited = client.get(url, {"q": "x"})
    assert limited.status_code == 429
    assert limited["Content-Type"].startswith("application/json")
    assert "detail" in limited.json()
    assert int(limited["Retry-After"]) > 0


def test_one_api_budget_for_v1_and_hsds(client, settings):
    rates = {"anon": "2/min", "user": "5/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        assert client.get("/api/v1/services/").status_code == 200
        assert client.get("/api/hsds/services").status_code == 200
        assert client.get("/api/v1/services/").status_code == 429
        assert client.get("/api/hsds/").status_code == 429


def test_the_migration_created_the_cache_table():
    assert CACHE_TABLE in connection.introspection.table_names()


def test_limits_hold_in_the_database_cache(client, settings):
    """The default cache of a deployment: counters in the database, shared by processes."""
    settings.CACHES = {"default": cache_config("db://")}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "2/h"}
    assert caches["default"].__class__.__name__ == "AtomicDatabaseCache"
    assert [r.status_code for r in post_reports(client, 3)] == [302, 302, 429]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(CACHE_TABLE)}")
        assert cursor.fetchone()[0] >= 1
