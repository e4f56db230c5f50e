"""E-mails of the accounts app: confirming an address, invitations, registration notes,
password resets.

A request only enqueues a mail (``send_*`` -> ``accounts.tasks.send_account_email``); the
worker renders it and makes its link (``deliver``). Links are absolute URLs on the base URL of
the request that asked for the mail. E-mail confirmation links are signed
(``django.core.signing``, timestamped) and carry the user id and the address, so a link
stops working when the address changes; password links use Django's token generator.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialebasis.accounts.models import User

_VERIFY_SALT = "socialebasis.accounts.email-verification"


def make_verification_token(user: User, email: str = "") -> str:
    """A signed link token for ``email`` (default: the account's address)."""
    return signing.dumps({"u": str(user.pk), "e": email or user.email}, salt=_VERIFY_SALT)


def verification_for_token(token: str) -> tuple[User, str] | None:
    """(user, address) of a valid, unexpired link, or None. The address is the account's
    own, or the new address it waits to change to (``pending_email``); a link for an address
    that is neither any more (changed, cancelled) is invalid."""
    try:
        data = signing.loads(token, salt=_VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    email = data.get("e")
    if user is None or not email or email not in (user.email, user.pending_email):
        return None
    return user, email


def user_for_verification_token(token: str) -> User | None:
    """The user a valid, unexpired link was made for, or None."""
    found = verification_for_token(token)
    return found[0] if found else None


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _enqueue(request, kind: str, user: User) -> None:
    from socialebasis.accounts.tasks import send_account_email

    language = user.language or translation.get_language() or ""
    send_account_email.enqueue(kind, str(user.pk), _base_url(request), language)


def _send(template: str, to: str, context: dict) -> None:
    context = {"site_name": "Sociale Basis", **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [to])


def password_link(base_url: str, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


def deliver(kind: str, user: User, base_url: str) -> None:
    """Render and send mail ``kind`` to ``user`` now (called by the worker's task)."""
    if kind == "verify":
        url = base_url + reverse("accounts:verify_email", args=[make_verification_token(user)])
        hours = settings.EMAIL_VERIFICATION_MAX_AGE // 3600
        _send("verify", user.email, {"user": user, "url": url, "hours": hours})
    elif kind == "verify_new_email":
        if not user.pending_email:
            return  # the change was cancelled (or confirmed) since it was asked for
        token = make_verification_token(user, user.pending_email)
        url = base_url + reverse("accounts:verify_email", args=[token])
        hours = settings.EMAIL_VERIFICATION_MAX_AGE // 3600
        _send("verify", user.pending_email, {"user": user, "url": url, "hours": hours})
    elif kind in ("invitation", "password_reset"):
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        url = password_link(base_url, user)
        _send(kind, user.email, {"user": user, "url": url, "hours": hours})
    elif kind == "already_registered":
        _send(
            "already_registered",
            user.email,
            {
                "user": user,
                "login_url": base_url + reverse("accounts:login"),
                "reset_url": base_url + reverse("accounts:password_reset"),
            },
        )
    else:
        raise ValueError(f"unknown account e-mail {kind!r}")


def send_verification_email(request, user: User) -> None:
    _enqueue(request, "verify", user)


def send_email_change_confirmation(request, user: User) -> None:
    """The user asked to change their address: a confirmation link to the new address
    (``user.pending_email``); the account keeps the old one until it is followed."""
    _enqueue(request, "verify_new_email", user)


def send_invitation_email(request, user: User) -> None:
    """An administrator made an account: the link lets the person choose a password (and
    confirms the address, see ``views.PasswordResetConfirm``)."""
    _enqueue(request, "invitation", user)


def send_already_registered_email(request, user: User) -> None:
    """Someone registered with an address that has an account: tell its owner, not them."""
    _enqueue(request, "already_registered", user)
