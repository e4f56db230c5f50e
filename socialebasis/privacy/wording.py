"""The texts a resident agrees to, versioned per purpose.

A consent is valid only for the wording version it was given on. Changing what a text
promises means adding a new ``Wording`` with the next version number (never editing an old
one): every consent given on an older version stops counting, and the resident is asked
again on their consent page. Fixing a typo that changes nothing may edit the text in place.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from socialebasis.privacy.constants import Purpose


@dataclass(frozen=True)
class Wording:
    """One version of the text shown for ``purpose`` (Dutch first, translatable)."""

    purpose: str
    version: int
    text: str | Promise


WORDINGS: dict[str, list[Wording]] = {
    Purpose.SHARE_REQUEST_WITH_VOLUNTEERS: [
        Wording(
            Purpose.SHARE_REQUEST_WITH_VOLUNTEERS,
            1,
            _(
                "Ik geef toestemming om mijn hulpvraag te delen met vrijwilligers van "
                "organisaties in mijn buurt, zodat iemand mij kan helpen. Zij zien mijn "
                "voornaam, mijn buurt en mijn vraag, niet mijn adres of telefoonnummer. "
                "Ik kan deze toestemming altijd intrekken."
            ),
        ),
    ],
    Purpose.WORKER_SEES_NETWORK: [
        Wording(
            Purpose.WORKER_SEES_NETWORK,
            1,
            _(
                "Ik geef toestemming dat de sociaal werker van mijn buurtteam mijn netwerk "
                "ziet: de mensen om mij heen die mij helpen of die ik help. Zo kan de sociaal "
                "werker met mij meedenken. Ik kan deze toestemming altijd intrekken."
            ),
        ),
    ],
    Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES: [
        Wording(
            Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES,
            1,
            _(
                "Ik geef toestemming dat mijn gegevens meetellen in anonieme cijfers over mijn "
                "buurt. Niemand kan daarin zien wie ik ben: cijfers over minder dan 10 mensen "
                "worden niet getoond. Ik kan deze toestemming altijd intrekken."
            ),
        ),
    ],
}


def current_wording(purpose: str) -> Wording:
    """The version a resident is asked to agree to now."""
    return max(WORDINGS[purpose], key=lambda w: w.version)


def wording(purpose: str, version: int) -> Wording | None:
    """A given version of a purpose's text, or None when it does not exist."""
    return next((w for w in WORDINGS.get(purpose, []) if w.version == version), None)
