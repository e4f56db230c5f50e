"""Two-factor authentication with django-otp: an authenticator app (TOTP) and one-time
recovery codes (django-otp's static device).

A user "has two-factor authentication" when they have a confirmed TOTP device; recovery
codes exist only beside it. A session is *verified* (``request.user.is_verified()``) once a
code from either device was accepted in it; ``residents.access`` asks for that before a
professional opens personal data.
"""

import re
from base64 import b32encode

import segno
from django.db import transaction
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialebasis.accounts.exceptions import TwoFactorRequired

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


def has_two_factor(user) -> bool:
    """Whether ``user`` set up two-factor authentication (a confirmed authenticator app)."""
    if not user.is_authenticated:
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def unconfirmed_totp_device(user) -> TOTPDevice:
    """The device being set up: reused while the setup page is reloaded, so the QR code
    scanned a minute ago stays valid."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten new ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def normalise_code(code: str) -> str:
    """Codes as typed: spaces and hyphens are ignored, letters in any case."""
    return re.sub(r"[\s-]+", "", code or "").lower()


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


def verify_code(user, code: str) -> Device | None:
    """The device that accepts ``code`` (an app code or an unused recovery code), or None.

    A recovery code is deleted when it is accepted; an app code cannot be used twice.
    django-otp throttles each device after failures (1, 2, 4, ... seconds).
    """
    code = normalise_code(code)
    if not code:
        return None
    model = TOTPDevice if _is_totp_code(code) else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def is_throttled(user) -> bool:
    """Whether django-otp currently refuses codes after repeated wrong ones."""
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                return True
    return False


def is_recovery_device(device) -> bool:
    return isinstance(device, StaticDevice)


def secret_for_display(device: TOTPDevice) -> str:
    """The secret in base32 (what authenticator apps accept), in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an inline SVG QR code (made on the server, no script)."""
    label = _("QR-code voor uw authenticator-app")
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=6, border=4, svgclass="sb-qr", title=label
    )
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    # segno writes the markup itself from our URL: safe to include as HTML.
    return format_html('<div class="sb-qr-code">{}</div>', mark_safe(svg))  # noqa: S308


def is_two_factor_verified(user) -> bool:
    """Whether this session passed two-factor authentication (django-otp's ``is_verified``)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def require_two_factor(user) -> None:
    """Raise ``TwoFactorRequired`` unless this session passed two-factor authentication.
    Every professional's reading of personal data (a file, a list of names, the audit log)
    starts with this; the middleware turns the exception into the set-up or code step."""
    if not is_two_factor_verified(user):
        raise TwoFactorRequired("two-factor authentication required")
