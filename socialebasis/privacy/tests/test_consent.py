"""Consent: give, withdraw, wording versions, on-behalf with a reason, refusal without it,
and the consent-gated count of residents in neighbourhood figures."""

import re

import pytest
from django.urls import reverse

from socialebasis.audit.models import AuditEvent
from socialebasis.audit.verify import verify_chain
from socialebasis.privacy import wording
from socialebasis.privacy.constants import PURPOSES
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.residents.models import Consent
from socialebasis.residents.queries import (
    ConsentRequired,
    consent_states,
    countable_residents,
    has_consent,
    require_consent,
    residents_per_neighbourhood,
)
from socialebasis.residents.tests.factories import ResidentFactory
from socialebasis.testing.personas import login_as

pytestmark = pytest.mark.django_db

SHARE = Purpose.SHARE_REQUEST_WITH_VOLUNTEERS
NETWORK = Purpose.WORKER_SEES_NETWORK
COUNT = Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES


@pytest.fixture
def new_wording(monkeypatch):
    """Publish version 2 of the network text (as a code change would)."""

    def publish():
        versions = [*wording.WORDINGS[NETWORK], wording.Wording(NETWORK, 2, "Nieuwe tekst v2.")]
        monkeypatch.setitem(wording.WORDINGS, NETWORK, versions)

    return publish


def test_give_and_withdraw_by_the_resident(world):
    resident, own = world.resident_file, world.resident.user
    consent = actions.do_give_consent(resident, NETWORK, acting_user=own)
    assert has_consent(resident, NETWORK)
    assert not has_consent(resident, SHARE)
    assert (consent.recorded_by, consent.on_behalf, consent.wording_version) == (own, False, 1)
    assert consent.wording_text == str(wording.current_wording(NETWORK).text)
    row = AuditEvent.objects.get(event="consent_given")
    assert (row.actor_id, row.subject_type, row.subject_id) == (
        own.pk,
        "residents.consent",
        str(consent.pk),
    )
    assert row.fields == ["worker_sees_network@v1"]
    assert row.municipality_code == "GM0363"

    # Giving again changes nothing.
    assert actions.do_give_consent(resident, NETWORK, acting_user=own) == consent
    assert Consent.objects.count() == 1

    withdrawn = actions.do_withdraw_consent(resident, NETWORK, acting_user=own)
    assert withdrawn.pk == consent.pk and withdrawn.withdrawn_by == own
    assert not has_consent(resident, NETWORK)
    assert AuditEvent.objects.filter(event="consent_withdrawn").count() == 1
    assert actions.do_withdraw_consent(resident, NETWORK, acting_user=own) is None

    # Consent again: a new row, the history stays.
    actions.do_give_consent(resident, NETWORK, acting_user=own)
    assert has_consent(resident, NETWORK)
    assert Consent.objects.filter(resident=resident, purpose=NETWORK).count() == 2
    assert verify_chain().ok


def test_new_wording_version_asks_again(world, new_wording):
    resident, own = world.resident_file, world.resident.user
    old = actions.do_give_consent(resident, NETWORK, acting_user=own)
    new_wording()
    assert not has_consent(resident, NETWORK)
    state = next(s for s in consent_states(resident) if s.purpose == NETWORK)
    assert state.outdated and not state.given
    with pytest.raises(actions.WordingChanged):
        actions.do_give_consent(resident, NETWORK, acting_user=own, wording_version=1)
    new = actions.do_give_consent(resident, NETWORK, acting_user=own, wording_version=2)
    old.refresh_from_db()
    assert old.superseded_at is not None and old.withdrawn_at is None
    assert (new.wording_version, new.wording_text) == (2, "Nieuwe tekst v2.")
    assert has_consent(resident, NETWORK)


def test_on_behalf_needs_a_reason(world):
    resident, officer = world.resident_file, world.privacy_officer.user
    with pytest.raises(actions.ReasonRequired):
        actions.do_give_consent(resident, SHARE, acting_user=officer)
    with pytest.raises(actions.ReasonRequired):
        actions.do_give_consent(resident, SHARE, acting_user=officer, reason="   ")
    consent = actions.do_give_consent(
        resident, SHARE, acting_user=officer, reason="brief van 3 maart"
    )
    assert consent.on_behalf and consent.reason == "brief van 3 maart"
    row = AuditEvent.objects.get(event="consent_given")
    assert (row.actor_id, row.reason) == (officer.pk, "brief van 3 maart")
    with pytest.raises(actions.ReasonRequired):
        actions.do_withdraw_consent(resident, SHARE, acting_user=officer)
    assert has_consent(resident, SHARE)


def test_require_consent_refuses_clearly(world):
    with pytest.raises(ConsentRequired) as info:
        require_consent(world.resident_file, NETWORK)
    assert "Mijn sociaal werker mag mijn netwerk zien" in str(info.value)
    assert "toestemming" in info.value.message
    actions.do_give_consent(world.resident_file, NETWORK, acting_user=world.resident.user)
    require_consent(world.resident_file, NETWORK)


# ---------------------------------------------------------------- the resident's page


def _post_consents(client, checked, versions=None):
    # Every registered purpose is on the page (also the test-only example app's).
    data = {f"version_{e.name}": (versions or {}).get(e.name, 1) for e in PURPOSES}
    data.update(dict.fromkeys(checked, "on"))
    return client.post(reverse("mydata:consents"), data)


