"""The professional's resident-file pages: /dossiers/ (names the user may open) and
/dossiers/<id>/ (through access_resident_for_user: 404 when denied, two-factor first,
every opening audited)."""

import uuid

import pytest
from django.urls import reverse

from socialebasis.audit.models import AuditEvent
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.testing.personas import login_as

pytestmark = pytest.mark.django_db

LIST = reverse("residents:list")


def _detail(resident_id):
    return reverse("residents:detail", args=[resident_id])


def test_list_shows_only_files_the_user_may_open(client, world):
    login_as(client, world.social_worker)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fatima Yilmaz" in html and _detail(world.resident_file.pk) in html
    assert "Kees" not in html and "Jansen" not in html
    assert not AuditEvent.objects.exists()  # a list of names is not audited per row

    login_as(client, world.privacy_officer)
    html = client.get(LIST).content.decode()
    assert "Fatima" in html and "Kees" in html and "Jansen" not in html


def test_list_filters_by_name_and_neighbourhood_within_the_scope(client, world):
    login_as(client, world.privacy_officer)  # sees Fatima (Kolenkit) and Kees (Oost)
    html = client.get(LIST, {"q": "fatima"}).content.decode()
    assert "Fatima Yilmaz" in html and "Kees" not in html
    assert 'value="fatima"' in html  # what was typed stays in the field
    html = client.get(LIST, {"buurt": world.other_neighbourhood.code}).content.decode()
    assert "Kees" in html and "Fatima" not in html
    html = client.get(LIST, {"q": "niemand"}).content.decode()
    assert "Geen dossiers gevonden met deze zoekopdracht." in html

    # The neighbourhood list offers only neighbourhoods of files in the user's scope, and a
    # neighbourhood outside it is an error on the field, never a wider list.
    login_as(client, world.social_worker)  # sees Fatima only
    html = client.get(LIST).content.decode()
    assert world.neighbourhood.name in html and world.other_neighbourhood.name not in html
    response = client.get(LIST, {"buurt": world.other_neighbourhood.code})
    html = response.content.decode()
    assert response.status_code == 200 and "Kees" not in html and "Fatima Yilmaz" not in html
    assert 'id="error-summary"' in html or "utrecht-form-field-error-message" in html
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["resident", "volunteer", "newcomer"])
def test_list_is_for_professionals(client, world, who):
    login_as(client, world[who])
    assert client.get(LIST).status_code == 404


def test_list_and_file_need_two_factor(client, world):
    login_as(client, world.social_worker, verified=False)
    for url in (LIST, _detail(world.resident_file.pk)):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert "Fatima" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_opening_a_file_is_audited_with_the_reason(client, world):
    actions.do_give_consent(
        world.resident_file, Purpose.WORKER_SEES_NETWORK, acting_user=world.resident.user
    )
    login_as(client, world.social_worker)
    response = client.get(_detail(world.resident_file.pk), {"reden": "intake"})
    html = response.content.decode()
    assert response.status_code == 200
    for text in ["Fatima", "Yilmaz", "0612345678", "Kolenkitbuurt-Noord"]:
        assert text in html
    assert "Mijn sociaal werker mag mijn netwerk zien" in html and "Gegeven" in html
    assert 'id="consent-on-behalf"' not in html  # only privacy officers record on behalf
    row = AuditEvent.objects.get(event="record_viewed")
    assert (row.actor_id, row.subject_id, row.reason) == (
        world.social_worker.user.pk,
        str(world.resident_file.pk),
        "intake",
    )


@pytest.mark.parametrize(
    "who", ["other_team_worker", "policy_officer", "volunteer", "utrecht_privacy_officer"]
)
def test_denied_is_404_and_not_audited(client, world, who):
    login_as(client, world[who])
    assert client.get(_detail(world.resident_file.pk)).status_code == 404
    assert client.get(_detail(uuid.uuid4())).status_code == 404
    assert not AuditEvent.objects.filter(event="record_viewed").exists()


def test_another_residents_file_is_404_for_a_resident(client, world):
    login_as(client, world.carer)
    assert client.get(_detail(world.resident_file.pk)).status_code == 404


def test_privacy_officer_sees_the_on_behalf_link(client, world):
    login_as(client, world.privacy_officer)
    html = client.get(_detail(world.resident_file.pk)).content.decode()
    assert 'id="consent-on-behalf"' in html
