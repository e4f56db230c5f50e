"""Vocabulary of the residents app: the consent purposes a resident's file relies on.

The purposes are registered with the privacy app (``residents.trust``), with their wording
versions; their names are stored in ``Consent.purpose``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    SHARE_REQUEST_WITH_VOLUNTEERS = (
        "share_request_with_volunteers",
        _("Mijn hulpvraag delen met vrijwilligers"),
    )
    WORKER_SEES_NETWORK = "worker_sees_network", _("Mijn sociaal werker mag mijn netwerk zien")
    COUNT_IN_NEIGHBOURHOOD_FIGURES = (
        "count_in_neighbourhood_figures",
        _("Mijn gegevens tellen mee in anonieme buurtcijfers"),
    )


# The texts a resident agrees to, per purpose and version (see privacy.wording for the rules:
# a new promise is a new version, never an edit).
WORDINGS = {
    Purpose.SHARE_REQUEST_WITH_VOLUNTEERS: {
        1: _(
            "Ik geef toestemming om mijn hulpvraag te delen met vrijwilligers van "
            "organisaties in mijn buurt, zodat iemand mij kan helpen. Zij zien mijn "
            "voornaam, mijn buurt en mijn vraag, niet mijn adres of telefoonnummer. "
            "Ik kan deze toestemming altijd intrekken."
        ),
    },
    Purpose.WORKER_SEES_NETWORK: {
        1: _(
            "Ik geef toestemming dat de sociaal werker van mijn buurtteam mijn netwerk "
            "ziet: de mensen om mij heen die mij helpen of die ik help. Zo kan de sociaal "
            "werker met mij meedenken. Ik kan deze toestemming altijd intrekken."
        ),
    },
    Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES: {
        1: _(
            "Ik geef toestemming dat mijn gegevens meetellen in anonieme cijfers over mijn "
            "buurt. Niemand kan daarin zien wie ik ben: cijfers over minder dan 10 mensen "
            "worden niet getoond. Ik kan deze toestemming altijd intrekken."
        ),
    },
}


# Notification kinds (registered in trust.py; templates in templates/notifications/kinds/).
CONSENT_ON_BEHALF = "consent_on_behalf"
