"""Search test matrix in the spirit of the Ohana API's: stemming, compounds, synonyms, typos,
multi-word semantics, ranking, radius edges and clamps, each filter, invalid input.
Runs on SQLite (FTS5) and PostgreSQL (sb_dutch tsvector) with the same expectations."""

from datetime import UTC, datetime, time

import pytest

from socialebasis.areas.models import Neighbourhood
from socialebasis.directory.constants import LocationKind, OrganizationKind
from socialebasis.directory.models import (
    Accessibility,
    Attribute,
    CostOption,
    Language,
    Schedule,
    ServiceArea,
    SynonymGroup,
)
from socialebasis.directory.search import (
    PlaceNotFound,
    SearchError,
    SearchParams,
    search,
)
from socialebasis.directory.search_index import rebuild_search_index
from socialebasis.directory.taxonomy import ensure_theme_taxonomy
from socialebasis.testing import factories as f

pytestmark = pytest.mark.django_db

# Searched point: the centroid of buurt "Landlust-Noord" (PC4 1055) in this world.
ORIGIN = (52.3790, 4.8460)
METRES_PER_DEGREE_LAT = 111_195.08


def north_of_origin(metres: float) -> tuple[float, float]:
    return ORIGIN[0] + metres / METRES_PER_DEGREE_LAT, ORIGIN[1]


def add_service(
    name, description="", lat_lon=ORIGIN, themes=(), kind=None, postcode="1055AB", **service_fields
):
    organization = f.OrganizationFactory(
        name=f"Org {name}", kind=kind or OrganizationKind.COLLECTIVE_FACILITY
    )
    service = f.ServiceFactory(
        name=name, description=description, organization=organization, **service_fields
    )
    location = None
    if lat_lon is not None:
        # as the importer does by point-in-polygon: the buurt the location lies in
        hood = Neighbourhood.objects.filter(
            code="BU0363TA01" if postcode.startswith("1102") else "BU0363EE04"
        ).first()
        location = f.LocationFactory(
            organization=organization,
            name=f"Plek {name}",
            latitude=lat_lon[0],
            longitude=lat_lon[1],
            kind=LocationKind.COMMUNITY_CENTRE,
            neighbourhood=hood,
        )
        f.AddressFactory(location=location, postal_code=postcode)
        f.ServiceAtLocationFactory(service=service, location=location)
    for code in themes:
        term = ensure_theme_taxonomy().terms.get(code=code)
        Attribute.objects.create(link_entity="service", link_id=service.id, taxonomy_term=term)
    return service, location


@pytest.fixture
def world(db):
    district = f.DistrictFactory(code="WK0363EE", name="Landlust")
    f.NeighbourhoodFactory(
        code="BU0363EE04",
        name="Landlust-Noord",
        district=district,
        postcode="1055",
        centroid_lat=ORIGIN[0],
        centroid_lon=ORIGIN[1],
    )
    far = f.DistrictFactory(code="WK0363TA", name="Bijlmer-Centrum")
    f.NeighbourhoodFactory(
        code="BU0363TA01",
        name="Amsterdamse Poort",
        district=far,
        postcode="1102",
        centroid_lat=52.3125,
        centroid_lon=4.9490,
    )
    s = {}
    s["schuld"], _ = add_service(
        "Schuldhulpverlening West",
        "Hulp bij rekeningen en betalingsachterstanden.",
        north_of_origin(300),
        themes=["schuldhulp"],
    )
    s["buurtkamer"], loc = add_service(
        "Buurtkamer De Kolenkit",
        "Koffie en ontmoeting voor wie zich eenzaam voelt.",
        north_of_origin(800),
        themes=["buurtkamer", "eenzaamheid"],
    )
    Accessibility.objects.create(location=loc, wheelchair=True, description="Drempelvrij")
    s["eenzaamheid"], _ = add_service(
        "Eenzaamheid samen aanpakken", "Gesprekken en activiteiten.", north_of_origin(1200)
    )
    s["ver_weg"], _ = add_service(
        "Eenzaamheid Zuidoost", "Ontmoeting in de Bijlmer.", (52.3125, 4.9490), postcode="1102AB"
    )
    s["mantelzorg"], _ = add_service(
        "Mantelzorgondersteuning",
        "Steun en advies voor mantelzorgers.",
        north_of_origin(1500),
        themes=["mantelzorg"],
        kind=OrganizationKind.SOCIAL_WORK_PROVIDER,
    )
    s["taal"], _ = add_service(
        "Taalcafé",
        "Nederlands oefenen met buren.",
        north_of_origin(400),
        minimum_age=16,
        themes=["taal-en-digitaal"],
    )
    Language.objects.create(service=s["taal"], code="nl", name="Nederlands")
    Language.objects.create(service=s["taal"], code="ar", name="Arabisch")
    s["jongeren"], _ = add_service(
        "Jongerencentrum Honk",
        "Sport en muziek.",
        north_of_origin(600),
        minimum_age=12,
        maximum_age=23,
        themes=["jongerenwerk"],
    )
    s["stadspas"], _ = add_service(
        "Stadspas",
        "Korting op activiteiten bij een laag inkomen.",
        None,
        themes=["minimaregelingen"],
    )
    ServiceArea.objects.create(
        service=s["stadspas"], name="Gemeente Amsterdam", municipality=s["stadspas"].municipality
    )
    CostOption.objects.create(service=s["stadspas"], amount=0, option="Gratis")
    s["rand"], _ = add_service("Koffieochtend aan de rand", "", north_of_origin(1990))
    s["buiten"], _ = add_service("Koffieochtend net buiten", "", north_of_origin(2010))
    Schedule.objects.create(
        service=s["buurtkamer"],
        freq="WEEKLY",
        byday="MO,TU,WE,TH,FR",
        opens_at=time(9),
        closes_at=time(17),
    )
    SynonymGroup.objects.create(terms="geldzorgen, schulden")
    SynonymGroup.objects.create(terms="alleen, eenzaam")
    SynonymGroup.objects.create(terms="mantelzorg, zorgen voor naaste")
    rebuild_search_index()
    return s


