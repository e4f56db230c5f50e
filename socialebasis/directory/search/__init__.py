"""Search of the social map: free Dutch text, a place and filters. The one search function
behind the pages, the API (``/api/v1/search/``, HSDS ``/service_at_locations``) and the CLI.

Package. This module is the search: parameters, place, ranking, the page. What a query
means is shared Python (``search.query``: folded words, stopwords, synonyms, typo
corrections, Snowball dutch_porter stems of ``lib.text``); the database only stores and
matches those stems, through one ``SearchBackend`` (``search.backend.get_backend()``):
``search.sqlite`` (FTS5 over spatial entry ids) or ``search.postgresql`` (a GIN-indexed
tsvector). Both find the same entries (``tests/test_search_contract.py``); ``search.hits``
loads the objects of one page.

Text. The query is folded (lower case, accents off) and split into words; Dutch stopwords are
dropped; punctuation is never an operator. Each remaining word is a *concept*: the word itself
plus the synonyms an administrator listed with it (``SynonymGroup``; multi-word synonyms such
as "zorgen voor naaste" are matched as phrases in the query). A word that matches no indexed
stem, and is at least 5 letters, is corrected to the nearest indexed word within an edit
distance of 1 (5-7 letters) or 2 (8+ letters), measured as optimal string alignment
(transpositions count once). Words are matched as stems with prefix matching, so "schulden"
finds "schuldhulpverlening"; compound parts are indexed too, so "hulpverlening" finds it as
well. All concepts must match (AND); when that finds nothing and there are several concepts,
any concept may match (OR) and the response says ``relaxed``: "Jan <naam@voorbeeld.nl>" finds
what holds jan, naam, voorbeeld or nl when nothing holds all four.

Ranking. The backend's text rank (SQLite: bm25; PostgreSQL: ts_rank; see their modules).
With a place, the text rank is multiplied by a proximity factor (``proximity()``: 1.0 at the
place, 0.5 at the radius and for service areas without a location), so a nearby facility
beats an equally worded one across town. ``SearchHit.score`` is that rank scaled to 0..1 (1 =
best hit of this search; 0 when there is no text). Ties break on distance, then name.

Place. ``near`` goes through the configured geocoder (``directory.geocoding``); or ``lat`` and
``lon`` are given. Hits within ``radius`` metres (default 2,000, clamped to 100..50,000) of the
point carry ``distance_m``; services without a location whose service area covers the place
(its whole municipality, or the place's district) are included with ``distance_m`` None. The
backend returns candidates around the place; distances, the radius cut and scores are
computed over NumPy arrays, and the rows that can make the page again with ``math``, so the
result is exactly that of the formulas (``_rank``).

Errors. ``SearchError(field, reason)`` for input that cannot be searched (no text, place or
theme; coordinates out of range); ``PlaceNotFound`` (field "near") for an unknown place.
"""

import heapq
import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from socialebasis.directory.geocoding import (
    Place,
    PlaceNotFound,
    SearchError,
    get_geocoder,
)
from socialebasis.directory.models import Schedule, SearchEntry
from socialebasis.directory.opening import is_open_at
from socialebasis.directory.search import hits
from socialebasis.directory.search.backend import get_backend
from socialebasis.directory.search.matches import Matches, filters
from socialebasis.directory.search.query import analyse_query
from socialebasis.lib.geo import bounding_box, haversine_m, haversine_m_array, valid_wgs84

__all__ = [
    "Place",
    "PlaceNotFound",
    "SearchError",
    "SearchParams",
    "SearchHit",
    "SearchResponse",
    "search",
    "RADIUS_DEFAULT",
    "RADIUS_MIN",
    "RADIUS_MAX",
    "SORTS",
]

RADIUS_DEFAULT = 2_000
RADIUS_MIN = 100
RADIUS_MAX = 50_000
SORTS = ("relevance", "distance", "name")
PROXIMITY_WEIGHT = 0.5


