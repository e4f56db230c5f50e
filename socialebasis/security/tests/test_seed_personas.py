"""``socialebasis seed-personas``: the persona world with known credentials, development
only."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from socialebasis.testing.personas import (
    ALL_PERSONA_SPECS,
    EMAIL_DOMAIN,
    PERSONA_PASSWORD,
    totp_key,
    totp_secret_base32,
)

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_personas", stdout=out, **options)
    return out.getvalue()


def test_seeds_once_with_known_password_and_totp(client):
    output = seed()
    assert f"created {len(ALL_PERSONA_SPECS)} personas" in output
    users = get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    assert users.count() == len(ALL_PERSONA_SPECS)
    worker = users.get(email=f"social-worker@{EMAIL_DOMAIN}")
    assert worker.check_password(PERSONA_PASSWORD)
    assert totp_secret_base32("social_worker") in output
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert TOTPDevice.objects.get(user=worker).key == totp_key("social_worker")
    again = seed()
    assert "exist already" in again
    assert users.count() == len(ALL_PERSONA_SPECS)


def test_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="SB_PRODUCTION=1"):
        seed()
    assert not get_user_model().objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