def names(response):
    return [hit.service.name for hit in response.hits]


def run(**kwargs):
    kwargs.setdefault("page_size", 100)
    return search(SearchParams(**kwargs))


# ----------------------------------------------------------------- text


def test_stemming_plural_finds_singular(world):
    assert "Buurtkamer De Kolenkit" in names(run(q="buurtkamers"))


def test_compound_head_schulden_finds_schuldhulpverlening(world):
    assert names(run(q="schulden"))[0] == "Schuldhulpverlening West"


def test_compound_tail_hulpverlening_finds_schuldhulpverlening(world):
    assert "Schuldhulpverlening West" in names(run(q="hulpverlening"))


def test_eenzaam_finds_eenzaamheid_and_description(world):
    found = names(run(q="eenzaam"))
    assert {"Eenzaamheid samen aanpakken", "Eenzaamheid Zuidoost", "Buurtkamer De Kolenkit"} <= set(
        found
    )


def test_accents_are_folded(world):
    assert names(run(q="taalcafe")) == ["Taalcafé"]
    assert names(run(q="TAALCAFÉ")) == ["Taalcafé"]


def test_synonym_single_word(world):
    response = run(q="geldzorgen")
    assert "Schuldhulpverlening West" in names(response)
    assert "schulden" in response.synonyms_used


def test_synonym_alleen_finds_eenzaam(world):
    assert "Buurtkamer De Kolenkit" in names(run(q="alleen"))


def test_multi_word_synonym_phrase(world):
    assert "Mantelzorgondersteuning" in names(run(q="zorgen voor naaste"))


def test_synonyms_match_whole_stems_not_prefixes(world):
    # "alleen" (stem "allen") is a synonym of "eenzaam": it must not find a street that
    # merely starts with the same letters.
    add_service("Zwembad De Mirandabad", "Zwemmen.", north_of_origin(200), postcode="1055XX")
    street = f.LocationFactory(latitude=ORIGIN[0], longitude=ORIGIN[1])
    f.AddressFactory(location=street, address_1="President Allendelaan 1")
    f.ServiceAtLocationFactory(location=street, service__name="Kinderboerderij")
    rebuild_search_index()
    found = names(run(q="eenzaam", near="1055"))
    assert "Kinderboerderij" not in found and "Zwembad De Mirandabad" not in found
    assert "Buurtkamer De Kolenkit" in found
    # the typed word itself still matches as a prefix (compounds)
    assert "Kinderboerderij" in names(run(q="allen", near="1055"))


def test_synonyms_are_editable_by_the_administrator(world):
    assert names(run(q="gezelligheid")) == []
    SynonymGroup.objects.create(terms="gezelligheid, koffie")
    assert "Buurtkamer De Kolenkit" in names(run(q="gezelligheid"))


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("eenzaamhied", "Eenzaamheid samen aanpakken"),
        ("schuldhulpverlenign", "Schuldhulpverlening West"),
        ("mantelzrog", "Mantelzorgondersteuning"),
    ],
)
def test_typo_tolerance_for_longer_words(world, typo, expected):
    response = run(q=typo)
    assert expected in names(response)
    assert typo in response.corrections


