"""Read-side selectors over residents' files and their consents.

Consent: ``has_consent`` is true only for an active consent on the *current* wording
version: when the text of a purpose changes (``privacy.wording``), every earlier consent
stops counting until the resident agrees to the new text.

Aggregates count only residents who consent to ``count_in_neighbourhood_figures`` on the
current wording (``countable_residents``), and suppress every cell below
``privacy.constants.SMALL_CELL_THRESHOLD`` people, so a figure never points at a person.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from socialebasis.audit.models import AuditEvent
from socialebasis.privacy.constants import PURPOSES, SMALL_CELL_THRESHOLD
from socialebasis.privacy.wording import Wording, current_wording, purpose_label
from socialebasis.residents.access import residents_for_user
from socialebasis.residents.constants import Purpose
from socialebasis.residents.models import Consent, Resident

# Consent rows were labelled privacy.consent before the model moved to this app.
CONSENT_TYPES = ("residents.consent", "privacy.consent")


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
        ) % {"purpose": purpose_label(self.purpose)}

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
    return current_consents(purpose).filter(resident_id=resident.pk).exists()


def require_consent(resident, purpose: str) -> None:
    """Raise ``ConsentRequired`` unless ``resident`` consents to ``purpose``."""
    if not has_consent(resident, purpose):
        raise ConsentRequired(purpose)


def with_consent(residents: QuerySet, purpose: str) -> QuerySet:
    """``residents`` narrowed to those who consent to ``purpose`` (one subquery)."""
    return residents.filter(pk__in=current_consents(purpose).values("resident_id"))


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
    """Every registered purpose with its current wording and the resident's latest row."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(resident_id=resident.pk).order_by("-given_at"):
        latest.setdefault(consent.purpose, consent)
    return [
        ConsentState(e.name, e.label, current_wording(e.name), latest.get(e.name)) for e in PURPOSES
    ]


def countable_residents(municipality=None) -> QuerySet[Resident]:
    """Residents whose data may count in anonymous neighbourhood figures: not anonymised,
    and with current consent for ``count_in_neighbourhood_figures``."""
    residents = Resident.objects.filter(anonymised_at__isnull=True)
    if municipality is not None:
        residents = residents.filter(municipality=municipality)
    return with_consent(residents, Purpose.COUNT_IN_NEIGHBOURHOOD_FIGURES)


def residents_per_neighbourhood(municipality) -> list[dict]:
    """Per neighbourhood of ``municipality`` (CBS code order): ``code``, ``name`` and
    ``count`` of countable residents, ``None`` when fewer than ``SMALL_CELL_THRESHOLD``."""
    rows = (
        countable_residents(municipality)
        .filter(neighbourhood__isnull=False)
        .values("neighbourhood__code", "neighbourhood__name")
        .annotate(count=Count("pk"))
        .order_by("neighbourhood__code")
    )
    return [
        {
            "code": row["neighbourhood__code"],
            "name": row["neighbourhood__name"],
            "count": row["count"] if row["count"] >= SMALL_CELL_THRESHOLD else None,
        }
        for row in rows
    ]


def resident_list_for_user(user) -> QuerySet[Resident]:
    """The files ``user`` may open, for a list of names (not audited per row; the opening
    of a file is). Anonymised files have no name and are left out."""
    return (
        residents_for_user(user)
        .filter(anonymised_at__isnull=True)
        .select_related("neighbourhood", "municipality")
        .order_by("family_name", "given_name", "pk")
    )


def audit_rows_about(resident, *, account: bool = False) -> QuerySet[AuditEvent]:
    """Audit rows about ``resident``'s file and consents; with ``account`` also the rows
    about their account and the rows they caused themselves (logins, ...)."""
    consent_ids = [str(pk) for pk in resident.consents.values_list("pk", flat=True)]
    query = Q(subject_type="residents.resident", subject_id=str(resident.pk))
    if consent_ids:
        query |= Q(subject_type__in=CONSENT_TYPES, subject_id__in=consent_ids)
    if account and resident.user_id:
        query |= Q(subject_type="accounts.user", subject_id=str(resident.user_id))
        query |= Q(actor_id=resident.user_id)
    return AuditEvent.objects.filter(query).order_by("-sequence")
