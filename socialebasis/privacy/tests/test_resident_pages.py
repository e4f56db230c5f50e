"""The resident's own pages: overview, who looked at my file, downloads and erasure.
Each shows only the logged-in resident's own data."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from socialebasis.accounts.tests.factories import MembershipFactory
from socialebasis.audit.models import AuditEvent
from socialebasis.audit.verify import verify_chain
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.residents.models import Consent, Resident
from socialebasis.testing import factories as f
from socialebasis.testing.personas import EMAIL_DOMAIN, PERSONA_PASSWORD, login_as

pytestmark = pytest.mark.django_db

PAGES = ["overview", "consents", "who_looked", "download_json", "download_html", "erase"]


@pytest.fixture
def visited(client, world):
    """The social worker opened the resident's file (through the real page, with 2FA)."""
    login_as(client, world.social_worker)
    url = reverse("residents:detail", args=[world.resident_file.pk])
    assert client.get(url, {"reden": "huisbezoek voorbereiden"}).status_code == 200
    client.logout()
    return AuditEvent.objects.get(event="record_viewed")


@pytest.mark.parametrize("page", PAGES)
def test_pages_need_login(client, page):
    response = client.get(reverse(f"mydata:{page}"))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_account_without_a_file_gets_404(client, world, page):
    login_as(client, world.newcomer)
    response = client.get(reverse(f"mydata:{page}"))
    assert response.status_code == 404
    assert "Geen gegevens gevonden" in response.content.decode()


def test_overview_shows_only_own_file(client, world):
    login_as(client, world.resident)
    html = client.get(reverse("mydata:overview")).content.decode()
    assert "Fatima Yilmaz" in html and "Kolenkitbuurt-Noord" in html
    assert "Kees" not in html


