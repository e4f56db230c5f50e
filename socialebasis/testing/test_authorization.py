"""The generated authorization test: every URL pattern of the project, for every persona and
for an anonymous visitor, answers what the permission matrix
(``socialebasis/testing/permission_matrix.py``, rendered in docs/privacy.md) says.

For each route (``routes.project_routes()``: every pattern, including the admin, the i18n
patterns and the API routers) a concrete URL is made with parameters from the persona world
(the resident's file, the service, the district code, ...). Every visitor GETs it. A route
is a *form* when it accepts POST: probed with an empty POST by the administrator and the
resident; if either gets anything but 405, every visitor also POSTs an empty body, and the
matrix must say what each gets. Answers are compared as the status code, and for a redirect
as ``"302→<view name of the target>"`` (e.g. ``302→accounts:login``).

A route without an entry in the matrix fails with a message saying what to add.

The world is built once per module; each route's requests run in their own transaction that
is rolled back, so a POST by one visitor cannot change what the next route sees. Professionals
have passed two-factor authentication (``login_as(verified=True)``); the unverified case is
tested where two-factor authentication is (accounts and residents tests). The CSRF test at
the end checks that no route accepts a POST without a CSRF token.

``SB_RECORD_MATRIX=/tmp/actual.json`` writes the actual answers of every route (to help
writing an entry; never copy it without reading it).
"""

import json
import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from socialebasis.testing import permission_matrix as pm
from socialebasis.testing.html import inline_code
from socialebasis.testing.personas import ALL_VISITORS, ANONYMOUS, build_personas, login_as
from socialebasis.testing.routes import concrete_url, project_routes

