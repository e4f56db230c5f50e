"""The search index: one ``SearchEntry`` per service at a location (or per service without
one), a full-text document per entry, and the vocabulary of stems for typo tolerance.

The text of each entry is stemmed here, in Python (``lib.text``: name, keywords, body and
compound parts, ``search.backend.Stems``), and handed to the database's search backend
(``search.backend.get_backend()``), which stores it: SQLite in an FTS5 table over spatial
entry ids (``search.sqlite``), PostgreSQL as a tsvector (``search.postgresql``). Both index the
same stems, so they match the same entries (``tests/test_search_contract.py``).

``rebuild_search_index()`` rebuilds everything in one transaction (readers see the old index
until it commits); ``reindex_services(ids)`` refreshes the entries of some services, e.g.
after an edit in the admin. Inactive and defunct services are not indexed.

The vocabulary (``SearchTerm``: every word with the number of services it occurs in) is
rebuilt by ``rebuild_search_index`` and updated incrementally by ``reindex_services``: each
indexed service's words are kept in ``SearchServiceWords``, so a re-index adds and subtracts
the counts of the words that service adds or drops (one service of the 1,671 of the demo:
~40 ms and 29 queries instead of ~260 ms and 36; see docs/performance.md). What remains is
mostly the compound lexicon (``_lexicon``), still read from every service (~30 ms).
Vocabulary writers are serialised (``SearchBackend.lock_vocabulary``: SQLite's write lock of
``BEGIN IMMEDIATE``; a transaction-level advisory lock on PostgreSQL), so two concurrent
re-indexes never lose a count update.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction

from socialebasis.directory import vocabulary as memory_vocabulary
from socialebasis.directory.constants import ServiceStatus
from socialebasis.directory.models import (
    Accessibility,
    Attribute,
    CostOption,
    Language,
    SearchEntry,
    SearchServiceWords,
    SearchTerm,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from socialebasis.directory.search.backend import Stems, get_backend
from socialebasis.directory.spatial import IdAllocator
from socialebasis.lib.text import MIN_PART, CompoundSplitter, stem, vocabulary, words

BATCH = 2000
CHUNK = 500  # ids per IN (...) list
GEOMETRIES = (
    "location__neighbourhood__geometry",
    "location__neighbourhood__district__geometry",
    "location__municipality__geometry",
)


@dataclass
class Document:
    """The text of one entry: ``name`` (weight A), ``keywords`` (B), ``body`` (C)."""

    name: str
    keywords: str
    body: str


def rebuild_search_index() -> int:
    """Rebuild the whole index from the directory. Returns the number of entries."""
    with transaction.atomic():
        _lock_vocabulary()
        _clear(None)
        count = _index(
            get_backend().allocator(fresh=True),
            Service.objects.exclude(status=ServiceStatus.DEFUNCT).exclude(
                status=ServiceStatus.INACTIVE
            ),
        )
        _rebuild_vocabulary()
    return count


def reindex_services(service_ids: Iterable[UUID]) -> int:
    """Re-index the given services (deleted or inactive ones drop out). Returns entries written.

    The vocabulary is updated incrementally (``_update_vocabulary``): only the rows of the
    words these services had or have now are rewritten. Lexicon-based compound splitting
    uses the words already indexed, so a brand-new compound is split once the next full
    rebuild runs.
    """
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return 0
    with transaction.atomic():
        _lock_vocabulary()
        indexed_before = set(
            SearchEntry.objects.filter(service_id__in=ids).values_list("service_id", flat=True)
        )
        _clear(ids)
        count = _index(
            get_backend().allocator(fresh=False),
            Service.objects.filter(id__in=ids).exclude(
                status__in=[ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE]
            ),
        )
        _update_vocabulary(ids, indexed_before)
    return count


def _clear(service_ids: list[UUID] | None) -> None:
    entries = SearchEntry.objects.all()
    if service_ids is not None:
        entries = entries.filter(service_id__in=service_ids)
        get_backend().remove(list(entries.values_list("id", flat=True)))
    else:
        get_backend().remove(None)
    entries.delete()


def _index(allocator: IdAllocator | None, services) -> int:
    services = (
        services.select_related("organization", "municipality")
        .defer("municipality__geometry")
        .order_by("id")
    )
    lexicon = _lexicon()
    total = 0
    batch: list[Service] = []
    for service in services.iterator(chunk_size=BATCH):
        batch.append(service)
        if len(batch) >= BATCH:
            total += _index_batch(batch, lexicon, allocator)
            batch = []
    if batch:
        total += _index_batch(batch, lexicon, allocator)
    return total


def _lexicon() -> CompoundSplitter:
    """A splitter over the words of all names and descriptions (the compound lexicon)."""
    texts: list[str] = []
    for name, description in Service.objects.values_list("name", "description").iterator():
        texts.append(name)
        texts.append(description)
    texts.extend(TaxonomyTerm.objects.values_list("name", flat=True))
    return CompoundSplitter(vocabulary(texts))


def _index_batch(
    services: list[Service], lexicon: CompoundSplitter, allocator: IdAllocator | None
) -> int:
    ids = [s.id for s in services]
    sals = defaultdict(list)
    for sal in (
        ServiceAtLocation.objects.filter(service_id__in=ids)
        .select_related("location__neighbourhood__district", "location__municipality")
        # Boundaries are large GeoJSON documents the index never needs.
        .defer(*GEOMETRIES)
        .prefetch_related("location__addresses")
    ):
        sals[sal.service_id].append(sal)
    terms = _service_terms(ids)
    free = set(
        CostOption.objects.filter(service_id__in=ids, amount=0).values_list("service_id", flat=True)
    )
    languages = defaultdict(set)
    for service_id, code in Language.objects.filter(service_id__in=ids).values_list(
        "service_id", "code"
    ):
        languages[service_id].add(code.lower())
    location_ids = [sal.location_id for group in sals.values() for sal in group]
    wheelchair = set(
        Accessibility.objects.filter(location_id__in=location_ids, wheelchair=True).values_list(
            "location_id", flat=True
        )
    )
    areas = _service_areas(ids)

    entries: list[SearchEntry] = []
    documents: list[Document] = []
    for service in services:
        term_names = " ".join(t.name for t in terms[service.id])
        term_paths = " ".join(sorted({t.path for t in terms[service.id]}))
        base = {
            "service": service,
            "organization_kind": service.organization.kind,
            "term_paths": term_paths,
            "free": service.id in free,
            "languages": " " + " ".join(sorted(languages[service.id])) + " ",
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "sort_name": service.name.lower()[:300],
        }
        if sals[service.id]:
            for sal in sals[service.id]:
                loc = sal.location
                hood = loc.neighbourhood
                entries.append(
                    SearchEntry(
                        **base,
                        location=loc,
                        service_at_location=sal,
                        municipality_code=loc.municipality.code if loc.municipality else "",
                        district_code=hood.district.code if hood else "",
                        neighbourhood_code=hood.code if hood else "",
                        latitude=loc.latitude,
                        longitude=loc.longitude,
                        wheelchair=loc.id in wheelchair,
                    )
                )
                documents.append(_document(service, term_names, loc))
        else:
            municipality, area_codes = areas.get(service.id) or (
                service.municipality.code if service.municipality_id else "",
                "",
            )
            entries.append(
                SearchEntry(**base, municipality_code=municipality, area_codes=area_codes)
            )
            documents.append(_document(service, term_names, None))
    if allocator is not None:
        for entry in entries:
            entry.id = allocator.allocate(entry.latitude, entry.longitude, entry.municipality_code)
    get_backend().write(entries, [_stems(d, lexicon) for d in documents])
    return len(entries)


def _service_areas(service_ids: list[UUID]) -> dict[UUID, tuple[str, str]]:
    """Per service: (municipality code, " WK… WK… ") of its service areas; the district list is
    empty when an area covers the whole municipality. A service has one municipality here;
    areas in other municipalities than the first are ignored."""
    found: dict[UUID, tuple[str, set[str] | None]] = {}
    for service_id, municipality, codes in ServiceArea.objects.filter(
        service_id__in=service_ids, municipality__isnull=False
    ).values_list("service_id", "municipality__code", "district_codes"):
        current_municipality, districts = found.get(service_id, (municipality, set()))
        if current_municipality != municipality:
            continue
        if districts is not None:
            districts = districts | set(codes.split()) if codes.strip() else None
        found[service_id] = (municipality, districts)
    return {
        service_id: (municipality, f" {' '.join(sorted(codes))} " if codes else "")
        for service_id, (municipality, codes) in found.items()
    }


def _service_terms(service_ids: list[UUID]) -> dict[UUID, list[TaxonomyTerm]]:
    result: dict[UUID, list[TaxonomyTerm]] = defaultdict(list)
    for attribute in Attribute.objects.filter(
        link_entity="service", link_id__in=service_ids
    ).select_related("taxonomy_term"):
        result[attribute.link_id].append(attribute.taxonomy_term)
    return result


def _document(service: Service, term_names: str, location) -> Document:
    keywords = [service.organization.name, service.alternate_name, term_names]
    if location is not None:
        keywords.append(location.name)
        for address in location.addresses.all():
            keywords += [address.address_1, address.postal_code, address.city]
        if location.neighbourhood:
            keywords += [location.neighbourhood.name, location.neighbourhood.district.name]
    body = [service.description, service.eligibility_description, service.application_process]
    return Document(
        service.name, " ".join(k for k in keywords if k), " ".join(b for b in body if b)
    )


def _stems(doc: Document, lexicon: CompoundSplitter) -> Stems:
    """The stems the index holds for a document, the same for every backend: those of each
    column, and of the compound parts of every long word."""
    parts: list[str] = []
    for word in words(f"{doc.name} {doc.keywords} {doc.body}"):
        parts.extend(lexicon.terms(word))
    return Stems(
        [stem(w) for w in words(doc.name)],
        [stem(w) for w in words(doc.keywords)],
        [stem(w) for w in words(doc.body)],
        [stem(p) for p in parts],
    )


def rebuild_vocabulary() -> None:
    """Recount the whole vocabulary (``SearchTerm``), e.g. after taxonomy terms changed: their
    names count too, and a service re-index does not see them. ~0.2-0.3 s at 1,671 services."""
    with transaction.atomic():
        _lock_vocabulary()
        _rebuild_vocabulary()


def _lock_vocabulary() -> None:
    """Serialise the writers of the vocabulary until the transaction ends."""
    get_backend().lock_vocabulary()


def _indexed_services():
    return Service.objects.exclude(status__in=[ServiceStatus.DEFUNCT, ServiceStatus.INACTIVE])


def _service_words(name: str, organization: str, description: str) -> set[str]:
    """The vocabulary words of one service: folded words of 3 to 100 letters, no numbers, of
    its name, its organisation's name and its description."""
    return {
        w
        for w in words(f"{name} {organization} {description}")
        if len(w) >= MIN_PART and not w.isdigit() and len(w) <= 100
    }


