"""The PostgreSQL search backend: a GIN-indexed tsvector per entry.

Each search entry holds, in its own row (``SearchEntry.document``, GIN-indexed; migration
0012), a tsvector of the same Python stems as the SQLite index (``Stems``), given as tsvector
text in the row's INSERT, never parsed by a text-search configuration: weights A (name), B
(keywords), C (body) and D (compound parts). A search reads that one table: the
text, the filters and the place's bounding box are conditions on the same rows. A query is a
tsquery of the same stems (``stem:*`` for a prefix). Ranking: ``ts_rank`` with weights
1.0/0.4/0.2/0.05 and length normalisation 1, plus the rank of what the user typed alone, so
a match on it outranks a match on a synonym only. Entry ids come from the table's sequence;
a place is a bounding box on the (latitude, longitude) index. A document goes with its
entry's row.
"""

from django.db import connection

from socialebasis.directory.geocoding import Place
from socialebasis.directory.models import SearchEntry
from socialebasis.directory.search.backend import Stems
from socialebasis.directory.search.matches import COLUMNS, Matches, fetch
from socialebasis.directory.search.query import Concept, terms

ENTRIES = "directory_searchentry"
WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # D, C, B, A
MAX_POSITION = 16383  # PostgreSQL's highest tsvector position
MAX_POSITIONS = 256  # and the most positions it keeps per lexeme
_BATCH = 2000  # rows per INSERT
_VOCABULARY_LOCK = 0x5B_5EA7C4  # advisory lock id of the vocabulary writers


def tsvector(stems: Stems) -> str:
    """The tsvector text of one entry's stems, with positions and weights. Stems are
    [a-z0-9] only, so they need no quoting."""
    positions: dict[str, list[str]] = {}
    position = 0
    for weight, found in (
        ("A", stems.name),
        ("B", stems.keywords),
        ("C", stems.body),
        ("D", stems.parts),
    ):
        for lexeme in found:
            position = min(position + 1, MAX_POSITION)
            at = positions.setdefault(lexeme, [])
            if len(at) < MAX_POSITIONS:
                at.append(f"{position}{weight}")
    return " ".join(f"{lexeme}:{','.join(at)}" for lexeme, at in positions.items())


def tsquery_expression(
    concepts: list[Concept], any_concept: bool = False, typed_only: bool = False
) -> str:
    """The tsquery text, of the same stems as SQLite's MATCH expression. ``typed_only``: only
    what the user typed, any of it (no synonyms), for ranking."""

    def alternative(alt: list[str], may_prefix: bool) -> str:
        found = terms(alt, may_prefix)
        return "(" + " & ".join(f"{s}:*" if p else s for s, p in found) + ")"

    if typed_only:
        return " | ".join(alternative(c.alternatives[0], True) for c in concepts)
    parts = ["(" + " | ".join(alternative(a, p) for a, p in c.prefixed()) + ")" for c in concepts]
    return (" | " if any_concept else " & ").join(parts)


class Backend:
    """PostgreSQL: see the module's docstring."""

    def allocator(self, fresh: bool) -> None:
        return None  # the sequence

    def write(self, entries: list[SearchEntry], stems: list[Stems]) -> None:
        for entry, found in zip(entries, stems, strict=True):
            entry.document = tsvector(found)  # in the INSERT: no second version of the row
        SearchEntry.objects.bulk_create(entries, batch_size=_BATCH)

    def remove(self, entry_ids: list[int] | None) -> None:
        return None  # a document is deleted with its entry's row

    def lock_vocabulary(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_VOCABULARY_LOCK])

    def candidates(
        self,
        concepts: list[Concept],
        where: list[str],
        args: list,
        place: Place | None,
        radius: int,
        any_concept: bool = False,
    ) -> Matches:
        # SQL text from constants only; every value is a parameter.
        if not concepts:
            select = f"SELECT {COLUMNS}, 0.0 FROM directory_searchentry e WHERE 1 = 1"  # noqa: S608
        elif all(len(c.alternatives) == 1 for c in concepts) and (
            any_concept or len(concepts) == 1
        ):
            # Without synonyms, any word matching: the query is what the user typed, whose
            # second rank (below) is the same number, so it is computed once and doubled.
            select = (
                f"SELECT {COLUMNS}, 2 * ts_rank('{WEIGHTS}', e.document, q.query, 1) "  # noqa: S608
                f"FROM {ENTRIES} e, CAST(%s AS tsquery) AS q(query) WHERE e.document @@ q.query"
            )
            args = [tsquery_expression(concepts, any_concept), *args]
        else:
            # ts_rank counts each query word once, so what the user typed is ranked a second
            # time on its own: a match on it outranks a match on a synonym only.
            select = (
                f"SELECT {COLUMNS}, ts_rank('{WEIGHTS}', e.document, q.query, 1) "  # noqa: S608
                f"+ ts_rank('{WEIGHTS}', e.document, q2.typed, 1) "
                f"FROM {ENTRIES} e"
                ", CAST(%s AS tsquery) AS q(query), CAST(%s AS tsquery) AS q2(typed)"
                " WHERE e.document @@ q.query"
            )
            args = [
                tsquery_expression(concepts, any_concept),
                tsquery_expression(concepts, typed_only=True),
                *args,
            ]
        return Matches.from_rows(fetch(" AND ".join([select, *where]), args))
