"""The one interface between search and a database, and ``get_backend()`` to get the one for
the current connection (as ``geocoding.get_geocoder()`` gets the configured geocoder).

Everything about words is shared Python (``lib.text``, ``search.query``): the index gets the
same stems on every database (``Stems``) and a query the same concepts, so the backends
differ only in how they store, match and rank them, never in which entries match
(``tests/test_search_contract.py``). SQLite: ``search.sqlite`` (FTS5, spatial ids);
PostgreSQL: ``search.postgresql`` (a GIN-indexed tsvector).
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Protocol

from django.db import connection

from socialebasis.directory.geocoding import Place
from socialebasis.directory.models import SearchEntry
from socialebasis.directory.search.matches import Matches
from socialebasis.directory.search.query import Concept
from socialebasis.directory.spatial import IdAllocator

_BACKENDS = {
    "sqlite": "socialebasis.directory.search.sqlite",
    "postgresql": "socialebasis.directory.search.postgresql",
}


@dataclass
class Stems:
    """The indexed text of one search entry as Python stems (``lib.text.stem``), by weight:
    the service's ``name``, ``keywords`` (organisation, themes, location, address), ``body``
    (description, eligibility, application) and ``parts`` (compound parts of all of them)."""

    name: list[str]
    keywords: list[str]
    body: list[str]
    parts: list[str]


class SearchBackend(Protocol):
    """What a database does for search. Entry ids are ``SearchEntry`` ids; every method runs
    in the caller's transaction."""

    def allocator(self, fresh: bool) -> IdAllocator | None:
        """How new entries get their ids: an allocator, or None for the table's sequence.
        ``fresh``: the index was just emptied (a full rebuild)."""

    def write(self, entries: list[SearchEntry], stems: list[Stems]) -> None:
        """Insert these new entries (ids set when ``allocator`` gave one) with their text,
        one ``Stems`` per entry, in order."""

    def remove(self, entry_ids: list[int] | None) -> None:
        """Drop the text of these entries (None: of all) before their rows are deleted."""

    def lock_vocabulary(self) -> None:
        """Serialise the writers of the vocabulary until the transaction ends."""

    def candidates(
        self,
        concepts: list[Concept],
        where: list[str],
        args: list,
        place: Place | None,
        radius: int,
        any_concept: bool = False,
    ) -> Matches:
        """The entries matching every concept (any one with ``any_concept``; all entries
        without concepts) and the SQL conditions ``where`` over ``e`` (``matches.filters``),
        with their text rank (higher is better; 0 without concepts). With a ``place`` the
        conditions hold its bounding box; a backend may leave out what lies outside the
        circle of ``radius`` metres, which the ranking cuts exactly. The number of hits is
        the number of candidates within the circle (``search._rank``)."""


def get_backend() -> SearchBackend:
    """The backend of the default database connection (SQLite or PostgreSQL). Raises
    KeyError naming the vendor for any other database."""
    return _backend(connection.vendor)


@cache
def _backend(vendor: str) -> SearchBackend:
    try:
        module = _BACKENDS[vendor]
    except KeyError:
        raise KeyError(f"search has no backend for the {vendor} database") from None
    return import_module(module).Backend()
