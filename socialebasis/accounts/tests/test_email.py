"""E-mail: confirming an address with a signed link, resetting a password (Django's views,
Dutch mails), registration for residents, and an administrator's invitation."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from socialebasis.accounts.emails import make_verification_token
from socialebasis.accounts.models import User
from socialebasis.accounts.tests.conftest import PASSWORD, login
from socialebasis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    url = re.search(r"https?://testserver(/\S+)", message.body).group(1)
    return url


def test_email_verification_link(client, world):
    user = world["resident_user"]
    login(client, user.email)
    response = client.post("/account/e-mail-bevestigen/")
    assert response["Location"] == "/account/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "Bevestig" in message.subject
    link = _link(message)
    assert link.startswith("/account/e-mail-bevestigen/")
    # following the link shows a button; the POST confirms (mail scanners only GET)
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert client.post(link)["Location"] == "/account/"
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert AuditEvent.objects.filter(event="email_verified", actor_id=user.pk).count() == 1
    # a second click changes nothing
    client.post(link)
    assert AuditEvent.objects.filter(event="email_verified").count() == 1
    assert "bevestigd" in client.get("/account/").content.decode()


def test_verification_link_is_bound_to_the_address_and_expires(client, world):
    user = world["resident_user"]
    token = make_verification_token(user)
    assert client.get(f"/account/e-mail-bevestigen/{token}x/").status_code == 400
    with override_settings(EMAIL_VERIFICATION_MAX_AGE=-1):
        assert client.get(f"/account/e-mail-bevestigen/{token}/").status_code == 400
    User.objects.filter(pk=user.pk).update(email="nieuw@example.org")
    assert client.post(f"/account/e-mail-bevestigen/{token}/").status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_password_reset_flow(client, world):
    user = world["resident_user"]
    page = client.get("/account/wachtwoord-vergeten/").content.decode()
    assert "Wachtwoord vergeten" in page
    response = client.post("/account/wachtwoord-vergeten/", {"email": "INWONER@example.org"})
    assert response["Location"] == "/account/wachtwoord-vergeten/verstuurd/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email] and "wachtwoord" in message.subject.lower()
    link = _link(message)
    assert link.startswith("/account/wachtwoord-herstellen/")

    form_url = client.get(link)["Location"]  # Django moves the token into the session
    assert "Nieuw wachtwoord kiezen" in client.get(form_url).content.decode()
    new = "een-heel-nieuw-wachtwoord-9"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/account/wachtwoord-herstellen/klaar/"
    user.refresh_from_db()
    assert user.check_password(new) and user.password.startswith("argon2$")
    assert user.email_verified_at is not None  # the link arrived by e-mail
    assert AuditEvent.objects.filter(event="password_changed", actor_id=user.pk).exists()
    # the link works once
    again = client.get(link)
    assert "werkt niet meer" in again.content.decode()
    assert login(client, user.email, new)["Location"] == "/account/"
    client.post("/account/uitloggen/")
    assert login(client, user.email, PASSWORD).status_code == 200


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post("/account/wachtwoord-vergeten/", {"email": "niemand@example.org"})
    assert response["Location"] == "/account/wachtwoord-vergeten/verstuurd/"
    assert mail.outbox == []


def test_registration_needs_a_confirmed_address(client, world):
    data = {
        "full_name": "Joost Buurman",
        "email": "Joost@Example.org",
        "password1": "mijn-eigen-wachtwoord-1",
        "password2": "mijn-eigen-wachtwoord-1",
    }
    response = client.post("/account/registreren/", data)
    assert response["Location"] == "/account/registreren/verstuurd/"
    user = User.objects.get(email="joost@example.org")
    assert not user.is_active and user.password.startswith("argon2$")
    assert login(client, "joost@example.org", data["password1"]).status_code == 200
    link = _link(mail.outbox[0])
    client.post(link)
    user.refresh_from_db()
    assert user.is_active and user.email_verified_at
    assert login(client, "joost@example.org", data["password1"])["Location"] == "/account/"


def test_registration_does_not_reveal_existing_accounts(client, world):
    data = {
        "full_name": "Iemand",
        "email": "inwoner@example.org",
        "password1": "mijn-eigen-wachtwoord-1",
        "password2": "mijn-eigen-wachtwoord-1",
    }
    response = client.post("/account/registreren/", data)
    assert response["Location"] == "/account/registreren/verstuurd/"
    assert User.objects.filter(email="inwoner@example.org").count() == 1
    assert mail.outbox[0].to == ["inwoner@example.org"]
    assert "al een account" in mail.outbox[0].subject
    world["resident_user"].refresh_from_db()
    assert world["resident_user"].check_password(PASSWORD)


def test_registration_form_errors_keep_what_was_typed(client, db):
    response = client.post(
        "/account/registreren/",
        {
            "full_name": "Joost",
            "email": "joost@example.org",
            "password1": "kort",
            "password2": "anders",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="error-summary"' in page
    assert 'value="joost@example.org"' in page and "niet gelijk" in page


def test_admin_invitation_lets_the_person_choose_a_password(client, admin_client, world):
    user = User.objects.create_user("nieuw@example.org")  # no usable password
    response = admin_client.post(
        "/beheer/accounts/user/", {"action": "send_invitation", "_selected_action": [str(user.pk)]}
    )
    assert response.status_code == 302
    message = mail.outbox[0]
    assert message.to == ["nieuw@example.org"] and "account" in message.subject.lower()
    form_url = client.get(_link(message))["Location"]
    new = "zelf-gekozen-wachtwoord-3"
    client.post(form_url, {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.check_password(new) and user.email_verified_at is not None
