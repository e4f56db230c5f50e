"""Read-side selectors over residents' files.

Aggregates count only residents who consent to ``count_in_neighbourhood_figures`` on the
current wording (``countable_residents``), and suppress every cell below
``SMALL_CELL_THRESHOLD`` people, so a figure never points at a person.
"""

from django.db.models import Count, QuerySet

from socialebasis.privacy.constants import Purpose
from socialebasis.privacy.queries import with_consent
from socialebasis.residents.access import residents_for_user
from socialebasis.residents.models import Resident

SMALL_CELL_THRESHOLD = 10


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
