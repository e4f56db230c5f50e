"""Rectification (AVG art. 16), through the real pages: the resident corrects her account
details on /mijn-gegevens/account/ (a new e-mail address only after its link is followed),
and a professional who may open her file corrects it on /dossiers/<id>/corrigeren/. Both
are audited with the changed field names, never the values."""

import json
import re
from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from socialebasis.accounts.models import User
from socialebasis.audit.models import AuditEvent
from socialebasis.residents import actions
from socialebasis.residents.models import Resident
from socialebasis.testing.personas import EMAIL_DOMAIN, PERSONA_PASSWORD, login_as

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("mydata:account")
FATIMA = f"resident@{EMAIL_DOMAIN}"


def _edit(world):
    return reverse("residents:edit", args=[world.resident_file.pk])


def _row_text(row) -> str:
    return json.dumps(
        {k: getattr(row, k) for k in ("reason", "fields", "subject_id", "event")}, default=str
    )


# ---------------------------------------------------------------- the resident's account


def _account_form(**changes):
    data = {"full_name": "Fatima Yilmaz", "email": FATIMA, "language": "", "password": ""}
    return {**data, **changes}


def test_resident_corrects_her_name_and_language(client, world):
    login_as(client, world.resident)
    html = client.get(ACCOUNT).content.decode()
    assert 'value="Fatima Yilmaz"' in html and 'for="id_full_name"' in html

    response = client.post(ACCOUNT, _account_form(full_name="Fatima Yılmaz-Demir", language="en"))
    # Back on the page, in the language she chose.
    assert response.status_code == 302 and response["Location"] == "/en/mijn-gegevens/account/"
    assert "Your details have been saved." in client.get(response["Location"]).content.decode()
    user = User.objects.get(pk=world.resident.user.pk)
    assert (user.full_name, user.language, user.email) == ("Fatima Yılmaz-Demir", "en", FATIMA)
    row = AuditEvent.objects.get(event="account_changed")
    assert row.fields == ["full_name", "language"]
    assert (row.actor_id, row.subject_type) == (user.pk, "accounts.user")
    assert "Yılmaz" not in _row_text(row) and '"en"' not in _row_text(row)

    # Saving the same again changes and audits nothing.
    client.post(ACCOUNT, _account_form(full_name="Fatima Yılmaz-Demir", language="en"))
    assert AuditEvent.objects.filter(event="account_changed").count() == 1


def test_new_email_address_counts_only_after_its_link(client, world):
    login_as(client, world.resident)
    new = "fatima.nieuw@example.org"
    response = client.post(
        ACCOUNT, _account_form(email="Fatima.Nieuw@example.org", password=PERSONA_PASSWORD)
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world.resident.user.pk)
    assert (user.email, user.pending_email) == (FATIMA, new)  # still logs in with the old one
    [message] = mail.outbox  # the accounts' confirmation mail, through the task queue
    assert message.to == [new] and "Bevestig" in message.subject
    html = client.get(ACCOUNT).content.decode()
    assert 'id="pending-email"' in html and new in html

    link = re.search(r"https?://testserver(/\S+)", message.body).group(1)
    assert client.get(link).status_code == 200
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert (user.email, user.pending_email) == (new, "")
    assert user.email_verified_at is not None
    rows = list(AuditEvent.objects.filter(event="account_changed").order_by("sequence"))
    assert [r.fields for r in rows] == [
        ["pending_email"],
        ["email", "email_verified_at", "pending_email"],
    ]
    assert all(new not in _row_text(r) and "fatima" not in _row_text(r) for r in rows)
    # The link worked once: the address is no longer pending.
    assert client.post(link).status_code == 302
    assert AuditEvent.objects.filter(event="account_changed").count() == 2
    client.logout()
    assert client.login(username=new, password=PERSONA_PASSWORD)


def test_email_change_needs_the_password_and_keeps_input(client, world):
    login_as(client, world.resident)
    response = client.post(
        ACCOUNT, _account_form(full_name="Fatima Y.", email="ander@example.org", password="fout")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'href="#id_password"' in html
    assert "Dit wachtwoord klopt niet." in html
    assert 'value="Fatima Y."' in html and 'value="ander@example.org"' in html
    response = client.post(ACCOUNT, _account_form(email="geen-adres"))
    assert "Vul een geldig e-mailadres in" in response.content.decode()
    user = User.objects.get(pk=world.resident.user.pk)
    assert (user.full_name, user.pending_email) == ("Fatima Yilmaz", "")
    assert not mail.outbox and not AuditEvent.objects.filter(event="account_changed").exists()


def test_a_link_for_an_address_taken_meanwhile_changes_nothing(client, world):
    login_as(client, world.resident)
    taken = "nog-vrij@example.org"
    client.post(ACCOUNT, _account_form(email=taken, password=PERSONA_PASSWORD))
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    User.objects.create_user(taken, "een ander wachtwoord 123")  # someone registers it first
    response = client.post(link)
    assert response.status_code == 400
    assert "hoort inmiddels bij een ander account" in response.content.decode()
    assert User.objects.get(pk=world.resident.user.pk).email == FATIMA


def test_cancelled_change_makes_the_link_invalid(client, world):
    login_as(client, world.resident)
    client.post(ACCOUNT, _account_form(email="tijdelijk@example.org", password=PERSONA_PASSWORD))
    link = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)
    client.post(ACCOUNT, _account_form())  # her own address again: cancels the change
    assert User.objects.get(pk=world.resident.user.pk).pending_email == ""
    assert client.post(link).status_code == 400
    assert User.objects.get(pk=world.resident.user.pk).email == FATIMA


