"""notify(): the in-app list, the mail through the queue, choices per kind, and no content
about a resident in any mail."""

import smtplib

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from socialebasis.accounts.tests.factories import UserFactory
from socialebasis.audit.models import AuditEvent
from socialebasis.notifications import actions
from socialebasis.notifications.actions import Contact, notify
from socialebasis.notifications.models import EmailStatus, Notification
from socialebasis.notifications.tasks import send_notification_email
from socialebasis.residents.actions import do_give_consent, do_withdraw_consent
from socialebasis.residents.constants import CONSENT_ON_BEHALF, Purpose
from socialebasis.testing.personas import build_personas
from socialebasis.testing.tasks import DATABASE_TASKS, run_worker

pytestmark = pytest.mark.django_db


def test_account_gets_it_in_the_list_and_by_mail(settings):
    settings.SITE_URL = "https://sociale-basis.example.nl"
    user = UserFactory(full_name="Ria de Vries", email="ria@example.org")
    note = notify(
        user, "example_reminder", {"title": "Koffie & taart", "when": "vrijdag"}, url="/zoeken/"
    )
    note.refresh_from_db()
    assert note.recipient == user and note.read_at is None
    assert note.email_status == EmailStatus.SENT and note.emailed_at is not None
    [sent] = mail.outbox
    assert sent.to == ["ria@example.org"]
    # Plain text: no HTML escaping in a mail.
    assert sent.subject == "Sociale Basis: Herinnering: Koffie & taart"
    assert "Beste Ria de Vries," in sent.body
    assert "Vergeet niet: Koffie & taart op vrijdag." in sent.body
    assert "https://sociale-basis.example.nl/zoeken/" in sent.body
    assert "https://sociale-basis.example.nl/meldingen/instellingen/" in sent.body


def test_the_mail_speaks_the_accounts_language():
    user = UserFactory(full_name="Amir", language="en")
    notify(user, "example_reminder", {"title": "Tea", "when": "Friday"})
    [sent] = mail.outbox
    assert "Dear Amir," in sent.body and "Choose which notifications" in sent.body


