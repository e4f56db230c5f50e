"""schemathesis against the committed OpenAPI document (docs/openapi.yaml): generated
requests to every /api/v1/ operation never make the server fail (``not_a_server_error``).

The requests go straight to the Django WSGI application, inside the test's transaction, on
the persona world (a small directory: organisations, a service at a location, a theme term,
areas of Amsterdam and Utrecht). Each operation gets at most ``MAX_EXAMPLES`` generated
cases (hypothesis), so the suite stays fast; CI runs it on SQLite and PostgreSQL. Throttling
is off here (it is tested in security/tests/test_ratelimit.py).

Besides the MAX_EXAMPLES generated cases per operation, schemathesis sends the schema's
examples, boundary ("coverage") cases and unsupported methods: about 1,100 requests to the
15 operations in all (first run: 0 server errors).
"""

from pathlib import Path

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

ROOT = Path(__file__).resolve().parents[3]
MAX_EXAMPLES = 20

schema = schemathesis.openapi.from_path(ROOT / "docs" / "openapi.yaml")
schema.app = WSGIHandler()


@pytest.fixture
def api_world(personas, settings):
    """The persona world, no API throttling, and a WSGI app that keeps the test's database
    connection (as Django's test client does: no closing of "old" connections per request)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None},
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield personas
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
@pytest.mark.django_db
def test_api_never_answers_with_a_server_error(case, api_world):
    case.call_and_validate(checks=[not_a_server_error])
