from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from socialebasis.testing.exampleapp.access import notes_for_user


@require_GET
@login_required
def notes(request, resident_id):
    _resident, rows = notes_for_user(request.user, resident_id)
    return HttpResponse(f"{rows.count()} notities", content_type="text/plain")
