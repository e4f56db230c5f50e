"""The permission matrix: for every route of the project, what each persona gets.

This file is the documented source of truth for "who may see what". The generated
authorization test (``test_authorization.py``) requests every route as every persona of
``testing.personas`` and as an anonymous visitor, and compares the answers with the entries
here; a route without an entry fails the test. ``scripts/render_permission_matrix.py``
renders the matrix as the table in ``docs/privacy.md``.

An answer is a status code (``200``, ``404``, ``405``, ...) or, for a redirect, ``"302→"``
plus the view name of the target (``"302→accounts:login"``). Rows are written with
``row(default, **cells)``: cells are persona keys or the groups in ``GROUPS``; a persona
named individually wins over its group.

Why 404 and not 403: denied access to personal data answers 404, so the answer never reveals
that a record exists (``access.py`` of each app). Pages that reveal nothing (the
privacy officer's audit viewer, the professional lists) answer 404 too, for the same
reason: an outsider cannot tell the page from a missing one.

The persona world: Fatima (``resident``) lives in De Kolenkit, covered by Buurtteam West
(``social_worker``, ``team_lead``); ``other_team_worker`` is in Buurtteam Oost;
``other_municipality`` works in Utrecht. URL parameters come from that world
(``url_values``): her file, the service, its organisation and location, district
De Kolenkit, ...
"""

import fnmatch
import uuid
from dataclasses import dataclass

from socialebasis.testing.personas import ALL_VISITORS, ANONYMOUS, PERSONA_KEYS

# ---------------------------------------------------------------- notation

OK = 200
NOT_FOUND = 404
FORBIDDEN = 403
NOT_ALLOWED = 405
TO_LOGIN = "302→accounts:login"
TO_ADMIN_LOGIN = "302→admin:login"
TO_ADMIN_INDEX = "302→admin:index"

GROUPS: dict[str, tuple[str, ...]] = {
    "everyone": tuple(ALL_VISITORS),
    "logged_in": tuple(PERSONA_KEYS),
    "residents": ("resident", "carer"),
    "own_team": ("social_worker", "team_lead"),
    "professionals": (
        "social_worker",
        "other_team_worker",
        "team_lead",
        "policy_officer",
        "privacy_officer",
        "administrator",
        "other_municipality",
    ),
    "non_staff": tuple(k for k in PERSONA_KEYS if k != "administrator"),
}


def row(default, /, **cells) -> dict[str, int | str]:
    """An answer per visitor: ``default``, then groups, then individual personas."""
    answers = dict.fromkeys(ALL_VISITORS, default)
    for name, value in cells.items():
        if name in GROUPS:
            answers.update(dict.fromkeys(GROUPS[name], value))
    for name, value in cells.items():
        if name in ALL_VISITORS:
            answers[name] = value
        elif name not in GROUPS:
            raise KeyError(f"unknown persona or group {name!r}")
    return answers


@dataclass(frozen=True)
class Entry:
    get: dict[str, int | str]
    post: dict[str, int | str] | None = None  # for routes that accept POST (forms)
    note: str = ""  # why, in a few words (shown in docs/privacy.md)
    group: str = ""  # the section of the table in docs/privacy.md


PUBLIC = row(OK)
STAFF_ONLY = row(TO_ADMIN_LOGIN, administrator=OK)

# ---------------------------------------------------------------- the matrix

PAGES = "Social map and areas (public pages)"
API = "API (/api/)"
ACCOUNT = "Accounts and login (/account/, /oidc/)"
OWN = "The resident's own data (/mijn-gegevens/)"
NOTIFICATIONS = "Notifications (/meldingen/)"
FILES = "Residents' files (professionals, /dossiers/)"
PRIVACY = "Privacy officer (/privacy/)"
ADMIN = "Administration (/beheer/)"
GROUP_ORDER = [PAGES, API, ACCOUNT, NOTIFICATIONS, OWN, FILES, PRIVACY, ADMIN]

# The resident's own pages: only the logged-in user's own file; an account without a file
# gets the 404 page "no file linked to this account".
OWN_FILE = row(NOT_FOUND, anonymous=TO_LOGIN, residents=OK)
# Professional pages about one resident's file: the resident herself, her social worker and
# team lead (their team covers her district) and the privacy officer of her municipality.
# Everyone else, also the other team, the other municipality, the policy officer and the
# administrator, gets 404: the same answer as for a file that does not exist.
HER_FILE = row(NOT_FOUND, anonymous=TO_LOGIN, resident=OK, own_team=OK, privacy_officer=OK)
PUBLIC_API = Entry(PUBLIC, note="open data, read-only", group=API)

