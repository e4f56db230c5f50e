"""API throttling: DRF's anonymous (per IP address) and per-user rate throttles, reading
their rates from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` at request time (DRF's own
classes copy them at import, so a changed setting would not apply). The HSDS views use the
same classes (``lib.ratelimit.api_throttle``).

Two things differ from DRF's classes. The client is ``lib.clientip.client_ip`` (the address
the lock-out and the form limits use; DRF would read ``X-Forwarded-For`` by its own rules).
And the count is an atomic fixed-window counter in the shared cache
(``lib.ratelimit.count_in_window``) instead of DRF's list of request times, which every
request reads, appends to and writes back: parallel requests each appended to the same old
list, so a burst of 20 passed a limit of 10.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from socialebasis.lib.ratelimit import count_in_window, counting_ip


class _CurrentRates:
    @property
    def THROTTLE_RATES(self):  # noqa: N802  (DRF's attribute name)
        return api_settings.DEFAULT_THROTTLE_RATES


class _AtomicWindow:
    """Replaces SimpleRateThrottle's history with ``count_in_window``."""

    def get_ident(self, request):
        return counting_ip(request)

    def allow_request(self, request, view):
        self.seconds_left = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        usage = count_in_window(key, self.duration)
        if usage.count <= self.num_requests:
            return True
        self.seconds_left = usage.seconds_left
        return False

    def wait(self):
        """Seconds until the window ends (None while allowed)."""
        return self.seconds_left


class AnonThrottle(_AtomicWindow, _CurrentRates, AnonRateThrottle):
    """Anonymous clients: ``SB_API_RATE_ANON`` per IP address."""


class UserThrottle(_AtomicWindow, _CurrentRates, UserRateThrottle):
    """Logged-in users: ``SB_API_RATE_USER`` per user."""
