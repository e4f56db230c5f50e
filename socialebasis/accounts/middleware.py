"""Session rules for professionals.

- ``ProfessionalIdleTimeoutMiddleware``: a professional's session ends after
  ``settings.PROFESSIONAL_IDLE_MINUTES`` without a request; each request starts the period
  again. Everyone else keeps Django's default (two weeks, ``SESSION_COOKIE_AGE``).
- ``TwoFactorRequiredMiddleware``: when ``residents.access`` (or any access function)
  raises ``TwoFactorRequired``, the user is sent to the code step, or to two-factor setup
  when they have no app yet, with ``?next=`` back to the page they wanted. The same holds
  for staff opening the admin (``/beheer/``), which shows personal data (accounts, error
  reports), without a two-factor-verified session.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from socialebasis.accounts.constants import professional_roles
from socialebasis.accounts.exceptions import TwoFactorRequired
from socialebasis.accounts.twofactor import has_two_factor

_REFRESHED_KEY = "sb_idle_refreshed"
# Saving the session on every request would write to the database on every page; within
# this many seconds of the last refresh the expiry is left alone.
_REFRESH_GRANULARITY = 30


def is_professional(user) -> bool:
    """Whether the idle timeout and the two-factor rule apply (one small query)."""
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=professional_roles()).exists()


class ProfessionalIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_professional(user):
            session = request.session
            idle = settings.PROFESSIONAL_IDLE_MINUTES * 60
            now = timezone.now().timestamp()
            last = session.get(_REFRESHED_KEY, 0)
            if session.get_expiry_age() != idle or now - last >= _REFRESH_GRANULARITY:
                # A relative expiry: the session row's expire date moves to now + idle each
                # time the session is saved, and the cookie gets the same max-age.
                session.set_expiry(idle)
                session[_REFRESHED_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            match is not None
            and "admin" in match.namespaces
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and not user.is_verified()
        ):
            return self.process_exception(request, TwoFactorRequired("admin needs two-factor"))
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoFactorRequired):
            return None
        name = (
            "accounts:two_factor_verify"
            if has_two_factor(request.user)
            else "accounts:two_factor_setup"
        )
        url = f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
