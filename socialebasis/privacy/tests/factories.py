"""factory_boy factories for consent, with traits. Consents are recorded through the
privacy actions (``do_give_consent``, ``do_withdraw_consent``), so every one has its audit
row and the wording of the day, as in the running platform."""

import factory

from socialebasis.accounts.tests.factories import MembershipFactory
from socialebasis.privacy import actions
from socialebasis.privacy.constants import Purpose
from socialebasis.privacy.models import Consent
from socialebasis.residents.tests.factories import ResidentFactory


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
        consent = actions.do_give_consent(resident, purpose, recorded_by, reason=reason)
        if withdraw:
            withdrawn = actions.do_withdraw_consent(resident, purpose, recorded_by, reason=reason)
            consent.refresh_from_db()
            assert withdrawn.pk == consent.pk
        return consent