def _term(word: str, doc_count: int) -> SearchTerm:
    return SearchTerm(term=word, stem=stem(word)[:100], length=len(word), doc_count=doc_count)


def count_vocabulary() -> tuple[Counter[str], dict[UUID, set[str]]]:
    """What a full rebuild writes: the document count of every vocabulary word (services,
    plus one per taxonomy term naming it) and the vocabulary words of each indexed service."""
    doc_count: Counter[str] = Counter()
    per_service: dict[UUID, set[str]] = {}
    for service_id, name, org, description in (
        _indexed_services()
        .values_list("id", "name", "organization__name", "description")
        .iterator(chunk_size=BATCH)
    ):
        found = per_service[service_id] = _service_words(name, org, description)
        doc_count.update(found)
    for name in TaxonomyTerm.objects.values_list("name", flat=True):
        doc_count.update(w for w in words(name) if len(w) >= MIN_PART)
    return doc_count, per_service


def _rebuild_vocabulary() -> None:
    """Every indexed word (folded, 3+ letters) with its stem and document count;
    ``SearchServiceWords`` anew for every service."""
    doc_count, per_service = count_vocabulary()
    SearchTerm.objects.all().delete()
    SearchTerm.objects.bulk_create([_term(w, n) for w, n in doc_count.items()], batch_size=BATCH)
    SearchServiceWords.objects.all().delete()
    SearchServiceWords.objects.bulk_create(
        [
            SearchServiceWords(service_id=service_id, words=" ".join(sorted(found)))
            for service_id, found in per_service.items()
        ],
        batch_size=BATCH,
    )
    memory_vocabulary.invalidate()  # processes reload their copy for typo correction


