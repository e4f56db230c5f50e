"""One results contract for every search backend: the same query set, run on the database of
this test run (SQLite in one CI run, PostgreSQL in the other), must give the result sets stored
in ``search_contract.json``. The sets hold every hit (service @ location), the count, whether
the query was relaxed and the corrections made; the order is the ranking's business, not the
contract's.

Relaxed and odd queries are part of it: a query is split into words by ``lib.text`` on every
backend, so ``Jan <naam@voorbeeld.nl>`` means the words jan, naam, voorbeeld and nl (an e-mail
address in a description is those words too), and ``a & | b`` the words a and b; punctuation
never means an operator. When no service has all words, one with any of them is a hit.

After a deliberate change of the contract, write the file anew (on SQLite, then check the
diff and run the test on PostgreSQL)::

    SB_WRITE_SEARCH_CONTRACT=1 .venv/bin/pytest socialebasis/directory/tests/test_search_contract.py
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection

from socialebasis.directory.models import ServiceArea
from socialebasis.directory.search import SearchError, SearchParams, search
from socialebasis.directory.search.backend import _backend, get_backend
from socialebasis.directory.search_index import rebuild_search_index
from socialebasis.directory.tests.test_search import add_service, north_of_origin
from socialebasis.directory.tests.test_search import world as world  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

CONTRACT = Path(__file__).with_name("search_contract.json")

# name: SearchParams fields. Covers every kind of query with and without a place and filters.
QUERIES: dict[str, dict] = {
    "ordinary": {"q": "koffie"},
    "ordinary near": {"q": "koffie", "near": "1055"},
    "ordinary near wide": {"q": "eenzaamheid", "near": "1055", "radius": 50_000},
    "two words": {"q": "koffie eenzaam"},
    "stopwords": {"q": "hulp bij de rekeningen"},
    "stemmed plural": {"q": "buurtkamers"},
    "stemmed verb": {"q": "repareren"},
    "compound head": {"q": "schulden"},
    "compound tail": {"q": "hulpverlening"},
    "compound near": {"q": "hulpverlening", "near": "1055"},
    "synonym": {"q": "geldzorgen"},
    "synonym whole stem": {"q": "alleen"},
    "synonym phrase": {"q": "zorgen voor naaste"},
    "typo": {"q": "eenzaamhied"},
    "typo long": {"q": "schuldhulpverlenign"},
    "typo near": {"q": "mantelzrog", "near": "1055"},
    "accent": {"q": "TAALCAFÉ"},
    "accent folded": {"q": "taalcafe"},
    "accent in text": {"q": "café"},
    "relaxed": {"q": "stadspas mantelzorgers"},
    "relaxed e-mail": {"q": "Jan <naam@voorbeeld.nl>"},
    "relaxed e-mail near": {"q": "Jan <naam@voorbeeld.nl>", "near": "1055"},
    "relaxed operators": {"q": "a & | b"},
    "operators only words": {"q": "a & b"},
    "quotes and minus": {"q": '"koffie" -eenzaam'},
    "prefix star": {"q": "koff*"},
    "number": {"q": "1055"},
    "punctuation near": {"q": "!!!", "near": "1055"},
    "stopwords near": {"q": "de het een", "near": "1055"},
    "place only": {"near": "1055"},
    "place far": {"near": "1102"},
    "coordinates": {"lat": 52.3790, "lon": 4.8460, "q": "schulden"},
    "theme": {"theme": "geld-en-schulden"},
    "theme with text": {"q": "hulp", "theme": "schuldhulp"},
    "area": {"q": "eenzaamheid", "area": "WK0363EE"},
    "area municipality": {"q": "eenzaamheid", "area": "GM0363"},
    "filters near": {"near": "1055", "age": 18, "wheelchair": False, "kind": ""},
    "free": {"near": "1055", "free": True},
    "wheelchair": {"q": "koffie", "near": "1055", "wheelchair": True},
    "language": {"near": "1055", "language": "ar"},
    "kind": {"q": "steun", "kind": "social_work_provider"},
    "age with text": {"q": "sport", "age": 10},
    "nothing": {"q": "zwembad"},
    "error punctuation": {"q": "!!!"},
    "error stopwords": {"q": "de het een"},
}


@pytest.fixture
def contract_world(world):  # noqa: F811 (the fixture imported above)
    """The search-test world and some services whose text holds what relaxed queries meet:
    an e-mail address, single letters, a web address."""
    add_service(
        "Spreekuur Jan",
        "Mail jan@voorbeeld.nl of bel voor een afspraak.",
        north_of_origin(700),
    )
    add_service("Plan B", "Samen koken.", north_of_origin(100))
    add_service("Vitamine A-spreekuur", "Voeding voor ouderen.", north_of_origin(150))
    add_service("Naamkaartjes", "Zie www.voorbeeld.nl/naam voor het rooster.", north_of_origin(50))
    city, _ = add_service("Voorbeeldproject Nl", "Een stadsbreed voorbeeld.", None)
    ServiceArea.objects.create(service=city, municipality=city.municipality)
    add_service("Repair Café", "Samen spullen repareren, met koffie.", north_of_origin(900))
    rebuild_search_index()
    return world


def outcome(params: dict) -> dict:
    """What the contract holds of one search: the hit set, the count, relaxed, corrections;
    or the field of the error."""
    try:
        response = search(SearchParams(**params, page_size=1000))
    except SearchError as error:
        return {"error": error.field}
    found = sorted(
        f"{hit.service.name} @ {hit.location.name if hit.location else '-'}"
        for hit in response.hits
    )
    return {
        "hits": found,
        "total": response.total,
        "relaxed": response.relaxed,
        "corrections": response.corrections,
    }


def test_every_backend_gives_the_contracted_result_sets(contract_world):
    results = {name: outcome(params) for name, params in QUERIES.items()}
    if os.environ.get("SB_WRITE_SEARCH_CONTRACT"):
        CONTRACT.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(CONTRACT.read_text())
    assert expected.keys() == results.keys()
    wrong = {
        name: (results[name], expected[name]) for name in results if results[name] != expected[name]
    }
    assert not wrong, (
        "search results differ from search_contract.json (got, expected): "
        + json.dumps(wrong, indent=1, ensure_ascii=False)
    )


def test_the_contract_holds_relaxed_queries_as_the_issue_names_them():
    """The relaxed queries of issue 9 are answered by their words, on every backend."""
    expected = json.loads(CONTRACT.read_text())
    e_mail = expected["relaxed e-mail"]
    assert e_mail["relaxed"]
    assert {"Spreekuur Jan @ Plek Spreekuur Jan", "Naamkaartjes @ Plek Naamkaartjes"} <= set(
        e_mail["hits"]
    )
    operators = expected["relaxed operators"]
    assert operators["relaxed"]
    assert operators["hits"] == [
        "Plan B @ Plek Plan B",
        "Vitamine A-spreekuur @ Plek Vitamine A-spreekuur",
    ]
    assert expected["error punctuation"] == {"error": "q"}


def test_the_backend_is_the_one_of_this_database():
    """Each test run exercises the backend of its own database, and only that one."""
    backend = get_backend()
    assert type(backend).__module__ == f"socialebasis.directory.search.{connection.vendor}"
    assert get_backend() is backend  # one per process
    with pytest.raises(KeyError, match="oracle"):
        _backend("oracle")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the PostgreSQL backend's way of writing rows"
)
def test_postgresql_writes_each_entry_row_once(contract_world):
    """A rebuild inserts every entry with its document: no UPDATE after the INSERT, which
    left a dead version of every row behind (the table twice its size after each rebuild)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_updated('directory_searchentry'::regclass), "
            "count(*) FILTER (WHERE document IS NULL), count(*) FROM directory_searchentry"
        )
        updated, without_document, entries = cursor.fetchone()
    assert entries > 0 and without_document == 0
    assert updated == 0
