"""Rendering notifications: the heading and text in the in-app list, and the e-mail.

Links in e-mails are absolute on ``settings.SITE_URL`` (``SB_SITE_URL``): a notification is
often made outside any request (a scheduled job, a worker), so there is no request to take
the host from.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation

from socialebasis.notifications.kinds import get_kind


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plain(template_name: str, context: dict) -> str:
    # Plain text: the HTML page escapes it when it shows it, a mail must not carry "&amp;".
    template = get_template(template_name).template
    return template.render(Context(context, autoescape=False))


def subject_of(notification) -> str:
    """The one-line heading of ``notification`` in the active language (plain text)."""
    kind = get_kind(notification.kind)
    return _one_line(_plain(kind.subject_template, kind.template_context(notification.context)))


def message_of(notification) -> str:
    """The text of ``notification`` in the active language (plain text, may span lines)."""
    kind = get_kind(notification.kind)
    return _plain(kind.message_template, kind.template_context(notification.context)).strip()


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render_email(notification) -> tuple[str, str]:
    """(subject, body) of ``notification``'s e-mail in its own language. A kind about a
    resident gets the neutral mail: no subject or text of its own, only "log in to read"."""
    kind = get_kind(notification.kind)
    with translation.override(notification.language or settings.LANGUAGE_CODE):
        context = {
            "name": _name(notification),
            "list_url": absolute(reverse("notifications:list")),
            "preferences_url": absolute(reverse("notifications:preferences")),
            "has_account": notification.recipient_id is not None,
        }
        if kind.about_resident:
            subject = _plain("notifications/mail/about_resident_subject.txt", context)
            body = _plain("notifications/mail/about_resident_body.txt", context)
        else:
            context.update(
                subject=subject_of(notification),
                message=message_of(notification),
                url=absolute(notification.url) if notification.url else "",
            )
            subject = _plain("notifications/mail/subject.txt", context)
            body = _plain("notifications/mail/body.txt", context)
    return _one_line(subject), body


def _name(notification) -> str:
    if notification.recipient_id:
        return notification.recipient.full_name
    return notification.contact_name


def send(notification) -> None:
    """Send ``notification``'s e-mail now (the worker calls this); SMTP and network errors
    propagate for the task to retry."""
    to = notification.recipient.email if notification.recipient_id else notification.contact_email
    subject, body = render_email(notification)
    send_mail(subject, body, None, [to])
