#!/usr/bin/env python
"""Search benchmark: latency and quality of ``directory.search.search()`` at 100,000 services,
against two baselines on the same data in the same run.

Data. A directory of N services (default 100,000) built from the real public data in
``data/``: the 1,462 Amsterdam social facilities and the 209 Amsterdam poverty/welfare services
(the "real directory", 1,671 services), plus synthetic services that recombine their real names,
categories and description sentences, with points inside real CBS neighbourhood polygons of
Amsterdam and Utrecht (weighted by residents) and location-less services with a municipal
service area in other real CBS municipalities. Everything is drawn from one seeded random
generator, so the dataset is the same on every machine. It is bulk-inserted into its own
database (SQLite ``benchmarks/.data/bench-<N>.sqlite3``; PostgreSQL ``sb_bench`` or
``sb_bench_<N>`` on ``$SB_BENCH_PG``, another prefix than ``sb_bench`` in
``$SB_BENCH_PG_NAME``), migrated, indexed with ``rebuild_search_index()``, and kept: later runs
reuse it unless ``--rebuild`` is given.

Latency. A fixed mix of Dutch queries in four classes (text, text+place, place, filtered),
each run through the real ``search(SearchParams(...))`` after a warm-up pass; p50/p95/p99 in
ms and queries per second (one sequential client) per class and engine.

Baselines, same rows, same query mix:

- naive: every row (name, description, point, filters) held in a Python list; all query
  words must be substrings of the case-folded name + description; distance by haversine over
  every row; ranked by words found in the name, then distance, then name.
- tantivy (optional, ``pip install -e '.[bench]'``): name and description indexed with a
  Dutch analyser (simple tokenizer, lower case, ASCII folding, Dutch stopwords, Snowball
  Dutch stemmer), lat/lon as fast float fields with range queries for the bounding box, the
  exact radius as a post-filter in Python, filters as indexed fields; BM25 with name x3.

Quality. The labelled queries of ``benchmarks/queries_nl.json`` are run against the real
directory only (1,671 services, a separate small database), because the labels name real
records by (source, source_id). Recall@10 and NDCG@10 (binary relevance,
DCG = sum rel_i / log2(i + 1)) per engine.

Usage: ``python benchmarks/search.py --help``; ``make bench``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import gc
import itertools
import json
import math
import os
import platform
import random
import re
import statistics
import sys
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
CACHE_DIR = BENCH_DIR / ".data"
QUERIES_FILE = BENCH_DIR / "queries_nl.json"
PG_SERVER = os.environ.get("SB_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# Another prefix keeps the databases of two working copies on one server apart.
PG_NAME = os.environ.get("SB_BENCH_PG_NAME", "sb_bench")

SEED = 20_241_129
GENERATOR_VERSION = 2  # bump when the generator changes: cached databases are rebuilt
DEFAULT_SERVICES = 100_000
DEFAULT_QUERIES = 100
PAGE_SIZE = 20

SOURCE_SYNTHETIC = "bench"

# Default synonym groups, used only when the project ships none (no default-synonyms migration).
BENCH_SYNONYMS = [
    "geldzorgen, schulden, financiële problemen, betalingsachterstand",
    "alleen, eenzaam, eenzaamheid, weinig contact",
    "mantelzorg, mantelzorger, zorgen voor naaste",
    "buurthuis, wijkcentrum, buurtcentrum, huis van de wijk",
    "jongeren, jeugd, tieners",
    "ouderen, senioren",
    "voedselbank, voedselhulp, gratis eten",
    "taalles, nederlands leren, taalcafé",
    "computerles, digitale vaardigheden",
    "dagbesteding, dagactiviteiten",
    "dakloos, daklozenopvang, nachtopvang",
]


def setup_django(database_url: str) -> None:
    """Configure Django for the benchmark; ``database_url`` is the first database used."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "socialebasis.settings")
    os.environ.setdefault("SB_DEBUG", "0")
    os.environ.setdefault("SB_GEOCODER", "offline")
    import django

    django.setup()