def test_short_words_are_not_fuzzed(world):
    assert run(q="taat").corrections == {}


def test_multi_word_query_needs_all_words(world):
    assert names(run(q="koffie eenzaam")) == ["Buurtkamer De Kolenkit"]
    assert not run(q="koffie eenzaam").relaxed


def test_multi_word_query_relaxes_when_nothing_has_all_words(world):
    response = run(q="stadspas mantelzorgers")
    assert response.relaxed
    assert {"Stadspas", "Mantelzorgondersteuning"} <= set(names(response))


def test_stopwords_do_not_block(world):
    assert names(run(q="hulp bij de rekeningen"))[0] == "Schuldhulpverlening West"


def test_name_ranks_above_description(world):
    found = names(run(q="eenzaamheid"))
    assert found.index("Eenzaamheid samen aanpakken") < found.index("Buurtkamer De Kolenkit")


def test_ties_break_on_distance_then_name(world):
    add_service("Repair Café B", "Samen spullen repareren.", north_of_origin(900))
    add_service("Repair Café C", "Samen spullen repareren.", north_of_origin(500))
    add_service("Repair Café A", "Samen spullen repareren.", north_of_origin(900))
    rebuild_search_index()
    response = run(q="repareren", near="1055")
    # the same words: nearness decides, and at the same distance the name
    assert names(response) == ["Repair Café C", "Repair Café A", "Repair Café B"]
    assert response.hits[1].score == response.hits[2].score < response.hits[0].score
    # without a place the three are a real tie, broken by name
    assert names(run(q="repareren")) == ["Repair Café A", "Repair Café B", "Repair Café C"]


def test_nearby_facility_outranks_city_wide_service_with_the_same_words(world):
    add_service("Maatjesproject", "Een maatje tegen eenzaamheid.", north_of_origin(600))
    city_wide, _ = add_service("Maatjesproject", "Een maatje tegen eenzaamheid.", None)
    ServiceArea.objects.create(service=city_wide, municipality=city_wide.municipality)
    rebuild_search_index()
    hits = run(q="maatje", near="1055").hits
    assert [h.distance_m is not None for h in hits] == [True, False]


def test_service_area_limited_to_districts(world):
    west, _ = add_service("Thuisadministratie West", "Hulp bij de post.", None)
    ServiceArea.objects.create(
        service=west,
        municipality=west.municipality,
        name="Stadsdeel West",
        district_codes="WK0363EE WK0363EF",
    )
    rebuild_search_index()
    assert names(run(q="thuisadministratie", near="1055")) == ["Thuisadministratie West"]
    assert names(run(q="thuisadministratie", near="1102")) == []  # Zuidoost
    assert names(run(q="thuisadministratie", area="BU0363EE04")) == ["Thuisadministratie West"]
    assert names(run(q="thuisadministratie", area="WK0363TA")) == []
    # coordinates: the district comes from the nearest indexed location
    assert names(run(q="thuisadministratie", lat=ORIGIN[0], lon=ORIGIN[1])) == [
        "Thuisadministratie West"
    ]


