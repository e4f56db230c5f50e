"""Serializers of the areas API: CBS code, name, parent codes, CBS 2024 key figures, centroid
and (on request) the boundary as GeoJSON."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from socialebasis.areas.models import District, Municipality, Neighbourhood


class FiguresSerializer(serializers.Serializer):
    """CBS Kerncijfers wijken en buurten 2024; null where CBS suppressed or did not publish."""

    residents = serializers.IntegerField(allow_null=True)
    residents_65_plus = serializers.IntegerField(allow_null=True)
    residents_0_15 = serializers.IntegerField(allow_null=True)
    households = serializers.IntegerField(allow_null=True)
    household_size = serializers.FloatField(allow_null=True)
    density = serializers.IntegerField(allow_null=True, help_text="Residents per km²")
    income_per_resident = serializers.FloatField(
        allow_null=True, help_text="Thousands of euros per resident"
    )
    postcode = serializers.CharField(help_text="Most common postcode (PC4), or empty")


class CentroidSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    source = serializers.CharField(help_text="polygon, facilities or district")


class AreaSerializer(serializers.ModelSerializer):
    figures = FiguresSerializer(source="*", read_only=True)
    centroid = serializers.SerializerMethodField()
    geometry = serializers.SerializerMethodField()

    @extend_schema_field(CentroidSerializer(allow_null=True))
    def get_centroid(self, obj):
        if obj.centroid_lat is None or obj.centroid_lon is None:
            return None
        return {"lat": obj.centroid_lat, "lon": obj.centroid_lon, "source": obj.centroid_source}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "additionalProperties": {},
            "description": "Boundary as a GeoJSON geometry (WGS84); null unless ?geometry=1, "
            "or when no boundary is known",
        }
    )
    def get_geometry(self, obj) -> dict | None:
        return obj.geometry if self.context.get("geometry") else None


class MunicipalitySerializer(AreaSerializer):
    class Meta:
        model = Municipality
        fields = ["code", "name", "province_name", "figures", "centroid", "geometry"]


class DistrictSerializer(AreaSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        fields = ["code", "name", "municipality", "figures", "centroid", "geometry"]


class NeighbourhoodSerializer(AreaSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Neighbourhood
        fields = ["code", "name", "district", "municipality", "figures", "centroid", "geometry"]
