"""Read-only API of the areas, by CBS code: municipalities (GM), districts (WK),
neighbourhoods (BU), with their CBS figures. ``?geometry=1`` adds the boundary."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.viewsets import ReadOnlyModelViewSet

from socialebasis.areas.api.serializers import (
    DistrictSerializer,
    MunicipalitySerializer,
    NeighbourhoodSerializer,
)
from socialebasis.areas.filters import DistrictFilter, MunicipalityFilter, NeighbourhoodFilter
from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.lib.drf.pagination import StandardPagination
from socialebasis.lib.drf.params import bool_param
from socialebasis.lib.drf.schemas import (
    NOT_FOUND_SCHEMA,
    PAGE_NOT_FOUND,
    VALIDATION_ERROR_SCHEMA,
    optional,
)

GEOMETRY = OpenApiParameter(
    "geometry",
    optional({"type": "boolean"}),
    description="true (or 1) adds the boundary as GeoJSON (WGS84) in `geometry`; false (or 0) "
    "leaves it out (the default)",
)
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="CBS code")
ERRORS = {400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="Invalid parameter(s)")}
NOT_FOUND = {404: OpenApiResponse(NOT_FOUND_SCHEMA, description="No area with this code")}


class AreaViewSet(ReadOnlyModelViewSet):
    lookup_field = "code"
    pagination_class = StandardPagination
    select: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = (
            self.model.objects.select_related(*self.select)
            .defer(*(f"{related}__geometry" for related in self.select))
            .order_by("code")
        )
        if not self.with_geometry():
            queryset = queryset.defer("geometry")
        return queryset

    def with_geometry(self) -> bool:
        if not hasattr(self, "_geometry"):
            self._geometry = bool_param(self.request.query_params, "geometry")
        return self._geometry

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["geometry"] = self.with_geometry() if self.request else False
        return context

    def get_object(self):
        self.kwargs[self.lookup_field] = self.kwargs[self.lookup_field].upper()
        return super().get_object()


def _area_schema(plural: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            parameters=[GEOMETRY],
            responses={200: serializer, **ERRORS, **PAGE_NOT_FOUND},
        ),
        retrieve=extend_schema(
            summary=f"One of the {plural} by CBS code",
            parameters=[GEOMETRY, CODE],
            responses={200: serializer, **ERRORS, **NOT_FOUND},
        ),
    )


@_area_schema("municipalities", MunicipalitySerializer)
class MunicipalityViewSet(AreaViewSet):
    """Municipalities (gemeenten), code GMxxxx."""

    model = Municipality
    serializer_class = MunicipalitySerializer
    filterset_class = MunicipalityFilter
    queryset = Municipality.objects.none()


@_area_schema("districts", DistrictSerializer)
class DistrictViewSet(AreaViewSet):
    """Districts (wijken), code WKxxxxxx."""

    model = District
    select = ("municipality",)
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter
    queryset = District.objects.none()


@_area_schema("neighbourhoods", NeighbourhoodSerializer)
class NeighbourhoodViewSet(AreaViewSet):
    """Neighbourhoods (buurten), code BUxxxxxxxx."""

    model = Neighbourhood
    select = ("municipality", "district")
    serializer_class = NeighbourhoodSerializer
    filterset_class = NeighbourhoodFilter
    queryset = Neighbourhood.objects.none()