def test_who_looked_shows_the_professional_visit(client, world, visited):
    login_as(client, world.resident)
    response = client.get(reverse("mydata:who_looked"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Willems" in html
    assert "Sociaal werker, Buurtteam West" in html
    assert "huisbezoek voorbereiden" in html
    assert "Dossier bekeken" in html
    local = timezone.localtime(visited.occurred_at, timezone.get_default_timezone())
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert local.strftime("%H:%M") in html

    # Another resident does not see that visit.
    login_as(client, world.carer)
    html = client.get(reverse("mydata:who_looked")).content.decode()
    assert "Sanne Willems" not in html and "huisbezoek" not in html
    assert 'id="who-looked-empty"' in html


def test_who_looked_after_the_professional_is_deleted(client, world, visited):
    world.social_worker.user.delete()
    login_as(client, world.resident)
    html = client.get(reverse("mydata:who_looked")).content.decode()
    assert "verwijderde gebruiker" in html and "Sanne" not in html
    assert "huisbezoek voorbereiden" in html


def test_own_consent_changes_show_as_own(client, world):
    actions.do_give_consent(
        world.resident_file, Purpose.WORKER_SEES_NETWORK, acting_user=world.resident.user
    )
    login_as(client, world.resident)
    html = client.get(reverse("mydata:who_looked")).content.decode()
    assert "Toestemming gegeven" in html and "U zelf" in html


def _linked_data(world):
    actions.do_give_consent(
        world.resident_file, Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES, acting_user=world.resident.user
    )
    actions.do_give_consent(
        world.resident_file,
        Purpose.SHARE_REQUEST_WITH_VOLUNTEERS,
        acting_user=world.privacy_officer.user,
        reason="brief",
    )
    f.ErrorReportFactory(
        user=world.resident.user,  # sent from her account
        reporter_name="Fatima",
        reporter_email=f"RESIDENT@{EMAIL_DOMAIN}",
        message="Adres klopt niet",
    )
    f.ErrorReportFactory(reporter_name="Iemand anders", reporter_email="ander@example.org")


def test_download_json_has_everything(client, world, visited):
    _linked_data(world)
    login_as(client, world.resident)
    response = client.get(reverse("mydata:download_json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    data = json.loads(response.content)
    file = data["resident"]
    assert file["id"] == str(world.resident_file.pk)
    assert (file["given_name"], file["family_name"]) == ("Fatima", "Yilmaz")
    assert (file["email"], file["phone"]) == (f"resident@{EMAIL_DOMAIN}", "0612345678")
    assert file["municipality"] == {"code": "GM0363", "name": "Amsterdam"}
    assert file["neighbourhood"]["name"] == "Kolenkitbuurt-Noord"
    assert data["account"]["email"] == f"resident@{EMAIL_DOMAIN}"
    assert data["account"]["roles"][0]["role"] == "resident"
    purposes = {c["purpose"]: c for c in data["consents"]}
    assert set(purposes) == {"count_in_neighbourhood_figures", "share_request_with_volunteers"}
    assert purposes["share_request_with_volunteers"]["on_behalf"] is True
    assert purposes["share_request_with_volunteers"]["reason"] == "brief"
    assert purposes["count_in_neighbourhood_figures"]["wording_text"].startswith("Ik geef")
    assert [r["message"] for r in data["error_reports"]] == ["Adres klopt niet"]
    events = [(r["event"], r["actor"]["name"]) for r in data["audit"]]
    assert ("record_viewed", "Sanne Willems") in events
    assert ("consent_given", "U zelf") in events
    assert ("export_made", "U zelf") in events
    viewed = next(r for r in data["audit"] if r["event"] == "record_viewed")
    assert viewed["reason"] == "huisbezoek voorbereiden"
    assert viewed["occurred_at"].endswith(("+01:00", "+02:00"))  # Europe/Amsterdam
    # Nothing of another resident.
    assert "Kees" not in response.content.decode()
    assert "ander@example.org" not in response.content.decode()
    row = AuditEvent.objects.get(event="export_made")
    assert (row.actor_id, row.subject_id, row.reason) == (
        world.resident.user.pk,
        str(world.resident_file.pk),
        "inzageverzoek (json)",
    )


def test_download_html_is_readable_and_complete(client, world, visited):
    _linked_data(world)
    login_as(client, world.resident)
    response = client.get(reverse("mydata:download_html"))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Fatima",
        "Yilmaz",
        "0612345678",
        f"resident@{EMAIL_DOMAIN}",
        "Kolenkitbuurt-Noord",
        "Mijn gegevens tellen mee in anonieme buurtcijfers",
        "Ik geef toestemming dat mijn gegevens meetellen",
        "Adres klopt niet",
        "Sanne Willems",
        "huisbezoek voorbereiden",
        "Export gemaakt",
    ]:
        assert text in html, text
    assert "Kees" not in html
    assert AuditEvent.objects.get(event="export_made").reason == "inzageverzoek (html)"


# ---------------------------------------------------------------- erasure


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


PERSONAL = ["Fatima", "Yilmaz", f"resident@{EMAIL_DOMAIN}", "0612345678"]


def test_erase_confirm_page_keeps_input_on_errors(client, world):
    login_as(client, world.resident)
    url = reverse("mydata:erase")
    assert client.get(url).status_code == 200
    response = client.post(url, {"password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vink aan dat u begrijpt wat er gebeurt." in html
    assert "Vul uw wachtwoord in." in html
    response = client.post(url, {"confirm": "on", "password": "fout wachtwoord"})
    html = response.content.decode()
    assert "Dit wachtwoord klopt niet." in html
    assert 'name="confirm"' in html and "checked" in html
    assert Resident.objects.filter(pk=world.resident_file.pk).exists()
    assert not AuditEvent.objects.filter(event="erasure_requested").exists()


def test_erasure_removes_personal_data_everywhere(client, world, visited):
    _linked_data(world)
    resident_id, user = world.resident_file.pk, world.resident.user
    assert all(text in _dump() for text in PERSONAL)
    client.force_login(user)
    client.get(reverse("mydata:download_json"))

    response = client.post(reverse("mydata:erase"), {"confirm": "on", "password": PERSONA_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mydata:erased")
    assert "Uw gegevens zijn gewist" in client.get(response["Location"]).content.decode()
    # Logged out, and the account cannot log in again.
    assert client.get(reverse("mydata:overview")).status_code == 302
    assert not client.login(username=f"resident@{EMAIL_DOMAIN}", password=PERSONA_PASSWORD)

    dump = _dump()
    for text in PERSONAL:
        assert text not in dump, text
    assert "Buurtwerk Amsterdam" in dump  # the rest of the database is still there
    assert not Resident.objects.filter(pk=resident_id).exists()
    assert not Consent.objects.filter(resident_id=resident_id).exists()
    user = get_user_model().objects.get(pk=user.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.full_name == "" and user.email.endswith("@geanonimiseerd.invalid")
    assert not user.memberships.exists()
    assert world.oost_file.__class__.objects.filter(pk=world.oost_file.pk).exists()

    # The audit log survives, verifies, names what happened, and holds nothing personal.
    assert verify_chain().ok
    events = list(AuditEvent.objects.order_by("sequence").values_list("event", flat=True))
    assert events[-3:] == ["erasure_requested", "record_anonymised", "record_erased"]
    erased = AuditEvent.objects.get(event="record_erased")
    assert (erased.subject_type, erased.subject_id, erased.municipality_code) == (
        "residents.resident",
        str(resident_id),
        "GM0363",
    )
    assert AuditEvent.objects.filter(event="record_viewed", subject_id=str(resident_id)).exists()
    for row in AuditEvent.objects.values():
        text = json.dumps(row, default=str)
        for personal in PERSONAL:
            assert personal not in text


def test_privacy_officer_erasure_needs_a_reason(world):
    with pytest.raises(actions.ReasonRequired):
        actions.do_erase_resident(world.resident_file, acting_user=world.privacy_officer.user)
    removed = actions.do_erase_resident(
        world.resident_file, acting_user=world.privacy_officer.user, reason="schriftelijk verzoek"
    )
    assert removed["resident"] == 1 and removed["account"] == 1
    assert AuditEvent.objects.get(event="record_erased").reason == "schriftelijk verzoek"


def test_erasure_keeps_a_professional_account(world):
    MembershipFactory(social_worker=True, user=world.resident.user, municipality=world.municipality)
    removed = actions.do_erase_resident(world.resident_file, acting_user=world.resident.user)
    assert "account" not in removed
    world.resident.user.refresh_from_db()
    assert world.resident.user.is_active and world.resident.user.email == f"resident@{EMAIL_DOMAIN}"


# ---------------------------------------------------------------- by the privacy officer


def test_privacy_officer_hands_over_the_export(client, world, visited):
    _linked_data(world)
    login_as(client, world.privacy_officer)
    url = reverse("residents:export", args=[world.resident_file.pk])
    html = client.get(url).content.decode()
    assert "Alle gegevens van Fatima Yilmaz" in html
    assert "Sanne Willems" in html and "Adres klopt niet" in html
    assert f"{url}?formaat=json" in html
    response = client.get(url, {"formaat": "json"})
    disposition = f'attachment; filename="inzage-dossier-{world.resident_file.pk}-'
    assert response["Content-Disposition"].startswith(disposition)
    data = json.loads(response.content)
    assert data["resident"]["family_name"] == "Yilmaz"
    kinds = set(AuditEvent.objects.filter(event="export_made").values_list("reason", flat=True))
    assert kinds == {
        "inzageverzoek via privacy officer (html)",
        "inzageverzoek via privacy officer (json)",
    }
    # Opening the file for the request is audited too, with the reason.
    assert AuditEvent.objects.filter(
        event="record_viewed",
        actor_id=world.privacy_officer.user.pk,
        reason="inzageverzoek behandelen",
    ).exists()


def test_privacy_officer_erases_with_a_reason(client, world):
    login_as(client, world.privacy_officer)
    url = reverse("residents:erase", args=[world.resident_file.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "kenmerk AVG-2026-17"})
    assert response.status_code == 200
    assert "Vink aan dat u dit heeft gecontroleerd." in response.content.decode()
    assert "kenmerk AVG-2026-17" in response.content.decode()  # input kept
    response = client.post(url, {"confirm": "on", "reason": " "})
    assert "Geef een reden" in response.content.decode()
    assert Resident.objects.filter(pk=world.resident_file.pk).exists()

    response = client.post(url, {"confirm": "on", "reason": "kenmerk AVG-2026-17"})
    assert response.status_code == 302 and response["Location"] == reverse("residents:list")
    assert not Resident.objects.filter(pk=world.resident_file.pk).exists()
    erased = AuditEvent.objects.get(event="record_erased")
    assert (erased.actor_id, erased.reason) == (
        world.privacy_officer.user.pk,
        "kenmerk AVG-2026-17",
    )
    assert verify_chain().ok
    assert "Fatima" not in _dump()


@pytest.mark.parametrize(
    "who", ["social_worker", "policy_officer", "utrecht_privacy_officer", "resident"]
)
def test_only_the_privacy_officer_exports_or_erases_a_file(client, world, who):
    login_as(client, world[who])
    for name in ("residents:export", "residents:erase"):
        assert client.get(reverse(name, args=[world.resident_file.pk])).status_code == 404
    url = reverse("residents:erase", args=[world.resident_file.pk])
    assert client.post(url, {"confirm": "on", "reason": "x"}).status_code == 404
    assert Resident.objects.filter(pk=world.resident_file.pk).exists()
    assert not AuditEvent.objects.exists()