MATRIX: dict[str, Entry] = {
    # -------------------------------------------------------- public pages
    "directory:home": Entry(PUBLIC, note="", group=PAGES),
    "directory:search": Entry(PUBLIC, group=PAGES),
    "directory:service": Entry(PUBLIC, group=PAGES),
    "directory:organization": Entry(PUBLIC, group=PAGES),
    "directory:location": Entry(PUBLIC, group=PAGES),
    "directory:report": Entry(
        PUBLIC,
        post=PUBLIC,
        note="empty form: errors shown (200); at most 10 reports an hour per address (429)",
        group=PAGES,
    ),
    "directory:report_thanks": Entry(PUBLIC, group=PAGES),
    "areas:index": Entry(PUBLIC, group=PAGES),
    "areas:district": Entry(PUBLIC, note="aggregates (CBS figures)", group=PAGES),
    "areas:neighbourhood": Entry(PUBLIC, note="aggregates (CBS figures)", group=PAGES),
    "set_language": Entry(
        row("302→directory:home"),
        post=row("302→directory:home"),
        note="language switch; back to the page (here: home)",
        group=PAGES,
    ),
    "security-txt": Entry(PUBLIC, note="RFC 9116", group=PAGES),
    "healthz": Entry(PUBLIC, note="liveness probe: status only, no database", group=PAGES),
    "readyz": Entry(
        PUBLIC, note="readiness probe: database and migrations, status only", group=PAGES
    ),
    # -------------------------------------------------------- API (read-only, public data)
    "api-root": PUBLIC_API,
    "api-schema": Entry(PUBLIC, note="OpenAPI document", group=API),
    "api-docs": Entry(PUBLIC, note="Swagger UI", group=API),
    "api-search": Entry(row(400), note="without ?q or ?near: 400 naming the field", group=API),
    "organization-list": PUBLIC_API,
    "organization-detail": PUBLIC_API,
    "service-list": PUBLIC_API,
    "service-detail": PUBLIC_API,
    "location-list": PUBLIC_API,
    "location-detail": PUBLIC_API,
    "taxonomy-term-list": PUBLIC_API,
    "taxonomy-term-detail": PUBLIC_API,
    "municipality-list": PUBLIC_API,
    "municipality-detail": PUBLIC_API,
    "district-list": PUBLIC_API,
    "district-detail": PUBLIC_API,
    "neighbourhood-list": PUBLIC_API,
    "neighbourhood-detail": PUBLIC_API,
    "hsds-root": PUBLIC_API,
    "hsds-services": PUBLIC_API,
    "hsds-service": PUBLIC_API,
    "hsds-service-at-locations": PUBLIC_API,
    "hsds-service-at-location": PUBLIC_API,
    "hsds-organizations": PUBLIC_API,
    "hsds-organization": PUBLIC_API,
    "hsds-taxonomies": PUBLIC_API,
    "hsds-taxonomy": PUBLIC_API,
    "hsds-taxonomy-terms": PUBLIC_API,
    "hsds-taxonomy-term": PUBLIC_API,
    "unnamed:/api/<rest>": Entry(
        row(NOT_FOUND), post=row(NOT_FOUND), note="any other /api/ path: JSON 404", group=API
    ),
    # -------------------------------------------------------- accounts
    "accounts:login": Entry(PUBLIC, post=PUBLIC, note="empty form: errors (200)", group=ACCOUNT),
    "accounts:logout": Entry(
        row(NOT_ALLOWED),
        post=row("302→directory:home"),
        note="POST only",
        group=ACCOUNT,
    ),
    "accounts:logout_everywhere": Entry(
        row(NOT_ALLOWED, anonymous=TO_LOGIN),
        post=row("302→accounts:account", anonymous=TO_LOGIN),
        note="POST only; ends every session of the user",
        group=ACCOUNT,
    ),
    "accounts:account": Entry(row(OK, anonymous=TO_LOGIN), group=ACCOUNT),
    "accounts:register": Entry(
        row("302→accounts:account", anonymous=OK),
        post=row("302→accounts:account", anonymous=OK),
        note="for visitors without an account",
        group=ACCOUNT,
    ),
    "accounts:register_done": Entry(PUBLIC, group=ACCOUNT),
    "accounts:send_verification": Entry(
        row(NOT_ALLOWED, anonymous=TO_LOGIN),
        post=row("302→accounts:account", anonymous=TO_LOGIN),
        note="POST only: send the confirmation e-mail again",
        group=ACCOUNT,
    ),
    "accounts:verify_email": Entry(
        row(400), post=row(400), note="an invalid or expired link: 400", group=ACCOUNT
    ),
    "accounts:two_factor_verify": Entry(
        row(
            "302→accounts:account",
            anonymous=TO_LOGIN,
            residents="302→accounts:two_factor_setup",
            volunteer="302→accounts:two_factor_setup",
        ),
        post=row(
            "302→accounts:account",
            anonymous=TO_LOGIN,
            residents="302→accounts:two_factor_setup",
            volunteer="302→accounts:two_factor_setup",
        ),
        note="the code step; sessions here are already verified, users without an app are "
        "sent to set-up",
        group=ACCOUNT,
    ),
    "accounts:two_factor_setup": Entry(
        row("302→accounts:account", anonymous=TO_LOGIN, residents=OK, volunteer=OK),
        post=row("302→accounts:account", anonymous=TO_LOGIN, residents=OK, volunteer=OK),
        note="residents may enable it; professionals have an app already",
        group=ACCOUNT,
    ),
    "accounts:recovery_codes": Entry(
        row(
            OK,
            anonymous=TO_LOGIN,
            residents="302→accounts:two_factor_setup",
            volunteer="302→accounts:two_factor_setup",
        ),
        post=row(
            "302→accounts:recovery_codes",
            anonymous=TO_LOGIN,
            residents="302→accounts:two_factor_setup",
            volunteer="302→accounts:two_factor_setup",
        ),
        note="only with two-factor authentication set up",
        group=ACCOUNT,
    ),
    "accounts:two_factor_disable": Entry(
        row(
            OK,
            anonymous=TO_LOGIN,
            residents="302→accounts:account",
            volunteer="302→accounts:account",
        ),
        post=row(
            OK,
            anonymous=TO_LOGIN,
            residents="302→accounts:account",
            volunteer="302→accounts:account",
        ),
        note="empty form: errors (200)",
        group=ACCOUNT,
    ),
    "accounts:password_change": Entry(
        row(OK, anonymous=TO_LOGIN), post=row(OK, anonymous=TO_LOGIN), group=ACCOUNT
    ),
    "accounts:password_reset": Entry(PUBLIC, post=PUBLIC, group=ACCOUNT),
    "accounts:password_reset_done": Entry(PUBLIC, group=ACCOUNT),
    "accounts:password_reset_confirm": Entry(
        PUBLIC, post=PUBLIC, note="an invalid link: explained (200)", group=ACCOUNT
    ),
    "accounts:password_reset_complete": Entry(PUBLIC, group=ACCOUNT),
    "oidc:authenticate": Entry(
        row(NOT_FOUND), note="single sign-on: 404 unless configured (SB_OIDC_*)", group=ACCOUNT
    ),
    "oidc:callback": Entry(
        row(NOT_FOUND), note="single sign-on: 404 unless configured (SB_OIDC_*)", group=ACCOUNT
    ),
    # -------------------------------------------------------- admin: special pages
    "admin:index": Entry(STAFF_ONLY, post=STAFF_ONLY, group=ADMIN, note="staff only"),
    "admin:login": Entry(
        row(TO_LOGIN),
        post=row(TO_LOGIN),
        note="the admin uses the site's login (with two-factor authentication)",
        group=ADMIN,
    ),
    "admin:logout": Entry(
        row(TO_ADMIN_INDEX, administrator=NOT_ALLOWED),
        post=row(TO_ADMIN_INDEX, administrator="302→directory:home"),
        group=ADMIN,
    ),
    "admin:password_change": Entry(
        row(TO_ADMIN_LOGIN, administrator=OK),
        post=row(TO_ADMIN_LOGIN, administrator=OK),
        group=ADMIN,
    ),
    "admin:password_change_done": Entry(row(TO_ADMIN_LOGIN, administrator=OK), group=ADMIN),
    "admin:jsi18n": Entry(row(TO_ADMIN_LOGIN, administrator=OK), group=ADMIN),
    "admin:autocomplete": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        note="403 without a valid autocomplete field",
        group=ADMIN,
    ),
    "admin:view_on_site": Entry(
        row(TO_ADMIN_LOGIN, administrator=NOT_FOUND),
        post=row(TO_ADMIN_LOGIN, administrator=NOT_FOUND),
        note="no model of the admin has a public page link (get_absolute_url)",
        group=ADMIN,
    ),
    "admin:app_list": Entry(STAFF_ONLY, post=STAFF_ONLY, group=ADMIN),
    "unnamed:/beheer/<url>": Entry(
        row(TO_ADMIN_LOGIN, administrator=NOT_FOUND),
        post=row(TO_ADMIN_LOGIN, administrator=NOT_FOUND),
        note="unknown admin page",
        group=ADMIN,
    ),
    # Not creatable by hand (logs, reports from the public form), and the TOTP secret is
    # never shown: 403 even for the administrator.
    "admin:axes_accessattempt_add": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        group=ADMIN,
    ),
    "admin:axes_accessfailurelog_add": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        group=ADMIN,
    ),
    "admin:axes_accesslog_add": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        group=ADMIN,
    ),
    "admin:directory_errorreport_add": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        group=ADMIN,
    ),
    "admin:otp_totp_totpdevice_config": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        note="OTP_ADMIN_HIDE_SENSITIVE_DATA",
        group=ADMIN,
    ),
    **{
        f"admin:axes_{model}_change": Entry(
            STAFF_ONLY,
            post=row(TO_ADMIN_LOGIN, administrator=f"302→admin:axes_{model}_changelist"),
            note="read-only: saving changes nothing",
            group=ADMIN,
        )
        for model in ("accessattempt", "accesslog", "accessfailurelog")
    },
    "admin:otp_totp_totpdevice_qrcode": Entry(
        row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        post=row(TO_ADMIN_LOGIN, administrator=FORBIDDEN),
        note="OTP_ADMIN_HIDE_SENSITIVE_DATA",
        group=ADMIN,
    ),
}

