"""Deploy checks of our own (``manage.py check --deploy``)."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Rate limits and API throttling count in the default cache: it must be shared by all
    processes (database or Redis), or every process counts on its own."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Error(
                f"The default cache ({backend}) is not shared between processes, so rate "
                "limits do not hold.",
                hint="Set SB_CACHE_URL to db:// (default) or redis://host:6379/0.",
                id="security.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_csp(app_configs, **kwargs):
    """The Content-Security-Policy forbids inline script."""
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    script = directives.get("script-src") or directives.get("default-src") or []
    if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        return [
            checks.Error(
                "CONTENT_SECURITY_POLICY must set script-src without 'unsafe-inline' or "
                "'unsafe-eval'.",
                id="security.E002",
            )
        ]
    return []