def use_database(database_url: str) -> None:
    """Point Django's default connection at another database (SQLite or PostgreSQL)."""
    import dj_database_url
    from django.conf import settings
    from django.db import connections

    from socialebasis.directory import geocoding

    connections.close_all()
    config = dj_database_url.parse(database_url, conn_max_age=600)
    if config["ENGINE"].endswith("sqlite3"):
        config["OPTIONS"] = {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    config = connections.configure_settings({"default": config})["default"]
    settings.DATABASES["default"] = config
    connections.settings["default"] = config
    with contextlib.suppress(AttributeError):
        del connections["default"]
    geocoding._aliases.cache_clear()


# ====================================================================== real source data


@dataclass
class Sources:
    """The real public data the dataset is made of, read once from ``data/``. The Amsterdam
    records are parsed by the project's own importer (``directory.importers.amsterdam``), so
    they carry its names, generated descriptions, themes and (source, source_id) keys."""

    facilities: list  # importers.amsterdam.Facility
    poverty: list  # importers.amsterdam.PovertyService
    municipalities: list[dict]
    districts: list[dict]
    neighbourhoods: list[dict]
    polygons: dict[str, dict]  # CBS buurt code -> GeoJSON geometry (Amsterdam, Utrecht)
    sentences: list[tuple[str, tuple[str, ...]]]  # real description sentences + their themes
    streets: list[str]


# Synthetic variation only: ages and "free" for services made from a facility category.
FACILITY_AGES = {
    "Jongerencentrum": (12, 23),
    "Meedoen ouderen": (65, None),
    "Primair onderwijs": (4, 12),
    "Voortgezet onderwijs": (12, 18),
    "OKT": (0, 18),
    "Speeltuingebouw": (0, 12),
}
FACILITY_FREE = {"Buurtkamer", "Huis van de wijk", "Inlooplocatie", "Bibliotheek", "OKT"}
ALL_THEMES = [
    "ontmoeting", "buurtkamer", "buurthuis", "speeltuin", "mantelzorg", "vrijwilligerswerk",
    "geld-en-schulden", "schuldhulp", "minimaregelingen", "voedsel", "eenzaamheid",
    "opvoeding-en-jeugd", "jongerenwerk", "opvoedondersteuning", "ouderen", "gezondheid", "wonen",
    "werk-en-dagbesteding", "taal-en-digitaal", "sport-en-bewegen", "kunst-en-cultuur",
    "onderwijs", "opvang", "sociaal-werk",
]  # fmt: skip
KINDS = [
    "association", "informal_group", "collective_facility", "social_work_provider",
    "municipality", "other",
]  # fmt: skip
ORG_PREFIXES = [
    "Stichting", "Vereniging", "Buurtnetwerk", "Bewonersgroep", "Buurtcoöperatie",
    "Welzijn", "Huis van de Wijk", "Wijkcentrum", "Vrienden van", "Samen in",
]  # fmt: skip
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_OFFER = "\n\nAanbod: "


def _int(value: str) -> int | None:
    try:
        return int(float(value)) if value not in ("", None) else None
    except ValueError:
        return None


def load_sources(data_dir: Path | None = None) -> Sources:
    """Read the real data files (facilities, poverty services, CBS areas, polygons)."""
    from socialebasis.directory.importers.amsterdam import read_facilities, read_poverty_services

    data_dir = data_dir or ROOT / "data"
    facilities = read_facilities(data_dir)
    poverty = read_poverty_services(data_dir)
    sentences: list[tuple[str, tuple[str, ...]]] = []
    for record in poverty:
        about = record.description.partition(_OFFER)[0]
        for sentence in _SENTENCE.split(about.replace("\n", " ")):
            if len(sentence) >= 25:
                sentences.append((sentence, tuple(record.themes)))
    municipalities = _read_csv(data_dir / "cbs/kwb2024_gemeenten_nl.csv")
    districts = _read_csv(data_dir / "cbs/kwb2024_wijken_nl.csv")
    neighbourhoods = _read_csv(data_dir / "cbs/kwb2024_buurten_nl.csv")
    polygons: dict[str, dict] = {}
    with (data_dir / "amsterdam/buurten_amsterdam.geojson").open() as fh:
        for feature in json.load(fh)["features"]:
            polygons[feature["properties"]["cbsCode"]] = feature["geometry"]
    with (data_dir / "utrecht/buurten_utrecht.geojson").open() as fh:
        for feature in json.load(fh)["features"]:
            polygons["BU0344" + feature["properties"]["KODE"]] = feature["geometry"]
    known = {row["buurt_code"] for row in neighbourhoods}
    polygons = {code: geometry for code, geometry in polygons.items() if code in known}
    streets = sorted(
        {re.sub(r"\s+\d.*$", "", f.address_1) for f in facilities if f.address_1} - {""}
    )
    return Sources(
        facilities, poverty, municipalities, districts, neighbourhoods, polygons, sentences,
        streets,
    )  # fmt: skip


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# ====================================================================== the dataset plan


@dataclass
class Plan:
    """Rows to insert, as plain dicts keyed by codes (areas, themes) rather than ids."""

    organizations: list[dict] = field(default_factory=list)
    locations: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    municipality_codes: set[str] = field(default_factory=set)


class _Ids:
    """Deterministic UUIDs from the seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


def _polygon_index(sources: Sources):
    from shapely.geometry import shape
    from shapely.prepared import prep

    hoods = {row["buurt_code"]: row for row in sources.neighbourhoods}
    shapes = {}
    for code in sorted(sources.polygons):
        geometry = shape(sources.polygons[code])
        shapes[code] = (geometry, prep(geometry), geometry.bounds)
    return hoods, shapes


def _point_in(rng: random.Random, entry) -> tuple[float, float]:
    from shapely.geometry import Point

    geometry, prepared, (minx, miny, maxx, maxy) = entry
    for _ in range(200):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if prepared.contains(Point(x, y)):
            return round(y, 6), round(x, 6)
    point = geometry.representative_point()
    return round(point.y, 6), round(point.x, 6)


def _word_variants(sources: Sources, rng: random.Random, count: int) -> list[str]:
    """A long tail of Dutch-looking word forms: real words with Dutch suffixes, and compounds
    of two real words, so that the vocabulary grows with the directory as real text does."""
    from socialebasis.lib.text import words

    real: set[str] = set()
    for record in sources.poverty:
        real.update(w for w in words(f"{record.name} {record.description}") if len(w) >= 4)
    for facility in sources.facilities:
        real.update(w for w in words(facility.name) if len(w) >= 4)
    pool = sorted(w for w in real if not w.isdigit())
    heads = [w for w in pool if 4 <= len(w) <= 9]
    variants: set[str] = set()
    while len(variants) < count:
        word = rng.choice(pool)
        if rng.random() < 0.5:
            variants.add(word + rng.choice(["je", "tje", "s", "en", "e", "ing", "heid", "er"]))
        else:
            variants.add(rng.choice(heads) + word)
    return sorted(variants)


def real_count(sources: Sources) -> int:
    return len(sources.facilities) + len(sources.poverty)


def plan_directory(
    sources: Sources, n_services: int, seed: int = SEED, *, include_real: bool = True
) -> Plan:
    """The deterministic directory of ``n_services`` services.

    With ``include_real`` the real records come first (all 1,671 when ``n_services`` is at
    least twice that, a seeded sample of half the services otherwise); without it they are
    left to the project's importer and only the synthetic rest is planned. Synthetic
    services: 72 % at a point inside an Amsterdam neighbourhood polygon, 18 % inside a Utrecht
    one (neighbourhoods weighted by residents), 10 % without a location, with a service area
    in another CBS municipality.
    """
    rng = random.Random(seed)
    new_id = _Ids(random.Random(seed + 1))
    hoods, shapes = _polygon_index(sources)
    plan = Plan()
    plan.municipality_codes.update({"GM0363", "GM0344"})
    real_records = [("facility", f) for f in sources.facilities] + [
        ("poverty", p) for p in sources.poverty
    ]
    if not include_real:
        n_services -= len(real_records)
        real_records = []
    elif n_services < 2 * len(real_records):
        real_records = random.Random(seed + 2).sample(real_records, n_services // 2)
    if real_records:
        _plan_real(plan, real_records, shapes, new_id)
    n_synthetic = n_services - len(plan.services)
    if n_synthetic > 0:
        _plan_synthetic(plan, sources, hoods, shapes, n_synthetic, rng, new_id)
    return plan


def _plan_real(plan: Plan, records, shapes, new_id) -> None:
    """The real records as the importer reads them (written here without its extras:
    phones, e-mail, URL and the source-category taxonomy)."""
    from shapely.geometry import Point

    from socialebasis.directory.importers.amsterdam import (
        FACILITIES_SOURCE,
        POVERTY_SOURCE,
        org_key,
    )

    amsterdam_shapes = [(c, s) for c, s in shapes.items() if c.startswith("BU0363")]
    orgs: dict[str, dict] = {}
    for origin, r in records:
        if origin == "facility":
            point = Point(r.lon, r.lat)
            hood = next((c for c, (_, prep, _) in amsterdam_shapes if prep.contains(point)), "")
            org = {
                "id": new_id(), "name": r.name, "kind": r.kind.organization_kind,
                "municipality": "GM0363", "source": FACILITIES_SOURCE, "source_id": r.mvzn_id,
            }  # fmt: skip
            plan.organizations.append(org)
            location = {
                "id": new_id(), "org": org["id"], "name": r.name, "kind": r.kind.location_kind,
                "lat": r.lat, "lon": r.lon, "municipality": "GM0363", "neighbourhood": hood,
                "address": r.address_1, "postcode": r.postal_code, "city": r.city,
                "wheelchair": False, "source": FACILITIES_SOURCE, "source_id": r.mvzn_id,
            }  # fmt: skip
            plan.locations.append(location)
            plan.services.append(
                {
                    "id": new_id(),
                    "org": org["id"],
                    "name": r.service_name,
                    "alternate_name": r.name if r.name != r.service_name else "",
                    "description": r.description,
                    "apply": "",
                    "eligibility": "",
                    "min_age": None,
                    "max_age": None,
                    "municipality": "GM0363",
                    "themes": list(r.kind.themes),
                    "free": False,
                    "languages": [],
                    "location": location["id"],
                    "area": None,
                    "source": FACILITIES_SOURCE,
                    "source_id": r.mvzn_id,
                }  # fmt: skip
            )
        else:
            key = org_key(r.organization)
            if key not in orgs:
                orgs[key] = {
                    "id": new_id(), "name": r.organization, "kind": r.organization_kind,
                    "municipality": "GM0363", "source": POVERTY_SOURCE, "source_id": key,
                }  # fmt: skip
                plan.organizations.append(orgs[key])
            plan.services.append(
                {
                    "id": new_id(),
                    "org": orgs[key]["id"],
                    "name": r.name,
                    "alternate_name": "",
                    "description": r.description,
                    "apply": r.application_process,
                    "eligibility": r.eligibility,
                    "min_age": r.minimum_age,
                    "max_age": r.maximum_age,
                    "municipality": "GM0363",
                    "themes": list(r.themes),
                    "free": r.free,
                    "languages": [],
                    "location": None,
                    "area": "GM0363",
                    "source": POVERTY_SOURCE,
                    "source_id": r.source_id,
                }  # fmt: skip
            )


def _weighted_hoods(hoods, shapes, prefix):
    codes = [c for c in shapes if c.startswith(prefix)]
    weights = [max(50, _int(hoods[c]["inwoners"]) or 0) for c in codes]
    return codes, list(itertools.accumulate(weights))


def _plan_synthetic(plan, sources, hoods, shapes, n, rng, new_id) -> None:
    variants = _word_variants(sources, rng, min(60_000, max(2_000, n)))
    variant_cum = list(itertools.accumulate(1.0 / (rank + 100) for rank in range(len(variants))))
    ams_codes, ams_weights = _weighted_hoods(hoods, shapes, "BU0363")
    utr_codes, utr_weights = _weighted_hoods(hoods, shapes, "BU0344")
    districts = {row["wijk_code"]: row for row in sources.districts}
    others = [m for m in sources.municipalities if m["gemeente_code"] not in ("GM0363", "GM0344")]
    other_weights = list(itertools.accumulate(max(1000, _int(m["inwoners"]) or 0) for m in others))
    hood_names_by_muni = defaultdict(list)
    for row in sources.neighbourhoods:
        hood_names_by_muni[row["gemeente_code"]].append(row["buurt_naam"])
    all_hood_names = [row["buurt_naam"] for row in sources.neighbourhoods]
    facility_names = [f.name for f in sources.facilities]
    sentences_by_theme = defaultdict(list)
    for sentence, themes in sources.sentences:
        for code in themes:
            sentences_by_theme[code].append(sentence)
    all_sentences = [s for s, _ in sources.sentences]
    running: dict[str, tuple[dict, int, list[dict]]] = {}  # municipality -> org, left, locations

    for _ in range(n):
        roll = rng.random()
        if roll < 0.72:
            code = rng.choices(ams_codes, cum_weights=ams_weights)[0]
            municipality, city = "GM0363", "Amsterdam"
        elif roll < 0.90:
            code = rng.choices(utr_codes, cum_weights=utr_weights)[0]
            municipality, city = "GM0344", "Utrecht"
        else:
            code = None
            other = rng.choices(others, cum_weights=other_weights)[0]
            municipality, city = other["gemeente_code"], other["gemeente_naam"]
        plan.municipality_codes.add(municipality)
        hood_name = (
            hoods[code]["buurt_naam"]
            if code
            else rng.choice(hood_names_by_muni.get(municipality) or all_hood_names)
        )
        district_name = districts[hoods[code]["wijk_code"]]["wijk_naam"] if code else city

        # An organisation runs 1..6 services in one municipality.
        current_org, org_left, org_locations = running.get(municipality, (None, 0, []))
        if org_left <= 0:
            prefix = rng.choice(ORG_PREFIXES)
            base = rng.choice([hood_name, rng.choice(all_hood_names), rng.choice(facility_names)])
            current_org = {
                "id": new_id(), "name": f"{prefix} {base}", "kind": rng.choice(KINDS),
                "municipality": municipality, "source": SOURCE_SYNTHETIC,
                "source_id": f"org:{len(plan.organizations)}",
            }  # fmt: skip
            plan.organizations.append(current_org)
            org_left = rng.randint(1, 6)
            org_locations = []
        running[municipality] = (current_org, org_left - 1, org_locations)
        org_base = current_org["name"].split(" ", 1)[-1]

        if rng.random() < 0.6:
            f = rng.choice(sources.facilities)
            label = f.kind.label or f.soort or f.categorie
            label = label[:1].upper() + label[1:]
            themes = list(f.kind.themes)
            ages = FACILITY_AGES.get(f.soort) or FACILITY_AGES.get(f.categorie) or (None, None)
            free = bool({f.soort, f.categorie} & FACILITY_FREE) and rng.random() < 0.8
            name = rng.choice(
                [
                    f"{label} {hood_name}",
                    f"{label} {rng.choice(facility_names)}",
                    f"{f.name} {district_name}",
                    f"{label} {org_base}",
                ]
            )
            description = [f"{f.kind.about}, in {district_name}, {city}."]
            location_kind = f.kind.location_kind
            offer = ""
        else:
            t = rng.choice(sources.poverty)
            about, _, offer = t.description.partition(_OFFER)
            themes = list(t.themes)
            ages = (t.minimum_age, t.maximum_age)
            free = t.free or rng.random() < 0.1
            name = rng.choice(
                [
                    f"{t.name} {hood_name}",
                    f"{t.name} {org_base}",
                    f"{(offer or t.name).split(',')[0][:60]} {district_name}",
                ]
            )
            description = [s for s in _SENTENCE.split(about.replace("\n", " ")) if s][:2]
            location_kind = rng.choice(["community_centre", "office", "other"])
        if rng.random() < 0.15:
            extra = rng.choice(ALL_THEMES)
            if extra not in themes:
                themes.append(extra)
        # More real sentences, mostly from services with a shared theme.
        for _ in range(rng.randint(1, 3)):
            pool = sentences_by_theme.get(rng.choice(themes)) if themes else None
            if not pool or rng.random() < 0.3:
                pool = all_sentences
            description.append(rng.choice(pool))
        if rng.random() < 0.5:
            description.append(f"In de buurt {hood_name} ({district_name}).")
        text = " ".join(description)
        # Vary some longer words: the long tail of a real vocabulary.
        tokens = text.split(" ")
        for i, token in enumerate(tokens):
            if len(token) >= 6 and token.isalpha() and rng.random() < 0.08:
                tokens[i] = rng.choices(variants, cum_weights=variant_cum)[0]
        text = " ".join(tokens)
        if offer and rng.random() < 0.7:
            text += _OFFER + offer
        languages = ["nl"] if rng.random() < 0.7 else []
        for language, p in (("en", 0.15), ("ar", 0.08), ("tr", 0.06), ("pl", 0.03), ("uk", 0.03)):
            if rng.random() < p:
                languages.append(language)

        location_id = None
        if code:
            if org_locations and rng.random() < 0.3:
                location_id = rng.choice(org_locations)["id"]
            else:
                lat, lon = _point_in(rng, shapes[code])
                postcode = (hoods[code]["postcode"] or "1000") + "".join(
                    rng.choice("ABCDEFGHJKLMNPRSTVWXZ") for _ in range(2)
                )
                location = {
                    "id": new_id(), "org": current_org["id"], "name": name[:300],
                    "kind": location_kind, "lat": lat, "lon": lon,
                    "municipality": municipality, "neighbourhood": code,
                    "address": f"{rng.choice(sources.streets)} {rng.randint(1, 250)}",
                    "postcode": postcode, "city": city,
                    "wheelchair": rng.random() < 0.45, "source": "", "source_id": "",
                }  # fmt: skip
                plan.locations.append(location)
                org_locations.append(location)
                location_id = location["id"]
        plan.services.append(
            {
                "id": new_id(),
                "org": current_org["id"],
                "name": name[:300],
                "alternate_name": "",
                "description": text,
                "apply": "",
                "eligibility": "",
                "min_age": ages[0],
                "max_age": ages[1],
                "municipality": municipality,
                "themes": themes,
                "free": free,
                "languages": languages,
                "location": location_id,
                "area": None if code else municipality,
                "source": SOURCE_SYNTHETIC,
                "source_id": str(len(plan.services)),
            }  # fmt: skip
        )


# ====================================================================== writing


def write_areas(
    sources: Sources,
    municipality_codes: set[str] | None = None,
    detailed: set[str] | None = None,
) -> None:
    """CBS municipalities, districts and neighbourhoods (all of them, or those of the given
    municipalities), with the Amsterdam and Utrecht polygons and centroids. With
    ``detailed``, only those municipalities get their districts and neighbourhoods."""
    from shapely.geometry import shape

    from socialebasis.areas.models import District, Municipality, Neighbourhood

    def figures(row):
        return {
            "residents": _int(row.get("inwoners", "")),
            "residents_65_plus": _int(row.get("inwoners65plus", "")),
            "residents_0_15": _int(row.get("inwoners0tot15", "")),
            "households": _int(row.get("huishoudens", "")),
            "postcode": (row.get("postcode") or "")[:4],
        }

    def wanted(code):
        return municipality_codes is None or code in municipality_codes

    centroids = {}
    for code, geometry in sources.polygons.items():
        point = shape(geometry).centroid
        centroids[code] = (round(point.y, 6), round(point.x, 6))
    municipalities = {
        row["gemeente_code"]: Municipality(
            id=uuid.uuid5(uuid.NAMESPACE_URL, row["gemeente_code"]),
            code=row["gemeente_code"],
            name=row["gemeente_naam"],
            province_name=row["provincie_naam"],
            **figures(row),
        )
        for row in sources.municipalities
        if wanted(row["gemeente_code"])
    }
    districts = {
        row["wijk_code"]: District(
            id=uuid.uuid5(uuid.NAMESPACE_URL, row["wijk_code"]),
            code=row["wijk_code"],
            name=row["wijk_naam"],
            municipality=municipalities[row["gemeente_code"]],
            **figures(row),
        )
        for row in sources.districts
        if row["gemeente_code"] in municipalities
        and (detailed is None or row["gemeente_code"] in detailed)
    }
    hoods = []
    points_by_district = defaultdict(list)
    for row in sources.neighbourhoods:
        if row["wijk_code"] not in districts:
            continue
        code = row["buurt_code"]
        lat, lon = centroids.get(code, (None, None))
        if lat is not None:
            points_by_district[row["wijk_code"]].append((lat, lon))
        hoods.append(
            Neighbourhood(
                id=uuid.uuid5(uuid.NAMESPACE_URL, code),
                code=code,
                name=row["buurt_naam"],
                district=districts[row["wijk_code"]],
                municipality=municipalities[row["gemeente_code"]],
                geometry=sources.polygons.get(code),
                centroid_lat=lat,
                centroid_lon=lon,
                centroid_source="polygon" if lat is not None else "",
                **figures(row),
            )
        )
    points_by_municipality = defaultdict(list)
    for code, points in points_by_district.items():
        district = districts[code]
        district.centroid_lat = round(statistics.fmean(p[0] for p in points), 6)
        district.centroid_lon = round(statistics.fmean(p[1] for p in points), 6)
        district.centroid_source = "neighbourhoods"
        points_by_municipality[district.municipality.code] += points
    for code, points in points_by_municipality.items():
        municipality = municipalities[code]
        municipality.centroid_lat = round(statistics.fmean(p[0] for p in points), 6)
        municipality.centroid_lon = round(statistics.fmean(p[1] for p in points), 6)
        municipality.centroid_source = "districts"
    Municipality.objects.bulk_create(municipalities.values(), batch_size=1000)
    District.objects.bulk_create(districts.values(), batch_size=1000)
    Neighbourhood.objects.bulk_create(hoods, batch_size=1000)


def write_directory(plan: Plan) -> None:
    """Bulk-insert the planned directory (areas must exist; the theme taxonomy is ensured)."""
    from django.db import transaction

    from socialebasis.areas.models import Municipality, Neighbourhood
    from socialebasis.directory import models as d
    from socialebasis.directory.taxonomy import ensure_theme_taxonomy

    batch = 2000
    with transaction.atomic():
        taxonomy = ensure_theme_taxonomy()
        terms = {t.code: t.id for t in taxonomy.terms.all()}
        municipalities = dict(Municipality.objects.values_list("code", "id"))
        hoods = dict(Neighbourhood.objects.values_list("code", "id"))
        d.Organization.objects.bulk_create(
            [
                d.Organization(
                    id=o["id"],
                    name=o["name"][:300],
                    kind=o["kind"],
                    municipality_id=municipalities.get(o["municipality"]),
                    source=o["source"],
                    source_id=o["source_id"],
                )  # fmt: skip
                for o in plan.organizations
            ],
            batch_size=batch,
        )
        d.Location.objects.bulk_create(
            [
                d.Location(
                    id=loc["id"],
                    organization_id=loc["org"],
                    name=loc["name"][:300],
                    kind=loc["kind"],
                    latitude=loc["lat"],
                    longitude=loc["lon"],
                    municipality_id=municipalities.get(loc["municipality"]),
                    neighbourhood_id=hoods.get(loc["neighbourhood"]),
                    source=loc["source"],
                    source_id=loc["source_id"],
                )  # fmt: skip
                for loc in plan.locations
            ],
            batch_size=batch,
        )
        d.Address.objects.bulk_create(
            [
                d.Address(
                    id=uuid.UUID(int=loc["id"].int ^ 1),
                    location_id=loc["id"],
                    address_1=loc["address"],
                    postal_code=loc["postcode"],
                    city=loc["city"],
                )  # fmt: skip
                for loc in plan.locations
                if loc["address"]
            ],
            batch_size=batch,
        )
        d.Accessibility.objects.bulk_create(
            [
                d.Accessibility(
                    id=uuid.UUID(int=loc["id"].int ^ 2),
                    location_id=loc["id"],
                    wheelchair=True,
                    description="Rolstoeltoegankelijk",
                )  # fmt: skip
                for loc in plan.locations
                if loc["wheelchair"]
            ],
            batch_size=batch,
        )
        d.Service.objects.bulk_create(
            [
                d.Service(
                    id=s["id"],
                    organization_id=s["org"],
                    name=s["name"],
                    alternate_name=s["alternate_name"],
                    description=s["description"],
                    application_process=s["apply"],
                    eligibility_description=s["eligibility"],
                    minimum_age=s["min_age"],
                    maximum_age=s["max_age"],
                    municipality_id=municipalities.get(s["municipality"]),
                    source=s["source"],
                    source_id=s["source_id"],
                )  # fmt: skip
                for s in plan.services
            ],
            batch_size=batch,
        )
        d.ServiceAtLocation.objects.bulk_create(
            [
                d.ServiceAtLocation(
                    id=uuid.UUID(int=s["id"].int ^ 1),
                    service_id=s["id"],
                    location_id=s["location"],
                )  # fmt: skip
                for s in plan.services
                if s["location"]
            ],
            batch_size=batch,
        )
        d.ServiceArea.objects.bulk_create(
            [
                d.ServiceArea(
                    id=uuid.UUID(int=s["id"].int ^ 2),
                    service_id=s["id"],
                    name="Gemeente",
                    municipality_id=municipalities[s["area"]],
                )  # fmt: skip
                for s in plan.services
                if s["area"]
            ],
            batch_size=batch,
        )
        d.CostOption.objects.bulk_create(
            [
                d.CostOption(
                    id=uuid.UUID(int=s["id"].int ^ 3),
                    service_id=s["id"],
                    amount=0,
                    option="Gratis",
                )  # fmt: skip
                for s in plan.services
                if s["free"]
            ],
            batch_size=batch,
        )
        d.Language.objects.bulk_create(
            [
                d.Language(
                    id=uuid.UUID(int=s["id"].int ^ (16 + i)),
                    service_id=s["id"],
                    code=code,
                )  # fmt: skip
                for s in plan.services
                for i, code in enumerate(s["languages"])
            ],
            batch_size=batch,
        )
        d.Attribute.objects.bulk_create(
            [
                d.Attribute(
                    id=uuid.UUID(int=s["id"].int ^ (64 + i)),
                    link_id=s["id"],
                    link_entity="service",
                    taxonomy_term_id=terms[code],
                )  # fmt: skip
                for s in plan.services
                for i, code in enumerate(dict.fromkeys(s["themes"]))
                if code in terms
            ],
            batch_size=batch,
        )


def ensure_synonyms() -> str:
    """Install synonym groups when the database has none. Returns where they came from."""
    from socialebasis.directory.models import SynonymGroup

    if SynonymGroup.objects.exists():
        return f"project defaults ({SynonymGroup.objects.count()} groups, from the migrations)"
    SynonymGroup.objects.bulk_create(
        [SynonymGroup(terms=terms, note="benchmark") for terms in BENCH_SYNONYMS]
    )
    return f"created by the benchmark ({len(BENCH_SYNONYMS)} groups; the project ships none)"


# ====================================================================== databases


@dataclass
class BuiltDatabase:
    """A benchmark database and how it was made."""

    engine: str  # sqlite | postgres
    url: str
    services: int
    entries: int
    build_s: float
    index_s: float
    cached: bool
    synonyms: str
    built_at: str


def database_url(engine: str, n_services: int, real: bool = False) -> str:
    suffix = "real" if real else ("" if n_services == DEFAULT_SERVICES else str(n_services))
    if engine == "sqlite":
        name = "bench-real" if real else f"bench-{n_services}"
        return f"sqlite:///{CACHE_DIR / name}.sqlite3"
    return f"{PG_SERVER}/{PG_NAME}" + (f"_{suffix}" if suffix else "")


# A kept database is rebuilt when the code that made its data changes, and re-indexed when
# the code that builds the index changes (or new migrations are applied).
DATA_CODE = (
    "socialebasis/areas/importers.py",
    "socialebasis/directory/importers/__init__.py",
    "socialebasis/directory/importers/amsterdam.py",
)
INDEX_CODE = (
    "socialebasis/directory/search_index.py",
    "socialebasis/directory/search/backend.py",
    "socialebasis/directory/search/sqlite.py",
    "socialebasis/directory/search/postgresql.py",
    "socialebasis/directory/spatial.py",
    "socialebasis/lib/text.py",
)


def _code_hash(paths: tuple[str, ...]) -> str:
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for path in paths:
        file = ROOT / path
        digest.update(file.read_bytes() if file.exists() else b"-")
    return digest.hexdigest()[:12]


def _fingerprint(n_services: int, real: bool) -> str:
    return (
        f"v{GENERATOR_VERSION} seed={SEED} services={n_services} real_only={real} "
        f"data={_code_hash(DATA_CODE)}"
    )


def _meta() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT key, value FROM bench_meta")
            return dict(cursor.fetchall())
        except Exception:  # noqa: BLE001 - the table does not exist yet
            return {}


def _save_meta(values: dict[str, str]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (key VARCHAR(50) PRIMARY KEY, value TEXT)"
        )
        cursor.execute("DELETE FROM bench_meta")
        for key, value in values.items():
            cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, value])


def _drop_and_create(engine: str, url: str) -> None:
    from django.db import connections

    connections.close_all()
    if engine == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _database_exists(engine: str, url: str) -> bool:
    if engine == "sqlite":
        return Path(url.removeprefix("sqlite:///")).exists()
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def _migrate() -> bool:
    """Apply migrations; True when something was applied."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        call_command("migrate", verbosity=0, interactive=False)
    return bool(pending)


def ensure_database(
    engine: str, n_services: int, sources_loader, *, real: bool = False, rebuild: bool = False,
    log=print,
) -> BuiltDatabase:  # fmt: skip
    """Make (or reuse) the benchmark database and leave Django connected to it."""
    from django.db import connection

    from socialebasis.directory.models import SearchEntry
    from socialebasis.directory.search_index import rebuild_search_index

    url = database_url(engine, n_services, real)
    fingerprint = _fingerprint(n_services, real)
    exists = _database_exists(engine, url)
    meta: dict[str, str] = {}
    if exists and not rebuild:
        use_database(url)
        meta = _meta()
    if meta.get("fingerprint") == fingerprint:
        migrated = _migrate()
        if migrated or meta.get("index_code") != _code_hash(INDEX_CODE):
            why = "new migrations applied" if migrated else "the index code changed"
            log(f"  {engine}: {why}; re-indexing the cached database")
            started = time.perf_counter()
            rebuild_search_index()
            meta["index_s"] = f"{time.perf_counter() - started:.1f}"
            meta["index_code"] = _code_hash(INDEX_CODE)
            _save_meta(meta)
        return BuiltDatabase(
            engine, url, int(meta["services"]), SearchEntry.objects.count(),
            float(meta["build_s"]), float(meta["index_s"]), True, meta["synonyms"],
            meta["built_at"],
        )  # fmt: skip
    what = "the real directory" if real else f"{n_services:,} services"
    log(f"  {engine}: building {what} in {url}")
    _drop_and_create(engine, url)
    use_database(url)
    started = time.perf_counter()
    _migrate()
    services = import_real_directory()
    if not real:
        plan = plan_directory(sources_loader(), n_services, include_real=False)
        write_directory(plan)
        services += len(plan.services)
    synonyms = ensure_synonyms()
    build_s = time.perf_counter() - started
    log(f"  {engine}: {services:,} services written in {build_s:.1f} s; indexing")
    started = time.perf_counter()
    entries = rebuild_search_index()
    index_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    log(f"  {engine}: {entries:,} search entries indexed in {index_s:.1f} s")
    built_at = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    _save_meta(
        {
            "fingerprint": fingerprint,
            "services": str(services),
            "build_s": f"{build_s:.1f}",
            "index_s": f"{index_s:.1f}",
            "synonyms": synonyms,
            "built_at": built_at,
            "index_code": _code_hash(INDEX_CODE),
        }  # fmt: skip
    )
    return BuiltDatabase(
        engine, url, services, entries, build_s, index_s, False, synonyms, built_at
    )


def import_real_directory() -> int:
    """The real Amsterdam directory through the project's own commands, as ``socialebasis
    demo`` loads it: ``import-cbs`` (all CBS areas, Amsterdam and Utrecht boundaries) and
    ``import-amsterdam``, without their search-index step. Returns the services imported."""
    import io

    from django.core.management import call_command

    from socialebasis.areas.centroids import assign_centroids
    from socialebasis.directory.models import Service

    call_command("import_cbs", no_post=True, stdout=io.StringIO())
    call_command("import_amsterdam", no_post=True, stdout=io.StringIO())
    assign_centroids()
    return Service.objects.count()


# ====================================================================== the query mix

QUERY_MIX: dict[str, list[dict]] = {
    "text": [
        {"q": q}
        for q in [
            "buurtkamer", "schuldhulpverlening", "eenzaam", "voedselbank", "gratis taalles",
            "mantelzorg", "jongerencentrum", "huiswerkbegeleiding", "maatje voor sociaal contact",
            "computerles", "bibliotheek", "zwembad", "dagbesteding ouderen", "kinderboerderij",
            "hulp bij schulden", "opvoeden", "nachtopvang", "eenzaamhied", "hulpverlening",
            "sport voor jongeren", "koffie en ontmoeting", "vrijwilligerswerk", "speeltuin",
            "buurtteam",
        ]
    ],
    "text+place": [
        {"q": "buurtkamer", "near": "1055"},
        {"q": "schulden", "near": "1094"},
        {"q": "eenzaam", "near": "De Baarsjes"},
        {"q": "voedselbank", "near": "1102", "radius": 3000},
        {"q": "taalles", "near": "3531"},
        {"q": "mantelzorg", "near": "Dapperbuurt"},
        {"q": "jongerencentrum", "near": "1062"},
        {"q": "huiswerkbegeleiding", "near": "3563", "radius": 3000},
        {"q": "bibliotheek", "lat": 52.3702, "lon": 4.8952},
        {"q": "zwembad", "near": "Amsterdam", "radius": 5000},
        {"q": "dagbesteding", "near": "1013"},
        {"q": "gratis maaltijd", "near": "1093"},
        {"q": "kinderboerderij", "near": "Utrecht", "radius": 5000},
        {"q": "computerles", "near": "1103"},
        {"q": "sport", "near": "Lombok-Oost", "radius": 1000},
        {"q": "opvoeden", "near": "1069"},
        {"q": "eenzaamhied", "near": "1055"},
        {"q": "speeltuin", "near": "3581", "radius": 1500},
        {"q": "koffie", "near": "1091", "radius": 1000},
        {"q": "hulp bij de administratie", "lat": 52.0907, "lon": 5.1214},
    ],
    "place": [
        {"near": "1055"},
        {"near": "1094", "radius": 1000},
        {"near": "De Baarsjes"},
        {"near": "3531"},
        {"near": "1102", "radius": 5000},
        {"near": "Dapperbuurt", "radius": 500},
        {"lat": 52.3702, "lon": 4.8952, "radius": 1000},
        {"near": "Utrecht", "radius": 3000},
        {"near": "1013"},
        {"near": "3563", "radius": 1000},
    ],
    "filtered": [
        {"theme": "schuldhulp"},
        {"theme": "ouderen", "near": "1055"},
        {"q": "sport", "age": 14},
        {"q": "koffie", "free": True},
        {"kind": "social_work_provider", "near": "1094"},
        {"theme": "buurtkamer", "area": "GM0363"},
        {"q": "activiteiten", "theme": "ontmoeting", "age": 70, "near": "3531"},
        {"theme": "sport-en-bewegen", "wheelchair": True, "near": "1062"},
        {"q": "taal", "language": "ar"},
        {"theme": "voedsel", "free": True, "near": "Amsterdam", "radius": 10000},
        {"q": "hulp", "kind": "association", "near": "1102"},
    ],
}  # fmt: skip
CLASSES = list(QUERY_MIX)


@dataclass
class BenchQuery:
    """One query of the mix: the SearchParams keywords, and its place resolved once (for the
    baselines, which have no geocoder)."""

    cls: str
    params: dict
    place: tuple[float, float, str, str] | None = None  # lat, lon, municipality, district

    @property
    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.params.items())


