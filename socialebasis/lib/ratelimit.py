"""Rate limits for public forms and the plain-Django API views.

Forms: decorate the view with ``@rate_limited("report")``; the rate comes from
``settings.RATE_LIMITS[group]`` (env ``SB_RATE_LIMIT_<GROUP>``; an unknown group uses
``RATE_LIMITS["form"]``), counted per client IP address in the shared cache
(``SB_CACHE_URL``) by django-ratelimit. Only the methods given are counted (default: POST, so
showing a form is never limited). Over the limit the view is not called: the visitor gets
the Dutch/English page ``429.html`` (``templates/``, beside the other error pages) with
status 429 and ``Retry-After``; requests under ``/api/`` (or with ``json=True``) get
``{"detail": ...}`` as JSON.

For code that decides itself (a login view that also counts failed attempts), call
``check_rate_limit(request, "login")``: it returns None or the 429 response.

API views that are not DRF views (the HSDS API) call ``api_throttle(request)``: the same
``AnonRateThrottle``/``UserRateThrottle`` and counters as DRF's ``/api/v1/``, so a client has
one budget for the whole API.

``SB_RATE_LIMITS=0`` switches the form limits off (``RATELIMIT_ENABLE``).

Every counter is a fixed window (the hour, minute, ... of the rate) counted with an atomic
``cache.add`` + ``cache.incr``: Redis ``INCR``, or a row lock in the database cache
(``lib.cache.AtomicDatabaseCache``), so a burst of parallel requests never passes more than
the limit. The client is ``lib.clientip.client_ip`` everywhere (an IPv6 client by its /64,
as django-ratelimit counts it).
"""

import functools
import hashlib
import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from socialebasis.lib.clientip import client_ip

DEFAULT_METHODS = ("POST",)


def _rate(group: str) -> str | None:
    limits = getattr(settings, "RATE_LIMITS", {})
    return limits[group] if group in limits else limits.get("form")


def _wants_json(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def too_many_requests(
    request: HttpRequest, *, retry_after: int | None = None, json: bool | None = None
) -> HttpResponse:
    """The 429 answer: a friendly page, or JSON for the API."""
    retry_after = max(1, int(retry_after)) if retry_after else None
    if json or (json is None and _wants_json(request)):
        response: HttpResponse = JsonResponse(
            {"detail": "Too many requests. Try again later."}, status=429
        )
    else:
        minutes = math.ceil(retry_after / 60) if retry_after else None
        response = TemplateResponse(
            request,
            "429.html",
            {"minutes": minutes, "title": _("Even geduld")},
            status=429,
        )
        response.render()
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def check_rate_limit(
    request: HttpRequest,
    group: str,
    *,
    methods: tuple[str, ...] = DEFAULT_METHODS,
    key: str = "ip",
    json: bool | None = None,
) -> HttpResponse | None:
    """Count this request in ``group``; None while under the limit, else the 429 response."""
    rate = _rate(group)
    if rate is None:
        return None
    usage = get_usage(
        request, group=f"sb.{group}", key=key, rate=rate, method=list(methods), increment=True
    )
    if usage is None or not usage["should_limit"]:
        return None
    return too_many_requests(request, retry_after=usage.get("time_left"), json=json)


def rate_limited(
    group: str,
    *,
    methods: tuple[str, ...] = DEFAULT_METHODS,
    key: str = "ip",
    json: bool | None = None,
):
    """Decorator for a function view: at most ``RATE_LIMITS[group]`` requests with one of
    ``methods`` per client (``key``: "ip", "user" or "user_or_ip"), else the 429 answer."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            limited = check_rate_limit(request, group, methods=methods, key=key, json=json)
            if limited is not None:
                return limited
            return view(request, *args, **kwargs)

        wrapper.rate_limit_group = group
        return wrapper

    return decorator


def api_throttle(request: HttpRequest) -> HttpResponse | None:
    """DRF's throttles (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]) for a plain Django view:
    None while allowed, else a 429 JSON answer with ``Retry-After``."""
    from rest_framework.settings import api_settings

    waits = []
    for throttle_class in api_settings.DEFAULT_THROTTLE_CLASSES:
        throttle = throttle_class()
        if not throttle.allow_request(request, None):
            waits.append(throttle.wait() or 1)
    if waits:
        return too_many_requests(request, retry_after=math.ceil(max(waits)), json=True)
    return None


EXPIRY_MARGIN = 5  # seconds a window's counter outlives the window (as django-ratelimit)


@dataclass(frozen=True)
class WindowCount:
    """The count of one key in the current window, with this request included."""

    count: int
    seconds_left: int  # until the window ends (at least 1)


def count_in_window(key: str, period: int) -> WindowCount:
    """Count one event for ``key`` in the current ``period``-second window (aligned to the
    epoch) of the rate-limit cache (``RATELIMIT_USE_CACHE``), atomically: the first request
    of a window creates the counter with ``add`` (only one process can), the others
    increment it. ``key`` is any string; it is hashed into the cache key."""
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    now = time.time()
    window = int(now // period)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"sb.window:{period}:{window}:{digest}"
    count = _add_or_incr(cache, cache_key, period + EXPIRY_MARGIN)
    return WindowCount(count=count, seconds_left=max(1, math.ceil((window + 1) * period - now)))


def _add_or_incr(cache, cache_key: str, timeout: int) -> int:
    for _attempt in range(3):
        if cache.add(cache_key, 1, timeout):
            return 1
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add and incr: create it again
            continue
    raise RuntimeError(f"rate-limit counter {cache_key} could not be counted")


def counting_ip(request: HttpRequest) -> str:
    """The client's address as counters key it: IPv4 as is, IPv6 by its /64 network (one
    client usually holds a whole /64 and could otherwise change address per request)."""
    ip = client_ip(request)
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return ip