def _update_vocabulary(service_ids: list[UUID], indexed_before: set[UUID]) -> None:
    """Adjust the vocabulary for re-indexed services (a list of ids; ``indexed_before``: those
    of them that had search entries before): subtract the words each had
    (``SearchServiceWords``), add the words it has now (none when deleted or inactive).

    The ``SearchTerm`` rows of every word involved are deleted and inserted again (a word
    whose count drops to 0 is dropped), so the highest ``SearchTerm`` id changes on every
    re-index, as it does on a rebuild (ids are never reused: SQLite AUTOINCREMENT, PostgreSQL
    sequences); the in-memory copies key on it (``vocabulary.index_key``). When a service has
    entries but no stored words (an index built before ``SearchServiceWords`` existed) the
    vocabulary is rebuilt instead. Costs a handful of queries, independent of the number of
    services.
    """
    before: dict[UUID, set[str]] = {}
    for start in range(0, len(service_ids), CHUNK):
        chunk = service_ids[start : start + CHUNK]
        for service_id, found in SearchServiceWords.objects.filter(
            service_id__in=chunk
        ).values_list("service_id", "words"):
            before[service_id] = set(found.split())
    if indexed_before - before.keys():
        _rebuild_vocabulary()
        return
    after: dict[UUID, set[str]] = {}
    for start in range(0, len(service_ids), CHUNK):
        chunk = service_ids[start : start + CHUNK]
        for service_id, name, org, description in (
            _indexed_services()
            .filter(id__in=chunk)
            .values_list("id", "name", "organization__name", "description")
        ):
            after[service_id] = _service_words(name, org, description)

    delta: Counter[str] = Counter()
    for service_id in service_ids:
        old, new = before.get(service_id, set()), after.get(service_id, set())
        delta.update(new - old)
        delta.subtract(old - new)
        delta.update(dict.fromkeys(old & new, 0))  # rewritten too: a new highest id

    counts: dict[str, int] = {}
    involved = sorted(delta)
    if not involved:  # nothing to rewrite: move the highest row, so the id key still changes
        involved = list(SearchTerm.objects.order_by("-id").values_list("term", flat=True)[:1])
    for start in range(0, len(involved), CHUNK):
        chunk = involved[start : start + CHUNK]
        counts.update(SearchTerm.objects.filter(term__in=chunk).values_list("term", "doc_count"))
        SearchTerm.objects.filter(term__in=chunk).delete()
    SearchTerm.objects.bulk_create(
        [
            _term(w, counts.get(w, 0) + delta[w])
            for w in involved
            if counts.get(w, 0) + delta[w] > 0
        ],
        batch_size=BATCH,
    )

    for start in range(0, len(service_ids), CHUNK):
        SearchServiceWords.objects.filter(
            service_id__in=service_ids[start : start + CHUNK]
        ).delete()
    SearchServiceWords.objects.bulk_create(
        [
            SearchServiceWords(service_id=service_id, words=" ".join(sorted(found)))
            for service_id, found in after.items()
        ],
        batch_size=BATCH,
    )
    memory_vocabulary.invalidate()  # processes reload their copy for typo correction
