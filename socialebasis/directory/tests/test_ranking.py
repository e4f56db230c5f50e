"""Ranking over arrays (search._rank) gives exactly what the one-row-at-a-time formulas give,
and the in-memory points (directory.points) follow the index: a moved location is ranked at
its new place, and an entry written after the copy was loaded is read from the database."""

import heapq
import math

import numpy as np
import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from socialebasis.directory import points, vocabulary
from socialebasis.directory.geocoding import Place
from socialebasis.directory.search import SearchParams, _rank, proximity, search
from socialebasis.directory.search.matches import Matches
from socialebasis.directory.search_index import rebuild_search_index, reindex_services
from socialebasis.lib.geo import haversine_m
from socialebasis.testing import factories as f

ORIGIN = (52.3790, 4.8460)


def _reference(rows, sort, place, radius, has_text, needed):
    """The ranking as it was written before it used arrays: one row at a time."""
    top = max((r[4] for r in rows), default=0.0) or 1.0
    ranked = []
    for entry_id, lat, lon, sort_name, rank in rows:
        distance = None
        if place is not None and lat is not None:
            distance = haversine_m(place.lat, place.lon, lat, lon)
            if distance > radius:
                continue
        score = max(0.0, rank / top) if has_text else 0.0
        if place is not None:
            score *= proximity(distance, radius)
        ranked.append((entry_id, distance, score, sort_name))
    best = max((r[2] for r in ranked), default=0.0)
    if best > 0:
        ranked = [(e, d, score / best, n) for e, d, score, n in ranked]
    far = float("inf")
    keys = {
        "relevance": lambda r: (-round(r[2], 6), r[1] if r[1] is not None else far, r[3], r[0]),
        "distance": lambda r: (r[1] if r[1] is not None else far, -r[2], r[3], r[0]),
        "name": lambda r: (r[3], r[1] if r[1] is not None else far, r[0]),
    }
    if needed is not None and needed < len(ranked):
        return heapq.nsmallest(needed, ranked, key=keys[sort]), len(ranked)
    ranked.sort(key=keys[sort])
    return ranked, len(ranked)


# Few distinct values, so that ties in rank, distance and name are common.
rows_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.sampled_from([-3000, -800, 0, 800, 1500, 2000, 2500])),
        st.sampled_from([-1200, 0, 400, 1999]),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from([0.0, 0.5, 1.0, 2.25, 7.0]),
    ),
    max_size=60,
)


@given(
    rows=rows_strategy,
    sort=st.sampled_from(["relevance", "distance", "name"]),
    near=st.booleans(),
    radius=st.sampled_from([100, 2000, 3000]),
    has_text=st.booleans(),
    needed=st.one_of(st.none(), st.integers(1, 30)),
)
def test_array_ranking_equals_the_row_by_row_formulas(rows, sort, near, radius, has_text, needed):
    place = Place(*ORIGIN, "origin", "coordinates") if near else None
    per_degree = 111_195.08
    tuples = []
    for i, (north, east, name, rank) in enumerate(rows):
        lat = None if north is None else ORIGIN[0] + north / per_degree
        lon = None if north is None else ORIGIN[1] + east / (per_degree * math.cos(0.9142))
        tuples.append((i + 1, lat, lon, name, rank))
    expected = _reference(tuples, sort, place, radius, has_text, needed)
    got = _rank(Matches.from_rows(tuples), SearchParams(sort=sort), place, radius, has_text, needed)
    assert got == expected


# ---------------------------------------------------------------- the points in memory


def _koffie(name: str, at: tuple[float, float]):
    organization = f.OrganizationFactory(name=f"Org {name}")
    service = f.ServiceFactory(name=name, description="Koffie", organization=organization)
    location = f.LocationFactory(organization=organization, latitude=at[0], longitude=at[1])
    f.ServiceAtLocationFactory(service=service, location=location)
    return service, location


def _near_origin():
    params = SearchParams(q="koffie", lat=ORIGIN[0], lon=ORIGIN[1], radius=5000, sort="distance")
    return search(params)


@pytest.mark.django_db
def test_a_moved_location_is_ranked_at_its_new_place():
    _koffie("Koffie een", (ORIGIN[0] + 0.0100, ORIGIN[1]))  # 1.1 km north, another cell
    service, location = _koffie("Koffie twee", (ORIGIN[0] + 0.0005, ORIGIN[1]))
    rebuild_search_index()
    before = _near_origin()
    assert [hit.service.name for hit in before.hits] == ["Koffie twee", "Koffie een"]
    assert before.hits[0].distance_m == pytest.approx(55.6, abs=0.1)
    location.latitude = ORIGIN[0] + 0.0015
    location.save()
    reindex_services([service.id])
    after = _near_origin()
    if connection.vendor == "sqlite":  # the hard case: alone in the same cell, the same id
        assert after.hits[0].entry_id == before.hits[0].entry_id
    assert [hit.service.name for hit in after.hits] == ["Koffie twee", "Koffie een"]
    assert after.hits[0].distance_m == pytest.approx(166.8, abs=0.1)
    location.latitude = ORIGIN[0] + 0.1  # 11 km: out of the radius
    location.save()
    reindex_services([service.id])
    assert [hit.service.name for hit in _near_origin().hits] == ["Koffie een"]


@pytest.mark.django_db
def test_an_entry_newer_than_the_copy_is_read_from_the_database(monkeypatch):
    _koffie("Koffie een", (ORIGIN[0] + 0.001, ORIGIN[1]))
    rebuild_search_index()
    assert _near_origin().total == 1  # loads the copy
    key = vocabulary.index_key()
    # As if the next write committed after this search read the key: the copy stays.
    monkeypatch.setattr(vocabulary, "index_key", lambda: key)
    service, _location = _koffie("Koffie twee", (ORIGIN[0] + 0.002, ORIGIN[1]))
    reindex_services([service.id])
    found = _near_origin()
    assert [hit.service.name for hit in found.hits] == ["Koffie een", "Koffie twee"]
    assert found.hits[1].distance_m == pytest.approx(222.4, abs=0.1)
    located, known = points.lookup(np.array([found.hits[1].entry_id, 10**15], dtype=np.int64))
    assert known.tolist() == [True, False]
    assert located.name[0] == "koffie twee"
