"""Search of the social map: free Dutch text, a place and filters. The one search function
behind the pages, the API (``/api/v1/search/``, HSDS ``/service_at_locations``) and the CLI.

Text. The query is folded (lower case, accents off) and split into words; Dutch stopwords are
dropped. Each remaining word is a *concept*: the word itself plus the synonyms an administrator
listed with it (``SynonymGroup``; multi-word synonyms such as "zorgen voor naaste" are matched
as phrases in the query). A word that matches no indexed stem, and is at least 5 letters, is
corrected to the nearest indexed word within an edit distance of 1 (5-7 letters) or 2
(8+ letters), measured as optimal string alignment (transpositions count once). Words are matched
as Snowball dutch_porter stems with prefix matching, so "schulden" finds "schuldhulpverlening";
compound parts are indexed too, so "hulpverlening" finds it as well. All concepts must match
(AND); when that finds nothing and there are several concepts, any concept may match (OR) and
the response says ``relaxed``.

Ranking. SQLite: FTS5 bm25 with column weights name 10, keywords 4, body 1. PostgreSQL:
``ts_rank`` over a tsvector weighted A (name), B (keywords), C (body), D (compound parts) with
weights 1.0/0.4/0.2/0.05 and length normalisation 1. With a place, the text rank is multiplied
by a proximity factor (``proximity()``: 1.0 at the place, 0.5 at the radius and for service
areas without a location), so a nearby facility beats an equally worded one across town.
``SearchHit.score`` is that rank scaled to 0..1 (1 = best hit of this search; 0 when there is no
text). Ties break on distance, then name.

Place. ``near`` goes through the configured geocoder (``directory.geocoding``); or ``lat`` and
``lon`` are given. Hits within ``radius`` metres (default 2,000, clamped to 100..50,000) of the
point carry ``distance_m``; services without a location whose service area covers the place
(its whole municipality, or the place's district) are included with ``distance_m`` None. On
SQLite the text is matched in one FTS5 cursor over the entry-id span of the fine geohash
cells that touch the circle, and only rows in those cells are ranked (``directory.spatial``);
the municipality's entries without a location are a second cursor. Without other filters the
matches are not joined to their entries in SQL: their coordinates come from memory
(``directory.points``). Distances, the radius cut
and scores are computed over NumPy arrays, and the rows that can make the page again with
``math``, so the result is exactly that of the formulas (``_rank``).

Errors. ``SearchError(field, reason)`` for input that cannot be searched (no text, place or
theme; coordinates out of range); ``PlaceNotFound`` (field "near") for an unknown place.
"""

import heapq
import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

import numpy as np
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from socialebasis.directory import hits, points, spatial
from socialebasis.directory.geocoding import (
    Place,
    PlaceNotFound,
    SearchError,
    district_of,
    get_geocoder,
)
from socialebasis.directory.models import (
    Schedule,
    SearchEntry,
    SearchTerm,
    SynonymGroup,
)
from socialebasis.directory.opening import is_open_at
from socialebasis.lib.geo import bounding_box, haversine_m, haversine_m_array, valid_wgs84
from socialebasis.lib.text import STOPWORDS, query_words, stem, words

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
FTS_WEIGHTS = (10.0, 4.0, 1.0)
_WEIGHTS = ", ".join(str(w) for w in FTS_WEIGHTS)
PROXIMITY_WEIGHT = 0.5
PG_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D, C, B, A


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


# ---------------------------------------------------------------- query analysis


@dataclass
class Concept:
    """One required idea of the query: any alternative matches (an alternative is a list of
    folded words that must all match). The first alternative is what the user typed and
    matches stem prefixes (compounds); the others are synonyms and match whole stems only, so
    "alleen" does not find "Allendelaan"."""

    alternatives: list[list[str]]

    def prefixed(self) -> list[tuple[list[str], bool]]:
        """(alternative, whether its words may match as stem prefixes)."""
        return [(alt, i == 0) for i, alt in enumerate(self.alternatives)]


def _synonym_groups() -> list[list[list[str]]]:
    """Every group as a list of terms, each term a list of folded words."""
    # Ordered: when a word is in two groups the first one wins, so keep that stable.
    return [
        [words(term) for term in group.term_list() if words(term)]
        for group in SynonymGroup.objects.order_by("id")
    ]


