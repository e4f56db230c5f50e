"""The persona world shared by all tests (and by ``socialebasis seed-personas``).

One municipality (Amsterdam, GM0363) with two districts, De Kolenkit ("West", WK0363ED) and
Dapperbuurt ("Oost", WK0363ME), each covered by a neighbourhood team, and a second
municipality (Utrecht, GM0344) with a team for Overvecht. The codes are real CBS codes, so
the world fits a database loaded by ``socialebasis demo`` (areas are reused, not duplicated). The
directory has one organisation (the social-work provider of the teams) with a location, a
service there, a theme term and an error report. Everything is made with the ORM and the apps'
``do_*`` actions, not factory_boy, so ``seed-personas`` works on an install without the test
extras. The people:

=====================  ===================================================================
key                    who
=====================  ===================================================================
resident               Fatima, a resident of Kolenkitbuurt-Noord (West) with an account and a file
carer                  Johan, her informal carer (mantelzorger): a resident of the same
                       neighbourhood with an account and a file of his own. There is no
                       carer relation model yet, so nothing links him to Fatima's file;
                       he is the "someone close who must not read the file" persona.
volunteer              a volunteer in Amsterdam (no file access)
social_worker          a social worker of Buurtteam West, which covers Fatima's district
other_team_worker      a social worker of Buurtteam Oost (another district)
team_lead              the team lead of Buurtteam West
policy_officer         a policy officer of Amsterdam (aggregates only)
privacy_officer        the privacy officer of Amsterdam
administrator          a functional administrator of the platform (``/beheer/``: is_staff
                       and is_superuser), with the administrator role in Amsterdam
other_municipality     a social worker of Buurtteam Overvecht in Utrecht
=====================  ===================================================================

Some tests need people the permission matrix does not (``EXTRA_PERSONA_SPECS``; they are
not in ``PERSONA_KEYS``, so the generated authorization test does not visit them):

========================  ================================================================
utrecht_privacy_officer   the privacy officer of Utrecht (another municipality's officer)
regional_privacy_officer  a privacy officer of Utrecht for the region Midden, which holds
                          Amsterdam and Utrecht
newcomer                  an account without a role and without a file
========================  ================================================================

The world also has files without an account: ``oost_file`` (Kees, Dapperbuurt-Noord in
Oost, another team's district) and ``utrecht_file`` (Els, Utrecht). Fatima has consented
that her social worker sees her network; ``build_personas(consents=False)`` is the world
before she gave any consent. For what a single test adds to the world, use the factories
with traits: ``<app>/tests/factories.py`` (accounts, residents, privacy, audit) and
``testing/factories.py`` (areas and the directory).

Professionals (``professional_roles()``) have a confirmed TOTP device. ``login_as`` logs a
persona in with the test client and, by default, marks the session as having passed
two-factor authentication (django-otp keeps ``otp_device_id`` in the session).

Everyone's password is ``PERSONA_PASSWORD``; its hash is computed once per process
(argon2 is deliberately slow). TOTP keys are derived from the persona key, so the seeded
development world has known, stable codes (``totp_secret_base32``).
"""

import hashlib
from base64 import b32encode
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from socialebasis.accounts.constants import Role, professional_roles
from socialebasis.accounts.models import Membership, Region, Team
from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.directory import models as d
from socialebasis.directory.constants import THEME_TAXONOMY
from socialebasis.residents.models import Resident

PERSONA_PASSWORD = "Sociale-Basis-persona-2026"  # noqa: S105  (test and development only)
EMAIL_DOMAIN = "personas.sociale-basis.test"
OTP_SESSION_KEY = "otp_device_id"  # django_otp.DEVICE_ID_SESSION_KEY

