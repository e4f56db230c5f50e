"""Completing a login, with a second step for users who set up two-factor authentication.

After the password (or single sign-on) a user with an authenticator app is not logged in
yet: the session holds a *pending login* (user id, how they authenticated, where to go
next) for five minutes and at most five codes. Only a correct code logs them in, so a
stolen password alone never yields a session. Users without an app are logged in at once;
professionals among them must set one up before they can open personal data
(``residents.access`` and ``accounts.middleware``).
"""

import time

import django_otp
from django.contrib import auth
from django.utils.http import url_has_allowed_host_and_scheme

from socialebasis.accounts.models import User
from socialebasis.accounts.twofactor import is_recovery_device
from socialebasis.audit import events

PENDING_KEY = "sb_pending_login"
PENDING_SECONDS = 5 * 60
MAX_CODE_ATTEMPTS = 5


def safe_next(request, url: str | None, default: str = "") -> str:
    """``url`` when it points into this site, else ``default``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default


def start_pending_login(request, user: User | None, *, next_url: str, method: str) -> None:
    """Remember that ``user`` passed the first step; the code step completes the login.

    ``user`` None starts a login that no code completes: over the failed-login limit of an
    address every password attempt gets the code step, right or wrong, so the answer does
    not tell whether the password was right (``views.LoginView``)."""
    request.session.cycle_key()  # a new session id once the first factor is known
    request.session[PENDING_KEY] = {
        "user": str(user.pk) if user is not None else "",
        "backend": getattr(user, "backend", "django.contrib.auth.backends.ModelBackend"),
        "at": time.time(),
        "next": next_url,
        "method": method,
        "attempts": 0,
    }


def pending_login(request) -> tuple[User | None, dict]:
    """The user waiting for the code step, or (None, {}) when there is none or it expired;
    (None, data) for a login that no code completes (see ``start_pending_login``)."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return None, {}
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None, {}
    if not data.get("user"):
        return None, data
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None, {}
    return user, data


def count_failed_code(request) -> bool:
    """Count a wrong code; returns False (and drops the pending login) after the last one."""
    data = request.session.get(PENDING_KEY)
    if not data:
        return False
    data["attempts"] = data.get("attempts", 0) + 1
    if data["attempts"] >= MAX_CODE_ATTEMPTS:
        request.session.pop(PENDING_KEY, None)
        return False
    request.session[PENDING_KEY] = data
    return True


def complete_login(
    request, user: User, *, method: str, device=None, backend: str | None = None
) -> None:
    """Log ``user`` in (verified with ``device`` when given) and audit the login."""
    auth.login(request, user, backend=backend)
    request.session.pop(PENDING_KEY, None)
    if device is not None:
        django_otp.login(request, device)
        method = f"{method}+{'recovery_code' if is_recovery_device(device) else 'totp'}"
    events.login(user, method=method)
    if device is not None and is_recovery_device(device):
        events.recovery_code_used(user)