def resolve_mix(mix: dict[str, list[dict]] | None = None) -> list[BenchQuery]:
    """The query mix with every place geocoded once, on the connected database."""
    from socialebasis.directory.search import SearchParams, resolve_place

    return [
        BenchQuery(cls, params, _place_tuple(resolve_place(SearchParams(**params))))
        for cls, items in (mix or QUERY_MIX).items()
        for params in items
    ]


def _place_tuple(place) -> tuple[float, float, str, str] | None:
    if place is None:
        return None
    return (place.lat, place.lon, place.municipality_code, getattr(place, "district_code", ""))


# ====================================================================== engines


class OurSearch:
    """The project's search: ``search(SearchParams(...))`` on the connected database."""

    def __init__(self, name: str):
        self.name = name

    def run(self, query: BenchQuery, page_size: int = PAGE_SIZE) -> tuple[int, list[tuple]]:
        from socialebasis.directory.models import Service
        from socialebasis.directory.search import SearchParams, search

        response = search(SearchParams(**query.params, page_size=page_size))
        # The hits carry what a results page shows; the (source, source_id) keys the quality
        # labels use are not among those fields, so they are read in one query (timed too).
        # Reading them from each hit cost a query per hit: 20 queries, about 5 ms per search,
        # in the figures before 2026-11-29.
        ids = [hit.service.id for hit in response.hits]
        rows = Service.objects.filter(id__in=ids).values_list("id", "source", "source_id")
        keys = {service_id: (source, source_id) for service_id, source, source_id in rows}
        return response.total, [keys[service_id] for service_id in ids]


