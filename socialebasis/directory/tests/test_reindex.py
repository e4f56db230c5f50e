"""Re-indexing some services updates the vocabulary incrementally: after adding, editing and
deleting services the ``SearchTerm`` rows (word, stem, length, count) are exactly those of a
full rebuild, the cost does not grow with the directory, and the in-memory copy reloads."""

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialebasis.directory import vocabulary
from socialebasis.directory.constants import ServiceStatus
from socialebasis.directory.models import Organization, SearchServiceWords, SearchTerm, Service
from socialebasis.directory.search_index import (
    count_vocabulary,
    rebuild_search_index,
    reindex_services,
)
from socialebasis.lib.text import stem
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

WORDS = [
    "buurtkamer",
    "koffie",
    "ontmoeting",
    "eenzaamheid",
    "schuldhulp",
    "taalcafé",
    "mantelzorg",
    "jongeren",
    "sport",
    "wijkcentrum",
    "de",
    "2024",
]


def rows() -> set[tuple]:
    return set(SearchTerm.objects.values_list("term", "stem", "length", "doc_count"))


def assert_same_as_rebuild() -> None:
    """The vocabulary rows equal what a full rebuild would write (computed, not written)."""
    counts, per_service = count_vocabulary()
    assert rows() == {(w, stem(w)[:100], len(w), n) for w, n in counts.items()}
    stored = {
        service_id: set(found.split())
        for service_id, found in SearchServiceWords.objects.values_list("service_id", "words")
    }
    assert {k: v for k, v in stored.items() if k in per_service} == per_service


def highest_id():
    return SearchTerm.objects.aggregate(highest=Max("id"))["highest"]


def test_add_edit_delete_match_a_full_rebuild():
    f.TaxonomyTermFactory(name="Ontmoeting en koffie")
    org = f.OrganizationFactory(name="Stichting Buurtwerk")
    first = f.ServiceFactory(organization=org, name="Buurtkamer", description="Koffie en taal.")
    f.ServiceFactory(organization=org, name="Taalcafé West", description="Koffie, taal.")
    rebuild_search_index()
    assert_same_as_rebuild()
    assert vocabulary.nearest("zwerfkatten", 1) is None

    added = f.ServiceFactory(name="Zwerfkattenopvang", description="Koffie voor katten.")
    before = highest_id()
    reindex_services([added.id])
    assert_same_as_rebuild()
    assert highest_id() > before
    assert vocabulary.nearest("zwerfkatten", 1) is None  # a whole word only
    assert vocabulary.nearest("zwerfkattenopvagn", 1) == "zwerfkattenopvang"  # copy reloaded

    first.name = "Huiskamer"
    first.description = "Thee en ontmoeting."
    first.save()
    reindex_services([first.id])
    assert_same_as_rebuild()
    assert not SearchTerm.objects.filter(term="buurtkamer").exists()

    org.name = "Stichting Wijkwerk"  # a word of both its services
    org.save()
    reindex_services(Service.objects.filter(organization=org).values_list("id", flat=True))
    assert_same_as_rebuild()

    Service.objects.filter(pk=added.pk).update(status=ServiceStatus.INACTIVE)
    reindex_services([added.id])
    assert_same_as_rebuild()

    deleted = first.id
    first.delete()
    before = highest_id()
    reindex_services([deleted])
    assert_same_as_rebuild()
    assert highest_id() > before
    assert not SearchServiceWords.objects.filter(service_id=deleted).exists()

    # A re-index that changes no word still moves the highest id (the copies' key).
    before = highest_id()
    reindex_services([Service.objects.first().id])
    assert highest_id() > before
    assert_same_as_rebuild()


def test_an_index_without_stored_words_falls_back_to_a_rebuild():
    service = f.ServiceFactory(name="Buurtkamer", description="Koffie.")
    rebuild_search_index()
    SearchServiceWords.objects.all().delete()  # as after the migration that added the table
    service.name = "Huiskamer"
    service.save()
    reindex_services([service.id])
    assert_same_as_rebuild()
    assert SearchServiceWords.objects.filter(service_id=service.id).exists()


def test_one_service_costs_the_same_queries_however_large_the_directory():
    service = f.ServiceFactory(name="Buurtkamer", description="Koffie.")

    def queries_for_one(services: int) -> int:
        while Service.objects.count() < services:
            f.ServiceFactory(description="Koffie en ontmoeting in de buurt.")
        rebuild_search_index()
        service.name = f"Huiskamer {services}"
        service.save()
        with CaptureQueriesContext(connection) as captured:
            reindex_services([service.id])
        return len(captured)

    assert queries_for_one(3) == queries_for_one(40)


text = st.lists(st.sampled_from(WORDS), max_size=4).map(" ".join)
operation = st.tuples(
    st.sampled_from(["add", "edit", "rename_org", "inactivate", "delete"]),
    st.integers(min_value=0, max_value=50),
    text,
    text,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(operation, min_size=1, max_size=6))
def test_any_sequence_of_edits_matches_a_full_rebuild(db, operations):
    # Each example starts from scratch by deleting (not by rolling back a savepoint: the FTS5
    # table then kept rows of the previous example on SQLite).
    Organization.objects.all().delete()
    org = f.OrganizationFactory(name="Buurtwerk")
    f.ServiceFactory(organization=org, name="Koffie", description="ontmoeting")
    rebuild_search_index()
    for kind, index, name, description in operations:
        services = list(Service.objects.order_by("id"))
        if kind == "add" or not services:
            service = f.ServiceFactory(organization=org, name=name, description=description)
            reindex_services([service.id])
            assert_same_as_rebuild()
            continue
        service = services[index % len(services)]
        ids = [service.id]
        if kind == "edit":
            service.name, service.description = name, description
            service.save()
        elif kind == "rename_org":
            service.organization.name = name
            service.organization.save()
            ids = list(
                Service.objects.filter(organization=service.organization_id).values_list(
                    "id", flat=True
                )
            )
        elif kind == "inactivate":
            service.status = ServiceStatus.INACTIVE
            service.save()
        else:
            service.delete()
        reindex_services(ids)
        assert_same_as_rebuild()
