"""Writes of the privacy app on accounts: anonymisation of a user account (retention,
erasure). Every write that concerns a resident's file is in ``residents.actions``.
"""

import uuid

from django.apps import apps

from socialebasis.accounts.constants import Role, professional_roles
from socialebasis.accounts.security import email_digest

ANONYMISED_EMAIL_DOMAIN = "geanonimiseerd.invalid"
REASON_MAX_LENGTH = 2000


def holds_professional_role(user) -> bool:
    """Whether the account is also a professional's (then erasure and retention leave it:
    the audit log must keep saying who looked at a file)."""
    return (
        user.is_superuser
        or user.is_staff
        or user.memberships.filter(role__in=professional_roles()).exists()
    )


def scrub_admin_log(obj) -> None:
    """Django admin's change log keeps an object's ``str()``: blank it for this object."""
    if not apps.is_installed("django.contrib.admin"):
        return
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).update(object_repr="", change_message="")


def do_anonymise_user(user) -> None:
    """Deactivate an account and remove everything personal from it: e-mail, name,
    password, two-factor devices, lock-out records, resident memberships; every session
    ends. The row stays so audit rows that name it by id keep pointing somewhere harmless."""
    old_email = user.email
    user.email = f"{user.pk.hex}@{ANONYMISED_EMAIL_DOMAIN}"
    user.full_name = ""
    user.pending_email = ""
    user.language = ""
    user.is_active = False
    user.email_verified_at = None
    user.last_login = None
    user.set_unusable_password()
    user.security_stamp = uuid.uuid4()  # ends every session
    user.save()
    user.memberships.filter(role=Role.RESIDENT).delete()
    if apps.is_installed("django_otp"):
        from django_otp import devices_for_user

        for device in devices_for_user(user, confirmed=None):
            device.delete()
    if apps.is_installed("axes"):
        remove_login_records(old_email)
    scrub_admin_log(user)


def remove_login_records(email: str) -> int:
    """Delete django-axes' records (attempts, failure and access logs) of logins with
    ``email``. Axes stores the keyed digest that ``AXES_USERNAME_CALLABLE`` made of the typed
    address (``accounts.security.email_digest``), never the address, so match on that.
    Returns how many rows went."""
    digest = email_digest(email)
    removed = 0
    for model in apps.get_app_config("axes").get_models():
        if any(f.name == "username" for f in model._meta.fields):
            removed += model.objects.filter(username=digest).delete()[0]
    return removed


def is_anonymised_user(user) -> bool:
    return user.email.endswith("@" + ANONYMISED_EMAIL_DOMAIN)