def test_scores_are_between_zero_and_one_best_first(world):
    hits = run(q="eenzaam").hits
    assert hits[0].score == pytest.approx(1.0)
    assert all(0 <= h.score <= 1 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_query_without_search_words_and_no_place_is_an_error(world):
    for text in ("!!!", "de het een"):
        with pytest.raises(SearchError) as info:
            run(q=text)
        assert info.value.field == "q"


def test_query_without_search_words_near_a_place_lists_the_place(world):
    assert run(q="!!!", near="1055").total == run(near="1055").total > 0


# ----------------------------------------------------------------- place and radius


def test_place_only_sorts_by_distance_and_carries_distances(world):
    response = run(near="1055")
    distances = [h.distance_m for h in response.hits if h.distance_m is not None]
    assert distances == sorted(distances)
    assert response.place.kind == "postcode"
    assert names(response)[0] == "Schuldhulpverlening West"
    assert response.hits[0].distance_m == pytest.approx(300, abs=2)


def test_radius_edges(world):
    found = names(run(q="koffieochtend", near="1055", radius=2000))
    assert "Koffieochtend aan de rand" in found  # 1,990 m
    assert "Koffieochtend net buiten" not in found  # 2,010 m


def test_radius_default_is_2000(world):
    assert SearchParams().radius == 2000


def test_radius_is_clamped(world):
    tiny = run(near="1055", radius=1)
    assert {h.distance_m is None or h.distance_m <= 100 for h in tiny.hits} == {True}
    assert "Eenzaamheid Zuidoost" in names(run(q="eenzaamheid", near="1055", radius=10**9))


def test_far_away_result_outside_default_radius(world):
    assert "Eenzaamheid Zuidoost" not in names(run(q="eenzaamheid", near="1055"))


def test_service_area_without_location_is_found_in_its_municipality(world):
    response = run(q="stadspas", near="1055")
    assert names(response) == ["Stadspas"]
    assert response.hits[0].distance_m is None


def test_sort_by_name(world):
    found = names(run(near="1055", sort="name"))
    assert found == sorted(found, key=str.lower)


def test_coordinates_as_place(world):
    response = run(lat=ORIGIN[0], lon=ORIGIN[1], q="schulden")
    assert names(response) == ["Schuldhulpverlening West"]
    assert response.hits[0].distance_m == pytest.approx(300, abs=2)


# ----------------------------------------------------------------- filters


def test_filter_theme_includes_children(world):
    found = set(names(run(theme="geld-en-schulden")))
    assert found == {"Schuldhulpverlening West", "Stadspas"}


def test_filter_theme_leaf(world):
    assert names(run(theme="schuldhulp")) == ["Schuldhulpverlening West"]


def test_filter_kind(world):
    assert names(run(near="1055", kind="social_work_provider")) == ["Mantelzorgondersteuning"]


def test_filter_area(world):
    assert names(run(q="eenzaamheid", area="BU0363TA01")) == ["Eenzaamheid Zuidoost"]
    in_landlust = names(run(q="eenzaamheid", area="WK0363EE"))
    assert "Eenzaamheid samen aanpakken" in in_landlust
    assert "Eenzaamheid Zuidoost" not in in_landlust
    assert "Eenzaamheid samen aanpakken" in names(run(q="eenzaamheid", area="GM0363"))


def test_filter_age(world):
    found = set(names(run(near="1055", age=10)))
    assert "Jongerencentrum Honk" not in found and "Taalcafé" not in found
    found = set(names(run(near="1055", age=18)))
    assert {"Jongerencentrum Honk", "Taalcafé"} <= found


def test_filter_free(world):
    assert names(run(near="1055", free=True)) == ["Stadspas"]


def test_filter_wheelchair(world):
    assert names(run(near="1055", wheelchair=True)) == ["Buurtkamer De Kolenkit"]


def test_filter_language(world):
    assert names(run(near="1055", language="ar")) == ["Taalcafé"]


def test_filter_open_now(world):
    tuesday_ten = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
    sunday = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
    assert names(search(SearchParams(near="1055", open_now=True), now=tuesday_ten)) == [
        "Buurtkamer De Kolenkit"
    ]
    assert names(search(SearchParams(near="1055", open_now=True), now=sunday)) == []


def test_pagination(world):
    first = run(near="1055", page_size=3)
    second = run(near="1055", page_size=3, page=2)
    assert first.total == second.total > 3
    assert not set(names(first)) & set(names(second))
    assert first.pages == -(-first.total // 3)


# ----------------------------------------------------------------- invalid input


def test_empty_query_without_place_is_an_error(world):
    with pytest.raises(SearchError) as info:
        run()
    assert info.value.field == "q"


def test_unknown_place(world):
    with pytest.raises(PlaceNotFound) as info:
        run(q="eenzaam", near="Atlantis")
    assert info.value.field == "near"
    assert "Atlantis" in info.value.reason


def test_unknown_postcode(world):
    with pytest.raises(PlaceNotFound):
        run(near="9999")


def test_half_coordinates(world):
    with pytest.raises(SearchError) as info:
        run(lat=52.3)
    assert info.value.field == "lon"  # the missing one
    with pytest.raises(SearchError) as info:
        run(lon=4.9)
    assert info.value.field == "lat"


def test_bad_sort(world):
    with pytest.raises(SearchError) as info:
        run(q="eenzaam", sort="random")
    assert info.value.field == "sort"


def test_hostile_text_is_searched_not_executed(world):
    for text in ['"', "*", "a OR b", "NEAR(", "'; DROP TABLE x; --", "eenzaam:*", "&|!()"]:
        # the text is tokenised, never passed through: a result or a clean SearchError
        try:
            run(q=text)
        except SearchError as exc:
            assert exc.field == "q"
        assert run(q=text, near="1055").total >= 0
