"""The site's URLs plus a minimal resident-file page that opens a file through
``residents.access`` (the real pages live in the residents app)."""

from django.http import HttpResponse
from django.urls import path

from socialebasis.residents.access import access_resident_for_user
from socialebasis.urls import urlpatterns as site_urlpatterns


def resident_file(request, resident_id):
    resident = access_resident_for_user(request.user, resident_id, reason="test")
    return HttpResponse(f"Dossier van {resident.given_name}")


urlpatterns = [
    path("test/dossier/<uuid:resident_id>/", resident_file, name="test_resident_file"),
    *site_urlpatterns,
]
