"""Areas: municipality (gemeente, GMxxxx), district (wijk, WKxxxxxx) and neighbourhood
(buurt, BUxxxxxxxx), keyed by their CBS codes.

Figures come from CBS *Kerncijfers wijken en buurten 2024* (StatLine 85984NED); a figure
CBS suppressed or did not publish is NULL. Boundaries are GeoJSON geometries in WGS84
(lon/lat) where a source provides them; centroids are WGS84 latitude/longitude in degrees.

Every level has an index on ``UPPER(name)``: the offline geocoder looks a typed name up
case-insensitively (``_areas_named`` in ``directory/geocoding.py``) with that very expression,
so SQLite and PostgreSQL find it in the index instead of scanning rows that carry large
boundaries.
"""

import json
import uuid
from functools import cached_property

from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class AreaFigures(models.Model):
    """CBS 2024 key figures shared by every area level. Counts are people or households."""

    residents = models.PositiveIntegerField(_("inwoners"), null=True, blank=True)
    residents_65_plus = models.PositiveIntegerField(_("inwoners 65+"), null=True, blank=True)
    residents_0_15 = models.PositiveIntegerField(_("inwoners 0-15"), null=True, blank=True)
    households = models.PositiveIntegerField(_("huishoudens"), null=True, blank=True)
    household_size = models.FloatField(_("gemiddelde huishoudensgrootte"), null=True, blank=True)
    density = models.PositiveIntegerField(_("inwoners per km²"), null=True, blank=True)
    income_per_resident = models.FloatField(
        _("inkomen per inwoner (× €1000)"), null=True, blank=True
    )
    postcode = models.CharField(
        _("meest voorkomende postcode (PC4)"), max_length=4, blank=True, db_index=True
    )  # the geocoder looks PC4 up here

    class Meta:
        abstract = True


class Boundary(models.Model):
    """A GeoJSON geometry (Polygon/MultiPolygon, WGS84) and its centroid."""

    geometry = models.JSONField(_("grens (GeoJSON)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("middelpunt breedtegraad"), null=True, blank=True)
    centroid_lon = models.FloatField(_("middelpunt lengtegraad"), null=True, blank=True)
    centroid_source = models.CharField(
        _("bron middelpunt"),
        max_length=20,
        blank=True,
        help_text="polygon, facilities or district",
    )

    class Meta:
        abstract = True

    @cached_property
    def shape(self):
        """The boundary as a shapely geometry, or None."""
        if not self.geometry:
            return None
        from shapely.geometry import shape

        return shape(self.geometry)

    @property
    def geometry_json(self) -> str:
        return json.dumps(self.geometry) if self.geometry else ""


class Municipality(AreaFigures, Boundary):
    """A Dutch municipality (gemeente). ``code`` is the CBS code, e.g. ``GM0363``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    province_name = models.CharField(_("provincie"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]
        indexes = [models.Index(Upper("name"), name="areas_municipality_name_upper")]

    def __str__(self) -> str:
        return self.name


class District(AreaFigures, Boundary):
    """A district (wijk). ``code`` is the CBS code, e.g. ``WK036305``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("CBS-code"), max_length=8, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts"
    )

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]
        indexes = [models.Index(Upper("name"), name="areas_district_name_upper")]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(AreaFigures, Boundary):
    """A neighbourhood (buurt). ``code`` is the CBS code, e.g. ``BU0363AA01``.

    Its centroid is the polygon's centroid where a boundary is known, else the centroid of
    the facilities located in it, else its district's (see ``centroid_source``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("CBS-code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="neighbourhoods")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="neighbourhoods"
    )

    class Meta:
        verbose_name = _("buurt")
        verbose_name_plural = _("buurten")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"]),
            models.Index(Upper("name"), name="areas_neighbourhood_name_upper"),
        ]

    def __str__(self) -> str:
        return self.name
