"""Exceptions of the accounts app that other apps raise."""

from django.core.exceptions import PermissionDenied


class TwoFactorRequired(PermissionDenied):
    """A professional tried to open personal data without two-factor authentication in this
    session. ``accounts.middleware.TwoFactorRequiredMiddleware`` turns it into a redirect to
    the code step (or to two-factor setup); anywhere else it is a plain 403."""