@dataclass
class Row:
    """One search entry as the baselines see it."""

    key: tuple[str, str]
    name: str
    description: str
    text: str  # case-folded name + description
    lat: float | None
    lon: float | None
    municipality: str
    themes: str
    kind: str
    free: bool
    min_age: int | None
    max_age: int | None
    wheelchair: bool
    languages: str
    sort_name: str
    area: tuple[str, str, str]  # municipality, district, neighbourhood codes
    service_area: str = ""  # " WK.. WK.. " districts of a location-less service ("" = all)

    def serves(self, place: tuple) -> bool:
        """A location-less service whose service area covers the place."""
        if self.municipality != place[2]:
            return False
        return not self.service_area.strip() or f" {place[3] or '-'} " in self.service_area


def load_rows() -> list[Row]:
    """Every search entry of the connected database, loaded once for the baselines."""
    from socialebasis.directory.models import SearchEntry

    # Service areas by district exist from directory migration 0007 on.
    has_area_codes = any(f.name == "area_codes" for f in SearchEntry._meta.get_fields())
    rows = []
    for values in SearchEntry.objects.order_by("id").values_list(
        "service__source", "service__source_id", "service__name", "service__description",
        "latitude", "longitude", "municipality_code", "term_paths", "organization_kind",
        "free", "minimum_age", "maximum_age", "wheelchair", "languages", "sort_name",
        "district_code", "neighbourhood_code", "area_codes" if has_area_codes else "sort_name",
    ).iterator(chunk_size=5000):  # fmt: skip
        (source, source_id, name, description, lat, lon, municipality, paths, kind, free,
         min_age, max_age, wheelchair, languages, sort_name, district, hood, area) = values  # fmt: skip
        rows.append(
            Row(
                (source, source_id),
                name,
                description,
                f"{name} {description}".casefold(),
                lat,
                lon,
                municipality,
                paths,
                kind,
                free,
                min_age,
                max_age,
                wheelchair,
                languages,
                sort_name,
                (municipality, district, hood),
                area if has_area_codes else "",
            )  # fmt: skip
        )
    return rows


