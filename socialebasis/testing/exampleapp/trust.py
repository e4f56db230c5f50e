"""Everything the example app declares to the trust layer."""

from socialebasis.audit.constants import register_event
from socialebasis.lib.protected import register_protected
from socialebasis.notifications.kinds import register_kind
from socialebasis.privacy.constants import RetentionAction
from socialebasis.privacy.registry import (
    ResidentDataSection,
    register_resident_data,
    register_subject_type,
)
from socialebasis.privacy.retention import RetentionPolicy, register
from socialebasis.privacy.wording import register_purpose
from socialebasis.testing.exampleapp.models import Note

NOTE_WRITTEN = register_event("example_note_written", "Voorbeeldnotitie geschreven", app="example")
SHARE_NOTES = register_purpose(
    "example_share_notes",
    "Mijn notities delen (voorbeeld)",
    {1: "Ik geef toestemming mijn notities te delen.", 2: "Nieuwe tekst: delen met mijn team."},
    app="exampleapp",
)
register_protected("exampleapp.Note", accessors=("example_notes",))
register_subject_type("exampleapp.note", "Voorbeeldnotitie", app="exampleapp")


def _due(cutoff):
    return Note.objects.filter(created_at__lt=cutoff)


register(
    RetentionPolicy(
        model="exampleapp.Note",
        months=3,
        action=RetentionAction.DELETE,
        basis="datum van de notitie",
        due=_due,
        municipality=lambda note: note.resident.municipality.code,
    )
)
register_resident_data(
    ResidentDataSection(
        key="example_notes",
        label="Voorbeeldnotities",
        fields=[("text", "Tekst")],
        export=lambda resident: [{"text": n.text} for n in resident.example_notes.all()],
        erase=lambda resident: resident.example_notes.all().delete()[0],
    )
)

# A notification kind that is not about a resident: its text may go in the mail.
REMINDER = register_kind(
    "example_reminder",
    "Herinnering (voorbeeld)",
    "Een herinnering aan een afspraak.",
    about_resident=False,
    app="exampleapp",
)
