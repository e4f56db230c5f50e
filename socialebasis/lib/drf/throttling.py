"""API throttling: DRF's anonymous (per IP address) and per-user rate throttles, reading
their rates from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time (DRF's own
classes copy them at import, so a changed setting would not apply). Counters live in the
shared default cache. The HSDS views use the same classes (``lib.ratelimit.api_throttle``)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _CurrentRates:
    @property
    def THROTTLE_RATES(self):  # noqa: N802  (DRF's attribute name)
        return api_settings.DEFAULT_THROTTLE_RATES


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    """Anonymous clients: ``SB_API_RATE_ANON`` per IP address."""


class UserThrottle(_CurrentRates, UserRateThrottle):
    """Logged-in users: ``SB_API_RATE_USER`` per user."""