def analyse_query(q: str) -> tuple[list[Concept], dict[str, str], list[str]]:
    """Concepts of a query, the typo corrections made, and the synonyms added."""
    all_words = words(q)[:32]
    groups = _synonym_groups()
    concepts: list[Concept] = []
    synonyms_used: list[str] = []
    covered: set[int] = set()
    # Multi-word synonyms first: a phrase in the query becomes one concept.
    for group in groups:
        for term in group:
            if len(term) < 2:
                continue
            for i in range(len(all_words) - len(term) + 1):
                span = set(range(i, i + len(term)))
                if all_words[i : i + len(term)] == term and not covered & span:
                    covered.update(span)
                    concepts.append(_concept_from_group(term, group, synonyms_used))
    corrections: dict[str, str] = {}
    remaining = [w for i, w in enumerate(all_words) if i not in covered]
    for word in query_words(" ".join(remaining)):
        group = next(
            (g for g in groups if any(len(t) == 1 and stem(t[0]) == stem(word) for t in g)), None
        )
        if group:
            concepts.append(_concept_from_group([word], group, synonyms_used))
            continue
        if not _known(word):
            corrected = _correct(word)
            if corrected:
                corrections[word] = corrected
                word = corrected
        concepts.append(Concept([[word]]))
    return concepts, corrections, synonyms_used


def _concept_from_group(term: list[str], group: list[list[str]], used: list[str]) -> Concept:
    alternatives = [term]
    typed_stem, typed_prefix = _prefix(term[0]) if len(term) == 1 else ("", False)
    for other in group:
        if other != term:
            used.append(" ".join(other))
            # A synonym whose stem starts with the typed word's is matched by its prefix
            # already; another alternative would only make bm25 slower.
            if not (typed_prefix and len(other) == 1 and stem(other[0]).startswith(typed_stem)):
                alternatives.append(other)
    return Concept([[w for w in alt if w not in STOPWORDS] or alt for alt in alternatives])


def _known(word: str) -> bool:
    """Whether some indexed stem starts with the word's stem (short and numeric words are
    never corrected)."""
    if len(word) < 5 or word.isdigit():
        return True
    stemmed = stem(word)
    # Raw SQL: the same indexed range query as the ORM's .exists(), without ~0.3 ms of ORM.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {SearchTerm._meta.db_table} "  # noqa: S608
            "WHERE stem >= %s AND stem < %s LIMIT 1",
            [stemmed, stemmed + "{"],
        )
        return cursor.fetchone() is not None


def _correct(word: str) -> str | None:
    """The nearest indexed word within the allowed edit distance (OSA: 1 edit below 8
    letters, else 2); ties go to the word in more services, then alphabetical. Compared with
    the vocabulary held in memory (``vocabulary.nearest``), on every database."""
    from socialebasis.directory import vocabulary

    return vocabulary.nearest(word, 1 if len(word) < 8 else 2)


# ---------------------------------------------------------------- matching


def _prefix(word: str) -> tuple[str, bool]:
    stemmed = stem(word)
    return stemmed, len(stemmed) >= 3 and not word.isdigit()


def fts_expression(concepts: list[Concept], any_concept: bool = False) -> str:
    """The FTS5 MATCH expression. Stems are [a-z0-9] only, so quoting is safe."""

    def alternative(alt: list[str], may_prefix: bool) -> str:
        terms = []
        for word in alt:
            stemmed, prefix = _prefix(word)
            terms.append(f'"{stemmed}"*' if prefix and may_prefix else f'"{stemmed}"')
        return "(" + " AND ".join(terms) + ")"

    parts = []
    for concept in concepts:
        alternatives = [alternative(a, p) for a, p in concept.prefixed()]
        if len(alternatives) > 1:
            # bm25 adds up every phrase: repeating what the user typed makes a match on it
            # count twice, so it outranks a match on a synonym only.
            alternatives.insert(1, alternatives[0])
        parts.append("(" + " OR ".join(alternatives) + ")")
    return (" OR " if any_concept else " AND ").join(parts)


def tsquery_expression(
    concepts: list[Concept], any_concept: bool = False, typed_only: bool = False
) -> str:
    """The tsquery text, of the same stems as ``fts_expression``. Stems are [a-z0-9] only, so
    it is safe. ``typed_only``: only what the user typed, any of it (no synonyms), for ranking."""

    def alternative(alt: list[str], may_prefix: bool) -> str:
        terms = []
        for word in alt:
            stemmed, prefix = _prefix(word)
            terms.append(f"{stemmed}:*" if prefix and may_prefix else stemmed)
        return "(" + " & ".join(terms) + ")"

    if typed_only:
        return " | ".join(alternative(c.alternatives[0], True) for c in concepts)
    parts = ["(" + " | ".join(alternative(a, p) for a, p in c.prefixed()) + ")" for c in concepts]
    return (" | " if any_concept else " & ").join(parts)