def clamp_radius(radius_m: int) -> int:
    """The radius in metres, clamped to RADIUS_MIN..RADIUS_MAX."""
    return max(RADIUS_MIN, min(RADIUS_MAX, int(radius_m)))


@dataclass(frozen=True)
class SearchParams:
    """What to search. ``radius`` in metres; ``sort`` "" means relevance with text, distance
    with only a place, else name. ``theme`` is a code of the sb-thema taxonomy (children
    included); ``area`` a CBS code (BU/WK/GM); ``age`` in years; ``language`` ISO 639-1."""

    q: str = ""
    near: str = ""
    lat: float | None = None
    lon: float | None = None
    radius: int = RADIUS_DEFAULT
    sort: str = ""
    theme: str = ""
    kind: str = ""
    area: str = ""
    age: int | None = None
    free: bool = False
    wheelchair: bool = False
    language: str = ""
    open_now: bool = False
    page: int = 1
    page_size: int = 20


@dataclass
class SearchHit:
    """One result: a service, at a location where it has one. ``distance_m`` in metres from
    the searched place (None without a place, or for a service area without a location);
    ``score`` relevance in 0..1."""

    service: object
    location: object | None
    service_at_location: object | None
    distance_m: float | None
    score: float
    entry_id: int = 0


@dataclass
class SearchResponse:
    """Hits of one page, with the total count and what the search understood."""

    params: SearchParams
    hits: list[SearchHit]
    total: int
    place: Place | None = None
    relaxed: bool = False
    corrections: dict[str, str] = field(default_factory=dict)
    synonyms_used: list[str] = field(default_factory=list)

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def page_size(self) -> int:
        return self.params.page_size

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.page_size))


# ---------------------------------------------------------------- the search


def resolve_place(params: SearchParams) -> Place | None:
    """The searched point from lat/lon or the ``near`` text; None when neither is given.

    The municipality and district the place lies in are filled in when the geocoder did not
    know them, from the nearest indexed location (within 3 km)."""
    if params.lat is not None or params.lon is not None:
        if params.lat is None or params.lon is None:
            raise SearchError(
                "lat" if params.lat is None else "lon", _("Geef zowel lat als lon op.")
            )
        if not valid_wgs84(params.lat, params.lon):
            raise SearchError("lat", _("Coördinaten buiten bereik."))
        place = Place(params.lat, params.lon, f"{params.lat:.5f}, {params.lon:.5f}", "coordinates")
    elif params.near.strip():
        place = get_geocoder().geocode(params.near)
    else:
        return None
    if not (place.municipality_code and place.district_code):
        municipality, district = _areas_at(place.lat, place.lon)
        place = replace(
            place,
            municipality_code=place.municipality_code or municipality,
            district_code=place.district_code or district,
        )
    return place


def _areas_at(lat: float, lon: float) -> tuple[str, str]:
    """(municipality code, district code) of the nearest indexed location within 3 km."""
    min_lat, max_lat, min_lon, max_lon = bounding_box(lat, lon, 3000)
    rows = (
        SearchEntry.objects.filter(
            latitude__range=(min_lat, max_lat), longitude__range=(min_lon, max_lon)
        )
        .exclude(district_code="")
        .order_by()  # no ORDER BY id: it made SQLite walk the table in id order (20-80 ms)
        .values_list("latitude", "longitude", "municipality_code", "district_code")[:500]
    )
    nearest = min(rows, key=lambda r: haversine_m(lat, lon, r[0], r[1]), default=None)
    return (nearest[2], nearest[3]) if nearest else ("", "")


