"""The client's address: one answer for lock-out (django-axes), the rate limits of forms
(django-ratelimit), the API throttle (DRF and the HSDS views) and the lock-out records.

Which address counts depends on how the site is reached (settings ``CLIENT_IP_HEADER`` and
``NUM_PROXIES``, from ``SB_CLIENT_IP_HEADER`` and ``SB_NUM_PROXIES``):

- ``SB_CLIENT_IP_HEADER`` set (e.g. ``X-Real-IP``, written by the reverse proxy): that header.
  It wins over ``SB_NUM_PROXIES``.
- else ``SB_NUM_PROXIES`` = n > 0: the n-th address from the right of ``X-Forwarded-For``
  (the address the outermost of our n proxies saw; what a client writes to the left of it
  is ignored, as DRF does).
- else (default, no proxy): the connection's address, ``REMOTE_ADDR``. ``X-Forwarded-For``
  is ignored: a client could write anything there.

A header that is missing or holds no valid IP address falls back to ``REMOTE_ADDR`` (a
request that bypassed the proxy is counted by the address it came from), so a client cannot
get a fresh counter by sending garbage.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def meta_key(header: str) -> str:
    """``X-Real-IP`` -> ``HTTP_X_REAL_IP`` (the key of a request header in ``request.META``)."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def _valid(address: str | None) -> str | None:
    """The address in canonical form, or None when it is not an IPv4/IPv6 address."""
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The client's IP address as a string (``"198.51.100.7"``, ``"2001:db8::1"``); see the
    module docstring for where it comes from. An empty string only when even ``REMOTE_ADDR``
    is missing (a request built by hand)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        return _valid(request.META.get(meta_key(header))) or remote
    proxies = getattr(settings, "NUM_PROXIES", 0) or 0
    if proxies > 0 and request.META.get(FORWARDED_FOR):
        hops = [hop.strip() for hop in request.META[FORWARDED_FOR].split(",")]
        return _valid(hops[-min(proxies, len(hops))]) or remote
    return remote
