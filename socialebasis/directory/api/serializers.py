"""Serializers of the directory API (/api/v1/). Shapes are our own (flatter than HSDS);
the HSDS 3.0 shapes are served under /api/hsds/."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socialebasis.directory.models import (
    Address,
    Location,
    Organization,
    Service,
    TaxonomyTerm,
)


class ThemeSerializer(serializers.ModelSerializer):
    """A term of the theme taxonomy (sb-thema)."""

    class Meta:
        model = TaxonomyTerm
        fields = ["id", "code", "name"]


def _themes(serializer, obj) -> list:
    terms = serializer.context.get("themes", {}).get(obj.id, [])
    return ThemeSerializer(terms, many=True).data


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class OrganizationSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="CBS code (GM...)"
    )
    parent_organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    themes = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "alternate_name",
            "description",
            "kind",
            "email",
            "website",
            "legal_status",
            "year_incorporated",
            "uri",
            "parent_organization",
            "municipality",
            "themes",
            "last_verified",
        ]

    @extend_schema_field(ThemeSerializer(many=True))
    def get_themes(self, obj):
        return _themes(self, obj)


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "address_1", "address_2", "postal_code", "city", "country", "address_type"]


class LocationSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    municipality = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="CBS code (GM...)"
    )
    district = serializers.SerializerMethodField(help_text="CBS code (WK...)")
    neighbourhood = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="CBS code (BU...)"
    )
    addresses = AddressSerializer(many=True, read_only=True)
    wheelchair = serializers.SerializerMethodField(
        help_text="Wheelchair accessible according to one of its accessibility records"
    )

    class Meta:
        model = Location
        fields = [
            "id",
            "name",
            "alternate_name",
            "description",
            "kind",
            "location_type",
            "url",
            "latitude",
            "longitude",
            "transportation",
            "organization",
            "municipality",
            "district",
            "neighbourhood",
            "addresses",
            "wheelchair",
            "last_verified",
        ]

    def get_district(self, obj) -> str | None:
        return obj.neighbourhood.district.code if obj.neighbourhood_id else None

    def get_wheelchair(self, obj) -> bool:
        return any(a.wheelchair for a in obj.accessibilities.all())


class ServiceLocationSerializer(serializers.Serializer):
    """Where a service is delivered: the location and the service_at_location id."""

    service_at_location = serializers.UUIDField()
    id = serializers.UUIDField(help_text="Location id")
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    neighbourhood = serializers.CharField(allow_null=True, help_text="CBS code (BU...)")
    address = serializers.CharField(help_text="First address on one line, or empty")


class ServiceSerializer(serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    municipality = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="CBS code (GM...)"
    )
    themes = serializers.SerializerMethodField()
    locations = serializers.SerializerMethodField()
    free = serializers.SerializerMethodField(help_text="Has a cost option of 0")
    languages = serializers.SerializerMethodField(help_text="Language codes (ISO 639-1)")

    class Meta:
        model = Service
        fields = [
            "id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "organization",
            "municipality",
            "themes",
            "locations",
            "application_process",
            "fees_description",
            "free",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "languages",
            "interpretation_services",
            "alert",
            "last_verified",
            "updated_at",
        ]

    @extend_schema_field(ThemeSerializer(many=True))
    def get_themes(self, obj):
        return _themes(self, obj)

    @extend_schema_field(ServiceLocationSerializer(many=True))
    def get_locations(self, obj):
        out = []
        for sal in sorted(obj.service_at_locations.all(), key=lambda s: s.location.name):
            location = sal.location
            address = next(iter(sorted(location.addresses.all(), key=lambda a: a.pk)), None)
            out.append(
                {
                    "service_at_location": sal.id,
                    "id": location.id,
                    "name": location.name,
                    "latitude": location.latitude,
                    "longitude": location.longitude,
                    "neighbourhood": location.neighbourhood.code
                    if location.neighbourhood_id
                    else None,
                    "address": str(address) if address else "",
                }
            )
        return ServiceLocationSerializer(out, many=True).data

    def get_free(self, obj) -> bool:
        return any(c.amount is not None and c.amount == 0 for c in obj.cost_options.all())

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_languages(self, obj):
        return sorted({lang.code for lang in obj.languages.all() if lang.code})


class TaxonomyTermSerializer(serializers.ModelSerializer):
    taxonomy = serializers.SlugRelatedField(slug_field="code", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = TaxonomyTerm
        fields = [
            "id",
            "taxonomy",
            "code",
            "name",
            "description",
            "parent",
            "path",
            "language",
            "term_uri",
        ]


# ---------------------------------------------------------------- search


class PlaceSerializer(serializers.Serializer):
    """The point a search was measured from."""

    lat = serializers.FloatField()
    lon = serializers.FloatField()
    label = serializers.CharField()
    kind = serializers.CharField(
        help_text="coordinates, postcode, neighbourhood, district, municipality, area, address"
    )
    code = serializers.CharField(help_text="CBS code or postcode, when there is one")


class LocationBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    address = serializers.CharField(help_text="First address on one line, or empty")


class ServiceBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    description = serializers.CharField()
    organization = OrganizationBriefSerializer()


class SearchHitSerializer(serializers.Serializer):
    service = ServiceBriefSerializer()
    location = LocationBriefSerializer(allow_null=True)
    service_at_location = serializers.UUIDField(allow_null=True)
    distance_m = serializers.FloatField(
        allow_null=True,
        help_text="Metres from the searched place; null without a place or "
        "for a service that is available in the place's municipality without a location",
    )
    score = serializers.FloatField(help_text="Relevance 0..1 (1 = best hit of this search)")


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Total number of hits")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    pages = serializers.IntegerField()
    place = PlaceSerializer(allow_null=True)
    relaxed = serializers.BooleanField(
        help_text="No hit had every word, so hits with any of the words are shown"
    )
    corrections = serializers.DictField(
        child=serializers.CharField(), help_text="Typo corrections made: typed -> used"
    )
    synonyms_used = serializers.ListField(child=serializers.CharField())
    results = SearchHitSerializer(many=True)
