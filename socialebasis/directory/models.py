"""The social map (sociale kaart), modelled on Open Referral HSDS 3.0.

Entity and field names follow HSDS 3.0 (organization, service, location,
service_at_location, address, phone, schedule, contact, language, accessibility,
cost_option, service_area, taxonomy, taxonomy_term, attribute). Additions for the Dutch
social base are marked "extension": organisation and location kinds, the municipality and
CBS neighbourhood a record belongs to, the source a record was imported from, and the
"last verified" date. Identifiers are UUIDs. Coordinates are WGS84 degrees.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from socialebasis.areas.models import Municipality, Neighbourhood
from socialebasis.directory.constants import (
    LocationKind,
    LocationType,
    OrganizationKind,
    ReportStatus,
    ServiceStatus,
)
from socialebasis.lib.guard import ProtectedManager


class Sourced(models.Model):
    """Extension: where an imported record came from, so re-imports update instead of duplicate."""

    source = models.CharField(_("bron"), max_length=50, blank=True, db_index=True)
    source_id = models.CharField(_("id in bron"), max_length=200, blank=True)
    last_verified = models.DateField(_("laatst gecontroleerd"), null=True, blank=True)

    class Meta:
        abstract = True


class Taxonomy(models.Model):
    """HSDS taxonomy: a vocabulary of terms (our theme taxonomy, or a source's categories)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("versie"), max_length=50, blank=True)
    code = models.SlugField(
        _("code"), max_length=50, unique=True, help_text="extension: stable code, e.g. sb-thema"
    )

    class Meta:
        verbose_name = _("taxonomie")
        verbose_name_plural = _("taxonomieën")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """HSDS taxonomy_term, hierarchical through ``parent``.

    ``path`` (extension) is the slash-joined codes from the root, e.g. ``/ontmoeting/buurtkamer/``,
    so "a term and its children" is a prefix match.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(_("code"), max_length=100)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    language = models.CharField(_("taal"), max_length=10, default="nl")
    term_uri = models.URLField(_("URI"), blank=True)
    path = models.CharField(_("pad"), max_length=500, db_index=True, editable=False)

    class Meta:
        verbose_name = _("taxonomieterm")
        verbose_name_plural = _("taxonomietermen")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], name="unique_term_code_per_taxonomy"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        super().save(*args, **kwargs)


class Organization(Sourced):
    """HSDS organization: who provides services (association, informal group, provider, ...)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("naam"), max_length=300)
    alternate_name = models.CharField(_("andere naam"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=500)
    legal_status = models.CharField(_("rechtsvorm"), max_length=100, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(_("opgericht in"), null=True, blank=True)
    uri = models.URLField(_("URI"), blank=True, max_length=500)
    parent_organization = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(
        _("soort"), max_length=30, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="organizations"
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="unique_organization_source",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Location(Sourced):
    """HSDS location: a place where services are delivered (an accommodation, an office...).

    ``neighbourhood`` (extension) is found by point-in-polygon on import.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(
        _("type"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    kind = models.CharField(
        _("soort plek"), max_length=30, choices=LocationKind.choices, default=LocationKind.OTHER
    )
    name = models.CharField(_("naam"), max_length=300)
    alternate_name = models.CharField(_("andere naam"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    transportation = models.TextField(_("bereikbaarheid"), blank=True)
    url = models.URLField(_("website"), blank=True, max_length=500)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    external_identifier = models.CharField(max_length=200, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="locations"
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, related_name="locations"
    )

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="unique_location_source",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Service(Sourced):
    """HSDS service: what an organisation offers (an activity, a consultation hour, support)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField(_("naam"), max_length=300)
    alternate_name = models.CharField(_("andere naam"), max_length=300, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    url = models.URLField(_("website"), blank=True, max_length=500)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    interpretation_services = models.TextField(_("tolkdiensten"), blank=True)
    application_process = models.TextField(_("aanmelden"), blank=True)
    fees_description = models.TextField(_("kosten"), blank=True)
    eligibility_description = models.TextField(_("voor wie"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimumleeftijd"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximumleeftijd"), null=True, blank=True)
    alert = models.TextField(_("melding"), blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="services"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dienst")
        verbose_name_plural = _("diensten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source=""),
                name="unique_service_source",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceAtLocation(models.Model):
    """HSDS service_at_location: a service as delivered at one location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("dienst op locatie")
        verbose_name_plural = _("diensten op locatie")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "location"], name="unique_service_at_location"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Address(models.Model):
    """HSDS address of a location (Dutch: street + house number in ``address_1``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=200, blank=True)
    address_1 = models.CharField(_("adres"), max_length=300)
    address_2 = models.CharField(_("adresregel 2"), max_length=300, blank=True)
    city = models.CharField(_("plaats"), max_length=100)
    region = models.CharField(_("regio"), max_length=100, blank=True)
    state_province = models.CharField(_("provincie"), max_length=100, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True, db_index=True)
    country = models.CharField(_("land"), max_length=2, default="NL")
    address_type = models.CharField(
        max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )

    class Meta:
        verbose_name = _("adres")
        verbose_name_plural = _("adressen")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}".strip(", ")


class Contact(models.Model):
    """HSDS contact person for an organisation, service, service_at_location or location."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    title = models.CharField(_("functie"), max_length=200, blank=True)
    department = models.CharField(_("afdeling"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self) -> str:
        return self.name or self.email


class Phone(models.Model):
    """HSDS phone, linked to one of location, service, organisation, contact, or SAL."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("nummer"), max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(
        _("soort"),
        max_length=20,
        blank=True,
        help_text="HSDS: text, voice, fax, cell, video, pager, textphone",
    )
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        verbose_name = _("telefoonnummer")
        verbose_name_plural = _("telefoonnummers")

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """HSDS schedule (opening hours), an RFC 5545 recurrence in the Europe/Amsterdam zone.

    Weekly opening hours: ``freq=WEEKLY``, ``byday`` like ``MO,WE``, ``opens_at``/``closes_at``.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    wkst = models.CharField(max_length=3, blank=True)
    freq = models.CharField(max_length=10, blank=True, help_text="WEEKLY or MONTHLY")
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=50, blank=True, help_text="e.g. MO,TU,WE")
    bymonthday = models.CharField(max_length=50, blank=True)
    opens_at = models.TimeField(_("open vanaf"), null=True, blank=True)
    closes_at = models.TimeField(_("open tot"), null=True, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    schedule_link = models.URLField(blank=True)
    attending_type = models.TextField(blank=True)
    notes = models.TextField(_("opmerkingen"), blank=True)

    class Meta:
        verbose_name = _("openingstijd")
        verbose_name_plural = _("openingstijden")

    def __str__(self) -> str:
        return self.description or f"{self.byday} {self.opens_at}-{self.closes_at}"


class Language(models.Model):
    """HSDS language offered by a service or at a location (ISO 639-1 ``code``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    name = models.CharField(_("taal"), max_length=100, blank=True)
    code = models.CharField(_("taalcode"), max_length=10, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("taal")
        verbose_name_plural = _("talen")

    def __str__(self) -> str:
        return self.name or self.code


class Accessibility(models.Model):
    """HSDS accessibility of a location. ``wheelchair`` (extension) is the searchable flag."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="accessibilities")
    description = models.TextField(_("omschrijving"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(blank=True)
    wheelchair = models.BooleanField(_("rolstoeltoegankelijk"), default=False)

    class Meta:
        verbose_name = _("toegankelijkheid")
        verbose_name_plural = _("toegankelijkheid")

    def __str__(self) -> str:
        return self.description


class CostOption(models.Model):
    """HSDS cost_option of a service; ``amount`` in ``currency`` (EUR). 0 means free."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="cost_options")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = models.CharField(_("optie"), max_length=300, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    amount = models.DecimalField(
        _("bedrag"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_description = models.TextField(blank=True)

    class Meta:
        verbose_name = _("kosten")
        verbose_name_plural = _("kosten")

    def __str__(self) -> str:
        return self.option or f"{self.amount} {self.currency}"


class ServiceArea(models.Model):
    """HSDS service_area: where a service is available (e.g. a whole municipality).

    ``municipality`` and ``district_codes`` (extensions) make the area searchable by place:
    a service without a location is found from any place in these districts (or anywhere in
    the municipality when ``district_codes`` is empty).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(_("naam"), max_length=200, blank=True)
    description = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.URLField(blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, null=True, blank=True, related_name="service_areas"
    )
    district_codes = models.TextField(
        _("wijken (CBS-codes)"),
        blank=True,
        help_text=_(
            "Extensie: de wijken (WK-codes, gescheiden door spaties) van het "
            "werkgebied; leeg betekent de hele gemeente."
        ),
    )

    class Meta:
        verbose_name = _("werkgebied")
        verbose_name_plural = _("werkgebieden")

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """HSDS attribute: links any object (``link_entity`` + ``link_id``) to a taxonomy term."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    link_id = models.UUIDField(db_index=True)
    link_type = models.CharField(max_length=50, blank=True)
    link_entity = models.CharField(max_length=50, help_text="service, location, organization, ...")
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="attributes"
    )
    value = models.TextField(blank=True)

    class Meta:
        verbose_name = _("kenmerk")
        verbose_name_plural = _("kenmerken")
        constraints = [
            models.UniqueConstraint(
                fields=["link_entity", "link_id", "taxonomy_term"], name="unique_attribute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} -> {self.taxonomy_term}"


class ErrorReport(models.Model):
    """Extension: a resident's report that an entry is wrong, awaiting moderation.

    ``user`` is the account that sent it (set from the logged-in user, never from a typed
    address): it puts the report in that person's export and erasure. The typed name and
    e-mail only serve to ask the reporter about the report.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="error_reports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="error_reports",
        verbose_name=_("verstuurd door account"),
    )
    reporter_name = models.CharField(_("uw naam"), max_length=200)
    reporter_email = models.EmailField(_("uw e-mailadres (optioneel)"), blank=True)
    message = models.TextField(_("wat klopt er niet?"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = ProtectedManager()

    class Meta:
        base_manager_name = "objects"  # related lookups are guarded too
        verbose_name = _("foutmelding")
        verbose_name_plural = _("foutmeldingen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        subject = self.service or self.location or self.organization
        return f"{subject}: {self.message[:60]}"


class SynonymGroup(models.Model):
    """Extension: search synonyms the administrator edits, e.g. "geldzorgen, schulden".

    Any term of a group found in a query also searches the other terms. A term may be a
    phrase ("zorgen voor naaste").
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    terms = models.TextField(_("termen"), help_text=_("Gescheiden door komma's"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synoniemengroep")
        verbose_name_plural = _("synoniemengroepen")

    def __str__(self) -> str:
        return self.terms

    def term_list(self) -> list[str]:
        return [t.strip().lower() for t in self.terms.split(",") if t.strip()]


class SearchDocumentField(models.TextField):
    """A search entry's full-text document where the database keeps it in the entry's row:
    a tsvector on PostgreSQL (written as tsvector text by ``directory.search.postgresql``);
    plain text, always empty, elsewhere (SQLite keeps its documents in FTS5)."""

    _TYPES = {"postgresql": "tsvector"}

    def db_type(self, connection) -> str:
        return self._TYPES.get(connection.vendor, "text")

    def get_placeholder(self, value, compiler, connection) -> str:
        return f"CAST(%s AS {self.db_type(connection)})"


class SearchEntry(models.Model):
    """Extension: the denormalised search index, one row per service at a location (or per
    service without a location). Rebuilt by ``directory.search_index``; never edited by hand.

    ``id`` is the FTS5 rowid on SQLite; on PostgreSQL ``document`` holds the entry's tsvector
    (``directory.search.postgresql``), GIN-indexed.
    ``term_paths`` holds every theme-term path of the service, space-separated.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, null=True, related_name="+")
    service_at_location = models.ForeignKey(
        ServiceAtLocation, on_delete=models.CASCADE, null=True, related_name="+"
    )
    municipality_code = models.CharField(max_length=6, blank=True, db_index=True)
    district_code = models.CharField(max_length=8, blank=True, db_index=True)
    neighbourhood_code = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    organization_kind = models.CharField(max_length=30, blank=True)
    area_codes = models.TextField(
        blank=True, help_text="service area districts, ' WK… WK… ', for entries without location"
    )
    term_paths = models.TextField(blank=True)
    free = models.BooleanField(default=False)
    wheelchair = models.BooleanField(default=False)
    languages = models.CharField(max_length=200, blank=True)
    minimum_age = models.PositiveSmallIntegerField(null=True)
    maximum_age = models.PositiveSmallIntegerField(null=True)
    sort_name = models.CharField(max_length=300)
    document = SearchDocumentField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["latitude", "longitude"]),
            models.Index(fields=["sort_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.sort_name} ({self.neighbourhood_code or self.municipality_code})"


class SearchTerm(models.Model):
    """Extension: the vocabulary of indexed words, for typo tolerance.

    ``term`` is a folded word of the index, ``stem`` its Snowball dutch_porter stem,
    ``length`` the word's length, ``doc_count`` in how many services it occurs.
    """

    term = models.CharField(max_length=100, unique=True)
    stem = models.CharField(max_length=100, db_index=True, default="")
    length = models.PositiveSmallIntegerField(db_index=True)
    doc_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.term


class SearchServiceWords(models.Model):
    """Extension: the vocabulary words one indexed service adds to ``SearchTerm`` (folded,
    3 to 100 letters, no numbers, space-separated and sorted), so re-indexing one service
    adjusts the ``doc_count`` of only the words it adds or drops instead of recounting all.

    Keyed by the service id without a foreign key: a deleted service's row stays until its
    re-index subtracts its words. Written by ``directory.search_index`` only.
    """

    service_id = models.UUIDField(primary_key=True)
    words = models.TextField(blank=True)

    def __str__(self) -> str:
        return str(self.service_id)