def test_english_page(client, world):
    login_as(client, world.resident)
    html = client.get("/en/mijn-gegevens/account/").content.decode()
    assert "My account details" in html and "Preferred language" in html


# ---------------------------------------------------------------- the professional's file


def _file_form(world, **changes):
    """What the edit page shows (the values seen), with ``changes`` typed over them."""
    seen = {
        "given_name": "Fatima",
        "family_name": "Yilmaz",
        "date_of_birth": "",
        "email": FATIMA,
        "phone": "0612345678",
        "neighbourhood": str(world.resident_file.neighbourhood_id),
    }
    data = {f"initial-{k}": v for k, v in seen.items()}
    return {**data, **seen, **changes}


def test_social_worker_corrects_the_file(client, world):
    login_as(client, world.social_worker)
    html = client.get(_edit(world)).content.decode()
    assert 'name="initial-phone"' in html and 'for="id_phone"' in html
    assert "Kolenkitbuurt-Noord" in html and "Vechtzoom" not in html  # her municipality only

    response = client.post(
        _edit(world), _file_form(world, phone="0687654321", date_of_birth="1980-05-17")
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "residents:detail", args=[world.resident_file.pk]
    )
    file = Resident.objects.get(pk=world.resident_file.pk)
    assert (file.phone, str(file.date_of_birth)) == ("0687654321", "1980-05-17")
    row = AuditEvent.objects.get(event="record_changed")
    assert row.fields == ["date_of_birth", "phone"]
    assert (row.actor_id, row.subject_id) == (world.social_worker.user.pk, str(file.pk))
    assert "0687654321" not in _row_text(row) and "1980" not in _row_text(row)
    # The resident sees it on "who looked at my file".
    login_as(client, world.resident)
    html = client.get(reverse("mydata:who_looked")).content.decode()
    assert "Dossier gewijzigd" in html and "Sanne Willems" in html