# key -> (label, role, where): where is a team ("west" | "oost" | "utrecht": Overvecht),
# "utrecht-wide" (the municipality of Utrecht, no team), "region" (Utrecht-wide, for the region
# Midden) or None (Amsterdam, municipality-wide). A role of None: an account without a role.
PERSONA_SPECS: dict[str, tuple[str, str, str | None]] = {
    "resident": ("Fatima Yilmaz (inwoner)", Role.RESIDENT, None),
    "carer": ("Johan de Boer (mantelzorger)", Role.RESIDENT, None),
    "volunteer": ("Vera Visser (vrijwilliger)", Role.VOLUNTEER, None),
    "social_worker": ("Sanne Willems (sociaal werker West)", Role.SOCIAL_WORKER, "west"),
    "other_team_worker": ("Omar Bakker (sociaal werker Oost)", Role.SOCIAL_WORKER, "oost"),
    "team_lead": ("Tara Lelie (teamleider West)", Role.TEAM_LEAD, "west"),
    "policy_officer": ("Bram Peters (beleidsmedewerker)", Role.POLICY_OFFICER, None),
    "privacy_officer": ("Priya Ramdin (privacy officer)", Role.PRIVACY_OFFICER, None),
    "administrator": ("Arjen Dekker (beheerder)", Role.ADMINISTRATOR, None),
    "other_municipality": ("Ugo Tan (sociaal werker Utrecht)", Role.SOCIAL_WORKER, "utrecht"),
}
# Personas some tests need beyond the permission matrix (not in PERSONA_KEYS).
EXTRA_PERSONA_SPECS: dict[str, tuple[str, str | None, str | None]] = {
    "utrecht_privacy_officer": (
        "Uma de Wit (privacy officer Utrecht)",
        Role.PRIVACY_OFFICER,
        "utrecht-wide",
    ),
    "regional_privacy_officer": (
        "Rik Smit (privacy officer regio Midden)",
        Role.PRIVACY_OFFICER,
        "region",
    ),
    "newcomer": ("Noor Bos (account zonder rol)", None, None),
}
ALL_PERSONA_SPECS = {**PERSONA_SPECS, **EXTRA_PERSONA_SPECS}
PERSONA_KEYS = list(PERSONA_SPECS)
ANONYMOUS = "anonymous"
ALL_VISITORS = [ANONYMOUS, *PERSONA_KEYS]


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(PERSONA_PASSWORD)


def totp_key(key: str) -> str:
    """The persona's TOTP key as django-otp stores it (40 hex digits), stable per key."""
    return hashlib.sha1(f"sociale-basis-persona:{key}".encode()).hexdigest()  # noqa: S324


def totp_secret_base32(key: str) -> str:
    """The same key as an authenticator app wants it (base32, no padding)."""
    return b32encode(bytes.fromhex(totp_key(key))).decode().rstrip("=")


@dataclass
class Persona:
    key: str
    label: str
    role: str | None
    user: object
    device: object | None = None  # confirmed TOTP device (professionals)
    resident: Resident | None = None  # their own resident file, if any

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_professional(self) -> bool:
        return self.role in professional_roles()


@dataclass
class PersonaWorld:
    municipality: object
    other_municipality: object
    district: object  # West: Fatima's district, covered by Buurtteam West
    other_district: object  # Oost
    neighbourhood: object  # De Kolenkit, in West
    other_neighbourhood: object  # in Oost
    utrecht_district: object
    utrecht_neighbourhood: object
    region: Region  # Midden: Amsterdam and Utrecht
    team: Team
    other_team: Team
    utrecht_team: Team
    organization: d.Organization
    location: d.Location
    service: d.Service
    service_at_location: d.ServiceAtLocation
    taxonomy: d.Taxonomy
    taxonomy_term: d.TaxonomyTerm
    error_report: d.ErrorReport
    utrecht_organization: d.Organization
    utrecht_service: d.Service
    resident_file: Resident  # Fatima's file: the record the matrix is about
    oost_file: Resident  # Kees's file in Oost (no account): another team's resident
    utrecht_file: Resident  # a file in the other municipality
    personas: dict[str, Persona] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Persona:
        return self.personas[key]

    def __getattr__(self, name: str):
        personas = self.__dict__.get("personas", {})
        if name in personas:
            return personas[name]
        raise AttributeError(name)

    def __iter__(self):
        return iter(self.personas.values())


