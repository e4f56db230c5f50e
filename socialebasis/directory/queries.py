"""Read-side selectors of the directory for the pages: what a page shows, in few queries."""

from collections import defaultdict
from collections.abc import Iterable
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from socialebasis.directory.constants import THEME_TAXONOMY
from socialebasis.directory.models import (
    Address,
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)


def theme_terms_by_entity(entity: str, ids: Iterable[UUID]) -> dict[UUID, list[TaxonomyTerm]]:
    """The sb-thema terms linked (HSDS attribute) to each service/location/organization id."""
    ids = list(ids)
    result: dict[UUID, list[TaxonomyTerm]] = defaultdict(list)
    if not ids:
        return result
    attributes = (
        Attribute.objects.filter(
            link_entity=entity, link_id__in=ids, taxonomy_term__taxonomy__code=THEME_TAXONOMY
        )
        .select_related("taxonomy_term")
        .order_by("taxonomy_term__path")
    )
    for attribute in attributes:
        result[attribute.link_id].append(attribute.taxonomy_term)
    return result


def theme_terms(entity: str, id: UUID) -> list[TaxonomyTerm]:
    """The sb-thema terms of one record."""
    return theme_terms_by_entity(entity, [id]).get(id, [])


def theme_options() -> QuerySet[TaxonomyTerm]:
    """All terms of the theme taxonomy, parents before their children."""
    return TaxonomyTerm.objects.filter(taxonomy__code=THEME_TAXONOMY).order_by("path")


def service_for_page() -> QuerySet[Service]:
    """Services with everything the service page shows."""
    return Service.objects.select_related("organization", "municipality").prefetch_related(
        "phones",
        "schedules",
        "languages",
        "cost_options",
        "service_areas",
        "contacts__phones",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__neighbourhood")
            .prefetch_related(
                "location__addresses",
                "location__schedules",
                "location__accessibilities",
                "location__phones",
                "schedules",
                "phones",
            )
            .order_by("location__name"),
        ),
    )


def location_for_page() -> QuerySet[Location]:
    """Locations with everything the location page shows."""
    return Location.objects.select_related(
        "organization", "neighbourhood__district", "municipality"
    ).prefetch_related(
        "addresses",
        "accessibilities",
        "phones",
        "languages",
        Prefetch("schedules", queryset=Schedule.objects.all()),
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("service__organization").order_by(
                "service__name"
            ),
        ),
    )


def organization_for_page() -> QuerySet[Organization]:
    """Organisations with their services, locations and contact details."""
    return Organization.objects.select_related(
        "parent_organization", "municipality"
    ).prefetch_related(
        "phones",
        Prefetch("services", queryset=Service.objects.order_by("name")),
        Prefetch(
            "locations", queryset=Location.objects.order_by("name").prefetch_related("addresses")
        ),
    )


def locations_in_area(**area_filter) -> QuerySet[Location]:
    """Locations in a neighbourhood/district (e.g. ``neighbourhood=nb``), with addresses."""
    return (
        Location.objects.filter(**area_filter)
        .select_related("organization")
        .prefetch_related(Prefetch("addresses", queryset=Address.objects.all()))
        .order_by("name")
    )


def first_address(location: Location | None) -> Address | None:
    """The physical (else first) address of a location with prefetched ``addresses``."""
    if location is None:
        return None
    addresses = list(location.addresses.all())
    return next(
        (a for a in addresses if a.address_type == "physical"), addresses[0] if addresses else None
    )
