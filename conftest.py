"""Project-wide pytest configuration."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in tests


def pytest_addoption(parser):
    parser.addoption(
        "--update-query-counts",
        action="store_true",
        default=False,
        help="rewrite socialebasis/testing/query_counts.json with the measured query counts "
        "of the main pages instead of checking them (socialebasis/testing/query_counts.py)",
    )


# ---------------------------------------------------------------- shared fixtures

import pytest  # noqa: E402

TEST_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sociale-basis-tests",
    }
}


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts and ends in Dutch: a request under /en/ activates English for the
    thread (LocaleMiddleware), which must not decide the labels a later test reads."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _per_test_cache(settings):
    """Each test starts with an empty in-memory cache (rate-limit and throttle counters).

    Production uses a shared cache (database or Redis, ``SB_CACHE_URL``); in a test process
    memory is shared enough, keeps the API's query counts free of cache queries, and is
    emptied here so that counters never leak from one test into the next; so is the
    geocoder's memo of the area aliases.
    ``socialebasis/security/tests`` checks the database cache itself.
    """
    from django.core.cache import cache

    from socialebasis.directory import geocoding, points

    settings.CACHES = TEST_CACHES
    cache.clear()
    # The area aliases are read once per process from data/*/gebieden.csv (SB_DATA_DIR);
    # a test that points SB_DATA_DIR elsewhere must not decide the next test's.
    geocoding._aliases.cache_clear()
    points.clear()  # the token would force a reload anyway; this frees the memory sooner
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    """The persona world (socialebasis.testing.personas): a resident and her carer, a
    volunteer, social workers of her team and of another, a team lead, policy and privacy
    officers, an administrator and a social worker of another municipality. Log one in with
    ``login_as(client, personas.social_worker)``."""
    from socialebasis.testing.personas import build_personas

    return build_personas()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin client, with a two-factor-verified session: the admin requires
    it (accounts.middleware)."""
    from socialebasis.testing.personas import force_login_verified

    return force_login_verified(client, admin_user)
