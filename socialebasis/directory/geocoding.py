"""Geocoding: turn the "where" of a search into a point.

Two backends behind one interface (``Geocoder.geocode(text) -> Place``):

- ``OfflineGeocoder`` (default, ``SB_GEOCODER=offline``): from loaded data only. Understands
  coordinates ("52.37,4.89"), a PC6 or PC4 postcode, a CBS code (BU/WK/GM), a neighbourhood,
  district or municipality name, an area alias from ``data/*/gebieden.csv`` ("De Baarsjes"),
  and the address of a known location ("Spaarndammerdijk 319").
- ``PdokGeocoder`` (``SB_GEOCODER=pdok``): the PDOK Locatieserver ``free`` endpoint
  (https://api.pdok.nl/bzk/locatieserver/search/v3_1/free), URL configurable with
  ``SB_PDOK_URL``. Coordinates are read from ``centroide_ll`` ("POINT(lon lat)").

Both raise ``PlaceNotFound`` (field ``near``) when the text names no known place, and never
return a point outside WGS84.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from statistics import fmean

import requests
from django.conf import settings
from django.db import connection
from django.db.models import Avg, Count
from django.utils.translation import gettext as _

from socialebasis.lib.geo import valid_wgs84
from socialebasis.lib.text import fold, words


class SearchError(ValueError):
    """Bad search input. ``field`` is the parameter name, ``reason`` a Dutch sentence."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class PlaceNotFound(SearchError):
    """The "where" text names no known place."""

    def __init__(self, text: str, reason: str | None = None):
        super().__init__(
            "near",
            reason
            or _("Plaats '%(text)s' niet gevonden. Probeer een postcode, buurt of adres.")
            % {"text": text[:100]},
        )
        self.text = text


@dataclass(frozen=True)
class Place:
    """A geocoded point (WGS84 degrees) with what it was recognised as.

    ``kind``: coordinates, postcode, neighbourhood, district, municipality, area, address.
    ``code``: the CBS code or postcode where there is one. ``municipality_code`` and
    ``district_code``: the GM and WK codes the place lies in, when the geocoder knows them
    (the search fills them in otherwise); they match services by service area.
    """

    lat: float
    lon: float
    label: str
    kind: str
    code: str = ""
    municipality_code: str = ""
    district_code: str = ""


_COORDS = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,; ]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
_PC6 = re.compile(r"^\s*(\d{4})\s*([a-zA-Z]{2})\s*$")
_PC4 = re.compile(r"^\s*(\d{4})\s*$")
_CBS = re.compile(r"^\s*((?:BU|WK)\d{4}[0-9A-Z]{2,4}|GM\d{4})\s*$", re.IGNORECASE)
_ADDRESS = re.compile(r"^(.*?\D)\s*(\d+)\s*(.*)$")


class Geocoder:
    """Interface: ``geocode(text) -> Place``; raises PlaceNotFound."""

    def geocode(self, text: str) -> Place:  # pragma: no cover - interface
        raise NotImplementedError


