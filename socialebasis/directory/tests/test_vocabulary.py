"""Typo correction against the vocabulary held in memory (``directory.vocabulary``): the same
answers as comparing with every ``SearchTerm`` row, and never a stale copy."""

import random

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rapidfuzz.distance import OSA

from socialebasis.directory import vocabulary
from socialebasis.directory.models import SearchTerm
from socialebasis.directory.search.query import correct, known
from socialebasis.lib.text import stem

pytestmark = pytest.mark.django_db


def add(word, count=1, **fields):
    return SearchTerm.objects.create(
        term=word, stem=stem(word), length=len(word), doc_count=count, **fields
    )


def reference(word, max_distance):
    """What ``correct`` did before: every row of a near length, compared one by one."""
    best = None
    for term, count in SearchTerm.objects.filter(
        length__gte=len(word) - max_distance, length__lte=len(word) + max_distance
    ).values_list("term", "doc_count"):
        distance = OSA.distance(word, term, score_cutoff=max_distance)
        if distance <= max_distance:
            best = min(best or (distance, -count, term), (distance, -count, term))
    return best[2] if best else None


@pytest.mark.parametrize(
    ("word", "max_distance", "expected"),
    [
        ("abcdef", 0, "abcdef"),
        ("abcdfe", 1, "abcdef"),  # a swap of neighbours is one edit
        ("abcdfe", 0, None),
        ("abcde", 1, "abcdef"),  # shorter by one
        ("abcdefg", 1, "abcdef"),  # longer by one
        ("abcd", 1, None),
        ("abcd", 2, "abcdef"),
        ("xyzxyz", 2, None),
    ],
)
def test_nearest_within_the_distance(word, max_distance, expected):
    add("abcdef")
    assert vocabulary.nearest(word, max_distance) == expected


def test_ties_go_to_distance_then_services_then_alphabet():
    add("abcdxy", 100)  # two edits from abcdef
    add("abcdeg", 1)  # one edit
    assert vocabulary.nearest("abcdef", 2) == "abcdeg"
    add("abcdez", 5)  # one edit, in more services
    assert vocabulary.nearest("abcdef", 2) == "abcdez"
    add("abcdeh", 5)  # one edit, as many services, alphabetically first
    assert vocabulary.nearest("abcdef", 2) == "abcdeh"


def test_same_answers_as_every_row_one_by_one():
    rng = random.Random(20261129)
    letters = "aaabdeeeeghiijklmnnooprrssttuvwz"
    made = set()
    while len(made) < 1500:
        made.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 12))))
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w, stem=stem(w), length=len(w), doc_count=rng.randint(1, 4)) for w in made]
    )
    queries = [_typo(rng, rng.choice(sorted(made))) for _ in range(300)]
    queries += ["".join(rng.choice(letters) for _ in range(8)) for _ in range(50)]
    for word in queries:
        for max_distance in (1, 2):
            assert vocabulary.nearest(word, max_distance) == reference(word, max_distance), word


def _typo(rng, word):
    chars = list(word)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(chars))
        match rng.randint(0, 3):
            case 0:
                chars[i] = rng.choice("aeiouklmnrst")
            case 1 if len(chars) > 1:
                del chars[i]
            case 2:
                chars.insert(i, rng.choice("aeiouklmnrst"))
            case _ if i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def test_loaded_once_then_only_checked():
    add("eenzaamheid", 3)
    with CaptureQueriesContext(connection) as first:
        assert vocabulary.nearest("eenzaamhied", 2) == "eenzaamheid"
    with CaptureQueriesContext(connection) as second:
        assert vocabulary.nearest("eenzaamheit", 2) == "eenzaamheid"
    assert len(first.captured_queries) == 2  # the highest id, the rows
    assert len(second.captured_queries) == 1  # the highest id


def test_new_rows_are_seen_without_invalidate():
    add("buurtkamer")
    assert vocabulary.nearest("buurthuis", 1) is None
    add("buurthuys")  # a rebuild always inserts rows with new ids
    assert vocabulary.nearest("buurthuis", 1) == "buurthuys"


def test_invalidate_reloads_changed_rows():
    add("taalles", 1)
    add("taalhes", 1)
    assert vocabulary.nearest("taalees", 1) == "taalhes"
    SearchTerm.objects.filter(term="taalles").update(doc_count=9)  # the same ids
    vocabulary.invalidate()
    assert vocabulary.nearest("taalees", 1) == "taalles"


def test_a_cleared_cache_reloads_the_same_ids():
    # What happens between two tests: rows roll back and the next test may insert others
    # under the same ids; conftest clears the cache, and with it the generation token.
    first = add("mantelzorg")
    assert vocabulary.nearest("mantelzorgg", 2) == "mantelzorg"
    first.delete()
    add("mantelzorq", id=first.id)
    cache.clear()
    assert vocabulary.nearest("mantelzorgg", 2) == "mantelzorq"


def test_invalidate_renews_the_token_now_and_at_commit(django_capture_on_commit_callbacks):
    before = vocabulary._generation()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        vocabulary.invalidate()
        during = cache.get(vocabulary.GENERATION_KEY)
    after = cache.get(vocabulary.GENERATION_KEY)
    assert len({before, during, after}) == 3


def test_a_missing_token_is_created_once():
    cache.delete(vocabulary.GENERATION_KEY)
    token = vocabulary._generation()
    assert token and vocabulary._generation() == token == cache.get(vocabulary.GENERATION_KEY)


# ---------------------------------------------------------------- the search's use of it


def test_known_is_a_stem_prefix():
    add("eenzaamheid")
    assert known("eenzaam") and known("eenzaamheid") and known("eenzaamheden")
    assert not known("eenzaamhied")
    assert known("abc") and known("12345")  # short and numeric words are never corrected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("mantelzrog", "mantelzorg"),  # 10 letters: up to two edits
        ("mantelzorgen", "mantelzorg"),
        ("taalels", "taalles"),  # 7 letters: one edit
        ("taleels", None),
    ],
)
def test_correct_allows_two_edits_from_eight_letters(word, expected):
    add("mantelzorg", 4)
    add("taalles", 2)
    assert correct(word) == expected