def search(params: SearchParams, *, now: datetime | None = None) -> SearchResponse:
    """Run a search. Raises SearchError (or PlaceNotFound) for input it cannot answer."""
    if not (
        params.q.strip()
        or params.near.strip()
        or params.lat is not None
        or params.lon is not None
        or params.theme
        or params.area
    ):
        raise SearchError("q", _("Vul in wat u zoekt, of waar."))
    if params.sort and params.sort not in SORTS:
        raise SearchError("sort", _("Sorteer op relevance, distance of name."))
    place = resolve_place(params)
    radius = clamp_radius(params.radius)
    concepts, corrections, synonyms_used = analyse_query(params.q)
    if params.q.strip() and not concepts and not (place or params.theme or params.area):
        raise SearchError("q", _("Uw zoekvraag bevat geen zoekwoorden."))
    backend = get_backend()
    where, args = filters(params, place, radius)
    matches = backend.candidates(concepts, where, args, place, radius)
    relaxed = False
    if not len(matches) and len(concepts) > 1:
        matches = backend.candidates(concepts, where, args, place, radius, any_concept=True)
        relaxed = bool(len(matches))
    start = (params.page - 1) * params.page_size
    if params.open_now:  # the filter runs on every hit, so all are ordered
        ranked, _total = _rank(matches, params, place, radius, bool(concepts))
        ranked = _open_now(ranked, now or timezone.now())
        total = len(ranked)
    else:
        needed = start + params.page_size
        ranked, total = _rank(matches, params, place, radius, bool(concepts), needed)
    page = ranked[start : start + params.page_size]
    return SearchResponse(
        params, _load_hits(page), total, place, relaxed, corrections, synonyms_used
    )


def proximity(distance_m: float | None, radius_m: int) -> float:
    """Relevance factor for nearness: 1.0 at the place, falling linearly to
    1 - PROXIMITY_WEIGHT at the radius; a service area without a location counts as at the
    radius."""
    if distance_m is None:
        return 1.0 - PROXIMITY_WEIGHT
    return 1.0 - PROXIMITY_WEIGHT * min(distance_m, radius_m) / radius_m


def _rank(
    matches: Matches, params, place, radius, has_text, needed: int | None = None
) -> tuple[list[tuple], int]:
    """The hits as (entry id, distance or None, score 0..1, sort name) in the requested order,
    and how many there are. Only the first ``needed`` hits are ordered and returned when given
    (a page needs no more); None orders them all.

    Distances, the radius cut and scores are computed over whole arrays; the rows that can
    make the page are then scored again one by one with ``math`` (``_exact``), so the order,
    the distances and the scores are exactly those of the formulas, not NumPy's last bits."""
    top = float(matches.rank.max(initial=0.0)) or 1.0
    distance = np.full(len(matches), np.inf)  # inf: no place, or no location
    if place is not None:
        located = np.flatnonzero(~np.isnan(matches.lat))
        distance[located] = haversine_m_array(
            place.lat, place.lon, matches.lat[located], matches.lon[located]
        )
        edge = located[np.abs(distance[located] - radius) <= 1e-6]
        for i in edge:  # decide points on the circle with the exact formula
            distance[i] = haversine_m(place.lat, place.lon, matches.lat[i], matches.lon[i])
        inside = distance <= radius
        inside[np.isnan(matches.lat)] = True  # service areas were selected by the SQL
        matches, distance = matches.take(inside), distance[inside]
    score = np.maximum(0.0, matches.rank / top) if has_text else np.zeros(len(matches))
    if place is not None:
        near = np.minimum(distance, radius)
        factor = 1.0 - PROXIMITY_WEIGHT * near / radius  # proximity(), as arrays
        score = score * np.where(np.isinf(distance), 1.0 - PROXIMITY_WEIGHT, factor)
    total = len(matches)
    sort = params.sort or ("relevance" if has_text else "distance" if place else "name")
    exact = partial(_exact, matches, place=place, radius=radius, has_text=has_text, top=top)
    rows = exact(_candidate_rows(score, distance, sort, needed))
    best = max((r[2] for r in exact(_best_rows(score))), default=0.0)
    if best > 0:
        rows = [(e, d, s / best, n) for e, d, s, n in rows]
    far = float("inf")
    keys = {
        "relevance": lambda r: (-round(r[2], 6), r[1] if r[1] is not None else far, r[3], r[0]),
        "distance": lambda r: (r[1] if r[1] is not None else far, -r[2], r[3], r[0]),
        "name": lambda r: (r[3], r[1] if r[1] is not None else far, r[0]),
    }
    if needed is not None and needed < len(rows):
        return heapq.nsmallest(needed, rows, key=keys[sort]), total
    rows.sort(key=keys[sort])
    return rows, total


