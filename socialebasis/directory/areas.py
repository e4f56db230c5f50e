"""The directory on the area pages (``areas.registry``, registered in ``DirectoryConfig.ready``):
a neighbourhood lists its facilities (and shows them on the map), a district links to the
search in it, and the lists count the facilities per area (``n_locations``). After a CBS
import (``areas_imported``) the area centroids and the search index are brought up to date;
the locations place a neighbourhood without a boundary on the map (``areas.centroids``)."""

from django.db.models import Avg, Count, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from socialebasis.areas.centroids import register_facility_points
from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.areas.registry import (
    AreaSection,
    register_area_annotations,
    register_area_section,
)
from socialebasis.areas.signals import areas_imported
from socialebasis.directory.importers import after_import
from socialebasis.directory.models import Location
from socialebasis.directory.queries import first_address, locations_in_area

# The path from an area to its locations, per area model.
LOCATIONS_OF = {
    Municipality: "locations",
    District: "neighbourhoods__locations",
    Neighbourhood: "locations",
}


def search_url(code: str) -> str:
    return f"{reverse('directory:search')}?{urlencode({'area': code})}"


def facilities_section(area) -> AreaSection | None:
    if isinstance(area, Neighbourhood):
        locations = [
            {"location": loc, "address": first_address(loc)}
            for loc in locations_in_area(neighbourhood=area)
        ]
        return AreaSection(
            template="directory/areas/_neighbourhood_facilities.html",
            context={"locations": locations, "search_url": search_url(area.code)},
            markers=[_marker(item) for item in locations if _has_point(item["location"])],
        )
    if isinstance(area, District):
        return AreaSection(
            template="directory/areas/_district_search.html",
            context={"search_url": search_url(area.code)},
        )
    return None


def count_locations(queryset: QuerySet) -> QuerySet:
    path = LOCATIONS_OF.get(queryset.model)
    return queryset.annotate(n_locations=Count(path)) if path else queryset


def _has_point(location) -> bool:
    return location.latitude is not None and location.longitude is not None


def _marker(item) -> dict:
    location = item["location"]
    return {
        "lat": location.latitude,
        "lon": location.longitude,
        "title": location.name,
        "subtitle": str(item["address"]) if item["address"] else "",
        "url": reverse("directory:location", args=[location.id]),
    }


def location_points() -> dict:
    """neighbourhood id -> (lat, lon) mean of its locations with coordinates."""
    rows = (
        Location.objects.filter(
            neighbourhood__isnull=False, latitude__isnull=False, longitude__isnull=False
        )
        .values("neighbourhood_id")
        .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
    )
    return {r["neighbourhood_id"]: (r["lat"], r["lon"]) for r in rows}


def after_cbs_import(sender, report, **kwargs) -> None:
    after_import(report)


def register() -> None:
    register_area_section(facilities_section)
    register_area_annotations(count_locations)
    register_facility_points(location_points)
    areas_imported.connect(after_cbs_import, dispatch_uid="directory.after_cbs_import")
