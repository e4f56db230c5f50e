"""factory_boy factories for residents' files, with traits.

``ResidentFactory(with_account=True)`` is a file with its own login (a user with the resident
role); ``ResidentFactory(anonymised=True)`` a file as the retention job leaves it.
"""

import factory
from django.utils import timezone

from socialebasis.accounts.constants import Role
from socialebasis.accounts.tests.factories import MembershipFactory, UserFactory
from socialebasis.residents.models import Resident
from socialebasis.testing.factories import NeighbourhoodFactory


class ResidentFactory(factory.django.DjangoModelFactory):
    """A resident's file in a neighbourhood (and so a municipality). Traits:
    ``with_account`` (an account with the resident role, the file's e-mail), ``anonymised``
    (personal fields emptied, no account, ``anonymised_at`` set)."""

    class Meta:
        model = Resident

    class Params:
        with_account = factory.Trait(
            user=factory.SubFactory(
                UserFactory,
                email=factory.SelfAttribute("..email"),
                full_name=factory.LazyAttribute(
                    lambda u: f"{u.factory_parent.given_name} {u.factory_parent.family_name}"
                ),
            ),
            membership=factory.RelatedFactory(
                MembershipFactory,
                user=factory.SelfAttribute("..user"),
                role=Role.RESIDENT,
                municipality=factory.SelfAttribute("..municipality"),
            ),
        )
        anonymised = factory.Trait(
            given_name="",
            family_name="",
            email="",
            phone="",
            user=None,
            anonymised_at=factory.LazyFunction(timezone.now),
        )

    neighbourhood = factory.SubFactory(NeighbourhoodFactory)
    municipality = factory.SelfAttribute("neighbourhood.municipality")
    given_name = factory.Sequence(lambda n: f"Inwoner{n}")
    family_name = "de Test"
    email = factory.LazyAttribute(
        lambda r: f"{r.given_name.lower()}@example.org" if r.given_name else ""
    )
    user = None
