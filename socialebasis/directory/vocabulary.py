"""The index vocabulary (``SearchTerm``) held in process memory, for typo correction.

``nearest(word, max_distance)`` finds the indexed word nearest to ``word`` by optimal string
alignment distance (rapidfuzz ``OSA``: insertions, deletions, substitutions and swaps of two
adjacent letters, one edit each) within ``max_distance`` edits; ties go to the word in more
services, then to the alphabetically first. It compares against the words of the lengths
that can be that near, bucketed by length and scored by ``rapidfuzz.process`` in C, instead
of loading the candidates from the database for every query (ten times slower; figures in
docs/performance.md, "Second follow-up"). The search uses it on every database, so a typo is
corrected to the same word on SQLite and PostgreSQL (``search._correct``).

The copy in memory is reloaded (one query) when its key changes.
The key has two parts, both read on every ``nearest`` call:

- a generation token in Django's cache (shared by every process in production: database or
  Redis). ``invalidate()`` replaces it; the vocabulary rebuild calls it. A missing token
  (never set, evicted, or the cache cleared, as between tests) is replaced by a new random
  one, so a cleared cache means a reload, never a stale vocabulary.
- the highest ``SearchTerm`` id, which every index write changes (a rebuild deletes every
  row and inserts new ones; a re-index of some services deletes and inserts again the rows of
  the words involved, or else the highest row; ids are not reused: SQLite AUTOINCREMENT,
  PostgreSQL sequences), so a write that did not call ``invalidate()`` is noticed too. On
  PostgreSQL two concurrent writers may commit out of id order; the token covers that.

The token alone is not enough in tests: each test's rows roll back, so two tests can build
vocabularies with the same ids; the per-test cache clearing gives each test a new token.
"""

import threading
import uuid
from collections import defaultdict

from django.core.cache import cache
from django.db import connection, transaction
from rapidfuzz import process
from rapidfuzz.distance import OSA

GENERATION_KEY = "sb:search-vocabulary:generation"


def invalidate() -> None:
    """Make every process reload the vocabulary: call after ``SearchTerm`` rows change.

    The token is replaced now (this process, inside the rebuild's transaction, sees the new
    rows) and again once the transaction commits: another process may have loaded the old
    rows under the first new token before the commit. Outside a transaction both happen at
    once."""
    _copy.clear()
    _new_generation()
    transaction.on_commit(_new_generation)


def nearest(word: str, max_distance: int) -> str | None:
    """The indexed word nearest to ``word`` within ``max_distance`` OSA edits (an integer
    >= 0), ties to the larger ``doc_count``, then alphabetical; None when there is none."""
    by_length = _copy.get()
    best: tuple[int, int, str] | None = None
    for length in range(len(word) - max_distance, len(word) + max_distance + 1):
        bucket = by_length.get(length)
        if bucket is None:
            continue
        terms, counts = bucket
        for term, distance, index in process.extract(
            word, terms, scorer=OSA.distance, score_cutoff=max_distance, limit=None
        ):
            key = (int(distance), -counts[index], term)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def _new_generation() -> str:
    token = uuid.uuid4().hex
    cache.set(GENERATION_KEY, token, timeout=None)
    return token


def _generation() -> str:
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, timeout=None):
            token = cache.get(GENERATION_KEY) or token  # another process set one first
    return token


def index_key() -> tuple[str, int | None]:
    """What changes whenever the search index is written: (the generation token in the
    shared cache, the highest ``SearchTerm`` id). Process-memory copies of the index (this
    vocabulary, ``directory.points``) reload when it differs from theirs."""
    return _generation(), _highest_id()


class IndexCopy:
    """A copy of something read from the search index, held in process memory and reloaded
    when ``index_key()`` changes: ``get()`` the current copy (loading it with ``load()`` if
    needed, one thread at a time), ``clear()`` to forget it. Used for this vocabulary and
    for ``directory.points``."""

    def __init__(self, load):
        self._load = load
        self._loaded: tuple[tuple, object] | None = None  # (key, copy)
        self._lock = threading.Lock()

    def get(self):
        # The key is read before the rows: rows loaded under a key are never older than it.
        key = index_key()
        loaded = self._loaded
        if loaded is not None and loaded[0] == key:
            return loaded[1]
        with self._lock:
            loaded = self._loaded
            if loaded is None or loaded[0] != key:
                loaded = self._loaded = (key, self._load())
        return loaded[1]

    def clear(self) -> None:
        self._loaded = None


def _highest_id() -> int | None:
    from socialebasis.directory.models import SearchTerm

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {SearchTerm._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


def _load() -> dict[int, tuple[list[str], list[int]]]:
    from socialebasis.directory.models import SearchTerm

    by_length: dict[int, tuple[list[str], list[int]]] = defaultdict(lambda: ([], []))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, length, doc_count FROM {SearchTerm._meta.db_table}"  # noqa: S608
        )
        for term, length, count in cursor.fetchall():
            terms, counts = by_length[length]
            terms.append(term)
            counts.append(count)
    return dict(by_length)


# length -> (terms, their doc counts), in the same order
_copy = IndexCopy(_load)
