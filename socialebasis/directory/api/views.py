"""Read-only API of the directory: organizations, services, locations, taxonomy terms (list
with filters and pagination, detail by UUID) and search. A malformed or unknown UUID is a 404
``{"detail": ...}``; a bad filter value a 400 ``{"parameter": ["reason"]}``."""

from django.db.models import Model, Prefetch
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.viewsets import ReadOnlyModelViewSet

from socialebasis.directory.api.serializers import (
    LocationSerializer,
    OrganizationSerializer,
    SearchResponseSerializer,
    ServiceSerializer,
    TaxonomyTermSerializer,
)
from socialebasis.directory.constants import THEME_TAXONOMY, OrganizationKind
from socialebasis.directory.filters import (
    LocationFilter,
    OrganizationFilter,
    ServiceFilter,
    TaxonomyTermFilter,
)
from socialebasis.directory.forms import SearchForm
from socialebasis.directory.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from socialebasis.directory.search import RADIUS_DEFAULT, SORTS, SearchError, search
from socialebasis.lib.drf.pagination import StandardPagination
from socialebasis.lib.drf.schemas import (
    NO_NUL,
    NOT_FOUND_SCHEMA,
    PAGE_NOT_FOUND,
    VALIDATION_ERROR_SCHEMA,
)
from socialebasis.lib.importing import chunked

ERRORS = {
    400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid parameter(s)"),
}
NOT_FOUND = {404: OpenApiResponse(NOT_FOUND_SCHEMA, description="No object with this id")}


# Boundaries are large JSON documents; pages of records never need them.
AREA_GEOMETRIES = (
    "municipality__geometry",
    "neighbourhood__geometry",
    "neighbourhood__district__geometry",
)


def themes_by_id(entity: str, ids: list) -> dict:
    """The sb-thema terms linked to each record of ``entity``, in taxonomy order."""
    result: dict = {}
    for chunk in chunked(ids):
        attributes = (
            Attribute.objects.filter(
                link_entity=entity, link_id__in=chunk, taxonomy_term__taxonomy__code=THEME_TAXONOMY
            )
            .select_related("taxonomy_term")
            .order_by("taxonomy_term__path")
        )
        for attribute in attributes:
            result.setdefault(attribute.link_id, []).append(attribute.taxonomy_term)
    return result


class ThemesMixin:
    """Adds the theme terms of the serialised objects to the serializer context, one query
    per page."""

    theme_entity = ""

    def get_serializer(self, *args, **kwargs):
        if args and self.theme_entity:
            instance = args[0]
            objects = [instance] if isinstance(instance, Model) else list(instance)
            context = self.get_serializer_context()
            context["themes"] = themes_by_id(self.theme_entity, [o.pk for o in objects])
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(
        summary="List organizations",
        responses={200: OrganizationSerializer, **ERRORS, **PAGE_NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One organization", responses={200: OrganizationSerializer, **NOT_FOUND}
    ),
)
class OrganizationViewSet(ThemesMixin, ReadOnlyModelViewSet):
    """Organizations of the social map (HSDS organization)."""

    queryset = (
        Organization.objects.select_related("municipality")
        .defer("municipality__geometry")
        .order_by("name", "id")
    )
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    pagination_class = StandardPagination
    lookup_field = "id"
    theme_entity = "organization"


@extend_schema_view(
    list=extend_schema(
        summary="List services", responses={200: ServiceSerializer, **ERRORS, **PAGE_NOT_FOUND}
    ),
    retrieve=extend_schema(summary="One service", responses={200: ServiceSerializer, **NOT_FOUND}),
)
class ServiceViewSet(ThemesMixin, ReadOnlyModelViewSet):
    """Services (HSDS service) with their organization, themes and locations."""

    queryset = (
        Service.objects.select_related("organization", "municipality")
        .defer("municipality__geometry")
        .prefetch_related(
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__neighbourhood")
                .defer("location__neighbourhood__geometry")
                .prefetch_related("location__addresses"),
            ),
            "cost_options",
            "languages",
        )
        .order_by("name", "id")
    )
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    pagination_class = StandardPagination
    lookup_field = "id"
    theme_entity = "service"


@extend_schema_view(
    list=extend_schema(
        summary="List locations", responses={200: LocationSerializer, **ERRORS, **PAGE_NOT_FOUND}
    ),
    retrieve=extend_schema(
        summary="One location", responses={200: LocationSerializer, **NOT_FOUND}
    ),
)
class LocationViewSet(ReadOnlyModelViewSet):
    """Locations (HSDS location): accommodations, offices and other places."""

    queryset = (
        Location.objects.select_related("municipality", "neighbourhood__district")
        .defer(*AREA_GEOMETRIES)
        .prefetch_related("addresses", "accessibilities")
        .order_by("name", "id")
    )
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    pagination_class = StandardPagination
    lookup_field = "id"


@extend_schema_view(
    list=extend_schema(
        summary="List taxonomy terms",
        responses={200: TaxonomyTermSerializer, **ERRORS, **PAGE_NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary="One taxonomy term", responses={200: TaxonomyTermSerializer, **NOT_FOUND}
    ),
)
class TaxonomyTermViewSet(ReadOnlyModelViewSet):
    """Terms of the taxonomies, e.g. the themes (taxonomy ``sb-thema``)."""

    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__code", "path", "id"
    )
    serializer_class = TaxonomyTermSerializer
    filterset_class = TaxonomyTermFilter
    pagination_class = StandardPagination
    lookup_field = "id"