def email_of(key: str) -> str:
    """The persona's e-mail address (``social-worker@personas.sociale-basis.test``)."""
    return f"{key.replace('_', '-')}@{EMAIL_DOMAIN}"


def build_personas(*, password_hash: str | None = None, consents: bool = True) -> PersonaWorld:
    """Create the persona world in the current database and return it.

    Idempotent for the areas (get-or-create by CBS code); creates new users, teams and
    directory records each time, so call it once per test (the ``personas`` fixture) or once
    per fresh database (``seed-personas`` checks first). Without ``consents`` Fatima has not
    given any consent yet (and the audit log is empty).
    """
    password_hash = password_hash or _password_hash()
    amsterdam = _municipality("GM0363", "Amsterdam", "Noord-Holland")
    west = _district("WK0363ED", "De Kolenkit", amsterdam)
    oost = _district("WK0363ME", "Dapperbuurt", amsterdam)
    kolenkit = _neighbourhood("BU0363ED01", "Kolenkitbuurt-Noord", west)
    dapper = _neighbourhood("BU0363ME01", "Dapperbuurt-Noord", oost)
    utrecht = _municipality("GM0344", "Utrecht", "Utrecht")
    overvecht = _district("WK034403", "Wijk 03 Overvecht", utrecht)
    vechtzoom = _neighbourhood("BU03440331", "Vechtzoom-zuid", overvecht, lat=52.11, lon=5.11)
    region, _ = Region.objects.get_or_create(name="Regio Midden")
    region.municipalities.add(amsterdam, utrecht)

    provider = d.Organization.objects.create(
        name="Buurtwerk Amsterdam", kind="social_work_provider", municipality=amsterdam
    )
    location = d.Location.objects.create(
        organization=provider,
        name="Buurthuis De Kolenkit",
        kind="community_centre",
        latitude=52.37,
        longitude=4.89,
        municipality=amsterdam,
        neighbourhood=kolenkit,
    )
    d.Address.objects.create(
        location=location,
        address_1="Bos en Lommerplein 1",
        postal_code="1055AA",
        city="Amsterdam",
    )
    service = d.Service.objects.create(
        organization=provider,
        name="Maatje voor mantelzorgers",
        description="Een vrijwilliger die een mantelzorger af en toe ontlast.",
        municipality=amsterdam,
    )
    sal = d.ServiceAtLocation.objects.create(service=service, location=location)
    taxonomy, _ = d.Taxonomy.objects.get_or_create(
        code=THEME_TAXONOMY, defaults={"name": "Thema's sociale basis"}
    )
    term, _ = d.TaxonomyTerm.objects.get_or_create(
        taxonomy=taxonomy, code="mantelzorg", defaults={"name": "Mantelzorg"}
    )
    report = d.ErrorReport.objects.create(
        service=service, reporter_name="Johan", message="Het telefoonnummer klopt niet meer."
    )
    utrecht_org = d.Organization.objects.create(
        name="Buurtteam Utrecht", kind="social_work_provider", municipality=utrecht
    )
    utrecht_service = d.Service.objects.create(
        organization=utrecht_org, name="Sociaal raadslieden", municipality=utrecht
    )

    team_west = Team.objects.create(name="Buurtteam West", municipality=amsterdam)
    team_west.districts.add(west)
    team_oost = Team.objects.create(name="Buurtteam Oost", municipality=amsterdam)
    team_oost.districts.add(oost)
    team_utrecht = Team.objects.create(name="Buurtteam Overvecht", municipality=utrecht)
    team_utrecht.districts.add(overvecht)
    teams = {"west": team_west, "oost": team_oost, "utrecht": team_utrecht}

    user_model = get_user_model()
    personas: dict[str, Persona] = {}
    for key, (label, role, where) in ALL_PERSONA_SPECS.items():
        admin = role == Role.ADMINISTRATOR
        user = user_model.objects.create(
            email=email_of(key),
            full_name=label.split(" (")[0],
            password=password_hash,
            is_staff=admin,
            is_superuser=admin,
        )
        if role:
            Membership.objects.create(
                user=user,
                role=role,
                municipality=utrecht
                if where in ("utrecht", "utrecht-wide", "region")
                else amsterdam,
                team=teams.get(where),
                region=region if where == "region" else None,
            )
        persona = Persona(key=key, label=label, role=role, user=user)
        if role in professional_roles():
            persona.device = _totp_device(user, key)
        personas[key] = persona

    fatima = Resident.objects.create(
        municipality=amsterdam,
        neighbourhood=kolenkit,
        user=personas["resident"].user,
        given_name="Fatima",
        family_name="Yilmaz",
        email=personas["resident"].email,
        phone="0612345678",
    )
    personas["resident"].resident = fatima
    personas["carer"].resident = Resident.objects.create(
        municipality=amsterdam,
        neighbourhood=kolenkit,
        user=personas["carer"].user,
        given_name="Johan",
        family_name="de Boer",
    )
    oost_file = Resident.objects.create(
        municipality=amsterdam, neighbourhood=dapper, given_name="Kees", family_name="van Dam"
    )
    utrecht_file = Resident.objects.create(
        municipality=utrecht, neighbourhood=vechtzoom, given_name="Els", family_name="Jansen"
    )
    if consents:
        _give_consent(fatima, personas["resident"].user)

    return PersonaWorld(
        municipality=amsterdam,
        other_municipality=utrecht,
        district=west,
        other_district=oost,
        neighbourhood=kolenkit,
        other_neighbourhood=dapper,
        utrecht_district=overvecht,
        utrecht_neighbourhood=vechtzoom,
        region=region,
        team=team_west,
        other_team=team_oost,
        utrecht_team=team_utrecht,
        organization=provider,
        location=location,
        service=service,
        service_at_location=sal,
        taxonomy=taxonomy,
        taxonomy_term=term,
        error_report=report,
        utrecht_organization=utrecht_org,
        utrecht_service=utrecht_service,
        resident_file=fatima,
        oost_file=oost_file,
        utrecht_file=utrecht_file,
        personas=personas,
    )


