"""/healthz and /readyz: liveness without the database, readiness with database and
migrations, both before the host check and the HTTPS redirect."""

import pytest
from django.db import OperationalError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

pytestmark = pytest.mark.django_db


def test_healthz_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


def test_readyz_503_names_an_unapplied_migration(client):
    """New code before `migrate`: its newest directory migration is not in the database."""
    graph = MigrationLoader(connection).graph
    (_app, newest) = next(node for node in graph.leaf_nodes() if node[0] == "directory")
    MigrationRecorder.Migration.objects.filter(app="directory", name=newest).delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "unapplied migrations"
    assert response.json()["migrations"] == [f"directory.{newest}"]


def test_readyz_503_when_the_database_is_unreachable(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused (test)")

    with connection.execute_wrapper(refuse):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "database unreachable"}
    with connection.execute_wrapper(refuse):
        assert client.get("/healthz").status_code == 200  # liveness does not depend on it


def test_probes_skip_host_check_and_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["sociale-basis.example"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.5").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.5").status_code == 400  # pages keep the check
    assert client.get("/", HTTP_HOST="sociale-basis.example").status_code == 301


def test_probes_refuse_writes(client):
    assert client.post("/healthz").status_code == 405
