"""The site's own 404, 403, 429 and 500 pages: Dutch, in the site's frame, English under /en/.
The production server's 404 is tested in test_production.py."""

import subprocess

import pytest
from django.db import OperationalError, connection
from django.test import Client

from socialebasis.testing.scratch import ROOT

pytestmark = pytest.mark.django_db

FRAME = 'class="sb-header utrecht-page-header"'


def test_404_is_dutch_in_the_frame_without_url_patterns(client):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Pagina niet gevonden" in page and FRAME in page
    assert "URLconf" not in page and "beheer/" not in page  # not Django's technical 404
    assert "Page not found" in client.get("/en/does-not-exist/").content.decode()


def test_403_is_dutch_in_the_frame_without_the_reason(client, settings):
    settings.ROOT_URLCONF = "socialebasis.ops.tests.urls"
    response = client.get("/verboden/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page and FRAME in page
    assert "the reason" not in page
    assert "No access" in client.get("/en/verboden/").content.decode()


def test_csrf_failure_is_a_dutch_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/melden/", {"message": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Formulier verlopen" in page and FRAME in page
    english = client.post("/en/melden/", {"message": "x"}).content.decode()
    assert "Form expired" in english


def test_rate_limited_form_shows_the_429_page_in_the_frame(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report": "1/h"}
    report = {"reporter_name": "Jan", "reporter_email": "", "message": "Klopt niet."}
    client.post("/melden/", report)
    limited = client.post("/melden/", report)
    assert limited.status_code == 429
    assert [t.name for t in limited.templates][0] == "429.html"
    page = limited.content.decode()
    assert "Even geduld" in page and FRAME in page
    assert "Please wait" in client.post("/en/melden/", report).content.decode()


@pytest.fixture
def database_down():
    """Every query fails as if the database server were gone."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused (test)")

    with connection.execute_wrapper(refuse):
        yield


def test_500_page_needs_no_database(database_down):
    client = Client(raise_request_exception=False)
    response = client.get("/zoeken/?q=buurtkamer")  # the search needs the database: it fails
    assert response.status_code == 500
    page = response.content.decode()
    assert "Er ging iets mis" in page and FRAME in page
    assert "OperationalError" not in page and "connection refused" not in page
    english = client.get("/en/zoeken/?q=help")
    assert english.status_code == 500
    assert "Something went wrong" in english.content.decode()


def test_make_demo_runs_without_debug_pages():
    """The demo runs with SB_DEBUG=0 unless the developer asks for it."""
    commands = subprocess.run(
        ["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "export SB_DEBUG=${SB_DEBUG:-0}" in commands


def test_static_files_are_served_without_debug(client, settings):
    """With SB_DEBUG=0 outside production (the demo), WhiteNoise serves the source folders."""
    settings.DEBUG = False
    response = Client().get("/static/css/theme.css")
    assert response.status_code == 200
    assert b"--utrecht" in b"".join(response.streaming_content)
