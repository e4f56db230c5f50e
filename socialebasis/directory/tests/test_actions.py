"""Writes of the directory go through ``directory.actions`` and are audited: admin saves and
deletes, moderation of error reports, residents' reports, imports. Through the real URLs
where there is one. Audit rows hold field names and counts, never a reporter's name or
e-mail address."""

import inspect
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from socialebasis.audit.models import AuditEvent
from socialebasis.directory import actions, events
from socialebasis.directory.constants import ReportStatus
from socialebasis.directory.models import ErrorReport, SearchEntry, Service
from socialebasis.directory.tests import test_pages as pages
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

# The world and the logged-in coordinator of the page tests.
world = pages.world
admin_client = pages.admin_client


def rows(event: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=event).order_by("sequence"))


def row_text(row: AuditEvent) -> str:
    return json.dumps([row.reason, row.fields, row.subject_type, row.subject_id])


def test_every_action_takes_a_required_keyword_only_acting_user():
    functions = [
        function
        for name, function in inspect.getmembers(actions, inspect.isfunction)
        if name.startswith("do_") and function.__module__ == actions.__name__
    ]
    assert len(functions) >= 12
    for function in functions:
        parameter = inspect.signature(function).parameters.get("acting_user")
        assert parameter is not None, function.__name__
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, function.__name__
        assert parameter.default is inspect.Parameter.empty, function.__name__


def test_events_are_registered_with_dutch_labels():
    from socialebasis.audit.constants import EVENTS

    for name in (
        events.DIRECTORY_ENTRY_CHANGED,
        events.ERROR_REPORT_CREATED,
        events.ERROR_REPORT_MODERATED,
        events.ERROR_REPORT_DELETED,
        events.DIRECTORY_IMPORTED,
    ):
        assert name in EVENTS and EVENTS.get(name).app == "directory"
    with translation.override("nl"):
        assert str(EVENTS.label(events.DIRECTORY_ENTRY_CHANGED)) == "Sociale kaart gewijzigd"
    with translation.override("en"):
        assert str(EVENTS.label(events.DIRECTORY_ENTRY_CHANGED)) == "Social map changed"


# ---------------------------------------------------------------- the admin


def test_admin_service_edit_audits_changed_fields_and_the_search_finds_the_new_name(
    admin_client, world, client, django_capture_on_commit_callbacks
):
    service = world["buurtkamer"]
    url = f"/beheer/directory/service/{service.pk}/change/"
    data = pages._admin_form_data(admin_client.get(url))
    data["name"] = "Huiskamer Zwerfkattenhoek"
    data["description"] = "Thee en ontmoeting."
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
    )

    [row] = rows(events.DIRECTORY_ENTRY_CHANGED)
    assert row.fields == ["description", "name"]
    assert row.subject_type == "directory.service" and row.subject_id == str(service.pk)
    assert str(row.actor_id) == str(response.wsgi_request.user.pk)
    assert "Zwerfkattenhoek" not in row_text(row)  # names, never values

    found = client.get("/zoeken/", {"q": "zwerfkattenhoek", "near": "1055"})
    assert "Huiskamer Zwerfkattenhoek" in pages.text_of(found)
    found = client.get("/zoeken/", {"q": "zwerfkatenhoek", "near": "1055"})  # a typo
    assert "Huiskamer Zwerfkattenhoek" in pages.text_of(found)


def test_admin_inline_change_is_named_and_an_unchanged_save_writes_nothing(admin_client, world):
    service = world["buurtkamer"]
    url = f"/beheer/directory/service/{service.pk}/change/"
    data = pages._admin_form_data(admin_client.get(url))
    assert admin_client.post(url, data).status_code == 302
    assert rows(events.DIRECTORY_ENTRY_CHANGED) == []

    phone = next(k for k, v in data.items() if k.endswith("-number") and v == "020 123 4567")
    data[phone] = "020 765 4321"
    assert admin_client.post(url, data).status_code == 302
    [row] = rows(events.DIRECTORY_ENTRY_CHANGED)
    assert row.fields == ["phones"]


