"""Loading the objects of one page of search hits in two plain SQL queries.

A results page shows, per hit, the service (name, description), its organisation (name, kind),
its municipality (for a service without a location), the location (name, coordinates) and its
addresses. With ``select_related`` over five tables Django spent a quarter of the search's
time budget building queries and instances (docs/performance.md, "Second follow-up"); here
the same model instances are made with ``Model.from_db`` from one join and one address
query. Fields not loaded are deferred, so any other field still loads on access (one query),
never a wrong value.
"""

import uuid
from functools import cache

from django.db import connection

from socialebasis.areas.models import Municipality
from socialebasis.directory.models import (
    Address,
    Location,
    Organization,
    SearchEntry,
    Service,
    ServiceAtLocation,
)

# (model, alias, fields loaded); the FK columns link the instances together.
_PARTS = (
    (Service, "s", ("id", "name", "description", "organization_id", "municipality_id")),
    (Organization, "o", ("id", "name", "kind")),
    (Municipality, "m", ("id", "code", "name")),
    (Location, "l", ("id", "name", "latitude", "longitude")),
)


def load(entry_ids: list[int]) -> dict[int, tuple]:
    """{entry id: (service, location or None, service at location or None)} for the given
    search-entry ids; ids no longer in the index are left out."""
    if not entry_ids:
        return {}
    columns = ", ".join(
        f"{alias}.{model._meta.get_field(name).column}"
        for model, alias, names in _PARTS
        for name in names
    )
    marks = ", ".join(["%s"] * len(entry_ids))
    sql = (
        f"SELECT e.id, e.service_at_location_id, {columns} "  # noqa: S608 - names from _meta
        f"FROM {SearchEntry._meta.db_table} e "
        f"JOIN {Service._meta.db_table} s ON s.id = e.service_id "
        f"JOIN {Organization._meta.db_table} o ON o.id = s.organization_id "
        f"LEFT JOIN {Municipality._meta.db_table} m ON m.id = s.municipality_id "
        f"LEFT JOIN {Location._meta.db_table} l ON l.id = e.location_id "
        f"WHERE e.id IN ({marks})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, entry_ids)
        rows = cursor.fetchall()
    found: dict[int, tuple] = {}
    for row in rows:
        entry_id, sal_id, values = row[0], row[1], row[2:]
        objects = []
        for model, _alias, names in _PARTS:
            part, values = values[: len(names)], values[len(names) :]
            objects.append(_instance(model, names, part) if part[0] is not None else None)
        service, organization, municipality, location = objects
        service.organization = organization
        if municipality is not None:
            service.municipality = municipality
        sal = _instance(ServiceAtLocation, ("id",), (sal_id,)) if sal_id else None
        found[entry_id] = (service, location, sal)
    _attach_addresses([loc for _s, loc, _sal in found.values() if loc is not None])
    return found


def _attach_addresses(locations: list[Location]) -> None:
    """Fill each location's ``addresses.all()`` as ``prefetch_related`` would."""
    if not locations:
        return
    names = tuple(f.attname for f in Address._meta.concrete_fields)
    columns = ", ".join(Address._meta.get_field(n).column for n in names)
    marks = ", ".join(["%s"] * len(locations))
    by_location: dict[uuid.UUID, list[Address]] = {}
    location_key = Address._meta.get_field("location")  # UUIDs as this database stores them
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {Address._meta.db_table} "  # noqa: S608 - names from _meta
            f"WHERE location_id IN ({marks})",
            [location_key.get_db_prep_value(loc.id, connection) for loc in locations],
        )
        for row in cursor.fetchall():
            address = _instance(Address, names, row)
            by_location.setdefault(address.location_id, []).append(address)
    for location in locations:
        addresses = location.addresses.all()
        addresses._result_cache = by_location.get(location.id, [])
        addresses._prefetch_done = True
        location._prefetched_objects_cache = {"addresses": addresses}


def _instance(model, names, values):
    """A model instance from database values, like a queryset makes (others deferred)."""
    given = dict(zip(names, values, strict=True))
    ordered = _field_order(model, tuple(names))
    converted = [_python_value(model, name, given[name]) for name in ordered]
    return model.from_db(connection.alias, ordered, converted)


@cache
def _field_order(model, names: tuple[str, ...]) -> list[str]:
    # from_db takes the values of the loaded fields in the model's field order.
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


def _python_value(model, name, value):
    # SQLite returns UUIDs (our primary and foreign keys) as 32 hex characters.
    if isinstance(value, str) and name in _uuid_attnames(model):
        return uuid.UUID(value)
    return value


@cache
def _uuid_attnames(model) -> frozenset[str]:
    return frozenset(
        f.attname
        for f in model._meta.concrete_fields
        if (f.target_field if f.is_relation else f).get_internal_type() == "UUIDField"
    )
