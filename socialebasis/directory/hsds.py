"""Open Referral HSDS 3.0 for the directory: serialise to HSDS objects, import HSDS documents,
validate against the vendored HSDS 3.0 JSON schemas (``data/hsds/spec-3.0/schema``).

Serialising
    ``service_to_hsds``, ``organization_to_hsds``, ``location_to_hsds``,
    ``service_at_location_to_hsds``, ``taxonomy_to_hsds``, ``taxonomy_term_to_hsds`` turn one
    object into a dict; ``hsds_services``/``hsds_organizations``/... do a batch with a fixed
    number of queries (prefetching, one query for all attributes); ``iter_hsds_services``
    streams the whole directory in batches (``export-hsds``, NDJSON in the HSDS API).
    Nesting follows the HSDS 3.0 examples: a full service nests its organization (with the
    organization's contacts, phones and locations, not its services), its
    service_at_locations (each with its full location) and all its own details; a full
    service_at_location nests its location and its service (without the service's
    service_at_locations); a full organization nests its locations and, with
    ``services="full"``, its full services. "List" forms (``full=False``) carry only the
    one-to-one fields (plus the nested organization / location / service in one-to-one form),
    like ``examples/*_list.json``.

    Identifiers are UUID strings; dates are ``YYYY-MM-DD``, times ``HH:MM:SS``,
    ``last_modified`` is ISO 8601 UTC with milliseconds (``2023-03-15T10:30:45.123Z``),
    amounts are JSON numbers. Empty optional values are left out (the schemas have no nulls);
    required strings (organization/taxonomy/term ``description``, address ``state_province``,
    ``postal_code``) are ``""`` when we have nothing. A stored e-mail address or URL that is
    not valid, or a schedule ``freq``/``wkst`` outside the HSDS enum, is left out rather than
    making the document invalid. Every exported entity carries its ``attributes`` (taxonomy
    terms, each with its ``taxonomy_detail``); an attribute's ``link_entity``/``link_id`` say
    what it is attached to.

Importing
    ``import_hsds(document)`` takes one service, organization, service_at_location, location,
    taxonomy or taxonomy_term object, a list of them, or an HSDS page ``{"contents": [...]}``;
    it validates everything against the schemas first (all errors, with their JSON path),
    then creates or updates objects inside one transaction, and returns a
    ``lib.importing.Report`` (created/updated/unchanged/deleted per entity). It raises
    ``HSDSError`` (path + reason for each problem) and then nothing is changed.

    Identity: an HSDS ``id`` that is a UUID becomes our primary key. Any other id is kept
    in ``source_id`` with ``source="hsds"`` on organizations, services and locations, and
    every entity gets a deterministic UUID (uuid5 of entity + id), so a re-import finds the
    same rows. New organizations, services and locations get ``source="hsds"``.

    Semantics: the document is the truth about each object it contains. A stored field the
    object leaves out becomes empty. A nested array that is present (``phones``,
    ``schedules``, ``contacts``, ``languages``, ``addresses``, ``accessibility``,
    ``cost_options``, ``service_areas``, ``attributes``, a service's
    ``service_at_locations``) is the complete list: children no longer listed are unlinked
    (and deleted when nothing else uses them); an absent array leaves the children alone.
    An organization's ``services``/``locations`` only add and link, they never delete.
    Links to a container (``organization_id``, ``service_id``, ``location_id``) come from
    nesting or the explicit id and are never cleared by absence; a reference to an object
    that is neither in the document nor in the database is an error, except the parent links
    ``parent_organization_id`` and a term's ``parent_id``, which are resolved at the end and
    dropped with a note when unknown (HSDS pages often reference parents on other pages).
    One phone, contact, schedule or language may belong to several parents at once
    (the examples share them between service, location and organization); each of our rows
    has one link per kind of parent. An attribute's ``link_id``/``link_entity`` are set from
    where it is nested (the HSDS examples carry placeholder values there).

    After the import, locations without a neighbourhood get one by point-in-polygon on the
    CBS boundaries we have (and their municipality with it, else by the address's city);
    services and organizations without a municipality get one from their locations
    (services also from their organization). The search index of the affected services is
    refreshed inside the same transaction.

Fields we do not store (ignored on import, absent from exports; the import report lists
what a document carried that we dropped):
    service: program_id, program, wait_time, fees, accreditations, assurer_email, licenses,
    funding, required_documents, metadata (``last_modified`` is exported from our own
    modification time and not imported; ``assured_date`` maps to ``last_verified``);
    organization: tax_status, tax_id, logo, funding, programs, organization_identifiers,
    metadata; schedule: timezone, count, byweekno, byyearday; taxonomy_term: ``taxonomy``
    (free text; we export the taxonomy's URI or name there); every entity: metadata.
"""

from __future__ import annotations

import functools
import json
import math
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.utils.text import slugify
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from socialebasis.directory import models as m
from socialebasis.lib.geo import valid_wgs84
from socialebasis.lib.importing import Report, chunked

HSDS_VERSION = "3.0"
SCHEMA_BASE_URI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
OPENAPI_URL = SCHEMA_BASE_URI + "openapi.json"
PROFILE_URL = "https://github.com/openreferral/specification/tree/3.0"
SOURCE = "hsds"
# Namespace of the deterministic UUIDs given to objects whose HSDS id is not a UUID.
ID_NAMESPACE = uuid.UUID("831f75ac-bf42-47d6-8976-e7e71b704e1c")
MAX_ERRORS = 50

KINDS = ("service", "organization", "service_at_location", "location", "taxonomy", "taxonomy_term")


