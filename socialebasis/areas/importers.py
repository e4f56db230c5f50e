"""Import Dutch areas from CBS *Kerncijfers wijken en buurten 2024* plus municipal boundaries.

Sources (all under the data directory, see ``data/SOURCES.md``):

- ``cbs/kwb2024_gemeenten_nl.csv`` (342), ``cbs/kwb2024_wijken_nl.csv`` (3,393),
  ``cbs/kwb2024_buurten_nl.csv`` (14,574): codes, names and key figures. An empty cell is a
  figure CBS suppressed or did not publish and becomes NULL (the PC4 ``postcode`` becomes "").
  Counts are people or households, ``dichtheid`` inhabitants per km², ``huishoudensgrootte``
  persons, ``inkomenPerInwoner`` thousands of euros.
- Boundaries (WGS84 GeoJSON): Amsterdam buurten (``cbsCode``), Utrecht buurten and wijken
  (CBS code = ``"BU0344"``/``"WK0344"`` + ``KODE``). A district without a polygon of its own
  whose neighbourhoods all have one gets their union; a municipality whose districts all
  have one gets theirs. A boundary whose code is not a loaded CBS area is skipped and
  reported (Amsterdam's ``BU0363MK06`` is not in CBS 2024).

Keys are the CBS codes, so re-importing updates in place: same UUIDs, nothing duplicated.
Errors raise ``ImportFailure`` naming the file, the line (CSV, 1 = header) or the feature
(GeoJSON, 1-based) and the reason, before anything is written.
"""

from __future__ import annotations

import csv
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from socialebasis.areas.centroids import DECIMALS, polygon_centroid
from socialebasis.areas.models import District, Municipality, Neighbourhood
from socialebasis.lib.importing import ImportFailure, Report, chunked, read_json, sync_rows

CBS_ATTRIBUTION = "Bron: CBS, Kerncijfers wijken en buurten 2024 (CC BY 4.0)"

GEMEENTEN = "cbs/kwb2024_gemeenten_nl.csv"
WIJKEN = "cbs/kwb2024_wijken_nl.csv"
BUURTEN = "cbs/kwb2024_buurten_nl.csv"


@dataclass(frozen=True)
class BoundaryFile:
    """A boundary file of one municipality: which level, which property holds the code."""

    municipality: str
    level: str  # "buurt" or "wijk"
    path: str
    code_property: str
    code_prefix: str
    attribution: str


BOUNDARY_FILES = (
    BoundaryFile(
        "GM0363",
        "buurt",
        "amsterdam/buurten_amsterdam.geojson",
        "cbsCode",
        "",
        "Bron: Gemeente Amsterdam, gebieden (buurtgrenzen)",
    ),
    BoundaryFile(
        "GM0344",
        "buurt",
        "utrecht/buurten_utrecht.geojson",
        "KODE",
        "BU0344",
        "Bron: Gemeente Utrecht, open data (buurtgrenzen 2015)",
    ),
    BoundaryFile(
        "GM0344",
        "wijk",
        "utrecht/wijken_utrecht.geojson",
        "KODE",
        "WK0344",
        "Bron: Gemeente Utrecht, open data (wijkgrenzen 2015)",
    ),
)

# model field, CSV column, type
FIGURES = (
    ("residents", "inwoners", int),
    ("residents_65_plus", "inwoners65plus", int),
    ("residents_0_15", "inwoners0tot15", int),
    ("households", "huishoudens", int),
    ("household_size", "huishoudensgrootte", float),
    ("density", "dichtheid", int),
    ("income_per_resident", "inkomenPerInwoner", float),
)

GM_RE = re.compile(r"GM\d{4}")
WK_RE = re.compile(r"WK\d{4}[0-9A-Z]{2}")  # Amsterdam uses letters: WK0363AA
BU_RE = re.compile(r"BU\d{4}[0-9A-Z]{4}")  # e.g. BU0363AA01
PC4_RE = re.compile(r"[1-9]\d{3}")

# The Netherlands (European part, with the Wadden islands), WGS84 degrees.
NL_LAT = (50.7, 53.7)
NL_LON = (3.2, 7.3)
SIMPLIFY_DEGREES = 0.00002  # about 2 m: tidies the seams of unioned polygons


@dataclass
class AreaRow:
    """One validated CSV row: CBS code, name, parent code and model field values."""

    code: str
    name: str
    parent: str  # the municipality code of a wijk, the wijk code of a buurt, "" for a gemeente
    municipality: str
    values: dict = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------