def _filters(params: SearchParams, place: Place | None, radius: int) -> tuple[list[str], list]:
    where: list[str] = []
    args: list = []
    if place is not None:
        min_lat, max_lat, min_lon, max_lon = bounding_box(place.lat, place.lon, radius)
        where.append(
            "((e.latitude BETWEEN %s AND %s AND e.longitude BETWEEN %s AND %s)"
            f" OR {_SERVICE_AREA_SQL})"
        )
        args += [
            min_lat,
            max_lat,
            min_lon,
            max_lon,
            *_service_area_args(place.municipality_code, place.district_code),
        ]
    if params.theme:
        where.append("e.term_paths LIKE %s")
        args.append(f"%/{params.theme}/%")
    if params.kind:
        where.append("e.organization_kind = %s")
        args.append(params.kind)
    if params.area:
        column = {"BU": "neighbourhood_code", "WK": "district_code", "GM": "municipality_code"}[
            params.area[:2]
        ]
        if params.area.startswith("GM"):
            where.append(f"e.{column} = %s")
            args.append(params.area)
        else:  # located in the area, or a service area that covers it
            district = params.area if params.area.startswith("WK") else district_of(params.area)
            where.append(f"(e.{column} = %s OR {_SERVICE_AREA_SQL})")
            args += [params.area, *_service_area_args(f"GM{params.area[2:6]}", district)]
    if params.age is not None:
        where.append(
            "(e.minimum_age IS NULL OR e.minimum_age <= %s)"
            " AND (e.maximum_age IS NULL OR e.maximum_age >= %s)"
        )
        args += [params.age, params.age]
    if params.free:
        where.append("e.free = %s")
        args.append(True)
    if params.wheelchair:
        where.append("e.wheelchair = %s")
        args.append(True)
    if params.language:
        where.append("e.languages LIKE %s")
        args.append(f"% {params.language} %")
    return where, args


# A service without a location, whose service area covers the municipality, or the district.
_SERVICE_AREA_SQL = (
    "(e.latitude IS NULL AND e.municipality_code = %s"
    " AND (e.area_codes = '' OR e.area_codes LIKE %s))"
)


def _service_area_args(municipality_code: str, district_code: str) -> list[str]:
    return [municipality_code or "-", f"% {district_code or '-'} %"]


_COLUMNS = "e.id, e.latitude, e.longitude, e.sort_name"
_FTS = "directory_search_fts"


