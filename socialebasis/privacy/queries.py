"""Read side of consent: does a resident consent to a purpose, and the refusal when not.

``has_consent`` is true only for an active consent on the *current* wording version: when
the text of a purpose changes (``privacy.wording``), every earlier consent stops counting
until the resident agrees to the new text.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from socialebasis.privacy.constants import Purpose
from socialebasis.privacy.models import Consent
from socialebasis.privacy.wording import Wording, current_wording


class ConsentRequired(PermissionDenied):
    """An action needs the resident's consent for ``purpose`` and does not have it."""

    def __init__(self, purpose: str):
        self.purpose = purpose
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(
            "Dit kan alleen met toestemming van de inwoner voor „%(purpose)s”. Die "
            "toestemming is er niet (of gold voor een oudere tekst). De inwoner kan "
            "toestemming geven op de pagina Mijn gegevens, onder Toestemmingen."
        ) % {"purpose": Purpose(self.purpose).label}

    def __str__(self) -> str:
        return self.message


def current_consents(purpose: str) -> QuerySet[Consent]:
    """Every consent that counts now for ``purpose`` (active, current wording version)."""
    return Consent.objects.filter(
        purpose=purpose,
        wording_version=current_wording(purpose).version,
        withdrawn_at__isnull=True,
        superseded_at__isnull=True,
    )


def has_consent(resident, purpose: str) -> bool:
    """Whether ``resident`` consents to ``purpose`` on the current wording."""
    if resident is None or resident.pk is None:
        return False
    return current_consents(Purpose(purpose)).filter(resident_id=resident.pk).exists()


def require_consent(resident, purpose: str) -> None:
    """Raise ``ConsentRequired`` unless ``resident`` consents to ``purpose``."""
    if not has_consent(resident, purpose):
        raise ConsentRequired(purpose)


def with_consent(residents: QuerySet, purpose: str) -> QuerySet:
    """``residents`` narrowed to those who consent to ``purpose`` (one subquery)."""
    return residents.filter(pk__in=current_consents(Purpose(purpose)).values("resident_id"))


@dataclass
class ConsentState:
    """One purpose on a resident's consent page: the text to show, and where they stand."""

    purpose: str
    label: str
    wording: Wording
    latest: Consent | None  # the most recent row for this purpose, if any

    @property
    def given(self) -> bool:
        return self.latest is not None and self.latest.is_current

    @property
    def outdated(self) -> bool:
        """Agreed to an older text that no longer counts: ask again."""
        return self.latest is not None and self.latest.is_active and not self.latest.is_current

    @property
    def withdrawn(self) -> bool:
        return self.latest is not None and self.latest.withdrawn_at is not None


def consent_states(resident) -> list[ConsentState]:
    """Every purpose with its current wording and the resident's latest consent row."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(resident_id=resident.pk).order_by("-given_at"):
        latest.setdefault(consent.purpose, consent)
    return [
        ConsentState(purpose.value, purpose.label, current_wording(purpose), latest.get(purpose))
        for purpose in Purpose
    ]
