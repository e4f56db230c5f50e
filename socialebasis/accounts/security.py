"""Brute-force protection and privacy-preserving identifiers for login attempts.

A failed login names an e-mail address that may not belong to anyone, or belongs to
someone who did not try to log in. Neither the audit log nor django-axes stores it: both
keep ``email_digest(email)``, a keyed hash (HMAC with the site's secret key), so repeated
attempts on one address can be counted and correlated without the address itself.
"""

from axes.backends import AxesStandaloneBackend
from django.utils.crypto import salted_hmac

_DIGEST_SALT = "socialebasis.accounts.login-email"


def normalise_email(email: str | None) -> str:
    return (email or "").strip().lower()


def email_digest(email: str | None) -> str:
    """A keyed SHA-256 hash (64 hex characters) of the normalised e-mail address."""
    return salted_hmac(_DIGEST_SALT, normalise_email(email), algorithm="sha256").hexdigest()


def axes_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: what axes counts and stores instead of the typed e-mail.

    Single sign-on attempts carry no e-mail (None): axes then counts them per IP address.
    """
    typed = (credentials or {}).get("username")
    if typed is None and request is not None and request.method == "POST":
        typed = request.POST.get("username")
    return email_digest(typed) if typed else None


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lock-out check for every login made through a request.

    Authentication without a request (the test client's ``login()``, shell scripts) is not
    a login attempt from the internet; axes' own backend refuses it outright, this one lets
    the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
