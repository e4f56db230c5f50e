"""Retention: every personal model declares a policy; apply-retention --dry-run lists what
would go and changes nothing; a real run deletes or anonymises and audits each record;
audit rows survive without personal content and the chain still verifies."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from socialebasis.accounts.tests.factories import MembershipFactory
from socialebasis.audit.models import AuditEvent
from socialebasis.audit.verify import verify_chain
from socialebasis.directory.models import ErrorReport
from socialebasis.privacy import retention
from socialebasis.privacy.constants import RetentionAction
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.residents.models import Consent, Resident
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=800)  # more than 24 months


@pytest.fixture
def aged(world):
    """An inactive resident (with consent and an account), an old and a new error report,
    a deactivated resident account and a deactivated professional account, all old."""
    old = timezone.now() - LONG_AGO
    actions.do_give_consent(
        world.resident_file, Purpose.WORKER_SEES_NETWORK, acting_user=world.resident.user
    )
    Resident.objects.filter(pk=world.resident_file.pk).update(last_activity_at=old)
    old_report = f.ErrorReportFactory(reporter_name="Oudqx Melder", reporter_email="oud@x.org")
    new_report = f.ErrorReportFactory(reporter_name="Nieuw")
    ErrorReport.objects.filter(pk=old_report.pk).update(created_at=old)
    gone = MembershipFactory(
        user__email="weg.qx@example.org",
        user__full_name="Wegqx",
        user__inactive=True,
        user__date_joined=old,
        municipality=world.municipality,
    ).user
    ex_worker = MembershipFactory(
        social_worker=True,
        user__email="ex@buurtwerk.example.org",
        user__inactive=True,
        user__date_joined=old,
        municipality=world.municipality,
    ).user
    return {
        "resident": world.resident_file,
        "own": world.resident.user,
        "old_report": old_report,
        "new_report": new_report,
        "gone": gone,
        "ex_worker": ex_worker,
    }


def _run(*args) -> str:
    out = io.StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_every_personal_model_declares_a_policy():
    for label in [
        "residents.Resident",
        "residents.Consent",
        "directory.ErrorReport",
        "accounts.User",
        "audit.AuditEvent",
    ]:
        policy = retention.policy_for(label)
        assert policy is not None, label
        assert policy.action in RetentionAction.values
        if policy.months is not None:
            assert policy.due is not None
    assert retention.policy_for("residents.Resident").months == 24
    assert retention.policy_for("directory.ErrorReport").months == 12
    assert retention.policy_for("django_tasks_database.DBTaskResult").months == 1


def test_finished_background_tasks_go_after_a_month(settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from socialebasis.accounts.tasks import send_account_email

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    done = send_account_email.enqueue("verify", "0", "https://x.org", "nl")
    waiting = send_account_email.enqueue("verify", "1", "https://x.org", "nl")
    DBTaskResult.objects.filter(pk=done.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - timedelta(days=40)
    )
    retention.apply_retention()
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [uuid.UUID(waiting.id)]


def test_dry_run_lists_and_changes_nothing(aged):
    rows_before = AuditEvent.objects.count()
    output = _run("--dry-run")
    assert "residents.Resident: 1 te anonimiseren" in output
    assert str(aged["resident"].pk) in output
    assert "directory.ErrorReport: 1 te verwijderen" in output
    assert str(aged["old_report"].pk) in output and str(aged["new_report"].pk) not in output
    assert "accounts.User: 1 te anonimiseren" in output
    assert str(aged["gone"].pk) in output and str(aged["ex_worker"].pk) not in output
    assert "er is niets veranderd" in output
    resident = Resident.objects.get(pk=aged["resident"].pk)
    assert resident.given_name == "Fatima" and resident.anonymised_at is None
    assert ErrorReport.objects.count() == 3 and Consent.objects.count() == 1  # the world has one
    assert get_user_model().objects.get(pk=aged["gone"].pk).email == "weg.qx@example.org"
    assert AuditEvent.objects.count() == rows_before


def test_real_run_anonymises_deletes_and_audits(aged, world):
    output = _run()
    assert "residents.Resident: 1 geanonimiseerd" in output
    assert "directory.ErrorReport: 1 verwijderd" in output

    resident = Resident.objects.get(pk=aged["resident"].pk)
    assert resident.anonymised_at is not None
    assert (resident.given_name, resident.family_name, resident.email, resident.phone) == (
        "",
        "",
        "",
        "",
    )
    assert resident.user is None and resident.municipality == world.municipality
    assert not Consent.objects.exists()
    own = get_user_model().objects.get(pk=aged["own"].pk)
    assert not own.is_active and own.email.endswith("@geanonimiseerd.invalid")
    assert not ErrorReport.objects.filter(pk=aged["old_report"].pk).exists()
    assert ErrorReport.objects.filter(pk=aged["new_report"].pk).exists()
    gone = get_user_model().objects.get(pk=aged["gone"].pk)
    assert gone.full_name == "" and gone.email.endswith("@geanonimiseerd.invalid")
    ex_worker = get_user_model().objects.get(pk=aged["ex_worker"].pk)
    assert ex_worker.email == "ex@buurtwerk.example.org"  # professionals are kept
    # The other residents are untouched.
    assert Resident.objects.get(pk=world.oost_file.pk).given_name == "Kees"

    applied = AuditEvent.objects.filter(event="retention_applied")
    subjects = {(r.subject_type, r.subject_id, r.reason) for r in applied}
    assert ("residents.resident", str(resident.pk), "anonymised") in subjects
    assert ("directory.errorreport", str(aged["old_report"].pk), "deleted") in subjects
    assert ("accounts.user", str(gone.pk), "anonymised") in subjects
    assert ("accounts.user", str(own.pk), "anonymised") in subjects
    assert any(t == "residents.consent" and r == "deleted" for t, _, r in subjects)
    assert all(r.actor_id is None for r in applied)
    assert applied.get(subject_type="residents.resident").municipality_code == "GM0363"

    assert verify_chain().ok
    for row in AuditEvent.objects.values():
        text = json.dumps(row, default=str)
        for personal in ["Fatima", "Yilmaz", "resident@personas", "Oudqx", "weg.qx@", "Wegqx"]:
            assert personal not in text

    # A second run finds nothing left to do.
    rows = AuditEvent.objects.count()
    assert "Klaar: 0 gegevens verwerkt." in _run()
    assert AuditEvent.objects.count() == rows


def test_recent_activity_keeps_a_file(world):
    actions.do_give_consent(
        world.resident_file, Purpose.WORKER_SEES_NETWORK, acting_user=world.resident.user
    )
    results = retention.apply_retention(now=timezone.now() + timedelta(days=365))
    # A year on only the world's error report is due (kept 12 months); the file stays.
    due = {r.policy.model: [str(i) for i in r.ids] for r in results if r.ids}
    assert due == {"directory.ErrorReport": [str(world.error_report.pk)]}
    results = retention.apply_retention(dry_run=True, now=timezone.now() + timedelta(days=800))
    by_model = {r.policy.model: r.ids for r in results}
    assert str(world.resident_file.pk) in by_model["residents.Resident"]


def test_a_resident_who_logs_in_stays(world):
    old = timezone.now() - LONG_AGO
    Resident.objects.filter(pk=world.resident_file.pk).update(last_activity_at=old)
    get_user_model().objects.filter(pk=world.resident.user.pk).update(last_login=timezone.now())
    results = retention.apply_retention(dry_run=True)
    due = {r.policy.model: r.ids for r in results}["residents.Resident"]
    assert str(world.resident_file.pk) not in due


def test_now_option_needs_a_time_zone(world):
    with pytest.raises(SystemExit):
        call_command("apply_retention", "--dry-run", "--now", "2030-01-01", stderr=io.StringIO())
    assert "te anonimiseren" in _run("--dry-run", "--now", "2030-01-01T00:00:00+01:00")


def test_list_policies():
    output = _run("--list-policies")
    assert "residents.Resident: anonimiseren (24 maanden na laatste activiteit)" in output
    assert "residents.Consent: verdwijnt met het inwonersdossier" in output