# Admin routes (/beheer/) follow one rule per app: only staff (the administrator persona,
# is_staff) gets in; everyone else is sent to the admin login. Keys are fnmatch patterns
# on route keys, used only for the admin, so that a new model in the admin of an app that
# is not listed here (for instance one with personal data) still fails the test.
ADMIN_APPS = {
    "accounts": "users, memberships, role grants, teams, regions",
    "auth": "groups",
    "areas": "municipalities, districts, neighbourhoods",
    "directory": "the social map, synonyms, error reports",
    "otp_totp": "authenticator apps (secrets hidden)",
    "otp_static": "recovery codes",
    "axes": "failed logins and lock-outs",
    "django_tasks_database": "background tasks (kind of mail and a user id, no addresses)",
}
PATTERNS: dict[str, Entry] = {}
for _app, _what in ADMIN_APPS.items():
    PATTERNS[f"admin:{_app}_*"] = Entry(
        STAFF_ONLY, post=STAFF_ONLY, note=f"staff only: {_what}", group=ADMIN
    )
    # /beheer/<app>/<model>/<id>/ redirects to the change page.
    PATTERNS[f"unnamed:/beheer/{_app}/*"] = Entry(
        row(TO_ADMIN_LOGIN, administrator="302→admin:*_change"),
        post=row(TO_ADMIN_LOGIN, administrator="302→admin:*_change"),
        note="old-style link to the change page",
        group=ADMIN,
    )


