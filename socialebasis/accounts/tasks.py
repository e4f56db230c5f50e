"""Background work of the accounts app: its e-mails, sent by the worker, never inside a
request.

A request enqueues ``send_account_email`` with the kind of mail, the user's id, the site's
base URL and the language, nothing else: the worker renders the mail and makes its link
(a password token, a signed confirmation) when it sends, so no link or address waits in the
task table. A failed send (SMTP or network error) is tried again later with back-off
(1, 5, 30, 120 minutes), then given up and logged. The queue is Django's tasks framework
(``django-tasks`` with the ``django-tasks-db`` database backend), run by ``socialebasis
worker``; the test settings run tasks immediately.
"""

import logging
import smtplib
from datetime import timedelta

from django.utils import timezone, translation
from django_tasks import task

from socialebasis.accounts.models import User

log = logging.getLogger(__name__)

KINDS = ("verify", "verify_new_email", "invitation", "already_registered", "password_reset")
BACKOFF_MINUTES = (1, 5, 30, 120)  # after attempt 1, 2, 3, 4; attempt 5 is the last


@task()
def send_account_email(kind: str, user_id: str, base_url: str, language: str, attempt: int = 1):
    """Render and send mail ``kind`` (one of ``KINDS``) to user ``user_id``; links start with
    ``base_url`` ("https://host"). A user deleted since is skipped. ValueError for an unknown
    kind. A send that fails is re-enqueued with back-off, at most ``len(BACKOFF_MINUTES) + 1``
    attempts in all."""
    from socialebasis.accounts import emails

    if kind not in KINDS:
        raise ValueError(f"unknown account e-mail {kind!r}")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped: no such user"
    with translation.override(language or None):
        try:
            emails.deliver(kind, user, base_url)
        except (smtplib.SMTPException, OSError) as exc:
            if attempt > len(BACKOFF_MINUTES):
                log.error("account e-mail %s to user %s given up: %s", kind, user_id, exc)
                raise
            delay = timedelta(minutes=BACKOFF_MINUTES[attempt - 1])
            send_account_email.using(run_after=timezone.now() + delay).enqueue(
                kind, user_id, base_url, language, attempt + 1
            )
            log.warning(
                "account e-mail %s to user %s failed (%s); retry in %s", kind, user_id, exc, delay
            )
            return f"retry {attempt + 1} after {delay}"
    return "sent"
