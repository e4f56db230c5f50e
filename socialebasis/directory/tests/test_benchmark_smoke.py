"""Smoke test of ``benchmarks/search.py`` so the benchmark code does not rot: its data
generator and query runner on ~500 services in the test database (SQLite or PostgreSQL),
checking that the figures are computed, not what they are."""

import importlib.util
import sys

import pytest
from django.conf import settings

from socialebasis.directory.models import SearchEntry, Service
from socialebasis.directory.search_index import rebuild_search_index

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def bench():
    path = settings.BASE_DIR / "benchmarks" / "search.py"
    spec = importlib.util.spec_from_file_location("sb_benchmark_search", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file loads
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sources(bench):
    return bench.load_sources(settings.BASE_DIR / "data")


def test_generator_is_deterministic_and_mixes_real_and_synthetic(bench, sources):
    first = bench.plan_directory(sources, 200)
    second = bench.plan_directory(sources, 200)
    assert len(first.services) == 200
    assert [s["id"] for s in first.services] == [s["id"] for s in second.services]
    assert [s["name"] for s in first.services] == [s["name"] for s in second.services]
    origins = {s["source"] for s in first.services}
    assert {bench.SOURCE_SYNTHETIC} < origins
    assert origins & {"ams-mvzn", "ams-armoede"}  # real records, keyed as the importer keys them


def test_benchmark_runs_on_500_services(bench, sources):
    plan = bench.plan_directory(sources, 500)
    bench.write_areas(sources, plan.municipality_codes, detailed={"GM0363", "GM0344"})
    bench.write_directory(plan)
    bench.ensure_synonyms()
    assert rebuild_search_index() == SearchEntry.objects.count() >= 400
    assert Service.objects.count() == 500

    queries = bench.resolve_mix({cls: items[:2] for cls, items in bench.QUERY_MIX.items()})
    assert {q.cls for q in queries} == set(bench.CLASSES)
    assert all(q.place for q in queries if q.params.get("near"))
    rows = bench.load_rows()
    engines = [bench.OurSearch("ours"), bench.NaiveSearch(rows)]
    try:
        import tantivy  # noqa: F401

        engines.append(bench.TantivySearch(rows))
    except ImportError:
        pass
    for engine in engines:
        latency = bench.measure(engine, queries, per_class=2, collect=False)
        assert set(latency) == set(bench.CLASSES)
        for figures in latency.values():
            assert figures.n == 2
            assert 0 < figures.p50 <= figures.p95 <= figures.p99
            assert figures.qps > 0

    pairs = bench.labelled_queries(bench.load_labelled()[::4], bench.present_keys())
    for engine in engines:
        quality = bench.evaluate(engine, pairs)
        assert quality["queries"] > 0
        assert 0 <= quality["recall"] <= 1
        assert 0 <= quality["recall_capped"] <= 1
        assert 0 <= quality["ndcg"] <= 1


def test_ranking_metrics(bench):
    relevant = {"a", "b"}
    perfect = bench.ranking_metrics(["a", "b", "c"], relevant)
    assert perfect == {"recall": 1.0, "recall_capped": 1.0, "ndcg": pytest.approx(1.0)}
    second = bench.ranking_metrics(["c", "a"], {"a"})
    assert second["recall"] == 1.0
    assert second["ndcg"] == pytest.approx(1 / 1.5849625, rel=1e-6)  # 1 / log2(3)
    assert bench.ranking_metrics(["c"], relevant)["recall"] == 0.0