def test_the_mail_waits_for_the_worker_and_the_task_holds_only_the_id(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    user = UserFactory(email="kim@example.org")
    note = notify(user, "example_reminder", {"title": "Buurtfeest", "when": "zaterdag"})
    assert mail.outbox == []  # never sent by the caller
    row = DBTaskResult.objects.get()
    assert row.args_kwargs["args"] == [str(note.pk)]
    assert "kim" not in str(row.args_kwargs) and "Buurtfeest" not in str(row.args_kwargs)
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [["kim@example.org"]]
    note.refresh_from_db()
    assert note.email_status == EmailStatus.SENT


def test_a_failed_send_is_retried_later_then_marked_failed(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    user = UserFactory()
    note = notify(user, "example_reminder", {"title": "x", "when": "y"})

    def broken(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("server gone")

    monkeypatch.setattr("socialebasis.notifications.emails.send_mail", broken)
    outcome = send_notification_email.call(str(note.pk))
    assert outcome.startswith("retry 2 after")
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after is not None and retry.args_kwargs["args"] == [str(note.pk), 2]
    with pytest.raises(smtplib.SMTPServerDisconnected):
        send_notification_email.call(str(note.pk), 5)
    note.refresh_from_db()
    assert note.email_status == EmailStatus.FAILED


def test_a_notification_gone_before_its_mail_is_skipped():
    user = UserFactory()
    note = notify(user, "example_reminder", {"title": "x", "when": "y"})
    Notification.objects.filter(pk=note.pk).delete()
    assert send_notification_email.call(str(note.pk)) == "skipped: no such notification"


def test_mail_about_a_resident_says_only_log_in():
    world = build_personas(consents=False)
    fatima = world.personas["resident"]
    worker = world.personas["social_worker"].user
    do_give_consent(
        fatima.resident, Purpose.WORKER_SEES_NETWORK, acting_user=worker, reason="gesprek"
    )
    [note] = Notification.objects.filter(recipient=fatima.user)
    assert note.kind == CONSENT_ON_BEHALF and note.url == "/mijn-gegevens/toestemmingen/"
    [sent] = mail.outbox
    label = "Mijn sociaal werker mag mijn netwerk zien"
    assert label not in sent.subject and label not in sent.body
    assert "netwerk" not in sent.body.lower() and "toestemming" not in sent.body.lower()
    assert "Log in om het te lezen" in sent.body
    assert "/meldingen/" in sent.body
    # The in-app text, read after logging in, does say what happened.
    from socialebasis.notifications.emails import message_of

    assert label in message_of(note)

    do_withdraw_consent(
        fatima.resident, Purpose.WORKER_SEES_NETWORK, acting_user=worker, reason="gesprek"
    )
    assert Notification.objects.filter(recipient=fatima.user).count() == 2


def test_her_own_consent_notifies_nobody_but_a_withdrawal_by_someone_else_does():
    world = build_personas(consents=False)
    fatima = world.personas["resident"]
    do_give_consent(fatima.resident, Purpose.WORKER_SEES_NETWORK, acting_user=fatima.user)
    assert not Notification.objects.exists() and mail.outbox == []
    do_withdraw_consent(
        fatima.resident,
        Purpose.WORKER_SEES_NETWORK,
        acting_user=world.personas["social_worker"].user,
        reason="op haar verzoek, telefonisch",
    )
    [note] = Notification.objects.filter(recipient=fatima.user)
    assert note.context == {"purpose": Purpose.WORKER_SEES_NETWORK, "given": False}


def test_choosing_no_mail_keeps_the_list_and_is_audited():
    user = UserFactory()
    changed = actions.do_set_email_choices(user, {"example_reminder": False}, acting_user=user)
    assert changed == ["example_reminder"]
    row = AuditEvent.objects.get(event="notification_prefs_changed")
    assert row.fields == ["example_reminder"] and row.subject_id == str(user.pk)
    note = notify(user, "example_reminder", {"title": "x", "when": "y"})
    assert note.email_status == EmailStatus.NOT_WANTED and mail.outbox == []
    # The same choice again changes nothing and writes nothing.
    assert actions.do_set_email_choices(user, {"example_reminder": False}, acting_user=user) == []
    assert AuditEvent.objects.filter(event="notification_prefs_changed").count() == 1


def test_a_contact_without_an_account_gets_mail_only():
    note = notify(
        Contact("org@example.org", name="Buurthuis De Pijp", language="en"),
        "example_reminder",
        {"title": "Rooster", "when": "maandag"},
    )
    assert note.recipient is None and note.contact_email == "org@example.org"
    [sent] = mail.outbox
    assert sent.to == ["org@example.org"]
    assert "Dear Buurthuis De Pijp," in sent.body  # the contact's language
    assert "/meldingen/instellingen/" not in sent.body  # no account, no choices page


@pytest.mark.parametrize(
    ("target", "kind", "context", "kwargs", "error"),
    [
        ("contact", CONSENT_ON_BEHALF, {}, {}, ValueError),  # about a resident: accounts only
        ("bad_contact", "example_reminder", {}, {}, ValueError),
        ("user", "example_reminder", {}, {"url": "https://evil.example/"}, ValueError),
        ("user", "example_reminder", {}, {"url": "//evil.example/"}, ValueError),
        ("user", "no_such_kind", {}, {}, KeyError),
    ],
)
def test_bad_calls_are_refused(target, kind, context, kwargs, error):
    recipient = {
        "contact": Contact("a@example.org"),
        "bad_contact": Contact("not an address"),
        "user": UserFactory(),
    }[target]
    with pytest.raises(error):
        notify(recipient, kind, context, **kwargs)
    assert not Notification.objects.exists()


def test_a_deactivated_account_is_not_written_to():
    user = UserFactory(is_active=False)
    assert notify(user, "example_reminder", {"title": "x", "when": "y"}) is None
    assert not Notification.objects.exists()


def test_a_rolled_back_caller_leaves_neither_notification_nor_mail(settings):
    from django.db import transaction

    settings.TASKS = DATABASE_TASKS
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(user, "example_reminder", {"title": "x", "when": "y"})
        raise RuntimeError("the caller's action failed")
    assert not Notification.objects.exists() and not DBTaskResult.objects.exists()
