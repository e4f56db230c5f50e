"""Audit receivers for login attempts (connected in ``AccountsConfig.ready``).

Successful logins are audited by the views that complete them (``login.complete_login``),
so that tests and scripts logging in with ``force_login`` do not write audit rows.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from socialebasis.accounts.security import email_digest
from socialebasis.audit import events


@receiver(user_login_failed, dispatch_uid="socialebasis.accounts.login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    """A wrong e-mail/password combination (or a refused attempt while locked out).

    Single sign-on attempts carry no e-mail here; the OIDC backend audits its own refusals.
    """
    if request is None or "username" not in credentials:
        return
    events.login_failed(email_digest(credentials.get("username")))


@receiver(user_locked_out, dispatch_uid="socialebasis.accounts.locked_out")
def audit_locked_out(sender, request=None, username=None, **kwargs):
    """django-axes locked an address out; ``username`` is already our keyed hash."""
    events.locked_out(username or "")
