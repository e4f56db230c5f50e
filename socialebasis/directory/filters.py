"""FilterSets of the directory: one per list, used by the API (``/api/v1/``) and usable by
pages. Area parameters take CBS codes (``GM0363``, ``WK036305``, ``BU0363AF01``); ``theme``
takes a code of the sb-thema taxonomy and includes its sub-themes (an unknown code, like an
unknown CBS code, gives an empty list); booleans are ``true``/``1`` or ``false``/``0``. Bad
values give a 400 with ``{"parameter": ["reason"]}`` in the API."""

import django_filters as df
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from socialebasis.directory.constants import (
    THEME_TAXONOMY,
    LocationKind,
    LocationType,
    OrganizationKind,
    ServiceStatus,
)
from socialebasis.directory.models import (
    Accessibility,
    Attribute,
    Location,
    Organization,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from socialebasis.lib.drf.params import StrictBooleanFilter

municipality_code = RegexValidator(r"^GM\d{4}$", _("Gebruik een CBS-gemeentecode, bijv. GM0363."))
district_code = RegexValidator(
    r"^WK\d{4}[0-9A-Z]{2}$", _("Gebruik een CBS-wijkcode, bijv. WK036305.")
)
neighbourhood_code = RegexValidator(
    r"^BU\d{4}[0-9A-Z]{4}$", _("Gebruik een CBS-buurtcode, bijv. BU0363AF01.")
)


def theme_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(taxonomy__code=THEME_TAXONOMY)


def linked_to_theme(entity: str, code: str) -> QuerySet[Attribute]:
    """Ids of the ``entity`` records with the theme ``code`` or one of its sub-themes (none
    for an unknown code)."""
    term = theme_terms().filter(code=code).first()
    if term is None:
        return Attribute.objects.none().values("link_id")
    return Attribute.objects.filter(
        link_entity=entity, taxonomy_term__path__startswith=term.path
    ).values("link_id")


def theme_filter(help_text) -> df.CharFilter:
    return df.CharFilter(method="filter_theme", max_length=100, help_text=help_text)


def _text(qs, fields, value):
    value = value.strip()
    if not value:
        return qs
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return qs.filter(condition)


class ServiceFilter(df.FilterSet):
    q = df.CharFilter(
        method="filter_q", max_length=200, help_text=_("Tekst in naam, andere naam of omschrijving")
    )
    theme = theme_filter(_("Themacode (sb-thema), inclusief subthema's"))
    kind = df.ChoiceFilter(
        field_name="organization__kind",
        choices=OrganizationKind.choices,
        help_text=_("Soort organisatie"),
    )
    status = df.ChoiceFilter(choices=ServiceStatus.choices)
    organization = df.UUIDFilter(field_name="organization_id")
    municipality = df.CharFilter(
        method="filter_municipality",
        validators=[municipality_code],
        help_text=_("Gemeente (GM-code): eigen gemeente, locatie of werkgebied"),
    )
    district = df.CharFilter(
        method="filter_district",
        validators=[district_code],
        help_text=_("Wijk (WK-code) van een locatie"),
    )
    neighbourhood = df.CharFilter(
        method="filter_neighbourhood",
        validators=[neighbourhood_code],
        help_text=_("Buurt (BU-code) van een locatie"),
    )

    class Meta:
        model = Service
        fields = [
            "q",
            "theme",
            "kind",
            "status",
            "organization",
            "municipality",
            "district",
            "neighbourhood",
        ]

    def filter_q(self, qs, name, value):
        return _text(qs, ["name", "alternate_name", "description"], value)

    def filter_theme(self, qs, name, value):
        return qs.filter(id__in=linked_to_theme("service", value))

    def filter_municipality(self, qs, name, value):
        return qs.filter(
            Q(municipality__code=value)
            | Q(
                id__in=ServiceAtLocation.objects.filter(location__municipality__code=value).values(
                    "service_id"
                )
            )
            | Q(id__in=ServiceArea.objects.filter(municipality__code=value).values("service_id"))
        )

    def filter_district(self, qs, name, value):
        return qs.filter(
            id__in=ServiceAtLocation.objects.filter(
                location__neighbourhood__district__code=value
            ).values("service_id")
        )

    def filter_neighbourhood(self, qs, name, value):
        return qs.filter(
            id__in=ServiceAtLocation.objects.filter(location__neighbourhood__code=value).values(
                "service_id"
            )
        )


class OrganizationFilter(df.FilterSet):
    q = df.CharFilter(
        method="filter_q", max_length=200, help_text=_("Tekst in naam, andere naam of omschrijving")
    )
    kind = df.ChoiceFilter(choices=OrganizationKind.choices)
    municipality = df.CharFilter(
        field_name="municipality__code",
        validators=[municipality_code],
        help_text=_("Gemeente (GM-code)"),
    )
    theme = theme_filter(_("Organisaties met een dienst in dit thema"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "municipality", "theme"]

    def filter_q(self, qs, name, value):
        return _text(qs, ["name", "alternate_name", "description"], value)

    def filter_theme(self, qs, name, value):
        services = Service.objects.filter(id__in=linked_to_theme("service", value))
        return qs.filter(
            Q(id__in=linked_to_theme("organization", value))
            | Q(id__in=services.values("organization_id"))
        )


class LocationFilter(df.FilterSet):
    q = df.CharFilter(
        method="filter_q", max_length=200, help_text=_("Tekst in naam, andere naam of omschrijving")
    )
    kind = df.ChoiceFilter(choices=LocationKind.choices, help_text=_("Soort plek"))
    location_type = df.ChoiceFilter(choices=LocationType.choices)
    organization = df.UUIDFilter(field_name="organization_id")
    municipality = df.CharFilter(
        field_name="municipality__code",
        validators=[municipality_code],
        help_text=_("Gemeente (GM-code)"),
    )
    district = df.CharFilter(
        field_name="neighbourhood__district__code",
        validators=[district_code],
        help_text=_("Wijk (WK-code)"),
    )
    neighbourhood = df.CharFilter(
        field_name="neighbourhood__code",
        validators=[neighbourhood_code],
        help_text=_("Buurt (BU-code)"),
    )
    wheelchair = StrictBooleanFilter(
        method="filter_wheelchair", help_text=_("Alleen rolstoeltoegankelijke plekken (true)")
    )

    class Meta:
        model = Location
        fields = [
            "q",
            "kind",
            "location_type",
            "organization",
            "municipality",
            "district",
            "neighbourhood",
            "wheelchair",
        ]

    def filter_q(self, qs, name, value):
        return _text(qs, ["name", "alternate_name", "description"], value)

    def filter_wheelchair(self, qs, name, value):
        if value is None:
            return qs
        accessible = Accessibility.objects.filter(wheelchair=True).values("location_id")
        return qs.filter(id__in=accessible) if value else qs.exclude(id__in=accessible)


class TaxonomyTermFilter(df.FilterSet):
    taxonomy = df.CharFilter(
        field_name="taxonomy__code", help_text=_("Code van de taxonomie, bijv. sb-thema")
    )
    parent = df.UUIDFilter(field_name="parent_id", help_text=_("Id van de bovenliggende term"))
    top_only = StrictBooleanFilter(
        method="filter_top_only", help_text=_("Alleen termen zonder bovenliggende term (true)")
    )
    q = df.CharFilter(
        method="filter_q", max_length=200, help_text=_("Tekst in code, naam of omschrijving")
    )

    class Meta:
        model = TaxonomyTerm
        fields = ["taxonomy", "parent", "top_only", "q"]

    def filter_top_only(self, qs, name, value):
        return qs.filter(parent__isnull=True) if value else qs

    def filter_q(self, qs, name, value):
        return _text(qs, ["code", "name", "description"], value)