def test_consent_page_gives_and_withdraws(client, world):
    login_as(client, world.resident)
    page = client.get(reverse("mydata:consents"))
    assert page.status_code == 200
    for purpose in Purpose:
        assert str(wording.current_wording(purpose).text) in page.content.decode()

    response = _post_consents(client, [SHARE, COUNT])
    assert response.status_code == 302
    assert has_consent(world.resident_file, SHARE) and has_consent(world.resident_file, COUNT)
    assert not has_consent(world.resident_file, NETWORK)
    page = client.get(reverse("mydata:consents")).content.decode()
    assert "Uw keuzes zijn opgeslagen" in page
    assert 'name="share_request_with_volunteers" class="utrecht-checkbox' in page

    _post_consents(client, [COUNT])
    assert not has_consent(world.resident_file, SHARE) and has_consent(world.resident_file, COUNT)
    assert AuditEvent.objects.filter(event="consent_withdrawn").count() == 1
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {world.resident.user.pk}


def test_consent_page_keeps_input_when_the_text_changed(client, world, new_wording):
    login_as(client, world.resident)
    new_wording()
    response = _post_consents(client, [NETWORK, SHARE], versions={NETWORK: 1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "De tekst van deze toestemming is intussen gewijzigd" in html
    assert "Nieuwe tekst v2." in html
    # What was ticked stays ticked (the changed one marked invalid); nothing was saved.
    boxes = dict(re.findall(r'<input type="checkbox" name="(\w+)"([^>]*)>', html))
    assert boxes[SHARE].endswith("checked")
    assert 'aria-invalid="true"' in boxes[NETWORK] and boxes[NETWORK].endswith("checked")
    assert not boxes[COUNT].endswith("checked")
    assert not Consent.objects.exists()
    response = _post_consents(client, [NETWORK], versions={NETWORK: 2})
    assert response.status_code == 302 and has_consent(world.resident_file, NETWORK)


# ---------------------------------------------------------------- on behalf, by URL


def test_privacy_officer_records_consent_on_behalf(client, world):
    login_as(client, world.privacy_officer)
    url = reverse("residents:consent", args=[world.resident_file.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"purpose": SHARE, "change": "give", "reason": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geef een reden" in html
    assert '<option value="share_request_with_volunteers" selected>' in html
    assert not Consent.objects.exists()

    response = client.post(url, {"purpose": SHARE, "change": "give", "reason": "belde op"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.on_behalf and consent.recorded_by == world.privacy_officer.user
    assert consent.reason == "belde op"
    detail = client.get(reverse("residents:detail", args=[world.resident_file.pk])).content.decode()
    assert "namens de inwoner" in detail

    client.post(url, {"purpose": SHARE, "change": "withdraw", "reason": "brief"})
    consent.refresh_from_db()
    assert consent.withdrawn_at and consent.withdrawal_reason == "brief"


@pytest.mark.parametrize(
    "who", ["social_worker", "policy_officer", "utrecht_privacy_officer", "resident", "volunteer"]
)
def test_only_privacy_officers_record_on_behalf(client, world, who):
    login_as(client, world[who])
    url = reverse("residents:consent", args=[world.resident_file.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": SHARE, "change": "give", "reason": "x"}).status_code == 404
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(event="record_viewed").exists()


def test_network_section_refuses_without_consent(client, world):
    login_as(client, world.social_worker)
    url = reverse("residents:detail", args=[world.resident_file.pk])
    html = client.get(url).content.decode()
    assert 'id="network-refused"' in html
    assert "Dit kan alleen met toestemming van de inwoner" in html
    actions.do_give_consent(world.resident_file, NETWORK, acting_user=world.resident.user)
    html = client.get(url).content.decode()
    assert 'id="network-refused"' not in html and 'id="network"' in html


# ---------------------------------------------------------------- consent-gated figures


def test_only_consenting_residents_count_in_figures(world, new_wording):
    amsterdam, hood = world.municipality, world.neighbourhood
    residents = ResidentFactory.create_batch(12, neighbourhood=hood)
    for r in residents[:11]:
        actions.do_give_consent(
            r, COUNT, acting_user=world.privacy_officer.user, reason="formulier"
        )
    actions.do_withdraw_consent(
        residents[10], COUNT, acting_user=world.privacy_officer.user, reason="belde"
    )
    actions.do_give_consent(
        world.resident_file, NETWORK, acting_user=world.resident.user
    )  # another purpose: no count

    counted = set(countable_residents(amsterdam).values_list("pk", flat=True))
    assert counted == {r.pk for r in residents[:10]}
    assert residents_per_neighbourhood(amsterdam) == [
        {"code": hood.code, "name": hood.name, "count": 10}
    ]

    # Below ten people a cell is suppressed.
    actions.do_withdraw_consent(
        residents[0], COUNT, acting_user=world.privacy_officer.user, reason="belde"
    )
    assert residents_per_neighbourhood(amsterdam)[0]["count"] is None

    # A new wording of the counting purpose: nobody counts until they agree again.
    versions = [*wording.WORDINGS[COUNT], wording.Wording(COUNT, 2, "v2")]
    wording.WORDINGS[COUNT] = versions
    try:
        assert not countable_residents(amsterdam).exists()
    finally:
        wording.WORDINGS[COUNT] = versions[:-1]