def _rows(path: Path, required: Iterable[str]) -> Iterable[tuple[int, dict]]:
    """(line number, row) of a UTF-8 CSV file; the header is line 1."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as exc:
        raise ImportFailure(path, "", "file not found") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ImportFailure(path, "line 1", f"missing column(s) {', '.join(missing)}")
        try:
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise ImportFailure(path, f"line {reader.line_num}", "wrong number of cells")
                yield reader.line_num, {k: v.strip() for k, v in row.items()}
        except csv.Error as exc:
            raise ImportFailure(path, f"line {reader.line_num}", f"bad CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise ImportFailure(path, f"line {reader.line_num}", "not UTF-8 text") from exc


def _figure(raw: str, kind: type, column: str, where: tuple[Path, str]) -> int | float | None:
    if raw == "":
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise ImportFailure(
            *where, f"{column} is not a{'n integer' if kind is int else ' number'}: {raw!r}"
        ) from None
    if not math.isfinite(value) or value < 0:
        raise ImportFailure(*where, f"{column} must be a finite number >= 0: {raw!r}")
    return value


def _values(row: dict, where: tuple[Path, str]) -> dict:
    """Model field values of the figures in a CSV row."""
    values = {name: _figure(row[column], kind, column, where) for name, column, kind in FIGURES}
    postcode = row.get("postcode", "")
    if postcode and not PC4_RE.fullmatch(postcode):
        raise ImportFailure(*where, f"postcode is not a 4-digit PC4: {postcode!r}")
    values["postcode"] = postcode
    return values


def _check_code(code: str, pattern: re.Pattern, what: str, where: tuple[Path, str]) -> None:
    if not pattern.fullmatch(code):
        raise ImportFailure(*where, f"malformed {what} code {code!r}")


def _check_name(name: str, what: str, where: tuple[Path, str]) -> None:
    if not name:
        raise ImportFailure(*where, f"missing {what} name")
    if len(name) > 100:
        raise ImportFailure(*where, f"{what} name longer than 100 characters")


def read_gemeenten(path: Path, only: set[str] | None) -> dict[str, AreaRow]:
    """code -> AreaRow of the municipalities (all, or those in ``only``)."""
    result: dict[str, AreaRow] = {}
    cols = ["gemeente_code", "gemeente_naam", "provincie_naam"] + [c for _, c, _ in FIGURES]
    for line, row in _rows(path, cols):
        where = (path, f"line {line}")
        code = row["gemeente_code"]
        _check_code(code, GM_RE, "gemeente", where)
        if only is not None and code not in only:
            continue
        _check_name(row["gemeente_naam"], "gemeente", where)
        if code in result:
            raise ImportFailure(*where, f"duplicate gemeente code {code}")
        values = _values(row, where)
        values.update(code=code, name=row["gemeente_naam"], province_name=row["provincie_naam"])
        result[code] = AreaRow(code, row["gemeente_naam"], "", code, values)
    if only is not None:
        unknown = sorted(only - set(result))
        if unknown:
            raise ImportFailure(path, "", f"unknown municipality code(s) {', '.join(unknown)}")
    return result


def read_wijken(path: Path, gemeenten: dict[str, AreaRow]) -> dict[str, AreaRow]:
    """code -> AreaRow of the districts of the given municipalities."""
    result: dict[str, AreaRow] = {}
    for line, row in _rows(path, ["wijk_code", "wijk_naam", "gemeente_code"]):
        where = (path, f"line {line}")
        code, gm = row["wijk_code"], row["gemeente_code"]
        _check_code(gm, GM_RE, "gemeente", where)
        if gm not in gemeenten:
            continue
        _check_code(code, WK_RE, "wijk", where)
        if code[2:6] != gm[2:]:
            raise ImportFailure(*where, f"wijk code {code} does not belong to gemeente {gm}")
        _check_name(row["wijk_naam"], "wijk", where)
        if code in result:
            raise ImportFailure(*where, f"duplicate wijk code {code}")
        values = _values(row, where)
        values.update(code=code, name=row["wijk_naam"])
        result[code] = AreaRow(code, row["wijk_naam"], gm, gm, values)
    return result


def read_buurten(
    path: Path, gemeenten: dict[str, AreaRow], wijken: dict[str, AreaRow]
) -> dict[str, AreaRow]:
    """code -> AreaRow of the neighbourhoods of the given municipalities."""
    result: dict[str, AreaRow] = {}
    for line, row in _rows(path, ["buurt_code", "buurt_naam", "wijk_code", "gemeente_code"]):
        where = (path, f"line {line}")
        code, wk, gm = row["buurt_code"], row["wijk_code"], row["gemeente_code"]
        _check_code(gm, GM_RE, "gemeente", where)
        if gm not in gemeenten:
            continue
        _check_code(code, BU_RE, "buurt", where)
        _check_code(wk, WK_RE, "wijk", where)
        if wk not in wijken:
            raise ImportFailure(*where, f"unknown wijk code {wk} (not in {WIJKEN})")
        if wijken[wk].municipality != gm:
            raise ImportFailure(
                *where, f"wijk {wk} belongs to {wijken[wk].municipality}, not to {gm}"
            )
        if code[2:8] != wk[2:]:
            raise ImportFailure(*where, f"buurt code {code} does not belong to wijk {wk}")
        _check_name(row["buurt_naam"], "buurt", where)
        if code in result:
            raise ImportFailure(*where, f"duplicate buurt code {code}")
        values = _values(row, where)
        values.update(code=code, name=row["buurt_naam"])
        result[code] = AreaRow(code, row["buurt_naam"], wk, gm, values)
    return result


# --- boundaries ----------------------------------------------------------------------------


def _rounded(coords):
    if isinstance(coords, (int, float)):
        return round(float(coords), DECIMALS)
    return [_rounded(c) for c in coords]


def clean_geometry(geometry) -> dict:
    """A shapely or GeoJSON geometry as a plain GeoJSON dict with coordinates rounded to
    6 decimals (lists, not tuples, so it compares equal to what the database returns)."""
    from shapely.geometry import mapping

    data = geometry if isinstance(geometry, dict) else mapping(geometry)
    return {"type": data["type"], "coordinates": _rounded(data["coordinates"])}


def _feature_geometry(feature, path: Path, where: str) -> dict:
    """Validated, cleaned Polygon/MultiPolygon of one GeoJSON feature."""
    from shapely.geometry import shape

    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ImportFailure(path, where, "geometry is not a Polygon or MultiPolygon")
    try:
        shp = shape(geometry)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise ImportFailure(path, where, f"unreadable geometry ({exc})") from exc
    if shp.is_empty:
        raise ImportFailure(path, where, "empty geometry")
    min_lon, min_lat, max_lon, max_lat = shp.bounds
    if not (
        NL_LAT[0] <= min_lat
        and max_lat <= NL_LAT[1]
        and NL_LON[0] <= min_lon
        and max_lon <= NL_LON[1]
    ):
        raise ImportFailure(
            path, where, "coordinates outside the Netherlands (expected WGS84 longitude, latitude)"
        )
    return clean_geometry(geometry)


def read_boundaries(
    data_dir: Path, spec: BoundaryFile, known: set[str], report: Report
) -> dict[str, dict]:
    """CBS code -> geometry of the features of one boundary file whose code is in ``known``.

    Features with another code are skipped and reported. Raises ImportFailure for a feature
    without a code, with a duplicate code or a bad geometry (feature numbers are 1-based).
    """
    path = data_dir / spec.path
    data = read_json(path)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise ImportFailure(path, "", "not a GeoJSON FeatureCollection")
    result: dict[str, dict] = {}
    skipped: list[str] = []
    for number, feature in enumerate(features, 1):
        props = (feature.get("properties") if isinstance(feature, dict) else None) or {}
        raw = str(props.get(spec.code_property) or "").strip()
        where = f"feature {number}"
        if not raw:
            raise ImportFailure(path, where, f"missing {spec.code_property}")
        code = spec.code_prefix + raw
        where = f"feature {number} ({spec.code_property} {raw})"
        if code in result:
            raise ImportFailure(path, where, f"duplicate code {code}")
        geometry = _feature_geometry(feature, path, where)
        if code in known:
            result[code] = geometry
        else:
            skipped.append(code)
    if skipped:
        report.note(
            f"{spec.path}: skipped {len(skipped)} boundary(ies) whose code is not a "
            f"loaded CBS 2024 {spec.level}: {', '.join(sorted(skipped)[:20])}"
            + (" ..." if len(skipped) > 20 else "")
        )
    return result


def _union(geometries: list[dict]) -> dict:
    from shapely import unary_union
    from shapely.geometry import shape

    merged = unary_union([shape(g) for g in geometries])
    return clean_geometry(merged.simplify(SIMPLIFY_DEGREES, preserve_topology=True))


def boundaries(
    data_dir: Path, gemeenten: dict, wijken: dict, buurten: dict, report: Report
) -> tuple[dict, dict, dict]:
    """(municipality, district, neighbourhood) code -> geometry for the loaded areas."""
    hood_geo: dict[str, dict] = {}
    district_geo: dict[str, dict] = {}
    for spec in BOUNDARY_FILES:
        if spec.municipality not in gemeenten:
            continue
        if not (data_dir / spec.path).exists():
            report.note(f"{spec.path}: not found, boundaries skipped")
            continue
        known = buurten if spec.level == "buurt" else wijken
        found = read_boundaries(data_dir, spec, set(known), report)
        (hood_geo if spec.level == "buurt" else district_geo).update(found)
        report.note(f"{spec.path}: {len(found)} {spec.level} boundaries")
        report.credit(spec.attribution)

    hoods_of: dict[str, list[str]] = defaultdict(list)
    for code, row in buurten.items():
        hoods_of[row.parent].append(code)
    for code in wijken:
        parts = hoods_of.get(code, [])
        if code not in district_geo and parts and all(p in hood_geo for p in parts):
            district_geo[code] = _union([hood_geo[p] for p in parts])

    districts_of: dict[str, list[str]] = defaultdict(list)
    for code, row in wijken.items():
        districts_of[row.parent].append(code)
    municipality_geo: dict[str, dict] = {}
    for code in gemeenten:
        parts = districts_of.get(code, [])
        if parts and all(p in district_geo for p in parts):
            municipality_geo[code] = _union([district_geo[p] for p in parts])
    return municipality_geo, district_geo, hood_geo


# --- writing -------------------------------------------------------------------------------


def _with_boundary(values: dict, geometry: dict | None, current) -> dict:
    """Add geometry and, for a polygon, its centroid. Without a polygon the centroid is left
    to ``assign_centroids``, except that a stale polygon centroid is cleared."""
    values = dict(values, geometry=geometry)
    if geometry is not None:
        lat, lon = polygon_centroid(geometry)
        values.update(centroid_lat=lat, centroid_lon=lon, centroid_source="polygon")
    elif current is not None and current.centroid_source == "polygon":
        values.update(centroid_lat=None, centroid_lon=None, centroid_source="")
    return values


def _existing(model, codes: list[str]) -> dict:
    found = {}
    for batch in chunked(codes):
        for obj in model.objects.filter(code__in=batch):
            found[obj.code] = obj
    return found


def import_cbs(data_dir: Path, municipality_codes: Iterable[str] | None = None) -> Report:
    """Load (or update) CBS municipalities, districts and neighbourhoods and boundaries.

    ``municipality_codes``: only these (e.g. ``["GM0363"]``); None loads the whole country.
    Call inside a transaction; raises ImportFailure before writing anything on bad input.
    Returns the report with per-level tallies and notes (skipped boundaries, attribution).
    """
    data_dir = Path(data_dir)
    only = set(municipality_codes) if municipality_codes else None
    for code in sorted(only or ()):
        if not GM_RE.fullmatch(code):
            raise ImportFailure(
                data_dir / GEMEENTEN, "", f"malformed municipality code {code!r} (expected GMxxxx)"
            )
    report = Report()
    report.credit(CBS_ATTRIBUTION)
    gemeenten = read_gemeenten(data_dir / GEMEENTEN, only)
    wijken = read_wijken(data_dir / WIJKEN, gemeenten)
    buurten = read_buurten(data_dir / BUURTEN, gemeenten, wijken)
    municipality_geo, district_geo, hood_geo = boundaries(
        data_dir, gemeenten, wijken, buurten, report
    )

    current = _existing(Municipality, list(gemeenten))
    municipalities = sync_rows(
        Municipality,
        current,
        {
            code: _with_boundary(row.values, municipality_geo.get(code), current.get(code))
            for code, row in gemeenten.items()
        },
        report.tally("Municipality (gemeente)"),
    )

    current = _existing(District, list(wijken))
    districts = sync_rows(
        District,
        current,
        {
            code: _with_boundary(
                dict(row.values, municipality_id=municipalities[row.parent].pk),
                district_geo.get(code),
                current.get(code),
            )
            for code, row in wijken.items()
        },
        report.tally("District (wijk)"),
    )

    current = _existing(Neighbourhood, list(buurten))
    sync_rows(
        Neighbourhood,
        current,
        {
            code: _with_boundary(
                dict(
                    row.values,
                    district_id=districts[row.parent].pk,
                    municipality_id=municipalities[row.municipality].pk,
                ),
                hood_geo.get(code),
                current.get(code),
            )
            for code, row in buurten.items()
        },
        report.tally("Neighbourhood (buurt)"),
    )
    return report