def _candidate_rows(score, distance, sort, needed) -> np.ndarray:
    """Positions of the rows that can be among the first ``needed`` in ``sort`` order: those
    within 2e-6 of the needed-th score (relevance, whose key rounds to 6 decimals) or 1e-6 m
    of its distance; all rows for sorting by name, or when all are needed."""
    if needed is None or needed >= len(score) or sort == "name":
        return np.arange(len(score))
    if sort == "relevance":
        threshold = np.partition(score, len(score) - needed)[len(score) - needed]
        return np.flatnonzero(score >= threshold - 2e-6 * max(score.max(), 1e-300))
    threshold = np.partition(distance, needed - 1)[needed - 1]
    return np.flatnonzero(distance <= threshold + 1e-6)


def _best_rows(score: np.ndarray) -> np.ndarray:
    """Positions of the rows that can hold the highest score (none when every score is 0, as
    without text)."""
    if not len(score) or score.max() <= 0:
        return np.arange(0)
    return np.flatnonzero(score >= score.max() * (1 - 1e-9))


def _exact(matches, positions, place, radius, has_text, top) -> list[tuple]:
    """(entry id, distance or None, score before normalising, sort name) of these rows,
    computed with ``math`` as the docstrings of ``proximity`` and ``haversine_m`` say."""
    rows = []
    for i in positions.tolist():
        lat = float(matches.lat[i])
        distance = None
        if place is not None and not math.isnan(lat):
            distance = haversine_m(place.lat, place.lon, lat, float(matches.lon[i]))
        score = max(0.0, float(matches.rank[i]) / top) if has_text else 0.0
        if place is not None:
            score *= proximity(distance, radius)
        rows.append((int(matches.ids[i]), distance, score, matches.name[i]))
    return rows


def _open_now(ranked: list[tuple], now: datetime) -> list[tuple]:
    """Keep entries whose most specific schedules (service at location, else service, else
    location) are open at ``now``. Entries without opening hours are left out."""
    entries = {
        e.id: e for e in SearchEntry.objects.filter(id__in=[r[0] for r in ranked]).defer("document")
    }
    sal_ids = {e.service_at_location_id for e in entries.values() if e.service_at_location_id}
    service_ids = {e.service_id for e in entries.values()}
    location_ids = {e.location_id for e in entries.values() if e.location_id}
    by_sal, by_service, by_location = {}, {}, {}
    schedules = (
        Schedule.objects.filter(service_at_location_id__in=sal_ids)
        | Schedule.objects.filter(service_id__in=service_ids)
        | Schedule.objects.filter(location_id__in=location_ids)
    )
    for s in schedules:
        if s.service_at_location_id:
            by_sal.setdefault(s.service_at_location_id, []).append(s)
        elif s.service_id:
            by_service.setdefault(s.service_id, []).append(s)
        elif s.location_id:
            by_location.setdefault(s.location_id, []).append(s)
    kept = []
    for row in ranked:
        e = entries[row[0]]
        rules = (
            by_sal.get(e.service_at_location_id)
            or by_service.get(e.service_id)
            or by_location.get(e.location_id)
            or []
        )
        if any(is_open_at(s, now) for s in rules):
            kept.append(row)
    return kept


def _load_hits(page: list[tuple]) -> list[SearchHit]:
    objects = hits.load([r[0] for r in page])
    return [
        SearchHit(*objects[entry_id], distance, score, entry_id)
        for entry_id, distance, score, _name in page
        if entry_id in objects
    ]
