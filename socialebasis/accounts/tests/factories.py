"""factory_boy factories for users, teams and memberships, with traits.

``UserFactory(professional=True)`` is a social worker with a confirmed TOTP device;
``MembershipFactory(privacy_officer=True)`` a privacy officer of a municipality. The persona
world (``socialebasis.testing.personas``) does not use these (it must build without
factory_boy); use them for the extra records a single test needs.
"""

from functools import lru_cache

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from socialebasis.accounts.constants import Role
from socialebasis.accounts.models import Membership, Team, User
from socialebasis.testing.factories import MunicipalityFactory

PASSWORD = "een-lang-wachtwoord-42"  # noqa: S105 (test accounts only)


@lru_cache(maxsize=8)
def _hash(raw_password: str) -> str:
    """Hash once per password and process: argon2 is slow on purpose."""
    return make_password(raw_password)


class TeamFactory(factory.django.DjangoModelFactory):
    """A neighbourhood team; ``districts=[...]`` gives it its districts."""

    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Buurtteam {n}")
    municipality = factory.SubFactory(MunicipalityFactory)

    @factory.post_generation
    def districts(self, create, extracted, **kwargs):
        if create and extracted:
            self.districts.add(*extracted)


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator-app device (django-otp's TOTP)."""

    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory("socialebasis.accounts.tests.factories.UserFactory")
    name = "Authenticator-app"
    confirmed = True


class UserFactory(factory.django.DjangoModelFactory):
    """An account. Traits: ``verified_email``, ``inactive`` (deactivated), ``with_totp`` (a
    confirmed TOTP device), ``professional`` (a social worker with a TOTP device).
    ``raw_password`` sets the password (default ``PASSWORD``)."""

    class Meta:
        model = User
        skip_postgeneration_save = True
        django_get_or_create = ["email"]

    class Params:
        raw_password = PASSWORD
        verified_email = factory.Trait(email_verified_at=factory.LazyFunction(timezone.now))
        inactive = factory.Trait(is_active=False)
        with_totp = factory.Trait(
            device=factory.RelatedFactory(TOTPDeviceFactory, factory_related_name="user")
        )
        professional = factory.Trait(
            with_totp=True,
            membership=factory.RelatedFactory(
                "socialebasis.accounts.tests.factories.MembershipFactory",
                factory_related_name="user",
                social_worker=True,
            ),
        )

    email = factory.Sequence(lambda n: f"gebruiker{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    password = factory.LazyAttribute(lambda o: _hash(o.raw_password))


class MembershipFactory(factory.django.DjangoModelFactory):
    """A role in a municipality (a resident by default). Traits per role:
    ``social_worker`` and ``team_lead`` (in a team of the municipality), ``volunteer``,
    ``policy_officer``, ``privacy_officer``, ``administrator``."""

    class Meta:
        model = Membership

    class Params:
        social_worker = factory.Trait(
            role=Role.SOCIAL_WORKER,
            team=factory.SubFactory(
                TeamFactory, municipality=factory.SelfAttribute("..municipality")
            ),
        )
        team_lead = factory.Trait(
            role=Role.TEAM_LEAD,
            team=factory.SubFactory(
                TeamFactory, municipality=factory.SelfAttribute("..municipality")
            ),
        )
        volunteer = factory.Trait(role=Role.VOLUNTEER)
        policy_officer = factory.Trait(role=Role.POLICY_OFFICER)
        privacy_officer = factory.Trait(role=Role.PRIVACY_OFFICER)
        administrator = factory.Trait(role=Role.ADMINISTRATOR)

    user = factory.SubFactory(UserFactory)
    role = Role.RESIDENT
    municipality = factory.SubFactory(MunicipalityFactory)
    team = None
