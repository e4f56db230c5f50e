"""What links data to a resident for her export and erasure: error reports are hers when her
account sent them (never because someone typed her address), and her failed logins leave
no lock-out records behind after erasure. Through the real report form, login page,
download and erasure URLs."""

import json

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.test import override_settings
from django.urls import reverse

from socialebasis.accounts.security import email_digest
from socialebasis.directory.models import ErrorReport
from socialebasis.privacy.retention import apply_retention
from socialebasis.testing.personas import EMAIL_DOMAIN, PERSONA_PASSWORD, login_as

pytestmark = pytest.mark.django_db

FATIMA = f"resident@{EMAIL_DOMAIN}"


def _report(client, world, *, name, email="", message):
    url = reverse("directory:report") + f"?service={world.service.pk}"
    data = {"reporter_name": name, "reporter_email": email, "message": message}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ErrorReport.objects.get(message=message)


def _export(client, world) -> dict:
    login_as(client, world.resident)
    response = client.get(reverse("mydata:download_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def _erase(client, world) -> None:
    login_as(client, world.resident)
    response = client.post(reverse("mydata:erase"), {"confirm": "on", "password": PERSONA_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mydata:erased")


def test_report_sent_while_logged_in_is_in_her_export_and_anonymised_on_erasure(client, world):
    login_as(client, world.resident)
    report = _report(client, world, name="Fatima Yilmaz", message="De buurtkamer is verhuisd.")

    rows = _export(client, world)["error_reports"]
    assert [(r["message"], r["reporter_name"]) for r in rows] == [
        ("De buurtkamer is verhuisd.", "Fatima Yilmaz")
    ]
    assert report.user_id == world.resident.user.pk

    _erase(client, world)
    report.refresh_from_db()
    # The report about the social map stays useful; who sent it is gone.
    assert report.message == "De buurtkamer is verhuisd."
    assert (report.user_id, report.reporter_name, report.reporter_email) == (None, "", "")


def test_a_typed_address_puts_no_report_in_her_export(client, world):
    login_as(client, None)
    typed = _report(
        client, world, name="Iemand", email=FATIMA.upper(), message="Gemeld met haar adres."
    )
    login_as(client, world.carer)
    _report(client, world, name="Johan", email=FATIMA, message="Johan typt haar adres.")

    export = _export(client, world)
    assert export["error_reports"] == []
    assert "Gemeld met haar adres" not in json.dumps(export)
    assert "Johan typt" not in json.dumps(export)
    assert typed.user_id is None

    _erase(client, world)
    # Not hers: erasing her account leaves other people's reports alone.
    johan = ErrorReport.objects.get(message="Johan typt haar adres.")
    assert johan.user_id == world.carer.user.pk and johan.reporter_name == "Johan"


def test_retention_unlinks_the_reports_of_an_anonymised_account(world):
    from datetime import timedelta

    from django.utils import timezone

    from socialebasis.directory.actions import do_report_error

    user = world.newcomer.user
    report = do_report_error(
        message="Telefoonnummer klopt niet.", reporter_name="N", acting_user=user
    )
    user.is_active = False
    user.last_login = timezone.now() - timedelta(days=400)
    user.save()
    apply_retention(now=timezone.now())
    report.refresh_from_db()
    assert report.user_id is None and report.message == "Telefoonnummer klopt niet."


@override_settings(AXES_ENABLE_ACCESS_FAILURE_LOG=True)
def test_erasure_removes_the_lockout_records_of_her_failed_logins(client, world):
    digest = email_digest(FATIMA)
    login_as(client, None)
    for _ in range(2):
        response = client.post(
            reverse("accounts:login"),
            {"username": FATIMA, "password": "niet haar wachtwoord"},
            HTTP_USER_AGENT="Testbrowser/1.0",
        )
        assert response.status_code == 200
    # Axes stores the digest of the typed address, never the address itself.
    assert AccessAttempt.objects.filter(username=digest).exists()
    assert not AccessAttempt.objects.filter(username__iexact=FATIMA).exists()
    assert AccessFailureLog.objects.filter(username=digest).exists()
    other = email_digest("iemand-anders@example.org")
    AccessAttempt.objects.create(
        username=other, ip_address="10.0.0.9", user_agent="x", failures_since_start=1
    )

    client.force_login(world.resident.user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("mydata:erase"), {"confirm": "on", "password": PERSONA_PASSWORD})
    assert response.status_code == 302

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert not model.objects.filter(username=digest).exists(), model.__name__
    assert AccessAttempt.objects.filter(username=other).exists()  # someone else's stays


def test_lockout_records_have_a_retention_policy_that_deletes_old_ones(world):
    from datetime import timedelta

    from django.utils import timezone

    from socialebasis.privacy import retention

    for label in ("axes.AccessAttempt", "axes.AccessFailureLog", "axes.AccessLog"):
        policy = retention.policy_for(label)
        assert policy is not None and policy.months == 1 and policy.action == "delete", label
    now = timezone.now()
    old, recent = (
        AccessAttempt.objects.create(
            username=email_digest(address),
            ip_address="10.0.0.1",
            user_agent="x",
            failures_since_start=1,
        )
        for address in ("oud@example.org", "recent@example.org")
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=now - timedelta(days=40))
    AccessFailureLog.objects.create(username=old.username, ip_address="10.0.0.1", user_agent="x")
    AccessFailureLog.objects.update(attempt_time=now - timedelta(days=40))
    retention.apply_retention(now=now)
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessFailureLog.objects.exists()