# ---------------------------------------------------------------- search

# A flag of the search form (directory.forms.FlagField), as sent by the search page too.
FLAG = {
    "type": "string",
    "enum": ["true", "1", "on", "yes", "ja", "false", "0", "off", "no", "nee", ""],
}


def _text(max_length: int) -> dict:
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL}


def _integer(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q",
        _text(200),
        description="What: free Dutch text (typos, compounds and synonyms are handled)",
    ),
    OpenApiParameter(
        "near",
        _text(200),
        description="Where: postcode (PC6/PC4), neighbourhood, "
        "district or municipality name, CBS code, address, or 'lat,lon'; an unknown place "
        "is a 400",
    ),
    OpenApiParameter(
        "lat",
        {"type": "number", "minimum": -90, "maximum": 90},
        description="Latitude (WGS84); with lon instead of near",
    ),
    OpenApiParameter(
        "lon", {"type": "number", "minimum": -180, "maximum": 180}, description="Longitude (WGS84)"
    ),
    OpenApiParameter(
        "radius",
        int,
        description=f"Metres around the place (default {RADIUS_DEFAULT}; clamped to 100..50000)",
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description="Default: relevance with text, distance with only a place, else name",
    ),
    OpenApiParameter(
        "theme", str, description="Theme code (sb-thema), sub-themes included; unknown is a 400"
    ),
    OpenApiParameter(
        "kind", str, enum=list(OrganizationKind.values), description="Kind of organization"
    ),
    OpenApiParameter(
        "area",
        _text(10),
        description="CBS code of a neighbourhood (BU), district (WK) or municipality (GM); "
        "unknown is a 400",
    ),
    OpenApiParameter("age", _integer(0, 120), description="Age in years the service must accept"),
    OpenApiParameter("free", FLAG, description="Only free services"),
    OpenApiParameter("wheelchair", FLAG, description="Only wheelchair accessible locations"),
    OpenApiParameter("open_now", FLAG, description="Only what is open now"),
    OpenApiParameter(
        "language", _text(3), description="Language code (ISO 639-1, two letters), e.g. en"
    ),
    OpenApiParameter("page", _integer(1, 1000), description="Page (from 1)"),
    OpenApiParameter("page_size", _integer(1, 100), description="Hits per page (default 20)"),
]


def form_errors(form) -> dict[str, list[str]]:
    """``{"field": ["reason", ...]}`` of an invalid form (non-field errors under
    ``non_field_errors``)."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(e) for e in errors]
        for field, errors in form.errors.items()
    }


def _address(location) -> str:
    addresses = sorted(location.addresses.all(), key=lambda a: a.pk)
    return str(addresses[0]) if addresses else ""


def search_payload(response) -> dict:
    """The API shape of a ``SearchResponse``."""
    place = response.place
    return {
        "count": response.total,
        "page": response.page,
        "page_size": response.page_size,
        "pages": response.pages,
        "place": None
        if place is None
        else {
            "lat": place.lat,
            "lon": place.lon,
            "label": place.label,
            "kind": place.kind,
            "code": place.code,
        },
        "relaxed": response.relaxed,
        "corrections": response.corrections,
        "synonyms_used": response.synonyms_used,
        "results": [
            {
                "service": {
                    "id": hit.service.id,
                    "name": hit.service.name,
                    "description": hit.service.description,
                    "organization": {
                        "id": hit.service.organization.id,
                        "name": hit.service.organization.name,
                        "kind": hit.service.organization.kind,
                    },
                },
                "location": None
                if hit.location is None
                else {
                    "id": hit.location.id,
                    "name": hit.location.name,
                    "latitude": hit.location.latitude,
                    "longitude": hit.location.longitude,
                    "address": _address(hit.location),
                },
                "service_at_location": hit.service_at_location.id
                if hit.service_at_location
                else None,
                "distance_m": None if hit.distance_m is None else round(hit.distance_m, 1),
                "score": round(hit.score, 4),
            }
            for hit in response.hits
        ],
    }


@extend_schema(
    summary="Search the social map",
    description="The same search as the search page: what (q), where (near or lat/lon, "
    "radius) and filters. Invalid input is a 400 with the reasons per parameter; an unknown "
    "place is a 400 on `near`.",
    parameters=SEARCH_PARAMETERS,
    responses={200: SearchResponseSerializer, **ERRORS, **PAGE_NOT_FOUND},
)
@api_view(["GET", "HEAD"])
def search_view(request):
    form = SearchForm(data=request.query_params)
    if not form.is_valid():
        return Response(form_errors(form), status=400)
    try:
        response = search(form.to_params())
    except SearchError as exc:  # PlaceNotFound included
        return Response({exc.field: [exc.reason]}, status=400)
    if response.page > response.pages:  # as the list endpoints' pagination answers
        raise NotFound(StandardPagination.invalid_page_message)
    return Response(SearchResponseSerializer(search_payload(response)).data)
