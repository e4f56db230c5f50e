"""The Open Referral HSDS 3.0 read API under ``/api/hsds/``, following the specification's
``schema/openapi.json`` (vendored in ``data/hsds/spec-3.0``).

Endpoints: ``/`` (version, profile, openapi_url), ``/services``, ``/services/{id}``,
``/service_at_locations``, ``/service_at_locations/{id}``, ``/organizations``,
``/organizations/{id}``, ``/taxonomies``, ``/taxonomies/{id}``, ``/taxonomy_terms``,
``/taxonomy_terms/{id}`` (with or without a trailing slash; GET only).

Lists are HSDS page objects (``total_items``, ``total_pages``, ``page_number``, ``size`` =
objects on this page, ``first_page``, ``last_page``, ``empty`` = no objects on this page,
``contents``); ``page`` starts at 1, ``per_page`` is 1..200 (default 50); a page past the
end is an empty page. ``format=ndjson`` streams every matching object, one per line, without
pagination (``application/x-ndjson``). List contents carry the one-to-one fields (plus the
nested organization / location / service in the same form); ``full=true`` nests everything,
like the detail endpoints. Objects are shaped by ``socialebasis.directory.hsds``.

``/service_at_locations`` with ``search``, ``postcode`` or ``proximity`` goes through the
search of the site (``directory.search``): ``search`` is the text, ``postcode`` the place
(any place the site understands works; HSDS means a postcode), ``proximity`` the radius in
metres around the postcode's centroid (default 2000, clamped to 100..50000; it needs
``postcode``). Results keep the search order (relevance with text, else distance) and are
capped at the first 2000 hits; hits without a location (a service available in the
municipality) are not service_at_locations and are left out. Without those parameters the
list is ordered by service name and location name.

``search`` on ``/services`` is the same search (text only; services in search order, each
once; inactive and defunct services are not in the search index). ``search`` on the other
lists is a case-insensitive substring match on names and descriptions. ``taxonomy_term_id``
includes the term's descendants. ``top_only`` on ``/taxonomy_terms`` returns terms without a
parent (the spec's description says "without child terms", its name says top level; we
follow the name).

Errors are JSON: 400 ``{"parameter": ["reason"]}`` for a bad parameter, 404
``{"detail": "..."}`` for an unknown or malformed id.
"""

import dataclasses
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time

from django.db.models import Q, QuerySet
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.urls import re_path
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from socialebasis.directory import hsds
from socialebasis.directory.forms import SearchForm
from socialebasis.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from socialebasis.directory.search import SearchError, search
from socialebasis.lib.drf.params import FALSE, TRUE
from socialebasis.lib.ratelimit import api_throttle

PER_PAGE_DEFAULT = 50
PER_PAGE_MAX = 200
SEARCH_CAP = 2000
NDJSON = "application/x-ndjson"
# Search form fields and the HSDS parameters they come from.
SEARCH_FIELDS = {"q": "search", "near": "postcode", "radius": "proximity"}


class ParamError(Exception):
    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _not_found() -> JsonResponse:
    return _json({"detail": "Not found."}, status=404)


def api_view(view: Callable) -> Callable:
    """GET and HEAD only (any other method is a JSON 405 with ``Allow``, not the CSRF
    middleware's HTML 403: nothing here writes); ParamError becomes a 400 and Http404 a
    JSON 404; throttled like /api/v1/ (one budget for the whole API, 429 JSON over the
    limit)."""

    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = _json({"detail": f'Method "{request.method}" not allowed.'}, status=405)
            response["Allow"] = "GET, HEAD"
            return response
        throttled = api_throttle(request)
        if throttled is not None:
            return throttled
        for name, values in request.GET.lists():
            if any("\x00" in value for value in values):
                return _json({name: ["must not contain NUL characters"]}, status=400)
        try:
            return view(request, *args, **kwargs)
        except ParamError as exc:
            return _json({exc.field: [exc.reason]}, status=400)
        except Http404:
            return _not_found()

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# ---------------------------------------------------------------- parameters


