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

import smtplib

from django.contrib.sessions.models import Session
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from socialebasis.accounts.models import User
from socialebasis.lib.schedule import register_job
from socialebasis.lib.tasks import retry_later

KINDS = ("verify", "verify_new_email", "invitation", "already_registered", "password_reset")


@task()
def send_account_email(kind: str, user_id: str, base_url: str, language: str, attempt: int = 1):
    """Render and send mail ``kind`` (one of ``KINDS``) to user ``user_id``; links start with
    ``base_url`` ("https://host"). A user deleted since is skipped. ValueError for an unknown
    kind. A send that fails is re-enqueued with back-off (``lib.tasks``), five attempts in
    all."""
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
            return retry_later(
                send_account_email,
                (kind, user_id, base_url, language),
                attempt=attempt,
                error=exc,
                what=f"account e-mail {kind} to user {user_id}",
            )
    return "sent"


@task()
def clear_expired_sessions() -> str:
    """Delete expired sessions from the database (Django's ``clearsessions``); a session
    holds who is logged in, so it should not outlive its expiry."""
    count, _deleted = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"{count} sessions"


register_job(
    "clear_expired_sessions",
    clear_expired_sessions,
    "FREQ=DAILY;BYHOUR=4;BYMINUTE=15",
    _("Verlopen sessies opruimen"),
    app="accounts",
)