def _read_only_admin(model: str, note: str) -> None:
    """Rows of an admin that only lists: adding, deleting and editing are refused; with no
    row in the persona world, an object's page sends the administrator back."""
    for action, get, post in (
        ("add", FORBIDDEN, FORBIDDEN),
        ("delete", FORBIDDEN, FORBIDDEN),
        ("change", TO_ADMIN_INDEX, FORBIDDEN),
        ("history", TO_ADMIN_INDEX, TO_ADMIN_INDEX),
    ):
        MATRIX[f"admin:{model}_{action}"] = Entry(
            row(TO_ADMIN_LOGIN, administrator=get),
            post=row(TO_ADMIN_LOGIN, administrator=post),
            note=note,
            group=ADMIN,
        )


# django-tasks-db's admin is read-only (tests run tasks immediately: no task rows).
_read_only_admin("django_tasks_database_dbtaskresult", "background tasks: read-only in the admin")
# Four-eyes role grants: requested on the membership pages, decided with the list's actions
# (approve, reject) by another administrator; never added, edited or deleted by hand.
_read_only_admin(
    "accounts_rolegrant", "role grants (four eyes): decided in the list, read-only otherwise"
)
MATRIX["admin:auth_user_password_change"] = Entry(
    STAFF_ONLY, post=STAFF_ONLY, note="set a user's password", group=ADMIN
)


# ---------------------------------------------------------------- rows an app brings itself


