"""The example app is wired into the trust layer from its own folder alone (issue 7)."""

from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

from socialebasis.audit.constants import EVENTS
from socialebasis.audit.models import AuditEvent
from socialebasis.lib.guard import UnscopedQuery
from socialebasis.lib.protected import PROTECTED_MODELS
from socialebasis.privacy.constants import PURPOSES
from socialebasis.privacy.registry import SUBJECT_TYPES, resident_data_sections
from socialebasis.privacy.retention import policy_for
from socialebasis.privacy.wording import current_wording
from socialebasis.residents.actions import do_erase_resident
from socialebasis.residents.export import build_export
from socialebasis.testing.exampleapp.actions import do_write_note
from socialebasis.testing.exampleapp.models import Note
from socialebasis.testing.personas import build_personas, login_as

HERE = Path(__file__).resolve().parents[1]


def test_declarations_reach_the_base_registries():
    assert "example_note_written" in EVENTS
    assert "example_share_notes" in PURPOSES
    assert current_wording("example_share_notes").version == 2
    assert "exampleapp.Note" in PROTECTED_MODELS
    assert "exampleapp.note" in SUBJECT_TYPES
    assert policy_for("exampleapp.Note").months == 3
    assert "example_notes" in {s.key for s in resident_data_sections()}


def test_its_migration_needs_no_other_apps_migration():
    """Only its own initial migration, depending on residents (a lower layer) alone."""
    migrations = sorted(p.name for p in (HERE / "migrations").glob("0*.py"))
    assert migrations == ["0001_initial.py"]
    text = (HERE / "migrations" / "0001_initial.py").read_text()
    assert "('residents'," in text or '("residents",' in text
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if config.label != "exampleapp" and folder.is_dir():
            for path in folder.glob("*.py"):
                assert "exampleapp" not in path.read_text(), path


@pytest.mark.django_db
def test_route_event_export_erasure_and_guard(client):
    world = build_personas()
    resident = world.resident_file
    note = do_write_note(resident, "belt graag op dinsdag", acting_user=world.social_worker.user)
    row = AuditEvent.objects.get(event="example_note_written")
    assert (row.subject_type, row.subject_id, row.fields) == (
        "exampleapp.note",
        str(note.pk),
        ["text"],
    )
    assert row.event_label == "Voorbeeldnotitie geschreven"

    login_as(client, world.social_worker)
    response = client.get(reverse("exampleapp:notes", kwargs={"resident_id": resident.pk}))
    assert response.content.decode() == "1 notities"
    login_as(client, world.other_team_worker)
    assert (
        client.get(reverse("exampleapp:notes", kwargs={"resident_id": resident.pk})).status_code
        == 404
    )

    section = next(s for s in build_export(resident)["sections"] if s["key"] == "example_notes")
    assert section["rows"] == [{"text": "belt graag op dinsdag"}]

    with pytest.raises(UnscopedQuery):
        exec(  # noqa: S102
            compile("list(Note.objects.all())", str(HERE / "forms.py"), "exec"), {"Note": Note}
        )

    do_erase_resident(resident, acting_user=world.privacy_officer.user, reason="verzoek")
    assert not Note.objects.exists()
