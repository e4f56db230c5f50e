"""import-amsterdam on the real files: counts equal the source, mapping and extraction
examples, idempotent re-import, and corrupted copies that abort with the file, the feature or
record and the reason while leaving the database unchanged."""

import json
import re
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import transaction

from socialebasis.areas.models import District
from socialebasis.directory import models as d
from socialebasis.directory.constants import THEME_TAXONOMY
from socialebasis.directory.importers import amsterdam as ams
from socialebasis.lib.importing import ImportFailure
from socialebasis.testing.imports import copy_data, counts, run, wipe_imported_data

FACILITIES = ams.FACILITIES_FILE
POVERTY = ams.POVERTY_FILE


# Every test uses the database, so pytest-django keeps them together with the module
# fixture (it moves tests without the database to the end of the session).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker):
    """Amsterdam areas and directory loaded once for the module (search index not built),
    in a transaction rolled back at the end: the import's audit row cannot be deleted."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            run("import_cbs", municipality=["GM0363"], no_post=True)
            yield run("import_amsterdam", no_post=True)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def loaded(imported, db):
    return imported


def themes_of(service) -> set[str]:
    return set(d.Attribute.objects.filter(
        link_entity="service", link_id=service.id,
        taxonomy_term__taxonomy__code=THEME_TAXONOMY).values_list("taxonomy_term__code",
                                                                  flat=True))  # fmt: skip


def line_for(output: str, label: str) -> str:
    return next(line for line in output.splitlines() if line.strip().startswith(label))


# --- counts and content ---------------------------------------------------------------------


def test_counts_equal_the_sources(loaded):
    facilities = d.Service.objects.filter(source="ams-mvzn")
    assert facilities.count() == 1462
    assert d.Location.objects.filter(source="ams-mvzn").count() == 1462
    assert d.Organization.objects.filter(source="ams-mvzn").count() == 1462
    assert d.ServiceAtLocation.objects.filter(service__source="ams-mvzn").count() == 1462
    assert d.Location.objects.filter(municipality__code="GM0363").count() == 1462
    located = d.Location.objects.filter(source="ams-mvzn", neighbourhood__isnull=False)
    assert located.count() == 1462
    assert located.values("neighbourhood").distinct().count() == 341
    assert d.Address.objects.count() == 1436  # 26 features have no address
    poverty = d.Service.objects.filter(source="ams-armoede")
    assert poverty.count() == 209
    assert (
        d.ServiceArea.objects.filter(
            service__source="ams-armoede", municipality__code="GM0363"
        ).count()
        == 209
    )
    assert not d.ServiceAtLocation.objects.filter(service__source="ams-armoede").exists()
    assert not d.Service.objects.filter(last_verified__isnull=False).exists()


def test_every_facility_has_its_category_term_and_a_theme(loaded):
    taxonomy = d.Taxonomy.objects.get(code="ams-categorie")
    assert taxonomy.name == "Categorieën gemeente Amsterdam"
    assert taxonomy.terms.filter(parent=None).count() == 5  # the five Domeinen
    for code in ("ams-categorie", THEME_TAXONOMY):
        linked = d.Attribute.objects.filter(
            link_entity="service", taxonomy_term__taxonomy__code=code,
            link_id__in=d.Service.objects.filter(source="ams-mvzn").values("id"),
        ).values("link_id").distinct().count()  # fmt: skip
        assert linked == 1462, code


def test_facility_mapping(loaded):
    service = d.Service.objects.get(source="ams-mvzn", source_id="MV1135-1")
    location = d.Location.objects.get(source="ams-mvzn", source_id="MV1135-1")
    assert service.name == "Buurtkamer Buurtboederij Ons Genoegen"
    assert service.alternate_name == location.name == "Buurtboederij Ons Genoegen"
    assert "buurtkamer" in service.description.lower()
    assert location.kind == "neighbourhood_room"
    assert service.organization.kind == "collective_facility"
    assert (location.latitude, location.longitude) == (52.390909, 4.860541)
    assert location.neighbourhood.code.startswith("BU0363")
    assert location.neighbourhood.shape.contains(
        __import__("shapely.geometry", fromlist=["Point"]).Point(4.860541, 52.390909)
    )
    address = location.addresses.get()
    assert (address.address_1, address.postal_code, address.city) == (
        "Spaarndammerdijk 319",
        "1014AA",
        "Amsterdam",
    )
    assert themes_of(service) == {"buurtkamer", "eenzaamheid"}
    category = d.Attribute.objects.get(
        link_id=service.id, taxonomy_term__taxonomy__code="ams-categorie"
    )
    assert category.taxonomy_term.path == "/basisvoorzieningen/basisvoorzieningen--buurtkamer/"


@pytest.mark.parametrize("source_id, name, kind, themes", [
    ("MV1360-1", "Ouder- en Kindteam WTV midden", "team_location", {"opvoedondersteuning"}),
])  # fmt: skip
def test_abbreviation_expanded(loaded, source_id, name, kind, themes):
    service = d.Service.objects.get(source="ams-mvzn", source_id=source_id)
    assert service.name == name
    assert service.service_at_locations.get().location.kind == kind
    assert themes_of(service) == themes


def test_kinds_and_themes_by_category(loaded):
    def kinds(categorie_word):
        services = d.Service.objects.filter(source="ams-mvzn", description__contains=categorie_word)
        return {s.service_at_locations.get().location.kind for s in services}

    assert kinds("> Bibliotheek") == {"library"}
    assert kinds("> Opvanglocatie") == {"shelter"}
    assert kinds("> Jongerencentrum") == {"youth_centre"}
    older = d.Service.objects.filter(source="ams-mvzn", description__contains="Meedoen ouderen")
    assert older.count() == 88
    assert all(
        themes_of(s) == {"ouderen", "werk-en-dagbesteding", "eenzaamheid"} for s in older[:5]
    )
    weesp = d.Address.objects.filter(location__source="ams-mvzn", city="Weesp")
    assert weesp.exists() and all(a.postal_code.startswith("138") for a in weesp)


@pytest.mark.parametrize("word, at_least", [
    ("buurtkamer", 100), ("ouderen", 88), ("dagbesteding", 200), ("jongeren", 40),
    ("opvang", 70), ("bibliotheek", 26),
])  # fmt: skip
def test_descriptions_hold_the_search_words(loaded, word, at_least):
    found = d.Service.objects.filter(source="ams-mvzn", description__icontains=word).count()
    assert found >= at_least


def test_poverty_record_with_organisation_on_second_line(loaded):
    service = d.Service.objects.get(source="ams-armoede", name="Administratie maatje")
    assert service.organization.name == "Humanitas"
    assert service.email == "kantoor.amsterdam@humanitas.nl"
    assert [p.number for p in service.phones.all()] == ["020 773 6542"]
    assert service.url.startswith("https://www.humanitas.nl/")
    assert "Aanbod: Hulp bij je administratie" in service.description
    assert service.application_process.startswith("Aanmelden via:")
    assert {"geld-en-schulden", "schuldhulp"} <= themes_of(service)
    area = service.service_areas.get()
    assert (area.name, area.description, area.municipality.code) == (
        "Stadsdeel Oost",
        "Stadsdeel Oost",
        "GM0363",
    )
    # Oost's CBS districts are the WK0363M… codes (the stadsdeel letter)
    codes = area.district_codes.split()
    assert codes and all(code.startswith("WK0363M") for code in codes)
    assert set(codes) == set(
        District.objects.filter(code__startswith="WK0363M").values_list("code", flat=True)
    )


def test_city_wide_poverty_record_covers_the_whole_municipality(loaded):
    areas = d.ServiceArea.objects.filter(service__source="ams-armoede", name="Heel Amsterdam")
    assert areas.count() == 53  # 52 "*" records and one ["*"]
    assert set(areas.values_list("district_codes", flat=True)) == {""}
    # one organisation for every record that names it
    assert d.Organization.objects.filter(source="ams-armoede", name="Humanitas").count() == 1


def test_poverty_free_services_and_municipal_schemes(loaded):
    buurtbuik = d.Service.objects.filter(source="ams-armoede", name="Buurtbuik")
    assert buurtbuik.count() == 5
    assert all(s.cost_options.get().amount == Decimal("0") for s in buurtbuik)
    assert all("voedsel" in themes_of(s) for s in buurtbuik)
    ontbijt = d.Service.objects.get(source="ams-armoede", name="Ontbijt")
    assert not ontbijt.cost_options.exists()  # "voor weinig geld": not free
    kindbonnen = d.Service.objects.get(source="ams-armoede", name="Kindbonnen")
    assert kindbonnen.organization.name == "Gemeente Amsterdam"
    assert kindbonnen.organization.kind == "municipality"
    assert "minimaregelingen" in themes_of(kindbonnen)
    assert kindbonnen.eligibility_description == "Voor huishoudens met kinderen."
    assert d.Service.objects.filter(source="ams-armoede", minimum_age__isnull=False).count() == 0


def test_poverty_ids_are_unique_and_do_not_depend_on_position(loaded, tmp_path):
    ids = list(d.Service.objects.filter(source="ams-armoede").values_list("source_id", flat=True))
    assert len(set(ids)) == 209
    assert (
        d.Service.objects.filter(source="ams-armoede", name="Maatje voor sociaal contact").count()
        == 5
    )
    data = copy_data(tmp_path, [POVERTY])
    path = data / POVERTY
    document = json.loads(path.read_text(encoding="utf-8"))
    document["dataResult"].insert(0, dict(document["dataResult"][10], naam="Nieuw"))
    path.write_text(json.dumps(document), encoding="utf-8")
    shifted = {r.source_id for r in ams.read_poverty_services(data)}
    assert set(ids) <= shifted and len(shifted) == 210


# --- idempotency ---------------------------------------------------------------------------


def test_reimport_changes_nothing(loaded):
    before = counts()
    ids = set(d.Service.objects.values_list("id", "source", "source_id"))
    output = run("import_amsterdam", no_post=True)
    assert counts() == before
    assert set(d.Service.objects.values_list("id", "source", "source_id")) == ids
    for label in (
        "Organization",
        "Location",
        "Service ",
        "Address",
        "Attribute",
        "Phone",
        "TaxonomyTerm",
    ):
        line = line_for(output, label)
        assert re.search(r"\b0 created,\s+0 updated", line), line


def test_reimport_repairs_an_edited_record(loaded):
    service = d.Service.objects.get(source="ams-mvzn", source_id="MV1135-1")
    d.Service.objects.filter(pk=service.pk).update(name="Verkeerd")
    d.Attribute.objects.filter(link_id=service.id).delete()
    output = run("import_amsterdam", no_post=True)
    service.refresh_from_db()
    assert service.name == "Buurtkamer Buurtboederij Ons Genoegen"
    assert "1 updated" in line_for(output, "Service ")
    assert "3 created" in line_for(output, "Attribute")


def test_requires_amsterdam_areas(loaded):
    wipe_imported_data()  # rolled back after the test
    with pytest.raises(CommandError, match="GM0363.*not loaded.*import-cbs"):
        run("import_amsterdam", no_post=True)


# --- corrupted copies ----------------------------------------------------------------------


def corrupt_facility(data, number: int, change) -> str:
    path = data / FACILITIES
    document = json.loads(path.read_text(encoding="utf-8"))
    feature = document["features"][number - 1]
    change(feature)
    path.write_text(json.dumps(document), encoding="utf-8")
    return feature["properties"]["MVZN_ID"]


def set_prop(key, value):
    return lambda feature: feature["properties"].__setitem__(key, value)


@pytest.mark.parametrize("change, reason", [
    (lambda f: f["geometry"].__setitem__("coordinates", [121000.0, 487000.0]),
     "lie outside the Netherlands"),
    (lambda f: f["geometry"].__setitem__("coordinates", [4.9]), "two numbers"),
    (set_prop("Naam", "  "), "missing Naam"),
    (set_prop("Postcode", "1055 A"), "malformed Postcode '1055 A'"),
    (set_prop("Categorie", "Ruimteschip"), "unknown Categorie 'Ruimteschip'"),
    (set_prop("MVZN_ID", "MV1135-1"), "duplicate MVZN_ID"),
])  # fmt: skip
def test_corrupted_facility_aborts_and_changes_nothing(loaded, tmp_path, change, reason):
    data = copy_data(tmp_path, [FACILITIES, POVERTY])
    mvzn_id = corrupt_facility(data, 17, change)
    before = counts()
    with pytest.raises(CommandError) as failure:
        run("import_amsterdam", data_dir=data)
    message = str(failure.value)
    assert "maatschappelijke_voorzieningen_amsterdam.geojson, feature 17" in message
    assert reason in message and (mvzn_id in message or "duplicate" not in reason)
    assert counts() == before


def test_malformed_json_aborts(loaded, tmp_path):
    data = copy_data(tmp_path, [FACILITIES, POVERTY])
    path = data / POVERTY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"naam":', '"naam"', 3), encoding="utf-8")
    before = counts()
    with pytest.raises(
        CommandError,
        match=r"armoede_voorzieningen_amsterdam.json, line \d+ "
        r"column \d+: invalid JSON",
    ):
        run("import_amsterdam", data_dir=data)
    assert counts() == before


@pytest.mark.parametrize("change, reason", [
    ({"naam": "\n "}, "record 5: missing naam"),
    ({"stadsdeel": "XX"}, "unknown stadsdeel XX"),
    ({"categorieen": "Ruimtevaart"}, "unknown categorieen 'Ruimtevaart'"),
    ({"leedtijd": "jong"}, "unreadable leedtijd 'jong'"),
    ({"levert": ["lijst"]}, "levert is not text"),
])  # fmt: skip
def test_corrupted_poverty_record_aborts(loaded, tmp_path, change, reason):
    data = copy_data(tmp_path, [FACILITIES, POVERTY])
    path = data / POVERTY
    document = json.loads(path.read_text(encoding="utf-8"))
    document["dataResult"][4].update(change)
    path.write_text(json.dumps(document), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as failure:
        run("import_amsterdam", data_dir=data)
    assert "armoede_voorzieningen_amsterdam.json, record 5" in str(failure.value)
    assert reason in str(failure.value)
    assert counts() == before


def test_failure_after_writing_rolls_everything_back(loaded, monkeypatch):
    """An error in the second source undoes the writes of the first."""
    d.Service.objects.filter(source="ams-mvzn", source_id="MV1135-1").delete()
    before = counts()

    def fail(*args, **kwargs):
        raise ImportFailure(POVERTY, "record 1", "simulated failure")

    monkeypatch.setattr(ams, "import_poverty_services", fail)
    with pytest.raises(CommandError, match="simulated failure"):
        run("import_amsterdam", no_post=True)
    assert counts() == before
    assert not d.Service.objects.filter(source_id="MV1135-1").exists()


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text, phones", [
    ("Tel: 020 - 665 8001E-mail:x@y.nl", ["020 665 8001"]),
    ("Afspraak maken: (020) 751 06 10", ["020 751 0610"]),
    ("Amsterdam06-41022231", ["06 4102 2231"]),
    ("Bellen 020-6193265 of 020-6673493", ["020 619 3265", "020 667 3493"]),
    ("bellen met 06-3848053 of", []),  # nine digits: not a number
    ("maandag 07.30-09.00 uur, 1095 LB", []),
    ("Kramatplantsoen 101-h1095 LB AmsterdamTel: 020 - 665 8001", ["020 665 8001"]),
])  # fmt: skip
def test_find_phones(text, phones):
    assert ams.find_phones(text) == phones


def test_find_email_and_url():
    assert ams.find_email("Meij:E:e.meij@civicamsterdam.nlT: 020") == "e.meij@civicamsterdam.nl"
    assert ams.find_email("a@b.nl of c@d.nl") == ""
    assert ams.find_email("mail A@b.nl of a@b.nl").lower() == "a@b.nl"
    assert ams.find_url("Meer info:\nHttp://Www.X.Nl/Page.") == "http://Www.X.Nl/Page"
    assert ams.find_url("kijk op www.debewaarschool.nl") == "http://www.debewaarschool.nl"
    assert ams.find_url("geen link") == ""


@pytest.mark.parametrize("naam, expected", [
    ("Grip op je geld\nHUMANITAS", ("Grip op je geld", "Humanitas")),
    ("Kinderactiviteiten \rDe Bewaarschool ", ("Kinderactiviteiten", "De Bewaarschool")),
    ("Naai/haak/\rbreiles\r", ("Naai/haak/breiles", "")),
    ("Schuldhulpverlening CENTRAM", ("Schuldhulpverlening", "CENTRAM")),
    ("Muziekcentrum ZO", ("Muziekcentrum ZO", "")),
])  # fmt: skip
def test_split_name(naam, expected):
    assert ams._split_name(naam) == expected


@pytest.mark.parametrize("raw, expected", [
    ("1055AB", "1055AB"), ("1055 ab", "1055AB"), ("", ""), ("0123AB", None), ("1055SS", None),
    ("1055", None), ("1055ABC", None),
])  # fmt: skip
def test_normalise_postcode(raw, expected):
    assert ams.normalise_postcode(raw) == expected


@pytest.mark.parametrize("levert, description, free", [
    ("Gratis eten", "", True),
    ("Buurtactiviteiten. Gratis koffie", "", False),
    ("Hulp bij recht", "Het is allemaal gratis en voor iedereen toegankelijk!", True),
    ("Gratis koffie thee en brood en voor weinig geld aanvullend ontbijt", "", False),
    ("Gratis identiteitskaart", "Wel betaalt u de pasfoto zelf.", False),
])  # fmt: skip
def test_is_free(levert, description, free):
    assert ams._is_free(levert, description) is free


def test_theme_table_uses_existing_theme_codes():
    from socialebasis.directory.taxonomy import THEMES

    codes = {code for code, _, _, children in THEMES} | {
        child for _, _, _, children in THEMES for child, _, _ in children
    }
    used = {c for value in ams.FACILITY_THEMES.values() for c in value.split()}
    used |= {theme for _, theme, _ in ams.POVERTY_KEYWORDS}
    used |= {c for value in ams.POVERTY_CATEGORIES.values() for c in value}
    assert used <= codes, used - codes
    assert set(ams.KINDS) == {cat for cat, _ in ams.FACILITY_THEMES}
    assert set(ams.KINDS) == {cat for cat, _ in ams.FACILITY_WORDS}


# --- search --------------------------------------------------------------------------------


@pytest.mark.slow
def test_full_text_search_finds_imported_services(loaded):
    """The generated descriptions make the facilities findable by what they are."""
    search_index = pytest.importorskip("socialebasis.directory.search_index")
    search_module = pytest.importorskip("socialebasis.directory.search")
    assert search_index.rebuild_search_index() == 1671
    for word, at_least in [("buurtkamer", 100), ("ouderen", 88), ("dagbesteding", 200),
                           ("jongeren", 40), ("opvang", 70), ("bibliotheek", 26),
                           ("schuldhulpverlening", 5), ("voedselbank", 5)]:  # fmt: skip
        response = search_module.search(search_module.SearchParams(q=word))
        assert response.total >= at_least, (word, response.total)