def test_errors_are_shown_and_input_kept(client, world):
    login_as(client, world.privacy_officer)
    response = client.post(
        _edit(world), _file_form(world, given_name="", email="geen-adres", phone="0699")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html and 'href="#id_given_name"' in html
    assert "Vul de voornaam in." in html and "Vul een geldig e-mailadres in" in html
    assert 'value="geen-adres"' in html and 'value="0699"' in html
    assert 'name="initial-phone" value="0612345678"' in html  # still what was first seen
    assert Resident.objects.get(pk=world.resident_file.pk).phone == "0612345678"
    assert not AuditEvent.objects.filter(event="record_changed").exists()


def test_a_colleagues_correction_meanwhile_is_kept(client, world):
    login_as(client, world.social_worker)
    seen = _file_form(world, family_name="Yilmaz-Demir")
    # Meanwhile the team lead corrects the phone number.
    actions.do_change_resident(
        world.resident_file, {"phone": "0611111111"}, acting_user=world.team_lead.user
    )
    client.post(_edit(world), seen)
    file = Resident.objects.get(pk=world.resident_file.pk)
    assert (file.family_name, file.phone) == ("Yilmaz-Demir", "0611111111")
    fields = list(
        AuditEvent.objects.filter(event="record_changed")
        .order_by("sequence")
        .values_list("fields", flat=True)
    )
    assert fields == [["phone"], ["family_name"]]


@pytest.mark.parametrize(
    "who",
    [
        "resident",  # her own file: she asks her social worker
        "carer",
        "other_team_worker",
        "policy_officer",
        "administrator",
        "other_municipality",
    ],
)
def test_only_professionals_who_may_open_the_file_correct_it(client, world, who):
    login_as(client, world[who])
    assert client.get(_edit(world)).status_code == 404
    response = client.post(_edit(world), _file_form(world, given_name="Iemand"))
    assert response.status_code == 404
    assert Resident.objects.get(pk=world.resident_file.pk).given_name == "Fatima"
    assert not AuditEvent.objects.filter(event__in=["record_changed", "record_viewed"]).exists()


def test_the_action_refuses_other_fields_and_neighbourhoods(world):
    with pytest.raises(ValueError):
        actions.do_change_resident(
            world.resident_file, {"municipality": None}, acting_user=world.social_worker.user
        )
    with pytest.raises(ValueError):
        actions.do_change_resident(
            world.resident_file,
            {"neighbourhood": world.utrecht_neighbourhood},
            acting_user=world.social_worker.user,
        )
    assert not AuditEvent.objects.exists()


def test_mail_in_her_preferred_language_and_erasure_clears_the_new_address(client, world):
    login_as(client, world.resident)
    client.post(
        ACCOUNT,
        _account_form(email="nieuw@example.org", language="en", password=PERSONA_PASSWORD),
    )
    [message] = mail.outbox
    assert message.subject == "Confirm your e-mail address for Sociale Basis"
    actions.do_erase_resident(world.resident_file, acting_user=world.resident.user)
    user = User.objects.get(pk=world.resident.user.pk)
    assert (user.pending_email, user.language) == ("", "")


def test_a_professionals_name_is_managed_by_the_administrator(client, world):
    from socialebasis.accounts.actions import AccountManaged, do_change_account
    from socialebasis.accounts.tests.factories import MembershipFactory

    user = world.resident.user
    MembershipFactory(social_worker=True, user=user, municipality=world.municipality)
    login_as(client, world.resident)
    response = client.post(ACCOUNT, _account_form(full_name="Systeem"))
    assert "beheerd door de beheerder" in response.content.decode()
    with pytest.raises(AccountManaged):
        do_change_account(user, acting_user=user, full_name="Systeem")
    assert do_change_account(user, acting_user=user, language="en") == ["language"]
    assert User.objects.get(pk=user.pk).full_name == "Fatima Yilmaz"


_NAMES = st.text(alphabet="abcdeé -", min_size=1, max_size=12).map(str.strip).filter(bool)


@hyp_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.fixed_dictionaries(
        {},
        optional={
            "given_name": _NAMES,
            "family_name": st.sampled_from(["", "Yilmaz", "Demir"]),
            "phone": st.sampled_from(["", "0612345678", "0687654321"]),
            "date_of_birth": st.one_of(st.none(), st.dates(date(1920, 1, 1), date(2020, 1, 1))),
        },
    )
)
def test_audited_fields_are_exactly_the_fields_that_changed(world, changes):
    before = Resident.objects.get(pk=world.resident_file.pk)
    expected = sorted(k for k, v in changes.items() if getattr(before, k) != v)
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    changed = actions.do_change_resident(
        world.resident_file, changes, acting_user=world.social_worker.user
    )
    assert changed == expected
    after = Resident.objects.get(pk=world.resident_file.pk)
    for name in ("given_name", "family_name", "phone", "date_of_birth", "email"):
        assert getattr(after, name) == changes.get(name, getattr(before, name))
    rows = list(AuditEvent.objects.filter(sequence__gt=last or 0))
    assert [r.fields for r in rows] == ([expected] if expected else [])


# ---------------------------------------------------------------- found by trying it from outside


def test_a_worker_cannot_move_the_file_out_of_her_teams_reach(client, world):
    elsewhere = world.oost_file.neighbourhood  # Amsterdam, but not her team's districts
    login_as(client, world.social_worker)
    response = client.post(_edit(world), _file_form(world, neighbourhood=str(elsewhere.pk)))
    html = response.content.decode()
    assert response.status_code == 200 and "buiten het werkgebied van uw team" in html
    file = Resident.objects.get(pk=world.resident_file.pk)
    assert file.neighbourhood_id == world.resident_file.neighbourhood_id
    assert not AuditEvent.objects.filter(event="record_changed").exists()
    # The privacy officer (municipality-wide) may move it.
    login_as(client, world.privacy_officer)
    response = client.post(_edit(world), _file_form(world, neighbourhood=str(elsewhere.pk)))
    assert response.status_code == 302
    assert Resident.objects.get(pk=world.resident_file.pk).neighbourhood_id == elsewhere.pk


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2099-01-01", "tussen 1900 en vandaag"),
        ("date_of_birth", "0001-01-01", "tussen 1900 en vandaag"),
        ("phone", "<b>abc</b>", "Gebruik alleen cijfers"),
    ],
)
def test_impossible_dates_and_phone_numbers_are_refused(client, world, field, value, message):
    login_as(client, world.social_worker)
    response = client.post(_edit(world), _file_form(world, **{field: value}))
    assert response.status_code == 200 and message in response.content.decode()
    assert not AuditEvent.objects.filter(event="record_changed").exists()


@pytest.mark.parametrize("name", ["Fatima\nYilmaz", "Fatima \u202eztimlaY", "Fa\x07tima"])
def test_a_name_with_line_breaks_or_invisible_characters_is_refused(client, world, name):
    login_as(client, world.resident)
    response = client.post(ACCOUNT, _account_form(full_name=name))
    assert response.status_code == 200
    assert "geen regeleinden of onzichtbare tekens" in response.content.decode()
    assert User.objects.get(pk=world.resident.user.pk).full_name == "Fatima Yilmaz"