def _radius(query: BenchQuery) -> int:
    from socialebasis.directory.search import RADIUS_DEFAULT, clamp_radius

    return clamp_radius(query.params.get("radius", RADIUS_DEFAULT))


def _passes_filters(row: Row, p: dict) -> bool:
    if p.get("theme") and f"/{p['theme']}/" not in row.themes:
        return False
    if p.get("kind") and row.kind != p["kind"]:
        return False
    if p.get("area"):
        level = {"GM": 0, "WK": 1, "BU": 2}[p["area"][:2]]
        if row.area[level] != p["area"]:
            return False
    if p.get("age") is not None and (
        (row.min_age is not None and row.min_age > p["age"])
        or (row.max_age is not None and row.max_age < p["age"])
    ):
        return False
    if p.get("free") and not row.free:
        return False
    if p.get("wheelchair") and not row.wheelchair:
        return False
    return not (p.get("language") and f" {p['language']} " not in row.languages)


class NaiveSearch:
    """Substring match over case-folded name + description and haversine over every row."""

    name = "naive"

    def __init__(self, rows: list[Row]):
        from socialebasis.lib.text import STOPWORDS

        self.rows = rows
        self.stopwords = STOPWORDS

    def run(self, query: BenchQuery, page_size: int = PAGE_SIZE) -> tuple[int, list[tuple]]:
        from socialebasis.lib.geo import haversine_m

        p = query.params
        terms = [
            w for w in re.findall(r"\w+", p.get("q", "").casefold()) if w not in self.stopwords
        ]
        place = query.place
        radius = _radius(query)
        far = float("inf")
        found = []
        for row in self.rows:
            if terms and not all(t in row.text for t in terms):
                continue
            if not _passes_filters(row, p):
                continue
            distance = None
            if place is not None:
                if row.lat is None:
                    if not row.serves(place):
                        continue
                else:
                    distance = haversine_m(place[0], place[1], row.lat, row.lon)
                    if distance > radius:
                        continue
            in_name = sum(t in row.sort_name for t in terms)
            found.append((-in_name, far if distance is None else distance, row.sort_name, row.key))
        if not terms and place is not None:
            found.sort(key=lambda f: (f[1], f[2]))
        elif not terms:
            found.sort(key=lambda f: f[2])
        else:
            found.sort()
        return len(found), [f[3] for f in found[:page_size]]


