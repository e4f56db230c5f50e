"""Notifications in the trust layer: the resident's export and erasure, retention, and a
Dutch and an English text for every kind an app registers."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from socialebasis.notifications.actions import notify
from socialebasis.notifications.emails import message_of, subject_of
from socialebasis.notifications.kinds import all_kinds
from socialebasis.notifications.models import Notification, NotificationPreference
from socialebasis.privacy.retention import apply_retention
from socialebasis.residents.actions import do_erase_resident, do_give_consent
from socialebasis.residents.constants import Purpose
from socialebasis.residents.export import build_export
from socialebasis.testing.personas import build_personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def fatima_notified():
    world = build_personas(consents=False)
    fatima = world.personas["resident"]
    do_give_consent(
        fatima.resident,
        Purpose.WORKER_SEES_NETWORK,
        acting_user=world.personas["social_worker"].user,
        reason="gesprek",
    )
    return fatima


def test_her_export_holds_her_notifications(fatima_notified):
    export = build_export(fatima_notified.resident)
    [section] = [s for s in export["sections"] if s["key"] == "notifications"]
    [row] = section["rows"]
    assert "Mijn sociaal werker mag mijn netwerk zien" in row["message"]


def test_erasure_removes_her_notifications_and_choices(fatima_notified):
    user = fatima_notified.user
    NotificationPreference.objects.create(user=user, kind="example_reminder", email=False)
    do_erase_resident(fatima_notified.resident, acting_user=user)
    assert not Notification.objects.filter(recipient=user).exists()
    assert not NotificationPreference.objects.filter(user=user).exists()


def test_retention_deletes_notifications_after_six_months(fatima_notified):
    note = Notification.objects.get()
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=190))
    fresh = notify(fatima_notified.user, "example_reminder", {"title": "x", "when": "y"})
    apply_retention()
    assert list(Notification.objects.all()) == [fresh]


@pytest.mark.parametrize(
    "kind", [k for k in all_kinds() if k.name != "example_reminder"], ids=lambda k: k.name
)
def test_every_kind_speaks_dutch_and_english(kind):
    note = Notification(kind=kind.name, context={"purpose": "worker_sees_network", "given": True})
    texts = {}
    for language in ("nl", "en"):
        with translation.override(language):
            texts[language] = (subject_of(note), message_of(note))
    assert all(texts["nl"]) and all(texts["en"])
    assert texts["nl"] != texts["en"]
    assert "{{" not in "".join(texts["nl"] + texts["en"])
