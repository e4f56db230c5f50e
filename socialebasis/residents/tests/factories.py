"""factory_boy factories for residents' files and their consents, with traits.

``ResidentFactory(with_account=True)`` is a file with its own login (a user with the resident
role); ``ResidentFactory(anonymised=True)`` a file as the retention job leaves it.
"""

import factory
from django.utils import timezone

from socialebasis.accounts.constants import Role
from socialebasis.accounts.tests.factories import MembershipFactory, UserFactory
from socialebasis.residents import actions
from socialebasis.residents.constants import Purpose
from socialebasis.residents.models import Consent, Resident
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


class ConsentFactory(factory.django.DjangoModelFactory):
    """A resident's consent to ``purpose`` (by default given by the resident on their own
    account: ``ResidentFactory(with_account=True)``). Traits: ``on_behalf`` (recorded by a
    privacy officer of the resident's municipality, with a reason), ``withdrawn`` (given,
    then withdrawn by the same person)."""

    class Meta:
        model = Consent

    class Params:
        on_behalf = factory.Trait(
            recorded_by=factory.LazyAttribute(
                lambda c: (
                    MembershipFactory(
                        privacy_officer=True, municipality=c.resident.municipality
                    ).user
                )
            ),
            reason="telefonisch verzoek",
        )
        withdrawn = factory.Trait(withdraw=True)

    resident = factory.SubFactory(ResidentFactory, with_account=True)
    purpose = Purpose.WORKER_SEES_NETWORK
    recorded_by = factory.SelfAttribute("resident.user")
    reason = ""
    withdraw = False  # not a field: _create withdraws the consent again

    @classmethod
    def _create(cls, model_class, *, resident, purpose, recorded_by, reason="", withdraw=False):
        consent = actions.do_give_consent(resident, purpose, acting_user=recorded_by, reason=reason)
        if withdraw:
            withdrawn = actions.do_withdraw_consent(
                resident, purpose, acting_user=recorded_by, reason=reason
            )
            consent.refresh_from_db()
            assert withdrawn.pk == consent.pk
        return consent