def _parse_coordinates(text: str) -> Place | None:
    match = _COORDS.match(text)
    if not match:
        return None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not valid_wgs84(lat, lon):
        raise PlaceNotFound(
            text, _("Coördinaten buiten bereik (breedte -90..90, lengte -180..180).")
        )
    return Place(lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates")


class OfflineGeocoder(Geocoder):
    """Geocodes from the areas and directory already in the database (no network)."""

    def geocode(self, text: str) -> Place:
        text = (text or "").strip()
        if not text:
            raise PlaceNotFound(text, _("Geef een plaats op."))
        if len(text) > 200:
            raise PlaceNotFound(text, _("Plaats is te lang (maximaal 200 tekens)."))
        for finder in (
            _parse_coordinates,
            _postcode6,
            _postcode4,
            _cbs_code,
            _area_name,
            _alias,
            _address,
        ):
            place = finder(text)
            if place is not None:
                return place
        raise PlaceNotFound(text)


def _without_boundaries(queryset, *related: str):
    """The areas without their boundary GeoJSON (and that of ``related`` areas): a
    geocoder needs only names, codes and centroids, and an Amsterdam boundary is ~100 kB."""
    return queryset.defer("geometry", *(f"{r}__geometry" for r in related))


def _area_place(area, kind: str) -> Place | None:
    if area.centroid_lat is None or area.centroid_lon is None:
        return None
    municipality = area if kind == "municipality" else area.municipality
    return _place_of_area(
        kind, area.code, area.name, area.centroid_lat, area.centroid_lon, municipality.code
    )


def _place_of_area(kind, code, name, lat, lon, municipality_code) -> Place:
    """The Place of an area of ``kind`` (neighbourhood, district or municipality) at its
    centroid; a neighbourhood or district also names its district."""
    district = {"district": code, "neighbourhood": district_of(code)}.get(kind, "")
    return Place(lat, lon, name, kind, code, municipality_code, district)


def district_of(neighbourhood_code: str) -> str:
    """The CBS district code of a neighbourhood code: BU0363EK01 -> WK0363EK (CBS rule)."""
    return f"WK{neighbourhood_code[2:8]}"


def _postcode6(text: str) -> Place | None:
    match = _PC6.match(text)
    if not match:
        return None
    from socialebasis.directory.models import Address

    postcode = f"{match.group(1)}{match.group(2).upper()}"
    point = Address.objects.filter(
        postal_code=postcode, location__latitude__isnull=False
    ).aggregate(lat=Avg("location__latitude"), lon=Avg("location__longitude"), n=Count("id"))
    if point["n"]:
        municipality = (
            Address.objects.filter(postal_code=postcode)
            .values_list("location__municipality__code", flat=True)
            .first()
        )
        return Place(
            point["lat"],
            point["lon"],
            f"{match.group(1)} {match.group(2).upper()}",
            "postcode",
            postcode,
            municipality or "",
        )
    return _postcode4(match.group(1))  # an unknown PC6 falls back to its PC4 area


def _postcode4(text: str) -> Place | None:
    match = _PC4.match(text)
    if not match:
        return None
    from socialebasis.areas.models import Neighbourhood
    from socialebasis.directory.models import Address

    pc4 = match.group(1)
    hoods = list(
        _without_boundaries(
            Neighbourhood.objects.filter(postcode=pc4, centroid_lat__isnull=False).select_related(
                "municipality"
            ),
            "municipality",
        )
    )
    if hoods:
        # The PC4 area's centre: the mean of the neighbourhoods whose most common PC4 it is.
        return Place(
            fmean(h.centroid_lat for h in hoods),
            fmean(h.centroid_lon for h in hoods),
            pc4,
            "postcode",
            pc4,
            hoods[0].municipality.code,
            Counter(district_of(h.code) for h in hoods).most_common(1)[0][0],
        )
    point = Address.objects.filter(
        postal_code__startswith=pc4, location__latitude__isnull=False
    ).aggregate(lat=Avg("location__latitude"), lon=Avg("location__longitude"), n=Count("id"))
    if point["n"]:
        municipality = (
            Address.objects.filter(postal_code__startswith=pc4)
            .values_list("location__municipality__code", flat=True)
            .first()
        )
        return Place(point["lat"], point["lon"], pc4, "postcode", pc4, municipality or "")
    raise PlaceNotFound(text, _("Postcode %(pc)s is niet bekend.") % {"pc": pc4})


def _cbs_code(text: str) -> Place | None:
    match = _CBS.match(text)
    if not match:
        return None
    from socialebasis.areas.models import District, Municipality, Neighbourhood

    code = match.group(1).upper()
    model, kind = {
        "BU": (Neighbourhood, "neighbourhood"),
        "WK": (District, "district"),
        "GM": (Municipality, "municipality"),
    }[code[:2]]
    related = [] if kind == "municipality" else ["municipality"]
    area = (
        _without_boundaries(model.objects.select_related(*related), *related)
        .filter(code=code)
        .first()
    )
    place = _area_place(area, kind) if area else None
    if place is None:
        raise PlaceNotFound(text, _("Gebiedscode %(code)s is niet bekend.") % {"code": code})
    return place


_AREA_LEVELS = ("neighbourhood", "district", "municipality")


def _area_name(text: str) -> Place | None:
    """A neighbourhood, else a district, else a municipality called ``text`` (case ignored)."""
    rows = _areas_named(text.strip())
    if not rows:
        return None
    level = rows[0][0]
    candidates = [row for row in rows if row[0] == level]
    # The same name exists in several municipalities ("Centrum"): prefer the one where the
    # directory has data, then the most populous (the first by name on a tie).
    with_directory = _with_directory({row[6] for row in candidates}) if len(candidates) > 1 else ()
    _, code, name, lat, lon, _, municipality_code = max(
        candidates, key=lambda row: (row[6] in with_directory, row[5] or 0)
    )
    if lon is None:
        return None
    return _place_of_area(_AREA_LEVELS[level], code, name, lat, lon, municipality_code)


def _areas_named(name: str) -> list[tuple]:
    """Every area called ``name`` that has a centroid, as rows (level, code, name, centroid
    latitude, centroid longitude, residents, municipality code), ordered by level (an index
    of ``_AREA_LEVELS``), then name.

    The name matches as ``name__iexact`` does (SQLite: ASCII letters only, like its LIKE;
    PostgreSQL: ``UPPER(a) = UPPER(b)``), but written as ``UPPER(name) = UPPER(%s)``: the
    expression of the areas' name indexes, so both databases look the name up instead of
    scanning ~18,000 rows and their boundaries. The value is upper-cased by the database,
    not by Python, so that both sides fold the same letters. One raw query: the ORM spent
    ~1 ms compiling each of three model queries, for 0.02 ms of SQL."""
    with connection.cursor() as cursor:
        cursor.execute(_areas_named_sql(), [name, name, name])
        return cursor.fetchall()


@lru_cache(maxsize=1)
def _areas_named_sql() -> str:
    """The statement of ``_areas_named``; its three parameters are the name."""
    from socialebasis.areas.models import District, Municipality, Neighbourhood

    hood, district, municipality = (
        model._meta.db_table for model in (Neighbourhood, District, Municipality)
    )
    columns = "a.code, a.name, a.centroid_lat, a.centroid_lon, a.residents"
    where = "UPPER(a.name) = UPPER(%s) AND a.centroid_lat IS NOT NULL"
    return (
        f"SELECT 0, {columns}, m.code FROM {hood} a "  # noqa: S608 - table names, no input
        f"JOIN {municipality} m ON m.id = a.municipality_id WHERE {where} "
        f"UNION ALL SELECT 1, {columns}, m.code FROM {district} a "
        f"JOIN {municipality} m ON m.id = a.municipality_id WHERE {where} "
        f"UNION ALL SELECT 2, {columns}, a.code FROM {municipality} a WHERE {where} "
        "ORDER BY 1, 3"
    )


def _with_directory(municipality_codes: set[str]) -> set[str]:
    """Those of the given GM codes whose municipality has a location in the directory.

    Read from the database on every call, never memoised: a location added or moved in
    another process must change the choice at once (it was an ``lru_cache`` per process,
    which kept the old answer until a restart). Only ambiguous names ask, with one query:
    an indexed ``EXISTS`` per municipality."""
    from socialebasis.areas.models import Municipality
    from socialebasis.directory.models import Location

    marks = ", ".join(["%s"] * len(municipality_codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT m.code FROM {Municipality._meta.db_table} m "  # noqa: S608 - table names; codes are parameters
            f"WHERE m.code IN ({marks}) AND EXISTS (SELECT 1 FROM {Location._meta.db_table} l "
            "WHERE l.municipality_id = m.id)",
            sorted(municipality_codes),
        )
        return {code for (code,) in cursor.fetchall()}


@lru_cache(maxsize=1)
def _aliases() -> dict[str, tuple[str, str, list[str]]]:
    """{folded name: (display name, GM code, [WK codes])} from every data/*/gebieden.csv.

    Read once per process: the files belong to the installation (``SB_DATA_DIR``), not to
    the database, and change only with a deployment, which restarts every process."""
    result: dict[str, tuple[str, str, list[str]]] = {}
    for path in sorted(settings.DATA_DIR.glob("*/gebieden.csv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                result[" ".join(words(row["name"]))] = (
                    row["name"],
                    row["municipality_code"],
                    row["wijk_codes"].split(),
                )
    return result


def _alias(text: str) -> Place | None:
    from socialebasis.areas.models import District

    entry = _aliases().get(" ".join(words(text)))
    if entry is None:
        return None
    name, municipality_code, codes = entry
    if not codes:
        return None
    # (code, latitude, longitude) by name; raw SQL: the ORM query cost ~0.5 ms to build.
    marks = ", ".join(["%s"] * len(codes))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT code, centroid_lat, centroid_lon FROM {District._meta.db_table} "  # noqa: S608
            f"WHERE code IN ({marks}) AND centroid_lat IS NOT NULL ORDER BY name",
            codes,
        )
        districts = cursor.fetchall()
    if not districts:
        return None
    return Place(
        fmean(lat for _, lat, _ in districts),
        fmean(lon for _, _, lon in districts),
        name,
        "area",
        "",
        municipality_code,
        districts[0][0],
    )


def _address(text: str) -> Place | None:
    from socialebasis.directory.models import Address

    match = _ADDRESS.match(text)
    street = (match.group(1) if match else text).strip(" ,")
    number = match.group(2) if match else ""
    if len(street) < 3:
        return None
    prefix = f"{street} {number}" if number else street
    query = Address.objects.filter(address_1__istartswith=prefix, location__latitude__isnull=False)
    rows = list(
        query.values(
            "address_1",
            "postal_code",
            "location__latitude",
            "location__longitude",
            "location__municipality__code",
        )[:200]
    )
    rows = [r for r in rows if _same_address(r["address_1"], street, number)]
    if not rows:
        return None
    label = rows[0]["address_1"] if number else street
    return Place(
        fmean(r["location__latitude"] for r in rows),
        fmean(r["location__longitude"] for r in rows),
        label,
        "address",
        rows[0]["postal_code"] if number else "",
        rows[0]["location__municipality__code"] or "",
    )


def _same_address(address: str, street: str, number: str) -> bool:
    """Whether ``address`` is on ``street`` (and has house number ``number``, additions like
    "73-1" or "73A" allowed, but "730" is another number)."""
    folded, folded_street = fold(address), fold(street)
    if not folded.startswith(folded_street):
        return False
    if not number:
        return True
    rest = folded[len(folded_street) :].lstrip()
    return rest.startswith(number) and not rest[len(number) : len(number) + 1].isdigit()


class PdokGeocoder(Geocoder):
    """PDOK Locatieserver (free search). Coordinates (lat,lon) are parsed locally first."""

    def __init__(self, url: str | None = None, timeout_s: float = 3.0, session=None):
        self.url = url or settings.PDOK_URL
        self.timeout_s = timeout_s
        self.session = session or requests.Session()

    def geocode(self, text: str) -> Place:
        text = (text or "").strip()
        if not text:
            raise PlaceNotFound(text, _("Geef een plaats op."))
        place = _parse_coordinates(text)
        if place:
            return place
        try:
            response = self.session.get(
                self.url,
                params={
                    "q": text,
                    "rows": 1,
                    "fq": "type:(postcode OR adres OR buurt OR wijk OR gemeente "
                    "OR woonplaats OR weg)",
                },
                timeout=self.timeout_s,
            )
            response.raise_for_status()
            docs = response.json().get("response", {}).get("docs", [])
        except (requests.RequestException, ValueError) as exc:
            raise PlaceNotFound(text, _("De adreszoeker (PDOK) is niet bereikbaar.")) from exc
        if not docs:
            raise PlaceNotFound(text)
        return parse_pdok_doc(docs[0], text)


_POINT = re.compile(r"POINT\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)")


def parse_pdok_doc(doc: dict, text: str) -> Place:
    """A Place from one Locatieserver response doc (fields type, weergavenaam, centroide_ll,
    buurtcode/wijkcode/gemeentecode/postcode). Raises PlaceNotFound on a malformed doc."""
    match = _POINT.match(doc.get("centroide_ll", ""))
    if not match:
        raise PlaceNotFound(text, _("Onverwacht antwoord van de adreszoeker."))
    lon, lat = float(match.group(1)), float(match.group(2))
    if not valid_wgs84(lat, lon):
        raise PlaceNotFound(text, _("Onverwacht antwoord van de adreszoeker."))
    doc_type = doc.get("type", "")
    kind = {
        "adres": "address",
        "postcode": "postcode",
        "buurt": "neighbourhood",
        "wijk": "district",
        "gemeente": "municipality",
    }.get(doc_type, "area")
    municipality = doc.get("gemeentecode", "")
    if municipality and not municipality.startswith("GM"):
        municipality = f"GM{municipality}"
    code = {
        "adres": doc.get("postcode", ""),
        "postcode": doc.get("postcode", ""),
        "buurt": doc.get("buurtcode", ""),
        "wijk": doc.get("wijkcode", ""),
        "gemeente": municipality,
    }.get(doc_type, "")
    return Place(
        lat, lon, doc.get("weergavenaam", text), kind, code, municipality, doc.get("wijkcode", "")
    )


def get_geocoder() -> Geocoder:
    """The configured geocoder (``settings.GEOCODER``: offline or pdok)."""
    if settings.GEOCODER == "pdok":
        return PdokGeocoder()
    return OfflineGeocoder()