ROUTES = project_routes()
NOT_ALLOWED = 405
RECORD = os.environ.get("SB_RECORD_MATRIX", "")
_recorded: dict[str, dict] = {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The persona world and one logged-in session per persona, for the whole module."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_personas()
            _rows_for_every_admin_page(world)
            sessions = {}
            for persona in world:
                client = login_as(Client(), persona)
                sessions[persona.key] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield world, sessions
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    if RECORD:
        with open(RECORD, "w") as out:
            json.dump(_recorded, out, indent=1, sort_keys=True)


def _rows_for_every_admin_page(world):
    """One row for each model in the admin that the persona world leaves empty, so that its
    change, history and delete pages exist."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice

    from socialebasis.accounts.models import Region

    Region.objects.create(name="Regio Amsterdam").municipalities.add(world.municipality)
    Group.objects.create(name="Redactie sociale kaart")
    StaticDevice.objects.create(user=world.social_worker.user, name="Herstelcodes")
    seen = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "iemand"}
    request = {**seen, "http_accept": "text/html", "path_info": "/account/inloggen/"}
    AccessAttempt.objects.create(**request, get_data="", post_data="", failures_since_start=1)
    AccessFailureLog.objects.create(**request)
    AccessLog.objects.create(**request)


@pytest.fixture(autouse=True)
def _no_form_rate_limits(settings):
    """Every persona posts every form from one address: rate limits are tested elsewhere."""
    settings.RATELIMIT_ENABLE = False


def client_for(visitor: str, sessions: dict, **kwargs) -> Client:
    client = Client(**kwargs)
    if visitor != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[visitor]
    return client


def answer(response) -> int | str:
    """The status, and for a redirect the view it redirects to."""
    if response.status_code in (301, 302, 303, 307, 308):
        location = urlsplit(response["Location"])
        if location.netloc and location.netloc != "testserver":
            return f"{response.status_code}→{location.netloc}"
        try:
            target = resolve(location.path).view_name
        except Resolver404:
            target = location.path
        return f"{response.status_code}→{target}"
    return response.status_code


# Swagger UI (drf-spectacular's template) has one inline <style> block; that page alone
# allows it in its Content-Security-Policy (socialebasis/api/urls.py, THREAT_MODEL.md).
INLINE_CODE_TOLERATED = ("api-docs",)


def request_all(route, url, method, sessions, inline: list | None = None) -> dict:
    answers = {}
    for visitor in ALL_VISITORS:
        client = client_for(visitor, sessions)
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        answers[visitor] = answer(response)
        if inline is not None and _is_html_page(response):
            inline += [
                f"  {visitor}: line {line}: {what}"
                for line, what in inline_code(response.content.decode())
            ]
    return answers


def _is_html_page(response) -> bool:
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")


def is_form(url, sessions) -> bool:
    """Whether the route accepts POST: the administrator or the resident gets anything but
    405 (or a redirect to a login page, which says nothing about the method)."""
    for visitor in ("administrator", "resident"):
        with transaction.atomic():
            response = client_for(visitor, sessions).post(url)
            transaction.set_rollback(True)
        if answer(response) not in (NOT_ALLOWED, pm.TO_LOGIN, pm.TO_ADMIN_LOGIN):
            return True
    return False


def mismatches(expected: dict, actual: dict) -> list[str]:
    return [
        f"    {visitor:<20} expected {expected.get(visitor)!s:<28} got {actual[visitor]}"
        for visitor in ALL_VISITORS
        if not pm.same_answer(expected.get(visitor), actual[visitor])
    ]


@pytest.mark.parametrize("route", ROUTES, ids=[r.key for r in ROUTES])
def test_route_answers_as_the_matrix_says(route, world, db):
    world, sessions = world
    entry = pm.entry_for(route.key)
    url = concrete_url(route, pm.url_values(route, world))
    inline: list[str] = []
    get = request_all(route, url, "get", sessions, inline)
    if entry is not None and entry.post is not None:
        post = request_all(route, url, "post", sessions)
        form = any(value != NOT_ALLOWED for value in post.values())
    else:
        form = is_form(url, sessions)
        post = request_all(route, url, "post", sessions) if form else None
    if RECORD:
        _recorded[route.key] = {"url": url, "get": get, "post": post}
    if entry is None:
        pytest.fail(
            f"Route {route.key!r} ({route.pattern}) has no entry in "
            "socialebasis/testing/permission_matrix.py. Add one that says what every persona "
            f"may do there, then run scripts/render_permission_matrix.py.\nGET {url}: {get}"
            + (f"\nPOST {url}: {post}" if post else ""),
            pytrace=False,
        )
    problems = mismatches(entry.get, get)
    if form and entry.post is None:
        problems.append(f"  {url} accepts POST: add post= to its entry ({post})")
    elif entry.post is not None and not form:
        problems.append(f"  {url} no longer accepts POST: remove post= from its entry")
    elif form:
        post_problems = mismatches(entry.post, post)
        if post_problems:
            problems += ["  POST (empty body):", *post_problems]
    if inline and route.key not in INLINE_CODE_TOLERATED:
        problems += ["  inline code the Content-Security-Policy blocks:", *sorted(set(inline))]
    if problems:
        pytest.fail(f"{route.key} GET {url}:\n" + "\n".join(problems), pytrace=False)


def test_every_matrix_entry_is_a_route():
    keys = {route.key for route in ROUTES}
    stale = [key for key in pm.MATRIX if key not in keys]
    assert not stale, f"permission_matrix.py has entries for routes that do not exist: {stale}"
    unused = [glob for glob in pm.PATTERNS if not any(pm.matches(glob, key) for key in keys)]
    assert not unused, f"permission_matrix.py has patterns that match no route: {unused}"


@pytest.mark.parametrize("visitor", ["administrator", "resident", ANONYMOUS])
def test_no_route_accepts_a_post_without_csrf_token(visitor, world, db):
    """CSRF everywhere: an empty POST without a token is refused (403) or not allowed (405)
    on every route, for a logged-in user and for an anonymous visitor."""
    world, sessions = world
    accepted = []
    for route in ROUTES:
        url = concrete_url(route, pm.url_values(route, world))
        client = client_for(visitor, sessions, enforce_csrf_checks=True)
        with transaction.atomic():
            response = client.post(url)
            transaction.set_rollback(True)
        if response.status_code not in (403, 405):
            accepted.append(f"{route.key} {url}: {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)