def _int(params, name: str, default: int, low: int, high: int) -> int:
    """A whole number in ``low..high`` (ASCII digits, optional minus); absent or empty is
    ``default``."""
    raw = params.get(name, "")
    if not raw:
        return default
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise ParamError(name, "must be a whole number")
    value = int(raw)
    if not low <= value <= high:
        raise ParamError(name, f"must be between {low} and {high}")
    return value


def _bool(params, name: str) -> bool:
    """``true``/``1`` or ``false``/``0``; absent or empty is false."""
    raw = params.get(name, "")
    if raw in TRUE:
        return True
    if raw in FALSE or not raw:
        return False
    raise ParamError(name, "must be true or false (or 1 or 0)")


def _uuid(params, name: str) -> uuid.UUID | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ParamError(name, "must be a UUID") from None


def _datetime(params, name: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "T").replace("z", "Z"))
        if value is None and (day := parse_date(raw)) is not None:
            value = datetime.combine(day, time.min)
    except ValueError:
        value = None
    if value is None:
        raise ParamError(name, "must be an ISO 8601 date or date-time, e.g. 2024-01-31T12:00:00Z")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    # The database compares in UTC; a moment whose UTC time falls outside the years
    # 1..9999 (0001-01-01 in Amsterdam time, 9999-12-31T23:59:59-14:00) cannot be stored.
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ParamError(
            name, "out of range: the moment in UTC must lie between 0001-01-01 and 9999-12-31"
        ) from None


def _format(params) -> str:
    value = params.get("format", "") or "json"
    if value not in {"json", "ndjson"}:
        raise ParamError("format", "must be json or ndjson")
    return value


def _path_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404 from None


def _term_filter(term_id: uuid.UUID, entity: str = "service") -> QuerySet:
    """Ids of the ``entity`` records with this term or one of its descendants."""
    term = TaxonomyTerm.objects.filter(pk=term_id).first()
    if term is None:
        return Attribute.objects.none().values("link_id")
    return Attribute.objects.filter(
        link_entity=entity,
        taxonomy_term__path__startswith=term.path,
        taxonomy_term__taxonomy_id=term.taxonomy_id,
    ).values("link_id")


# ---------------------------------------------------------------- pages


def _stream(ids: list, serialise: Callable[[list], list[dict]], batch: int) -> Iterator[bytes]:
    for start in range(0, len(ids), batch):
        for obj in serialise(ids[start : start + batch]):
            yield (json.dumps(obj, ensure_ascii=False) + "\n").encode()