def test_admin_delete_of_a_service_audits_it_and_its_error_reports(
    admin_client, world, django_capture_on_commit_callbacks
):
    service = world["taalcafe"]
    report = f.ErrorReportFactory(service=service, reporter_name="Fatima Yilmaz")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/beheer/directory/service/{service.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()
    assert not SearchEntry.objects.filter(service_id=service.pk).exists()
    [deleted] = rows(events.DIRECTORY_ENTRY_DELETED)
    assert deleted.subject_id == str(service.pk)
    [gone] = rows(events.ERROR_REPORT_DELETED)
    assert gone.subject_id == str(report.pk) and gone.reason == "service deleted"
    assert "Fatima" not in row_text(gone)


def test_admin_mark_verified_audits_each_record(admin_client, world):
    service = world["taalcafe"]
    admin_client.post(
        "/beheer/directory/service/",
        {"action": "mark_verified_today", "_selected_action": [str(service.pk)]},
    )
    [row] = rows(events.DIRECTORY_ENTRY_CHANGED)
    assert row.fields == ["last_verified"] and row.subject_id == str(service.pk)


def test_admin_add_of_an_organisation_is_audited(admin_client, world):
    url = "/beheer/directory/organization/add/"
    data = pages._admin_form_data(admin_client.get(url))
    data.update(name="Stichting Repair", kind="other")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [row] = rows(events.DIRECTORY_ENTRY_CREATED)
    assert row.subject_type == "directory.organization" and "name" in row.fields


def test_admin_taxonomy_term_rename_is_audited_and_the_vocabulary_follows(
    admin_client, world, django_capture_on_commit_callbacks
):
    from socialebasis.directory.models import SearchTerm, TaxonomyTerm
    from socialebasis.directory.search_index import count_vocabulary

    term = TaxonomyTerm.objects.get(code="buurtkamer")
    url = f"/beheer/directory/taxonomyterm/{term.pk}/change/"
    data = pages._admin_form_data(admin_client.get(url))
    data["name"] = "Huiskamer van de wijk"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    [row] = rows(events.DIRECTORY_ENTRY_CHANGED)
    assert row.subject_type == "directory.taxonomyterm" and row.fields == ["name"]
    counts, _ = count_vocabulary()
    assert dict(SearchTerm.objects.values_list("term", "doc_count")) == dict(counts)
    assert counts["wijk"] >= 1


# ---------------------------------------------------------------- error reports


def test_a_residents_report_is_audited_without_their_name_or_address(client, world):
    service = world["buurtkamer"]
    response = client.post(
        f"/melden/?service={service.id}",
        {
            "reporter_name": "Fatima Yilmaz",
            "message": "Het telefoonnummer klopt niet.",
            "reporter_email": "fatima@example.org",
        },
    )
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    [row] = rows(events.ERROR_REPORT_CREATED)
    assert row.subject_type == "directory.errorreport" and row.subject_id == str(report.pk)
    assert row.actor_id is None
    assert row.fields == ["message", "reporter_email", "reporter_name"]
    assert row.municipality_code == service.municipality.code
    text = row_text(row)
    assert "Fatima" not in text and "fatima@example.org" not in text and "telefoon" not in text


def test_do_report_error_names_the_logged_in_user(world, admin_user):
    report = actions.do_report_error(message="Verhuisd.", acting_user=admin_user)
    [row] = rows(events.ERROR_REPORT_CREATED)
    assert row.actor_id == admin_user.pk and row.subject_id == str(report.pk)
    assert row.fields == ["message", "user"]  # linked to the account that sent it
    assert report.user == admin_user


def test_admin_moderation_is_audited(admin_client, world):
    first = f.ErrorReportFactory(service=world["buurtkamer"], reporter_name="Kees de Vries")
    second = f.ErrorReportFactory(service=world["taalcafe"])
    # the change form: only the status is editable
    url = f"/beheer/directory/errorreport/{first.pk}/change/"
    response = admin_client.post(url, {"status": ReportStatus.RESOLVED})
    assert response.status_code == 302, response.content.decode()[:2000]
    first.refresh_from_db()
    assert first.status == ReportStatus.RESOLVED and first.handled_at is not None
    [row] = rows(events.ERROR_REPORT_MODERATED)
    assert row.subject_id == str(first.pk) and row.reason == ReportStatus.RESOLVED
    assert row.fields == ["handled_at", "status"]
    assert "Kees" not in row_text(row)

    # the list action: one row per report changed, none for one already in that status
    admin_client.post(
        "/beheer/directory/errorreport/",
        {"action": "mark_rejected", "_selected_action": [str(first.pk), str(second.pk)]},
    )
    moderated = rows(events.ERROR_REPORT_MODERATED)
    assert {(r.subject_id, r.reason) for r in moderated[1:]} == {
        (str(first.pk), ReportStatus.REJECTED),
        (str(second.pk), ReportStatus.REJECTED),
    }
    assert len(moderated) == 3
    admin_client.post(
        "/beheer/directory/errorreport/",
        {"action": "mark_rejected", "_selected_action": [str(first.pk)]},
    )
    assert len(rows(events.ERROR_REPORT_MODERATED)) == 3  # already rejected: no row


def test_admin_delete_of_an_error_report_is_audited(admin_client, world):
    report = f.ErrorReportFactory(service=world["buurtkamer"], reporter_email="k@example.org")
    response = admin_client.post(
        f"/beheer/directory/errorreport/{report.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ErrorReport.objects.exists()
    [row] = rows(events.ERROR_REPORT_DELETED)
    assert row.subject_id == str(report.pk) and "k@example.org" not in row_text(row)


# ---------------------------------------------------------------- imports


HSDS_SERVICE = {
    "id": "3f1c1e1e-8a55-4d6a-9d0e-0a7a5e0f0001",
    "name": "Repaircafé Noord",
    "description": "Samen repareren.",
    "status": "active",
    "organization": {
        "id": "3f1c1e1e-8a55-4d6a-9d0e-0a7a5e0f0002",
        "name": "Stichting Repair",
        "description": "Repareren in de buurt.",
    },
}


def test_import_hsds_writes_one_audit_row_per_run(tmp_path, db):
    path = tmp_path / "services.json"
    path.write_text(json.dumps([HSDS_SERVICE]), encoding="utf-8")
    call_command("import_hsds", str(path), "--no-reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    [row] = rows(events.DIRECTORY_IMPORTED)
    assert row.subject_type == "directory.import" and row.subject_id == "hsds"
    assert row.reason.startswith("hsds services.json: ")
    assert "created" in row.reason and "Repaircafé" not in row.reason
    call_command("import_hsds", str(path), "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(rows(events.DIRECTORY_IMPORTED)) == 1  # a dry run leaves no row