def _app_permission_modules():
    """``<app>.tests.permissions`` of every installed app that has one: its ``MATRIX`` rows
    (route key -> Entry) and, optionally, ``url_values(param, key, world)`` for its own URL
    parameters (None when the parameter is not its own). A new app declares its routes
    there, without editing this file (docs/add-an-app.md)."""
    import importlib
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.tests.permissions"
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if found:
            yield importlib.import_module(name)


APP_MODULES = list(_app_permission_modules())
for _module in APP_MODULES:
    MATRIX.update(_module.MATRIX)


def matches(glob: str, key: str) -> bool:
    return fnmatch.fnmatchcase(key, glob)


def same_answer(expected, actual) -> bool:
    """``expected`` may be a pattern: ``"302→admin:*_change"``."""
    if isinstance(expected, str) and "*" in expected:
        return isinstance(actual, str) and fnmatch.fnmatchcase(actual, expected)
    return expected == actual


def entry_for(key: str) -> Entry | None:
    if key in MATRIX:
        return MATRIX[key]
    for glob, entry in PATTERNS.items():
        if matches(glob, key):
            return entry
    return None


# ---------------------------------------------------------------- URL parameters


def _admin_object(route_key: str, world) -> str:
    """The pk of an object of the admin model named in ``admin:<app>_<model>_<action>``
    (or the unnamed ``/beheer/<app>/<model>/<object_id>/``)."""
    from django.apps import apps

    if route_key.startswith("unnamed:/beheer/"):
        app_label, model_name = route_key.split("/")[2:4]
    else:
        name = route_key.split(":", 1)[1].rsplit("_", 1)[0]
        # The longest label first: "django_tasks_database" before "django_tasks".
        for config in sorted(apps.get_app_configs(), key=lambda c: -len(c.label)):
            if name.startswith(config.label + "_"):
                app_label, model_name = config.label, name[len(config.label) + 1 :]
                break
        else:
            raise LookupError(route_key)
    model = apps.get_model(app_label, model_name)
    preferred = {
        "accounts.user": world.social_worker.user,
        "directory.service": world.service,
        "directory.errorreport": world.error_report,
    }.get(model._meta.label_lower)
    obj = preferred or model._default_manager.order_by("pk").first()
    return str(obj.pk) if obj is not None else "0"


def url_values(route, world) -> dict[str, str]:
    """Concrete values for the route's parameters, from the persona world."""
    from django.contrib.contenttypes.models import ContentType

    key = route.key
    values = {}
    for param in route.params:
        if param == "service_id":
            value = world.service.pk
        elif param == "organization_id":
            value = world.organization.pk
        elif param == "location_id":
            value = world.location.pk
        elif param == "resident_id":
            value = world.resident_file.pk
        elif param == "code":
            value = {
                "areas:district": world.district.code,
                "areas:neighbourhood": world.neighbourhood.code,
                "municipality-detail": world.municipality.code,
                "district-detail": world.district.code,
                "neighbourhood-detail": world.neighbourhood.code,
            }[key]
        elif param == "id" and key.startswith("admin:"):
            value = world.social_worker.user.pk
        elif param == "id":
            value = {
                "organization-detail": world.organization.pk,
                "service-detail": world.service.pk,
                "location-detail": world.location.pk,
                "taxonomy-term-detail": world.taxonomy_term.pk,
                "hsds-service": world.service.pk,
                "hsds-service-at-location": world.service_at_location.pk,
                "hsds-organization": world.organization.pk,
                "hsds-taxonomy": world.taxonomy.pk,
                "hsds-taxonomy-term": world.taxonomy_term.pk,
            }[key]
        elif param == "object_id" and key == "admin:view_on_site":
            value = world.service.pk
        elif param in ("object_id", "pk"):
            value = _admin_object(key, world)
        elif param == "content_type_id":
            value = ContentType.objects.get_for_model(type(world.service)).pk
        elif param == "app_label":
            value = "directory"
        elif param in ("rest", "url"):
            value = "bestaat-niet/"
        elif param == "uidb64":
            value = "MQ"
        elif param == "token":
            value = "ongeldig-" + uuid.UUID(int=0).hex[:8]
        else:
            value = next(
                (
                    v
                    for m in APP_MODULES
                    if hasattr(m, "url_values")
                    and (v := m.url_values(param, key, world)) is not None
                ),
                None,
            )
            if value is None:
                raise KeyError(
                    f"{key}: no value for URL parameter {param!r} (add it to url_values)"
                )
        values[param] = str(value)
    return values


__all__ = ["ANONYMOUS", "MATRIX", "PATTERNS", "Entry", "entry_for", "row", "url_values"]
