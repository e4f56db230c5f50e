"""Two-factor authentication: TOTP setup with a server-made QR code, the code step at
login, recovery codes that work once, and professionals sent to two-factor before they
open a resident's file."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialebasis.accounts import twofactor
from socialebasis.accounts.tests.conftest import PASSWORD, add_totp, login, totp_code
from socialebasis.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("socialebasis.accounts.tests.urls")]


def _file_url(world):
    return f"/test/dossier/{world['resident'].pk}/"


def _codes_on(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_setup_shows_qr_and_secret_then_confirms_with_a_code(client, world):
    user = world["resident_user"]
    login(client, user.email)
    page = client.get("/account/tweestaps/instellen/").content.decode()
    assert "<svg" in page and 'class="sb-qr"' in page  # QR code drawn on the server
    assert "<script" not in page.split("<main", 1)[1]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = twofactor.secret_for_display(device)
    assert secret in page and len(secret.replace(" ", "")) == 32
    # reloading keeps the same secret (the app was perhaps scanned already)
    assert secret in client.get("/account/tweestaps/instellen/").content.decode()

    wrong = client.post("/account/tweestaps/instellen/", {"code": "000000"})
    assert wrong.status_code == 200 and "klopt niet" in wrong.content.decode()
    too_soon = client.post("/account/tweestaps/instellen/", {"code": totp_code(device)})
    assert "Wacht even" in too_soon.content.decode()  # django-otp throttles after a failure
    device.throttle_reset()

    response = client.post("/account/tweestaps/instellen/", {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith("/account/tweestaps/herstelcodes/")
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response["Location"]).content.decode()
    codes = _codes_on(codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    # shown once: the next visit shows only how many are left
    again = client.get("/account/tweestaps/herstelcodes/").content.decode()
    assert _codes_on(again) == [] and "nog 10 ongebruikte herstelcodes" in again
    row = AuditEvent.objects.get(event="two_factor_enabled")
    assert row.actor_id == user.pk and row.reason == "totp"
    assert "Aan:" in client.get("/account/").content.decode()


def test_login_with_totp_needs_the_code(client, world):
    user = world["resident_user"]
    device = add_totp(user)
    response = login(client, user.email)
    assert response["Location"] == "/account/tweestaps/code/"
    # the password alone does not log in
    assert client.get("/account/").status_code == 302
    page = client.get("/account/tweestaps/code/").content.decode()
    assert 'autocomplete="one-time-code"' in page
    wrong = client.post("/account/tweestaps/code/", {"code": "123456"})
    assert "klopt niet" in wrong.content.decode()
    assert AuditEvent.objects.filter(event="login_failed").count() == 1
    device.throttle_reset()  # django-otp waits a second after a wrong code
    response = client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.get(event="login").reason == "password+totp"


def test_a_totp_code_works_once(client, world):
    user = world["resident_user"]
    device = add_totp(user)
    code = totp_code(device)
    login(client, user.email)
    assert client.post("/account/tweestaps/code/", {"code": code}).status_code == 302
    client.post("/account/uitloggen/")
    login(client, user.email)
    replay = client.post("/account/tweestaps/code/", {"code": code})
    assert replay.status_code == 200


def test_code_step_gives_up_after_five_wrong_codes(client, world):
    user = world["resident_user"]
    device = add_totp(user)
    login(client, user.email)
    for _ in range(4):
        device.throttle_reset()
        assert client.post("/account/tweestaps/code/", {"code": "000000"}).status_code == 200
    device.throttle_reset()
    response = client.post("/account/tweestaps/code/", {"code": "000000"})
    assert response["Location"] == "/account/inloggen/"
    device.throttle_reset()
    assert (
        client.post("/account/tweestaps/code/", {"code": totp_code(device)})["Location"]
        == "/account/inloggen/"
    )
    assert client.get("/account/").status_code == 302


def test_recovery_code_works_exactly_once(client, world):
    user = world["resident_user"]
    add_totp(user)
    codes = twofactor.new_recovery_codes(user)
    login(client, user.email)
    response = client.post("/account/tweestaps/code/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert AuditEvent.objects.get(event="login").reason == "password+recovery_code"
    assert AuditEvent.objects.filter(event="recovery_code_used", actor_id=user.pk).count() == 1
    assert "nog 9" in client.get("/account/").content.decode()
    client.post("/account/uitloggen/")

    login(client, user.email)
    again = client.post("/account/tweestaps/code/", {"code": codes[0]})
    assert again.status_code == 200 and "al gebruikt" in again.content.decode()
    assert client.get("/account/").status_code == 302
    twofactor.recovery_device(user).throttle_reset()
    assert client.post("/account/tweestaps/code/", {"code": codes[1]}).status_code == 302


def test_regenerating_recovery_codes_replaces_the_old_ones(client, world):
    user = world["resident_user"]
    device = add_totp(user)
    old = twofactor.new_recovery_codes(user)
    login(client, user.email)
    client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    response = client.post("/account/tweestaps/herstelcodes/")
    new = _codes_on(client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert AuditEvent.objects.filter(
        event="two_factor_enabled", reason="recovery codes renewed"
    ).exists()


def test_disabling_two_factor_asks_the_password_and_is_audited(client, world):
    user = world["resident_user"]
    device = add_totp(user)
    twofactor.new_recovery_codes(user)
    login(client, user.email)
    client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    wrong = client.post("/account/tweestaps/uitzetten/", {"password": "niet-dit"})
    assert wrong.status_code == 200 and twofactor.has_two_factor(user)
    response = client.post("/account/tweestaps/uitzetten/", {"password": PASSWORD})
    assert response["Location"] == "/account/"
    assert not twofactor.has_two_factor(user) and twofactor.recovery_device(user) is None
    row = AuditEvent.objects.get(event="two_factor_disabled")
    assert row.actor_id == user.pk and row.subject_id == str(user.pk)


def test_sensitive_two_factor_pages_need_a_verified_session(client, world):
    """A session logged in before the app was added must give a code before it can see or
    renew recovery codes, or switch two-factor off."""
    user = world["resident_user"]
    login(client, user.email)
    device = add_totp(user)
    for url in ["/account/tweestaps/herstelcodes/", "/account/tweestaps/uitzetten/"]:
        response = client.get(url)
        assert response["Location"] == f"/account/tweestaps/code/?next={url.replace('/', '%2F')}"
    response = client.post(
        "/account/tweestaps/code/?next=/account/tweestaps/uitzetten/",
        {"code": totp_code(device)},
    )
    assert response["Location"] == "/account/tweestaps/uitzetten/"
    assert client.get("/account/tweestaps/uitzetten/").status_code == 200


# ------------------------------------------------------------------ professionals


def test_professional_without_two_factor_is_sent_to_setup_then_back(client, world):
    worker, url = world["worker"], _file_url(world)
    response = login(client, worker.email)
    assert response.status_code == 302  # logged in, with a warning to set up two-factor
    assert "tweestapsverificatie" in client.get("/account/").content.decode().lower()

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/account/tweestaps/instellen/?next={url.replace('/', '%2F')}"
    assert not AuditEvent.objects.filter(event="record_viewed").exists()

    client.get(response["Location"])
    device = TOTPDevice.objects.get(user=worker)
    response = client.post(response["Location"], {"code": totp_code(device)})
    codes_url = response["Location"]
    assert codes_url.startswith("/account/tweestaps/herstelcodes/?next=")
    page = client.get(codes_url).content.decode()
    assert f'href="{url}"' in page  # "Ik heb ze bewaard, verder"

    opened = client.get(url)
    assert opened.status_code == 200 and b"Dossier van Fatima" in opened.content
    row = AuditEvent.objects.get(event="record_viewed")
    assert row.actor_id == worker.pk and row.subject_id == str(world["resident"].pk)


def test_professional_with_unverified_session_is_sent_to_the_code_step(client, world):
    worker, url = world["worker"], _file_url(world)
    login(client, worker.email)
    device = add_totp(worker)  # e.g. set up in another browser
    response = client.get(url)
    assert response["Location"] == f"/account/tweestaps/code/?next={url.replace('/', '%2F')}"
    response = client.post(response["Location"], {"code": totp_code(device)})
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_professional_logging_in_with_totp_opens_the_file(client, world):
    worker, url = world["worker"], _file_url(world)
    device = add_totp(worker)
    response = client.post(
        f"/account/inloggen/?next={url}", {"username": worker.email, "password": PASSWORD}
    )
    assert response["Location"] == "/account/tweestaps/code/"
    response = client.post("/account/tweestaps/code/", {"code": totp_code(device)})
    assert response["Location"] == url
    assert client.get(url).status_code == 200


def test_htmx_request_gets_a_client_side_redirect(client, world):
    login(client, world["worker"].email)
    response = client.get(_file_url(world), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/account/tweestaps/instellen/?next=")


def test_resident_opens_own_file_without_two_factor(client, world):
    login(client, world["resident_user"].email)
    assert client.get(_file_url(world)).status_code == 200
    assert not AuditEvent.objects.filter(event="record_viewed").exists()
