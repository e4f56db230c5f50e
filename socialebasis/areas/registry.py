"""What other apps add to the area pages, so that areas (below the trust layer and the social
map) imports none of them. The habit of NetBox's template extensions:

- ``register_area_section(provider)``: ``provider(area)`` returns an ``AreaSection`` (a
  template rendered in the page's main column after the CBS figures, its context, and map
  markers) or None. ``area`` is a Municipality, District or Neighbourhood instance.
- ``register_area_annotations(annotate)``: ``annotate(queryset)`` returns the queryset of
  municipalities, districts or neighbourhoods with per-area figures of the app added. The
  area pages read ``n_locations`` (the facilities in the area, from the directory): a list
  shows it per district/neighbourhood, the index lists municipalities that have any.

Apps register from their ``AppConfig.ready``. Other hooks of areas: the signal
``areas.signals.areas_imported`` and ``areas.centroids.register_facility_points``.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet


@dataclass(frozen=True)
class AreaSection:
    template: str
    context: Mapping = field(default_factory=dict)
    # Map markers: {"lat", "lon", "title", "subtitle", "url"}
    markers: Sequence[Mapping] = ()


SectionProvider = Callable[[object], AreaSection | None]
Annotator = Callable[[QuerySet], QuerySet]

_section_providers: list[SectionProvider] = []
_annotators: list[Annotator] = []


def register_area_section(provider: SectionProvider) -> SectionProvider:
    """Add a section to the area pages (usable as a decorator); registering twice is a no-op."""
    if provider not in _section_providers:
        _section_providers.append(provider)
    return provider


def register_area_annotations(annotate: Annotator) -> Annotator:
    """Add per-area figures to the area querysets of the pages (usable as a decorator)."""
    if annotate not in _annotators:
        _annotators.append(annotate)
    return annotate


def area_sections(area) -> list[AreaSection]:
    """The sections of the registered apps for this area, in registration order."""
    sections = (provider(area) for provider in _section_providers)
    return [section for section in sections if section is not None]


def annotate_areas(queryset: QuerySet) -> QuerySet:
    for annotate in _annotators:
        queryset = annotate(queryset)
    return queryset