def _listing(
    request, ids: QuerySet | list, serialise: Callable[[list], list[dict]], batch: int = 100
):
    """An HSDS page of the objects with these ids (kept in order), or an NDJSON stream of
    all of them."""
    params = request.GET
    # Checked also for NDJSON, which ignores them: a malformed value is never accepted.
    page = _int(params, "page", 1, 1, 1_000_000)
    per_page = _int(params, "per_page", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX)
    if _format(params) == "ndjson":
        return StreamingHttpResponse(_stream(list(ids), serialise, batch), content_type=NDJSON)
    total = len(ids) if isinstance(ids, list) else ids.count()
    start = (page - 1) * per_page
    chunk = list(ids[start : start + per_page])
    contents = serialise(chunk) if chunk else []
    total_pages = max(1, math.ceil(total / per_page))
    return _json(
        {
            "total_items": total,
            "total_pages": total_pages,
            "page_number": page,
            "size": len(contents),
            "first_page": page == 1,
            "last_page": page >= total_pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _text_filter(queryset: QuerySet, params, fields: Iterable[str]) -> QuerySet:
    text = params.get("search", "").strip()
    if not text:
        return queryset
    if len(text) > 200:
        raise ParamError("search", "at most 200 characters")
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


# ---------------------------------------------------------------- views


@api_view
def root(request):
    """API information: HSDS version, profile and the OpenAPI description."""
    return _json(
        {"version": hsds.HSDS_VERSION, "profile": hsds.PROFILE_URL, "openapi_url": hsds.OPENAPI_URL}
    )


def _service_filters(queryset: QuerySet, params, prefix: str = "") -> QuerySet:
    term_id = _uuid(params, "taxonomy_term_id")
    if term_id:
        queryset = queryset.filter(**{f"{prefix}id__in": _term_filter(term_id)})
    taxonomy_id = _uuid(params, "taxonomy_id")
    if taxonomy_id:
        queryset = queryset.filter(
            **{
                f"{prefix}id__in": Attribute.objects.filter(
                    link_entity="service", taxonomy_term__taxonomy_id=taxonomy_id
                ).values("link_id")
            }
        )
    organization_id = _uuid(params, "organization_id")
    if organization_id:
        queryset = queryset.filter(**{f"{prefix}organization_id": organization_id})
    modified_after = _datetime(params, "modified_after")
    if modified_after:
        queryset = queryset.filter(**{f"{prefix}updated_at__gte": modified_after})
    return queryset


@api_view
def services(request):
    """Services; ``full=true`` nests everything, ``minimal=true`` gives id and
    last_modified only."""
    params = request.GET
    queryset = _service_filters(Service.objects.all(), params)
    full, minimal = _bool(params, "full"), _bool(params, "minimal")
    ids: QuerySet | list
    if params.get("search", "").strip():
        hits = _search_hits({"search": params["search"]})
        ranked = list(dict.fromkeys(hit.service.id for hit in hits))
        ids = _narrow(ranked, queryset)
    else:
        ids = queryset.order_by("name", "id").values_list("id", flat=True)
    if minimal:

        def serialise(chunk):
            rows = dict(Service.objects.filter(id__in=chunk).values_list("id", "updated_at"))
            return [
                {"id": str(pk), "last_modified": hsds.json_value(rows[pk])}
                for pk in chunk
                if pk in rows
            ]

        return _listing(request, ids, serialise, batch=1000)
    return _listing(request, ids, lambda chunk: hsds.hsds_services(chunk, full=full))


@api_view
def service_detail(request, id: str):
    objects = hsds.hsds_services([_path_uuid(id)])
    return _json(objects[0]) if objects else _not_found()


def _search_hits(params) -> list:
    """The hits of the site search for ``search``/``postcode``/``proximity``, in its order
    (at most SEARCH_CAP)."""
    if params.get("proximity", "").strip() and not params.get("postcode", "").strip():
        raise ParamError(
            "proximity", "needs postcode: the distance is measured from the postcode's centroid"
        )
    data = {field: params.get(name, "") for field, name in SEARCH_FIELDS.items()}
    form = SearchForm(data=data)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ParamError(SEARCH_FIELDS.get(field, field), " ".join(str(e) for e in errors))
    search_params = dataclasses.replace(form.to_params(), page=1, page_size=SEARCH_CAP)
    try:
        response = search(search_params)
    except SearchError as exc:
        raise ParamError(SEARCH_FIELDS.get(exc.field, exc.field), exc.reason) from exc
    return response.hits


def _narrow(ranked: list, queryset: QuerySet) -> list:
    """The ranked ids that ``queryset`` (the other filters) also contains, in order."""
    allowed: set = set()
    for start in range(0, len(ranked), 500):
        allowed |= set(
            queryset.filter(id__in=ranked[start : start + 500]).values_list("id", flat=True)
        )
    return [pk for pk in ranked if pk in allowed]


@api_view
def service_at_locations(request):
    """Services at locations, optionally searched by text and place."""
    params = request.GET
    full = _bool(params, "full")
    queryset = _service_filters(ServiceAtLocation.objects.all(), params, prefix="service__")
    if any(params.get(name, "").strip() for name in ("search", "postcode", "proximity")):
        hits = _search_hits(params)
        ranked = [hit.service_at_location.id for hit in hits if hit.service_at_location]
        ids: QuerySet | list = _narrow(ranked, queryset)
    else:
        ids = queryset.order_by("service__name", "location__name", "id").values_list(
            "id", flat=True
        )
    return _listing(request, ids, lambda chunk: hsds.hsds_service_at_locations(chunk, full=full))


@api_view
def service_at_location_detail(request, id: str):
    objects = hsds.hsds_service_at_locations([_path_uuid(id)])
    return _json(objects[0]) if objects else _not_found()


@api_view
def organizations(request):
    """Organizations; ``full=true`` nests everything (services as one-to-one objects, or
    full with ``full_service=true``)."""
    params = request.GET
    full, full_service = _bool(params, "full"), _bool(params, "full_service")
    queryset = _text_filter(
        Organization.objects.all(), params, ["name", "alternate_name", "description"]
    )
    ids = queryset.order_by("name", "id").values_list("id", flat=True)
    services_mode = "full" if full_service else ("simple" if full else "none")
    return _listing(
        request,
        ids,
        lambda chunk: hsds.hsds_organizations(chunk, full=full, services=services_mode),
        batch=50,
    )


@api_view
def organization_detail(request, id: str):
    """The full organization; its services as one-to-one objects, or full with
    ``full_service=true``."""
    services_mode = "full" if _bool(request.GET, "full_service") else "simple"
    objects = hsds.hsds_organizations([_path_uuid(id)], services=services_mode)
    return _json(objects[0]) if objects else _not_found()


@api_view
def taxonomies(request):
    queryset = _text_filter(Taxonomy.objects.all(), request.GET, ["name", "description"])
    ids = queryset.order_by("name", "id").values_list("id", flat=True)
    return _listing(request, ids, hsds.hsds_taxonomies, batch=500)


@api_view
def taxonomy_detail(request, id: str):
    objects = hsds.hsds_taxonomies([_path_uuid(id)])
    return _json(objects[0]) if objects else _not_found()


@api_view
def taxonomy_terms(request):
    params = request.GET
    queryset = _text_filter(TaxonomyTerm.objects.all(), params, ["code", "name", "description"])
    taxonomy_id = _uuid(params, "taxonomy_id")
    if taxonomy_id:
        queryset = queryset.filter(taxonomy_id=taxonomy_id)
    parent_id = _uuid(params, "parent_id")
    if parent_id:
        queryset = queryset.filter(parent_id=parent_id)
    if _bool(params, "top_only"):
        queryset = queryset.filter(parent__isnull=True)
    ids = queryset.order_by("taxonomy__name", "path", "id").values_list("id", flat=True)
    return _listing(request, ids, hsds.hsds_taxonomy_terms, batch=500)


@api_view
def taxonomy_term_detail(request, id: str):
    objects = hsds.hsds_taxonomy_terms([_path_uuid(id)])
    return _json(objects[0]) if objects else _not_found()


urlpatterns = [
    re_path(r"^$", root, name="hsds-root"),
    re_path(r"^services/?$", services, name="hsds-services"),
    re_path(r"^services/(?P<id>[^/]+)/?$", service_detail, name="hsds-service"),
    re_path(r"^service_at_locations/?$", service_at_locations, name="hsds-service-at-locations"),
    re_path(
        r"^service_at_locations/(?P<id>[^/]+)/?$",
        service_at_location_detail,
        name="hsds-service-at-location",
    ),
    re_path(r"^organizations/?$", organizations, name="hsds-organizations"),
    re_path(r"^organizations/(?P<id>[^/]+)/?$", organization_detail, name="hsds-organization"),
    re_path(r"^taxonomies/?$", taxonomies, name="hsds-taxonomies"),
    re_path(r"^taxonomies/(?P<id>[^/]+)/?$", taxonomy_detail, name="hsds-taxonomy"),
    re_path(r"^taxonomy_terms/?$", taxonomy_terms, name="hsds-taxonomy-terms"),
    re_path(r"^taxonomy_terms/(?P<id>[^/]+)/?$", taxonomy_term_detail, name="hsds-taxonomy-term"),
]
