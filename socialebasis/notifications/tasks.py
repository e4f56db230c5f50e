"""Background work of the notifications app: sending a notification's e-mail.

The request (or job) that called ``notify`` enqueued only the notification's id; the worker
renders the mail in the person's language and sends it, retrying with back-off
(``lib.tasks``). A notification deleted since (erasure, retention) is skipped.
"""

import smtplib

from django_tasks import task

from socialebasis.lib.tasks import BACKOFF_MINUTES, retry_later
from socialebasis.notifications import emails
from socialebasis.notifications.access import notification_for_delivery
from socialebasis.notifications.actions import record_email_outcome
from socialebasis.notifications.models import EmailStatus


@task()
def send_notification_email(notification_id: str, attempt: int = 1) -> str:
    """Send the e-mail of notification ``notification_id`` (a UUID string). Returns "sent",
    "skipped: ..." or "retry N after ..."; raises the SMTP/network error after the last
    attempt (the row is then marked failed)."""
    notification = notification_for_delivery(notification_id)
    if notification is None:
        return "skipped: no such notification"
    if notification.email_status == EmailStatus.SENT:
        return "skipped: already sent"
    try:
        emails.send(notification)
    except (smtplib.SMTPException, OSError) as exc:
        if attempt > len(BACKOFF_MINUTES):
            record_email_outcome(notification, EmailStatus.FAILED)
        return retry_later(
            send_notification_email,
            (notification_id,),
            attempt=attempt,
            error=exc,
            what=f"notification e-mail {notification.kind} {notification_id}",
        )
    record_email_outcome(notification, EmailStatus.SENT)
    return "sent"