def _municipality(code: str, name: str, province: str) -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        code=code, defaults={"name": name, "province_name": province}
    )
    return municipality


def _district(code: str, name: str, municipality: Municipality) -> District:
    district, _ = District.objects.get_or_create(
        code=code, defaults={"name": name, "municipality": municipality}
    )
    return district


def _neighbourhood(
    code: str, name: str, district: District, *, lat: float = 52.37, lon: float = 4.89
) -> Neighbourhood:
    """A neighbourhood by CBS code; made up figures only when the database lacks it."""
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "district": district,
            "municipality": district.municipality,
            "residents": 1200,
            "centroid_lat": lat,
            "centroid_lon": lon,
            "centroid_source": "polygon",
        },
    )
    return neighbourhood


def _totp_device(user, key: str):
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(
        user=user, name="Authenticator-app", key=totp_key(key), confirmed=True
    )


def _give_consent(resident: Resident, user) -> None:
    """Fatima lets her social worker see her network."""
    from socialebasis.residents.actions import do_give_consent
    from socialebasis.residents.constants import Purpose

    do_give_consent(resident, Purpose.WORKER_SEES_NETWORK, acting_user=user)


def login_as(client, persona: Persona | None, *, verified: bool = True):
    """Log ``persona`` in on the Django test ``client`` (None: stay anonymous).

    With ``verified`` (default) a professional's session counts as having passed two-factor
    authentication with their TOTP device, as after the code step of the login.
    Returns the client.
    """
    client.logout()  # a fresh session: nothing carried over from an earlier login
    if persona is None:
        return client
    client.force_login(persona.user, backend="django.contrib.auth.backends.ModelBackend")
    if verified and persona.device is not None:
        session = client.session
        session[OTP_SESSION_KEY] = persona.device.persistent_id
        session.save()
    return client


def force_login_verified(client, user):
    """Log ``user`` in on the test client with a session that passed two-factor
    authentication (a confirmed TOTP device is created when the user has none), as staff
    need for the admin. Returns the client."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[OTP_SESSION_KEY] = device.persistent_id
    session.save()
    return client
