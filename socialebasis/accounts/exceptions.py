"""Exceptions of the accounts app that other apps raise."""

from django.core.exceptions import PermissionDenied


class TwoFactorRequired(PermissionDenied):
    """A professional tried to open personal data without two-factor authentication in this
    session. ``accounts.middleware.TwoFactorRequiredMiddleware`` turns it into a redirect to
    the code step (or to two-factor setup); anywhere else it is a plain 403."""


class SelfGrantRefused(PermissionDenied):
    """Someone tried to give themself a role that opens personal data, or to approve a
    grant they requested or that is for them."""


class ApprovalRequired(PermissionDenied):
    """A role that opens personal data was to be granted (or widened) directly: it needs a
    request and a second administrator's approval (``do_request_role_grant``)."""


class GrantNotPending(PermissionDenied):
    """The role grant was decided already (approved or rejected)."""
