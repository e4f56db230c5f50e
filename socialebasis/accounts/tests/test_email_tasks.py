"""Mail goes out from the worker, never inside the request (django-tasks-db), and a failed
send is tried again with back-off. These tests switch from the test settings' immediate
backend to the database backend the platform runs with."""

import re
import smtplib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from socialebasis.accounts import tasks
from socialebasis.accounts.tests.factories import UserFactory
from socialebasis.lib.tasks import BACKOFF_MINUTES
from socialebasis.testing.tasks import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


def test_password_reset_is_queued_then_sent_by_the_worker(client, settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    user = UserFactory(email="sanne@example.org")
    response = client.post("/account/wachtwoord-vergeten/", {"email": "sanne@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent inside the request
    row = DBTaskResult.objects.get()
    # The task row names the user by id: no address, no link, no token waits in the table.
    assert row.args_kwargs["args"][:2] == ["password_reset", str(user.pk)]
    assert "sanne" not in str(row.args_kwargs) and "token" not in str(row.args_kwargs)

    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [["sanne@example.org"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert client.get(link).status_code in (200, 302)  # a working reset link


def test_a_failed_send_is_tried_again_later(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    user = UserFactory()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server gone")

    monkeypatch.setattr("socialebasis.accounts.emails.send_mail", broken)
    tasks.send_account_email.enqueue("invitation", str(user.pk), "https://example.org", "nl")
    run_worker(monkeypatch)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][-1] == 2  # the second attempt
    assert retry.run_after > retry.enqueued_at  # waits: back-off, not a hot loop


def test_the_last_attempt_gives_up(settings, monkeypatch):
    user = UserFactory()

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server gone")

    monkeypatch.setattr("socialebasis.accounts.emails.send_mail", broken)
    last = len(BACKOFF_MINUTES) + 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        tasks.send_account_email.call("invitation", str(user.pk), "https://x.org", "nl", last)


def test_unknown_kind_and_deleted_user():
    with pytest.raises(ValueError, match="unknown"):
        tasks.send_account_email.call("spam", "0", "https://x.org", "nl")
    gone = "00000000-0000-0000-0000-000000000000"
    assert tasks.send_account_email.call("verify", gone, "https://x.org", "nl").startswith(
        "skipped"
    )
