"""Pages of areas: the municipalities with data, a district with its neighbourhoods, and a
neighbourhood with its CBS figures, and what other apps add to them (``areas.registry``:
the directory's facilities)."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.areas.registry import annotate_areas, area_sections
from socialebasis.lib.format import format_count, format_percentage

NO_DATA = gettext_lazy("geen gegevens")


@require_GET
def index(request):
    """Municipalities that have facilities or neighbourhood boundaries, with districts."""
    has_boundaries = Exists(
        Neighbourhood.objects.filter(municipality=OuterRef("pk"), geometry__isnull=False)
    )
    municipalities = [
        m
        for m in annotate_areas(Municipality.objects.annotate(has_boundaries=has_boundaries))
        .order_by("name")
        .iterator()
        if m.has_boundaries or getattr(m, "n_locations", 0)
    ]
    districts = annotate_areas(
        District.objects.filter(municipality__in=municipalities).order_by("name")
    )
    by_municipality: dict = {m.pk: [] for m in municipalities}
    for district in districts:
        by_municipality[district.municipality_id].append(district)
    return render(
        request,
        "areas/index.html",
        {
            "municipalities": [
                {"municipality": m, "districts": by_municipality[m.pk]} for m in municipalities
            ],
        },
    )


@require_GET
def district_detail(request, code: str):
    """A district (wijk): figures and its neighbourhoods."""
    district = get_object_or_404(
        District.objects.select_related("municipality"), code=code.strip().upper()
    )
    neighbourhoods = annotate_areas(district.neighbourhoods.order_by("name"))
    sections = area_sections(district)
    return render(
        request,
        "areas/district_detail.html",
        {
            "district": district,
            "municipality": district.municipality,
            "neighbourhoods": neighbourhoods,
            "figures": figures(district),
            "sections": sections,
            "map_data": _area_map_data(district, sections),
        },
    )


@require_GET
def neighbourhood_detail(request, code: str):
    """A neighbourhood (buurt): CBS figures, boundary, and the facilities in it."""
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("district", "municipality"), code=code.strip().upper()
    )
    sections = area_sections(neighbourhood)
    return render(
        request,
        "areas/neighbourhood_detail.html",
        {
            "neighbourhood": neighbourhood,
            "district": neighbourhood.district,
            "municipality": neighbourhood.municipality,
            "figures": figures(neighbourhood),
            "sections": sections,
            "map_data": _area_map_data(neighbourhood, sections),
        },
    )


def figures(area) -> list[tuple[str, str]]:
    """The CBS key figures of an area as (label, formatted value) rows; missing figures
    (suppressed or not published by CBS) read "geen gegevens"."""

    def value(number, decimals=None) -> str:
        return format_count(number, decimals) if number is not None else str(NO_DATA)

    def share(part) -> str:
        if part is None:
            return str(NO_DATA)
        percent = format_percentage(part, area.residents)
        return f"{format_count(part)} ({percent})" if percent else format_count(part)

    return [
        (_("Inwoners"), value(area.residents)),
        (_("65 jaar en ouder"), share(area.residents_65_plus)),
        (_("0 tot 15 jaar"), share(area.residents_0_15)),
        (_("Huishoudens"), value(area.households)),
        (_("Gemiddelde huishoudensgrootte"), value(area.household_size, 2)),
        (_("Inwoners per km²"), value(area.density)),
        (_("Gemiddeld inkomen per inwoner (× € 1.000)"), value(area.income_per_resident, 1)),
    ]


def _area_map_data(area, sections) -> dict:
    markers = [dict(marker) for section in sections for marker in section.markers]
    place = None
    if not area.geometry and not markers and area.centroid_lat is not None:
        place = {"lat": area.centroid_lat, "lon": area.centroid_lon, "label": area.name}
    return {
        "place": place,
        "markers": markers,
        "polygon": area.geometry or None,
        "labels": {"place": _("Middelpunt")},
    }