class TantivySearch:
    """tantivy with a Dutch analyser; lat/lon fast fields; radius post-filtered in Python."""

    name = "tantivy"

    def __init__(self, rows: list[Row]):
        import tantivy

        self.tantivy = tantivy
        self.keys = [row.key for row in rows]
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.ascii_fold())
            .filter(tantivy.Filter.stopword("dutch"))
            .filter(tantivy.Filter.stemmer("dutch"))
            .build()
        )
        words = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
        builder = tantivy.SchemaBuilder()
        builder.add_integer_field("rid", stored=True, fast=True)
        builder.add_text_field("name", tokenizer_name="nl_stem")
        builder.add_text_field("description", tokenizer_name="nl_stem")
        builder.add_float_field("lat", indexed=True, fast=True)
        builder.add_float_field("lon", indexed=True, fast=True)
        for name in ("service_area", "kind", "themes", "languages", "areas"):
            builder.add_text_field(name, tokenizer_name="words", index_option="basic")
        for name in ("free", "wheelchair", "min_age", "max_age"):
            builder.add_integer_field(name, indexed=True, fast=True)
        builder.add_text_field("sort_name", fast=True, tokenizer_name="raw")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        self.index.register_tokenizer("nl_stem", analyzer)
        self.index.register_tokenizer("words", words)
        writer = self.index.writer(heap_size=200_000_000, num_threads=1)
        for rid, row in enumerate(rows):
            doc = tantivy.Document()
            doc.add_integer("rid", rid)
            doc.add_text("name", row.name)
            doc.add_text("description", row.description)
            if row.lat is not None:
                doc.add_float("lat", row.lat)
                doc.add_float("lon", row.lon)
            else:  # "GM0363:*" for the whole municipality, else "GM0363:WK036305 ..."
                districts = row.service_area.split() or ["*"]
                doc.add_text("service_area", " ".join(f"{row.municipality}:{d}" for d in districts))
            doc.add_text("kind", row.kind)
            themes = {part for path in row.themes.split() for part in path.split("/") if part}
            doc.add_text("themes", " ".join(sorted(themes)))
            doc.add_text("languages", row.languages)
            doc.add_text("areas", " ".join(a for a in row.area if a))
            doc.add_integer("free", int(row.free))
            doc.add_integer("wheelchair", int(row.wheelchair))
            doc.add_integer("min_age", row.min_age if row.min_age is not None else 0)
            doc.add_integer("max_age", row.max_age if row.max_age is not None else 999)
            doc.add_text("sort_name", row.sort_name)
            writer.add_document(doc)
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def _text_query(self, text: str, conjunction: bool):
        return self.index.parse_query(
            text,
            ["name", "description"],
            field_boosts={"name": 3.0},
            conjunction_by_default=conjunction,
        )

    def _filters(self, query: BenchQuery) -> list:
        t = self.tantivy
        p = query.params
        must = []

        def term(field_name, value):
            return t.Query.term_query(self.schema, field_name, value)

        def int_range(field_name, low, high):
            return t.Query.range_query(self.schema, field_name, t.FieldType.Integer, low, high)

        if p.get("theme"):
            must.append(term("themes", p["theme"]))
        if p.get("kind"):
            must.append(term("kind", p["kind"]))
        if p.get("area"):
            must.append(term("areas", p["area"]))
        if p.get("language"):
            must.append(term("languages", p["language"]))
        if p.get("free"):
            must.append(int_range("free", 1, 1))
        if p.get("wheelchair"):
            must.append(int_range("wheelchair", 1, 1))
        if p.get("age") is not None:
            must.append(int_range("min_age", None, p["age"]))
            must.append(int_range("max_age", p["age"], None))
        if query.place is not None:
            from socialebasis.lib.geo import bounding_box

            min_lat, max_lat, min_lon, max_lon = bounding_box(
                query.place[0], query.place[1], _radius(query)
            )
            box = t.Query.boolean_query(
                [
                    (t.Occur.Must, t.Query.range_query(self.schema, "lat", t.FieldType.Float, min_lat, max_lat)),
                    (t.Occur.Must, t.Query.range_query(self.schema, "lon", t.FieldType.Float, min_lon, max_lon)),
                ]
            )  # fmt: skip
            municipality, district = query.place[2] or "-", query.place[3] or "-"
            must.append(
                t.Query.boolean_query(
                    [
                        (t.Occur.Should, box),
                        (t.Occur.Should, term("service_area", f"{municipality}:*")),
                        (t.Occur.Should, term("service_area", f"{municipality}:{district}")),
                    ]
                )
            )
        return must

    def run(self, query: BenchQuery, page_size: int = PAGE_SIZE) -> tuple[int, list[tuple]]:
        from socialebasis.lib.geo import haversine_m

        t = self.tantivy
        text = " ".join(re.findall(r"\w+", query.params.get("q", "").casefold()))
        filters = self._filters(query)
        place = query.place

        def combined(conjunction: bool):
            clauses = [(t.Occur.Must, f) for f in filters]
            if text:
                clauses.append((t.Occur.Must, self._text_query(text, conjunction)))
            if not clauses:
                return t.Query.all_query()
            return t.Query.boolean_query(clauses)

        if place is None:
            if text:
                result = self.searcher.search(combined(True), limit=page_size, count=True)
                if result.count == 0 and len(text.split()) > 1:
                    result = self.searcher.search(combined(False), limit=page_size, count=True)
            else:
                result = self.searcher.search(
                    combined(True), limit=page_size, count=True, order_by_field="sort_name",
                    order=t.Order.Asc,
                )  # fmt: skip
            addresses = [address for _, address in result.hits]
            rids = self.searcher.fast_field_values("rid", addresses)
            return result.count, [self.keys[r] for r in rids]
        # With a place: every match in the bounding box, then the exact radius in Python.
        q = combined(True)
        count = self.searcher.search(q, limit=1, count=True).count
        if count == 0 and text and len(text.split()) > 1:
            q = combined(False)
            count = self.searcher.search(q, limit=1, count=True).count
        if count == 0:
            return 0, []
        result = self.searcher.search(q, limit=count, count=False)
        addresses = [address for _, address in result.hits]
        lats = self.searcher.fast_field_values("lat", addresses)
        lons = self.searcher.fast_field_values("lon", addresses)
        rids = self.searcher.fast_field_values("rid", addresses)
        radius = _radius(query)
        far = float("inf")
        ranked = []
        for (score, _), lat, lon, rid in zip(result.hits, lats, lons, rids, strict=True):
            distance = None
            if lat is not None:
                distance = haversine_m(place[0], place[1], lat, lon)
                if distance > radius:
                    continue
            ranked.append((-score if text else 0.0, far if distance is None else distance, rid))
        ranked.sort()
        return len(ranked), [self.keys[r[2]] for r in ranked[:page_size]]


