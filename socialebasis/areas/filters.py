"""FilterSets of the areas: municipalities, districts and neighbourhoods by name, parent code
or postcode. Codes are CBS codes (``GM0363``, ``WK036305``)."""

import django_filters as df
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from socialebasis.areas.models import District, Municipality, Neighbourhood

municipality_code = RegexValidator(r"^GM\d{4}$", _("Gebruik een CBS-gemeentecode, bijv. GM0363."))
district_code = RegexValidator(
    r"^WK\d{4}[0-9A-Z]{2}$", _("Gebruik een CBS-wijkcode, bijv. WK036305.")
)
pc4 = RegexValidator(r"^\d{4}$", _("Gebruik een postcode van 4 cijfers, bijv. 1055."))


class MunicipalityFilter(df.FilterSet):
    q = df.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, help_text=_("Tekst in de naam")
    )
    province = df.CharFilter(
        field_name="province_name",
        lookup_expr="iexact",
        max_length=50,
        help_text=_("Provincie, bijv. Noord-Holland"),
    )

    class Meta:
        model = Municipality
        fields = ["q", "province"]


class DistrictFilter(df.FilterSet):
    q = df.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, help_text=_("Tekst in de naam")
    )
    municipality = df.CharFilter(
        field_name="municipality__code",
        validators=[municipality_code],
        help_text=_("Gemeente (GM-code)"),
    )

    class Meta:
        model = District
        fields = ["q", "municipality"]


class NeighbourhoodFilter(df.FilterSet):
    q = df.CharFilter(
        field_name="name", lookup_expr="icontains", max_length=100, help_text=_("Tekst in de naam")
    )
    municipality = df.CharFilter(
        field_name="municipality__code",
        validators=[municipality_code],
        help_text=_("Gemeente (GM-code)"),
    )
    district = df.CharFilter(
        field_name="district__code", validators=[district_code], help_text=_("Wijk (WK-code)")
    )
    postcode = df.CharFilter(
        field_name="postcode", validators=[pc4], help_text=_("Meest voorkomende postcode (PC4)")
    )

    class Meta:
        model = Neighbourhood
        fields = ["q", "municipality", "district", "postcode"]
