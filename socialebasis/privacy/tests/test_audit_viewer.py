"""The privacy officer's audit viewer: filters, pagination, CSV export (audited), only for
privacy officers (404 for everyone else), scoped to their municipality and region."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from socialebasis.audit import events
from socialebasis.audit.models import AuditEvent
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.testing.personas import login_as

pytestmark = pytest.mark.django_db

AUDIT, CSV = reverse("privacy:audit"), reverse("privacy:audit_csv")


@pytest.fixture
def log(world):
    """Rows in Amsterdam (views, a consent, a login) and one in Utrecht."""
    events.record_viewed(world.social_worker.user, world.resident_file, reason="intake")
    events.record_viewed(world.other_team_worker.user, world.oost_file, reason='=HYPERLINK("x")')
    actions.do_give_consent(
        world.resident_file, Purpose.WORKER_SEES_NETWORK, acting_user=world.resident.user
    )
    events.login(world.social_worker.user)
    events.record_viewed(
        world.utrecht_privacy_officer.user, world.utrecht_file, reason="utrecht-intake"
    )
    return world


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "who", ["social_worker", "policy_officer", "resident", "volunteer", "newcomer"]
)
def test_not_for_others(client, log, who):
    login_as(client, log[who])
    assert client.get(AUDIT).status_code == 404
    assert client.get(CSV).status_code == 404
    assert not AuditEvent.objects.filter(event="audit_exported").exists()


def test_anonymous_goes_to_login(client):
    assert client.get(AUDIT).status_code == 302


def test_privacy_officer_needs_two_factor(client, log):
    login_as(client, log.privacy_officer, verified=False)
    response = client.get(AUDIT)
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "next=" in response["Location"]


def test_scoped_to_the_municipality(client, log):
    login_as(client, log.privacy_officer)
    html = client.get(AUDIT).content.decode()
    assert "intake" in html and "utrecht-intake" not in html
    assert "Sanne Willems" in html  # the actor, resolved
    assert "Ingelogd" in html  # a login has no municipality, but the actor is a member
    login_as(client, log.utrecht_privacy_officer)
    html = client.get(AUDIT).content.decode()
    assert "utrecht-intake" in html and ">intake<" not in html


def test_regional_privacy_officer_sees_the_region(client, log):
    login_as(client, log.regional_privacy_officer)
    html = client.get(AUDIT).content.decode()
    assert "utrecht-intake" in html and ">intake<" in html


def test_filters(client, log):
    login_as(client, log.privacy_officer)
    resident_id = str(log.resident_file.pk)

    def rows(**params):
        response = client.get(AUDIT, params)
        assert response.status_code == 200
        return [(r.event, r.subject_id) for r, _ in response.context["rows"]]

    assert rows(subject_type="residents.resident", subject_id=resident_id) == [
        ("record_viewed", resident_id)
    ]
    assert {e for e, _ in rows(actor="social-worker@")} == {"record_viewed", "login"}
    assert rows(actor="SOCIAL-WORKER@PERSONAS", event="login") == [
        ("login", str(log.social_worker.user.pk))
    ]
    assert rows(actor=str(log.resident.user.pk)) == rows(event="consent_given")
    assert rows(actor="niemand@nergens") == []
    assert len(rows(event="record_viewed")) == 2
    today = timezone.localdate()
    assert len(rows(since=today.isoformat(), until=today.isoformat())) == 4
    assert rows(since=(today + timedelta(days=1)).isoformat()) == []
    assert rows(until=(today - timedelta(days=1)).isoformat()) == []


def test_invalid_filter_is_shown_and_kept(client, log):
    login_as(client, log.privacy_officer)
    response = client.get(AUDIT, {"since": "gisteren", "actor": "sanne"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'value="gisteren"' in html and 'value="sanne"' in html
    assert response.context["rows"] == []
    assert client.get(CSV, {"since": "gisteren"}).status_code == 400


def test_pagination(client, log):
    for _ in range(60):
        events.record_viewed(log.social_worker.user, log.resident_file, reason="veel")
    login_as(client, log.privacy_officer)
    first = client.get(AUDIT, {"event": "record_viewed"})
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    assert "?event=record_viewed&amp;page=2" in html
    second = client.get(AUDIT, {"event": "record_viewed", "page": 2})
    assert len(second.context["rows"]) == 12  # 60 + the 2 Amsterdam views of the log


def test_csv_export_of_the_filtered_rows(client, log):
    login_as(client, log.privacy_officer)
    response = client.get(CSV, {"event": "record_viewed"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert {r["subject_id"] for r in rows} == {str(log.resident_file.pk), str(log.oost_file.pk)}
    by_subject = {r["subject_id"]: r for r in rows}
    row = by_subject[str(log.resident_file.pk)]
    assert (row["event"], row["actor_email"], row["reason"]) == (
        "record_viewed",
        "social-worker@personas.sociale-basis.test",
        "intake",
    )
    assert row["occurred_at"].endswith(("+01:00", "+02:00"))
    # A reason that looks like a formula is not run by a spreadsheet.
    assert by_subject[str(log.oost_file.pk)]["reason"].startswith("'=")
    exported = AuditEvent.objects.get(event="audit_exported")
    assert (
        exported.actor_id == log.privacy_officer.user.pk
        and exported.reason == "event=record_viewed"
    )
    # The page links to the CSV with the same filters.
    html = client.get(AUDIT, {"event": "record_viewed"}).content.decode()
    assert f"{CSV}?event=record_viewed" in html