class HSDSError(ValueError):
    """An HSDS document we cannot accept. ``errors`` is a list of (JSON path, reason)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"{path}: {reason}" for path, reason in errors))


# ---------------------------------------------------------------- validation


def spec_dir():
    return settings.DATA_DIR / "hsds" / "spec-3.0"


@lru_cache(maxsize=1)
def _schemas() -> tuple[Registry, dict[str, dict]]:
    """The registry of every HSDS schema file (by its canonical URL) and the schemas."""
    registry: Registry = Registry()
    schemas: dict[str, dict] = {}
    for path in sorted((spec_dir() / "schema").glob("*.json")):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text(encoding="utf-8"))
        contents = {**contents, "$id": SCHEMA_BASE_URI + path.name}
        registry = registry.with_resource(
            SCHEMA_BASE_URI + path.name,
            Resource.from_contents(contents, default_specification=DRAFT202012),
        )
        schemas[path.stem] = contents
    return registry.crawl(), schemas


def _is_uri(value: object) -> bool:
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and parts.scheme.isascii() and bool(parts.netloc or parts.path)


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_datetime)
    return checker


@lru_cache(maxsize=32)
def _validator(schema_name: str, check_formats: bool) -> Draft202012Validator:
    registry, schemas = _schemas()
    name = schema_name.removesuffix(".json")
    if name not in schemas:
        raise KeyError(f"unknown HSDS schema {schema_name!r}; one of {', '.join(schemas)}")
    return Draft202012Validator(
        schemas[name],
        registry=registry,
        format_checker=_format_checker() if check_formats else None,
    )


def format_path(base: str, parts: Iterable[object]) -> str:
    """A JSON path like ``$.contents[3].phones[0].number``."""
    out = base
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def hsds_errors(
    obj: object, schema_name: str, *, check_formats: bool = True, path: str = "$"
) -> list[tuple[str, str]]:
    """Every (path, reason) why ``obj`` is not a valid HSDS ``schema_name`` object."""
    validator = _validator(schema_name, check_formats)
    errors = sorted(
        validator.iter_errors(obj), key=lambda e: [str(p).zfill(8) for p in e.absolute_path]
    )
    return [(format_path(path, e.absolute_path), e.message) for e in errors[:MAX_ERRORS]]


def validate_hsds(
    obj: object, schema_name: str, *, check_formats: bool = True, path: str = "$"
) -> None:
    """Raise ``HSDSError`` listing the path and reason of every violation of the HSDS 3.0
    schema ``schema_name`` (e.g. "service", "taxonomy_term"; ``$ref`` between the schema
    files is followed). Formats (uuid, email, uri, date-time) are checked unless
    ``check_formats`` is false."""
    errors = hsds_errors(obj, schema_name, check_formats=check_formats, path=path)
    if errors:
        raise HSDSError(errors)


# ---------------------------------------------------------------- serialising


# (HSDS name, model attribute) of the scalar fields we store, per entity.
def _same(*names: str) -> tuple[tuple[str, str], ...]:
    return tuple((n, n) for n in names)


FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "organization": _same(
        "name",
        "alternate_name",
        "description",
        "email",
        "website",
        "year_incorporated",
        "legal_status",
        "uri",
    ),
    "service": _same(
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
    )
    + (("assured_date", "last_verified"),),
    "location": _same(
        "location_type",
        "url",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ),
    "service_at_location": _same("description"),
    "address": _same(
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    "contact": _same("name", "title", "department", "email"),
    "phone": _same("number", "extension", "type", "description"),
    "schedule": _same(
        "valid_from",
        "valid_to",
        "dtstart",
        "until",
        "wkst",
        "freq",
        "interval",
        "byday",
        "bymonthday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ),
    "language": _same("name", "code", "note"),
    "accessibility": _same("description", "details", "url"),
    "cost_option": _same(
        "valid_from", "valid_to", "option", "currency", "amount", "amount_description"
    ),
    "service_area": _same("name", "description", "extent", "extent_type", "uri"),
    "attribute": _same("link_type", "value"),
    "taxonomy": _same("name", "description", "uri", "version"),
    "taxonomy_term": _same("code", "name", "description", "language", "term_uri"),
}
# Required strings of the schemas, emitted as "" when we have nothing.
REQUIRED_STRINGS = {
    "organization": {"name", "description"},
    "service": {"name", "status"},
    "address": {"address_1", "city", "state_province", "postal_code", "country", "address_type"},
    "phone": {"number"},
    "taxonomy": {"name", "description"},
    "taxonomy_term": {"name", "description"},
}
EMAIL_FIELDS = {"email"}
URI_FIELDS = {
    "organization": {"website", "uri"},
    "service": {"url"},
    "location": {"url"},
    "accessibility": {"url"},
    "schedule": {"schedule_link"},
    "taxonomy": {"uri"},
    "taxonomy_term": {"term_uri"},
}
ENUMS = {
    "schedule": {"freq": {"WEEKLY", "MONTHLY"}, "wkst": {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}},
}
# What an import drops, per entity (reported, never an error).
NOT_STORED = {
    "service": {
        "program_id",
        "program",
        "wait_time",
        "fees",
        "accreditations",
        "assurer_email",
        "licenses",
        "funding",
        "required_documents",
        "metadata",
        "last_modified",
    },
    "organization": {
        "tax_status",
        "tax_id",
        "logo",
        "funding",
        "programs",
        "organization_identifiers",
        "metadata",
    },
    "schedule": {"timezone", "count", "byweekno", "byyearday", "metadata"},
    "taxonomy_term": {"taxonomy", "metadata"},
}

_email_validator = EmailValidator()


def _valid_email(value: str) -> bool:
    try:
        _email_validator(value)
    except ValidationError:
        return False
    return True


def json_value(value: object) -> object:
    if value is None or value == "":
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _scalars(entity: str, obj: models.Model) -> dict:
    out: dict = {}
    required = REQUIRED_STRINGS.get(entity, set())
    uris = URI_FIELDS.get(entity, set())
    enums = ENUMS.get(entity, {})
    for hsds_name, attname in FIELDS[entity]:
        value = json_value(getattr(obj, attname))
        if value is not None and (
            (hsds_name in EMAIL_FIELDS and not _valid_email(value))
            or (hsds_name in uris and not _is_uri(value))
            or (hsds_name in enums and value not in enums[hsds_name])
            or (isinstance(value, float) and not math.isfinite(value))
        ):
            value = None
        if value is None:
            if hsds_name in required:
                out[hsds_name] = ""
            continue
        out[hsds_name] = value
    return out


def _by_id(manager) -> list:
    """The (prefetched) related objects in a stable order."""
    return sorted(manager.all(), key=lambda o: o.pk)


class HSDSWriter:
    """Serialises objects to HSDS dicts. Attributes are collected while serialising and
    fetched in one query per 500 objects by ``finish()``, which must be called before the
    dicts are used (the module-level helpers do it)."""

    def __init__(self) -> None:
        self._pending: dict[uuid.UUID, list[list]] = defaultdict(list)

    def _with_attributes(self, out: dict, obj_id: uuid.UUID) -> dict:
        out["attributes"] = []
        self._pending[obj_id].append(out["attributes"])
        return out

    def finish(self) -> None:
        pending, self._pending = self._pending, defaultdict(list)
        ids = list(pending)
        for chunk in chunked(ids):
            attributes = (
                m.Attribute.objects.filter(link_id__in=chunk)
                .select_related("taxonomy_term__taxonomy")
                .order_by("id")
            )
            for attribute in attributes:
                data = self.attribute(attribute)
                for target in pending[attribute.link_id]:
                    target.append(data)

    # -- leaves

    def taxonomy(self, taxonomy: m.Taxonomy) -> dict:
        return {"id": str(taxonomy.id), **_scalars("taxonomy", taxonomy)}

    def taxonomy_term(self, term: m.TaxonomyTerm) -> dict:
        out = {"id": str(term.id), **_scalars("taxonomy_term", term)}
        if term.parent_id:
            out["parent_id"] = str(term.parent_id)
        taxonomy = term.taxonomy
        out["taxonomy"] = taxonomy.uri if _is_uri(taxonomy.uri) else taxonomy.name
        out["taxonomy_id"] = str(taxonomy.id)
        out["taxonomy_detail"] = self.taxonomy(taxonomy)
        return out

    def attribute(self, attribute: m.Attribute) -> dict:
        return {
            "id": str(attribute.id),
            "link_id": str(attribute.link_id),
            "link_entity": attribute.link_entity,
            **_scalars("attribute", attribute),
            "taxonomy_term_id": str(attribute.taxonomy_term_id),
            "taxonomy_term": self.taxonomy_term(attribute.taxonomy_term),
        }

    def _simple(self, entity: str, obj: models.Model, **nested) -> dict:
        out = {"id": str(obj.pk), **_scalars(entity, obj), **nested}
        return self._with_attributes(out, obj.pk)

    def language(self, language: m.Language) -> dict:
        return self._simple("language", language)

    def phone(self, phone: m.Phone) -> dict:
        return self._simple(
            "phone", phone, languages=[self.language(x) for x in _by_id(phone.languages)]
        )

    def contact(self, contact: m.Contact) -> dict:
        return self._simple(
            "contact", contact, phones=[self.phone(x) for x in _by_id(contact.phones)]
        )

    def schedule(self, schedule: m.Schedule) -> dict:
        return self._simple("schedule", schedule)

    def address(self, address: m.Address) -> dict:
        return self._simple("address", address)

    def accessibility(self, accessibility: m.Accessibility) -> dict:
        return self._simple("accessibility", accessibility)

    def cost_option(self, cost_option: m.CostOption) -> dict:
        return self._simple("cost_option", cost_option)

    def service_area(self, service_area: m.ServiceArea) -> dict:
        return self._simple("service_area", service_area)

    # -- entities

    def location(self, location: m.Location, *, full: bool = True) -> dict:
        out = {"id": str(location.id), **_scalars("location", location)}
        if location.organization_id:
            out["organization_id"] = str(location.organization_id)
        if not full:
            return out
        out["languages"] = [self.language(x) for x in _by_id(location.languages)]
        out["addresses"] = [self.address(x) for x in _by_id(location.addresses)]
        out["contacts"] = [self.contact(x) for x in _by_id(location.contacts)]
        out["accessibility"] = [self.accessibility(x) for x in _by_id(location.accessibilities)]
        out["phones"] = [self.phone(x) for x in _by_id(location.phones)]
        out["schedules"] = [self.schedule(x) for x in _by_id(location.schedules)]
        return self._with_attributes(out, location.id)

    def organization(
        self, organization: m.Organization, *, full: bool = True, services: str = "none"
    ) -> dict:
        """``services``: "none", "simple" (one-to-one fields) or "full"."""
        out = {"id": str(organization.id), **_scalars("organization", organization)}
        if organization.parent_organization_id:
            out["parent_organization_id"] = str(organization.parent_organization_id)
        if full:
            out["contacts"] = [self.contact(x) for x in _by_id(organization.contacts)]
            out["phones"] = [self.phone(x) for x in _by_id(organization.phones)]
            out["locations"] = [self.location(x) for x in _by_id(organization.locations)]
            self._with_attributes(out, organization.id)
        if services != "none":
            out["services"] = [
                self.service(x, full=services == "full", with_organization=False)
                for x in _by_id(organization.services)
            ]
        return out

    def service(
        self,
        service: m.Service,
        *,
        full: bool = True,
        with_organization: bool = True,
        with_service_at_locations: bool = True,
    ) -> dict:
        out = {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            **_scalars("service", service),
        }
        out["last_modified"] = json_value(service.updated_at)
        if with_organization:
            out["organization"] = self.organization(service.organization, full=full)
        if not full:
            return out
        out["phones"] = [self.phone(x) for x in _by_id(service.phones)]
        out["schedules"] = [self.schedule(x) for x in _by_id(service.schedules)]
        out["service_areas"] = [self.service_area(x) for x in _by_id(service.service_areas)]
        if with_service_at_locations:
            out["service_at_locations"] = [
                self.service_at_location(x, with_service=False)
                for x in _by_id(service.service_at_locations)
            ]
        out["languages"] = [self.language(x) for x in _by_id(service.languages)]
        out["cost_options"] = [self.cost_option(x) for x in _by_id(service.cost_options)]
        out["contacts"] = [self.contact(x) for x in _by_id(service.contacts)]
        return self._with_attributes(out, service.id)

    def service_at_location(
        self, sal: m.ServiceAtLocation, *, full: bool = True, with_service: bool = True
    ) -> dict:
        out = {
            "id": str(sal.id),
            "service_id": str(sal.service_id),
            "location_id": str(sal.location_id),
            **_scalars("service_at_location", sal),
        }
        if full:
            out["contacts"] = [self.contact(x) for x in _by_id(sal.contacts)]
            out["phones"] = [self.phone(x) for x in _by_id(sal.phones)]
            out["schedules"] = [self.schedule(x) for x in _by_id(sal.schedules)]
        out["location"] = self.location(sal.location, full=full)
        if with_service:
            out["service"] = self.service(sal.service, full=full, with_service_at_locations=False)
        if full:
            self._with_attributes(out, sal.id)
        return out


# -- prefetching: the related paths each serialisation walks


def _under(prefix: str, paths: Iterable[str]) -> list[str]:
    return [prefix] + [f"{prefix}__{p}" for p in paths]


_PHONE = ["languages"]
_CONTACT = _under("phones", _PHONE)
_LOCATION = [
    "languages",
    "addresses",
    *_under("contacts", _CONTACT),
    "accessibilities",
    *_under("phones", _PHONE),
    "schedules",
]
_SAL = [
    *_under("contacts", _CONTACT),
    *_under("phones", _PHONE),
    "schedules",
    *_under("location", _LOCATION),
]
_ORGANIZATION = [
    *_under("contacts", _CONTACT),
    *_under("phones", _PHONE),
    *_under("locations", _LOCATION),
]
_SERVICE_OWN = [
    *_under("phones", _PHONE),
    "schedules",
    "service_areas",
    "languages",
    "cost_options",
    *_under("contacts", _CONTACT),
]


def service_queryset(*, full: bool = True):
    qs = m.Service.objects.select_related("organization")
    if full:
        qs = qs.prefetch_related(
            *_SERVICE_OWN,
            *_under("service_at_locations", _SAL),
            *(f"organization__{p}" for p in _ORGANIZATION),
        )
    return qs


def organization_queryset(*, full: bool = True, services: str = "none"):
    qs = m.Organization.objects.all()
    if full:
        qs = qs.prefetch_related(*_ORGANIZATION)
    if services == "full":
        qs = qs.prefetch_related(
            *_under("services", [*_SERVICE_OWN, *_under("service_at_locations", _SAL)])
        )
    elif services == "simple":
        qs = qs.prefetch_related("services")
    return qs


def location_queryset(*, full: bool = True):
    qs = m.Location.objects.all()
    return qs.prefetch_related(*_LOCATION) if full else qs


def service_at_location_queryset(*, full: bool = True):
    qs = m.ServiceAtLocation.objects.select_related("service__organization", "location")
    if full:
        qs = qs.prefetch_related(
            *_SAL,
            *(f"service__{p}" for p in _SERVICE_OWN),
            *(f"service__organization__{p}" for p in _ORGANIZATION),
        )
    return qs


def taxonomy_term_queryset():
    return m.TaxonomyTerm.objects.select_related("taxonomy")


def _serialise(objects: Iterable, method: Callable[[HSDSWriter, object], dict]) -> list[dict]:
    writer = HSDSWriter()
    out = [method(writer, obj) for obj in objects]
    writer.finish()
    return out


def _in_order(queryset, ids: list) -> list:
    by_id = {}
    for chunk in chunked(ids):
        by_id.update({obj.pk: obj for obj in queryset.filter(pk__in=chunk)})
    return [by_id[pk] for pk in ids if pk in by_id]


def hsds_services(ids: list, *, full: bool = True) -> list[dict]:
    """HSDS service objects of these services, in the order of ``ids``."""
    return _serialise(
        _in_order(service_queryset(full=full), ids), lambda w, s: w.service(s, full=full)
    )


def hsds_organizations(ids: list, *, full: bool = True, services: str = "none") -> list[dict]:
    return _serialise(
        _in_order(organization_queryset(full=full, services=services), ids),
        lambda w, o: w.organization(o, full=full, services=services),
    )


def hsds_service_at_locations(ids: list, *, full: bool = True) -> list[dict]:
    return _serialise(
        _in_order(service_at_location_queryset(full=full), ids),
        lambda w, s: w.service_at_location(s, full=full),
    )


def hsds_locations(ids: list, *, full: bool = True) -> list[dict]:
    return _serialise(
        _in_order(location_queryset(full=full), ids), lambda w, loc: w.location(loc, full=full)
    )


def hsds_taxonomies(ids: list) -> list[dict]:
    return _serialise(_in_order(m.Taxonomy.objects.all(), ids), lambda w, t: w.taxonomy(t))


def hsds_taxonomy_terms(ids: list) -> list[dict]:
    return _serialise(_in_order(taxonomy_term_queryset(), ids), lambda w, t: w.taxonomy_term(t))


def service_to_hsds(service: m.Service, *, full: bool = True) -> dict:
    return hsds_services([service.pk], full=full)[0]


def organization_to_hsds(
    organization: m.Organization, *, full: bool = True, services: str = "none"
) -> dict:
    return hsds_organizations([organization.pk], full=full, services=services)[0]


def service_at_location_to_hsds(sal: m.ServiceAtLocation, *, full: bool = True) -> dict:
    return hsds_service_at_locations([sal.pk], full=full)[0]


def location_to_hsds(location: m.Location, *, full: bool = True) -> dict:
    return hsds_locations([location.pk], full=full)[0]


def taxonomy_to_hsds(taxonomy: m.Taxonomy) -> dict:
    return hsds_taxonomies([taxonomy.pk])[0]


def taxonomy_term_to_hsds(term: m.TaxonomyTerm) -> dict:
    return hsds_taxonomy_terms([term.pk])[0]


BATCH_SIZES = {
    "service": 100,
    "organization": 50,
    "service_at_location": 100,
    "location": 200,
    "taxonomy": 500,
    "taxonomy_term": 500,
}
_BATCHERS: dict[str, Callable[..., list[dict]]] = {
    "service": hsds_services,
    "organization": hsds_organizations,
    "service_at_location": hsds_service_at_locations,
    "location": hsds_locations,
    "taxonomy": lambda ids, **kw: hsds_taxonomies(ids),
    "taxonomy_term": lambda ids, **kw: hsds_taxonomy_terms(ids),
}


def iter_hsds(entity: str, ids: Iterable, **options) -> Iterator[dict]:
    """Stream HSDS objects of ``entity`` for ``ids`` (kept in order), in batches."""
    batch = BATCH_SIZES[entity]
    ids = list(ids)
    for start in range(0, len(ids), batch):
        yield from _BATCHERS[entity](ids[start : start + batch], **options)


def iter_hsds_services(queryset=None, *, full: bool = True) -> Iterator[dict]:
    """Every service (or those of ``queryset``) as HSDS, ordered by name then id."""
    queryset = m.Service.objects.all() if queryset is None else queryset
    ids = list(queryset.order_by("name", "id").values_list("id", flat=True))
    return iter_hsds("service", ids, full=full)


# ---------------------------------------------------------------- importing

MODELS: dict[str, type[models.Model]] = {
    "organization": m.Organization,
    "service": m.Service,
    "location": m.Location,
    "service_at_location": m.ServiceAtLocation,
    "address": m.Address,
    "contact": m.Contact,
    "phone": m.Phone,
    "schedule": m.Schedule,
    "language": m.Language,
    "accessibility": m.Accessibility,
    "cost_option": m.CostOption,
    "service_area": m.ServiceArea,
    "attribute": m.Attribute,
    "taxonomy": m.Taxonomy,
    "taxonomy_term": m.TaxonomyTerm,
}
# Nested arrays/objects per entity: HSDS key -> entity of its items.
CHILDREN: dict[str, dict[str, str]] = {
    "organization": {
        "contacts": "contact",
        "phones": "phone",
        "locations": "location",
        "services": "service",
        "attributes": "attribute",
    },
    "service": {
        "organization": "organization",
        "phones": "phone",
        "schedules": "schedule",
        "service_areas": "service_area",
        "service_at_locations": "service_at_location",
        "languages": "language",
        "cost_options": "cost_option",
        "contacts": "contact",
        "attributes": "attribute",
    },
    "service_at_location": {
        "service": "service",
        "location": "location",
        "contacts": "contact",
        "phones": "phone",
        "schedules": "schedule",
        "attributes": "attribute",
    },
    "location": {
        "languages": "language",
        "addresses": "address",
        "contacts": "contact",
        "accessibility": "accessibility",
        "phones": "phone",
        "schedules": "schedule",
        "attributes": "attribute",
    },
    "contact": {"phones": "phone", "attributes": "attribute"},
    "phone": {"languages": "language", "attributes": "attribute"},
    "attribute": {"taxonomy_term": "taxonomy_term"},
    "taxonomy_term": {"taxonomy_detail": "taxonomy"},
}
for _entity in ("schedule", "language", "address", "accessibility", "cost_option", "service_area"):
    CHILDREN[_entity] = {"attributes": "attribute"}
# Links to a container that a document may give explicitly, per entity.
LINK_IDS = {
    "service": {"organization_id", "program_id"},
    "location": {"organization_id"},
    "service_at_location": {"service_id", "location_id"},
    "contact": {"organization_id", "service_id", "service_at_location_id", "location_id"},
    "phone": {
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
    },
    "schedule": {"service_id", "location_id", "service_at_location_id"},
    "language": {"service_id", "location_id", "phone_id"},
    "address": {"location_id"},
    "accessibility": {"location_id"},
    "cost_option": {"service_id"},
    "service_area": {"service_id"},
    "attribute": {"link_id", "link_entity", "taxonomy_term_id"},
    "organization": {"parent_organization_id"},
    "taxonomy_term": {"parent_id", "taxonomy_id"},
}
# Children whose rows belong to several kinds of parent (unlinked, deleted when orphaned),
# and the foreign keys that make up their parents.
SHARED_PARENTS = {
    "phone": (
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
    ),
    "contact": ("organization_id", "service_id", "service_at_location_id", "location_id"),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
    "language": ("service_id", "location_id", "phone_id"),
}
# HSDS array -> reverse relation name, where they differ.
RELATED_NAME = {"accessibility": "accessibilities"}


def detect_kind(obj: dict) -> str | None:
    """Which HSDS object this is, from the keys only its kind has."""
    if "status" in obj:
        return "service"
    if "name" not in obj and ({"service", "service_id", "location", "location_id"} & set(obj)):
        return "service_at_location"
    if "location_type" in obj:
        return "location"
    if {"taxonomy_detail", "taxonomy_id", "parent_id", "term_uri", "code"} & set(obj):
        return "taxonomy_term"
    organization_keys = {
        "website",
        "email",
        "legal_status",
        "year_incorporated",
        "tax_status",
        "tax_id",
        "logo",
        "services",
        "locations",
        "contacts",
        "phones",
        "parent_organization_id",
        "funding",
        "programs",
        "organization_identifiers",
        "alternate_name",
    }
    if "version" in obj and not organization_keys & set(obj):
        return "taxonomy"
    if "name" in obj:
        return "organization"
    return None


def top_level_items(document: object, kind: str | None = None) -> list[tuple[str, str, dict]]:
    """(path, kind, object) of every object of a document: one object, a list, or an HSDS page
    object with ``contents``. Raises HSDSError for anything else."""
    if isinstance(document, list):
        items = [(f"$[{i}]", obj) for i, obj in enumerate(document)]
    elif isinstance(document, dict) and isinstance(document.get("contents"), list):
        items = [(f"$.contents[{i}]", obj) for i, obj in enumerate(document["contents"])]
    elif isinstance(document, dict):
        items = [("$", document)]
    else:
        raise HSDSError(
            [("$", "expected an HSDS object, a list of objects or a page object with 'contents'")]
        )
    out, errors = [], []
    for path, obj in items:
        if not isinstance(obj, dict):
            errors.append((path, f"expected an object, found {type(obj).__name__}"))
            continue
        item_kind = kind or detect_kind(obj)
        if item_kind is None:
            errors.append(
                (
                    path,
                    "cannot tell which HSDS object this is (service needs "
                    "'status', organization 'name', service_at_location "
                    "'service'/'location'); give the type explicitly",
                )
            )
            continue
        out.append((path, item_kind, obj))
    if errors:
        raise HSDSError(errors[:MAX_ERRORS])
    return out


def _is_reference(obj: dict) -> bool:
    """An object that only names an id (e.g. an organization's "simple" service list)."""
    return set(obj) <= {"id"}


def _walk(obj: dict, entity: str, path: str) -> Iterator[tuple[str, str, dict]]:
    """Every (path, entity, object) inside ``obj``, itself included."""
    yield path, entity, obj
    for key, child_entity in CHILDREN.get(entity, {}).items():
        value = obj.get(key)
        if isinstance(value, dict):
            yield from _walk(value, child_entity, f"{path}.{key}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _walk(item, child_entity, f"{path}.{key}[{i}]")


def validate_document(items: list[tuple[str, str, dict]]) -> None:
    """Schema-check every top-level object, plus the nested services the schemas do not
    cover (an organization's ``services``, a service_at_location's ``service``). Ids need not
    be UUIDs on import, so formats are not checked here (our field validation checks e-mail
    addresses and URLs)."""
    errors: list[tuple[str, str]] = []
    for path, kind, obj in items:
        errors += hsds_errors(obj, kind, check_formats=False, path=path)
        for sub_path, entity, sub in _walk(obj, kind, path):
            if sub is not obj and entity == "service" and not _is_reference(sub):
                errors += hsds_errors(sub, "service", check_formats=False, path=sub_path)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise HSDSError(sorted(set(errors), key=errors.index)[:MAX_ERRORS])


def _once(method: Callable) -> Callable:
    """Skip importing an object again when it comes back in the same run with the same
    content and context as the last time (documents repeat organizations, locations and
    taxonomy terms in every service)."""

    @functools.wraps(method)
    def wrapper(self, data: dict, path: str, *context):
        key = (method.__name__, str(data.get("id")), context)
        digest = json.dumps(data, sort_keys=True, default=str)
        last = self.done.get(key)
        if last is not None and last[0] == digest:
            return last[1]
        pk = method(self, data, path, *context)
        self.done[key] = (digest, pk)
        return pk

    return wrapper


class _Importer:
    """One import run. Creates/updates as it walks the document; see the module docstring."""

    def __init__(self) -> None:
        self.report = Report()
        self.state: dict[tuple[str, uuid.UUID], str] = {}
        self.pk_cache: dict[tuple[str, str], uuid.UUID] = {}
        self.index: dict[tuple[str, str], tuple[str, dict]] = {}
        self.importing: set[tuple[str, str]] = set()
        self.deferred: list[tuple[str, uuid.UUID, str, str, str, str]] = []
        self.touched: dict[str, set[uuid.UUID]] = defaultdict(set)
        self.deleted: Counter = Counter()
        self.dropped: Counter = Counter()
        self.notes: list[str] = []
        self.path = "$"
        self.done: dict[tuple, tuple[str, uuid.UUID]] = {}

    # -- identity

    def pk_for(self, entity: str, raw_id: object) -> uuid.UUID:
        raw = str(raw_id)
        key = (entity, raw)
        if key in self.pk_cache:
            return self.pk_cache[key]
        model = MODELS[entity]
        try:
            pk: uuid.UUID | None = uuid.UUID(raw)
        except ValueError:
            pk = None
        if issubclass(model, m.Sourced) and (
            pk is None or not model.objects.filter(pk=pk).exists()
        ):
            existing = (
                model.objects.filter(source=SOURCE, source_id=raw)
                .values_list("pk", flat=True)
                .first()
            )
            pk = existing or pk
        if pk is None:
            pk = uuid.uuid5(ID_NAMESPACE, f"{entity}:{raw}")
        self.pk_cache[key] = pk
        return pk

    def resolve(self, entity: str, raw_id: object, path: str) -> uuid.UUID | None:
        """The pk of a referenced object: imported in this run, in the database, or
        elsewhere in the document (imported now). None when unknown."""
        raw = str(raw_id)
        pk = self.pk_for(entity, raw)
        if (entity, pk) in self.state or MODELS[entity].objects.filter(pk=pk).exists():
            return pk
        found = self.index.get((entity, raw))
        if found and (entity, raw) not in self.importing:
            found_path, obj = found
            return self.import_entity(entity, obj, found_path)
        return None

    def require(self, entity: str, raw_id: object, path: str) -> uuid.UUID:
        pk = self.resolve(entity, raw_id, path)
        if pk is None:
            raise HSDSError(
                [
                    (
                        path,
                        f"unknown {entity} '{raw_id}': it is neither in this "
                        "document nor in the database",
                    )
                ]
            )
        return pk

    # -- field conversion

    def convert(self, field: models.Field, raw: object, path: str) -> object:
        if raw is None or raw == "":
            if field.null:
                return None
            if field.has_default():
                return field.get_default()
            return "" if isinstance(field, models.CharField | models.TextField) else None
        try:
            if isinstance(field, models.DateField):
                if not isinstance(raw, str):
                    raise ValueError
                value: object = date.fromisoformat(raw)
            elif isinstance(field, models.TimeField):
                if not isinstance(raw, str):
                    raise ValueError
                value = time.fromisoformat(raw)
                if value.tzinfo is not None:
                    raise HSDSError(
                        [
                            (
                                path,
                                "times are local (Europe/Amsterdam); a time "
                                "with a UTC offset is not supported",
                            )
                        ]
                    )
            elif isinstance(field, models.IntegerField):
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    raise ValueError
                if isinstance(raw, float) and not raw.is_integer():
                    raise HSDSError([(path, f"{raw} is not a whole number")])
                value = int(raw)
            elif isinstance(field, models.FloatField):
                if isinstance(raw, bool) or not isinstance(raw, int | float):
                    raise ValueError
                value = float(raw)
                if not math.isfinite(value):
                    raise ValueError
            elif isinstance(field, models.DecimalField):
                if isinstance(raw, bool) or not isinstance(raw, int | float | str):
                    raise ValueError
                value = Decimal(str(raw))
                if not value.is_finite():
                    raise ValueError
            else:
                if not isinstance(raw, str):
                    raise ValueError
                if "\x00" in raw:
                    raise HSDSError([(path, "contains a NUL character")])
                value = raw
        except HSDSError:
            raise
        except (ValueError, InvalidOperation) as exc:
            kind = {
                models.DateField: "a date (YYYY-MM-DD)",
                models.TimeField: "a time (HH:MM:SS)",
                models.IntegerField: "a whole number",
                models.FloatField: "a number",
                models.DecimalField: "a number",
            }
            expected = next((v for k, v in kind.items() if isinstance(field, k)), "a string")
            raise HSDSError([(path, f"{raw!r} is not {expected}")]) from exc
        if field.choices and value not in {c[0] for c in field.flatchoices}:
            allowed = ", ".join(str(c[0]) for c in field.flatchoices)
            raise HSDSError([(path, f"{value!r} is not one of {allowed}")])
        try:
            field.run_validators(value)
        except ValidationError as exc:
            raise HSDSError([(path, " ".join(str(x) for x in exc.messages))]) from exc
        return value

    def read(self, entity: str, data: dict, path: str) -> dict:
        """Our field values (by attname) from an HSDS object; absent fields become empty."""
        model = MODELS[entity]
        values = {}
        for hsds_name, attname in FIELDS[entity]:
            values[attname] = self.convert(
                model._meta.get_field(attname), data.get(hsds_name), f"{path}.{hsds_name}"
            )
        known = (
            {"id"}
            | {h for h, _ in FIELDS[entity]}
            | set(CHILDREN.get(entity, {}))
            | LINK_IDS.get(entity, set())
        )
        for key in data:
            if key != "last_modified" and (
                key not in known or key in NOT_STORED.get(entity, set())
            ):
                self.dropped[f"{entity}.{key}"] += 1
        return values

    # -- writing

    def upsert(
        self,
        entity: str,
        raw_id: object,
        values: dict,
        path: str,
        create_defaults: dict | None = None,
    ) -> models.Model:
        model = MODELS[entity]
        pk = self.pk_for(entity, raw_id)
        key = (entity, pk)
        self.path = path
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            obj = model(pk=pk, **values, **(create_defaults or {}))
            if isinstance(obj, m.Sourced):
                obj.source = SOURCE
                obj.source_id = str(raw_id)[:200]
            obj.save(force_insert=True)
            self.state[key] = "created"
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, values[k])
                obj.save()
                if self.state.get(key) != "created":
                    self.state[key] = "updated"
            else:
                self.state.setdefault(key, "unchanged")
        self.touched[entity].add(pk)
        return obj

    def mark_updated(self, entity: str, pk: uuid.UUID) -> None:
        key = (entity, pk)
        if self.state.get(key) != "created":
            self.state[key] = "updated"

    def sync(
        self,
        entity: str,
        attname: str,
        parent_pk: uuid.UUID,
        keep: set[uuid.UUID],
    ) -> None:
        """Unlink (or delete) the ``entity`` children of a parent that a present array no
        longer lists."""
        model = MODELS[entity]
        stale = model.objects.filter(**{attname: parent_pk}).exclude(pk__in=keep)
        shared = SHARED_PARENTS.get(entity)
        for obj in stale:
            if shared and any(getattr(obj, fk) for fk in shared if fk != attname):
                setattr(obj, attname, None)
                obj.save(update_fields=[attname.removesuffix("_id")])
                self.mark_updated(entity, obj.pk)
            else:
                self.detach_shared(entity, obj.pk)
                obj.delete()
                self.deleted[entity] += 1

    def detach_shared(self, entity: str, pk: uuid.UUID) -> None:
        """Before deleting a row, unlink the shared children that also belong elsewhere
        (a phone of a deleted contact that is also the service's phone stays)."""
        fk = f"{entity}_id"
        for child_entity, fks in SHARED_PARENTS.items():
            if fk not in fks:
                continue
            others = Q()
            for other in fks:
                if other != fk:
                    others |= Q(**{f"{other}__isnull": False})
            MODELS[child_entity].objects.filter(others, **{fk: pk}).update(**{fk: None})

    def children(
        self,
        entity: str,
        data: dict,
        path: str,
        key: str,
        importer: Callable[[dict, str], uuid.UUID],
        attname: str | None,
        parent_pk: uuid.UUID,
    ) -> None:
        """Import the array ``data[key]``; when present it is the complete list."""
        items = data.get(key)
        if items is None:
            return
        child_entity = CHILDREN[entity][key]
        keep = set()
        for i, item in enumerate(items):
            keep.add(importer(item, f"{path}.{key}[{i}]"))
        if attname:
            self.sync(child_entity, attname, parent_pk, keep)

    def attributes(self, entity: str, data: dict, path: str, pk: uuid.UUID) -> None:
        items = data.get("attributes")
        if items is None:
            return
        keep = {
            self.import_attribute(item, f"{path}.attributes[{i}]", entity, pk)
            for i, item in enumerate(items)
        }
        _, deleted = m.Attribute.objects.filter(link_id=pk).exclude(pk__in=keep).delete()
        self.deleted["attribute"] += deleted.get("directory.Attribute", 0)

    # -- entities

    def import_entity(self, entity: str, data: dict, path: str) -> uuid.UUID:
        method = getattr(self, f"import_{entity}")
        return method(data, path)

    @_once
    def import_organization(self, data: dict, path: str) -> uuid.UUID:
        raw = str(data["id"])
        self.importing.add(("organization", raw))
        values = self.read("organization", data, path)
        parent = data.get("parent_organization_id")
        if not parent:
            values["parent_organization_id"] = None
        org = self.upsert("organization", raw, values, path)
        if parent:
            self.deferred.append(
                (
                    "organization",
                    org.pk,
                    "parent_organization_id",
                    "organization",
                    str(parent),
                    f"{path}.parent_organization_id",
                )
            )
        link = {"organization_id": org.pk}
        self.children(
            "organization",
            data,
            path,
            "contacts",
            lambda d, p: self.import_contact(d, p, link),
            "organization_id",
            org.pk,
        )
        self.children(
            "organization",
            data,
            path,
            "phones",
            lambda d, p: self.import_phone(d, p, link),
            "organization_id",
            org.pk,
        )
        self.children(
            "organization",
            data,
            path,
            "locations",
            lambda d, p: self.import_location(d, p, org.pk),
            None,
            org.pk,
        )
        for i, service in enumerate(data.get("services") or []):
            if not _is_reference(service):
                self.import_service(service, f"{path}.services[{i}]", org.pk)
        self.attributes("organization", data, path, org.pk)
        self.importing.discard(("organization", raw))
        return org.pk

    def import_service(
        self,
        data: dict,
        path: str,
        organization_pk: uuid.UUID | None = None,
    ) -> uuid.UUID:
        raw = str(data["id"])
        self.importing.add(("service", raw))
        if isinstance(data.get("organization"), dict):
            organization_pk = self.import_organization(data["organization"], f"{path}.organization")
        elif organization_pk is None and data.get("organization_id"):
            organization_pk = self.require(
                "organization", data["organization_id"], f"{path}.organization_id"
            )
        pk = self.pk_for("service", raw)
        if organization_pk is None:
            existing = (
                m.Service.objects.filter(pk=pk).values_list("organization_id", flat=True).first()
            )
            if existing is None:
                raise HSDSError(
                    [
                        (
                            path,
                            "a service needs its organization: nest it in an "
                            "organization's 'services', or give 'organization' "
                            "or 'organization_id'",
                        )
                    ]
                )
            organization_pk = existing
        values = self.read("service", data, path)
        values["organization_id"] = organization_pk
        service = self.upsert("service", raw, values, path)
        link = {"service_id": service.pk}
        for key, importer in (
            ("phones", self.import_phone),
            ("schedules", self.import_schedule),
            ("languages", self.import_language),
            ("contacts", self.import_contact),
        ):
            self.children(
                "service",
                data,
                path,
                key,
                lambda d, p, f=importer: f(d, p, link),
                "service_id",
                service.pk,
            )
        self.children(
            "service",
            data,
            path,
            "service_areas",
            lambda d, p: self.import_service_area(d, p, service.pk),
            "service_id",
            service.pk,
        )
        self.children(
            "service",
            data,
            path,
            "cost_options",
            lambda d, p: self.import_cost_option(d, p, service.pk),
            "service_id",
            service.pk,
        )
        self.children(
            "service",
            data,
            path,
            "service_at_locations",
            lambda d, p: self.import_service_at_location(d, p, service.pk),
            "service_id",
            service.pk,
        )
        self.attributes("service", data, path, service.pk)
        self.importing.discard(("service", raw))
        return service.pk

    def import_service_at_location(
        self, data: dict, path: str, service_pk: uuid.UUID | None = None
    ) -> uuid.UUID:
        raw = str(data["id"])
        pk = self.pk_for("service_at_location", raw)
        existing = m.ServiceAtLocation.objects.filter(pk=pk).first()
        if isinstance(data.get("service"), dict):
            service_pk = self.import_service(data["service"], f"{path}.service")
        elif service_pk is None and data.get("service_id"):
            service_pk = self.require("service", data["service_id"], f"{path}.service_id")
        elif service_pk is None and existing:
            service_pk = existing.service_id
        if isinstance(data.get("location"), dict):
            location_pk = self.import_location(data["location"], f"{path}.location")
        elif data.get("location_id"):
            location_pk = self.require("location", data["location_id"], f"{path}.location_id")
        elif existing:
            location_pk = existing.location_id
        else:
            location_pk = None
        if service_pk is None or location_pk is None:
            missing = "service" if service_pk is None else "location"
            raise HSDSError(
                [
                    (
                        path,
                        f"a service_at_location needs its {missing}: give "
                        f"'{missing}' or '{missing}_id'",
                    )
                ]
            )
        other = (
            m.ServiceAtLocation.objects.filter(service_id=service_pk, location_id=location_pk)
            .exclude(pk=pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other:
            raise HSDSError(
                [
                    (
                        path,
                        f"this service is already linked to this location by "
                        f"service_at_location {other}",
                    )
                ]
            )
        values = self.read("service_at_location", data, path)
        values.update(service_id=service_pk, location_id=location_pk)
        sal = self.upsert("service_at_location", raw, values, path)
        link = {"service_at_location_id": sal.pk}
        for key, importer in (
            ("contacts", self.import_contact),
            ("phones", self.import_phone),
            ("schedules", self.import_schedule),
        ):
            self.children(
                "service_at_location",
                data,
                path,
                key,
                lambda d, p, f=importer: f(d, p, link),
                "service_at_location_id",
                sal.pk,
            )
        self.attributes("service_at_location", data, path, sal.pk)
        return sal.pk

    @_once
    def import_location(
        self, data: dict, path: str, organization_pk: uuid.UUID | None = None
    ) -> uuid.UUID:
        raw = str(data["id"])
        values = self.read("location", data, path)
        if organization_pk is None and data.get("organization_id"):
            organization_pk = self.resolve(
                "organization", data["organization_id"], f"{path}.organization_id"
            )
            if organization_pk is None:
                self.notes.append(
                    f"{path}.organization_id: organization "
                    f"'{data['organization_id']}' is not in this document or "
                    "the database; the link is left out"
                )
        if organization_pk is not None:
            values["organization_id"] = organization_pk
        if (
            values.get("latitude") is not None
            and values.get("longitude") is not None
            and not (valid_wgs84(values["latitude"], values["longitude"]))
        ):
            self.notes.append(
                f"{path}: coordinates ({values['latitude']}, "
                f"{values['longitude']}) are outside WGS84; kept, but not used "
                "to find the neighbourhood"
            )
        location = self.upsert("location", raw, values, path)
        link = {"location_id": location.pk}
        for key, importer in (
            ("languages", self.import_language),
            ("contacts", self.import_contact),
            ("phones", self.import_phone),
            ("schedules", self.import_schedule),
        ):
            self.children(
                "location",
                data,
                path,
                key,
                lambda d, p, f=importer: f(d, p, link),
                "location_id",
                location.pk,
            )
        self.children(
            "location",
            data,
            path,
            "addresses",
            lambda d, p: self.import_address(d, p, location.pk),
            "location_id",
            location.pk,
        )
        self.children(
            "location",
            data,
            path,
            "accessibility",
            lambda d, p: self.import_accessibility(d, p, location.pk),
            "location_id",
            location.pk,
        )
        self.attributes("location", data, path, location.pk)
        return location.pk

    def _detail(self, entity: str, data: dict, path: str, links: dict) -> models.Model:
        values = self.read(entity, data, path)
        values.update(links)
        for link_id in sorted(LINK_IDS.get(entity, set()) - set(links)):
            if data.get(link_id) and link_id in {f.attname for f in MODELS[entity]._meta.fields}:
                target_pk = self.resolve(
                    link_id.removesuffix("_id"), data[link_id], f"{path}.{link_id}"
                )
                if target_pk is None:
                    self.notes.append(
                        f"{path}.{link_id}: '{data[link_id]}' is not in this "
                        "document or the database; the link is left out"
                    )
                else:
                    values[link_id] = target_pk
        return self.upsert(entity, data["id"], values, path)

    def import_contact(self, data: dict, path: str, links: dict) -> uuid.UUID:
        contact = self._detail("contact", data, path, links)
        self.children(
            "contact",
            data,
            path,
            "phones",
            lambda d, p: self.import_phone(d, p, {"contact_id": contact.pk}),
            "contact_id",
            contact.pk,
        )
        self.attributes("contact", data, path, contact.pk)
        return contact.pk

    def import_phone(self, data: dict, path: str, links: dict) -> uuid.UUID:
        phone = self._detail("phone", data, path, links)
        self.children(
            "phone",
            data,
            path,
            "languages",
            lambda d, p: self.import_language(d, p, {"phone_id": phone.pk}),
            "phone_id",
            phone.pk,
        )
        self.attributes("phone", data, path, phone.pk)
        return phone.pk

    def _leaf(self, entity: str, data: dict, path: str, links: dict) -> uuid.UUID:
        obj = self._detail(entity, data, path, links)
        self.attributes(entity, data, path, obj.pk)
        return obj.pk

    def import_schedule(self, data: dict, path: str, links: dict) -> uuid.UUID:
        return self._leaf("schedule", data, path, links)

    def import_language(self, data: dict, path: str, links: dict) -> uuid.UUID:
        return self._leaf("language", data, path, links)

    def import_address(self, data: dict, path: str, location_pk: uuid.UUID) -> uuid.UUID:
        return self._leaf("address", data, path, {"location_id": location_pk})

    def import_accessibility(self, data: dict, path: str, location_pk: uuid.UUID) -> uuid.UUID:
        return self._leaf("accessibility", data, path, {"location_id": location_pk})

    def import_cost_option(self, data: dict, path: str, service_pk: uuid.UUID) -> uuid.UUID:
        return self._leaf("cost_option", data, path, {"service_id": service_pk})

    def import_service_area(self, data: dict, path: str, service_pk: uuid.UUID) -> uuid.UUID:
        return self._leaf("service_area", data, path, {"service_id": service_pk})

    def import_attribute(
        self, data: dict, path: str, link_entity: str, link_pk: uuid.UUID
    ) -> uuid.UUID:
        if isinstance(data.get("taxonomy_term"), dict):
            term_pk = self.import_taxonomy_term(data["taxonomy_term"], f"{path}.taxonomy_term")
        elif data.get("taxonomy_term_id"):
            term_pk = self.require(
                "taxonomy_term", data["taxonomy_term_id"], f"{path}.taxonomy_term_id"
            )
        else:
            raise HSDSError([(path, "an attribute needs 'taxonomy_term' or 'taxonomy_term_id'")])
        pk = self.pk_for("attribute", data["id"])
        other = (
            m.Attribute.objects.filter(
                link_entity=link_entity, link_id=link_pk, taxonomy_term_id=term_pk
            )
            .exclude(pk=pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other:
            raise HSDSError(
                [(path, f"this {link_entity} already has this taxonomy term (attribute {other})")]
            )
        values = self.read("attribute", data, path)
        values.update(link_entity=link_entity, link_id=link_pk, taxonomy_term_id=term_pk)
        return self.upsert("attribute", data["id"], values, path).pk

    @_once
    def import_taxonomy(self, data: dict, path: str) -> uuid.UUID:
        pk = self.pk_for("taxonomy", data["id"])
        code = ""
        if not m.Taxonomy.objects.filter(pk=pk).exists():
            base = slugify(str(data.get("name") or ""))[:40] or "hsds"
            code = base
            if m.Taxonomy.objects.filter(code=code).exists():
                code = f"{base}-{pk.hex[:8]}"
        values = self.read("taxonomy", data, path)
        return self.upsert(
            "taxonomy", data["id"], values, path, create_defaults={"code": code} if code else None
        ).pk

    def _taxonomy_for_term(self, data: dict, path: str, existing) -> uuid.UUID:
        if isinstance(data.get("taxonomy_detail"), dict):
            return self.import_taxonomy(data["taxonomy_detail"], f"{path}.taxonomy_detail")
        if data.get("taxonomy_id"):
            return self.require("taxonomy", data["taxonomy_id"], f"{path}.taxonomy_id")
        if existing is not None:
            return existing.taxonomy_id
        text = str(data.get("taxonomy") or "").strip()
        if text:
            found = (
                m.Taxonomy.objects.filter(Q(name=text) | Q(uri=text) | Q(code=text))
                .values_list("pk", flat=True)
                .first()
            )
            if found:
                return found
            return self.import_taxonomy(
                {
                    "id": f"taxonomy:{text}",
                    "name": text[:200],
                    "description": "",
                    **({"uri": text} if _is_uri(text) else {}),
                },
                f"{path}.taxonomy",
            )
        return self.import_taxonomy(
            {
                "id": "default",
                "name": "HSDS-import",
                "description": "Terms imported from HSDS documents that named no taxonomy",
            },
            f"{path}.taxonomy",
        )

    @_once
    def import_taxonomy_term(self, data: dict, path: str) -> uuid.UUID:
        raw = str(data["id"])
        pk = self.pk_for("taxonomy_term", raw)
        existing = m.TaxonomyTerm.objects.filter(pk=pk).first()
        taxonomy_pk = self._taxonomy_for_term(data, path, existing)
        values = self.read("taxonomy_term", data, path)
        values["taxonomy_id"] = taxonomy_pk
        if not values["code"]:
            values["code"] = existing.code if existing else raw[:100]
        other = (
            m.TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_pk, code=values["code"])
            .exclude(pk=pk)
            .values_list("pk", flat=True)
            .first()
        )
        if other:
            raise HSDSError(
                [
                    (
                        f"{path}.code",
                        f"code {values['code']!r} is already used by term {other} in this taxonomy",
                    )
                ]
            )
        parent = data.get("parent_id")
        if not parent:
            values["parent_id"] = None
        term = self.upsert("taxonomy_term", raw, values, path)
        if parent:
            self.deferred.append(
                (
                    "taxonomy_term",
                    term.pk,
                    "parent_id",
                    "taxonomy_term",
                    str(parent),
                    f"{path}.parent_id",
                )
            )
        self.touched["taxonomy"].add(taxonomy_pk)
        return term.pk

    # -- the run

    def run(self, items: list[tuple[str, str, dict]]) -> None:
        for path, kind, obj in items:
            for sub_path, entity, sub in _walk(obj, kind, path):
                if (
                    entity in {"organization", "service", "location", "taxonomy", "taxonomy_term"}
                    and "id" in sub
                    and not _is_reference(sub)
                ):
                    self.index.setdefault((entity, str(sub["id"])), (sub_path, sub))
        for path, kind, obj in items:
            self.import_entity(kind, obj, path)
        self.resolve_deferred()
        self.refresh_term_paths()
        self.tally()

    def resolve_deferred(self) -> None:
        for entity, pk, attname, target, raw, path in self.deferred:
            model = MODELS[entity]
            target_pk = self.resolve(target, raw, path)
            if target_pk == pk:
                raise HSDSError([(path, f"a {entity} cannot be its own parent")])
            if target_pk is None:
                self.notes.append(
                    f"{path}: {target} '{raw}' is not in this document or the "
                    "database; the link is left out"
                )
            obj = model.objects.get(pk=pk)
            if getattr(obj, attname) != target_pk:
                setattr(obj, attname, target_pk)
                obj.save()
                self.mark_updated(entity, pk)

    def refresh_term_paths(self) -> None:
        """Recompute the materialised ``path`` of the terms of touched taxonomies (parents
        may have been linked after their children were saved)."""
        for taxonomy_pk in self.touched["taxonomy"]:
            terms = list(m.TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_pk))
            by_id = {t.pk: t for t in terms}
            changed = []
            for term in terms:
                wanted = _term_path(term, by_id)
                if term.path != wanted:
                    term.path = wanted
                    changed.append(term)
            m.TaxonomyTerm.objects.bulk_update(changed, ["path"], batch_size=500)

    def tally(self) -> None:
        for (entity, _pk), state in self.state.items():
            tally = self.report.tally(entity)
            setattr(tally, state, getattr(tally, state) + 1)
        for entity, count in self.deleted.items():
            self.report.tally(entity).deleted += count
        for note in self.notes:
            self.report.note(note)
        if self.dropped:
            self.report.note(
                "not stored: "
                + ", ".join(f"{key} ({count})" for key, count in sorted(self.dropped.items()))
            )


def _term_path(term: m.TaxonomyTerm, by_id: dict) -> str:
    """``/root/.../code/`` of a term from its ancestors (a cycle stops the walk)."""
    codes, seen, current = [], set(), term
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        codes.append(current.code)
        current = by_id.get(current.parent_id)
    return "/" + "".join(f"{code}/" for code in reversed(codes))


class _AreaLocator:
    """Point-in-polygon on the neighbourhood (and municipality) boundaries we have."""

    def __init__(self) -> None:
        from shapely import STRtree
        from shapely.geometry import shape

        from socialebasis.areas.models import Municipality, Neighbourhood

        self.areas: list = []
        shapes = []
        for model in (Neighbourhood, Municipality):
            for area in model.objects.filter(geometry__isnull=False).only(
                "id", "geometry", *(["municipality_id"] if model is Neighbourhood else [])
            ):
                try:
                    geometry = shape(area.geometry)
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue
                shapes.append(geometry)
                self.areas.append(area)
        self.tree = STRtree(shapes) if shapes else None
        self.shapes = shapes

    def find(self, lat: float, lon: float):
        """(neighbourhood or None, municipality id or None) at the point."""
        from shapely.geometry import Point

        from socialebasis.areas.models import Neighbourhood

        if self.tree is None:
            return None, None
        point = Point(lon, lat)
        hood, municipality_id = None, None
        for i in sorted(int(i) for i in self.tree.query(point)):
            if not self.shapes[i].covers(point):
                continue
            area = self.areas[i]
            if isinstance(area, Neighbourhood):
                hood = hood or area
                municipality_id = municipality_id or area.municipality_id
            else:
                municipality_id = municipality_id or area.pk
        return hood, municipality_id


def _assign_areas(importer: _Importer) -> None:
    """Extension fields after an import: neighbourhood and municipality of new or unplaced
    locations, municipality of services and organizations without one."""
    from socialebasis.areas.models import Municipality

    location_ids = list(importer.touched["location"])
    locator = None
    for chunk in chunked(location_ids):
        for location in (
            m.Location.objects.filter(pk__in=chunk)
            .filter(Q(municipality__isnull=True) | Q(neighbourhood__isnull=True))
            .prefetch_related("addresses")
        ):
            fields = []
            if (
                location.latitude is not None
                and location.longitude is not None
                and valid_wgs84(location.latitude, location.longitude)
            ):
                locator = locator or _AreaLocator()
                hood, municipality_id = locator.find(location.latitude, location.longitude)
                if hood and location.neighbourhood_id is None:
                    location.neighbourhood = hood
                    fields.append("neighbourhood")
                if municipality_id and location.municipality_id is None:
                    location.municipality_id = municipality_id
                    fields.append("municipality")
            if location.municipality_id is None:
                cities = {a.city.strip() for a in location.addresses.all() if a.city.strip()}
                for city in sorted(cities):
                    found = Municipality.objects.filter(name__iexact=city).first()
                    if found:
                        location.municipality = found
                        fields.append("municipality")
                        break
            if fields:
                location.save(update_fields=fields)
    for chunk in chunked(list(importer.touched["service"])):
        for service in m.Service.objects.filter(
            pk__in=chunk, municipality__isnull=True
        ).select_related("organization"):
            municipality_id = (
                m.Location.objects.filter(
                    service_at_locations__service=service, municipality__isnull=False
                )
                .order_by("id")
                .values_list("municipality_id", flat=True)
                .first()
                or service.organization.municipality_id
            )
            if municipality_id:
                service.municipality_id = municipality_id
                service.save(update_fields=["municipality"])
    for chunk in chunked(list(importer.touched["organization"])):
        for organization in m.Organization.objects.filter(pk__in=chunk, municipality__isnull=True):
            municipality_id = (
                m.Location.objects.filter(organization=organization, municipality__isnull=False)
                .order_by("id")
                .values_list("municipality_id", flat=True)
                .first()
            )
            if municipality_id:
                organization.municipality_id = municipality_id
                organization.save(update_fields=["municipality"])


def _affected_services(importer: _Importer) -> set[uuid.UUID]:
    ids = set(importer.touched["service"])
    for chunk in chunked(list(importer.touched["organization"])):
        ids |= set(m.Service.objects.filter(organization_id__in=chunk).values_list("id", flat=True))
    for chunk in chunked(list(importer.touched["location"])):
        ids |= set(
            m.ServiceAtLocation.objects.filter(location_id__in=chunk).values_list(
                "service_id", flat=True
            )
        )
    return ids


def import_hsds(
    document: object, *, kind: str | None = None, reindex: bool = True, dry_run: bool = False
) -> Report:
    """Import an HSDS 3.0 document (see the module docstring); all or nothing.

    ``kind`` forces the type of the top-level objects (one of ``KINDS``); by default it is
    detected per object. Returns the report of what changed (a dry run rolls back but
    reports the same). Raises ``HSDSError`` with the path and reason of each problem.
    """
    if kind is not None and kind not in KINDS:
        raise HSDSError([("$", f"unknown object type {kind!r}; one of {', '.join(KINDS)}")])
    items = top_level_items(document, kind)
    validate_document(items)
    importer = _Importer()
    try:
        with transaction.atomic():
            importer.run(items)
            _assign_areas(importer)
            if reindex and importer.report.changed:
                from socialebasis.directory.search_index import reindex_services

                reindex_services(_affected_services(importer))
            if dry_run:
                transaction.set_rollback(True)
    except (IntegrityError, DataError) as exc:
        raise HSDSError([(importer.path, f"the database refused this object ({exc})")]) from exc
    return importer.report
