"""Several app processes, one database (issue 9, part 4): nothing assumes a single process.

Two app processes (``manage.py runserver --noreload``, A and B) and one worker
(``socialebasis worker``) run on one real database of their own, with the shared database
cache (``SB_CACHE_URL=db://``). Both app processes search first, so each holds its
per-process copies (``directory.vocabulary``, ``directory.points``, the geocoder's memo of
which municipalities have a directory). Then a third process writes through the audited
``do_*`` actions, exactly as the admin does (a new service, an edited synonym group, a
location moved within its spatial cell and then to another municipality), and the very next
search in A and in B, through the API and the page, must show the change.

The pytest-django test database cannot be used: its rows live in a transaction the
subprocesses cannot see. So this test creates its own database (PostgreSQL: ``CREATE
DATABASE`` beside the test database; SQLite: a file, as ``make demo`` runs web server and
worker on one file), migrates it, loads a small directory into it and drops it afterwards.
It runs on the database the suite runs on, so CI's PostgreSQL run covers PostgreSQL and the
SQLite run covers the in-memory copies that only the SQLite search uses.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings as django_settings

REPO = Path(__file__).resolve().parent.parent
MANAGE = str(REPO / "manage.py")
START_TIMEOUT = 30  # seconds for a server to answer its first request

# Migrations, then the small directory: two municipalities that both have a neighbourhood called "Centrum"
# (the geocoder prefers the one where the directory has locations), one location in
# Oosthaven with a service, and a synonym group.
WORLD = """
from django.core.management import call_command

call_command("migrate", interactive=False, verbosity=0)

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory.models import (
    Location, Organization, Service, ServiceAtLocation, SynonymGroup,
)
from socialebasis.directory.search_index import rebuild_search_index

def area(code, name, lat, lon, residents):
    town = Municipality.objects.create(
        code=code, name=name, centroid_lat=lat, centroid_lon=lon, residents=residents
    )
    district = District.objects.create(
        code=f"WK{code[2:]}01", name=f"{name} Midden", municipality=town,
        centroid_lat=lat, centroid_lon=lon, residents=residents,
    )
    Neighbourhood.objects.create(
        code=f"BU{code[2:]}0101", name="Centrum", district=district, municipality=town,
        centroid_lat=lat, centroid_lon=lon, residents=residents,
    )
    return town

oost = area("GM9901", "Oosthaven", 52.0, 5.0, 1000)
area("GM9902", "Westdorp", 52.5, 4.5, 50000)
org = Organization.objects.create(
    name="Stichting Proef", kind="collective_facility", municipality=oost
)
brug = Location.objects.create(
    organization=org, name="Buurthuis De Brug", kind="community_centre",
    latitude=52.0005, longitude=5.0005, municipality=oost,
)
koffie = Service.objects.create(
    organization=org, name="Koffieochtend", municipality=oost,
    description="Elke week koffie en een praatje in de buurt.",
)
ServiceAtLocation.objects.create(service=koffie, location=brug)
SynonymGroup.objects.create(terms="koffie, thee")
rebuild_search_index()
"""

NEW_SERVICE = """
from socialebasis.directory import actions
from socialebasis.directory.models import Location, Organization, Service, ServiceAtLocation

org = Organization.objects.get(name="Stichting Proef")
brug = Location.objects.get(name="Buurthuis De Brug")
service = Service(
    organization=org, name="Repaircafe Vlinderhof", municipality=org.municipality,
    description="Samen kapotte spullen maken.",
)
actions.do_save_service(
    service,
    acting_user=None,
    save_related=lambda: ServiceAtLocation.objects.create(service=service, location=brug),
)
"""

EDIT_SYNONYMS = """
from socialebasis.directory import actions
from socialebasis.directory.models import SynonymGroup

group = SynonymGroup.objects.get(terms="koffie, thee")
group.terms = "koffie, thee, kletsuurtje"
actions.do_save_synonym_group(group, acting_user=None)
"""

MOVE_LOCATION = """
from socialebasis.areas.models import Municipality
from socialebasis.directory import actions
from socialebasis.directory.models import Location