@dataclass
class Matches:
    """Candidate hits as parallel arrays: entry ids (int64), latitudes and longitudes (float64
    WGS84 degrees, NaN for no location), sort names (object) and text ranks (float64, higher
    is better; 0 without text)."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    name: np.ndarray
    rank: np.ndarray

    @classmethod
    def from_rows(cls, rows: list[tuple]) -> "Matches":
        """From (entry id, latitude, longitude, sort name, rank) rows."""
        located = points.Points.from_rows(rows)
        ranks = np.fromiter((row[4] for row in rows), np.float64, len(rows))
        return cls(located.ids, located.lat, located.lon, located.name, ranks)

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, which: np.ndarray) -> "Matches":
        """The matches at these positions (or where this boolean mask is true)."""
        return Matches(*(field[which] for field in self._fields()))

    def concat(self, other: "Matches") -> "Matches":
        return Matches(
            *(np.concatenate(pair) for pair in zip(self._fields(), other._fields(), strict=True))
        )

    def _fields(self) -> tuple[np.ndarray, ...]:
        return self.ids, self.lat, self.lon, self.name, self.rank


def _candidates(concepts, params, place, radius, any_concept=False) -> Matches:
    """The entries matching text and filters, with their text rank."""
    where, args = _filters(params, place, radius)
    # SQL text from constants only; every value is a parameter.
    if not concepts:
        select = f"SELECT {_COLUMNS}, 0.0 FROM directory_searchentry e WHERE 1 = 1"  # noqa: S608
    elif connection.vendor == "sqlite":
        select = (
            f"SELECT {_COLUMNS}, -bm25({_FTS}, {_WEIGHTS}) "  # noqa: S608
            f"FROM {_FTS} JOIN directory_searchentry e ON e.id = {_FTS}.rowid "
            f"WHERE {_FTS} MATCH %s"
        )
        args = [fts_expression(concepts, any_concept), *args]
    else:
        # ts_rank counts each query word once, so what the user typed is ranked a second time
        # on its own: a match on it outranks a match on a synonym only.
        select = (
            f"SELECT {_COLUMNS}, ts_rank('{PG_WEIGHTS}', d.document, q.query, 1) "  # noqa: S608
            f"+ ts_rank('{PG_WEIGHTS}', d.document, q2.typed, 1) "
            "FROM directory_search_doc d JOIN directory_searchentry e ON e.id = d.entry_id"
            ", CAST(%s AS tsquery) AS q(query), CAST(%s AS tsquery) AS q2(typed)"
            " WHERE d.document @@ q.query"
        )
        args = [
            tsquery_expression(concepts, any_concept),
            tsquery_expression(concepts, typed_only=True),
            *args,
        ]
    sql = " AND ".join([select, *where])
    if place is None or connection.vendor != "sqlite":
        return Matches.from_rows(_fetch(sql, args))
    # Near a place, SQLite reads only the id ranges of the cells around it
    # (directory.spatial); the filters above still decide exactly.
    row_id = f"{_FTS}.rowid" if concepts else "e.id"
    in_range = f"{sql} AND {row_id} BETWEEN %s AND %s"
    parts: list[tuple[str, list]] = []
    if place.municipality_code:  # the location-less entries of the municipality
        parts.append((in_range, [*args, *spatial.municipality_range(place.municipality_code)]))
    cells = spatial.circle_cells(place.lat, place.lon, radius) if concepts else None
    if cells is None:
        ranges = spatial.id_ranges(place.lat, place.lon, radius)
    else:
        # One cursor from the first fine cell to the last: every FTS5 cursor that ranks first
        # counts each query phrase's documents in the whole table for bm25 (~1.5 ms for a
        # common word), which costs more than reading the matches between the cells.
        ranges = [(spatial.cell_range(cells[0])[0], spatial.cell_range(cells[-1])[1])]
    located = Matches.from_rows([])
    if concepts and len(where) == 1:  # no filter but the place: no join, see _fts_near
        located = _fts_near(args[0], ranges, cells)
    else:
        parts += [(in_range + _cell_filter(row_id, cells), [*args, *r]) for r in ranges]
    if parts:
        rows = _fetch(" UNION ALL ".join(p for p, _ in parts), [v for _, a in parts for v in a])
        located = Matches.from_rows(rows).concat(located)
    return located


def _fts_near(expression: str, ranges: list[tuple[int, int]], cells: list[int] | None) -> Matches:
    """Text matches with a location near a place, from FTS5 alone: ids and bm25 ranks from
    SQL, coordinates from memory (``directory.points``). Joining each match to its entry
    row in SQL cost more than the rest of the query."""
    part = (
        f"SELECT rowid, -bm25({_FTS}, {_WEIGHTS}) FROM {_FTS} "  # noqa: S608
        f"WHERE {_FTS} MATCH %s AND rowid BETWEEN %s AND %s{_cell_filter('rowid', cells)}"
    )
    rows = _fetch(
        " UNION ALL ".join([part] * len(ranges)),
        [value for low, high in ranges for value in (expression, low, high)],
    )
    ids = np.fromiter((row[0] for row in rows), np.int64, len(rows))
    found, known = points.lookup(ids)
    ranks = np.fromiter((row[1] for row in rows), np.float64, len(rows))
    # Entries without a location come from the municipality's range, with its area filter.
    keep = known & ~np.isnan(found.lat)
    return Matches(found.ids, found.lat, found.lon, found.name, ranks).take(keep)


def _cell_filter(row_id: str, cells: list[int] | None) -> str:
    """SQL keeping the rows in the given precision-6 cells (none: every row). The cells are
    integers of our own, so they are written into the SQL."""
    if cells is None:
        return ""
    return f" AND ({row_id} >> {spatial.SEQUENCE_BITS}) IN ({', '.join(map(str, cells))})"


def _fetch(sql: str, args: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return cursor.fetchall()


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
    matches = _candidates(concepts, params, place, radius)
    relaxed = False
    if not len(matches) and len(concepts) > 1:
        matches = _candidates(concepts, params, place, radius, any_concept=True)
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
    entries = {e.id: e for e in SearchEntry.objects.filter(id__in=[r[0] for r in ranked])}
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