# ====================================================================== measuring


@dataclass
class Latency:
    """Latency figures of one query class on one engine (milliseconds, queries per second)."""

    n: int
    p50: float
    p95: float
    p99: float
    mean: float
    qps: float
    slowest: str = ""
    # CPU time of this process per query (time.process_time): on a busy machine the wall
    # clock includes waiting for a core, CPU time does not. It covers SQLite, tantivy and the
    # naive baseline, which run in this process, but not the PostgreSQL server's share.
    cpu_p50: float = 0.0
    cpu_p95: float = 0.0


def percentile(values: list[float], pct: float) -> float:
    """Linear-interpolated percentile (like numpy's default) of a non-empty list."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * pct / 100
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(
    engine, queries: list[BenchQuery], per_class: int, seed: int = SEED, collect: bool = True
) -> dict:
    """Warm up on every query once, then time ``per_class`` queries per class, cycling through
    the class's queries in a seeded order. Returns {class: Latency}. ``collect`` runs the
    garbage collector before each class, so that a collection of earlier garbage does not
    land in the timings."""
    results = {}
    for cls in CLASSES:
        mine = [q for q in queries if q.cls == cls]
        if not mine:
            continue
        for query in mine:
            engine.run(query)
        order = [mine[i % len(mine)] for i in range(per_class)]
        random.Random(seed).shuffle(order)
        times = []
        cpu = []
        worst = (0.0, "")
        if collect:
            gc.collect()
        for query in order:
            cpu_started = time.process_time()
            started = time.perf_counter()
            engine.run(query)
            elapsed = (time.perf_counter() - started) * 1000
            cpu.append((time.process_time() - cpu_started) * 1000)
            times.append(elapsed)
            if elapsed > worst[0]:
                worst = (elapsed, query.label)
        total_s = sum(times) / 1000
        results[cls] = Latency(
            len(times), percentile(times, 50), percentile(times, 95), percentile(times, 99),
            statistics.fmean(times), len(times) / total_s if total_s else 0.0,
            f"{worst[1]} ({worst[0]:.1f} ms)", percentile(cpu, 50), percentile(cpu, 95),
        )  # fmt: skip
    return results


# ====================================================================== quality


def load_labelled(path: Path = QUERIES_FILE) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)["queries"]


def labelled_queries(
    labelled: list[dict], present: set[tuple[str, str]] | None = None
) -> list[tuple[BenchQuery, set[tuple[str, str]]]]:
    """(query, relevant keys) pairs; places in the label file are coordinates. With
    ``present``, relevant keys not in the directory are dropped."""
    from socialebasis.directory.search import SearchParams, resolve_place

    pairs = []
    for item in labelled:
        relevant = {tuple(k) for k in item["relevant"]}
        if present is not None:
            relevant &= present
        params: dict = {"q": item["query"]}
        place = None
        if item.get("place"):
            lat, lon = item["place"]["lat"], item["place"]["lon"]
            params.update(lat=lat, lon=lon, radius=item["place"].get("radius", 2000))
            place = _place_tuple(resolve_place(SearchParams(lat=lat, lon=lon)))
        pairs.append((BenchQuery("quality", params, place), relevant))
    return pairs


def present_keys() -> set[tuple[str, str]]:
    """(source, source_id) of every service in the connected database."""
    from socialebasis.directory.models import Service

    return set(Service.objects.values_list("source", "source_id"))


def ranking_metrics(ranked: list[tuple], relevant: set, k: int = 10) -> dict[str, float]:
    """recall@k, capped recall@k (divided by min(|relevant|, k)) and NDCG@k (binary)."""
    top = list(dict.fromkeys(ranked))[:k]
    hits = [1 if key in relevant else 0 for key in top]
    found = sum(hits)
    dcg = sum(rel / math.log2(i + 2) for i, rel in enumerate(hits))
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return {
        "recall": found / len(relevant) if relevant else 0.0,
        "recall_capped": found / min(len(relevant), k) if relevant else 0.0,
        "ndcg": dcg / ideal if ideal else 0.0,
    }


def evaluate(engine, pairs, k: int = 10) -> dict:
    """Mean metrics of an engine over the labelled queries, and the per-query figures.
    Queries whose relevant records are not in the directory are skipped."""
    per_query = []
    for query, relevant in pairs:
        if not relevant:
            continue
        try:
            _, ranked = engine.run(query, page_size=50)
        except Exception as exc:  # noqa: BLE001 - a failing query scores zero, and says why
            ranked = []
            print(f"    {engine.name}: {query.label}: {exc}", file=sys.stderr)
        metrics = ranking_metrics(ranked, relevant, k)
        per_query.append({"query": query.label, "relevant": len(relevant), **metrics})
    n = len(per_query) or 1
    return {
        "queries": len(per_query),
        "recall": sum(q["recall"] for q in per_query) / n,
        "recall_capped": sum(q["recall_capped"] for q in per_query) / n,
        "ndcg": sum(q["ndcg"] for q in per_query) / n,
        "per_query": per_query,
    }


# ====================================================================== report


def machine_info() -> dict:
    """nproc, CPU model, RAM, load, and the versions that matter."""
    import sqlite3

    import django

    info = {
        "nproc": os.cpu_count(),
        "cpu": platform.processor() or "",
        "ram_gb": None,
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
        info["cpu"] = model.group(1).strip() if model else info["cpu"]
        meminfo = Path("/proc/meminfo").read_text()
        total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.MULTILINE)
        info["ram_gb"] = round(int(total.group(1)) / 1024 / 1024, 1) if total else None
    except OSError:
        pass
    try:
        import tantivy

        info["tantivy"] = getattr(tantivy, "__version__", "installed")
    except ImportError:
        info["tantivy"] = None
    return info


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def print_latency(latency: dict[str, dict[str, Latency]], n_services: int) -> None:
    print(f"\nLatency per query class at {n_services:,} services (ms; QPS = one sequential client)")
    print("(cpu: CPU time of this process per query; not meaningful for PostgreSQL)")
    print(
        f"{'class':<12} {'engine':<16} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7} {'QPS':>8}"
        f" {'cpu p50':>8} {'cpu p95':>8}"
    )
    for cls in CLASSES:
        for engine, by_class in latency.items():
            if cls in by_class:
                r = by_class[cls]
                print(
                    f"{cls:<12} {engine:<16} {r.n:>4} {r.p50:>7.1f} {r.p95:>7.1f} "
                    f"{r.p99:>7.1f} {r.qps:>8.1f} {r.cpu_p50:>8.1f} {r.cpu_p95:>8.1f}"
                )


def print_quality(quality: dict[str, dict]) -> None:
    print("\nQuality on the real Amsterdam directory (1,671 services), labelled queries")
    print(f"{'engine':<18} {'queries':>7} {'recall@10':>10} {'capped':>8} {'NDCG@10':>8}")
    for engine, q in quality.items():
        print(
            f"{engine:<18} {q['queries']:>7} {q['recall']:>10.3f} {q['recall_capped']:>8.3f} "
            f"{q['ndcg']:>8.3f}"
        )


def markdown(report: dict) -> str:
    """The figures of a run as Markdown tables (for docs/performance.md)."""
    lines = [
        "| class | engine | p50 ms | p95 ms | p99 ms | QPS | CPU p50 ms | CPU p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for cls in CLASSES:
        for engine, by_class in report["latency"].items():
            if cls in by_class:
                r = by_class[cls]
                lines.append(
                    f"| {cls} | {engine} | {r.p50:.1f} | {r.p95:.1f} | {r.p99:.1f} | {r.qps:.0f} "
                    + (
                        "| n/a | n/a |"
                        if "postgres" in engine
                        else f"| {r.cpu_p50:.1f} | {r.cpu_p95:.1f} |"
                    )
                )
    if report["quality"]:
        lines += [
            "",
            "| engine | queries | recall@10 | recall@10 (capped) | NDCG@10 |",
            "|---|---:|---:|---:|---:|",
        ]
        for engine, q in report["quality"].items():
            lines.append(
                f"| {engine} | {q['queries']} | {q['recall']:.3f} | {q['recall_capped']:.3f} "
                f"| {q['ndcg']:.3f} |"
            )
    lines += [
        "",
        "| dataset | services | entries | build s | index s |",
        "|---|---:|---:|---:|---:|",
    ]

    def num(value, digits=1):
        return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"

    for name, d in report["datasets"].items():
        cells = [num(d[k]) if k in d else "" for k in ("services", "entries", "build_s", "index_s")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def profile_class(engine, queries: list[BenchQuery], cls: str, rounds: int = 5) -> None:
    """cProfile of one query class: where the time goes (top functions by own time)."""
    import cProfile
    import pstats

    mine = [q for q in queries if q.cls == cls]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for query in mine:
            engine.run(query)
    profiler.disable()
    print(f"\nProfile of {engine.name}, class {cls}, {rounds * len(mine)} queries:")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(25)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/search.py",
        description="Latency and quality of the directory search at scale, against a naive "
        "baseline and tantivy on the same data. Prints p50/p95/p99 latency and QPS per query "
        "class and engine, recall@10/NDCG@10 per engine, and dataset build/index times.",
    )
    parser.add_argument(
        "--db", choices=["sqlite", "postgres", "both"], default="both",
        help="database(s) to benchmark our search on (default: both)",
    )  # fmt: skip
    parser.add_argument(
        "--services", type=int, default=DEFAULT_SERVICES,
        help=f"services in the benchmark directory (default {DEFAULT_SERVICES:,})",
    )  # fmt: skip
    parser.add_argument(
        "--queries", type=int, default=DEFAULT_QUERIES,
        help=f"timed queries per class and engine, after a warm-up (default {DEFAULT_QUERIES})",
    )  # fmt: skip
    parser.add_argument(
        "--rebuild", action="store_true",
        help="rebuild the cached databases (SQLite files in benchmarks/.data/, PostgreSQL "
        f"databases {PG_NAME}* on {PG_SERVER})",
    )  # fmt: skip
    parser.add_argument("--json", metavar="OUT", help="also write all figures to this JSON file")
    parser.add_argument(
        "--no-baselines", action="store_true", help="skip the naive and tantivy baselines"
    )
    parser.add_argument("--no-quality", action="store_true", help="skip the quality evaluation")
    parser.add_argument(
        "--markdown", action="store_true", help="also print the figures as Markdown tables"
    )
    parser.add_argument(
        "--profile", metavar="CLASS", choices=CLASSES,
        help="also cProfile our search on one query class (first database)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    engines = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    setup_django(database_url(engines[0], args.services))
    started = time.perf_counter()
    machine = machine_info()
    command = "python benchmarks/search.py " + " ".join(argv if argv is not None else sys.argv[1:])
    print(
        f"Machine: {machine['nproc']} cores, {machine['cpu']}, {machine['ram_gb']} GB RAM; "
        f"Python {machine['python']}, Django {machine['django']}, SQLite {machine['sqlite']}, "
        f"tantivy {machine['tantivy'] or 'not installed'}"
    )
    print(f"Load average at start: {load_average()}")
    sources_cache: list[Sources] = []

    def sources_loader() -> Sources:
        if not sources_cache:
            sources_cache.append(load_sources())
        return sources_cache[0]

    report: dict = {
        "command": command.strip(),
        "machine": machine,
        "load_start": load_average(),
        "services": args.services,
        "queries_per_class": args.queries,
        "datasets": {},
        "latency": {},
        "quality": {},
        "notes": [],
    }
    queries: list[BenchQuery] | None = None
    rows: list[Row] | None = None
    print(f"\nDatasets ({args.services:,} services; cached in {CACHE_DIR} and {PG_NAME}*):")
    for engine in engines:
        built = ensure_database(engine, args.services, sources_loader, rebuild=args.rebuild)
        if engine == "postgres":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                machine["postgresql"] = cursor.fetchone()[0]
        report["datasets"][engine] = built.__dict__
        print(
            f"  {engine}: {built.services:,} services, {built.entries:,} entries; build "
            f"{built.build_s:.1f} s, index {built.index_s:.1f} s"
            + (f" (cached, built {built.built_at})" if built.cached else "")
            + f"; synonyms: {built.synonyms}"
        )
        if queries is None:
            queries = resolve_mix()
            unresolved = [q.label for q in queries if q.place is None and _has_place(q)]
            if unresolved:
                print(f"  warning: places not resolved: {unresolved}")
        if rows is None and not args.no_baselines:
            rows = load_rows()
        print(f"  timing our search on {engine} (load {load_average()}) ...")
        report["latency"][f"ours-{engine}"] = measure(
            OurSearch(f"ours-{engine}"), queries, args.queries
        )
        if args.profile and engine == engines[0]:
            profile_class(OurSearch(f"ours-{engine}"), queries, args.profile)
    baselines = []
    if not args.no_baselines:
        baselines.append(("naive", lambda r: NaiveSearch(r)))
        try:
            import tantivy  # noqa: F401

            baselines.append(("tantivy", lambda r: TantivySearch(r)))
        except ImportError:
            note = "tantivy is not installed (pip install -e '.[bench]'): baseline skipped"
            print(f"  note: {note}")
            report["notes"].append(note)
        for name, make in baselines:
            t0 = time.perf_counter()
            engine_obj = make(rows)
            build_s = time.perf_counter() - t0
            report["datasets"][name] = {"build_s": round(build_s, 2), "entries": len(rows)}
            print(
                f"  {name}: {len(rows):,} rows indexed in {build_s:.1f} s; timing (load {load_average()}) ..."
            )
            report["latency"][name] = measure(engine_obj, queries, args.queries)
        del rows
    print_latency(report["latency"], args.services)

    if not args.no_quality:
        labelled = load_labelled()
        print(
            f"\nQuality: {len(labelled)} labelled queries ({QUERIES_FILE.name}) on the real directory"
        )
        real_rows = None
        for engine in engines:
            built = ensure_database(engine, 0, sources_loader, real=True, rebuild=args.rebuild)
            report["datasets"][f"{engine}-real"] = built.__dict__
            pairs = labelled_queries(labelled)
            report["quality"][f"ours-{engine}"] = evaluate(OurSearch(f"ours-{engine}"), pairs)
            if real_rows is None:
                real_rows = load_rows()
                real_pairs = pairs
        for name, make in baselines:
            report["quality"][name] = evaluate(make(real_rows), real_pairs)
        print_quality(report["quality"])

    if args.markdown:
        print("\n" + markdown(report))
    report["load_end"] = load_average()
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\nLoad average at end: {report['load_end']}; total {report['seconds']:.0f} s")
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, default=lambda o: o.__dict__) + "\n")
        print(f"Figures written to {out}")
    return 0


def _has_place(query: BenchQuery) -> bool:
    return bool(query.params.get("near") or query.params.get("lat") is not None)


if __name__ == "__main__":
    sys.exit(main())