brug = Location.objects.get(name="Buurthuis De Brug")
brug.latitude, brug.longitude = {lat}, {lon}
brug.municipality = Municipality.objects.get(code="{municipality}")
actions.do_save_location(brug, acting_user=None)
"""

WESTDORP = "52.5003,4.5003"
OOSTHAVEN = "52.0003,5.0003"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _own_database(tmp_path: Path):
    """(DATABASE_URL of a new, empty database on the suite's database server, a function that
    drops it)."""
    db = django_settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        path = tmp_path / "processes.sqlite3"
        return f"sqlite:///{path}", lambda: None
    import psycopg

    name = f"sb_processes_{uuid.uuid4().hex[:12]}"
    server = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }

    def admin(sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            conn.execute(sql)

    admin(f'CREATE DATABASE "{name}"')
    password = f":{quote(server['password'], safe='')}" if server["password"] else ""
    url = f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    return url, lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Cluster:
    """The processes on one database: ``url(process, path)`` of app process "a" or "b",
    ``write(code)`` runs Django code in a process of its own (``manage.py shell -c``)."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.ports = {"a": _free_port(), "b": _free_port()}
        self.processes: list[subprocess.Popen] = []

    def run(self, *args: str) -> None:
        done = subprocess.run(
            [sys.executable, MANAGE, *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"

    def write(self, code: str) -> None:
        self.run("shell", "-c", code)

    def start(self) -> None:
        log = subprocess.DEVNULL
        for port in self.ports.values():
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"],
                    env=self.env,
                    cwd=REPO,
                    stdout=log,
                    stderr=log,
                )
            )
        self.processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "socialebasis.cli", "worker", "--no-reload"],
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=log,
            )
        )
        deadline = time.monotonic() + START_TIMEOUT
        for name in self.ports:
            while True:
                try:
                    requests.get(self.url(name, "/api/v1/search/?q=koffie"), timeout=5)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, f"app process {name} did not start"
                    time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def url(self, name: str, path: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}{path}"

    def search(self, name: str, **params) -> dict:
        response = requests.get(self.url(name, "/api/v1/search/"), params=params, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def page(self, name: str, **params) -> str:
        response = requests.get(self.url(name, "/zoeken/"), params=params, timeout=30)
        assert response.status_code == 200, response.status_code
        return response.text


def _names(result: dict) -> list[str]:
    return [hit["service"]["name"] for hit in result["results"]]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    url, drop = _own_database(tmp_path_factory.mktemp("processes"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialebasis.settings",
        "DATABASE_URL": url,
        "SB_CACHE_URL": "db://",
        "SB_DEBUG": "0",
        "SB_SECRET_KEY": "several-processes-test-" + uuid.uuid4().hex,
        "SB_TASKS_IMMEDIATE": "0",
        "SB_RATE_LIMITS": "0",
        "SB_GEOCODER": "offline",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("SB_DATA_DIR", None)
    procs = Cluster(env)
    try:
        procs.write(WORLD)  # migrate and load, in one process: each start costs seconds
        procs.start()
        yield procs
    finally:
        procs.stop()
        drop()


@pytest.fixture(scope="module")
def warmed(cluster):
    """Both app processes have searched: their per-process copies are loaded."""
    for name in ("a", "b"):
        assert _names(cluster.search(name, q="koffieochtend")) == ["Koffieochtend"]
        assert cluster.search(name, q="vlinderhfo")["count"] == 0  # the word is not there yet
        assert cluster.search(name, q="kletsuurtje")["count"] == 0
        near = cluster.search(name, q="koffieochtend", near=OOSTHAVEN, radius=500)
        assert _names(near) == ["Koffieochtend"]
        centrum = cluster.search(name, q="koffieochtend", near="Centrum")
        assert (centrum["place"]["code"], _names(centrum)) == ("BU99010101", ["Koffieochtend"])
    return cluster


# The three writes run in this order (module scope: the processes start once).


def test_a_new_service_is_found_at_once_by_every_process(warmed):
    warmed.write(NEW_SERVICE)
    for name in ("b", "a"):
        found = warmed.search(name, q="vlinderhof")
        assert _names(found) == ["Repaircafe Vlinderhof"]
        # A typo of the new word is corrected: the vocabulary copy reloaded (SQLite).
        typo = warmed.search(name, q="vlinderhfo")
        assert (typo["corrections"], _names(typo)) == (
            {"vlinderhfo": "vlinderhof"},
            ["Repaircafe Vlinderhof"],
        )
        assert "Repaircafe Vlinderhof" in warmed.page(name, q="vlinderhof")


def test_an_edited_synonym_group_is_used_at_once_by_every_process(warmed):
    warmed.write(EDIT_SYNONYMS)
    for name in ("b", "a"):
        found = warmed.search(name, q="kletsuurtje")
        assert _names(found) == ["Koffieochtend"]
        assert set(found["synonyms_used"]) == {"koffie", "thee"}
        assert "Koffieochtend" in warmed.page(name, q="kletsuurtje")


def test_a_moved_location_is_searched_at_its_new_place_by_every_process(warmed):
    # First 550 m east, within its spatial cell: its entries are written again under the
    # same ids (SQLite), so only a reloaded copy of the points has the new coordinates.
    warmed.write(MOVE_LOCATION.format(lat=52.0005, lon=5.0085, municipality="GM9901"))
    for name in ("b", "a"):
        assert warmed.search(name, q="koffieochtend", near=OOSTHAVEN, radius=500)["count"] == 0
        there = warmed.search(name, q="koffieochtend", near="52.0005,5.0083", radius=500)
        assert _names(there) == ["Koffieochtend"]
        assert there["results"][0]["distance_m"] < 20
    # Then to the other municipality, 60 km away.
    warmed.write(MOVE_LOCATION.format(lat=52.5005, lon=4.5005, municipality="GM9902"))
    for name in ("b", "a"):
        there = warmed.search(name, q="koffieochtend", near=WESTDORP, radius=500)
        assert _names(there) == ["Koffieochtend"]
        assert there["results"][0]["distance_m"] < 100
        assert warmed.search(name, q="koffieochtend", near=OOSTHAVEN, radius=500)["count"] == 0
        # Both municipalities have a "Centrum"; the one with the directory's location wins.
        centrum = warmed.search(name, q="koffieochtend", near="Centrum")
        assert (centrum["place"]["code"], _names(centrum)) == ("BU99020101", ["Koffieochtend"])
        assert "Koffieochtend" in warmed.page(name, q="koffieochtend", near="Centrum")


def test_the_worker_kept_running(warmed):
    assert all(process.poll() is None for process in warmed.processes)
