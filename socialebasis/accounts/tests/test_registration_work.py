"""Registration does the same work whether or not the address has an account, so its timing
tells nobody which addresses have one: one argon2 hash, one audit row and one queued mail on
every path, through the real registration page."""

from unittest import mock

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail

from socialebasis.accounts.models import User
from socialebasis.accounts.tests.conftest import PASSWORD
from socialebasis.accounts.tests.factories import UserFactory
from socialebasis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def register(client, email: str) -> dict:
    """Post the form for ``email``; what it cost: hashes, audit rows, mails."""
    hash_calls = mock.patch.object(
        Argon2PasswordHasher, "encode", autospec=True, side_effect=Argon2PasswordHasher.encode
    )
    rows_before = AuditEvent.objects.count()
    mails_before = len(mail.outbox)
    with hash_calls as encode:
        response = client.post(
            "/account/registreren/",
            {
                "full_name": "Joost",
                "email": email,
                "password1": "een-lang-wachtwoord-42",
                "password2": "een-lang-wachtwoord-42",
            },
        )
    assert response["Location"] == "/account/registreren/verstuurd/"
    rows = AuditEvent.objects.count() - rows_before
    return {
        "hashes": encode.call_count,
        "audit_rows": rows,
        "mails": len(mail.outbox) - mails_before,
    }


def test_a_new_and_an_existing_address_cost_the_same(client, settings):
    UserFactory(email="bestaand@example.org")
    UserFactory(email="nooit-bevestigd@example.org", is_active=False, email_verified_at=None)
    work = {
        email: register(client, email)
        for email in ("nieuw@example.org", "bestaand@example.org", "nooit-bevestigd@example.org")
    }
    assert all(cost == {"hashes": 1, "audit_rows": 1, "mails": 1} for cost in work.values()), work
    # The existing accounts are unchanged: the typed password was hashed and dropped.
    assert User.objects.get(email="bestaand@example.org").check_password(PASSWORD)
    existing = User.objects.get(email="bestaand@example.org")
    row = AuditEvent.objects.get(event="registration_repeated", subject_id=str(existing.pk))
    assert row.actor_id is None and row.subject_type == "accounts.user"
