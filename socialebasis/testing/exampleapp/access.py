from django.http import Http404

from socialebasis.residents.access import access_resident_for_user
from socialebasis.testing.exampleapp.models import Note


def notes_for_user(user, resident_id):
    """The notes of a file ``user`` may open (404 otherwise; the opening is audited)."""
    resident = access_resident_for_user(user, resident_id, reason="voorbeeldnotities")
    if resident is None:  # pragma: no cover - access_resident_for_user raises instead
        raise Http404
    return resident, Note.objects.filter(resident=resident)
