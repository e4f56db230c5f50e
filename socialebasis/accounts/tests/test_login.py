"""Logging in and out through the real pages: passwords (argon2), wrong passwords,
lock-out after repeated failures (audited with a keyed hash, never the e-mail), the header."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from socialebasis.accounts.models import User
from socialebasis.accounts.security import email_digest
from socialebasis.accounts.tests.conftest import PASSWORD, add_totp, login, totp_code
from socialebasis.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_passwords_are_stored_with_argon2(world):
    stored = User.objects.get(email="sw-west@example.org").password
    assert stored.startswith("argon2$argon2id$")
    assert PASSWORD not in stored


def test_login_page_is_dutch_and_accessible(client):
    page = client.get("/account/inloggen/").content.decode()
    assert "<h1" in page and "Inloggen" in page
    assert 'autocomplete="username"' in page and 'autocomplete="current-password"' in page
    assert 'for="id_username"' in page and 'for="id_password"' in page
    assert "Inloggen met gemeente-account" not in page  # single sign-on is not configured
    assert "<script>" not in page


def test_login_ok_then_logout(client, world):
    response = login(client, "Inwoner@Example.org ")
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = client.get("/account/").content.decode()
    assert "inwoner@example.org" in page and "Uitloggen" in page
    row = AuditEvent.objects.get(event="login")
    assert row.actor_id == world["resident_user"].pk and row.reason == "password"
    # logging out is a POST (a GET would let any page log you out)
    assert client.get("/account/uitloggen/").status_code == 405
    response = client.post("/account/uitloggen/")
    assert response.status_code == 302
    assert client.get("/account/")["Location"].startswith("/account/inloggen/")
    assert AuditEvent.objects.filter(event="logout", actor_id=world["resident_user"].pk).exists()
    home = client.get("/").content.decode()
    assert 'href="/account/inloggen/?next=/"' in home and "Uitloggen" not in home


def test_login_keeps_a_safe_next_and_drops_a_foreign_one(client, world):
    response = client.post(
        "/account/inloggen/?next=/zoeken/%3Fq%3Dtaal",
        {"username": "inwoner@example.org", "password": PASSWORD},
    )
    assert response["Location"] == "/zoeken/?q=taal"
    client.post("/account/uitloggen/")
    response = client.post(
        "/account/inloggen/?next=https://evil.example.com/",
        {"username": "inwoner@example.org", "password": PASSWORD},
    )
    assert response["Location"] == "/account/"


def test_wrong_password_fails_with_an_error_and_an_audit_row(client, world):
    response = login(client, "inwoner@example.org", "verkeerd-wachtwoord")
    assert response.status_code == 200
    page = response.content.decode()
    assert "horen niet bij elkaar" in page and 'id="error-summary"' in page
    assert client.get("/account/").status_code == 302
    row = AuditEvent.objects.get(event="login_failed")
    assert row.subject_id == email_digest("inwoner@example.org")
    assert row.actor_id is None


def test_lockout_after_five_failures_is_audited_without_the_address(client, world):
    email = "sw-west@example.org"
    for attempt in range(1, 5):
        assert login(client, email, f"fout-{attempt}").status_code == 200
    locked = login(client, email, "fout-5")
    assert locked.status_code == 429
    assert "Even niet inloggen" in locked.content.decode()
    # now even the right password is refused, for 15 minutes
    assert login(client, email, PASSWORD).status_code == 429
    assert client.get("/account/").status_code == 302

    digest = email_digest(email)
    assert AuditEvent.objects.filter(event="login_failed", subject_id=digest).count() == 6
    assert AuditEvent.objects.filter(event="locked_out", subject_id=digest).exists()
    assert not AuditEvent.objects.filter(subject_id__icontains="@").exists()
    assert not AuditEvent.objects.filter(reason__icontains=email).exists()
    # axes itself keeps the hash too, never the address
    attempt = AccessAttempt.objects.get()
    assert attempt.username == digest and email not in attempt.post_data

    # the lock is per address and IP address: the same person elsewhere, and someone else
    # from here, can still log in
    assert login(client, email, PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302
    client.post("/account/uitloggen/")
    assert login(client, "inwoner@example.org").status_code == 302
    client.post("/account/uitloggen/")

    # after the cool-off period the lock is gone
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, email, PASSWORD).status_code == 302


def test_inactive_account_cannot_log_in(client, world):
    User.objects.filter(email="inwoner@example.org").update(is_active=False)
    assert login(client, "inwoner@example.org").status_code == 200
    assert client.get("/account/").status_code == 302


def test_admin_login_is_the_site_login(client, world):
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302
    assert response["Location"] == "/account/inloggen/?next=/beheer/"
    assert client.get("/beheer/")["Location"].startswith("/beheer/login/")


def test_english_login_page(client):
    page = client.get("/en/account/inloggen/").content.decode()
    assert 'lang="en"' in page
    assert '<h1 class="utrecht-heading-1">Log in</h1>' in page
    assert "Forgot your password?" in page


def test_failed_logins_per_ip_across_accounts_are_limited(client, world, settings):
    """On top of the per-account lock-out: failures from one IP address on any accounts
    (credential stuffing); successful logins do not count."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/h"}
    for email in ["a@example.org", "b@example.org", "c@example.org"]:
        assert login(client, email, "fout").status_code == 200
    assert login(client, "inwoner@example.org")["Location"] == "/account/"
    client.post("/account/uitloggen/")
    assert login(client, "d@example.org", "fout").status_code == 429
    # Over the limit a password alone no longer logs in (the code step, which no code passes
    # for an account without two-factor authentication); from elsewhere it does.
    assert login(client, "inwoner@example.org").status_code == 429
    assert client.post("/account/tweestaps/code/", {"code": "123456"}).status_code == 429
    assert client.get("/account/").status_code == 302
    assert login(client, "inwoner@example.org", REMOTE_ADDR="192.0.2.20").status_code == 302


def test_over_the_limit_a_right_password_and_code_still_log_in(client, world, settings):
    """An office behind one address: after many failures from there (credential stuffing on
    unknown accounts), a colleague with two-factor authentication still logs in. Every
    password attempt gets the same answer (429, the code step), so the answer does not tell
    whether a password was right; only a right password's session accepts a right code."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "30/h"}
    device = add_totp(world["worker"])
    for n in range(35):
        login(client, f"onbekend-{n}@example.org", "fout")
    wrong = login(client, "sw-west@example.org", "verkeerd-wachtwoord")
    right = login(client, "sw-west@example.org", PASSWORD)
    for answer in (wrong, right):
        assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
        assert "alleen inloggen met tweestapsverificatie" in answer.content.decode()
    answer = client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    assert answer.status_code == 302 and answer["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(event="login", reason="password+totp").exists()


def test_over_the_limit_a_wrong_password_with_a_right_code_does_not_log_in(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/h"}
    device = add_totp(world["worker"])
    for n in range(4):
        login(client, f"onbekend-{n}@example.org", "fout")
    assert login(client, "sw-west@example.org", "verkeerd-wachtwoord").status_code == 429
    refused = client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    assert refused.status_code == 429 and "klopt niet" in refused.content.decode()
    assert client.get("/account/").status_code == 302
