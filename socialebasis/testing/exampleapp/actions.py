from socialebasis.audit import events
from socialebasis.testing.exampleapp.models import Note
from socialebasis.testing.exampleapp.trust import NOTE_WRITTEN


def do_write_note(resident, text: str, *, acting_user) -> Note:
    note = Note.objects.create(resident=resident, text=text)
    events.append(NOTE_WRITTEN, acting_user, note, fields=["text"])
    return note
